// Public checks of the spot-checkpointing lab. Each simulation check runs the learner's train()
// through the Spot simulator (spot-simulator.ts) on the jobs of scenarios.ts and judges one rule
// of the steps with findings.ts, so every message names the instance, the moment and the epochs.

import { CreateTrainingJobCommand } from '@aws-sdk/client-sagemaker';
import type { CreateTrainingJobCommandInput } from '@aws-sdk/client-sagemaker';
import { defineLab } from '../../grader/checks.ts';
import type { CheckContext } from '../../grader/checks.ts';
import { FakeS3 } from '../../grader/aws/s3.ts';
import { FakeSageMaker } from '../../grader/aws/sagemaker.ts';
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
import { BUCKET, LONG_EPOCHS, SHORT_EPOCHS, STEADY, describeScenario } from './scenarios.ts';
import { INSTANCE_ACTION_PATH, MetadataHttpError, SpotSimulator } from './spot-simulator.ts';
import type { SpotRun, SpotScenario, Train } from './spot-simulator.ts';

export interface SpotWorld {
  s3: FakeS3;
  sagemaker: FakeSageMaker;
}

export interface JobInput {
  jobName: string;
  bucket: string;
  roleArn: string;
  imageUri: string;
  instanceType: string;
  maxRuntimeHours: number;
}

interface TrainModule {
  train: Train;
  trainingJobRequest: (input: JobInput) => CreateTrainingJobCommandInput;
}

export const lab = defineLab<SpotWorld>({
  aws: (env) => ({ s3: new FakeS3(env), sagemaker: new FakeSageMaker(env) }),
});

type Ctx = CheckContext<SpotWorld>;

/** Run one job through the simulator; a learner error or an unjudgeable run ends the check here. */
export async function simulate(ctx: Ctx, scenario: SpotScenario): Promise<SpotRun> {
  const { train } = ctx.submission.load<TrainModule>('train.ts');
  const simulator = new SpotSimulator({ env: ctx.env, s3: ctx.aws.s3, scenario, stallMs: 1000 });
  const run = await simulator.run(train);
  if (run.outcome === 'threw') {
    if (run.error instanceof MetadataHttpError) {
      ctx.fail(
        `train() let a metadata error escape: ${run.error.message}. ${INSTANCE_ACTION_PATH} answers 404 until an interruption is scheduled; catch the error (its statusCode is 404) and treat it as "no notice yet".`,
      );
    }
    throw run.error;
  }
  const problem = runProblem(run);
  if (problem) ctx.fail(`${describeScenario(scenario)}: ${problem}`);
  return run;
}

/**
 * Run one job and fail with the problem `rule` finds, naming the job. One job per check: the
 * learner's module is fresh for each check, as a process is fresh on each real instance, so no
 * variable can carry one job's state into another.
 */
export async function judge(ctx: Ctx, scenario: SpotScenario, rule: (run: SpotRun) => string | undefined): Promise<SpotRun> {
  const run = await simulate(ctx, scenario);
  const problem = rule(run);
  if (problem) ctx.fail(`Job with ${describeScenario(scenario)}: ${problem}`);
  return run;
}

/** Rules about checkpoints hold vacuously when there are none: say so instead of passing. */
export function requireCheckpoints(ctx: Ctx, run: SpotRun): void {
  if (run.writes.length === 0 && run.invalid.length === 0) {
    ctx.fail(
      `Job with ${describeScenario(run.scenario)}: your code wrote no checkpoint under ${run.scenario.checkpointPrefix}, so nothing survived the reclaims. Write checkpoints there with PutObject (see step 2).`,
    );
  }
}

/** Every rule of steps 1–3, in the order the steps teach them. */
export function everyRule(run: SpotRun): string | undefined {
  return (
    resumeProblem(run) ??
    finalStateProblem(run) ??
    keyOrderProblem(run) ??
    retentionProblem(run) ??
    deleteOrderProblem(run) ??
    lossProblem(run) ??
    budgetProblem(run)
  );
}

// ----- the SageMaker request -----------------------------------------------------------------

export const JOB_INPUT: JobInput = {
  jobName: 'resnet-42',
  bucket: BUCKET,
  roleArn: 'arn:aws:iam::111122223333:role/SageMakerExecution',
  imageUri: '111122223333.dkr.ecr.us-east-1.amazonaws.com/resnet-train:1.4',
  instanceType: 'ml.g5.xlarge',
  maxRuntimeHours: 2,
};

export function jobRequest(ctx: Ctx, input: JobInput): CreateTrainingJobCommandInput {
  const { trainingJobRequest } = ctx.submission.load<TrainModule>('train.ts');
  const request = trainingJobRequest({ ...input });
  if (!request || typeof request !== 'object') {
    ctx.fail(`trainingJobRequest(${JSON.stringify(input)}) returned ${JSON.stringify(request) ?? 'undefined'}, not a CreateTrainingJob request object.`);
  }
  return request;
}

/** Send the request to the fake SageMaker; fail with the service's own refusal. */
export async function createJob(ctx: Ctx, input: JobInput, request: CreateTrainingJobCommandInput): Promise<string> {
  try {
    const out = await ctx.aws.sagemaker.client().send(new CreateTrainingJobCommand(request));
    return out.TrainingJobArn!;
  } catch (error) {
    const e = error as Error;
    ctx.fail(`SageMaker refused the request for job "${input.jobName}": ${e.name}: ${e.message}`);
  }
}

/** The lab's own rules for the request, beyond what SageMaker validates. */
export function requestProblems(input: JobInput, request: CreateTrainingJobCommandInput, part: 'spot' | 'checkpoints' | 'resources' | 'all'): string[] {
  const problems: string[] = [];
  const stop = request.StoppingCondition ?? {};
  const runtime = Math.round(input.maxRuntimeHours * 3600);
  if (part === 'spot' || part === 'all') {
    if (request.EnableManagedSpotTraining !== true) {
      problems.push(`EnableManagedSpotTraining is ${JSON.stringify(request.EnableManagedSpotTraining) ?? 'not set'}; set it to true to train on Spot capacity.`);
    }
    if (stop.MaxRuntimeInSeconds !== runtime) {
      problems.push(`StoppingCondition.MaxRuntimeInSeconds is ${JSON.stringify(stop.MaxRuntimeInSeconds) ?? 'not set'}; for maxRuntimeHours ${input.maxRuntimeHours} it must be ${runtime} (hours × 3600).`);
    }
    const wait = stop.MaxWaitTimeInSeconds;
    if (typeof wait !== 'number' || typeof stop.MaxRuntimeInSeconds !== 'number' || wait < stop.MaxRuntimeInSeconds) {
      problems.push(`StoppingCondition.MaxWaitTimeInSeconds is ${JSON.stringify(wait) ?? 'not set'}; it must be at least MaxRuntimeInSeconds (${JSON.stringify(stop.MaxRuntimeInSeconds) ?? 'not set'}): it covers the time spent waiting for Spot capacity plus the training itself.`);
    }
  }
  if (part === 'checkpoints' || part === 'all') {
    const uri = `s3://${input.bucket}/checkpoints/${input.jobName}/`;
    const config = request.CheckpointConfig;
    if (!config) problems.push(`CheckpointConfig is missing; without it a reclaimed Spot job starts over from scratch. Set S3Uri ${uri} and LocalPath /opt/ml/checkpoints.`);
    else {
      if (config.S3Uri !== uri) problems.push(`CheckpointConfig.S3Uri is ${JSON.stringify(config.S3Uri)}; it must be ${uri} (the bucket, checkpoints/, the job name, and a final slash).`);
      if (config.LocalPath !== '/opt/ml/checkpoints' && config.LocalPath !== '/opt/ml/checkpoints/') {
        problems.push(`CheckpointConfig.LocalPath is ${JSON.stringify(config.LocalPath) ?? 'not set'}; it must be /opt/ml/checkpoints, the folder SageMaker syncs with S3Uri.`);
      }
    }
  }
  if (part === 'resources' || part === 'all') {
    if (request.TrainingJobName !== input.jobName) problems.push(`TrainingJobName is ${JSON.stringify(request.TrainingJobName)}; it must be the jobName given, ${JSON.stringify(input.jobName)}.`);
    if (request.RoleArn !== input.roleArn) problems.push(`RoleArn is ${JSON.stringify(request.RoleArn)}; it must be the roleArn given, ${input.roleArn}.`);
    const algorithm = request.AlgorithmSpecification;
    if (algorithm?.TrainingImage !== input.imageUri) problems.push(`AlgorithmSpecification.TrainingImage is ${JSON.stringify(algorithm?.TrainingImage)}; it must be the imageUri given, ${input.imageUri}.`);
    if (!algorithm?.TrainingInputMode) problems.push('AlgorithmSpecification.TrainingInputMode is missing; File is the usual choice.');
    const resources = request.ResourceConfig;
    if (resources?.InstanceType !== input.instanceType) problems.push(`ResourceConfig.InstanceType is ${JSON.stringify(resources?.InstanceType)}; it must be the instanceType given, ${input.instanceType}.`);
    if (resources?.InstanceCount !== 1) problems.push(`ResourceConfig.InstanceCount is ${JSON.stringify(resources?.InstanceCount) ?? 'not set'}; this job trains on 1 instance.`);
    if (!(typeof resources?.VolumeSizeInGB === 'number' && resources.VolumeSizeInGB >= 1)) problems.push(`ResourceConfig.VolumeSizeInGB is ${JSON.stringify(resources?.VolumeSizeInGB) ?? 'not set'}; SageMaker requires a storage volume of at least 1 GB.`);
    const output = request.OutputDataConfig?.S3OutputPath;
    if (typeof output !== 'string' || !output.startsWith(`s3://${input.bucket}/`)) {
      problems.push(`OutputDataConfig.S3OutputPath is ${JSON.stringify(output) ?? 'not set'}; put the model artifacts in the job's bucket, e.g. s3://${input.bucket}/output/.`);
    }
  }
  return problems;
}

export default lab.checks(({ step, check }) => {
  const sim = { timeoutMs: 8000 };

  step(1, () => {
    check('trains-all-epochs', 'On an instance that is never reclaimed, train() runs every epoch once and returns the final state', async (ctx) => {
      const run = await judge(ctx, STEADY, (r) => resumeProblem(r) ?? finalStateProblem(r));
      if (run.epochsTrained !== STEADY.totalEpochs) {
        ctx.fail(`With an empty bucket and no interruption your code trained ${run.epochsTrained} epochs; the job has ${STEADY.totalEpochs}: start from env.initialState() and call trainEpoch once per epoch.`);
      }
    }, sim);
    check('resumes-newest', 'After a reclaim, the next instance resumes from the newest checkpoint', async (ctx) => {
      const run = await judge(ctx, SHORT_EPOCHS, resumeProblem);
      requireCheckpoints(ctx, run);
      ctx.note(wasteNote(run, run.scenario));
    }, sim);
    check('final-state', 'An interrupted job ends in exactly the state of an uninterrupted run', async (ctx) => {
      const run = await judge(ctx, SHORT_EPOCHS, finalStateProblem);
      ctx.note(wasteNote(run, run.scenario));
    }, sim);
  });

  step(2, () => {
    check('checkpoint-keys', 'Each checkpoint is the JSON of a ModelState under its own key, and keys sort in epoch order', async (ctx) => {
      requireCheckpoints(ctx, await judge(ctx, SHORT_EPOCHS, keyOrderProblem));
    }, sim);
    check('keeps-three', 'At most 3 checkpoints are kept', async (ctx) => {
      requireCheckpoints(ctx, await judge(ctx, SHORT_EPOCHS, retentionProblem));
    }, sim);
    check('delete-after-write', 'A checkpoint is deleted only once 3 newer ones are written', async (ctx) => {
      requireCheckpoints(ctx, await judge(ctx, SHORT_EPOCHS, deleteOrderProblem));
    }, sim);
  });

  step(3, () => {
    check('saves-on-notice', 'With epochs shorter than the notice, no finished epoch is lost to a reclaim', async (ctx) => {
      requireCheckpoints(ctx, await judge(ctx, SHORT_EPOCHS, lossProblem));
    }, sim);
    check('long-epochs', 'With epochs longer than the notice, no finished epoch is lost to a reclaim', async (ctx) => {
      requireCheckpoints(ctx, await judge(ctx, LONG_EPOCHS, lossProblem));
    }, sim);
    check('checkpoint-budget', 'At most one checkpoint per 2 minutes, unless the notice is out', async (ctx) => {
      requireCheckpoints(ctx, await judge(ctx, SHORT_EPOCHS, budgetProblem));
    }, sim);
  });

  step(4, () => {
    check('job-accepted', 'SageMaker accepts the CreateTrainingJob request', async (ctx) => {
      const request = jobRequest(ctx, JOB_INPUT);
      const arn = await createJob(ctx, JOB_INPUT, request);
      ctx.note(`Created ${arn}.`);
    });
    check('job-managed-spot', 'The job uses managed Spot with MaxRuntime from the hours and MaxWait ≥ MaxRuntime', (ctx) => {
      const problems = requestProblems(JOB_INPUT, jobRequest(ctx, JOB_INPUT), 'spot');
      if (problems.length) ctx.fail(problems.join(' '));
    });
    check('job-checkpoint-config', 'The job syncs /opt/ml/checkpoints with s3://<bucket>/checkpoints/<jobName>/', (ctx) => {
      const problems = requestProblems(JOB_INPUT, jobRequest(ctx, JOB_INPUT), 'checkpoints');
      if (problems.length) ctx.fail(problems.join(' '));
    });
    check('job-resources', 'The job uses the given role, image and instance type, one instance, and writes its output to the bucket', (ctx) => {
      const problems = requestProblems(JOB_INPUT, jobRequest(ctx, JOB_INPUT), 'resources');
      if (problems.length) ctx.fail(problems.join(' '));
    });
  });
});
