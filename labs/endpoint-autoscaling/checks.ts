// Public checks of the endpoint-autoscaling lab: one step per function of serving.ts (step 4 is
// about what configureAutoScaling's policy does over a day). Every rule is stated in
// steps/NN-*.md; the machinery is in grading.ts, the cases in scenarios.ts; hidden checks
// (hidden/checks.ts) reuse both on seeded cases.

import { defineLab } from 'whetstone/checks';
import type { ContextOf } from 'whetstone/checks';
import { FakeApplicationAutoScaling } from 'whetstone/aws/application-auto-scaling';
import type * as Serving from './starter/serving.ts';
import {
  expectCooldowns,
  expectDay,
  expectMaxCapacity,
  expectMinCapacity,
  expectOptions,
  expectPolicy,
  expectRegistered,
  expectTarget,
  expectUpdated,
} from './grading.ts';
import { HOPELESS_LOAD_TEST, NIGHT_ZERO_ENDPOINT, RECS_DAY, RECS_ENDPOINT, RECS_LOAD_TEST, TRICKY_LOAD_TEST, WORKLOADS as W } from './scenarios.ts';

/** Every check: a fresh fake Application Auto Scaling, a client of it, and the learner's serving.ts. */
export const lab = defineLab({
  aws: (env) => ({ aas: new FakeApplicationAutoScaling(env) }),
  open: ({ aws, submission }) => ({ fake: aws.aas, aas: aws.aas.client(), serving: submission.load<typeof Serving>('serving.ts') }),
});

export type Context = ContextOf<typeof lab>;

export default lab.checks(({ step, check }) => {
  step(1, () => {
    check('option-real-time', 'Steady or unpredictable traffic whose requests fit: a real-time endpoint', (ctx) =>
      expectOptions(ctx, [W.productRecs, W.fraudScoring, W.internalChatbot]),
    );
    check('option-serverless', 'Idle stretches, cold starts accepted, requests within serverless limits: serverless', (ctx) => expectOptions(ctx, [W.hrFormClassifier]));
    check('option-serverless-limits', 'Over 4 MB or on a GPU is never serverless', (ctx) => expectOptions(ctx, [W.receiptOcr, W.visualSearch, W.medicalImaging]));
    check('option-asynchronous', 'Payloads over 6 MB or minutes of processing: asynchronous', (ctx) =>
      expectOptions(ctx, [W.videoModeration, W.contractSummaries, W.scannedArchive]),
    );
    check('option-batch-transform', 'A dataset scored on a schedule: batch transform', (ctx) => expectOptions(ctx, [W.nightlyChurn, W.nightlyEmbeddings]));
    check('option-beyond-limits', 'Beyond 1 GB or an hour a request, an Error that names the workload', (ctx) => expectOptions(ctx, [W.genomeVariants, W.satelliteMosaic]));
  });

  step(2, () => {
    check('target-per-minute', 'The target is the highest passing rate × safety factor × 60', (ctx) => expectTarget(ctx, RECS_LOAD_TEST));
    check('target-passing-points-only', 'Only points within the goal and without errors count, in any order', (ctx) => expectTarget(ctx, TRICKY_LOAD_TEST));
    check('target-no-passing-point', 'No point within the goal: an Error that names the instance type', (ctx) => expectTarget(ctx, HOPELESS_LOAD_TEST));
  });

  step(3, () => {
    check('register-variant', 'The variant is registered: sagemaker, endpoint/<name>/variant/<name>, DesiredInstanceCount', (ctx) => expectRegistered(ctx, RECS_ENDPOINT));
    check('min-capacity', 'MinCapacity is the team’s floor, and never 0 on a real-time variant', (ctx) => expectMinCapacity(ctx, [RECS_ENDPOINT, NIGHT_ZERO_ENDPOINT]));
    check('max-capacity', 'MaxCapacity carries the forecast peak at the target, and at most twice that', (ctx) => expectMaxCapacity(ctx, [RECS_ENDPOINT, NIGHT_ZERO_ENDPOINT]));
    check('target-tracking-policy', 'A target tracking policy on SageMakerVariantInvocationsPerInstance at the target', (ctx) => expectPolicy(ctx, RECS_ENDPOINT));
    check('configure-again', 'Configuring again updates the target and the policy, it adds none', (ctx) => expectUpdated(ctx, RECS_ENDPOINT));
  });

  step(4, () => {
    check('cooldowns', 'ScaleInCooldown at least 600 s, ScaleOutCooldown at most 300 s', (ctx) => expectCooldowns(ctx, RECS_ENDPOINT, RECS_DAY));
    check('day-latency', 'On the recs-api day, at most 2 minutes over the latency goal', (ctx) => expectDay(ctx, RECS_DAY, ['latency']), { points: 2 });
    check('day-cost', 'On the recs-api day, at most 1.5× the instance-hours of a perfect scaler', (ctx) => expectDay(ctx, RECS_DAY, ['cost']));
  });
});
