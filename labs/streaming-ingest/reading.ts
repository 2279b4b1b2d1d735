// The readShard checks (step 5): streams filled straight through the fake (what producers wrote
// while the consumer was away), then the learner's consumer asked to read one shard, from the
// oldest record or after a stored sequence number, through empty answers, 10,000-record pages,
// throttled reads and an iterator that expired while the consumer was paused.

import type { StoredRecord } from 'whetstone/aws/kinesis';
import { seededRandom } from 'whetstone/aws/env';
import type { Context } from './checks.ts';
import { expectRead, expectReadRate } from './grading.ts';
import { clickTraffic, snapshotPayload } from './traffic.ts';
import type { ClickEvent } from './traffic.ts';

const HOUR = 3_600_000;
export const SHARD_0 = 'shardId-000000000000';

/** Events written into `stream` at `from`, `spacingMs` apart (not traced: the producers' doing, before the check). */
export function seedEvents(ctx: Context, stream: string, events: readonly ClickEvent[], from: number, spacingMs: number): StoredRecord[] {
  return ctx.fake.seed(
    stream,
    events.map((e, i) => ({ partitionKey: e.userId, data: JSON.stringify(e), at: new Date(from + i * spacingMs) })),
  );
}

const now = (ctx: Context) => ctx.env.clock.now().getTime();

/** Records older than the 24-hour retention, then two hours of clicks: a first read gets the ones kept, in order. */
export async function expectFromTrimHorizon(ctx: Context, stream: string): Promise<void> {
  const random = seededRandom(501);
  seedEvents(ctx, stream, clickTraffic(random, { events: 40, users: 10, idPrefix: 'old' }), now(ctx) - 30 * HOUR, 60_000);
  seedEvents(ctx, stream, clickTraffic(random, { events: 1200, users: 200, idPrefix: 'e' }), now(ctx) - 2 * HOUR, 5_000);
  const kept = ctx.fake.records(stream, SHARD_0).filter((r) => r.arrivedAt.getTime() >= now(ctx) - 24 * HOUR);
  await expectRead(ctx, stream, SHARD_0, undefined, kept);
}

/** A stored position in the middle of the shard: exactly the records after it. */
export async function expectResumeAfter(ctx: Context, stream: string): Promise<void> {
  seedEvents(ctx, stream, clickTraffic(seededRandom(502), { events: 800, users: 160 }), now(ctx) - HOUR, 4_000);
  const records = ctx.fake.records(stream, SHARD_0);
  const stored = Math.min(199, records.length - 50);
  await expectRead(ctx, stream, SHARD_0, records[stored], records.slice(stored + 1));
}

/** Read all, then what arrived since, then nothing new: lastSequenceNumber chains the reads. */
export async function expectPosition(ctx: Context, stream: string): Promise<void> {
  const random = seededRandom(503);
  seedEvents(ctx, stream, clickTraffic(random, { events: 300, users: 50, idPrefix: 'a' }), now(ctx) - HOUR, 10_000);
  const first = ctx.fake.records(stream, SHARD_0);
  await expectRead(ctx, stream, SHARD_0, undefined, first);
  seedEvents(ctx, stream, clickTraffic(random, { events: 50, users: 20, idPrefix: 'b' }), now(ctx), 10);
  const all = ctx.fake.records(stream, SHARD_0);
  await expectRead(ctx, stream, SHARD_0, first.at(-1), all.slice(first.length));
  await expectRead(ctx, stream, SHARD_0, all.at(-1), [], all.at(-1)!.sequenceNumber);
}

/** Two empty answers first, then more than one page of 10,000 records: all of them. */
export async function expectCaughtUp(ctx: Context, stream: string): Promise<void> {
  seedEvents(ctx, stream, clickTraffic(seededRandom(504), { events: 10_500, users: 500 }), now(ctx) - HOUR, 300);
  ctx.fake.emptyReads({ stream, times: 2 });
  await expectRead(ctx, stream, SHARD_0, undefined, ctx.fake.records(stream, SHARD_0));
}

/** Eight empty answers before the data: at least nine GetRecords, none refused for the call rate. */
export async function expectPausedReads(ctx: Context, stream: string): Promise<void> {
  seedEvents(ctx, stream, clickTraffic(seededRandom(505), { events: 30, users: 10 }), now(ctx) - HOUR, 60_000);
  ctx.fake.emptyReads({ stream, times: 8 });
  await expectRead(ctx, stream, SHARD_0, undefined, ctx.fake.records(stream, SHARD_0));
  expectReadRate(ctx, stream, SHARD_0, `Reading ${SHARD_0} through 8 empty answers`);
}

/** 12 MB of session replays: the first answer takes 10 MiB, and the shard refuses reads for 4 s after it. */
export async function expectThrottledReadsRetried(ctx: Context, stream: string): Promise<void> {
  const events = clickTraffic(seededRandom(506), { events: 40, users: 40, payload: (random) => snapshotPayload(random, 300_000) });
  seedEvents(ctx, stream, events, now(ctx) - HOUR, 60_000);
  await expectRead(ctx, stream, SHARD_0, undefined, ctx.fake.records(stream, SHARD_0));
}

/** The consumer is paused 6 minutes between its first and second GetRecords: its iterator expires. */
export async function expectExpiredIteratorRenewed(ctx: Context, stream: string): Promise<void> {
  seedEvents(ctx, stream, clickTraffic(seededRandom(507), { events: 10_300, users: 400 }), now(ctx) - HOUR, 300);
  pauseBefore(ctx, 'GetRecords', 2, 6 * 60_000);
  await expectRead(ctx, stream, SHARD_0, undefined, ctx.fake.records(stream, SHARD_0));
}

/**
 * The simulated clock jumps `ms` just before the `nth` call of `operation` is answered, as when
 * the consumer's process was paused (a long GC, a host migration). The fault plan sees every call
 * first; this rule never injects a fault.
 */
export function pauseBefore(ctx: Context, operation: string, nth: number, ms: number): void {
  let calls = 0;
  ctx.env.faults.add({
    service: 'kinesis',
    operation,
    when: () => {
      if (++calls === nth) ctx.env.clock.advance(ms);
      return false;
    },
    fault: { name: 'InternalFailureException', httpStatusCode: 500 },
  });
}
