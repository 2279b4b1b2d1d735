// How the s3-partitioning checks judge the learner's lake: each helper runs one rule of the
// steps against the learner's code and, when it does not hold, fails with what was expected and
// what their code did — the event, the key, the call — and the likely cause when the pattern is
// recognisable. The public checks are one line each over these; the hidden ones reuse them.

import { count, describe, describeCall, expectThrows, fail, list } from 'whetstone/checks';
import type { TraceEntry } from 'whetstone/checks';
import { Faults } from 'whetstone/aws/env';
import type { FakeS3 } from 'whetstone/aws/s3';
import type { Context } from './checks.ts';
import {
  BAD_TIMESTAMPS,
  BUCKET,
  bodiesUnder,
  clickEvent,
  dayPrefix,
  eventsOfDays,
  expectedPrefix,
  localDay,
  middayEvents,
  seedObjects,
  seedReadFixture,
  utcDay,
  utcWallClock,
} from './fixtures.ts';
import type { ClickEvent, Seeded } from './fixtures.ts';

type Lake = Context['lake'];

// ---------------------------------------------------------------------------------------------
// Step 1: partitionPrefix.

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
    const written = gotDay === event.timestamp.slice(0, 10);
    const local = gotDay === localDay(event.timestamp);
    let cause = '';
    if (written && local) cause = " (the day of the timestamp's own offset, which is also this machine's local day; neither is the UTC day)";
    else if (written) cause = ' (the day written in the timestamp, not the UTC day)';
    else if (local) cause = " (the day in this machine's local time zone, not in UTC)";
    return `Event ${event.timestamp} was written under year=${y}/month=${m}/day=${d}${cause}, but in UTC it is ${utcWallClock(event.timestamp)}, so it belongs under year=${wy}/month=${wm}/day=${wd}: expected '${want}'.`;
  }
  return `${label}: expected the prefix '${want}', partitionPrefix returned '${got}'. The layout is raw/<source>/year=YYYY/month=MM/day=DD/ with a final '/'.`;
}

/** Every event's prefix must be its UTC day's; fails on the first wrong one, counting the others. */
export function expectPrefixes(lake: Lake, events: readonly ClickEvent[], which = '', how = 'too'): void {
  const problems = events.map((event) => explainPrefix(event, lake.partitionPrefix(event))).filter((p) => p !== undefined);
  const more = problems.length - 1;
  if (problems.length) fail(problems[0]! + (more ? ` (${count(more, 'more event')} of ${events.length}${which} ${more === 1 ? 'is' : 'are'} misfiled ${how}.)` : ''));
}

/** partitionPrefix must throw an Error naming each timestamp that cannot be dated. */
export async function expectBadTimestampsRejected(lake: Lake): Promise<void> {
  for (const timestamp of BAD_TIMESTAMPS) {
    await expectThrows(() => lake.partitionPrefix(clickEvent('e-bad', 'web-logs', timestamp)), {
      when: `For the timestamp '${timestamp}'`,
      call: 'partitionPrefix',
      naming: timestamp ? { value: timestamp, what: 'the timestamp' } : undefined,
      because: 'A record that cannot be dated must stop the batch with an Error that names its timestamp, not land in a partition no query looks at.',
    });
  }
}

// ---------------------------------------------------------------------------------------------
// Reading the bucket back, as the grader sees it.

/** The events of an object the learner wrote; fails on a line that is not one event. */
export function readJsonLines(text: string, key: string): ClickEvent[] {
  const events: ClickEvent[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (!line) continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      fail(`Line ${i + 1} of ${key} is not JSON: ${describe(line)}. Write one JSON.stringify(event) per line, lines separated by '\\n'.`);
    }
    if (!value || typeof value !== 'object' || Array.isArray(value) || typeof (value as ClickEvent).eventId !== 'string') {
      fail(`Line ${i + 1} of ${key} is ${Array.isArray(value) ? 'an array' : describe(value)}, not one event: JSON Lines holds one event object per line.`);
    }
    events.push(value as ClickEvent);
  }
  return events;
}

export interface Stored {
  key: string;
  event: ClickEvent;
}

/** Every event in the .jsonl objects under `prefix`, with the key it is stored under. */
export function storedEvents(fake: FakeS3, prefix = 'raw/'): Stored[] {
  return fake.keys(BUCKET, prefix).flatMap((key) => readJsonLines(fake.getObjectText(BUCKET, key) ?? '', key).map((event) => ({ key, event })));
}

/** The Key of each call, in order: which objects the learner's code wrote or read. */
export function keysOf(calls: readonly TraceEntry[]): string[] {
  return calls.map((c) => String((c.input as { Key?: string }).Key));
}

/** A key's folder: 'raw/a/year=…/day=16/b.jsonl' → 'raw/a/year=…/day=16/'. */
function folderOf(key: string): string {
  return key.slice(0, key.lastIndexOf('/') + 1);
}

export function expectStrings(value: unknown, what: string): string[] {
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) {
    fail(`${what} must be an array of strings; it returned ${describe(value)}.`);
  }
  return value as string[];
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

/** 'missing 3 events: e-1 (…, UTC day 2024-01-16), …; duplicated: e-4 (2×)' — the parts that apply. */
export function describeComparison(c: EventComparison): string {
  const parts: string[] = [];
  if (c.missing.length) {
    parts.push(`missing ${count(c.missing.length, 'event')}: ${list(c.missing.map((e) => `${e.eventId} (${e.timestamp}, UTC day ${utcDay(e.timestamp)})`))}`);
  }
  if (c.duplicated.length) parts.push(`duplicated: ${list(c.duplicated)}`);
  if (c.unexpected.length) parts.push(`not expected here: ${list(c.unexpected)}`);
  if (c.altered.length) parts.push(`changed on the way (fields differ from the original): ${list(c.altered)}`);
  return parts.join('; ');
}

/** Fails when an event sits outside its UTC partition, naming the first few. */
export function expectPlacement(stored: readonly Stored[]): void {
  const misplaced = stored.filter((s) => folderOf(s.key) !== expectedPrefix(s.event));
  if (!misplaced.length) return;
  const first = misplaced[0]!;
  fail(
    `${explainPrefix(first.event, folderOf(first.key))} (It is in ${first.key}.)` +
      (misplaced.length > 1 ? ` ${count(misplaced.length - 1, 'other event')} ${misplaced.length > 2 ? 'are' : 'is'} misplaced too: ${list(misplaced.slice(1).map((s) => s.event.timestamp))}.` : ''),
  );
}

// ---------------------------------------------------------------------------------------------
// Step 2: ingestBatch.

/** A batch over three days must be three objects, keyed <prefix><batchId>.jsonl, written once each and returned. */
export async function expectObjectPerPartition({ fake, s3, lake, env }: Context): Promise<void> {
  const batchId = 'b-20241114-01';
  const events = middayEvents('e-p', 'web-logs', [['2024-11-12', 5], ['2024-11-13', 4], ['2024-11-14', 3]]);
  const returned = expectStrings(await lake.ingestBatch(s3, BUCKET, batchId, events), 'ingestBatch');
  const expected = [...new Set(events.map(expectedPrefix))].map((p) => `${p}${batchId}.jsonl`).sort();
  const written = fake.keys(BUCKET);
  const puts = env.trace.calls('s3', 'PutObject').filter((c) => c.outcome === 'ok');
  if (written.length > expected.length) {
    fail(
      `A batch of ${events.length} events over ${expected.length} UTC days touches ${expected.length} partitions, so it is ${expected.length} objects; your code wrote ${count(written.length, 'object')} (${list(written, 3)}). ` +
        'One object per event is the small-files problem: group the events by partitionPrefix and write one JSON Lines object per group.',
    );
  }
  if (written.join() !== expected.join()) {
    fail(`Expected the keys ${list(expected)} (<partition prefix><batchId>.jsonl); your code wrote ${written.length ? list(written) : 'nothing'}.`);
  }
  if (puts.length !== expected.length) {
    fail(`Your code sent ${count(puts.length, 'PutObject request')} for ${count(expected.length, 'partition')}: write each partition's object once, with all of its events.`);
  }
  if ([...returned].sort().join() !== expected.join()) fail(`ingestBatch returned ${describe(returned)}; it must return the keys it wrote: ${list(expected)}.`);
}

/** After one batch the bucket holds each of its events once, each in its UTC day's partition. */
export async function expectEveryEventOnce({ fake, s3, lake }: Context, batchId: string, events: readonly ClickEvent[]): Promise<void> {
  await lake.ingestBatch(s3, BUCKET, batchId, [...events]);
  const stored = storedEvents(fake);
  const c = compareEvents(events, stored.map((s) => s.event));
  if (!isExact(c)) fail(`After ingesting a batch of ${events.length} events, the bucket holds ${count(stored.length, 'event')}: ${describeComparison(c)}.`);
  expectPlacement(stored);
}

/** A second batch on the same day must not replace the first one's events. */
export async function expectBatchesCoexist({ fake, s3, lake, env }: Context): Promise<void> {
  const first = middayEvents('e-a', 'web-logs', [['2024-11-18', 5], ['2024-11-19', 3]]);
  const second = middayEvents('e-z', 'web-logs', [['2024-11-18', 4]]);
  await lake.ingestBatch(s3, BUCKET, 'b-20241120-a', first);
  const firstKeys = keysOf(env.trace.calls('s3', 'PutObject'));
  await lake.ingestBatch(s3, BUCKET, 'b-20241120-b', second);
  const secondKeys = keysOf(env.trace.calls('s3', 'PutObject')).slice(firstKeys.length);
  const c = compareEvents([...first, ...second], storedEvents(fake).map((s) => s.event));
  if (isExact(c)) return;
  const shared = secondKeys.filter((k) => firstKeys.includes(k));
  fail(
    `After ingesting batch b-20241120-a (8 events) and then batch b-20241120-b (4 events on the same day), the bucket is ${describeComparison(c)}.` +
      (shared.length ? ` Both batches wrote ${list([...new Set(shared)])}: the second replaced the first's events. Put the batch id in the key (<prefix><batchId>.jsonl).` : ''),
  );
}

/** Sending a batch again (an upstream retry) leaves the bucket as the first call left it. */
export async function expectIdempotent({ fake, s3, lake }: Context): Promise<void> {
  const events = middayEvents('e-i', 'web-logs', [['2024-11-21', 4], ['2024-11-22', 2]]);
  await lake.ingestBatch(s3, BUCKET, 'b-20241122-r', events);
  const keysAfterFirst = fake.keys(BUCKET);
  await lake.ingestBatch(s3, BUCKET, 'b-20241122-r', events);
  const extra = fake.keys(BUCKET).filter((k) => !keysAfterFirst.includes(k));
  if (extra.length) {
    fail(`Sending batch b-20241122-r a second time wrote new objects (${list(extra)}) next to the first ones: the same batch must produce the same keys, so a retry replaces instead of adding.`);
  }
  const stored = storedEvents(fake);
  const c = compareEvents(events, stored.map((s) => s.event));
  if (!isExact(c)) {
    fail(
      `After sending batch b-20241122-r twice (an upstream retry), the bucket holds ${count(stored.length, 'event')} instead of ${events.length}: ${describeComparison(c)}. ` +
        'The retry must leave the bucket as the first call left it: write the same keys with the same bodies (PutObject replaces an object); never read and append.',
    );
  }
}

export async function expectEmptyBatchWritesNothing({ fake, s3, lake, env }: Context): Promise<void> {
  const returned = await lake.ingestBatch(s3, BUCKET, 'b-20241123-empty', []);
  const puts = env.trace.calls('s3', 'PutObject');
  if (puts.length) {
    fail(`An empty batch must write nothing; your code sent ${count(puts.length, 'PutObject request')} (${list(keysOf(puts))}). Empty objects are small files too.`);
  }
  if (!Array.isArray(returned) || returned.length !== 0) fail(`For an empty batch ingestBatch must return []; it returned ${describe(returned)}.`);
  if (fake.keys(BUCKET).length) fail(`An empty batch left objects in the bucket: ${list(fake.keys(BUCKET))}.`);
}

// ---------------------------------------------------------------------------------------------
// Step 3: listPartitions.

/** Why `got` is not exactly the expected partitions, sorted, each once; undefined when it is. */
export function explainPartitions(got: readonly string[], expected: readonly string[], source: string): string | undefined {
  if (got.join('|') === expected.join('|')) return undefined;
  const call = `listPartitions(s3, bucket, '${source}')`;
  const malformed = got.filter((p) => !/^raw\/[^/]+\/year=\d{4}\/month=\d{2}\/day=\d{2}\/$/.test(p));
  if (malformed.length) {
    return `${call} returned ${list(malformed.map((p) => `'${p}'`))}: each entry is a full day prefix such as '${expected[0] ?? dayPrefix(source, '2024-01-01')}' (with the final '/').`;
  }
  const repeated = [...new Set(got.filter((p, i) => got.indexOf(p) !== i))];
  if (repeated.length) return `${call} lists more than once: ${list(repeated)}. One entry per day partition, however many objects it holds.`;
  const foreign = got.filter((p) => !p.startsWith(`raw/${source}/`));
  if (foreign.length) return `${call} returned partitions of other sources: ${list(foreign)}. List under 'raw/${source}/', with the trailing slash.`;
  const missing = expected.filter((p) => !got.includes(p));
  const extra = got.filter((p) => !expected.includes(p));
  if (missing.length || extra.length) {
    return `${call} returned ${got.length ? list(got) : '[]'}; expected ${expected.length ? list(expected) : '[] (the source has no objects)'}.${missing.length ? ` Missing: ${list(missing)}.` : ''}${extra.length ? ` No object lies under: ${list(extra)}.` : ''}`;
  }
  return `${call} returned the right partitions in the wrong order (${list(got)}): sort them, so that they come in date order.`;
}

/** listPartitions(source) must be exactly `expected`; `context` is added to a failure. */
export async function expectPartitions({ s3, lake }: Context, source: string, expected: readonly string[], context = ''): Promise<string[]> {
  const got = expectStrings(await lake.listPartitions(s3, BUCKET, source), `listPartitions(s3, bucket, '${source}')`);
  const problem = explainPartitions(got, expected, source);
  if (problem) fail(problem + context);
  return got;
}

/** Days of two sources, out of order, some with several objects: each source lists its own, sorted. */
export async function expectSortedPartitions(ctx: Context): Promise<void> {
  const layout: [string, string, number][] = [
    ['web-logs', '2024-02-29', 2],
    ['web-logs', '2023-12-31', 1],
    ['web-logs', '2024-01-01', 3],
    ['web-logs', '2024-10-05', 1],
    ['web-logs', '2024-09-30', 2],
    ['transaction-data', '2024-01-02', 1],
    ['transaction-data', '2024-03-03', 1],
  ];
  for (const [source, day, objects] of layout) {
    for (let o = 1; o <= objects; o++) {
      seedObjects(ctx.fake, [{ key: `${dayPrefix(source, day)}b-${o}.jsonl`, events: [clickEvent(`e-${source}-${day}-${o}`, source, `${day}T12:00:00Z`)] }]);
    }
  }
  for (const source of ['web-logs', 'transaction-data', 'mobile-app']) {
    await expectPartitions(ctx, source, [...new Set(layout.filter(([s]) => s === source).map(([s, d]) => dayPrefix(s, d)))].sort());
  }
}

/** Six days of 400 objects: the last ones start after the first page of 1,000 keys. */
export async function expectPartitionsPastFirstPage(ctx: Context): Promise<void> {
  const { fake, s3, lake, env } = ctx;
  const days = ['2024-04-01', '2024-04-02', '2024-04-03', '2024-04-04', '2024-04-05', '2024-04-06'];
  for (const day of days) {
    for (let i = 0; i < 400; i++) fake.putObject(BUCKET, `${dayPrefix('web-logs', day)}b-${String(i).padStart(4, '0')}.jsonl`, `{"eventId":"e-${day}-${i}"}\n`);
  }
  fake.putObject(BUCKET, `${dayPrefix('transaction-data', '2024-04-07')}b-0000.jsonl`, '{"eventId":"e-t"}\n');
  const expected = days.map((d) => dayPrefix('web-logs', d));
  const got = expectStrings(await lake.listPartitions(s3, BUCKET, 'web-logs'), "listPartitions(s3, bucket, 'web-logs')");
  const found = expected.filter((p) => got.includes(p));
  if (found.length < expected.length) {
    fail(
      `listPartitions found ${found.length} of ${expected.length} partitions of web-logs; missing ${list(expected.filter((p) => !got.includes(p)))}. ` +
        `The source holds 2,400 objects and one ListObjectsV2 response carries at most 1,000 keys; your code made ${count(env.trace.calls('s3', 'ListObjectsV2').length, 'ListObjectsV2 call')}. ` +
        'While a response says IsTruncated, ask again with its NextContinuationToken (or use paginateListObjectsV2).',
    );
  }
  const problem = explainPartitions(got, expected, 'web-logs');
  if (problem) fail(problem);
}

// ---------------------------------------------------------------------------------------------
// Step 4: readRange.

/** Why readRange's answer is wrong, with the likely cause when the pattern is recognisable. */
export function explainRange(expected: readonly ClickEvent[], got: unknown, from: string, to: string): string | undefined {
  if (!Array.isArray(got)) return `readRange(…, '${from}', '${to}') must return an array of events; it returned ${describe(got)}.`;
  const c = compareEvents(expected, got);
  if (isExact(c)) return undefined;
  let cause = '';
  if (c.missing.length && c.missing.every((e) => utcDay(e.timestamp) === to) && from !== to) {
    cause = ` Both ends are inclusive: the events of ${to} belong to the range.`;
  } else if (c.missing.length && c.missing.every((e) => utcDay(e.timestamp) === from) && from !== to) {
    cause = ` Both ends are inclusive: the events of ${from} belong to the range.`;
  } else if (c.missing.length && c.missing.every((e) => e.timestamp.slice(0, 10) !== utcDay(e.timestamp))) {
    cause = ' Each missing event is stored in a partition of the range, but its timestamp shows another day: the partition is the UTC day, trust it.';
  }
  return `readRange(…, 'web-logs', '${from}', '${to}') returned ${count(got.length, 'event')}, expected ${count(expected.length, 'event')}: ${describeComparison(c)}.${cause}`;
}

/** readRange over ranges of the read fixture: every event of each range, both ends inclusive. */
export async function expectRanges({ fake, s3, lake }: Context, ranges: readonly (readonly [string, string])[]): Promise<void> {
  const { byDay } = seedReadFixture(fake);
  for (const [from, to] of ranges) {
    const problem = explainRange(eventsOfDays(byDay, from, to), await lake.readRange(s3, BUCKET, 'web-logs', from, to), from, to);
    if (problem) fail(problem);
  }
}

/** Fails when the learner's code read an object outside the `allowed` partitions. */
export function expectPruned(env: Context['env'], allowed: readonly string[], from: string, to: string, advice: string): void {
  const outside = [...new Set(keysOf(env.trace.calls('s3', 'GetObject')).filter((k) => !allowed.some((p) => k.startsWith(p))))];
  if (outside.length) fail(`For ${from}..${to}, your code read ${count(outside.length, 'object')} outside the range: ${list(outside, 3)}. ${advice}`);
}

/** readRange of 2023-12-31..2024-01-02 must read objects of those days and no others. */
export async function expectPartitionPruning({ fake, s3, lake, env }: Context): Promise<void> {
  const { keys } = seedReadFixture(fake);
  const [from, to] = ['2023-12-31', '2024-01-02'];
  await lake.readRange(s3, BUCKET, 'web-logs', from, to);
  const allowed = ['2023-12-31', '2024-01-01', '2024-01-02'].map((d) => dayPrefix('web-logs', d));
  expectPruned(env, allowed, from, to, 'Partition pruning means deciding from the key which partitions can hold the range, and reading only objects there (listing is fine; GetObject outside the range is what costs).');
  const gets = keysOf(env.trace.calls('s3', 'GetObject'));
  const inside = keys.filter((k) => allowed.some((p) => k.startsWith(p)));
  if (!gets.some((k) => inside.includes(k))) {
    fail(`For ${from}..${to}, your code read no object at all, but ${count(inside.length, 'object')} of web-logs lie in the range (${list(inside, 2)}).`);
  }
}

// ---------------------------------------------------------------------------------------------
// Step 5: compactPartition.

/** The learner's compactPartition; a DeleteObjects over 1,000 keys becomes a failure that says why. */
export async function compact({ s3, lake }: Context, prefix: string): Promise<unknown> {
  try {
    return await lake.compactPartition(s3, BUCKET, prefix);
  } catch (error) {
    if ((error as { name?: string })?.name === 'MalformedXML') {
      fail('compactPartition threw MalformedXML from DeleteObjects: S3 accepts at most 1,000 keys per DeleteObjects request. Delete the merged sources in chunks of at most 1,000.');
    }
    throw error;
  }
}

/** Fails when an object of `before` was deleted or rewritten. */
export function expectUntouched(fake: FakeS3, before: Map<string, string>, what: string): void {
  for (const [key, body] of before) {
    const now = fake.getObjectText(BUCKET, key);
    if (now === undefined) fail(`${key} (${what}) was deleted; compaction must not touch it.`);
    if (now !== body) fail(`${key} (${what}) was rewritten; compaction must not touch it.`);
  }
}

/**
 * After a compaction of `prefix` whose .jsonl sources held `events`: one merged .jsonl object
 * directly in the partition, returned, holding every event once; every source gone.
 */
export function expectMerged(
  fake: FakeS3,
  prefix: string,
  returned: unknown,
  events: readonly ClickEvent[],
  sourceKeys: readonly string[],
  others: readonly string[] = [],
): void {
  if (typeof returned !== 'string' || !returned.startsWith(prefix) || returned.slice(prefix.length).includes('/') || !returned.endsWith('.jsonl')) {
    fail(`compactPartition must return the key of the merged object, '${prefix}<name>.jsonl' directly in the partition; it returned ${describe(returned)}.`);
  }
  const present = fake.keys(BUCKET, prefix).filter((k) => !others.includes(k));
  if (!present.includes(returned)) fail(`compactPartition returned '${returned}', but there is no such object: write the merged object there.`);
  const leftover = present.filter((k) => k !== returned && sourceKeys.includes(k));
  const strays = present.filter((k) => k !== returned && !sourceKeys.includes(k));
  const merged = readJsonLines(fake.getObjectText(BUCKET, returned) ?? '', returned);
  const c = compareEvents(events, merged);
  if (!isExact(c)) {
    const pages = c.missing.length && merged.length === 1000 ? ' Exactly 1,000 events made it: the sources after the first page of the listing were never read. Follow NextContinuationToken.' : '';
    fail(`The merged object ${returned} should hold the ${count(events.length, 'event')} of the ${count(sourceKeys.length, 'source')}, each once; it holds ${count(merged.length, 'event')}: ${describeComparison(c)}.${pages}`);
  }
  if (leftover.length) {
    fail(`After compaction ${count(leftover.length, 'merged source')} ${leftover.length === 1 ? 'is' : 'are'} still in the partition (${list(leftover, 3)}): delete the sources once the merged object is written, or their events are counted twice.`);
  }
  if (strays.length) fail(`After compaction the partition holds objects besides the merged one: ${list(strays, 3)}. Write one merged object.`);
}

/** Compacting `prefix` over `lake.sources` merges them all, and leaves `lake.neighbours` alone. */
export async function expectCompaction(ctx: Context, prefix: string, lake: { sources: readonly Seeded[]; neighbours: readonly Seeded[] }): Promise<void> {
  seedObjects(ctx.fake, lake.sources);
  seedObjects(ctx.fake, lake.neighbours);
  const before = bodiesUnder(ctx.fake, [...new Set(lake.neighbours.map((n) => n.key.slice(0, n.key.lastIndexOf('/') + 1)))]);
  const returned = await compact(ctx, prefix);
  expectMerged(ctx.fake, prefix, returned, lake.sources.flatMap((s) => s.events), lake.sources.map((s) => s.key));
  expectUntouched(ctx.fake, before, 'another partition');
}

/** Every PutObject into the partition fails: no source may be deleted or changed. */
export async function expectSourcesKeptOnFailedWrite({ fake, s3, lake, env }: Context, prefix: string): Promise<void> {
  const sources = [4, 3, 2].map((size, b) => ({ key: `${prefix}b-20240116-${b + 1}.jsonl`, events: middayEvents(`e-f${b + 1}`, 'web-logs', [['2024-01-16', size]]) }));
  seedObjects(fake, sources);
  const before = bodiesUnder(fake, [prefix]);
  env.faults.add({ service: 's3', operation: 'PutObject', when: (input) => String(input.Key ?? '').startsWith(prefix), times: Infinity, fault: Faults.internalError });
  let thrown: unknown;
  try {
    await lake.compactPartition(s3, BUCKET, prefix);
  } catch (error) {
    thrown = error; // Throwing is fine: the write failed.
  }
  const gone = [...before.keys()].filter((k) => fake.getObjectText(BUCKET, k) !== before.get(k));
  if (gone.length) {
    const lost = sources.filter((s) => gone.includes(s.key)).flatMap((s) => s.events);
    fail(
      `Every PutObject into ${prefix} failed (InternalError 500, injected by this check), yet your code deleted or changed ${list(gone)}: ${count(lost.length, 'event')} are gone (${list(lost.map((e) => e.eventId))}). ` +
        'Write the merged object first and delete the sources only after that write succeeded.',
    );
  }
  if (!env.trace.calls('s3', 'PutObject').length) {
    fail(`compactPartition(${prefix}) made no attempt to write a merged object for a partition with 3 sources${thrown ? ` (it threw ${describe((thrown as Error).message)})` : ''}.`);
  }
}

/** A partition of one object, then an empty one: nothing is written, the lone key (or '') returned. */
export async function expectSmallPartitionsLeftAlone({ fake, s3, lake, env }: Context, prefix: string, empty: string): Promise<void> {
  const single = `${prefix}b-20240116-1.jsonl`;
  seedObjects(fake, [{ key: single, events: middayEvents('e-s', 'web-logs', [['2024-01-16', 3]]) }]);
  const body = fake.getObjectText(BUCKET, single);
  const returned = await lake.compactPartition(s3, BUCKET, prefix);
  const writes = () => ['PutObject', 'CopyObject', 'DeleteObject', 'DeleteObjects'].flatMap((op) => env.trace.calls('s3', op)).map(describeCall);
  if (writes().length) fail(`${prefix} holds a single object, which is already as compact as it gets; your code still sent ${list(writes())}. Leave a partition with one source alone.`);
  if (fake.keys(BUCKET, prefix).join() !== single || fake.getObjectText(BUCKET, single) !== body) {
    fail(`${prefix} held only ${single}; after compactPartition it holds ${list(fake.keys(BUCKET, prefix))}. Leave a partition with one source alone.`);
  }
  if (returned !== single) fail(`For a partition with one source, compactPartition must return that source's key ('${single}'); it returned ${describe(returned)}.`);
  const none = await lake.compactPartition(s3, BUCKET, empty);
  if (writes().length) fail(`${empty} is empty, yet your code sent ${list(writes())}. An empty partition is left alone.`);
  if (none !== '') fail(`For an empty partition compactPartition must return ''; it returned ${describe(none)}.`);
}

