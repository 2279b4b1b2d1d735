// Hidden checks of the endpoint-autoscaling lab (CLI only, never in the browser bundle): the
// rules of the steps again, on cases drawn from the seed — workloads on and around every limit,
// shuffled load tests of other instances, other endpoints, and two other days.

import { between, pick } from 'whetstone/checks';
import type { Random } from 'whetstone/checks';
import { seededRandom } from 'whetstone/aws/env';
import { lab } from '../checks.ts';
import { expectDay, expectMaxCapacity, expectMinCapacity, expectOptions, expectPolicy, expectTarget } from '../grading.ts';
import type { EndpointCase } from '../scenarios.ts';
import { seededDays, seededLoadTests, seededWorkloads } from '../scenarios.ts';

/** An endpoint from the seed: other names, other numbers. */
function seededEndpoint(random: Random): EndpointCase {
  return {
    endpointName: `${pick(random, ['churn', 'search', 'pricing', 'ads'])}-${pick(random, ['model', 'ranker', 'scorer'])}-${between(random, 1, 99)}`,
    variantName: pick(random, ['AllTraffic', 'green', 'v2', 'canary-b']),
    instanceType: pick(random, ['ml.c5.xlarge', 'ml.m5.xlarge', 'ml.g4dn.xlarge']),
    instanceCount: 1,
    limits: {
      targetInvocationsPerInstance: between(random, 90, 4000) + pick(random, [0, 0.5, 0.25]),
      peakRequestsPerSecond: between(random, 20, 3000),
      minInstances: pick(random, [0, 0, 1, 2, 3]),
    },
  };
}

export default lab.checks(({ step, check }) => {
  step(1, () => {
    check('hidden-workload-mix', 'Unseen workloads on and around every limit', (ctx) => expectOptions(ctx, seededWorkloads(ctx.seed)));
  });

  step(2, () => {
    check('hidden-load-tests', 'Unseen load tests of other instances, rows shuffled', async (ctx) => {
      for (const test of seededLoadTests(ctx.seed)) await expectTarget(ctx, test);
    });
  });

  step(3, () => {
    check('hidden-other-endpoint', 'Other endpoints and variants, other limits, one whose team asks for zero', async (ctx) => {
      const random = seededRandom(ctx.seed ^ 0xe9d);
      const other = seededEndpoint(random);
      const zero = seededEndpoint(random);
      zero.limits.minInstances = 0;
      for (const c of [other, zero]) {
        await expectMinCapacity(ctx, [c]);
        await expectMaxCapacity(ctx, [c]);
        await expectPolicy(ctx, c);
      }
    });
  });

  step(4, () => {
    check('hidden-gpu-day', 'A GPU model’s day: within the latency goal and the cost budget', async (ctx) => {
      const [gpu] = seededDays(ctx.seed);
      await expectDay(ctx, gpu!, ['latency', 'cost']);
    }, { points: 2 });
    check('hidden-quiet-night-day', 'A day with a silent night: within the latency goal and the cost budget', async (ctx) => {
      const [, quiet] = seededDays(ctx.seed);
      await expectDay(ctx, quiet!, ['latency', 'cost']);
    }, { points: 2 });
  });
});
