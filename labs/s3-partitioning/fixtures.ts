// Events, partitions and comparisons the s3-partitioning checks share. The grader's own idea of
// "the right partition" lives here, computed independently of any submission, and so do the
// sentences that explain a difference to the learner.
//
// Bundled for the browser with the checks: no node: imports, no clock, randomness only from the
// seeded source a check passes in.

import type { S3Client } from '@aws-sdk/client-s3';

export interface ClickEvent {
  eventId: string;
  source: string;
  timestamp: string;
  userId: string;
  page: string;
}

/** The learner's partition.ts, as the checks call it. */
export interface PartitionModule {
  partitionPrefix(event: ClickEvent): string;
  ingestBatch(s3: S3Client, bucket: string, batchId: string, events: ClickEvent[]): Promise<string[]>;
  listPartitions(s3: S3Client, bucket: string, source: string): Promise<string[]>;
  readRange(s3: S3Client, bucket: string, source: string, fromDay: string, toDay: string): Promise<ClickEvent[]>;
  compactPartition(s3: S3Client, bucket: string, prefix: string): Promise<string>;
}

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
function localDay(timestamp: string): string {
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

/** 'raw/web-logs/year=2024/month=01/day=16/…' → '2024-01-16', or undefined when not a day partition. */
export function dayOfKey(key: string): string | undefined {
  const m = /^raw\/[^/]+\/year=(\d{4})\/month=(\d{2})\/day=(\d{2})\//.exec(key);
  return m ? `${m[1]}-${m[2]}-${m[3]}` : undefined;
}

/** The day after 'YYYY-MM-DD'. */
export function nextDay(day: string): string {
  return isoDay(Date.parse(`${day}T00:00:00Z`) + 86_400_000);
}

export function addDays(day: string, n: number): string {
  return isoDay(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000);
}

/**
 * Why `got` is not the prefix of `event`, in the learner's terms; undefined when it is right.
 * The most specific explanation wins: a UTC mix-up reads differently from a missing zero.
 */
export function explainPrefix(event: ClickEvent, got: unknown): string | undefined {
  const want = expectedPrefix(event);
  if (got === want) return undefined;
  const label = `Event ${event.timestamp} (source ${event.source})`;
  if (typeof got !== 'string') {
    return `${label}: partitionPrefix returned ${describe(got)}, expected the string '${want}'.`;
  }
  const parts = /^raw\/(.+)\/year=(\d+)\/month=(\d+)\/day=(\d+)\/$/.exec(got);
  if (parts) {
    const [, source, y, m, d] = parts;
    const [wy, wm, wd] = utcDay(event.timestamp).split('-');
    if (source !== event.source) {
      return `${label} was given the prefix '${got}', but its source is '${event.source}': expected '${want}'.`;
    }
    if ((m!.length < 2 || d!.length < 2) && Number(y) === Number(wy) && Number(m) === Number(wm) && Number(d) === Number(wd)) {
      return `${label} got '${got}': months and days must be zero-padded to two digits (month=${wm}/day=${wd}), so that S3's byte order of keys is date order. Expected '${want}'.`;
    }
    const gotDay = `${y}-${m!.padStart(2, '0')}-${d!.padStart(2, '0')}`;
    const writtenDay = event.timestamp.slice(0, 10);
    const written = gotDay === writtenDay;
    const local = gotDay === localDay(event.timestamp);
    let cause = '';
    if (written && local) cause = " (the day of the timestamp's own offset, which is also this machine's local day; neither is the UTC day)";
    else if (written) cause = ' (the day written in the timestamp, not the UTC day)';
    else if (local) cause = " (the day in this machine's local time zone, not in UTC)";
    return `Event ${event.timestamp} was written under year=${y}/month=${m}/day=${d}${cause}, but in UTC it is ${utcWallClock(event.timestamp)}, so it belongs under year=${wy}/month=${wm}/day=${wd}: expected '${want}'.`;
  }
  return `${label}: expected the prefix '${want}', partitionPrefix returned '${got}'. The layout is raw/<source>/year=YYYY/month=MM/day=DD/ with a final '/'.`;
}

// ---------------------------------------------------------------------------------------------
// JSON Lines.

export function jsonLines(events: readonly ClickEvent[], finalNewline = true): string {
  return events.map((e) => JSON.stringify(e)).join('\n') + (finalNewline && events.length ? '\n' : '');
}

/** Parse an object the learner wrote; a problem is a learner-facing sentence. */
export function parseJsonLines(text: string, key: string): { events: ClickEvent[]; problem?: string } {
  const events: ClickEvent[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (!line) continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      return {
        events,
        problem: `Line ${i + 1} of ${key} is not JSON: '${clip(line, 80)}'. Write one JSON.stringify(event) per line, lines separated by '\\n'.`,
      };
    }
    if (!value || typeof value !== 'object' || Array.isArray(value) || typeof (value as ClickEvent).eventId !== 'string') {
      return {
        events,
        problem: `Line ${i + 1} of ${key} is ${Array.isArray(value) ? 'an array' : describe(value)}, not one event: JSON Lines holds one event object per line.`,
      };
    }
    events.push(value as ClickEvent);
  }
  return { events };
}

// ---------------------------------------------------------------------------------------------
// Comparing what came back (or what the bucket holds) with what should.

export interface EventComparison {
  missing: ClickEvent[];
  duplicated: string[];
  unexpected: string[];
  /** Events whose fields differ from the original (same eventId). */
  altered: string[];
}

export function compareEvents(expected: readonly ClickEvent[], actual: readonly unknown[]): EventComparison {
  const want = new Map(expected.map((e) => [e.eventId, e]));
  const seen = new Map<string, number>();
  const unexpected: string[] = [];
  const altered: string[] = [];
  for (const item of actual) {
    const id = item && typeof item === 'object' ? (item as ClickEvent).eventId : undefined;
    if (typeof id !== 'string' || !want.has(id)) {
      unexpected.push(typeof id === 'string' ? id : describe(item));
      continue;
    }
    seen.set(id, (seen.get(id) ?? 0) + 1);
    if (seen.get(id) === 1 && !sameEvent(want.get(id)!, item as ClickEvent)) altered.push(id);
  }
  return {
    missing: expected.filter((e) => !seen.has(e.eventId)),
    duplicated: [...seen].filter(([, n]) => n > 1).map(([id, n]) => `${id} (${n}×)`),
    unexpected,
    altered,
  };
}

function sameEvent(a: ClickEvent, b: ClickEvent): boolean {
  const keys = Object.keys(a) as (keyof ClickEvent)[];
  return keys.every((k) => a[k] === b[k]) && Object.keys(b).length === keys.length;
}

export function isExact(c: EventComparison): boolean {
  return !c.missing.length && !c.duplicated.length && !c.unexpected.length && !c.altered.length;
}

/** 'missing 3 events (e-1 [day 2024-01-16], …); e-4 twice' — the parts that apply. */
export function describeComparison(c: EventComparison): string {
  const parts: string[] = [];
  if (c.missing.length) {
    parts.push(
      `missing ${count(c.missing.length, 'event')}: ${list(c.missing.map((e) => `${e.eventId} (${e.timestamp}, UTC day ${utcDay(e.timestamp)})`))}`,
    );
  }
  if (c.duplicated.length) parts.push(`duplicated: ${list(c.duplicated)}`);
  if (c.unexpected.length) parts.push(`not expected here: ${list(c.unexpected)}`);
  if (c.altered.length) parts.push(`changed on the way (fields differ from the original): ${list(c.altered)}`);
  return parts.join('; ');
}

// ---------------------------------------------------------------------------------------------
// Seeded fixtures for the hidden checks: same seed, same events.

export type Random = () => number;

export function int(random: Random, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}

export function pick<T>(random: Random, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!;
}

export function hex(random: Random, digits: number): string {
  let s = '';
  for (let i = 0; i < digits; i++) s += '0123456789abcdef'[Math.floor(random() * 16)];
  return s;
}

export function shuffle<T>(random: Random, items: readonly T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

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
    return writtenAt(midnight + int(random, 5, 205) * 60_000 + int(random, 0, 59) * 1000, pick(random, WEST), random() < 0.3);
  }
  if (kind === 'east') {
    // 21:00–23:55 UTC, written at +03:00 or further east: the sender's calendar says the day after.
    return writtenAt(midnight + int(random, 21 * 60, 23 * 60 + 55) * 60_000 + int(random, 0, 59) * 1000, pick(random, EAST), random() < 0.3);
  }
  // 10:00–13:59 UTC in a zone within ±9 h: the same calendar day everywhere that matters here.
  const offset = pick(random, [0, 0, -480, -300, 60, 120, 330, 540]);
  return writtenAt(midnight + int(random, 600, 839) * 60_000 + int(random, 0, 59) * 1000, offset, random() < 0.3);
}

/** Events on the given UTC days, each day with west, east and plain timestamps. */
export function seededEvents(random: Random, options: { days: readonly string[]; sources: readonly string[]; perDay: [number, number]; idPrefix: string }): ClickEvent[] {
  const events: ClickEvent[] = [];
  let n = 0;
  for (const day of options.days) {
    const count = int(random, options.perDay[0], options.perDay[1]);
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

// ---------------------------------------------------------------------------------------------
// Small words for messages.

export function count(n: number, noun: string): string {
  return `${n.toLocaleString('en-US')} ${noun}${n === 1 ? '' : 's'}`;
}

export function list(items: readonly string[], max = 4): string {
  if (items.length <= max) return items.join(', ');
  return `${items.slice(0, max).join(', ')} … (${items.length} in all)`;
}

export function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

export function describe(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'string') return `'${clip(value, 80)}'`;
  try {
    return clip(JSON.stringify(value) ?? String(value), 120);
  } catch {
    return String(value);
  }
}
