// Events, days and partitions the s3-partitioning checks share: the grader's own idea of "the
// right partition", computed independently of any submission, and the fixtures (fixed for the
// public checks, drawn from the seed for the hidden ones).
//
// Bundled for the browser with the checks: no node: imports, no clock, randomness only from the
// seeded source a check passes in.

import { between, hex, pick, shuffle } from 'whetstone/checks';
import type { Random } from 'whetstone/checks';
import { seededRandom } from 'whetstone/aws/env';
import type { FakeS3 } from 'whetstone/aws/s3';
import type { ClickEvent } from './starter/partition.ts';

export type { ClickEvent };

export const BUCKET = 'acme-clickstream';

const PAGES = ['/', '/search', '/product/42', '/cart', '/checkout', '/account', '/help'];

/** A click event; userId and page follow from the id so fixtures stay short and deterministic. */
export function clickEvent(eventId: string, source: string, timestamp: string): ClickEvent {
  let h = 0;
  for (let i = 0; i < eventId.length; i++) h = (h * 31 + eventId.charCodeAt(i)) >>> 0;
  return { eventId, source, timestamp, userId: `u-${h % 997}`, page: PAGES[h % PAGES.length]! };
}

// ---------------------------------------------------------------------------------------------
// Days and prefixes: the grader's truth.

const two = (n: number) => String(n).padStart(2, '0');

function isoDay(ms: number): string {
  const d = new Date(ms);
  return `${String(d.getUTCFullYear()).padStart(4, '0')}-${two(d.getUTCMonth() + 1)}-${two(d.getUTCDate())}`;
}

/** '2024-01-15T23:30:00-08:00' → '2024-01-16'. Fixture timestamps are always valid. */
export function utcDay(timestamp: string): string {
  return isoDay(Date.parse(timestamp));
}

/**
 * The calendar day of the local time zone of the process, which is the zone the learner's code
 * ran in (the host sets it from the lab's limits): recognises getDate() used for getUTCDate().
 */
export function localDay(timestamp: string): string {
  const d = new Date(Date.parse(timestamp));
  return `${String(d.getFullYear()).padStart(4, '0')}-${two(d.getMonth() + 1)}-${two(d.getDate())}`;
}

/** '2024-01-15T23:30:00-08:00' → '2024-01-16 07:30', for messages. */
export function utcWallClock(timestamp: string): string {
  const d = new Date(Date.parse(timestamp));
  return `${isoDay(d.getTime())} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}`;
}

/** ('web-logs', '2024-01-16') → 'raw/web-logs/year=2024/month=01/day=16/'. */
export function dayPrefix(source: string, day: string): string {
  const [y, m, d] = day.split('-');
  return `raw/${source}/year=${y}/month=${m}/day=${d}/`;
}

export function expectedPrefix(event: ClickEvent): string {
  return dayPrefix(event.source, utcDay(event.timestamp));
}

/** The day after 'YYYY-MM-DD'. */
export function nextDay(day: string): string {
  return isoDay(Date.parse(`${day}T00:00:00Z`) + 86_400_000);
}

export function addDays(day: string, n: number): string {
  return isoDay(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000);
}

// ---------------------------------------------------------------------------------------------
// Objects in the lake, put straight into the fake (not traced): the state before the learner's
// code runs, and proof afterwards that something was left alone.

export function jsonLines(events: readonly ClickEvent[], finalNewline = true): string {
  return events.map((e) => JSON.stringify(e)).join('\n') + (finalNewline && events.length ? '\n' : '');
}

/** An object of events as a fixture puts it in the bucket (JSON Lines may end without a newline). */
export interface Seeded {
  key: string;
  events: readonly ClickEvent[];
  finalNewline?: boolean;
}

export function seedObjects(fake: FakeS3, objects: readonly Seeded[]): void {
  for (const o of objects) fake.putObject(BUCKET, o.key, jsonLines(o.events, o.finalNewline ?? true), { contentType: 'application/x-ndjson' });
}

/** Snapshot of bodies under prefixes, to prove later that nothing there changed. */
export function bodiesUnder(fake: FakeS3, prefixes: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const prefix of prefixes) for (const key of fake.keys(BUCKET, prefix)) out.set(key, fake.getObjectText(BUCKET, key)!);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Fixtures of the public checks.

/** One event per shape of day and month: single digits, two digits, milliseconds. */
export const HIVE_CASES: readonly ClickEvent[] = [
  clickEvent('e-h-1', 'web-logs', '2024-11-22T14:05:00Z'),
  clickEvent('e-h-2', 'transaction-data', '2024-10-30T09:00:00Z'),
  clickEvent('e-h-3', 'web-logs', '2024-03-05T12:00:00Z'),
  clickEvent('e-h-4', 'transaction-data', '2025-01-09T13:30:00.250Z'),
];

/** Timestamps no calendar has; the empty one cannot be named in a message, only refused. */
export const BAD_TIMESTAMPS = ['yesterday', '2024-13-01T00:00:00Z', '2024-01-15T25:00:00Z', ''];

/** Events whose written day, Los Angeles day and Tokyo day differ from the UTC day in both directions. */
export const UTC_CASES: readonly ClickEvent[] = [
  clickEvent('e-utc-01', 'web-logs', '2024-01-15T23:30:00-08:00'), // 2024-01-16 07:30Z
  clickEvent('e-utc-02', 'web-logs', '2024-03-01T08:15:00+09:00'), // 2024-02-29 23:15Z
  clickEvent('e-utc-03', 'transaction-data', '2023-12-31T23:45:00Z'), // local day is 2024-01-01 east of UTC
  clickEvent('e-utc-04', 'web-logs', '2024-07-01T00:20:00Z'), // local day is 2024-06-30 west of UTC
  clickEvent('e-utc-05', 'transaction-data', '2024-12-31T18:30:00-06:00'), // 2025-01-01 00:30Z
  clickEvent('e-utc-06', 'web-logs', '2025-01-01T07:00:00+09:00'), // 2024-12-31 22:00Z
  clickEvent('e-utc-07', 'web-logs', '2024-10-31T21:00:00-04:00'), // 2024-11-01 01:00Z
  clickEvent('e-utc-08', 'web-logs', '2024-05-31T22:10:00.500-03:30'), // 2024-06-01 01:40:00.5Z
];

/** A batch over three UTC days (two sources) with late-evening and early-morning timestamps. */
export const BOUNDARY_BATCH: readonly ClickEvent[] = [
  clickEvent('e-b-01', 'web-logs', '2024-01-15T23:30:00-08:00'), // day 16
  clickEvent('e-b-02', 'web-logs', '2024-01-16T08:30:00+09:00'), // day 15
  clickEvent('e-b-03', 'web-logs', '2024-01-15T12:00:00Z'), // day 15
  clickEvent('e-b-04', 'web-logs', '2024-01-16T10:15:00-05:00'), // day 16
  clickEvent('e-b-05', 'web-logs', '2024-01-17T01:10:00+05:30'), // day 16
  clickEvent('e-b-06', 'web-logs', '2024-01-16T22:45:00-03:00'), // day 17
  clickEvent('e-b-07', 'web-logs', '2024-01-17T13:00:00Z'), // day 17
  clickEvent('e-b-08', 'transaction-data', '2024-01-16T23:55:00-08:00'), // day 17
  clickEvent('e-b-09', 'transaction-data', '2024-01-16T12:30:00+01:00'), // day 16
  clickEvent('e-b-10', 'web-logs', '2024-01-15T00:20:00Z'), // day 15 (the 14th in Los Angeles)
  clickEvent('e-b-11', 'web-logs', '2024-01-16T23:40:00Z'), // day 16 (the 17th in Tokyo)
  clickEvent('e-b-12', 'web-logs', '2024-01-16T09:05:00+09:00'), // day 16 (00:05Z)
];

/** Mid-day events (the same calendar day in every zone from UTC−9 to UTC+9) on the given days. */
export function middayEvents(idPrefix: string, source: string, days: readonly [string, number][]): ClickEvent[] {
  const offsets = ['Z', '-05:00', '+01:00', '-08:00', '+09:00'];
  const events: ClickEvent[] = [];
  let n = 0;
  for (const [day, howMany] of days) {
    for (let i = 0; i < howMany; i++, n++) {
      const utcMinutes = 600 + ((n * 37) % 240); // 10:00–13:59 UTC
      const instant = Date.parse(`${day}T00:00:00Z`) + utcMinutes * 60_000;
      const offset = offsets[n % offsets.length]!;
      const shift = offset === 'Z' ? 0 : (offset.startsWith('-') ? -1 : 1) * (Number(offset.slice(1, 3)) * 60);
      const wall = new Date(instant + shift * 60_000).toISOString().slice(0, 19);
      events.push(clickEvent(`${idPrefix}-${String(n + 1).padStart(2, '0')}`, source, `${wall}${offset}`));
    }
  }
  return events;
}

/** A day partition of four batches and its neighbours: two days around it and another source that day. */
export function mergeFixture(prefix: string): { sources: Seeded[]; neighbours: Seeded[] } {
  const sources = [3, 5, 2, 4].map((size, b) => ({
    key: `${prefix}b-20240116-${b + 1}.jsonl`,
    events: middayEvents(`e-c${b + 1}`, 'web-logs', [['2024-01-16', size]]),
    finalNewline: b !== 2,
  }));
  const [before, after, other] = [dayPrefix('web-logs', '2024-01-15'), dayPrefix('web-logs', '2024-01-17'), dayPrefix('transaction-data', '2024-01-16')];
  const neighbours = [
    { key: `${before}b-20240115-1.jsonl`, events: middayEvents('e-n1', 'web-logs', [['2024-01-15', 2]]) },
    { key: `${before}b-20240115-2.jsonl`, events: middayEvents('e-n2', 'web-logs', [['2024-01-15', 1]]) },
    { key: `${after}b-20240117-1.jsonl`, events: middayEvents('e-n3', 'web-logs', [['2024-01-17', 2]]) },
    { key: `${other}b-20240116-1.jsonl`, events: middayEvents('e-n4', 'transaction-data', [['2024-01-16', 2]]) },
    { key: `${other}b-20240116-2.jsonl`, events: middayEvents('e-n5', 'transaction-data', [['2024-01-16', 2]]) },
  ];
  return { sources, neighbours };
}

/** 1,100 one-event objects in one day partition (more than a listing page), and one next door. */
export function largeFixture(prefix: string): { sources: Seeded[]; neighbours: Seeded[] } {
  const events = middayEvents('e-k', 'web-logs', [['2024-01-16', 1100]]);
  return {
    sources: events.map((event, i) => ({ key: `${prefix}b-${String(i).padStart(5, '0')}.jsonl`, events: [event] })),
    neighbours: [{ key: `${dayPrefix('web-logs', '2024-01-17')}b-00000.jsonl`, events: middayEvents('e-kn', 'web-logs', [['2024-01-17', 1]]) }],
  };
}

/** The lake the readRange checks query: web-logs around new year 2024, plus a second source. */
export function seedReadFixture(fake: FakeS3): { byDay: Map<string, ClickEvent[]>; keys: string[] } {
  const random = seededRandom(20240101);
  const layout: [string, number][] = [
    ['2023-11-20', 2],
    ['2023-12-30', 1],
    ['2023-12-31', 2],
    ['2024-01-01', 2],
    ['2024-01-02', 2],
    ['2024-01-03', 1],
    ['2024-02-10', 1],
  ];
  const byDay = new Map<string, ClickEvent[]>();
  const keys: string[] = [];
  let n = 0;
  for (const [day, objects] of layout) {
    for (let o = 1; o <= objects; o++) {
      const events: ClickEvent[] = [];
      const size = 2 + ((n + o) % 3);
      for (let i = 0; i < size; i++, n++) {
        const kind = i === 0 ? 'west' : i === 1 ? 'east' : 'plain';
        events.push(clickEvent(`e-r-${String(n + 1).padStart(3, '0')}`, 'web-logs', trickyTimestamp(random, day, kind)));
      }
      const key = `${dayPrefix('web-logs', day)}b-${day.replaceAll('-', '')}-${o}.jsonl`;
      seedObjects(fake, [{ key, events, finalNewline: n % 3 !== 0 }]);
      keys.push(key);
      byDay.set(day, [...(byDay.get(day) ?? []), ...events]);
    }
    // The other source holds the same days: none of it belongs to web-logs.
    const other = clickEvent(`e-t-${day}`, 'transaction-data', trickyTimestamp(random, day, 'plain'));
    seedObjects(fake, [{ key: `${dayPrefix('transaction-data', day)}b-${day.replaceAll('-', '')}-1.jsonl`, events: [other] }]);
  }
  return { byDay, keys };
}

export function eventsOfDays(byDay: Map<string, ClickEvent[]>, from: string, to: string): ClickEvent[] {
  return [...byDay].filter(([day]) => day >= from && day <= to).flatMap(([, events]) => events);
}

// ---------------------------------------------------------------------------------------------
// Seeded fixtures for the hidden checks: same seed, same events.

/** Days where calendars turn over: month and year ends, leap days, single-digit months and days. */
export const BOUNDARY_DAYS = [
  '2023-12-31', '2024-01-01', '2024-02-28', '2024-02-29', '2024-03-01', '2024-04-30', '2024-05-01',
  '2024-06-30', '2024-07-01', '2024-09-30', '2024-10-01', '2024-12-31', '2025-01-01', '2025-02-28',
  '2025-03-01', '2026-08-31', '2026-09-01', '2027-12-31', '2028-01-01', '2028-02-29',
];

/** A timestamp for an instant, written in a given UTC offset (minutes), 'Z' when zero. */
export function writtenAt(instantMs: number, offsetMinutes: number, withMillis = false): string {
  const local = new Date(instantMs + offsetMinutes * 60_000);
  const wall =
    `${String(local.getUTCFullYear()).padStart(4, '0')}-${two(local.getUTCMonth() + 1)}-${two(local.getUTCDate())}` +
    `T${two(local.getUTCHours())}:${two(local.getUTCMinutes())}:${two(local.getUTCSeconds())}` +
    (withMillis ? `.${String(local.getUTCMilliseconds()).padStart(3, '0')}` : '');
  if (offsetMinutes === 0) return `${wall}Z`;
  const sign = offsetMinutes > 0 ? '+' : '-';
  const abs = Math.abs(offsetMinutes);
  return `${wall}${sign}${two(Math.floor(abs / 60))}:${two(abs % 60)}`;
}

const WEST = [-600, -480, -420, -360, -300, -240, -210]; // Hawaii … Newfoundland
const EAST = [180, 330, 345, 480, 540, 600, 765, 840]; // Moscow … Kiribati

/**
 * A timestamp on a UTC day whose written day, and whose local day in any zone on that side of
 * UTC (Los Angeles for 'west', Tokyo for 'east'), differ from the UTC day; 'plain' does not cross.
 */
export function trickyTimestamp(random: Random, day: string, kind: 'west' | 'east' | 'plain'): string {
  const midnight = Date.parse(`${day}T00:00:00Z`);
  if (kind === 'west') {
    // 00:05–03:25 UTC, written at −03:30 or further west: the sender's calendar says the day before.
    return writtenAt(midnight + between(random, 5, 205) * 60_000 + between(random, 0, 59) * 1000, pick(random, WEST), random() < 0.3);
  }
  if (kind === 'east') {
    // 21:00–23:55 UTC, written at +03:00 or further east: the sender's calendar says the day after.
    return writtenAt(midnight + between(random, 21 * 60, 23 * 60 + 55) * 60_000 + between(random, 0, 59) * 1000, pick(random, EAST), random() < 0.3);
  }
  // 10:00–13:59 UTC in a zone within ±9 h: the same calendar day everywhere that matters here.
  const offset = pick(random, [0, 0, -480, -300, 60, 120, 330, 540]);
  return writtenAt(midnight + between(random, 600, 839) * 60_000 + between(random, 0, 59) * 1000, offset, random() < 0.3);
}

/** Events on the given UTC days, each day with west, east and plain timestamps. */
export function seededEvents(random: Random, options: { days: readonly string[]; sources: readonly string[]; perDay: [number, number]; idPrefix: string }): ClickEvent[] {
  const events: ClickEvent[] = [];
  let n = 0;
  for (const day of options.days) {
    const count = between(random, options.perDay[0], options.perDay[1]);
    for (let i = 0; i < count; i++) {
      const kind = i === 0 ? 'west' : i === 1 ? 'east' : pick(random, ['west', 'east', 'plain', 'plain'] as const);
      const source = options.sources[i % options.sources.length]!;
      events.push(clickEvent(`${options.idPrefix}-${hex(random, 4)}${String(n++).padStart(4, '0')}`, source, trickyTimestamp(random, day, kind)));
    }
  }
  return shuffle(random, events);
}

/** A batch id like 'b-20240116-7f3a'. */
export function batchId(random: Random, day: string): string {
  return `b-${day.replaceAll('-', '')}-${hex(random, 4)}`;
}
