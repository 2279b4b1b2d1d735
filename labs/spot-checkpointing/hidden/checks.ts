// Hidden checks: the same rules on jobs the learner has not seen (epoch lengths and reclaim
// moments from the seed, a reclaim during the first epoch after a restart), and the SageMaker
// request for other inputs, run to completion on managed Spot.

import { DescribeTrainingJobCommand } from '@aws-sdk/client-sagemaker';
import { fail } from 'whetstone/checks';
import { lab } from '../checks.ts';
import type { Context } from '../checks.ts';
import { createJob, everyRule, expectJob, expectRequest, jobRequest } from '../grading.ts';
import type { JobInput } from '../grading.ts';
import { variedScenarios } from '../scenarios.ts';

const OTHER_JOB: JobInput = {
  jobName: 'bert-base-spot-7',
  bucket: 'ml-team-b-artifacts',
  roleArn: 'arn:aws:iam::111122223333:role/service-role/AmazonSageMaker-ExecutionRole-20240301T120000',
  imageUri: '111122223333.dkr.ecr.us-east-1.amazonaws.com/bert-finetune:2.0',
  instanceType: 'ml.p3.2xlarge',
  maxRuntimeHours: 0.5,
};

/** The job runs a day on the fake SageMaker: it must complete, billing less than it trained. */
async function expectCompletedOnSpot(ctx: Context): Promise<void> {
  const input = { ...OTHER_JOB, jobName: 'resnet-42-spot', maxRuntimeHours: 2 };
  const request = jobRequest(ctx, input);
  await createJob(ctx, input, request);
  ctx.env.clock.advance(24 * 3600 * 1000);
  const job = await ctx.aws.sagemaker.client().send(new DescribeTrainingJobCommand({ TrainingJobName: input.jobName }));
  if (job.TrainingJobStatus !== 'Completed') {
    fail(`The job ended ${job.TrainingJobStatus} (${job.SecondaryStatus}): ${job.FailureReason ?? ''} Its request: ${JSON.stringify(request.StoppingCondition)}.`);
  }
  const training = job.TrainingTimeInSeconds ?? 0;
  const billable = job.BillableTimeInSeconds ?? 0;
  if (!(billable < training)) fail(`The job trained ${training} s and SageMaker billed ${billable} s: with managed Spot the billable time is lower. Is EnableManagedSpotTraining set?`);
  ctx.note(`Trained ${training} s, billed ${billable} s: ${Math.round((1 - billable / training) * 100)}% saved by managed Spot (SageMaker's formula).`);
}

export default lab.checks(({ step, check }) => {
  const sim = { timeoutMs: 12_000 };

  step(3, () => {
    // Each job judged on every rule of steps 1–3; the message names the rule that broke.
    check('unseen-short-epochs', 'A job with other short epochs and reclaim moments follows every rule', (ctx) => expectJob(ctx, variedScenarios(ctx.seed)[0]!, everyRule), sim);
    check('unseen-long-epochs', 'A job with other long epochs and reclaim moments follows every rule', (ctx) => expectJob(ctx, variedScenarios(ctx.seed)[1]!, everyRule), sim);
    check('unseen-restarts', 'A job reclaimed three times, once in the first epoch after a restart, follows every rule', (ctx) =>
      expectJob(ctx, variedScenarios(ctx.seed)[2]!, everyRule), sim);
  });

  step(4, () => {
    check('job-other-inputs', 'The request follows its inputs (another job, bucket, role, image, instance type and a half-hour limit)', async (ctx) => {
      await createJob(ctx, OTHER_JOB, expectRequest(ctx, OTHER_JOB, 'all', `For ${JSON.stringify(OTHER_JOB)}: `));
    });
    check('job-runs-on-spot', 'The job completes on managed Spot and bills less than it trains', (ctx) => expectCompletedOnSpot(ctx));
  });
});
