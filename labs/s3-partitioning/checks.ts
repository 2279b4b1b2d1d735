// Public checks of the s3-partitioning lab: one step per function of partition.ts, one line per
// rule the step states. Every rule is stated in steps/NN-*.md; the fixtures are fixed so a
// learner can reproduce them. The machinery is in grading.ts, the data in fixtures.ts; hidden
// checks (hidden/checks.ts) reuse both with seeded fixtures.

import { defineLab } from 'whetstone/checks';
import type { ContextOf } from 'whetstone/checks';
import { FakeS3 } from 'whetstone/aws/s3';
import type * as Partition from './starter/partition.ts';
import { BOUNDARY_BATCH, BUCKET, HIVE_CASES, UTC_CASES, dayPrefix, largeFixture, mergeFixture } from './fixtures.ts';
import {
  expectBadTimestampsRejected,
  expectBatchesCoexist,
  expectCompaction,
  expectEmptyBatchWritesNothing,
  expectEveryEventOnce,
  expectIdempotent,
  expectObjectPerPartition,
  expectPartitionPruning,
  expectPartitionsPastFirstPage,
  expectPrefixes,
  expectRanges,
  expectSmallPartitionsLeftAlone,
  expectSortedPartitions,
  expectSourcesKeptOnFailedWrite,
} from './grading.ts';

/** Every check: the bucket in a fresh fake S3, a client of it, and the learner's partition.ts. */
export const lab = defineLab({
  aws: (env) => ({ s3: new FakeS3(env) }),
  open: ({ aws, submission }) => {
    aws.s3.createBucket(BUCKET);
    return { fake: aws.s3, s3: aws.s3.client(), lake: submission.load<typeof Partition>('partition.ts') };
  },
});

export type Context = ContextOf<typeof lab>;

export default lab.checks(({ step, check }) => {
  step(1, () => {
    check('prefix-hive-layout', 'Prefixes are Hive-style and zero-padded', ({ lake }) => expectPrefixes(lake, HIVE_CASES));
    check('prefix-utc-day', 'The partition is the UTC day of the event', ({ lake }) => expectPrefixes(lake, UTC_CASES, ' near midnight', 'the same way'));
    check('prefix-rejects-bad-timestamp', 'An unparsable timestamp throws an Error that names it', ({ lake }) => expectBadTimestampsRejected(lake));
  });

  step(2, () => {
    check('ingest-one-object-per-partition', 'One object per partition, keyed <prefix><batchId>.jsonl', (ctx) => expectObjectPerPartition(ctx));
    check('ingest-every-event-once', 'Every event exactly once, as JSON Lines, in its UTC partition', (ctx) => expectEveryEventOnce(ctx, 'b-20240117-02', BOUNDARY_BATCH));
    check('ingest-batches-coexist', 'Batches never overwrite each other', (ctx) => expectBatchesCoexist(ctx));
    check('ingest-idempotent', 'Sending the same batch again changes nothing', (ctx) => expectIdempotent(ctx));
    check('ingest-empty-batch', 'An empty batch writes nothing', (ctx) => expectEmptyBatchWritesNothing(ctx));
  });

  step(3, () => {
    check('list-partitions-sorted', 'Every day partition of the source, once, sorted', (ctx) => expectSortedPartitions(ctx));
    check('list-partitions-past-1000', 'Finds the partitions past the first 1,000 keys', (ctx) => expectPartitionsPastFirstPage(ctx));
  });

  step(4, () => {
    check('read-range-inclusive', 'Returns every event of fromDay..toDay, both inclusive', (ctx) =>
      expectRanges(ctx, [['2023-12-31', '2024-01-02'], ['2024-01-03', '2024-01-03'], ['2024-01-20', '2024-01-25']]),
    );
    check('read-range-pruning', 'Reads no object outside the range (partition pruning)', (ctx) => expectPartitionPruning(ctx));
  });

  step(5, () => {
    const P = dayPrefix('web-logs', '2024-01-16');
    check('compact-merges-partition', 'Merges the partition into one object holding every event once', (ctx) => expectCompaction(ctx, P, mergeFixture(P)));
    check('compact-keeps-sources-on-failed-write', 'If the merged write fails, no source is deleted', (ctx) => expectSourcesKeptOnFailedWrite(ctx, P),
      // Room for a learner's retries with backoff (real timers) before the write is given up.
      { points: 2, timeoutMs: 8000 },
    );
    check('compact-over-1000-objects', 'Compacts a partition of more than 1,000 objects', (ctx) => expectCompaction(ctx, P, largeFixture(P)), {
      // Over 2,000 objects written, listed in pages and deleted: give a busy laptop's browser room.
      timeoutMs: 8000,
    });
    check('compact-leaves-small-partitions', 'Leaves a partition with one object or none alone', (ctx) =>
      expectSmallPartitionsLeftAlone(ctx, P, dayPrefix('web-logs', '2024-01-18')),
    );
  });
});
