// Public checks of the spot-checkpointing lab. Each simulation check runs the learner's train()
// through the Spot simulator (spot-simulator.ts) on a job of scenarios.ts and judges one rule of
// the steps with findings.ts, so every message names the instance, the moment and the epochs;
// the request checks send trainingJobRequest's answer to the fake SageMaker (grading.ts).

import { defineLab } from 'whetstone/checks';
import type { ContextOf } from 'whetstone/checks';
import { FakeS3 } from 'whetstone/aws/s3';
import { FakeSageMaker } from 'whetstone/aws/sagemaker';
import type * as Script from './starter/train.ts';
import { budgetProblem, deleteOrderProblem, finalStateProblem, keyOrderProblem, lossProblem, resumeProblem, retentionProblem } from './findings.ts';
import { JOB_INPUT, createJob, expectJob, expectRequest, expectSteadyTraining, jobRequest } from './grading.ts';
import { LONG_EPOCHS, SHORT_EPOCHS } from './scenarios.ts';

/** Every check: a fresh fake S3 and SageMaker, and the learner's training script, train.ts. */
export const lab = defineLab({
  aws: (env) => ({ s3: new FakeS3(env), sagemaker: new FakeSageMaker(env) }),
  open: ({ submission }) => ({ script: submission.load<typeof Script>('train.ts') }),
});

export type Context = ContextOf<typeof lab>;

export default lab.checks(({ step, check }) => {
  const sim = { timeoutMs: 8000 };

  step(1, () => {
    check('trains-all-epochs', 'On an instance that is never reclaimed, train() runs every epoch once and returns the final state', (ctx) => expectSteadyTraining(ctx), sim);
    check('final-state', 'An interrupted job ends in exactly the state of an uninterrupted run', (ctx) =>
      expectJob(ctx, SHORT_EPOCHS, finalStateProblem, { checkpoints: false, waste: true }), sim);
  });

  step(2, () => {
    check('checkpoint-keys', 'Each checkpoint is the JSON of a ModelState under its own key, and keys sort in epoch order', (ctx) => expectJob(ctx, SHORT_EPOCHS, keyOrderProblem), sim);
    check('keeps-three', 'At most 3 checkpoints are kept', (ctx) => expectJob(ctx, SHORT_EPOCHS, retentionProblem), sim);
    check('delete-after-write', 'A checkpoint is deleted only once 3 newer ones are written', (ctx) => expectJob(ctx, SHORT_EPOCHS, deleteOrderProblem), sim);
    // Under step 2, not 1: a reclaimed job has a newest checkpoint to resume from only once checkpoints are written.
    check('resumes-newest', 'After a reclaim, the next instance resumes from the newest checkpoint', (ctx) => expectJob(ctx, SHORT_EPOCHS, resumeProblem, { waste: true }), sim);
  });

  step(3, () => {
    check('saves-on-notice', 'With epochs shorter than the notice, no finished epoch is lost to a reclaim', (ctx) => expectJob(ctx, SHORT_EPOCHS, lossProblem), sim);
    check('long-epochs', 'With epochs longer than the notice, no finished epoch is lost to a reclaim', (ctx) => expectJob(ctx, LONG_EPOCHS, lossProblem), sim);
    check('checkpoint-budget', 'At most one checkpoint per 2 minutes, unless the notice is out', (ctx) => expectJob(ctx, SHORT_EPOCHS, budgetProblem), sim);
  });

  step(4, () => {
    check('job-accepted', 'SageMaker accepts the CreateTrainingJob request', async (ctx) => {
      ctx.note(`Created ${await createJob(ctx, JOB_INPUT, jobRequest(ctx, JOB_INPUT))}.`);
    });
    check('job-managed-spot', 'The job uses managed Spot with MaxRuntime from the hours and MaxWait ≥ MaxRuntime', (ctx) => expectRequest(ctx, JOB_INPUT, 'spot'));
    check('job-checkpoint-config', 'The job syncs /opt/ml/checkpoints with s3://<bucket>/checkpoints/<jobName>/', (ctx) => expectRequest(ctx, JOB_INPUT, 'checkpoints'));
    check('job-resources', 'The job uses the given role, image and instance type, one instance, and writes its output to the bucket', (ctx) =>
      expectRequest(ctx, JOB_INPUT, 'resources'),
    );
  });
});
