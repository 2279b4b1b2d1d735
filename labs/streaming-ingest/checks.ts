// Public checks of the streaming-ingest lab: one step per function of stream.ts (putAll has two:
// batching, then retrying), one line per rule the step states. The fixtures are fixed so a
// learner can reproduce them; the machinery is in grading.ts, the traffic in traffic.ts, the
// shard arithmetic in sizing.ts. Hidden checks (hidden/checks.ts) reuse all of it on seeded data.

import { defineLab } from 'whetstone/checks';
import type { ContextOf } from 'whetstone/checks';
import { seededRandom } from 'whetstone/aws/env';
import type * as Stream from './starter/stream.ts';
import {
  expectBackoff,
  expectBurst,
  expectFailsFast,
  expectGivesUp,
  expectJitter,
  expectKeyPerUser,
  expectKeysSpread,
  expectNothingForNothing,
  expectOnlyFailedRetried,
  expectOversizedRefused,
  expectPut,
  expectServerErrorsRetried,
  expectShards,
  expectSummary,
} from './grading.ts';
import {
  expectCaughtUp,
  expectExpiredIteratorRenewed,
  expectFromTrimHorizon,
  expectPausedReads,
  expectPosition,
  expectResumeAfter,
  expectThrottledReadsRetried,
} from './reading.ts';
import { clickTraffic, oversizedAmong, snapshotPayload } from './traffic.ts';
import { createWorld } from './world.ts';

/** Every check: a fresh fake Kinesis whose calls take simulated time, a client of it, and the learner's stream.ts. */
export const lab = defineLab({
  aws: createWorld,
  open: ({ aws, submission }) => ({ fake: aws.kinesis, kinesis: aws.kinesis.client(), ingest: submission.load<typeof Stream>('stream.ts') }),
});

export type Context = ContextOf<typeof lab>;

const STREAM = 'clickstream';

/** A stream of `shards` shards named STREAM, for the check at hand. */
function withStream<C extends Context>(ctx: C, shards: number, name = STREAM): string {
  ctx.fake.createStream(name, { shardCount: shards });
  return name;
}

const traffic = (seed: number, events: number, users: number) => clickTraffic(seededRandom(seed), { events, users });

export default lab.checks(({ step, check }) => {
  step(1, () => {
    check('shards-write-bytes', 'Large records: the bytes written decide', (ctx) =>
      expectShards(ctx, [
        { recordsPerSecond: 2000, averageRecordBytes: 3000, consumers: 1, enhancedFanOut: false },
        { recordsPerSecond: 350, averageRecordBytes: 25_000, consumers: 1, enhancedFanOut: false },
      ]),
    );
    check('shards-write-records', 'Small records: the record count decides', (ctx) =>
      expectShards(ctx, [
        { recordsPerSecond: 9000, averageRecordBytes: 80, consumers: 1, enhancedFanOut: false },
        { recordsPerSecond: 2600, averageRecordBytes: 250, consumers: 2, enhancedFanOut: false },
      ]),
    );
    check('shards-shared-reads', 'Polling consumers share 2 MiB/s of reads per shard', (ctx) =>
      expectShards(ctx, [
        { recordsPerSecond: 1500, averageRecordBytes: 1000, consumers: 5, enhancedFanOut: false },
        { recordsPerSecond: 700, averageRecordBytes: 2000, consumers: 3, enhancedFanOut: false },
      ]),
    );
    check('shards-enhanced-fan-out', 'With enhanced fan-out each consumer reads 2 MiB/s of its own', (ctx) =>
      expectShards(ctx, [{ recordsPerSecond: 1500, averageRecordBytes: 1000, consumers: 5, enhancedFanOut: true }]),
    );
    check('shards-headroom', 'Every limit is planned at 80%', (ctx) =>
      expectShards(ctx, [
        { recordsPerSecond: 950, averageRecordBytes: 100, consumers: 1, enhancedFanOut: false },
        { recordsPerSecond: 400, averageRecordBytes: 2500, consumers: 1, enhancedFanOut: false },
      ]),
    );
  });

  step(2, () => {
    check('key-one-per-user', "One key per user: a user's clicks together, different users apart", (ctx) => expectKeyPerUser(ctx, traffic(201, 400, 40)));
    check('key-spreads-users', 'Keys spread a day of clicks evenly over 8 shards', (ctx) => expectKeysSpread(ctx, traffic(202, 6000, 600), 8));
  });

  step(3, () => {
    check('put-every-event-once', 'Every event once, keyed by partitionKeyFor, its JSON as data; the summary says what happened', async (ctx) => {
      const stream = withStream(ctx, 2);
      await expectNothingForNothing(ctx, stream);
      const events = traffic(301, 300, 60);
      const run = await expectPut(ctx, stream, events, `For ${events.length} events on 2 shards`, 'Your putAll, shard by shard');
      expectSummary(ctx, run, stream, events.length);
    });
    check('put-batches-of-500', 'At most 500 records a PutRecords', (ctx) =>
      expectPut(ctx, withStream(ctx, 4), traffic(302, 1800, 900), 'For 1,800 events on 4 shards'),
    );
    check(
      'put-batches-within-10-mib',
      'At most 10 MiB of data and keys a PutRecords',
      (ctx) => {
        const events = clickTraffic(seededRandom(303), { events: 200, users: 200, payload: (random) => snapshotPayload(random, 60_000) });
        return expectPut(ctx, withStream(ctx, 64), events, 'For 200 session-replay events of about 60 KB on 64 shards');
      },
      { timeoutMs: 10_000 },
    );
    check('put-refuses-oversized-event', 'An event too large for one record throws, naming it, before anything is sent', async (ctx) => {
      const { events, oversized } = oversizedAmong(seededRandom(304), 40, 23, (e) => ctx.ingest.partitionKeyFor({ ...e }));
      await expectOversizedRefused(ctx, withStream(ctx, 2), events, oversized);
    });
  });

  step(4, () => {
    check('put-retries-only-failed', 'Sends again exactly the entries that failed', (ctx) => expectOnlyFailedRetried(ctx, withStream(ctx, 2), traffic(401, 3000, 150), 60));
    check('put-backs-off', 'While a shard keeps refusing, retries slow down exponentially', (ctx) => expectBackoff(ctx, withStream(ctx, 2), traffic(402, 200, 40), 10_000, 25), {
      timeoutMs: 10_000,
    });
    check('put-jitter', 'Waits are random below their ceiling (jitter)', (ctx) => expectJitter(ctx, traffic(403, 100, 20), 5000));
    // Few events: a producer that retries without waiting makes 2,400 calls in its 60 s, and each must stay cheap.
    check('put-gives-up', 'Gives up after 60 s, saying how many events are unsent', (ctx) => expectGivesUp(ctx, withStream(ctx, 2), traffic(404, 100, 40), 'shardId-000000000001'), {
      timeoutMs: 10_000,
    });
    check('put-retries-server-errors', 'A call that fails with a 500 is sent again, whole', (ctx) => expectServerErrorsRetried(ctx, withStream(ctx, 2), traffic(405, 1200, 120), 2));
    check('put-fails-fast', 'An error that waiting cannot fix is thrown at once', (ctx) => {
      withStream(ctx, 1);
      return expectFailsFast(ctx, 'clickstraem', traffic(406, 50, 10));
    });
    check('put-burst-in-time', 'A burst of 12,000 clicks on 8 shards is in within 3 simulated seconds', (ctx) => expectBurst(ctx, withStream(ctx, 8), traffic(407, 12_000, 800), 8), {
      timeoutMs: 10_000,
    });
  });

  step(5, () => {
    check('read-from-trim-horizon', 'Without a stored position, reads from the oldest record kept', (ctx) => expectFromTrimHorizon(ctx, withStream(ctx, 2)));
    check('read-resumes-after', 'Resumes right after the stored sequence number', (ctx) => expectResumeAfter(ctx, withStream(ctx, 2)));
    check('read-returns-position', 'Returns where to resume, also when nothing new arrived', (ctx) => expectPosition(ctx, withStream(ctx, 1)));
    check('read-until-caught-up', 'Reads on until MillisBehindLatest is 0, past empty answers and 10,000-record pages', (ctx) => expectCaughtUp(ctx, withStream(ctx, 1)), {
      timeoutMs: 10_000,
    });
    check('read-call-rate', 'At most 5 GetRecords a second on the shard', (ctx) => expectPausedReads(ctx, withStream(ctx, 1)));
    check('read-after-throttle', 'Waits and calls again when a read is throttled', (ctx) => expectThrottledReadsRetried(ctx, withStream(ctx, 1)), { timeoutMs: 10_000 });
    check('read-expired-iterator', 'Renews an expired iterator after the last record read', (ctx) => expectExpiredIteratorRenewed(ctx, withStream(ctx, 1)), {
      timeoutMs: 10_000,
    });
  });
});
