// A fake SageMaker for training jobs: CreateTrainingJob validates the request as the service
// does (the SDK validates nothing client-side, and under the mock its serialiser does not run
// either), DescribeTrainingJob reports a job whose life follows the simulated clock, including
// managed Spot's interruptions and the billable time that makes Spot worth it.
//
//   const sagemaker = new FakeSageMaker(env);
//   await sagemaker.client().send(new CreateTrainingJobCommand(request)); // ValidationException if AWS would refuse it
//   env.clock.advance(3 * 3600_000);
//   (await client.send(new DescribeTrainingJobCommand({ TrainingJobName }))).BillableTimeInSeconds;
//
// Facts (checked 2026-11-25):
// - Shapes, patterns and bounds: botocore data/sagemaker/2017-07-24/service-2.json (commit
//   cd92077): TrainingJobName 1–63, ^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}; RoleArn 20–2048,
//   ^arn:aws[a-z\-]*:iam::\d{12}:role/?[a-zA-Z_0-9+=,.@\-_/]+$; S3Uri ≤1024,
//   ^(https|s3)://([^/]+)/?(.*)$; TrainingInputMode Pipe|File|FastFile; ResourceConfig requires
//   VolumeSizeInGB; CreateTrainingJobRequest requires TrainingJobName, AlgorithmSpecification,
//   RoleArn, OutputDataConfig, ResourceConfig, StoppingCondition. (SDK 3.1142's model relaxed the
//   last three for serverless jobs, which this fake does not model, so it keeps requiring them.)
// - Instance types: the SDK's own TrainingInstanceType enum (3.1142).
// - MaxRuntimeInSeconds ≥ 1, at most 28 days; MaxWaitTimeInSeconds ≥ MaxRuntimeInSeconds and
//   only with managed Spot (API reference, StoppingCondition). The wording "Invalid
//   MaxWaitTimeInSeconds. It is only supported when EnableManagedSpotTraining is set to true"
//   is the service's own (quoted in aws/amazon-sagemaker-examples#869); the other messages keep
//   that form and the documented meaning.
// - Structural errors read "1 validation error detected: Value 'x' at 'trainingJobName' failed
//   to satisfy constraint: Member must satisfy regular expression pattern: …" (Kenza-AI/sagify#57).
// - DescribeTrainingJob of an unknown job answers ValidationException "Requested resource not
//   found." rather than the modeled ResourceNotFound (aws/aws-sdk#165).
// - Savings = (1 − BillableTimeInSeconds / TrainingTimeInSeconds) × 100 (DescribeTrainingJob,
//   BillableTimeInSeconds).

import {
  CreateTrainingJobCommand,
  DescribeTrainingJobCommand,
  ResourceInUse,
  SageMakerClient,
  SageMakerServiceException,
  StopTrainingJobCommand,
  TrainingInputMode,
  TrainingInstanceType,
} from '@aws-sdk/client-sagemaker';
import type {
  CreateTrainingJobCommandInput,
  DescribeTrainingJobCommandOutput,
  SecondaryStatus,
  SecondaryStatusTransition,
  TrainingJobStatus,
} from '@aws-sdk/client-sagemaker';
import type { AwsEnv } from './env.ts';
import type { ExceptionClass } from './errors.ts';
import type { Call } from './mock.ts';
import { FakeAwsService } from './service.ts';
import { Constraints, typeMismatch } from './validation.ts';
import type { RejectionFactory } from './validation.ts';

export const TRAINING_JOB_NAME = /^(?:[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62})$/;
export const ROLE_ARN = /^arn:aws[a-z\-]*:iam::\d{12}:role\/?[a-zA-Z_0-9+=,.@\-_/]+$/;
export const S3_URI = /^(https|s3):\/\/([^/]+)\/?(.*)$/;
/** 28 days: the longest MaxRuntimeInSeconds a training job may ask for. */
export const MAX_RUNTIME_LIMIT_SECONDS = 28 * 24 * 3600;

const PATTERN_TEXT = {
  trainingJobName: '^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}',
  roleArn: '^arn:aws[a-z\\-]*:iam::\\d{12}:role/?[a-zA-Z_0-9+=,.@\\-_/]+$',
  s3Uri: '^(https|s3)://([^/]+)/?(.*)$',
};

// ---------------------------------------------------------------------------------------------
// Validation: the request as the service judges it. Pure, so tests and checks can call it.

export class SageMakerRequestError extends Error {
  readonly code: 'ValidationException' | 'SerializationException' | 'ResourceInUse';
  constructor(code: SageMakerRequestError['code'], message: string) {
    super(message);
    this.code = code;
  }
}

type Json = Record<string, unknown>;

/** SageMaker's validation problems, as SageMakerRequestErrors (validation.ts builds the messages). */
const reject: RejectionFactory = (code, message) => new SageMakerRequestError(code, message);

const INSTANCE_TYPES = Object.values(TrainingInstanceType) as string[];
const INPUT_MODES = Object.values(TrainingInputMode) as string[];

/**
 * Throws SageMakerRequestError exactly when SageMaker would refuse the request, with the
 * service's meaning: first every structural problem (required members, lengths, patterns,
 * ranges, enums) in one message, then the rules that relate members to each other.
 */
export function validateCreateTrainingJob(input: CreateTrainingJobCommandInput | Json): void {
  const request = input as Json;
  const c = new Constraints(reject);

  if (c.required('trainingJobName', request.TrainingJobName)) {
    c.string('trainingJobName', request.TrainingJobName, { min: 1, max: 63, pattern: TRAINING_JOB_NAME, patternText: PATTERN_TEXT.trainingJobName });
  }
  if (c.required('roleArn', request.RoleArn)) {
    c.string('roleArn', request.RoleArn, { min: 20, max: 2048, pattern: ROLE_ARN, patternText: PATTERN_TEXT.roleArn });
  }

  const algorithm = request.AlgorithmSpecification;
  if (c.required('algorithmSpecification', algorithm) && c.structure(algorithm)) {
    c.string('algorithmSpecification.trainingImage', algorithm.TrainingImage, { max: 255 });
    c.string('algorithmSpecification.algorithmName', algorithm.AlgorithmName, { min: 1, max: 170 });
    if (c.required('algorithmSpecification.trainingInputMode', algorithm.TrainingInputMode)) {
      c.oneOf('algorithmSpecification.trainingInputMode', algorithm.TrainingInputMode, INPUT_MODES);
    }
  }

  const output = request.OutputDataConfig;
  if (c.required('outputDataConfig', output) && c.structure(output)) {
    if (c.required('outputDataConfig.s3OutputPath', output.S3OutputPath)) {
      c.string('outputDataConfig.s3OutputPath', output.S3OutputPath, { max: 1024, pattern: S3_URI, patternText: PATTERN_TEXT.s3Uri });
    }
    c.string('outputDataConfig.kmsKeyId', output.KmsKeyId, { max: 2048 });
  }

  const resources = request.ResourceConfig;
  if (c.required('resourceConfig', resources) && c.structure(resources)) {
    c.oneOf('resourceConfig.instanceType', resources.InstanceType, INSTANCE_TYPES);
    c.integer('resourceConfig.instanceCount', resources.InstanceCount, { min: 0 });
    if (c.required('resourceConfig.volumeSizeInGB', resources.VolumeSizeInGB)) {
      c.integer('resourceConfig.volumeSizeInGB', resources.VolumeSizeInGB, { min: 1 });
    }
  }

  const stopping = request.StoppingCondition;
  if (c.required('stoppingCondition', stopping) && c.structure(stopping)) {
    c.integer('stoppingCondition.maxRuntimeInSeconds', stopping.MaxRuntimeInSeconds, { min: 1 });
    c.integer('stoppingCondition.maxWaitTimeInSeconds', stopping.MaxWaitTimeInSeconds, { min: 1 });
  }

  const checkpoints = request.CheckpointConfig;
  if (c.structure(checkpoints)) {
    if (c.required('checkpointConfig.s3Uri', checkpoints.S3Uri)) {
      c.string('checkpointConfig.s3Uri', checkpoints.S3Uri, { max: 1024, pattern: S3_URI, patternText: PATTERN_TEXT.s3Uri });
    }
    c.string('checkpointConfig.localPath', checkpoints.LocalPath, { max: 4096 });
  }

  c.boolean(request.EnableManagedSpotTraining);
  const hyper = request.HyperParameters;
  if (c.structure(hyper)) {
    const entries = Object.entries(hyper);
    if (entries.length > 100) c.fail('hyperParameters', `{${entries.length} entries}`, 'Member must have length less than or equal to 100');
    for (const [key, value] of entries) {
      if (key.length > 256) c.fail(`hyperParameters.${key}.key`, key, 'Member must have length less than or equal to 256');
      c.string(`hyperParameters.${key}.member`, value, { max: 2500 });
    }
  }
  const tags = request.Tags;
  if (tags !== undefined && tags !== null) {
    if (!Array.isArray(tags)) throw typeMismatch(tags, 'List', reject);
    if (tags.length > 50) c.fail('tags', `[${tags.length} tags]`, 'Member must have length less than or equal to 50');
  }
  c.throwIfAny();

  // ----- rules between members (checked once the shape is right) -----
  const invalid = (message: string) => new SageMakerRequestError('ValidationException', message);
  const algo = algorithm as Json;
  if (!algo.TrainingImage && !algo.AlgorithmName) {
    throw invalid('Either AlgorithmName or TrainingImage must be specified in AlgorithmSpecification.');
  }
  if (algo.TrainingImage && algo.AlgorithmName) {
    throw invalid('Only one of AlgorithmName or TrainingImage can be specified in AlgorithmSpecification, not both.');
  }
  const res = resources as Json;
  if (res.InstanceGroups === undefined) {
    if (res.InstanceType === undefined) throw invalid('ResourceConfig must specify InstanceType (or InstanceGroups for a heterogeneous cluster).');
    if (res.InstanceCount === undefined || (res.InstanceCount as number) < 1) {
      throw invalid('ResourceConfig.InstanceCount must be at least 1 when InstanceType is specified.');
    }
  }
  const stop = stopping as Json;
  const maxRuntime = stop.MaxRuntimeInSeconds as number | undefined;
  const maxWait = stop.MaxWaitTimeInSeconds as number | undefined;
  if (maxRuntime !== undefined && maxRuntime > MAX_RUNTIME_LIMIT_SECONDS) {
    throw invalid(`Invalid MaxRuntimeInSeconds. It must be less than or equal to ${MAX_RUNTIME_LIMIT_SECONDS} seconds (28 days).`);
  }
  const spot = request.EnableManagedSpotTraining === true;
  if (!spot && maxWait !== undefined) {
    throw invalid('Invalid MaxWaitTimeInSeconds. It is only supported when EnableManagedSpotTraining is set to true');
  }
  if (spot) {
    const runtime = maxRuntime ?? 86_400; // the documented default: 1 day
    if (maxWait === undefined || maxWait < runtime) {
      throw invalid(
        `Invalid MaxWaitTimeInSeconds. It must be present and be greater than or equal to MaxRuntimeInSeconds (${runtime}) when EnableManagedSpotTraining is set to true; it was ${maxWait === undefined ? 'not set' : maxWait}.`,
      );
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Job life: a deterministic timeline from creation, read against the simulated clock.

/** How a job runs once created. Deterministic: no randomness, so every check sees the same job. */
export interface TrainingJobPlan {
  /** Seconds of training the job needs, uninterrupted. */
  workSeconds: number;
  /** Launching instances and downloading data, per start (and restart). */
  startupSeconds: number;
  /** Uploading the model at the end. */
  uploadSeconds: number;
  /** Managed Spot only: waiting for capacity before each start. */
  spotCapacityWaitSeconds: number;
  /** Managed Spot only: how many times the instance is reclaimed mid-training. */
  spotInterruptions: number;
  /** Managed Spot only: price relative to on-demand that billing applies (0.3 = 70% saved). */
  spotPriceRatio: number;
  /** Training lost per interruption when the job has a CheckpointConfig (the rest resumes). */
  checkpointLossSeconds: number;
  /**
   * The job fails this many seconds into training (an algorithm error, bad data), ending as
   * Failed with `reason` as its FailureReason, e.g. 'AlgorithmError: …'. Unset: it does not fail.
   */
  failure?: { afterTrainingSeconds: number; reason: string };
}

export const DEFAULT_TRAINING_JOB_PLAN: TrainingJobPlan = {
  workSeconds: 3600,
  startupSeconds: 180,
  uploadSeconds: 60,
  spotCapacityWaitSeconds: 300,
  spotInterruptions: 1,
  spotPriceRatio: 0.3,
  checkpointLossSeconds: 300,
};

interface Transition {
  atSeconds: number;
  status: TrainingJobStatus;
  secondary: SecondaryStatus;
  message: string;
}

interface Timeline {
  transitions: Transition[];
  /** Seconds from creation until training first started on instances. */
  trainingStartSeconds?: number;
  endSeconds: number;
  /** Seconds the job ran on instances (startup, training, upload), as TrainingTimeInSeconds. */
  trainingSeconds: number;
}

function timeline(request: Json, plan: TrainingJobPlan): Timeline {
  const spot = request.EnableManagedSpotTraining === true;
  const stop = request.StoppingCondition as Json;
  const maxRuntime = (stop.MaxRuntimeInSeconds as number | undefined) ?? 86_400;
  const maxWait = spot ? (stop.MaxWaitTimeInSeconds as number) : Infinity;
  const checkpointed = request.CheckpointConfig !== undefined && request.CheckpointConfig !== null;
  const transitions: Transition[] = [];
  let t = 0;
  let onInstances = 0;
  let trainingStartSeconds: number | undefined;
  const at = (status: TrainingJobStatus, secondary: SecondaryStatus, message: string) =>
    transitions.push({ atSeconds: t, status, secondary, message });

  // Advance by `seconds` of instance time unless a limit stops the job first; true if it did.
  const run = (seconds: number): boolean => {
    const runtimeLeft = maxRuntime - onInstances;
    const waitLeft = maxWait - t;
    const allowed = Math.min(seconds, runtimeLeft, waitLeft);
    t += allowed;
    onInstances += allowed;
    if (allowed < seconds) {
      const byRuntime = runtimeLeft <= waitLeft;
      at('Stopping', 'Stopping', 'Stopping the training job.');
      at('Stopped', byRuntime ? 'MaxRuntimeExceeded' : 'MaxWaitTimeExceeded',
        byRuntime
          ? `Training job stopped: it ran for MaxRuntimeInSeconds (${maxRuntime} s) without completing.`
          : `Training job stopped: it did not complete within MaxWaitTimeInSeconds (${maxWait} s).`);
      return true;
    }
    return false;
  };
  const wait = (seconds: number): boolean => {
    const waitLeft = maxWait - t;
    if (seconds > waitLeft) {
      t = maxWait;
      at('Stopped', 'MaxWaitTimeExceeded', `Training job stopped: no Spot capacity within MaxWaitTimeInSeconds (${maxWait} s).`);
      return true;
    }
    t += seconds;
    return false;
  };

  at('InProgress', 'Starting', spot ? 'Waiting for Spot capacity.' : 'Launching requested ML instances.');
  let remaining = plan.workSeconds;
  const interruptions = spot ? plan.spotInterruptions : 0;
  const finish = (): Timeline => ({ transitions, trainingStartSeconds, endSeconds: t, trainingSeconds: onInstances });
  for (let attempt = 0; ; attempt++) {
    if (spot && wait(plan.spotCapacityWaitSeconds)) return finish();
    if (attempt > 0) at('InProgress', 'Restarting', 'Restarting the training job on new Spot capacity.');
    at('InProgress', 'Downloading', 'Downloading input data.');
    if (run(plan.startupSeconds)) return finish();
    trainingStartSeconds ??= t;
    at('InProgress', 'Training', 'Training image download completed. Training in progress.');
    if (attempt < interruptions) {
      // Reclaimed halfway through what is left; checkpoints decide how much of it survives.
      const done = Math.floor(remaining / 2);
      if (run(done)) return finish();
      const lost = checkpointed ? Math.min(plan.checkpointLossSeconds, done) : done;
      remaining -= done - lost;
      at('InProgress', 'Interrupted', checkpointed
        ? `Spot instance reclaimed; the job resumes from its latest checkpoint (${lost} s of training to redo).`
        : 'Spot instance reclaimed; without CheckpointConfig the job restarts training from the beginning.');
      continue;
    }
    if (plan.failure && plan.failure.afterTrainingSeconds < remaining) {
      if (run(plan.failure.afterTrainingSeconds)) return finish();
      at('Failed', 'Failed', plan.failure.reason);
      return finish();
    }
    if (run(remaining)) return finish();
    at('InProgress', 'Uploading', 'Uploading generated training model.');
    if (run(plan.uploadSeconds)) return finish();
    at('Completed', 'Completed', 'Training job completed.');
    return finish();
  }
}

export interface TrainingJobRecord {
  name: string;
  arn: string;
  request: CreateTrainingJobCommandInput;
  createdAt: Date;
  plan: TrainingJobPlan;
  /** Set by StopTrainingJob. */
  stoppedAtSeconds?: number;
}

export interface FakeSageMakerOptions {
  /** How jobs run (default DEFAULT_TRAINING_JOB_PLAN); may depend on the request. */
  plan?: (request: CreateTrainingJobCommandInput) => Partial<TrainingJobPlan>;
}

export class FakeSageMaker extends FakeAwsService<SageMakerClient, FakeSageMaker> {
  readonly #jobs = new Map<string, TrainingJobRecord>();
  readonly #options: FakeSageMakerOptions;

  constructor(env: AwsEnv, options: FakeSageMakerOptions = {}) {
    super(env, {
      service: 'sagemaker',
      clientClass: SageMakerClient,
      exceptionBase: SageMakerServiceException as unknown as ExceptionClass,
      exceptions: { ResourceInUse: ResourceInUse as unknown as ExceptionClass },
    });
    this.#options = options;
    this.on(CreateTrainingJobCommand, (input, call) => this.#create(input, call), {
      doc:
        'Validates the request as SageMaker does (required members, lengths, patterns, enums: one ValidationException; MaxWait ≥ MaxRuntime and only with managed Spot; runtime ≤ 28 days); names unique per account, case-insensitively.',
      output: ['TrainingJobArn'],
    });
    this.on(DescribeTrainingJobCommand, (input, call) => this.#describe(input.TrainingJobName, call), {
      doc:
        'A job whose life follows the simulated clock (Starting, Downloading, Training, Spot interruptions, Uploading, Completed, Failed with its FailureReason, or Stopped by MaxRuntime/MaxWait); TrainingTimeInSeconds and BillableTimeInSeconds once finished.',
      output: ['TrainingJobStatus', 'SecondaryStatus', 'TrainingTimeInSeconds', 'BillableTimeInSeconds', 'FailureReason'],
    });
    this.on(StopTrainingJobCommand, (input, call) => this.#stop(input.TrainingJobName, call), {
      doc: 'Stops a job that is in progress (ValidationException otherwise); it ends as Stopped.',
    });
  }

  /** Jobs created so far, oldest first (not traced). */
  jobs(): TrainingJobRecord[] {
    return [...this.#jobs.values()];
  }

  job(name: string): TrainingJobRecord | undefined {
    return this.#jobs.get(name);
  }

  /** When a job reaches (or reached) its final status on the simulated clock (not traced). */
  jobEnd(name: string): Date | undefined {
    const job = this.#jobs.get(name);
    return job && new Date(job.createdAt.getTime() + this.#view(job).end * 1000);
  }

  override snapshot(): { trainingJobs: Record<string, { status: string; secondaryStatus: string; managedSpot: boolean }> } {
    const trainingJobs: Record<string, { status: string; secondaryStatus: string; managedSpot: boolean }> = {};
    for (const job of this.#jobs.values()) {
      const view = this.#view(job);
      trainingJobs[job.name] = { status: view.status, secondaryStatus: view.secondary, managedSpot: job.request.EnableManagedSpotTraining === true };
    }
    return { trainingJobs };
  }

  #error(name: string, message: string, httpStatusCode: number, call: Call): Error {
    return this.error(name, message, call, { httpStatusCode });
  }

  #create(input: CreateTrainingJobCommandInput, call: Call) {
    try {
      validateCreateTrainingJob(input);
    } catch (error) {
      if (error instanceof SageMakerRequestError) throw this.#error(error.code, error.message, 400, call);
      throw error;
    }
    const name = input.TrainingJobName!;
    const arn = `arn:aws:sagemaker:${this.env.region}:${this.env.accountId}:training-job/${name.toLowerCase()}`;
    // Names are unique per account and region, case-insensitively (the ARN is lower-cased).
    const existing = [...this.#jobs.values()].find((j) => j.name.toLowerCase() === name.toLowerCase());
    if (existing) {
      throw this.#error(
        'ResourceInUse',
        `Training job names must be unique within an AWS account and region, and a training job with this name already exists (${existing.arn})`,
        400,
        call,
      );
    }
    const plan = { ...DEFAULT_TRAINING_JOB_PLAN, ...this.#options.plan?.(input) };
    // Keep our own copy: the learner may reuse and change the object after sending it.
    const request = structuredClone(input) as CreateTrainingJobCommandInput;
    this.#jobs.set(name, { name, arn, request, createdAt: this.env.clock.now(), plan });
    return { TrainingJobArn: arn };
  }

  #find(name: unknown, call: Call): TrainingJobRecord {
    const c = new Constraints(reject);
    if (c.required('trainingJobName', name)) {
      c.string('trainingJobName', name, { min: 1, max: 63, pattern: TRAINING_JOB_NAME, patternText: PATTERN_TEXT.trainingJobName });
    }
    try {
      c.throwIfAny();
    } catch (error) {
      const e = error as SageMakerRequestError;
      throw this.#error(e.code, e.message, 400, call);
    }
    const job = this.#jobs.get(name as string);
    if (!job) throw this.#error('ValidationException', 'Requested resource not found.', 400, call);
    return job;
  }

  #view(job: TrainingJobRecord) {
    const life = timeline(job.request as unknown as Json, job.plan);
    const elapsed = (this.env.clock.now().getTime() - job.createdAt.getTime()) / 1000;
    let transitions = life.transitions;
    let end = life.endSeconds;
    let trainingSeconds = life.trainingSeconds;
    if (job.stoppedAtSeconds !== undefined && job.stoppedAtSeconds < life.endSeconds) {
      const stopped = job.stoppedAtSeconds;
      transitions = [
        ...transitions.filter((t) => t.atSeconds <= stopped),
        { atSeconds: stopped, status: 'Stopping', secondary: 'Stopping', message: 'Stopping the training job.' },
        { atSeconds: stopped, status: 'Stopped', secondary: 'Stopped', message: 'The training job was stopped (StopTrainingJob).' },
      ];
      end = stopped;
      trainingSeconds = Math.min(trainingSeconds, Math.max(0, stopped - (life.trainingStartSeconds ?? stopped)));
    }
    const seen = transitions.filter((t) => t.atSeconds <= elapsed);
    const current = seen[seen.length - 1]!;
    const finished = elapsed >= end && ['Completed', 'Stopped', 'Failed'].includes(current.status);
    return { life, transitions, seen, current, status: current.status, secondary: current.secondary, finished, end, trainingSeconds };
  }

  #describe(name: string | undefined, call: Call): Omit<DescribeTrainingJobCommandOutput, '$metadata'> {
    const job = this.#find(name, call);
    const view = this.#view(job);
    const created = job.createdAt.getTime();
    const when = (seconds: number) => new Date(created + seconds * 1000);
    const request = job.request;
    const spot = request.EnableManagedSpotTraining === true;
    const transitionsOut: SecondaryStatusTransition[] = view.seen.map((t, i) => {
      const next = view.seen[i + 1];
      return {
        Status: t.secondary,
        StartTime: when(t.atSeconds),
        ...(next ? { EndTime: when(next.atSeconds) } : {}),
        StatusMessage: t.message,
      };
    });
    const out: Omit<DescribeTrainingJobCommandOutput, '$metadata'> = {
      TrainingJobName: job.name,
      TrainingJobArn: job.arn,
      ModelArtifacts: { S3ModelArtifacts: view.status === 'Completed' ? `${request.OutputDataConfig!.S3OutputPath!.replace(/\/?$/, '/')}${job.name}/output/model.tar.gz` : undefined },
      TrainingJobStatus: view.status,
      SecondaryStatus: view.secondary,
      AlgorithmSpecification: request.AlgorithmSpecification,
      RoleArn: request.RoleArn,
      InputDataConfig: request.InputDataConfig,
      OutputDataConfig: request.OutputDataConfig,
      ResourceConfig: request.ResourceConfig,
      StoppingCondition: request.StoppingCondition,
      CreationTime: job.createdAt,
      LastModifiedTime: when(view.current.atSeconds),
      SecondaryStatusTransitions: transitionsOut,
      EnableNetworkIsolation: request.EnableNetworkIsolation ?? false,
      EnableInterContainerTrafficEncryption: request.EnableInterContainerTrafficEncryption ?? false,
      EnableManagedSpotTraining: spot,
      HyperParameters: request.HyperParameters,
      ...(request.CheckpointConfig ? { CheckpointConfig: request.CheckpointConfig } : {}),
    };
    if (view.life.trainingStartSeconds !== undefined && view.seen.some((t) => t.secondary === 'Downloading')) {
      out.TrainingStartTime = when(view.life.trainingStartSeconds - job.plan.startupSeconds);
    }
    if (view.finished) {
      out.TrainingEndTime = when(view.end);
      const training = Math.max(1, Math.round(view.trainingSeconds));
      out.TrainingTimeInSeconds = training;
      // Spot bills the seconds used at the Spot price; expressed, as SageMaker does, in seconds.
      out.BillableTimeInSeconds = spot ? Math.max(1, Math.round(training * job.plan.spotPriceRatio)) : training;
      if (view.status === 'Failed' || (view.status === 'Stopped' && view.secondary !== 'Stopped')) {
        out.FailureReason = view.current.message;
      }
    }
    return out;
  }

  #stop(name: string | undefined, call: Call) {
    const job = this.#find(name, call);
    const view = this.#view(job);
    if (view.status !== 'InProgress') {
      throw this.#error('ValidationException', `The training job ${job.name} is not in progress: its status is ${view.status}.`, 400, call);
    }
    job.stoppedAtSeconds = (this.env.clock.now().getTime() - job.createdAt.getTime()) / 1000;
    return {};
  }
}
