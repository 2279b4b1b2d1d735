// Public checks of pipeline-orchestration. Every scenario creates the learner's state machine in
// a fake Step Functions (asl-validator's rules), runs it with aws-local-stepfunctions against fake
// Glue, SageMaker, Lambda and SNS on simulated time, plays the reviewer, and judges what the
// pipeline did: deployed or not, who was told, how the execution ended.

import * as G from './grading.ts';

export const lab = G.lab;

export default lab.checks(({ step, check }) => {
  step(1, () => {
    check('good-model-deployed', 'A good model, once approved, is deployed and announced', G.goodModelDeployed, { points: 2, timeoutMs: 15000 });
  });
  step(2, () => {
    check('glue-throttled-retried', 'A throttled Glue start is retried, and the run goes on', G.glueThrottledOnce, { timeoutMs: 15000 });
    check('training-failure-caught', 'A failed training job is not retried: caught, announced, and the run fails', G.trainingFailureCaught, { points: 2, timeoutMs: 15000 });
  });
  step(3, () => {
    check('below-threshold-not-deployed', 'A model under the threshold is not deployed, and a notice says so', (ctx) => G.belowThreshold(ctx, 0.82, 0.9), { timeoutMs: 15000 });
    check('approval-rejected', 'A rejected model is not deployed, and a notice says so', G.approvalRejected, { timeoutMs: 15000 });
    check('approval-times-out', 'An approval nobody answers ends the run within a day', G.approvalTimesOut, { timeoutMs: 15000 });
  });
  step(4, () => {
    check('start-run-starts', 'startRun starts one execution with the run as its input', G.startsOneExecution);
    check('start-run-idempotent', 'Starting the same run again starts nothing new', (ctx) => G.startIsIdempotent(ctx), { points: 2 });
    check('start-run-validates-input', 'startRun refuses a bad input before calling AWS', (ctx) => G.rejectsBadInput(ctx, 'datasetUri', '/local/data.csv'));
  });
});
