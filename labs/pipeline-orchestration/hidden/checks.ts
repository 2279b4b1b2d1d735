// Hidden checks of pipeline-orchestration: the same rules on seeded cases the steps do not show
// (a threshold met exactly, a backfill of a random length, a reviewer who answers late, another
// run's name and bad input), so passing means understanding the rules, not the examples.

import { between, pick } from 'whetstone/checks';
import { lab } from '../checks.ts';
import * as G from '../grading.ts';

export default lab.checks(({ step, check }) => {
  step(2, () => {
    check('hidden-backfill-retried', 'A backfill holding the feature job is waited out', (ctx) => G.backfillHoldsSlot(ctx, between(ctx.env.random, 45, 170)), { timeoutMs: 15000 });
  });
  step(3, () => {
    check('hidden-accuracy-at-threshold', 'A model exactly at the threshold goes on to approval', (ctx) => G.atThreshold(ctx, pick(ctx.env.random, [0.85, 0.875, 0.9, 0.92])), { timeoutMs: 15000 });
    check('hidden-late-approval', 'An approval that comes late in the day still deploys', (ctx) => G.lateApproval(ctx, between(ctx.env.random, 9, 22)), { timeoutMs: 15000 });
  });
  step(4, () => {
    check('hidden-start-run-bad-input', 'startRun refuses a bad runId or modelName', async (ctx) => {
      const [field, value] = pick(ctx.env.random, [
        ['runId', 'churn 2024-03-01'],
        ['runId', 'churn/2024-03-01'],
        ['modelName', 'churn_model.v2'],
        ['modelName', ''],
      ] as const);
      await G.rejectsBadInput(ctx, field, value);
    });
  });
});
