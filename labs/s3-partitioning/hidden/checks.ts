// Hidden checks of the s3-partitioning lab (CLI only, never in the browser bundle): the rules of
// the steps again, on fixtures drawn from the seed (days, offsets, batch ids, counts), so that
// passing means following the rules rather than matching the examples. Every seed includes
// timestamps whose written and local days differ from the UTC day in both directions, a month
// end, and single-digit months or days.

import { Faults } from '../../../grader/aws/env.ts';
import type { FakeS3 } from '../../../grader/aws/s3.ts';
import {
  bodiesUnder,
  compact,
  expectMerged,
  expectPlacement,
  expectStrings,
  expectUntouched,
  explainPartitions,
  explainRange,
  lab,
  open,
  seedObjects,
  storedEvents,
} from '../checks.ts';
import type { Context } from '../checks.ts';
import {
  BOUNDARY_DAYS,
  BUCKET,
  addDays,
  batchId,
  clickEvent,
  compareEvents,
  count,
  dayPrefix,
  describe,
  describeComparison,
  expectedPrefix,
  explainPrefix,
  hex,
  int,
  isExact,
  list,
  nextDay,
  pick,
  seededEvents,
  trickyTimestamp,
} from '../fixtures.ts';
import type { ClickEvent, Random } from '../fixtures.ts';

/** A run of 3–5 consecutive days that always crosses a month end (so it holds a day=01). */
function daysAcrossMonthEnd(random: Random): string[] {
  const monthEnds = BOUNDARY_DAYS.filter((d) => nextDay(d).endsWith('-01'));
  const back = int(random, 0, 2);
  const start = addDays(pick(random, monthEnds), -back);
  const span = back + int(random, 2, 3);
  return Array.from({ length: span }, (_, i) => addDays(start, i));
}

function randomDay(random: Random, from = '2019-01-01', spanDays = 4380): string {
  return addDays(from, int(random, 0, spanDays));
}

/** The keys a batch must produce, sorted. */
function keysOf(events: readonly ClickEvent[], id: string): string[] {
  return [...new Set(events.map(expectedPrefix))].map((p) => `${p}${id}.jsonl`).sort();
}

async function expectBatch(ctx: Context, fake: FakeS3, run: () => Promise<unknown>, events: readonly ClickEvent[], id: string): Promise<void> {
  const before = new Set(fake.keys(BUCKET));
  const putsBefore = ctx.env.trace.calls('s3', 'PutObject').length;
  const returned = expectStrings(ctx, await run(), 'ingestBatch');
  const expected = keysOf(events, id);
  const written = [...new Set(ctx.env.trace.calls('s3', 'PutObject').slice(putsBefore).map((c) => String((c.input as { Key?: string }).Key)))].sort();
  const newKeys = fake.keys(BUCKET).filter((k) => !before.has(k));
  const stored = storedEvents(ctx, fake).filter((s) => newKeys.includes(s.key));
  const c = compareEvents(events, stored.map((s) => s.event));
  if (!isExact(c)) ctx.fail(`After batch ${id} (${count(events.length, 'event')}), its objects hold ${count(stored.length, 'event')}: ${describeComparison(c)}.`);
  expectPlacement(ctx, stored);
  if (newKeys.length > expected.length) {
    ctx.fail(
      `Batch ${id} (${count(events.length, 'event')}) touches ${count(expected.length, 'partition')}, so it is ${count(expected.length, 'object')}; your code added ${count(newKeys.length, 'object')} (${list(newKeys, 3)}). ` +
        (newKeys.length === events.length ? 'One object per event is the small-files problem: write one object per partition.' : 'Write one object per partition.'),
    );
  }
  if (written.join() !== expected.join()) {
    ctx.fail(`Batch ${id} should be written to ${list(expected)} (<partition prefix><batchId>.jsonl); your code wrote ${written.length ? list(written) : 'nothing'}.`);
  }
  if ([...returned].sort().join() !== expected.join()) {
    ctx.fail(`ingestBatch returned ${describe(returned)} for batch ${id}; it must return the keys it wrote: ${list(expected)}.`);
  }
}

export default lab.checks(({ step, check }) => {
  step(1, () => {
    check('prefix-utc-seeded', 'UTC days for timestamps from all over the world', (ctx) => {
      const { lake } = open(ctx);
      const random = ctx.env.random;
      const sources = ['web-logs', 'transaction-data', 'mobile-app-v2', 'pos_terminals'];
      const kinds = ['west', 'east', 'plain'] as const;
      const events = Array.from({ length: 48 }, (_, i) =>
        clickEvent(
          `e-s-${hex(random, 6)}`,
          pick(random, sources),
          trickyTimestamp(random, i % 2 === 0 ? pick(random, BOUNDARY_DAYS) : randomDay(random), kinds[i % 3]!),
        ),
      );
      const problems = events.map((e) => explainPrefix(e, lake.partitionPrefix(e))).filter((p) => p !== undefined);
      if (problems.length) {
        ctx.fail(problems[0]! + (problems.length > 1 ? ` (${count(problems.length - 1, 'more event')} of ${events.length} are misfiled too.)` : ''));
      }
    });
  });

  step(2, () => {
    check('ingest-seeded-batch', 'Batches over a month end, two sources, and a second batch on the same days', async (ctx) => {
      const { fake, s3, lake } = open(ctx);
      const random = ctx.env.random;
      const days = daysAcrossMonthEnd(random);
      const sources = ['web-logs', 'transaction-data'];
      const first = seededEvents(random, { days, sources, perDay: [8, 30], idPrefix: 'e-g' });
      const firstId = batchId(random, days.at(-1)!);
      await expectBatch(ctx, fake, () => lake.ingestBatch(s3, BUCKET, firstId, first), first, firstId);

      const second = seededEvents(random, { days: days.slice(1), sources, perDay: [2, 6], idPrefix: 'e-h' });
      const secondId = batchId(random, days.at(-1)!);
      await expectBatch(ctx, fake, () => lake.ingestBatch(s3, BUCKET, secondId, second), second, secondId);
      const both = storedEvents(ctx, fake);
      const c2 = compareEvents([...first, ...second], both.map((s) => s.event));
      if (!isExact(c2)) ctx.fail(`After batch ${firstId} and then batch ${secondId} on the same days, the bucket is ${describeComparison(c2)}.`);
    });
  });

  step(3, () => {
    check('list-partitions-sibling-source', 'Only the source asked for, past 1,000 keys, even next to similar names', async (ctx) => {
      const { fake, s3, lake } = open(ctx);
      const random = ctx.env.random;
      const start = randomDay(random, '2022-01-01', 1200);
      const webDays: string[] = [];
      for (let i = int(random, 4, 7), offset = 0; i > 0; i--, offset += int(random, 1, 3)) webDays.push(addDays(start, offset));
      // Enough objects that the last day starts after the first 1,000 keys.
      const perDay = Math.ceil(1050 / (webDays.length - 1)) + int(random, 0, 60);
      for (const day of webDays) {
        for (let i = 0; i < perDay; i++) fake.putObject(BUCKET, `${dayPrefix('web', day)}b-${String(i).padStart(4, '0')}.jsonl`, `{"eventId":"e-${i}"}\n`);
      }
      const siblings: [string, string[]][] = [
        ['web-archive', [addDays(start, -int(random, 30, 90)), addDays(start, -int(random, 1, 20))]],
        ['webhooks', [addDays(start, int(random, 1, 40))]],
      ];
      for (const [source, days] of siblings) {
        for (const day of days) fake.putObject(BUCKET, `${dayPrefix(source, day)}b-${hex(random, 4)}.jsonl`, '{"eventId":"e-x"}\n');
      }
      const cases: [string, string[]][] = [
        ['web', webDays.map((d) => dayPrefix('web', d)).sort()],
        ...siblings.map(([source, days]): [string, string[]] => [source, [...new Set(days.map((d) => dayPrefix(source, d)))].sort()]),
        ['web-logs', []],
      ];
      for (const [source, expected] of cases) {
        const got = expectStrings(ctx, await lake.listPartitions(s3, BUCKET, source), `listPartitions(s3, bucket, '${source}')`);
        const problem = explainPartitions(got, expected, source);
        if (problem) ctx.fail(problem + (source === 'web' ? ` (web holds ${count(perDay * webDays.length, 'object')}.)` : ''));
      }
    });
  });

  step(4, () => {
    check('read-range-seeded', 'A range late in a source of more than 1,000 objects, pruned', async (ctx) => {
      const { fake, s3, lake } = open(ctx);
      const random = ctx.env.random;
      const last = randomDay(random, '2024-03-01', 900);
      const byDay = new Map<string, ClickEvent[]>();
      let n = 0;
      for (let d = 49; d >= 0; d--) {
        const day = addDays(last, -d);
        const events: ClickEvent[] = [];
        const objects = int(random, 28, 34);
        for (let o = 0; o < objects; o++) {
          const batch: ClickEvent[] = [];
          for (let i = int(random, 1, 3); i > 0; i--) {
            batch.push(clickEvent(`e-q-${String(n++).padStart(5, '0')}`, 'web-logs', trickyTimestamp(random, day, pick(random, ['west', 'east', 'plain'] as const))));
          }
          seedObjects(fake, [{ key: `${dayPrefix('web-logs', day)}b-${day.replaceAll('-', '')}-${String(o).padStart(3, '0')}.jsonl`, events: batch, finalNewline: random() < 0.7 }]);
          events.push(...batch);
        }
        byDay.set(day, events);
      }
      const to = addDays(last, -int(random, 0, 3));
      const from = addDays(to, -int(random, 1, 5));
      const expected = [...byDay].filter(([day]) => day >= from && day <= to).flatMap(([, events]) => events);
      const got = await lake.readRange(s3, BUCKET, 'web-logs', from, to);
      const problem = explainRange(expected, got, from, to);
      if (problem) ctx.fail(`${problem} (web-logs holds ${count(fake.keys(BUCKET).length, 'object')}; the range comes after the first 1,000 keys.)`);
      const allowed = Object.keys(Object.fromEntries(byDay)).filter((d) => d >= from && d <= to).map((d) => dayPrefix('web-logs', d));
      const outside = [...new Set(ctx.env.trace.calls('s3', 'GetObject').map((c) => String((c.input as { Key?: string }).Key)).filter((k) => !allowed.some((p) => k.startsWith(p))))];
      if (outside.length) ctx.fail(`For ${from}..${to}, your code read ${count(outside.length, 'object')} outside the range (${list(outside, 3)}): read only objects inside the range's partitions.`);
    });
  });

  step(5, () => {
    check('compact-twice', 'Compacting again after new batches keeps every event exactly once', async (ctx) => {
      const { fake, s3, lake } = open(ctx);
      const random = ctx.env.random;
      const day = randomDay(random, '2023-01-01', 1000);
      const P = dayPrefix('web-logs', day);
      const batches = (n: number) =>
        Array.from({ length: n }, () => ({
          key: `${P}${batchId(random, day)}.jsonl`,
          events: seededEvents(random, { days: [day], sources: ['web-logs'], perDay: [2, 6], idPrefix: `e-${hex(random, 3)}` }),
          finalNewline: random() < 0.5,
        }));
      const early = batches(3);
      seedObjects(fake, early);
      const firstKey = await compact(ctx, lake, s3, P);
      expectMerged(ctx, fake, P, firstKey, early.flatMap((b) => b.events), early.map((b) => b.key));

      const late = batches(int(random, 1, 3));
      seedObjects(fake, late);
      const sourcesNow = fake.keys(BUCKET, P);
      const all = [...early, ...late].flatMap((b) => b.events);
      const secondKey = await compact(ctx, lake, s3, P);
      if (!fake.keys(BUCKET, P).length) {
        ctx.fail(`The second compaction of ${P} (the merged ${String(firstKey)} plus ${late.length} new batch${late.length === 1 ? '' : 'es'}) left the partition empty: all ${count(all.length, 'event')} are gone. Never delete the object you have just written, even when it has a source's name.`);
      }
      expectMerged(ctx, fake, P, secondKey, all, sourcesNow);
    });

    check('compact-seeded', 'Merges only the .jsonl objects directly in the partition', async (ctx) => {
      const { fake, s3, lake } = open(ctx);
      const random = ctx.env.random;
      const day = pick(random, BOUNDARY_DAYS);
      const P = dayPrefix('web-logs', day);
      const sources = Array.from({ length: int(random, 2, 40) }, (_, i) => ({
        key: `${P}b-${hex(random, 4)}-${String(i).padStart(2, '0')}.jsonl`,
        events: seededEvents(random, { days: [day], sources: ['web-logs'], perDay: [1, 8], idPrefix: `e-m${i}` }),
        finalNewline: random() < 0.6,
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
      const returned = await compact(ctx, lake, s3, P);
      expectUntouched(ctx, fake, kept, 'not a .jsonl object directly in the partition');
      expectUntouched(ctx, fake, before, 'another partition');
      const merged = typeof returned === 'string' ? (fake.getObjectText(BUCKET, returned) ?? '') : '';
      if (merged.includes(nestedEvent.eventId)) {
        ctx.fail(`The merged object holds ${nestedEvent.eventId}, which lives in ${nested}: only .jsonl objects directly in ${P} are sources, not those in sub-folders.`);
      }
      expectMerged(ctx, fake, P, returned, sources.flatMap((s) => s.events), sources.map((s) => s.key), [...kept.keys()]);
    });

    check('compact-spares-late-arrivals', 'A batch that lands during compaction survives', async (ctx) => {
      const { fake, s3, lake } = open(ctx);
      const random = ctx.env.random;
      const day = randomDay(random, '2023-01-01', 1000);
      const P = dayPrefix('web-logs', day);
      const sources = Array.from({ length: int(random, 2, 5) }, () => ({
        key: `${P}${batchId(random, day)}.jsonl`,
        events: seededEvents(random, { days: [day], sources: ['web-logs'], perDay: [2, 5], idPrefix: `e-${hex(random, 3)}` }),
      }));
      seedObjects(fake, sources);
      const lateKey = `${P}${batchId(random, nextDay(day))}.jsonl`;
      const lateEvents = seededEvents(random, { days: [day], sources: ['web-logs'], perDay: [2, 4], idPrefix: 'e-late' });
      let landed = false;
      // The fault plan sees every PutObject before S3 stores it: the learner's merged write is
      // the moment another writer's batch lands. The rule never injects a fault.
      ctx.env.faults.add({
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
      const body = () => fake.getObjectText(BUCKET, lateKey);
      const returned = await compact(ctx, lake, s3, P);
      if (!landed) ctx.fail(`compactPartition(${P}) never wrote a merged object for a partition with ${count(sources.length, 'source')}.`);
      if (body() === undefined) {
        ctx.fail(
          `While your compaction of ${P} was writing its merged object, another writer's batch landed: ${lateKey} (${count(lateEvents.length, 'event')}). Your code deleted it, and its events are lost. ` +
            'Delete exactly the sources you read and merged, from that list; a new listing includes objects you never merged.',
        );
      }
      expectMerged(ctx, fake, P, returned, sources.flatMap((s) => s.events), sources.map((s) => s.key), [lateKey]);
    });

    check('lake-round-trip', 'A day in the life: ingest, retry, list, compact, read', async (ctx) => {
      const { fake, s3, lake } = open(ctx);
      const random = ctx.env.random;
      const days = daysAcrossMonthEnd(random);
      const events = seededEvents(random, { days, sources: ['web-logs', 'transaction-data'], perDay: [6, 20], idPrefix: 'e-l' });
      const ids = [0, 1, 2].map(() => batchId(random, days.at(-1)!));
      const batches = ids.map((): ClickEvent[] => []);
      for (const e of events) batches[int(random, 0, 2)]!.push(e);
      for (let b = 0; b < 3; b++) await lake.ingestBatch(s3, BUCKET, ids[b]!, batches[b]!);
      await lake.ingestBatch(s3, BUCKET, ids[1]!, batches[1]!); // an upstream retry
      const story = `After ingesting batches ${ids.join(', ')} (${count(events.length, 'event')} over ${days[0]}..${days.at(-1)}; the second one sent twice)`;

      const web = events.filter((e) => e.source === 'web-logs');
      const expectedPartitions = [...new Set(web.map(expectedPrefix))].sort();
      const partitions = expectStrings(ctx, await lake.listPartitions(s3, BUCKET, 'web-logs'), 'listPartitions');
      const listed = explainPartitions(partitions, expectedPartitions, 'web-logs');
      if (listed) ctx.fail(`${story}: ${listed}`);

      for (const P of partitions) await compact(ctx, lake, s3, P);
      const crowded = partitions.filter((P) => fake.keys(BUCKET, P).length !== 1);
      if (crowded.length) {
        ctx.fail(`${story} and compacting every web-logs partition, each should hold one object; ${list(crowded.map((P) => `${P} holds ${fake.keys(BUCKET, P).length}`))}.`);
      }
      const got = await lake.readRange(s3, BUCKET, 'web-logs', days[0]!, days.at(-1)!);
      const problem = explainRange(web, got, days[0]!, days.at(-1)!);
      if (problem) ctx.fail(`${story} and compacting: ${problem}`);
    });
  });
});
