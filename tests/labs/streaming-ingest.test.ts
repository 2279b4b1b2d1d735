// The streaming-ingest lab proves itself: `whetstone check` passes (the solution gets full marks in
// three time zones and seeds, the starter none, every anti-solution fails exactly the checks its
// patch lists, every alternative gets full marks). Around it, the lab's own machinery is specified:
// the shard arithmetic, the traffic, the simulated clock, what a producer run delivered, and how a
// consumer's answer is explained.

import { PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { describe, expect, it } from 'vitest';
import { createAwsEnv, seededRandom } from '../../grader/aws/env.ts';
import { FakeKinesis } from '../../grader/aws/kinesis.ts';
import { delivery, describeDelivery, shardTable } from '../../labs/streaming-ingest/delivery.ts';
import { explainRead } from '../../labs/streaming-ingest/grading.ts';
import { explainShards, onBoundary, shardsFor } from '../../labs/streaming-ingest/sizing.ts';
import { clickTraffic, oversizedAmong, PAGES, recordBytes } from '../../labs/streaming-ingest/traffic.ts';
import { RUNAWAY_MS, RunawayRun, SimulatedClock } from '../../labs/streaming-ingest/world.ts';
import { labVariants } from '../support/grade.ts';
import { gradingOf, labCheck } from '../support/lab-check.ts';

const LAB = 'streaming-ingest';

describe('streaming-ingest grading', () => {
  const check = labCheck(LAB);

  it('does not pass the starter', () => {
    const report = gradingOf(check(), 'starter');
    expect(report.status).toBe('fail');
    expect(report.score).toBe(0);
  });

  it('has the anti-solutions the issue lists, and alternatives in other styles', () => {
    expect(labVariants(LAB, 'alternatives').length).toBeGreaterThanOrEqual(2);
    expect(labVariants(LAB, 'wrong').map((w) => w.name)).toEqual(
      expect.arrayContaining([
        'retries-whole-batch',
        'ignores-failed-record-count',
        'no-backoff',
        'batches-of-1000',
        'batches-ignore-bytes',
        'key-by-page',
        'key-by-day',
        'constant-key',
        'shards-from-bytes-alone',
        'shards-from-records-alone',
        'reads-not-shared',
        'reads-from-latest',
        'at-sequence-number',
        'skips-after-position',
      ]),
    );
  });

  it("shows the solution's producer runs shard by shard: records, duplicates, losses, throttled entries, simulated seconds", () => {
    const report = gradingOf(check(), 'solution');
    const burst = report.checks.find((c) => c.id === 'put-burst-in-time')!;
    const table = burst.figures?.find((f) => f.kind === 'table');
    expect(table, JSON.stringify(burst)).toBeDefined();
    if (table?.kind !== 'table') return;
    expect(table.columns.map((c) => c.label)).toEqual(['Shard', 'Records written', 'Share', 'Duplicates', 'Lost', 'Throttled entries', 'InternalFailure entries']);
    expect(table.rows).toHaveLength(9); // 8 shards and the total
    expect(table.rows.at(-1)!.slice(0, 2)).toEqual(['All shards', 12_000]);
    expect(table.caption).toMatch(/^Your run: 12,000 events of 12,000 sent in [\d.]+ simulated s with \d+ PutRecords calls; [\d,]+ entr(y|ies) throttled/);
  });

  it('tells a learner who loses records which ones, and one who duplicates them which ones', () => {
    const lost = gradingOf(check(), 'wrong/ignores-failed-record-count').checks.find((c) => c.id === 'put-retries-only-failed')!;
    expect(lost.message).toMatch(/events never reached the stream: e-\d+/);
    expect(lost.message).toMatch(/FailedRecordCount above 0 is not a success/);
    const twice = gradingOf(check(), 'wrong/retries-whole-batch').checks.find((c) => c.id === 'put-retries-only-failed')!;
    expect(twice.message).toMatch(/records were written twice although Kinesis had confirmed them: e-\d+ \(\d copies\)/);
  });
});

describe('shards a load needs', () => {
  it('is the largest of the write-bytes, write-records and read needs at 80%, rounded up', () => {
    // 6,000,000 B/s: 7.15 shards for writes, 2.5 for records, 3.58 for one polling consumer.
    expect(shardsFor({ recordsPerSecond: 2000, averageRecordBytes: 3000, consumers: 1, enhancedFanOut: false })).toBe(8);
    // 9,000 records/s of 80 bytes: the record count decides.
    expect(shardsFor({ recordsPerSecond: 9000, averageRecordBytes: 80, consumers: 1, enhancedFanOut: false })).toBe(12);
    // Five polling consumers read 7,500,000 B/s against 1,677,721.6 a shard.
    expect(shardsFor({ recordsPerSecond: 1500, averageRecordBytes: 1000, consumers: 5, enhancedFanOut: false })).toBe(5);
    // With enhanced fan-out the consumers no longer add up.
    expect(shardsFor({ recordsPerSecond: 1500, averageRecordBytes: 1000, consumers: 5, enhancedFanOut: true })).toBe(2);
    expect(shardsFor({ recordsPerSecond: 1, averageRecordBytes: 1, consumers: 0, enhancedFanOut: false })).toBe(1);
  });

  it('names the mistake behind a wrong answer, and refuses non-integers', () => {
    const load = { recordsPerSecond: 9000, averageRecordBytes: 80, consumers: 1, enhancedFanOut: false };
    expect(explainShards(load, 12)).toBeUndefined();
    expect(explainShards(load, 1)).toMatch(/needs 12 shards: .*shardsNeeded returned 1, which is what the write bytes alone needs\.$/);
    expect(explainShards(load, 11.25)).toMatch(/a shard count is a whole number/);
    expect(explainShards(load, null)).toMatch(/shardsNeeded returned null/);
  });

  it("keeps the public fixtures away from whole-number needs, where a float's last bit would decide", () => {
    expect(onBoundary({ recordsPerSecond: 800, averageRecordBytes: 10, consumers: 1, enhancedFanOut: false })).toBe(true);
    expect(onBoundary({ recordsPerSecond: 950, averageRecordBytes: 100, consumers: 1, enhancedFanOut: false })).toBe(false);
  });
});

describe('clickstream traffic', () => {
  it('repeats for a seed, has unique event ids and every user, and timestamps in UTC order', () => {
    const a = clickTraffic(seededRandom(9), { events: 500, users: 50 });
    expect(clickTraffic(seededRandom(9), { events: 500, users: 50 })).toEqual(a);
    expect(new Set(a.map((e) => e.eventId)).size).toBe(500);
    expect(new Set(a.map((e) => e.userId)).size).toBe(50);
    expect(a.map((e) => e.timestamp)).toEqual([...a.map((e) => e.timestamp)].sort());
    expect(a.every((e) => e.timestamp.endsWith('Z'))).toBe(true);
  });

  it('has the skewed page popularity that makes the page a hot key', () => {
    const home = clickTraffic(seededRandom(10), { events: 6000, users: 600 }).filter((e) => e.page === '/').length / 6000;
    expect(PAGES[0]).toEqual(['/', 0.3]);
    expect(home).toBeGreaterThan(0.27);
    expect(home).toBeLessThan(0.33);
  });

  it('makes an oversized event exactly 3 bytes over 1 MiB with the given key', () => {
    const { events, oversized } = oversizedAmong(seededRandom(11), 40, 23, (e) => e.userId);
    expect(events[23]).toBe(oversized);
    expect(recordBytes(oversized, oversized.userId)).toBe(1024 * 1024 + 3);
  });
});

describe('the simulated clock handed to learner code', () => {
  it('moves the world’s clock on sleep, records each wait, and replays its random numbers', async () => {
    const env = createAwsEnv({ seed: 1 });
    const clock = new SimulatedClock(env, 5);
    const { sleep } = clock; // learner code may pass it around unbound
    await sleep(250);
    await clock.sleep(1000);
    expect(clock.elapsedMs).toBe(1250);
    expect(clock.waits).toEqual([{ at: 0, ms: 250 }, { at: 250, ms: 1000 }]);
    const again = new SimulatedClock(createAwsEnv({ seed: 1 }), 5);
    expect([clock.random(), clock.random()]).toEqual([again.random(), again.random()]);
  });

  it('refuses waits that are not a number of milliseconds, and stops a run that never ends', async () => {
    const clock = new SimulatedClock(createAwsEnv({ seed: 1 }), 5);
    await expect(clock.sleep(Number.NaN)).rejects.toThrow(/clock.sleep\(NaN\): the wait must be a number of milliseconds/);
    await expect(clock.sleep(-1)).rejects.toThrow(TypeError);
    await expect(clock.sleep(RUNAWAY_MS + 1)).rejects.toBeInstanceOf(RunawayRun);
  });
});

describe('what a producer run delivered', () => {
  const events = clickTraffic(seededRandom(12), { events: 6, users: 3 });
  const put = (fake: FakeKinesis, records: typeof events) =>
    fake.client().send(
      new PutRecordsCommand({
        StreamName: 'clicks',
        Records: records.map((e) => ({ PartitionKey: e.userId, Data: new TextEncoder().encode(JSON.stringify(e)) })),
      }),
    );

  it('counts losses, confirmed duplicates and accepted ones (from calls that failed after writing), shard by shard', async () => {
    const env = createAwsEnv({ seed: 1 });
    const fake = new FakeKinesis(env);
    fake.createStream('clicks', { shardCount: 2 });
    await put(fake, events.slice(0, 4)); // e-1…e-4
    await put(fake, events.slice(0, 1)); // e-1 again, after Kinesis confirmed it
    fake.failAfterWrite({ stream: 'clicks', times: 1 });
    await expect(put(fake, events.slice(1, 2))).rejects.toThrow(); // e-2 again, from a call that failed once written
    const d = delivery(fake, 'clicks', events, 1500, (e) => fake.shardFor('clicks', e.userId));
    expect(d.lost.map((e) => e.eventId)).toEqual([events[4]!.eventId, events[5]!.eventId]);
    expect(d.unacceptedDuplicates).toBe(1);
    expect(d.acceptedDuplicates).toBe(1);
    expect(d.duplicates.map((x) => x.eventId)).toEqual([events[0]!.eventId, events[1]!.eventId]);
    expect(d.shards.reduce((n, s) => n + s.lost, 0)).toBe(2);
    expect(d.shards.reduce((n, s) => n + s.duplicates, 0)).toBe(2);
    expect(d.seconds).toBe(1.5);
    expect(describeDelivery(d)).toMatch(/^Your run: 4 events of 6 sent in 1.5 simulated s with 3 PutRecords calls; .*2 duplicates \(1 after calls that failed once written, accepted\), 2 lost\./);
    const table = shardTable(d, 'Run');
    expect(table.rows.at(-1)).toEqual(['All shards', 6, '100%', 2, 2, 0, 0]);
  });

  it('holds nothing for a stream that does not exist', () => {
    const fake = new FakeKinesis(createAwsEnv({ seed: 1 }));
    const d = delivery(fake, 'nope', events, 0);
    expect(d.lost).toHaveLength(events.length);
    expect(d.shards).toEqual([]);
  });
});

describe("explaining a consumer's answer", () => {
  const events = clickTraffic(seededRandom(13), { events: 5, users: 2 });
  const call = "readShard(kinesis, 'clicks', 'shardId-000000000000', clock)";

  it('accepts exactly the expected events in order', () => {
    expect(explainRead(events.slice(1), events.slice(1), { call, before: events[0]! })).toBeUndefined();
  });

  it('names reading the stored record again, skipping the first after it, LATEST, stopping early, and repeats', () => {
    expect(explainRead(events, events.slice(1), { call, before: events[0]! })).toMatch(/read e-1 again first.*AFTER_SEQUENCE_NUMBER, not AT_SEQUENCE_NUMBER/);
    expect(explainRead(events.slice(2), events.slice(1), { call, before: events[0]! })).toMatch(/skipped e-2, the first record after the stored position/);
    expect(explainRead([], events, { call, iteratorTypes: ['LATEST'] })).toMatch(/start at TRIM_HORIZON.*LATEST skips/);
    expect(explainRead([], events, { call, iteratorTypes: ['TRIM_HORIZON'], getRecordsCalls: 1 })).toMatch(/stopped after 1 GetRecords call\. An answer with no records/);
    expect(explainRead([...events, events[2]!], events, { call })).toMatch(/more than once: e-3/);
    expect(explainRead([events[1], events[0], ...events.slice(2)], events, { call })).toMatch(/in another order/);
  });
});
