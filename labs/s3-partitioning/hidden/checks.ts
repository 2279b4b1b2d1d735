// Hidden checks of the s3-partitioning lab (CLI only, never in the browser bundle): the rules of
// the steps again, on fixtures drawn from the seed (days, offsets, batch ids, counts), so that
// passing means following the rules rather than matching the examples. Every seed includes
// timestamps whose written and local days differ from the UTC day in both directions, a month
// end, and single-digit months or days.

import { between, count, describe, fail, hex, list, pick } from 'whetstone/checks';
import type { Random } from 'whetstone/checks';
import { Faults } from 'whetstone/aws/env';
import { lab } from '../checks.ts';
import type { Context } from '../checks.ts';
import { BOUNDARY_DAYS, BUCKET, addDays, batchId, bodiesUnder, clickEvent, dayPrefix, expectedPrefix, nextDay, seedObjects, seededEvents, trickyTimestamp } from '../fixtures.ts';
import type { ClickEvent } from '../fixtures.ts';
import {
  compact,
  compareEvents,
  describeComparison,
  expectMerged,
  expectPartitions,
  expectPlacement,
  expectPrefixes,
  expectPruned,
  expectStrings,
  expectUntouched,
  explainPartitions,
  explainRange,
  isExact,
  keysOf,
  storedEvents,
} from '../grading.ts';

/** A run of 3–5 consecutive days that always crosses a month end (so it holds a day=01). */
function daysAcrossMonthEnd(random: Random): string[] {
  const monthEnds = BOUNDARY_DAYS.filter((d) => nextDay(d).endsWith('-01'));
  const back = between(random, 0, 2);
  const start = addDays(pick(random, monthEnds), -back);
  const span = back + between(random, 2, 3);
  return Array.from({ length: span }, (_, i) => addDays(start, i));
}

function randomDay(random: Random, from = '2019-01-01', spanDays = 4380): string {
  return addDays(from, between(random, 0, spanDays));
}

/** Batches of `perDay` seeded events on `day`, each under its own batch id. */
function seededBatches(random: Random, day: string, n: number, perDay: [number, number]) {
  const P = dayPrefix('web-logs', day);
  return Array.from({ length: n }, () => ({
    key: `${P}${batchId(random, day)}.jsonl`,
    events: seededEvents(random, { days: [day], sources: ['web-logs'], perDay, idPrefix: `e-${hex(random, 3)}` }),
    finalNewline: random() < 0.5,
  }));
}

/** One ingestBatch judged on every rule of step 2: events once, in place, one object per partition, keys returned. */
async function expectBatch({ fake, s3, lake, env }: Context, events: ClickEvent[], id: string): Promise<void> {
  const before = new Set(fake.keys(BUCKET));
  const putsBefore = env.trace.calls('s3', 'PutObject').length;
  const returned = expectStrings(await lake.ingestBatch(s3, BUCKET, id, events), 'ingestBatch');
  const expected = [...new Set(events.map(expectedPrefix))].map((p) => `${p}${id}.jsonl`).sort();
  const written = [...new Set(keysOf(env.trace.calls('s3', 'PutObject').slice(putsBefore)))].sort();
  const newKeys = fake.keys(BUCKET).filter((k) => !before.has(k));
  const stored = storedEvents(fake).filter((s) => newKeys.includes(s.key));
  const c = compareEvents(events, stored.map((s) => s.event));
  if (!isExact(c)) fail(`After batch ${id} (${count(events.length, 'event')}), its objects hold ${count(stored.length, 'event')}: ${describeComparison(c)}.`);
  expectPlacement(stored);
  if (newKeys.length > expected.length) {
    fail(
      `Batch ${id} (${count(events.length, 'event')}) touches ${count(expected.length, 'partition')}, so it is ${count(expected.length, 'object')}; your code added ${count(newKeys.length, 'object')} (${list(newKeys, 3)}). ` +
        (newKeys.length === events.length ? 'One object per event is the small-files problem: write one object per partition.' : 'Write one object per partition.'),
    );
  }
  if (written.join() !== expected.join()) {
    fail(`Batch ${id} should be written to ${list(expected)} (<partition prefix><batchId>.jsonl); your code wrote ${written.length ? list(written) : 'nothing'}.`);
  }
  if ([...returned].sort().join() !== expected.join()) fail(`ingestBatch returned ${describe(returned)} for batch ${id}; it must return the keys it wrote: ${list(expected)}.`);
}

/** A batch over a month end, then a second batch on the same days: both kept, each judged. */
async function expectSeededBatches(ctx: Context): Promise<void> {
  const random = ctx.env.random;
  const days = daysAcrossMonthEnd(random);
  const sources = ['web-logs', 'transaction-data'];
  const first = seededEvents(random, { days, sources, perDay: [8, 30], idPrefix: 'e-g' });
  const firstId = batchId(random, days.at(-1)!);
  await expectBatch(ctx, first, firstId);
  const second = seededEvents(random, { days: days.slice(1), sources, perDay: [2, 6], idPrefix: 'e-h' });
  const secondId = batchId(random, days.at(-1)!);
  await expectBatch(ctx, second, secondId);
  const c = compareEvents([...first, ...second], storedEvents(ctx.fake).map((s) => s.event));
  if (!isExact(c)) fail(`After batch ${firstId} and then batch ${secondId} on the same days, the bucket is ${describeComparison(c)}.`);
}

/** A source past 1,000 keys next to sources whose names start the same: each lists only its own. */
async function expectSiblingSources(ctx: Context): Promise<void> {
  const { fake, env } = ctx;
  const random = env.random;
  const start = randomDay(random, '2022-01-01', 1200);
  const webDays: string[] = [];
  for (let i = between(random, 4, 7), offset = 0; i > 0; i--, offset += between(random, 1, 3)) webDays.push(addDays(start, offset));
  // Enough objects that the last day starts after the first 1,000 keys.
  const perDay = Math.ceil(1050 / (webDays.length - 1)) + between(random, 0, 60);
  for (const day of webDays) {
    for (let i = 0; i < perDay; i++) fake.putObject(BUCKET, `${dayPrefix('web', day)}b-${String(i).padStart(4, '0')}.jsonl`, `{"eventId":"e-${i}"}\n`);
  }
  const siblings: [string, string[]][] = [
    ['web-archive', [addDays(start, -between(random, 30, 90)), addDays(start, -between(random, 1, 20))]],
    ['webhooks', [addDays(start, between(random, 1, 40))]],
  ];
  for (const [source, days] of siblings) {
    for (const day of days) fake.putObject(BUCKET, `${dayPrefix(source, day)}b-${hex(random, 4)}.jsonl`, '{"eventId":"e-x"}\n');
  }
  await expectPartitions(ctx, 'web', webDays.map((d) => dayPrefix('web', d)).sort(), ` (web holds ${count(perDay * webDays.length, 'object')}.)`);
  for (const [source, days] of siblings) await expectPartitions(ctx, source, [...new Set(days.map((d) => dayPrefix(source, d)))].sort());
  await expectPartitions(ctx, 'web-logs', []);
}

/** Fifty days of about 30 objects each: a range near the end, after the first 1,000 keys, read and pruned. */
async function expectSeededRange({ fake, s3, lake, env }: Context): Promise<void> {
  const random = env.random;
  const last = randomDay(random, '2024-03-01', 900);
  const byDay = new Map<string, ClickEvent[]>();
  let n = 0;
  for (let d = 49; d >= 0; d--) {
    const day = addDays(last, -d);
    const events: ClickEvent[] = [];
    const objects = between(random, 28, 34);
    for (let o = 0; o < objects; o++) {
      const batch: ClickEvent[] = [];
      for (let i = between(random, 1, 3); i > 0; i--) {
        batch.push(clickEvent(`e-q-${String(n++).padStart(5, '0')}`, 'web-logs', trickyTimestamp(random, day, pick(random, ['west', 'east', 'plain'] as const))));
      }
      seedObjects(fake, [{ key: `${dayPrefix('web-logs', day)}b-${day.replaceAll('-', '')}-${String(o).padStart(3, '0')}.jsonl`, events: batch, finalNewline: random() < 0.7 }]);
      events.push(...batch);
    }
    byDay.set(day, events);
  }
  const to = addDays(last, -between(random, 0, 3));
  const from = addDays(to, -between(random, 1, 5));
  const expected = [...byDay].filter(([day]) => day >= from && day <= to).flatMap(([, events]) => events);
  const problem = explainRange(expected, await lake.readRange(s3, BUCKET, 'web-logs', from, to), from, to);
  if (problem) fail(`${problem} (web-logs holds ${count(fake.keys(BUCKET).length, 'object')}; the range comes after the first 1,000 keys.)`);
  const allowed = [...byDay.keys()].filter((d) => d >= from && d <= to).map((d) => dayPrefix('web-logs', d));
  expectPruned(env, allowed, from, to, "Read only objects inside the range's partitions.");
}

/** Compact, add batches, compact again: the first merged object is a source like any other. */
async function expectCompactTwice(ctx: Context): Promise<void> {
  const { fake, env } = ctx;
  const random = env.random;
  const day = randomDay(random, '2023-01-01', 1000);
  const P = dayPrefix('web-logs', day);
  const early = seededBatches(random, day, 3, [2, 6]);
  seedObjects(fake, early);
  const firstKey = await compact(ctx, P);
  expectMerged(fake, P, firstKey, early.flatMap((b) => b.events), early.map((b) => b.key));
  const late = seededBatches(random, day, between(random, 1, 3), [2, 6]);
  seedObjects(fake, late);
  const sourcesNow = fake.keys(BUCKET, P);
  const all = [...early, ...late].flatMap((b) => b.events);
  const secondKey = await compact(ctx, P);
  if (!fake.keys(BUCKET, P).length) {
    fail(`The second compaction of ${P} (the merged ${String(firstKey)} plus ${count(late.length, 'new batch', 'new batches')}) left the partition empty: all ${count(all.length, 'event')} are gone. Never delete the object you have just written, even when it has a source's name.`);
  }
  expectMerged(fake, P, secondKey, all, sourcesNow);
}

/** A partition with a marker file, a sub-folder and neighbours that share its prefix: only its own .jsonl objects merge. */
async function expectOnlyJsonlMerged(ctx: Context): Promise<void> {
  const { fake, env } = ctx;
  const random = env.random;
  const day = pick(random, BOUNDARY_DAYS);
  const P = dayPrefix('web-logs', day);
  const sources = Array.from({ length: between(random, 2, 40) }, (_, i) => ({
    key: `${P}b-${hex(random, 4)}-${String(i).padStart(2, '0')}.jsonl`,
    events: seededEvents(random, { days: [day], sources: ['web-logs'], perDay: [1, 8], idPrefix: `e-m${i}` }),
    // Every seed has two sources without a final newline, so one of them is not the last listed.
    finalNewline: random() < 0.6 && i > 1,
  }));
  seedObjects(fake, sources);
  const marker = `${P}_SUCCESS`;
  const nested = `${P}tmp/part-00000.jsonl`;
  fake.putObject(BUCKET, marker, '');
  const nestedEvent = clickEvent(`e-tmp-${hex(random, 4)}`, 'web-logs', trickyTimestamp(random, day, 'plain'));
  seedObjects(fake, [{ key: nested, events: [nestedEvent] }]);
  const neighbours = [dayPrefix('web-logs', addDays(day, -1)), dayPrefix('web-logs-archive', day)];
  for (const prefix of neighbours) {
    seedObjects(fake, [
      { key: `${prefix}b-0001.jsonl`, events: [clickEvent(`e-nb-${hex(random, 4)}`, 'web-logs', trickyTimestamp(random, day, 'plain'))] },
      { key: `${prefix}b-0002.jsonl`, events: [clickEvent(`e-nb-${hex(random, 4)}`, 'web-logs', trickyTimestamp(random, day, 'plain'))] },
    ]);
  }
  const before = bodiesUnder(fake, neighbours);
  const kept = new Map([[marker, ''], [nested, fake.getObjectText(BUCKET, nested)!]]);
  const returned = await compact(ctx, P);
  expectUntouched(fake, kept, 'not a .jsonl object directly in the partition');
  expectUntouched(fake, before, 'another partition');
  const merged = typeof returned === 'string' ? (fake.getObjectText(BUCKET, returned) ?? '') : '';
  if (merged.includes(nestedEvent.eventId)) {
    fail(`The merged object holds ${nestedEvent.eventId}, which lives in ${nested}: only .jsonl objects directly in ${P} are sources, not those in sub-folders.`);
  }
  expectMerged(fake, P, returned, sources.flatMap((s) => s.events), sources.map((s) => s.key), [...kept.keys()]);
}

/** Another writer's batch lands while the merged object is written: it must survive. */
async function expectLateArrivalSpared(ctx: Context): Promise<void> {
  const { fake, env } = ctx;
  const random = env.random;
  const day = randomDay(random, '2023-01-01', 1000);
  const P = dayPrefix('web-logs', day);
  const sources = Array.from({ length: between(random, 2, 5) }, () => ({
    key: `${P}${batchId(random, day)}.jsonl`,
    events: seededEvents(random, { days: [day], sources: ['web-logs'], perDay: [2, 5], idPrefix: `e-${hex(random, 3)}` }),
  }));
  seedObjects(fake, sources);
  const lateKey = `${P}${batchId(random, nextDay(day))}.jsonl`;
  const lateEvents = seededEvents(random, { days: [day], sources: ['web-logs'], perDay: [2, 4], idPrefix: 'e-late' });
  let landed = false;
  // The fault plan sees every PutObject before S3 stores it: the learner's merged write is the
  // moment another writer's batch lands. The rule never injects a fault.
  env.faults.add({
    service: 's3',
    operation: 'PutObject',
    when: (input) => {
      if (!landed && String(input.Key ?? '').startsWith(P)) {
        landed = true;
        seedObjects(fake, [{ key: lateKey, events: lateEvents }]);
      }
      return false;
    },
    fault: Faults.internalError,
  });
  const returned = await compact(ctx, P);
  if (!landed) fail(`compactPartition(${P}) never wrote a merged object for a partition with ${count(sources.length, 'source')}.`);
  if (fake.getObjectText(BUCKET, lateKey) === undefined) {
    fail(
      `While your compaction of ${P} was writing its merged object, another writer's batch landed: ${lateKey} (${count(lateEvents.length, 'event')}). Your code deleted it, and its events are lost. ` +
        'Delete exactly the sources you read and merged, from that list; a new listing includes objects you never merged.',
    );
  }
  expectMerged(fake, P, returned, sources.flatMap((s) => s.events), sources.map((s) => s.key), [lateKey]);
}

/** Three batches (one sent twice), list, compact every partition, read the whole range back. */
async function expectRoundTrip(ctx: Context): Promise<void> {
  const { fake, s3, lake, env } = ctx;
  const random = env.random;
  const days = daysAcrossMonthEnd(random);
  const events = seededEvents(random, { days, sources: ['web-logs', 'transaction-data'], perDay: [6, 20], idPrefix: 'e-l' });
  const ids = [0, 1, 2].map(() => batchId(random, days.at(-1)!));
  const batches = ids.map((): ClickEvent[] => []);
  for (const e of events) batches[between(random, 0, 2)]!.push(e);
  for (let b = 0; b < 3; b++) await lake.ingestBatch(s3, BUCKET, ids[b]!, batches[b]!);
  await lake.ingestBatch(s3, BUCKET, ids[1]!, batches[1]!); // an upstream retry
  const story = `After ingesting batches ${ids.join(', ')} (${count(events.length, 'event')} over ${days[0]}..${days.at(-1)}; the second one sent twice)`;

  const web = events.filter((e) => e.source === 'web-logs');
  const partitions = expectStrings(await lake.listPartitions(s3, BUCKET, 'web-logs'), 'listPartitions');
  const listed = explainPartitions(partitions, [...new Set(web.map(expectedPrefix))].sort(), 'web-logs');
  if (listed) fail(`${story}: ${listed}`);
  for (const P of partitions) await compact(ctx, P);
  const crowded = partitions.filter((P) => fake.keys(BUCKET, P).length !== 1);
  if (crowded.length) {
    fail(`${story} and compacting every web-logs partition, each should hold one object; ${list(crowded.map((P) => `${P} holds ${fake.keys(BUCKET, P).length}`))}.`);
  }
  const problem = explainRange(web, await lake.readRange(s3, BUCKET, 'web-logs', days[0]!, days.at(-1)!), days[0]!, days.at(-1)!);
  if (problem) fail(`${story} and compacting: ${problem}`);
}

/** 48 events from all over the world, half on days where calendars turn over. */
function worldEvents(random: Random): ClickEvent[] {
  const sources = ['web-logs', 'transaction-data', 'mobile-app-v2', 'pos_terminals'];
  const kinds = ['west', 'east', 'plain'] as const;
  return Array.from({ length: 48 }, (_, i) =>
    clickEvent(`e-s-${hex(random, 6)}`, pick(random, sources), trickyTimestamp(random, i % 2 === 0 ? pick(random, BOUNDARY_DAYS) : randomDay(random), kinds[i % 3]!)),
  );
}

export default lab.checks(({ step, check }) => {
  step(1, () => {
    check('prefix-utc-seeded', 'UTC days for timestamps from all over the world', ({ lake, env }) => expectPrefixes(lake, worldEvents(env.random)));
  });

  step(2, () => {
    check('ingest-seeded-batch', 'Batches over a month end, two sources, and a second batch on the same days', (ctx) => expectSeededBatches(ctx));
  });

  step(3, () => {
    check('list-partitions-sibling-source', 'Only the source asked for, past 1,000 keys, even next to similar names', (ctx) => expectSiblingSources(ctx));
  });

  step(4, () => {
    check('read-range-seeded', 'A range late in a source of more than 1,000 objects, pruned', (ctx) => expectSeededRange(ctx));
  });

  step(5, () => {
    check('compact-twice', 'Compacting again after new batches keeps every event exactly once', (ctx) => expectCompactTwice(ctx));
    check('compact-seeded', 'Merges only the .jsonl objects directly in the partition', (ctx) => expectOnlyJsonlMerged(ctx));
    check('compact-spares-late-arrivals', 'A batch that lands during compaction survives', (ctx) => expectLateArrivalSpared(ctx));
    check('lake-round-trip', 'A day in the life: ingest, retry, list, compact, read', (ctx) => expectRoundTrip(ctx));
  });
});
