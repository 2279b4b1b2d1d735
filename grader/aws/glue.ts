// A fake AWS Glue for ETL job runs: StartJobRun starts a run of a job the lab defined, GetJobRun
// reports it as its life follows the simulated clock (STARTING, RUNNING, then SUCCEEDED or
// FAILED), and a job runs at most MaxConcurrentRuns copies at a time, as Glue enforces.
//
//   const glue = new FakeGlue(env);
//   glue.createJob('churn-features', { run: () => ({ durationSeconds: 720 }) });
//   glue.startRunOutside('churn-features', { durationSeconds: 300 });   // a backfill holds the only slot
//   await client.send(new StartJobRunCommand({ JobName: 'churn-features' }));   // ConcurrentRunsExceededException
//
// Facts (AWS Glue API, Jobs › Job runs, read 2026-11-30):
// - StartJobRun: JobName required, 1–255 characters (single-line string pattern); Arguments a
//   map of strings; Timeout (minutes) ≥ 1, default 2,880 (48 hours); NumberOfWorkers an integer;
//   WorkerType Standard | G.1X | G.2X | G.025X | G.4X | G.8X | Z.2X. Answers JobRunId.
// - A job's ExecutionProperty.MaxConcurrentRuns defaults to 1; one more run is
//   ConcurrentRunsExceededException, "Concurrent runs exceeded for <job>" (the service's words,
//   quoted in aws-solutions/amazon-marketing-cloud-uploader-from-aws#51).
// - JobRunState: STARTING | RUNNING | STOPPING | STOPPED | SUCCEEDED | FAILED | TIMEOUT | ERROR |
//   WAITING | EXPIRED; a run that fails carries ErrorMessage; ExecutionTime is in seconds.
// - Job run ids look like 'jr_' and 64 hexadecimal digits.
// - An unknown job or run is EntityNotFoundException (400); the message follows moto's
//   (getmoto/moto, moto/glue/exceptions.py, read 2026-11-30): "Job <name> not found.".

import {
  ConcurrentRunsExceededException,
  EntityNotFoundException,
  GetJobRunCommand,
  GlueClient,
  GlueServiceException,
  InternalServiceException,
  InvalidInputException,
  OperationTimeoutException,
  StartJobRunCommand,
  ThrottlingException,
} from '@aws-sdk/client-glue';
import type { GetJobRunCommandInput, JobRun, JobRunState, StartJobRunCommandInput } from '@aws-sdk/client-glue';
import type { AwsEnv } from './env.ts';
import type { ExceptionClass } from './errors.ts';
import type { Call } from './mock.ts';
import { FakeAwsService } from './service.ts';
import type { Shape } from './validation.ts';

/** What one run of a job does: how long it takes and how it ends. */
export interface GlueRunPlan {
  durationSeconds: number;
  /** Seconds in STARTING (provisioning workers) before RUNNING; default 30 or a tenth of the run. */
  startingSeconds?: number;
  /** Default SUCCEEDED. */
  outcome?: 'SUCCEEDED' | 'FAILED';
  /** Why a FAILED run failed, as GetJobRun reports it. */
  errorMessage?: string;
}

export interface GlueJobOptions {
  /** Default 1, as Glue's ExecutionProperty. */
  maxConcurrentRuns?: number;
  /** How each run started by StartJobRun goes, from its arguments (default: 10 minutes, SUCCEEDED). */
  run?: (args: Readonly<Record<string, string>>, runIndex: number) => GlueRunPlan;
  /** Recorded in each run (GlueVersion, WorkerType…), for GetJobRun. */
  glueVersion?: string;
  workerType?: string;
  numberOfWorkers?: number;
}

export interface GlueJobRunRecord {
  id: string;
  jobName: string;
  arguments: Record<string, string>;
  startedOn: Date;
  plan: Required<Pick<GlueRunPlan, 'durationSeconds' | 'startingSeconds' | 'outcome'>> & Pick<GlueRunPlan, 'errorMessage'>;
  /** Started by someone else (a backfill, a schedule), not through the API in this check. */
  outside: boolean;
  timeoutMinutes: number;
}

interface GlueJob {
  name: string;
  options: GlueJobOptions;
  runs: number;
}

const SINGLE_LINE = /^[\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}\t]*$/u;
const SINGLE_LINE_TEXT = '[\\u0020-\\uD7FF\\uE000-\\uFFFD\\uD800\\uDC00-\\uDBFF\\uDFFF\\t]*';
const WORKER_TYPES = ['Standard', 'G.1X', 'G.2X', 'G.025X', 'G.4X', 'G.8X', 'Z.2X'] as const;
/** The default Timeout of a job run: 2,880 minutes. */
export const DEFAULT_TIMEOUT_MINUTES = 2880;

const START_JOB_RUN: Shape = {
  JobName: { type: 'string', required: true, min: 1, max: 255, pattern: SINGLE_LINE, patternText: SINGLE_LINE_TEXT },
  JobRunId: { type: 'string', min: 1, max: 255, pattern: SINGLE_LINE, patternText: SINGLE_LINE_TEXT },
  Arguments: { type: 'map', value: { type: 'string' } },
  Timeout: { type: 'integer', min: 1 },
  MaxCapacity: { type: 'double' },
  NumberOfWorkers: { type: 'integer' },
  WorkerType: { type: 'string', enum: WORKER_TYPES },
  SecurityConfiguration: { type: 'string', min: 1, max: 255 },
};

const GET_JOB_RUN: Shape = {
  JobName: { type: 'string', required: true, min: 1, max: 255, pattern: SINGLE_LINE, patternText: SINGLE_LINE_TEXT },
  RunId: { type: 'string', required: true, min: 1, max: 255, pattern: SINGLE_LINE, patternText: SINGLE_LINE_TEXT },
  PredecessorsIncluded: { type: 'boolean' },
};

const TERMINAL: readonly JobRunState[] = ['STOPPED', 'SUCCEEDED', 'FAILED', 'TIMEOUT', 'ERROR', 'EXPIRED'];

export class FakeGlue extends FakeAwsService<GlueClient, FakeGlue> {
  readonly #jobs = new Map<string, GlueJob>();
  readonly #runs: GlueJobRunRecord[] = [];
  #ids = 0;

  constructor(env: AwsEnv) {
    super(env, {
      service: 'glue',
      clientClass: GlueClient,
      exceptionBase: GlueServiceException as unknown as ExceptionClass,
      exceptions: {
        ConcurrentRunsExceededException: ConcurrentRunsExceededException as unknown as ExceptionClass,
        EntityNotFoundException: EntityNotFoundException as unknown as ExceptionClass,
        InternalServiceException: InternalServiceException as unknown as ExceptionClass,
        InvalidInputException: InvalidInputException as unknown as ExceptionClass,
        OperationTimeoutException: OperationTimeoutException as unknown as ExceptionClass,
        ThrottlingException: ThrottlingException as unknown as ExceptionClass,
      },
    });
    this.on(StartJobRunCommand, (input, call) => this.#start(input, call), {
      doc: 'Starts a run of a defined job (arguments a string map, Timeout ≥ 1 minute, default 2,880); at most MaxConcurrentRuns running runs per job (default 1), else ConcurrentRunsExceededException; EntityNotFoundException for an unknown job.',
      output: ['JobRunId'],
    });
    this.on(GetJobRunCommand, (input, call) => this.#get(input, call), {
      doc: "A run as the simulated clock has it: STARTING, RUNNING, then SUCCEEDED or FAILED (with ErrorMessage) or TIMEOUT past its Timeout; ExecutionTime in seconds once finished.",
      output: (o) => ({ JobRunState: o.JobRun?.JobRunState, ErrorMessage: o.JobRun?.ErrorMessage }),
    });
  }

  /** Define a job (seeding, not traced). */
  createJob(name: string, options: GlueJobOptions = {}): void {
    this.#jobs.set(name, { name, options, runs: 0 });
  }

  /** A run someone else started (a backfill, a schedule): it holds a slot of the job until it ends. Not traced. */
  startRunOutside(jobName: string, plan: GlueRunPlan, startedOn: Date = this.env.clock.now()): string {
    const job = this.#jobs.get(jobName);
    if (!job) throw new Error(`FakeGlue.startRunOutside: no job '${jobName}'; createJob it first.`);
    return this.#record(job, {}, plan, startedOn, true, DEFAULT_TIMEOUT_MINUTES).id;
  }

  /** Every run, oldest first (not traced). */
  runs(jobName?: string): GlueJobRunRecord[] {
    return this.#runs.filter((r) => jobName === undefined || r.jobName === jobName);
  }

  /** A run's state now, without a call (not traced). */
  runState(run: GlueJobRunRecord): JobRunState {
    return this.#view(run).state;
  }

  /** When a run ends (or ended), on the simulated clock. */
  runEnd(run: GlueJobRunRecord): Date {
    return new Date(run.startedOn.getTime() + this.#lengthSeconds(run) * 1000);
  }

  override snapshot(): { jobRuns: Record<string, { job: string; state: JobRunState; by: string }> } {
    const jobRuns: Record<string, { job: string; state: JobRunState; by: string }> = {};
    for (const run of this.#runs) jobRuns[run.id] = { job: run.jobName, state: this.runState(run), by: run.outside ? 'someone else' : 'StartJobRun' };
    return { jobRuns };
  }

  #lengthSeconds(run: GlueJobRunRecord): number {
    return Math.min(run.plan.durationSeconds, run.timeoutMinutes * 60);
  }

  #view(run: GlueJobRunRecord): { state: JobRunState; finished: boolean } {
    const elapsed = (this.env.clock.now().getTime() - run.startedOn.getTime()) / 1000;
    if (elapsed < run.plan.startingSeconds) return { state: 'STARTING', finished: false };
    if (elapsed < this.#lengthSeconds(run)) return { state: 'RUNNING', finished: false };
    if (run.plan.durationSeconds > run.timeoutMinutes * 60) return { state: 'TIMEOUT', finished: true };
    return { state: run.plan.outcome, finished: true };
  }

  #nextId(): string {
    // Deterministic, and shaped like Glue's: 'jr_' and 64 hexadecimal digits.
    this.#ids += 1;
    let h = 0x811c9dc5 ^ this.#ids;
    let hex = '';
    while (hex.length < 64) {
      h = Math.imul(h ^ (h >>> 13), 0x5bd1e995) ^ hex.length;
      hex += (h >>> 0).toString(16).padStart(8, '0');
    }
    return `jr_${hex.slice(0, 64)}`;
  }

  #record(job: GlueJob, args: Record<string, string>, plan: GlueRunPlan, startedOn: Date, outside: boolean, timeoutMinutes: number): GlueJobRunRecord {
    const run: GlueJobRunRecord = {
      id: this.#nextId(),
      jobName: job.name,
      arguments: { ...args },
      startedOn,
      plan: {
        durationSeconds: plan.durationSeconds,
        startingSeconds: plan.startingSeconds ?? Math.min(30, Math.floor(plan.durationSeconds / 10)),
        outcome: plan.outcome ?? 'SUCCEEDED',
        ...(plan.errorMessage !== undefined ? { errorMessage: plan.errorMessage } : {}),
      },
      outside,
      timeoutMinutes,
    };
    this.#runs.push(run);
    return run;
  }

  #job(name: string, call: Call): GlueJob {
    const job = this.#jobs.get(name);
    if (!job) throw this.error('EntityNotFoundException', `Job ${name} not found.`, call);
    return job;
  }

  #start(input: StartJobRunCommandInput, call: Call) {
    this.checkShape(input, START_JOB_RUN, call);
    const job = this.#job(input.JobName!, call);
    const limit = job.options.maxConcurrentRuns ?? 1;
    const running = this.#runs.filter((r) => r.jobName === job.name && !this.#view(r).finished).length;
    if (running >= limit) throw this.error('ConcurrentRunsExceededException', `Concurrent runs exceeded for ${job.name}`, call);
    const args = { ...(input.Arguments ?? {}) };
    job.runs += 1;
    const plan = job.options.run?.(args, job.runs) ?? { durationSeconds: 600 };
    const run = this.#record(job, args, plan, this.env.clock.now(), false, input.Timeout ?? DEFAULT_TIMEOUT_MINUTES);
    return { JobRunId: run.id };
  }

  #get(input: GetJobRunCommandInput, call: Call): { JobRun: JobRun } {
    this.checkShape(input, GET_JOB_RUN, call);
    this.#job(input.JobName!, call);
    const run = this.#runs.find((r) => r.id === input.RunId && r.jobName === input.JobName);
    if (!run) throw this.error('EntityNotFoundException', `Job run ${input.RunId} not found.`, call);
    const { state, finished } = this.#view(run);
    const job = this.#jobs.get(run.jobName)!;
    const seconds = (this.env.clock.now().getTime() - run.startedOn.getTime()) / 1000;
    const end = this.runEnd(run);
    return {
      JobRun: {
        Id: run.id,
        Attempt: 0,
        JobName: run.jobName,
        StartedOn: run.startedOn,
        LastModifiedOn: finished ? end : this.env.clock.now(),
        ...(finished ? { CompletedOn: end } : {}),
        JobRunState: state,
        Arguments: { ...run.arguments },
        ...(state === 'FAILED' && run.plan.errorMessage ? { ErrorMessage: run.plan.errorMessage } : {}),
        ...(state === 'TIMEOUT' ? { ErrorMessage: `Job run timed out after ${run.timeoutMinutes} minutes.` } : {}),
        PredecessorRuns: [],
        ExecutionTime: Math.round(finished ? this.#lengthSeconds(run) : Math.max(0, seconds)),
        Timeout: run.timeoutMinutes,
        GlueVersion: job.options.glueVersion ?? '4.0',
        WorkerType: (job.options.workerType ?? 'G.1X') as JobRun['WorkerType'],
        NumberOfWorkers: job.options.numberOfWorkers ?? 10,
        LogGroupName: '/aws-glue/jobs',
      },
    };
  }
}

/** Whether a state is one a run does not leave. */
export function isTerminalJobRunState(state: JobRunState | string | undefined): boolean {
  return TERMINAL.includes(state as JobRunState);
}
