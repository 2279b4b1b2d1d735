// Hidden checks of streaming-ingest (CLI only): the rules of the five steps on loads, users,
// streams and positions drawn from the run's seed, so passing means following the rules, not
// matching the public examples.

import { between, hex, pick } from 'whetstone/checks';
import type { Random } from 'whetstone/checks';
import { seededRandom } from 'whetstone/aws/env';
import { lab } from '../checks.ts';
import type { Context } from '../checks.ts';
import { expectKeyPerUser, expectKeysSpread, expectOnlyFailedRetried, expectPut, expectRead, expectShards } from '../grading.ts';
import { seedEvents } from '../reading.ts';
import { onBoundary } from '../sizing.ts';
import type { StreamLoad } from '../sizing.ts';
import { clickTraffic, snapshotPayload } from '../traffic.ts';

const HOUR = 3_600_000;

/** A load on which `limit` decides, away from whole-number needs. */
function loadWhere(random: Random, limit: 'write bytes' | 'write records' | 'reads' | 'fan-out'): StreamLoad {
  for (;;) {
    const load: StreamLoad =
      limit === 'write bytes'
        ? { recordsPerSecond: between(random, 200, 3000), averageRecordBytes: between(random, 2_000, 40_000), consumers: 1, enhancedFanOut: false }
        : limit === 'write records'
          ? { recordsPerSecond: between(random, 1_500, 40_000), averageRecordBytes: between(random, 40, 400), consumers: between(random, 0, 2), enhancedFanOut: false }
          : limit === 'reads'
            ? { recordsPerSecond: between(random, 300, 3000), averageRecordBytes: between(random, 1_200, 6_000), consumers: between(random, 3, 9), enhancedFanOut: false }
            : { recordsPerSecond: between(random, 300, 3000), averageRecordBytes: between(random, 1_200, 6_000), consumers: between(random, 3, 9), enhancedFanOut: true };
    if (!onBoundary(load)) return load;
  }
}

/** User ids in another shape than the public ones: e-mail addresses, account numbers. */
function otherUsers(random: Random, events: ReturnType<typeof clickTraffic>): ReturnType<typeof clickTraffic> {
  const style = pick(random, ['email', 'account'] as const);
  const renamed = new Map<string, string>();
  return events.map((e) => {
    let id = renamed.get(e.userId);
    if (id === undefined) {
      id = style === 'email' ? `${hex(random, 6)}@example.com` : `acct-${between(random, 100000, 999999)}-${renamed.size}`;
      renamed.set(e.userId, id);
    }
    return { ...e, userId: id };
  });
}

/** A shard of a two-shard stream, chosen by the seed, filled with an hour of clicks; then read in sessions. */
async function expectSessions(ctx: Context, random: Random): Promise<void> {
  ctx.fake.createStream('clicks-hidden', { shardCount: 2 });
  const shardId = `shardId-00000000000${between(random, 0, 1)}`;
  const now = () => ctx.env.clock.now().getTime();
  seedEvents(ctx, 'clicks-hidden', clickTraffic(random, { events: between(random, 400, 1500), users: between(random, 50, 300), idPrefix: 'h' }), now() - HOUR, 1_000);
  const records = ctx.fake.records('clicks-hidden', shardId);
  const stored = between(random, 1, records.length - 2);
  await expectRead(ctx, 'clicks-hidden', shardId, records[stored], records.slice(stored + 1));
  seedEvents(ctx, 'clicks-hidden', clickTraffic(random, { events: between(random, 50, 400), users: 40, idPrefix: 'later' }), now(), 20);
  const all = ctx.fake.records('clicks-hidden', shardId);
  await expectRead(ctx, 'clicks-hidden', shardId, records.at(-1), all.slice(records.length));
}

export default lab.checks(({ step, check }) => {
  step(1, () => {
    check('hidden-loads', 'Unseen loads, each limit deciding in turn', (ctx) => {
      const random = seededRandom(ctx.seed);
      return expectShards(ctx, (['write bytes', 'write records', 'reads', 'fan-out', 'write records', 'reads'] as const).map((limit) => loadWhere(random, limit)));
    });
  });

  step(2, () => {
    check('hidden-keys', 'Unseen users and stream sizes: one key per user, spread evenly', (ctx) => {
      const random = seededRandom(ctx.seed);
      const events = otherUsers(random, clickTraffic(random, { events: 4000, users: between(random, 400, 900) }));
      expectKeyPerUser(ctx, events);
      expectKeysSpread(ctx, events, pick(random, [4, 5, 6, 10]));
    });
  });

  step(3, () => {
    check('hidden-mixed-sizes', 'Unseen mix of clicks and session replays: every event once, within the limits', (ctx) => {
      const random = seededRandom(ctx.seed);
      const events = clickTraffic(random, {
        events: between(random, 500, 900),
        users: 500,
        payload: (r, _i, page) => (r() < 0.12 ? snapshotPayload(r, between(r, 20_000, 200_000)) : `ref=${page}`),
      });
      ctx.fake.createStream('clicks-hidden', { shardCount: 64 });
      return expectPut(ctx, 'clicks-hidden', events, `For ${events.length} unseen events, some of them session replays up to 200 KB, on 64 shards`);
    }, { timeoutMs: 10_000 });
  });

  step(4, () => {
    check('hidden-rough-day', 'Unseen traffic through throttling and InternalFailure entries', async (ctx) => {
      const random = seededRandom(ctx.seed);
      const shards = between(random, 1, 3);
      ctx.fake.createStream('clicks-hidden', { shardCount: shards });
      await expectOnlyFailedRetried(ctx, 'clicks-hidden', clickTraffic(random, { events: between(random, 1500, 3500), users: between(random, 100, 400) }), between(random, 20, 90));
    }, { timeoutMs: 10_000 });
  });

  step(5, () => {
    check('hidden-sessions', 'A consumer resuming on an unseen shard at an unseen position', (ctx) => expectSessions(ctx, seededRandom(ctx.seed)));
  });
});
