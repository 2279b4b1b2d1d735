// How the spot-checkpointing checks run the learner's code and judge it: a job through the Spot
// simulator, judged by one rule of findings.ts (the message names the job, the instance, the
// moment and the epochs); the SageMaker request, sent to the fake SageMaker and held to the
// lab's own rules. The public checks are one line each over these; the hidden ones reuse them.

import { CreateTrainingJobCommand } from '@aws-sdk/client-sagemaker';
import type { CreateTrainingJobCommandInput } from '@aws-sdk/client-sagemaker';
import { describe, fail } from 'whetstone/checks';
import type { Context } from './checks.ts';
import type * as Script from './starter/train.ts';
import {
  budgetProblem,
  deleteOrderProblem,
  finalStateProblem,
  keyOrderProblem,
  lossProblem,
  resumeProblem,
  retentionProblem,
  runProblem,
  wasteNote,
} from './findings.ts';
import { BUCKET, STEADY, describeScenario } from './scenarios.ts';
import { INSTANCE_ACTION_PATH, MetadataHttpError, SpotSimulator } from './spot-simulator.ts';
import type { SpotRun, SpotScenario } from './spot-simulator.ts';

export type JobInput = Parameters<typeof Script.trainingJobRequest>[0];

/** A rule of the steps: what is wrong with a run, or undefined when it holds. */
export type Rule = (run: SpotRun) => string | undefined;

/** Run one job through the simulator; a learner error or an unjudgeable run ends the check here. */
export async function simulate({ env, aws, script }: Context, scenario: SpotScenario): Promise<SpotRun> {
  const simulator = new SpotSimulator({ env, s3: aws.s3, scenario, stallMs: 1000 });
  const run = await simulator.run(script.train);
  if (run.outcome === 'threw') {
    if (run.error instanceof MetadataHttpError) {
      fail(
        `train() let a metadata error escape: ${run.error.message}. ${INSTANCE_ACTION_PATH} answers 404 until an interruption is scheduled; catch the error (its statusCode is 404) and treat it as "no notice yet".`,
      );
    }
    throw run.error;
  }
  const problem = runProblem(run);
  if (problem) fail(`${describeScenario(scenario)}: ${problem}`);
  return run;
}

/**
 * Run one job and fail with the problem `rule` finds, naming the job; then, unless told
 * otherwise, require that the job wrote checkpoints (rules about checkpoints hold vacuously
 * when there are none), and note the work the reclaims cost when asked. One job per check: the
 * learner's module is fresh for each check, as a process is fresh on each real instance, so no
 * variable can carry one job's state into another.
 */
export async function expectJob(ctx: Context, scenario: SpotScenario, rule: Rule, options: { checkpoints?: boolean; waste?: boolean } = {}): Promise<SpotRun> {
  const run = await simulate(ctx, scenario);
  const problem = rule(run);
  if (problem) fail(`Job with ${describeScenario(scenario)}: ${problem}`);
  if ((options.checkpoints ?? true) && run.writes.length === 0 && run.invalid.length === 0) {
    fail(
      `Job with ${describeScenario(run.scenario)}: your code wrote no checkpoint under ${run.scenario.checkpointPrefix}, so nothing survived the reclaims. Write checkpoints there with PutObject (see step 2).`,
    );
  }
  if (options.waste) ctx.note(wasteNote(run, run.scenario));
  return run;
}

/** On an instance never reclaimed, train() runs each epoch once and returns the final state. */
export async function expectSteadyTraining(ctx: Context): Promise<void> {
  const run = await expectJob(ctx, STEADY, (r) => resumeProblem(r) ?? finalStateProblem(r), { checkpoints: false });
  if (run.epochsTrained !== STEADY.totalEpochs) {
    fail(`With an empty bucket and no interruption your code trained ${run.epochsTrained} epochs; the job has ${STEADY.totalEpochs}: start from env.initialState() and call trainEpoch once per epoch.`);
  }
}

/** Every rule of steps 1–3, in the order the steps teach them. */
export function everyRule(run: SpotRun): string | undefined {
  return resumeProblem(run) ?? finalStateProblem(run) ?? keyOrderProblem(run) ?? retentionProblem(run) ?? deleteOrderProblem(run) ?? lossProblem(run) ?? budgetProblem(run);
}

// ---------------------------------------------------------------------------------------------
// The SageMaker request.

export const JOB_INPUT: JobInput = {
  jobName: 'resnet-42',
  bucket: BUCKET,
  roleArn: 'arn:aws:iam::111122223333:role/SageMakerExecution',
  imageUri: '111122223333.dkr.ecr.us-east-1.amazonaws.com/resnet-train:1.4',
  instanceType: 'ml.g5.xlarge',
  maxRuntimeHours: 2,
};

export function jobRequest({ script }: Context, input: JobInput): CreateTrainingJobCommandInput {
  const request = script.trainingJobRequest({ ...input });
  if (!request || typeof request !== 'object') {
    fail(`trainingJobRequest(${JSON.stringify(input)}) returned ${describe(request)}, not a CreateTrainingJob request object.`);
  }
  return request;
}

/** Send the request to the fake SageMaker; fail with the service's own refusal. */
export async function createJob({ aws }: Context, input: JobInput, request: CreateTrainingJobCommandInput): Promise<string> {
  try {
    const out = await aws.sagemaker.client().send(new CreateTrainingJobCommand(request));
    return out.TrainingJobArn!;
  } catch (error) {
    const e = error as Error;
    fail(`SageMaker refused the request for job "${input.jobName}": ${e.name}: ${e.message}`);
  }
}

/** The request for `input` follows the lab's rules for `part`. */
export function expectRequest(ctx: Context, input: JobInput, part: Part, context = ''): CreateTrainingJobCommandInput {
  const request = jobRequest(ctx, input);
  const problems = requestProblems(input, request, part);
  if (problems.length) fail(context + problems.join(' '));
  return request;
}

type Part = 'spot' | 'checkpoints' | 'resources' | 'all';

/** A field of the learner's request, for messages: its value, or 'not set'. */
function setting(value: unknown): string {
  return value === undefined ? 'not set' : describe(value);
}

/** The lab's own rules for the request, beyond what SageMaker validates. */
export function requestProblems(input: JobInput, request: CreateTrainingJobCommandInput, part: Part): string[] {
  const problems: string[] = [];
  const stop = request.StoppingCondition ?? {};
  const runtime = Math.round(input.maxRuntimeHours * 3600);
  if (part === 'spot' || part === 'all') {
    if (request.EnableManagedSpotTraining !== true) {
      problems.push(`EnableManagedSpotTraining is ${setting(request.EnableManagedSpotTraining)}; set it to true to train on Spot capacity.`);
    }
    if (stop.MaxRuntimeInSeconds !== runtime) {
      problems.push(`StoppingCondition.MaxRuntimeInSeconds is ${setting(stop.MaxRuntimeInSeconds)}; for maxRuntimeHours ${input.maxRuntimeHours} it must be ${runtime} (hours × 3600).`);
    }
    const wait = stop.MaxWaitTimeInSeconds;
    if (typeof wait !== 'number' || typeof stop.MaxRuntimeInSeconds !== 'number' || wait < stop.MaxRuntimeInSeconds) {
      problems.push(`StoppingCondition.MaxWaitTimeInSeconds is ${setting(wait)}; it must be at least MaxRuntimeInSeconds (${setting(stop.MaxRuntimeInSeconds)}): it covers the time spent waiting for Spot capacity plus the training itself.`);
    }
  }
  if (part === 'checkpoints' || part === 'all') {
    const uri = `s3://${input.bucket}/checkpoints/${input.jobName}/`;
    const config = request.CheckpointConfig;
    if (!config) problems.push(`CheckpointConfig is missing; without it a reclaimed Spot job starts over from scratch. Set S3Uri ${uri} and LocalPath /opt/ml/checkpoints.`);
    else {
      if (config.S3Uri !== uri) problems.push(`CheckpointConfig.S3Uri is ${setting(config.S3Uri)}; it must be ${uri} (the bucket, checkpoints/, the job name, and a final slash).`);
      if (config.LocalPath !== '/opt/ml/checkpoints' && config.LocalPath !== '/opt/ml/checkpoints/') {
        problems.push(`CheckpointConfig.LocalPath is ${setting(config.LocalPath)}; it must be /opt/ml/checkpoints, the folder SageMaker syncs with S3Uri.`);
      }
    }
  }
  if (part === 'resources' || part === 'all') {
    if (request.TrainingJobName !== input.jobName) problems.push(`TrainingJobName is ${setting(request.TrainingJobName)}; it must be the jobName given, ${describe(input.jobName)}.`);
    if (request.RoleArn !== input.roleArn) problems.push(`RoleArn is ${setting(request.RoleArn)}; it must be the roleArn given, ${input.roleArn}.`);
    const algorithm = request.AlgorithmSpecification;
    if (algorithm?.TrainingImage !== input.imageUri) problems.push(`AlgorithmSpecification.TrainingImage is ${setting(algorithm?.TrainingImage)}; it must be the imageUri given, ${input.imageUri}.`);
    if (!algorithm?.TrainingInputMode) problems.push('AlgorithmSpecification.TrainingInputMode is missing; File is the usual choice.');
    const resources = request.ResourceConfig;
    if (resources?.InstanceType !== input.instanceType) problems.push(`ResourceConfig.InstanceType is ${setting(resources?.InstanceType)}; it must be the instanceType given, ${input.instanceType}.`);
    if (resources?.InstanceCount !== 1) problems.push(`ResourceConfig.InstanceCount is ${setting(resources?.InstanceCount)}; this job trains on 1 instance.`);
    if (!(typeof resources?.VolumeSizeInGB === 'number' && resources.VolumeSizeInGB >= 1)) problems.push(`ResourceConfig.VolumeSizeInGB is ${setting(resources?.VolumeSizeInGB)}; SageMaker requires a storage volume of at least 1 GB.`);
    const output = request.OutputDataConfig?.S3OutputPath;
    if (typeof output !== 'string' || !output.startsWith(`s3://${input.bucket}/`)) {
      problems.push(`OutputDataConfig.S3OutputPath is ${setting(output)}; put the model artifacts in the job's bucket, e.g. s3://${input.bucket}/output/.`);
    }
  }
  return problems;
}

