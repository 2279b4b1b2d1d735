// Public checks of the s3-partitioning lab: one step per function of partition.ts. Every rule
// checked here is stated in steps/NN-*.md; the fixtures are fixed so a learner can reproduce them.
// Hidden checks (hidden/checks.ts) reuse `lab` and the helpers below with seeded fixtures.

import type { S3Client } from '@aws-sdk/client-s3';
import { defineLab } from '../../grader/checks.ts';
import type { CheckContext } from '../../grader/checks.ts';
import { FakeS3 } from '../../grader/aws/s3.ts';
import { Faults, seededRandom } from '../../grader/aws/env.ts';
import {
  BUCKET,
  clickEvent,
  compareEvents,
  count,
  dayPrefix,
  describe,
  describeComparison,
  expectedPrefix,
  explainPrefix,
  isExact,
  jsonLines,
  list,
  parseJsonLines,
  trickyTimestamp,
  utcDay,
} from './fixtures.ts';
import type { ClickEvent, PartitionModule } from './fixtures.ts';

export interface World {
  s3: FakeS3;
}

export const lab = defineLab<World>({ aws: (env) => ({ s3: new FakeS3(env) }) });

export type Context = CheckContext<World>;

/** The bucket, a client of this check's world, and a fresh instance of the learner's module. */
export function open(ctx: Context): { fake: FakeS3; s3: S3Client; lake: PartitionModule } {
  const fake = ctx.aws.s3;
  fake.createBucket(BUCKET);
  return { fake, s3: fake.client(), lake: ctx.submission.load<PartitionModule>('partition.ts') };
}

// ---------------------------------------------------------------------------------------------
// Reading the bucket back, as the grader sees it.

export interface Stored {
  key: string;
  event: ClickEvent;
}

/** Every event in the .jsonl objects under `prefix`; fails the check on a line that is not an event. */
export function storedEvents(ctx: Context, fake: FakeS3, prefix = 'raw/'): Stored[] {
  const stored: Stored[] = [];
  for (const key of fake.keys(BUCKET, prefix)) {
    const { events, problem } = parseJsonLines(fake.getObjectText(BUCKET, key) ?? '', key);
    if (problem) ctx.fail(problem);
    for (const event of events) stored.push({ key, event });
  }
  return stored;
}

/** A key's folder: 'raw/a/year=…/day=16/b.jsonl' → 'raw/a/year=…/day=16/'. */
export function folderOf(key: string): string {
  return key.slice(0, key.lastIndexOf('/') + 1);
}

/** Fails when an event sits outside its UTC partition, naming the first few. */
export function expectPlacement(ctx: Context, stored: readonly Stored[]): void {
  const misplaced = stored.filter((s) => folderOf(s.key) !== expectedPrefix(s.event));
  if (!misplaced.length) return;
  const first = misplaced[0]!;
  ctx.fail(
    `${explainPrefix(first.event, folderOf(first.key))} (It is in ${first.key}.)` +
      (misplaced.length > 1 ? ` ${count(misplaced.length - 1, 'other event')} are misplaced too: ${list(misplaced.slice(1).map((s) => s.event.timestamp))}.` : ''),
  );
}

export function expectStrings(ctx: Context, value: unknown, what: string): string[] {
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) {
    ctx.fail(`${what} must be an array of strings; it returned ${describe(value)}.`);
  }
  return value as string[];
}

/** Seed objects directly (untraced): the state a lake is in before the learner's code runs. */
export function seedObjects(fake: FakeS3, objects: readonly { key: string; events: readonly ClickEvent[]; finalNewline?: boolean }[]): void {
  for (const o of objects) fake.putObject(BUCKET, o.key, jsonLines(o.events, o.finalNewline ?? true), { contentType: 'application/x-ndjson' });
}

/** Snapshot of bodies under prefixes, to prove later that nothing there changed. */
export function bodiesUnder(fake: FakeS3, prefixes: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const prefix of prefixes) for (const key of fake.keys(BUCKET, prefix)) out.set(key, fake.getObjectText(BUCKET, key)!);
  return out;
}

export function expectUntouched(ctx: Context, fake: FakeS3, before: Map<string, string>, what: string): void {
  for (const [key, body] of before) {
    const now = fake.getObjectText(BUCKET, key);
    if (now === undefined) ctx.fail(`${key} (${what}) was deleted; compaction must not touch it.`);
    if (now !== body) ctx.fail(`${key} (${what}) was rewritten; compaction must not touch it.`);
  }
}

/** The learner's compactPartition; an S3 error it lets through becomes a failure that says why. */
export async function compact(ctx: Context, lake: PartitionModule, s3: S3Client, prefix: string): Promise<unknown> {
  try {
    return await lake.compactPartition(s3, BUCKET, prefix);
  } catch (error) {
    const name = (error as { name?: string })?.name;
    if (name === 'MalformedXML') {
      ctx.fail(
        `compactPartition threw MalformedXML from DeleteObjects: S3 accepts at most 1,000 keys per DeleteObjects request. Delete the merged sources in chunks of at most 1,000.`,
      );
    }
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------
// Fixtures of the public checks.

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

function eventsOfDays(byDay: Map<string, ClickEvent[]>, from: string, to: string): ClickEvent[] {
  return [...byDay].filter(([day]) => day >= from && day <= to).flatMap(([, events]) => events);
}

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

export default lab.checks(({ step, check }) => {
  step(1, () => {
    check('prefix-hive-layout', 'Prefixes are Hive-style and zero-padded', (ctx) => {
      const { lake } = open(ctx);
      const cases = [
        clickEvent('e-h-1', 'web-logs', '2024-11-22T14:05:00Z'),
        clickEvent('e-h-2', 'transaction-data', '2024-10-30T09:00:00Z'),
        clickEvent('e-h-3', 'web-logs', '2024-03-05T12:00:00Z'),
        clickEvent('e-h-4', 'transaction-data', '2025-01-09T13:30:00.250Z'),
      ];
      for (const event of cases) {
        const problem = explainPrefix(event, lake.partitionPrefix(event));
        if (problem) ctx.fail(problem);
      }
    });

    check('prefix-utc-day', 'The partition is the UTC day of the event', (ctx) => {
      const { lake } = open(ctx);
      const problems = UTC_CASES.map((event) => explainPrefix(event, lake.partitionPrefix(event))).filter((p) => p !== undefined);
      if (problems.length) {
        ctx.fail(problems[0]! + (problems.length > 1 ? ` (${count(problems.length - 1, 'more event')} of ${UTC_CASES.length} near midnight are misfiled the same way.)` : ''));
      }
    });

    check('prefix-rejects-bad-timestamp', 'An unparsable timestamp throws an Error that names it', (ctx) => {
      const { lake } = open(ctx);
      for (const timestamp of ['yesterday', '2024-13-01T00:00:00Z', '2024-01-15T25:00:00Z', '']) {
        const event = clickEvent('e-bad', 'web-logs', timestamp);
        let got: unknown;
        try {
          got = lake.partitionPrefix(event);
        } catch (error) {
          if (!(error instanceof Error)) {
            ctx.fail(`For the timestamp '${timestamp}', partitionPrefix threw ${describe(error)}; throw an Error (new Error('…')) so callers get a message and a stack.`);
          } else if (timestamp && !error.message.includes(timestamp)) {
            ctx.fail(`For the timestamp '${timestamp}', partitionPrefix threw "${error.message}", which does not name the timestamp: put '${timestamp}' in the message so the bad record can be found.`);
          }
          continue;
        }
        ctx.fail(
          `For the timestamp '${timestamp}', partitionPrefix returned ${describe(got)} instead of throwing. A record that cannot be dated must stop the batch with an Error that names its timestamp, not land in a partition no query looks at.`,
        );
      }
    });
  });

  step(2, () => {
    check('ingest-one-object-per-partition', 'One object per partition, keyed <prefix><batchId>.jsonl', async (ctx) => {
      const { fake, s3, lake } = open(ctx);
      const batchId = 'b-20241114-01';
      const events = middayEvents('e-p', 'web-logs', [['2024-11-12', 5], ['2024-11-13', 4], ['2024-11-14', 3]]);
      const returned = expectStrings(ctx, await lake.ingestBatch(s3, BUCKET, batchId, events), 'ingestBatch');
      const expected = [...new Set(events.map(expectedPrefix))].map((p) => `${p}${batchId}.jsonl`).sort();
      const written = fake.keys(BUCKET);
      const puts = ctx.env.trace.calls('s3', 'PutObject').filter((c) => c.outcome === 'ok');
      if (written.length > expected.length) {
        ctx.fail(
          `A batch of ${events.length} events over ${expected.length} UTC days touches ${expected.length} partitions, so it is ${expected.length} objects; your code wrote ${count(written.length, 'object')} (${list(written, 3)}). ` +
            'One object per event is the small-files problem: group the events by partitionPrefix and write one JSON Lines object per group.',
        );
      }
      if (written.join() !== expected.join()) {
        ctx.fail(`Expected the keys ${list(expected)} (<partition prefix><batchId>.jsonl); your code wrote ${written.length ? list(written) : 'nothing'}.`);
      }
      if (puts.length !== expected.length) {
        ctx.fail(`Your code sent ${count(puts.length, 'PutObject request')} for ${count(expected.length, 'partition')}: write each partition's object once, with all of its events.`);
      }
      if ([...returned].sort().join() !== expected.join()) {
        ctx.fail(`ingestBatch returned ${describe(returned)}; it must return the keys it wrote: ${list(expected)}.`);
      }
    });

    check('ingest-every-event-once', 'Every event exactly once, as JSON Lines, in its UTC partition', async (ctx) => {
      const { fake, s3, lake } = open(ctx);
      await lake.ingestBatch(s3, BUCKET, 'b-20240117-02', [...BOUNDARY_BATCH]);
      const stored = storedEvents(ctx, fake);
      const c = compareEvents(BOUNDARY_BATCH, stored.map((s) => s.event));
      if (!isExact(c)) ctx.fail(`After ingesting a batch of ${BOUNDARY_BATCH.length} events, the bucket holds ${count(stored.length, 'event')}: ${describeComparison(c)}.`);
      expectPlacement(ctx, stored);
    });

    check('ingest-batches-coexist', 'Batches never overwrite each other', async (ctx) => {
      const { fake, s3, lake } = open(ctx);
      const first = middayEvents('e-a', 'web-logs', [['2024-11-18', 5], ['2024-11-19', 3]]);
      const second = middayEvents('e-z', 'web-logs', [['2024-11-18', 4]]);
      const putKeys = () => ctx.env.trace.calls('s3', 'PutObject').map((c) => String((c.input as { Key?: string }).Key));
      await lake.ingestBatch(s3, BUCKET, 'b-20241120-a', first);
      const firstKeys = putKeys();
      await lake.ingestBatch(s3, BUCKET, 'b-20241120-b', second);
      const secondKeys = putKeys().slice(firstKeys.length);
      const stored = storedEvents(ctx, fake);
      const c = compareEvents([...first, ...second], stored.map((s) => s.event));
      if (isExact(c)) return;
      const shared = secondKeys.filter((k) => firstKeys.includes(k));
      ctx.fail(
        `After ingesting batch b-20241120-a (8 events) and then batch b-20241120-b (4 events on the same day), the bucket is ${describeComparison(c)}.` +
          (shared.length ? ` Both batches wrote ${list([...new Set(shared)])}: the second replaced the first's events. Put the batch id in the key (<prefix><batchId>.jsonl).` : ''),
      );
    });

    check('ingest-idempotent', 'Sending the same batch again changes nothing', async (ctx) => {
      const { fake, s3, lake } = open(ctx);
      const events = middayEvents('e-i', 'web-logs', [['2024-11-21', 4], ['2024-11-22', 2]]);
      await lake.ingestBatch(s3, BUCKET, 'b-20241122-r', events);
      const keysAfterFirst = fake.keys(BUCKET);
      await lake.ingestBatch(s3, BUCKET, 'b-20241122-r', events);
      const keysAfterRetry = fake.keys(BUCKET);
      const extra = keysAfterRetry.filter((k) => !keysAfterFirst.includes(k));
      if (extra.length) {
        ctx.fail(`Sending batch b-20241122-r a second time wrote new objects (${list(extra)}) next to the first ones: the same batch must produce the same keys, so a retry replaces instead of adding.`);
      }
      const stored = storedEvents(ctx, fake);
      const c = compareEvents(events, stored.map((s) => s.event));
      if (!isExact(c)) {
        ctx.fail(
          `After sending batch b-20241122-r twice (an upstream retry), the bucket holds ${count(stored.length, 'event')} instead of ${events.length}: ${describeComparison(c)}. ` +
            'The retry must leave the bucket as the first call left it: write the same keys with the same bodies (PutObject replaces an object); never read and append.',
        );
      }
    });

    check('ingest-empty-batch', 'An empty batch writes nothing', async (ctx) => {
      const { fake, s3, lake } = open(ctx);
      const returned = await lake.ingestBatch(s3, BUCKET, 'b-20241123-empty', []);
      const puts = ctx.env.trace.calls('s3', 'PutObject');
      if (puts.length) {
        ctx.fail(`An empty batch must write nothing; your code sent ${count(puts.length, 'PutObject request')} (${list(puts.map((p) => String((p.input as { Key?: string }).Key)))}). Empty objects are small files too.`);
      }
      if (!Array.isArray(returned) || returned.length !== 0) ctx.fail(`For an empty batch ingestBatch must return []; it returned ${describe(returned)}.`);
      if (fake.keys(BUCKET).length) ctx.fail(`An empty batch left objects in the bucket: ${list(fake.keys(BUCKET))}.`);
    });
  });

  step(3, () => {
    check('list-partitions-sorted', 'Every day partition of the source, once, sorted', async (ctx) => {
      const { fake, s3, lake } = open(ctx);
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
          seedObjects(fake, [{ key: `${dayPrefix(source, day)}b-${o}.jsonl`, events: [clickEvent(`e-${source}-${day}-${o}`, source, `${day}T12:00:00Z`)] }]);
        }
      }
      for (const source of ['web-logs', 'transaction-data', 'mobile-app']) {
        const expected = [...new Set(layout.filter(([s]) => s === source).map(([s, d]) => dayPrefix(s, d)))].sort();
        const got = expectStrings(ctx, await lake.listPartitions(s3, BUCKET, source), `listPartitions(s3, bucket, '${source}')`);
        const problem = explainPartitions(got, expected, source);
        if (problem) ctx.fail(problem);
      }
    });

    check('list-partitions-past-1000', 'Finds the partitions past the first 1,000 keys', async (ctx) => {
      const { fake, s3, lake } = open(ctx);
      const days = ['2024-04-01', '2024-04-02', '2024-04-03', '2024-04-04', '2024-04-05', '2024-04-06'];
      for (const day of days) {
        for (let i = 0; i < 400; i++) {
          fake.putObject(BUCKET, `${dayPrefix('web-logs', day)}b-${String(i).padStart(4, '0')}.jsonl`, `{"eventId":"e-${day}-${i}"}\n`);
        }
      }
      fake.putObject(BUCKET, `${dayPrefix('transaction-data', '2024-04-07')}b-0000.jsonl`, '{"eventId":"e-t"}\n');
      const expected = days.map((d) => dayPrefix('web-logs', d));
      const got = expectStrings(ctx, await lake.listPartitions(s3, BUCKET, 'web-logs'), "listPartitions(s3, bucket, 'web-logs')");
      const found = expected.filter((p) => got.includes(p));
      if (found.length < expected.length) {
        const lists = ctx.env.trace.calls('s3', 'ListObjectsV2').length;
        ctx.fail(
          `listPartitions found ${found.length} of ${expected.length} partitions of web-logs; missing ${list(expected.filter((p) => !got.includes(p)))}. ` +
            `The source holds 2,400 objects and one ListObjectsV2 response carries at most 1,000 keys; your code made ${count(lists, 'ListObjectsV2 call')}. ` +
            'While a response says IsTruncated, ask again with its NextContinuationToken (or use paginateListObjectsV2).',
        );
      }
      const problem = explainPartitions(got, expected, 'web-logs');
      if (problem) ctx.fail(problem);
    });
  });

  step(4, () => {
    check('read-range-inclusive', 'Returns every event of fromDay..toDay, both inclusive', async (ctx) => {
      const { fake, s3, lake } = open(ctx);
      const { byDay } = seedReadFixture(fake);
      for (const [from, to] of [['2023-12-31', '2024-01-02'], ['2024-01-03', '2024-01-03'], ['2024-01-20', '2024-01-25']] as const) {
        const got = await lake.readRange(s3, BUCKET, 'web-logs', from, to);
        const problem = explainRange(eventsOfDays(byDay, from, to), got, from, to);
        if (problem) ctx.fail(problem);
      }
    });

    check('read-range-pruning', 'Reads no object outside the range (partition pruning)', async (ctx) => {
      const { fake, s3, lake } = open(ctx);
      const { keys } = seedReadFixture(fake);
      const [from, to] = ['2023-12-31', '2024-01-02'];
      await lake.readRange(s3, BUCKET, 'web-logs', from, to);
      const allowed = ['2023-12-31', '2024-01-01', '2024-01-02'].map((d) => dayPrefix('web-logs', d));
      const gets = ctx.env.trace.calls('s3', 'GetObject').map((c) => String((c.input as { Key?: string }).Key));
      const outside = [...new Set(gets.filter((k) => !allowed.some((p) => k.startsWith(p))))];
      if (outside.length) {
        ctx.fail(
          `For ${from}..${to}, your code read ${count(outside.length, 'object')} outside the range: ${list(outside, 3)}. ` +
            'Partition pruning means deciding from the key which partitions can hold the range, and reading only objects there (listing is fine; GetObject outside the range is what costs).',
        );
      }
      const inside = keys.filter((k) => allowed.some((p) => k.startsWith(p)));
      if (!gets.some((k) => inside.includes(k))) {
        ctx.fail(`For ${from}..${to}, your code read no object at all, but ${count(inside.length, 'object')} of web-logs lie in the range (${list(inside, 2)}).`);
      }
    });
  });

  step(5, () => {
    const P = dayPrefix('web-logs', '2024-01-16');

    check('compact-merges-partition', 'Merges the partition into one object holding every event once', async (ctx) => {
      const { fake, s3, lake } = open(ctx);
      const sources = [3, 5, 2, 4].map((size, b) => ({
        key: `${P}b-20240116-${b + 1}.jsonl`,
        events: middayEvents(`e-c${b + 1}`, 'web-logs', [['2024-01-16', size]]),
        finalNewline: b !== 2, // JSON Lines may end without a newline
      }));
      seedObjects(fake, sources);
      const neighbours = [dayPrefix('web-logs', '2024-01-15'), dayPrefix('web-logs', '2024-01-17'), dayPrefix('transaction-data', '2024-01-16')];
      seedObjects(fake, [
        { key: `${neighbours[0]}b-20240115-1.jsonl`, events: middayEvents('e-n1', 'web-logs', [['2024-01-15', 2]]) },
        { key: `${neighbours[0]}b-20240115-2.jsonl`, events: middayEvents('e-n2', 'web-logs', [['2024-01-15', 1]]) },
        { key: `${neighbours[1]}b-20240117-1.jsonl`, events: middayEvents('e-n3', 'web-logs', [['2024-01-17', 2]]) },
        { key: `${neighbours[2]}b-20240116-1.jsonl`, events: middayEvents('e-n4', 'transaction-data', [['2024-01-16', 2]]) },
        { key: `${neighbours[2]}b-20240116-2.jsonl`, events: middayEvents('e-n5', 'transaction-data', [['2024-01-16', 2]]) },
      ]);
      const before = bodiesUnder(fake, neighbours);
      const returned = await compact(ctx, lake, s3, P);
      expectMerged(ctx, fake, P, returned, sources.flatMap((s) => s.events), sources.map((s) => s.key));
      expectUntouched(ctx, fake, before, 'another partition');
    });

    check(
      'compact-keeps-sources-on-failed-write',
      'If the merged write fails, no source is deleted',
      async (ctx) => {
        const { fake, s3, lake } = open(ctx);
        const sources = [4, 3, 2].map((size, b) => ({
          key: `${P}b-20240116-${b + 1}.jsonl`,
          events: middayEvents(`e-f${b + 1}`, 'web-logs', [['2024-01-16', size]]),
        }));
        seedObjects(fake, sources);
        const before = bodiesUnder(fake, [P]);
        ctx.env.faults.add({
          service: 's3',
          operation: 'PutObject',
          when: (input) => String(input.Key ?? '').startsWith(P),
          times: Infinity,
          fault: Faults.internalError,
        });
        let thrown: unknown;
        try {
          await lake.compactPartition(s3, BUCKET, P);
        } catch (error) {
          thrown = error; // Throwing is fine: the write failed.
        }
        const attempted = ctx.env.trace.calls('s3', 'PutObject').length;
        const gone = [...before.keys()].filter((k) => fake.getObjectText(BUCKET, k) !== before.get(k));
        if (gone.length) {
          const lost = sources.filter((s) => gone.includes(s.key)).flatMap((s) => s.events);
          ctx.fail(
            `Every PutObject into ${P} failed (InternalError 500, injected by this check), yet your code deleted or changed ${list(gone)}: ${count(lost.length, 'event')} are gone (${list(lost.map((e) => e.eventId))}). ` +
              'Write the merged object first and delete the sources only after that write succeeded.',
          );
        }
        if (!attempted) {
          ctx.fail(`compactPartition(${P}) made no attempt to write a merged object for a partition with 3 sources${thrown ? ` (it threw ${describe((thrown as Error).message)})` : ''}.`);
        }
      },
      // Room for a learner's retries with backoff (real timers) before the write is given up.
      { points: 2, timeoutMs: 8000 },
    );

    check('compact-over-1000-objects', 'Compacts a partition of more than 1,000 objects', async (ctx) => {
      const { fake, s3, lake } = open(ctx);
      const events = middayEvents('e-k', 'web-logs', [['2024-01-16', 1100]]);
      const sources = events.map((event, i) => ({ key: `${P}b-${String(i).padStart(5, '0')}.jsonl`, events: [event] }));
      seedObjects(fake, sources);
      const neighbour = dayPrefix('web-logs', '2024-01-17');
      seedObjects(fake, [{ key: `${neighbour}b-00000.jsonl`, events: middayEvents('e-kn', 'web-logs', [['2024-01-17', 1]]) }]);
      const before = bodiesUnder(fake, [neighbour]);
      const returned = await compact(ctx, lake, s3, P);
      expectMerged(ctx, fake, P, returned, events, sources.map((s) => s.key));
      expectUntouched(ctx, fake, before, 'another partition');
    });

    check('compact-leaves-small-partitions', 'Leaves a partition with one object or none alone', async (ctx) => {
      const { fake, s3, lake } = open(ctx);
      const single = `${P}b-20240116-1.jsonl`;
      seedObjects(fake, [{ key: single, events: middayEvents('e-s', 'web-logs', [['2024-01-16', 3]]) }]);
      const body = fake.getObjectText(BUCKET, single);
      const returned = await lake.compactPartition(s3, BUCKET, P);
      const writes = () =>
        ['PutObject', 'CopyObject', 'DeleteObject', 'DeleteObjects'].flatMap((op) => ctx.env.trace.calls('s3', op)).map(describeWrite);
      if (writes().length) {
        ctx.fail(`${P} holds a single object, which is already as compact as it gets; your code still sent ${list(writes())}. Leave a partition with one source alone.`);
      }
      if (fake.keys(BUCKET, P).join() !== single || fake.getObjectText(BUCKET, single) !== body) {
        ctx.fail(`${P} held only ${single}; after compactPartition it holds ${list(fake.keys(BUCKET, P))}. Leave a partition with one source alone.`);
      }
      if (returned !== single) ctx.fail(`For a partition with one source, compactPartition must return that source's key ('${single}'); it returned ${describe(returned)}.`);

      const empty = dayPrefix('web-logs', '2024-01-18');
      const none = await lake.compactPartition(s3, BUCKET, empty);
      if (writes().length) ctx.fail(`${empty} is empty, yet your code sent ${list(writes())}. An empty partition is left alone.`);
      if (none !== '') ctx.fail(`For an empty partition compactPartition must return ''; it returned ${describe(none)}.`);
    });
  });
});

/** 'PutObject raw/…/x.jsonl', 'DeleteObjects of 3 keys': a write request from the trace, for messages. */
function describeWrite(entry: { operation: string; input: unknown }): string {
  const input = (entry.input ?? {}) as { Key?: string; Delete?: { Objects?: unknown[] } };
  if (entry.operation === 'DeleteObjects') {
    const n = Array.isArray(input.Delete?.Objects) ? input.Delete.Objects.length : 0;
    return `DeleteObjects of ${count(n, 'key')}`;
  }
  return `${entry.operation} ${input.Key ?? ''}`;
}

/** Fails unless `got` is exactly the expected partitions, sorted, each once, saying what differs. */
export function explainPartitions(got: readonly string[], expected: readonly string[], source: string): string | undefined {
  if (got.join('|') === expected.join('|')) return undefined;
  const call = `listPartitions(s3, bucket, '${source}')`;
  const malformed = got.filter((p) => !/^raw\/[^/]+\/year=\d{4}\/month=\d{2}\/day=\d{2}\/$/.test(p));
  if (malformed.length) {
    return `${call} returned ${list(malformed.map((p) => `'${p}'`))}: each entry is a full day prefix such as '${expected[0] ?? dayPrefix(source, '2024-01-01')}' (with the final '/').`;
  }
  const repeated = [...new Set(got.filter((p, i) => got.indexOf(p) !== i))];
  if (repeated.length) {
    return `${call} lists ${list(repeated)} more than once: one entry per day partition, however many objects it holds.`;
  }
  const foreign = got.filter((p) => !p.startsWith(`raw/${source}/`));
  if (foreign.length) {
    return `${call} returned partitions of other sources: ${list(foreign)}. List under 'raw/${source}/', with the trailing slash.`;
  }
  const missing = expected.filter((p) => !got.includes(p));
  const extra = got.filter((p) => !expected.includes(p));
  if (missing.length || extra.length) {
    return `${call} returned ${got.length ? list(got) : '[]'}; expected ${expected.length ? list(expected) : '[] (the source has no objects)'}.${missing.length ? ` Missing: ${list(missing)}.` : ''}${extra.length ? ` No object lies under: ${list(extra)}.` : ''}`;
  }
  return `${call} returned the right partitions in the wrong order (${list(got)}): sort them, so that they come in date order.`;
}

/**
 * After a compaction of `prefix` whose .jsonl sources held `events`: one merged .jsonl object
 * directly in the partition, returned, holding every event once; every source gone.
 */
export function expectMerged(
  ctx: Context,
  fake: FakeS3,
  prefix: string,
  returned: unknown,
  events: readonly ClickEvent[],
  sourceKeys: readonly string[],
  others: readonly string[] = [],
): void {
  if (typeof returned !== 'string' || !returned.startsWith(prefix) || returned.slice(prefix.length).includes('/') || !returned.endsWith('.jsonl')) {
    ctx.fail(`compactPartition must return the key of the merged object, '${prefix}<name>.jsonl' directly in the partition; it returned ${describe(returned)}.`);
  }
  const present = fake.keys(BUCKET, prefix).filter((k) => !others.includes(k));
  if (!present.includes(returned)) ctx.fail(`compactPartition returned '${returned}', but there is no such object: write the merged object there.`);
  const leftover = present.filter((k) => k !== returned && sourceKeys.includes(k));
  const strays = present.filter((k) => k !== returned && !sourceKeys.includes(k));
  const { events: merged, problem } = parseJsonLines(fake.getObjectText(BUCKET, returned) ?? '', returned);
  if (problem) ctx.fail(problem);
  const c = compareEvents(events, merged);
  if (!isExact(c)) {
    const pages = c.missing.length && merged.length === 1000 ? ' Exactly 1,000 events made it: the sources after the first page of the listing were never read. Follow NextContinuationToken.' : '';
    ctx.fail(`The merged object ${returned} should hold the ${count(events.length, 'event')} of the ${count(sourceKeys.length, 'source')}, each once; it holds ${count(merged.length, 'event')}: ${describeComparison(c)}.${pages}`);
  }
  if (leftover.length) {
    ctx.fail(`After compaction ${count(leftover.length, 'merged source')} ${leftover.length === 1 ? 'is' : 'are'} still in the partition (${list(leftover, 3)}): delete the sources once the merged object is written, or their events are counted twice.`);
  }
  if (strays.length) ctx.fail(`After compaction the partition holds objects besides the merged one: ${list(strays, 3)}. Write one merged object.`);
}
