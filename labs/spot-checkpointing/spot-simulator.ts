// The Spot simulator: runs a learner's `train(env)` on a sequence of simulated Spot instances
// that share one S3 bucket, reclaims them on a schedule, and records everything the checks
// need to judge the job: where each instance resumed from, which epochs were lost or trained
// twice, every checkpoint written and deleted, and the final state against an uninterrupted run.
//
// How time passes (the steps teach exactly this):
// - One simulated clock (env.clock). Nothing really waits: every call advances the clock and
//   resolves at once.
// - trainEpoch takes `epochSeconds`; an S3 request and a metadata request take 1 second each.
// - An instance's calls run one at a time, in the order made: a call made while trainEpoch is
//   running waits for the epoch to end (the training loop is busy), so a notice can only be
//   acted on between epochs.
// - An interruption is anchored to the learner's progress: the notice arrives a given fraction
//   into the instance's n-th trainEpoch call, and the instance is terminated 120 s after the
//   notice, wherever the code is by then. With epochs shorter than the notice window, a loop
//   that checks between epochs still has time to save; with longer ones it does not.
// - After termination the process is gone: every pending and later call of that instance's env
//   never settles (the code simply stops). The next instance starts 5 minutes later.
//
// Environment-agnostic (runs in the browser bundle): no node: imports, time from env.clock.

import { DeleteObjectCommand, DeleteObjectsCommand, GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import type { S3Client } from '@aws-sdk/client-s3';
import type { AwsEnv } from 'whetstone/aws/env';
import { HttpResponseError } from 'whetstone/aws/errors';
import { compareUtf8 } from 'whetstone/aws/s3';
import type { FakeS3 } from 'whetstone/aws/s3';
import type * as Script from './starter/train.ts';
import type { ModelState, TrainingEnv } from './starter/train.ts';

export type { ModelState, TrainingEnv };
export type Train = typeof Script.train;

/** The rules of the simulated world, in one place so steps, checks and messages agree. */
export const SPOT_RULES = {
  noticeSeconds: 120,
  s3RequestSeconds: 1,
  metadataSeconds: 1,
  restartDelaySeconds: 300,
  /** At most this many checkpoints under the prefix. */
  maxCheckpoints: 3,
  /** Checkpoints at least this far apart on an instance, unless the notice is out. */
  checkpointIntervalSeconds: 120,
  /** An epoch that finished less than this before the termination is not counted as lost. */
  lossGraceSeconds: 10,
} as const;

export const INSTANCE_ACTION_PATH = '/latest/meta-data/spot/instance-action';

/** The notice arrives `fraction` of an epoch into the instance's `epochCall`-th trainEpoch call. */
export interface Interruption {
  epochCall: number;
  fraction: number;
}

export interface SpotScenario {
  name: string;
  totalEpochs: number;
  epochSeconds: number;
  /** One per reclaimed instance, in order; the instance after the last is never reclaimed. */
  interruptions: Interruption[];
  bucket: string;
  checkpointPrefix: string;
  /** Varies the initial weights, so no two scenarios share a final state. */
  seed: number;
}

/**
 * What the instance metadata service answers: an HTTP 404 is an error, as with any HTTP client.
 * It follows the fakes' rule for HTTP errors from outside the SDK's service clients
 * (grader/aws/errors.ts): `statusCode` and `$metadata.httpStatusCode`, as the SDK's own
 * metadata helpers set them, plus `status` as fetch-style clients have it.
 */
export class MetadataHttpError extends HttpResponseError {
  readonly status: number;
  constructor(statusCode: number, path: string) {
    super(statusCode, `${statusCode} Not Found: GET ${path}`, 'MetadataHttpError');
    this.status = statusCode;
  }
}

// ---------------------------------------------------------------------------------------------
// Records

export interface CheckpointRef {
  key: string;
  epoch: number;
}

export interface CheckpointWrite extends CheckpointRef {
  instance: number;
  /** When the upload started (the budget counts from there). */
  startedAt: Date;
  /** The notice was out when the upload started. */
  duringNotice: boolean;
  /** Seconds since this instance's previous checkpoint upload started, or since the instance started. */
  sinceLastSeconds: number;
  /** The epoch the key already held, when a different one was overwritten. */
  overwrote?: number;
}

export interface CheckpointDelete extends CheckpointRef {
  instance: number;
  at: Date;
  /** The epochs under the prefix just before the delete, newest first. */
  present: number[];
  /** It was one of the newest `maxCheckpoints`: deleted before the checkpoints replacing it were written. */
  tooEarly: boolean;
}

export interface RetentionExcess {
  instance: number;
  at: Date;
  /** Counted as an epoch started, or when the job ended. */
  moment: 'epoch-start' | 'job-end';
  keys: string[];
}

export interface ResumePoint {
  /** The epoch the state claimed. */
  epoch: number;
  /** The epochs its weights actually went through, in order. */
  lineage: number[];
  source: 'initial' | 'checkpoint' | 'memory';
  /** The checkpoint read back on this instance that held the state, when there was one. */
  key?: string;
}

export interface InstanceRecord {
  index: number;
  startedAt: Date;
  newestAtStart?: CheckpointRef;
  resumedFrom?: ResumePoint;
  /** Epochs completed on this instance (the epoch each trainEpoch call produced). */
  epochs: { epoch: number; finishedAt: Date }[];
  noticeAt?: Date;
  terminatedAt?: Date;
  /** The epoch being trained when the instance was terminated. */
  killedDuringEpoch?: number;
  newestAtTermination?: CheckpointRef;
  /** Completed epochs no checkpoint held at termination (outside the grace period). */
  lost: number[];
  /** Metadata answered this instance with the notice at least once. */
  sawNotice: boolean;
}

export interface InvalidCheckpoint {
  key: string;
  instance: number;
  body: string;
}

export interface SpotRun {
  scenario: SpotScenario;
  instances: InstanceRecord[];
  writes: CheckpointWrite[];
  deletes: CheckpointDelete[];
  retentionExcess: RetentionExcess[];
  invalid: InvalidCheckpoint[];
  outcome: 'returned' | 'threw' | 'stalled';
  /** What train() returned on the last instance. */
  final?: unknown;
  /** The learner's error, when train() threw. */
  error?: unknown;
  expected: ModelState;
  /** The lineage of the returned weights, when they came from this simulator. */
  finalLineage?: number[];
  /** Completed trainEpoch calls over the whole job. */
  epochsTrained: number;
  /** S3 requests sent other than through env.s3 (a client the code built itself). */
  strayS3Requests: number;
  /** Calls made through the env of an instance that had already been reclaimed. */
  staleCalls: { instance: number; call: string }[];
  /** Checkpoints under the prefix when the job ended. */
  checkpointsAtEnd: CheckpointRef[];
}

// ---------------------------------------------------------------------------------------------
// The model being "trained": weights are a hash chain, so skipping or repeating an epoch is visible.

function mix(text: string): string {
  // cyrb53-style 53-bit string hash: tiny, deterministic, enough to make weights unique.
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (h2 >>> 0).toString(16).padStart(8, '0') + (h1 >>> 0).toString(16).padStart(8, '0');
}

export function initialWeights(seed: number): string {
  return mix(`whetstone-spot-initial:${seed}`);
}

export function nextWeights(weights: string, epoch: number): string {
  return mix(`${weights}|epoch:${epoch}`);
}

/** The state after `epochs` uninterrupted epochs. */
export function uninterruptedState(seed: number, epochs: number): ModelState {
  let weights = initialWeights(seed);
  for (let e = 1; e <= epochs; e++) weights = nextWeights(weights, e);
  return { epoch: epochs, weights };
}

/** A checkpoint body as a ModelState, or undefined when it is not one. */
export function parseCheckpoint(text: string | undefined): ModelState | undefined {
  if (text === undefined) return undefined;
  try {
    const value = JSON.parse(text) as unknown;
    if (!value || typeof value !== 'object') return undefined;
    const { epoch, weights } = value as Record<string, unknown>;
    if (typeof epoch !== 'number' || !Number.isInteger(epoch) || typeof weights !== 'string') return undefined;
    return { epoch, weights };
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------

const HANG = () => new Promise<never>(() => {});

type RunOutcome = { kind: 'returned'; value: unknown } | { kind: 'threw'; error: unknown } | { kind: 'terminated' } | { kind: 'stalled' };

export interface SpotSimulatorOptions {
  env: AwsEnv;
  s3: FakeS3;
  scenario: SpotScenario;
  /** Real milliseconds without any env call after which a run counts as stalled (default 1500). */
  stallMs?: number;
}

export class SpotSimulator {
  readonly env: AwsEnv;
  readonly s3: FakeS3;
  readonly scenario: SpotScenario;
  readonly #stallMs: number;
  /** weights → the epochs they went through. */
  readonly #lineage = new Map<string, number[]>();
  readonly #initial: ModelState;
  #run!: SpotRun;
  #current: SimulatedInstance | undefined;
  #lastActivity = 0;
  #forwarded = 0;

  constructor(options: SpotSimulatorOptions) {
    this.env = options.env;
    this.s3 = options.s3;
    this.scenario = options.scenario;
    this.#stallMs = options.stallMs ?? 1500;
    this.#initial = { epoch: 0, weights: initialWeights(options.scenario.seed) };
    this.#lineage.set(this.#initial.weights, []);
    if (!this.s3.hasBucket(options.scenario.bucket)) this.s3.createBucket(options.scenario.bucket);
  }

  get initial(): ModelState {
    return { ...this.#initial };
  }

  lineageOf(weights: string): number[] | undefined {
    return this.#lineage.get(weights);
  }

  /** Checkpoints under the prefix now, in S3 key order, with their epochs (unparsable ones left out). */
  checkpoints(): CheckpointRef[] {
    const { bucket, checkpointPrefix } = this.scenario;
    const out: CheckpointRef[] = [];
    for (const key of this.s3.keys(bucket, checkpointPrefix)) {
      const state = parseCheckpoint(this.s3.getObjectText(bucket, key));
      if (state) out.push({ key, epoch: state.epoch });
    }
    return out;
  }

  newestCheckpoint(): CheckpointRef | undefined {
    let newest: CheckpointRef | undefined;
    for (const c of this.checkpoints()) if (!newest || c.epoch > newest.epoch) newest = c;
    return newest;
  }

  async run(train: Train): Promise<SpotRun> {
    const { scenario } = this;
    const s3CallsBefore = this.env.trace.calls('s3').length;
    this.#forwarded = 0;
    this.#run = {
      scenario,
      instances: [],
      writes: [],
      deletes: [],
      retentionExcess: [],
      invalid: [],
      outcome: 'returned',
      expected: uninterruptedState(scenario.seed, scenario.totalEpochs),
      epochsTrained: 0,
      strayS3Requests: 0,
      staleCalls: [],
      checkpointsAtEnd: [],
    };
    const run = this.#run;
    for (let index = 1; ; index++) {
      const interruption = scenario.interruptions[index - 1];
      const instance = new SimulatedInstance(this, index, interruption);
      this.#current = instance;
      run.instances.push(instance.record);
      const outcome = await this.#drive(instance, train);
      if (outcome.kind === 'terminated') {
        this.env.clock.advance(SPOT_RULES.restartDelaySeconds * 1000);
        continue;
      }
      instance.retire();
      if (outcome.kind === 'returned') {
        run.outcome = 'returned';
        run.final = outcome.value;
        const weights = (outcome.value as Partial<ModelState> | undefined)?.weights;
        if (typeof weights === 'string') run.finalLineage = this.#lineage.get(weights);
        // As at each epoch start: an instance answers for the prefix once it has written to it
        // (a predecessor reclaimed between writing and pruning may have left one too many).
        const excess = this.checkpoints();
        const wrote = run.writes.some((w) => w.instance === index);
        if (wrote && excess.length > SPOT_RULES.maxCheckpoints) {
          run.retentionExcess.push({ instance: index, at: this.env.clock.now(), moment: 'job-end', keys: excess.map((c) => c.key) });
        }
      } else if (outcome.kind === 'threw') {
        run.outcome = 'threw';
        run.error = outcome.error;
      } else {
        run.outcome = 'stalled';
      }
      break;
    }
    this.#current = undefined;
    run.checkpointsAtEnd = this.checkpoints();
    run.strayS3Requests = Math.max(0, this.env.trace.calls('s3').length - s3CallsBefore - this.#forwarded);
    return run;
  }

  async #drive(instance: SimulatedInstance, train: Train): Promise<RunOutcome> {
    this.touch();
    const settled = Promise.resolve()
      .then(() => train(instance.env))
      .then(
        (value): RunOutcome => ({ kind: 'returned', value }),
        (error: unknown): RunOutcome => ({ kind: 'threw', error }),
      );
    let timer: ReturnType<typeof setTimeout> | undefined;
    const stalled = new Promise<RunOutcome>((resolve) => {
      const watch = () => {
        if (performance.now() - this.#lastActivity >= this.#stallMs) resolve({ kind: 'stalled' });
        else timer = setTimeout(watch, 50);
      };
      timer = setTimeout(watch, 50);
    });
    try {
      return await Promise.race([settled, instance.terminated.then((): RunOutcome => ({ kind: 'terminated' })), stalled]);
    } finally {
      clearTimeout(timer);
    }
  }

  // ----- used by SimulatedInstance -----

  touch(): void {
    this.#lastActivity = performance.now();
  }

  get runRecord(): SpotRun {
    return this.#run;
  }

  isCurrent(instance: SimulatedInstance): boolean {
    return this.#current === instance;
  }

  countForwarded(): void {
    this.#forwarded += 1;
  }

  registerWeights(weights: string, lineage: number[]): void {
    if (!this.#lineage.has(weights)) this.#lineage.set(weights, lineage);
  }
}

/** One Spot instance: its env, its clock window, its death. */
class SimulatedInstance {
  readonly sim: SpotSimulator;
  readonly index: number;
  readonly record: InstanceRecord;
  readonly env: TrainingEnv;
  readonly terminated: Promise<void>;
  #die!: () => void;
  #alive = true;
  #retired = false;
  #tail: Promise<unknown> = Promise.resolve();
  #epochCalls = 0;
  #interruption: Interruption | undefined;
  #noticeMs: number | undefined;
  #terminateMs: number | undefined;
  #startMs: number;
  #lastUploadMs: number;
  #wroteCheckpoint = false;
  /** Weights read back from checkpoints on this instance → the key they came from. */
  #read = new Map<string, string>();

  constructor(sim: SpotSimulator, index: number, interruption: Interruption | undefined) {
    this.sim = sim;
    this.index = index;
    this.#interruption = interruption;
    this.#startMs = sim.env.clock.now().getTime();
    this.#lastUploadMs = this.#startMs;
    this.terminated = new Promise((resolve) => {
      this.#die = resolve;
    });
    this.record = {
      index,
      startedAt: new Date(this.#startMs),
      newestAtStart: sim.newestCheckpoint(),
      epochs: [],
      lost: [],
      sawNotice: false,
    };
    const { scenario } = sim;
    const s3 = sim.s3.client();
    // Route this instance's S3 requests through its clock window and its death. The client
    // stays a real S3Client (instanceof holds); only this one object's send is wrapped.
    const send = s3.send as unknown as (this: S3Client, command: unknown, ...rest: unknown[]) => Promise<unknown>;
    Object.defineProperty(s3, 'send', {
      value: (command: unknown, ...rest: unknown[]) => this.#s3(command, () => send.call(s3, command, ...rest)),
      enumerable: false,
      writable: false,
      configurable: false,
    });
    const env: TrainingEnv = {
      s3,
      bucket: scenario.bucket,
      checkpointPrefix: scenario.checkpointPrefix,
      totalEpochs: scenario.totalEpochs,
      initialState: () => sim.initial,
      trainEpoch: (state: ModelState) => this.#trainEpoch(state),
      metadata: (path: string) => this.#metadata(path),
      now: () => sim.env.clock.now(),
    };
    this.env = Object.freeze(env);
  }

  /** The job ended on this instance (train returned or threw): later calls are stale. */
  retire(): void {
    this.#retired = true;
  }

  #nowMs(): number {
    return this.sim.env.clock.now().getTime();
  }

  #hang(call: string): Promise<never> {
    if (!this.sim.isCurrent(this) || this.#retired) this.sim.runRecord.staleCalls.push({ instance: this.index, call });
    return HANG();
  }

  #terminate(atMs: number): void {
    const clock = this.sim.env.clock;
    clock.advance(Math.max(0, atMs - this.#nowMs()));
    this.#alive = false;
    const record = this.record;
    record.terminatedAt = new Date(atMs);
    const newest = this.sim.newestCheckpoint();
    record.newestAtTermination = newest;
    const saved = newest?.epoch ?? 0;
    const graceMs = SPOT_RULES.lossGraceSeconds * 1000;
    record.lost = record.epochs
      .filter((e) => e.epoch > saved && e.finishedAt.getTime() <= atMs - graceMs)
      .map((e) => e.epoch);
    this.#die();
  }

  /**
   * Run one call of this instance: wait for the calls before it, take `seconds` of simulated
   * time, then apply `effect`. If the termination falls inside the window, the call never
   * completes (and never takes effect).
   */
  #op<T>(call: string, seconds: number, effect: (startMs: number) => T | Promise<T>, begin?: (startMs: number) => void): Promise<T> {
    const step = async (): Promise<T> => {
      if (!this.#alive || this.#retired) return this.#hang(call);
      this.sim.touch();
      const start = this.#nowMs();
      begin?.(start);
      const end = start + seconds * 1000;
      if (this.#terminateMs !== undefined && end > this.#terminateMs) {
        this.#terminate(Math.max(start, this.#terminateMs));
        return HANG();
      }
      this.sim.env.clock.advance(end - start);
      return effect(start);
    };
    if (!this.#alive || this.#retired) return this.#hang(call);
    const result = this.#tail.then(step, step);
    this.#tail = result.catch(() => undefined);
    return result;
  }

  #noticeOut(atMs: number): boolean {
    return this.#noticeMs !== undefined && atMs >= this.#noticeMs;
  }

  #trainEpoch(state: ModelState): Promise<ModelState> {
    if (!this.#alive) return this.#hang('trainEpoch');
    const { scenario } = this.sim;
    const problem = this.#stateProblem(state);
    if (problem) return Promise.reject(new TypeError(problem));
    return this.#op(
      'trainEpoch',
      scenario.epochSeconds,
      () => {
        const lineage = [...(this.sim.lineageOf(state.weights) ?? []), state.epoch + 1];
        const next: ModelState = { epoch: state.epoch + 1, weights: nextWeights(state.weights, state.epoch + 1) };
        this.sim.registerWeights(next.weights, lineage);
        this.record.epochs.push({ epoch: next.epoch, finishedAt: this.sim.env.clock.now() });
        this.sim.runRecord.epochsTrained += 1;
        this.record.killedDuringEpoch = undefined;
        return next;
      },
      (start) => {
        this.#epochCalls += 1;
        this.record.killedDuringEpoch = state.epoch + 1;
        if (this.#epochCalls === 1) this.#recordResume(state);
        if (this.#wroteCheckpoint) this.#checkRetention(start);
        const plan = this.#interruption;
        if (plan && this.#noticeMs === undefined && this.#epochCalls === plan.epochCall) {
          this.#noticeMs = start + Math.round(plan.fraction * scenario.epochSeconds * 1000);
          this.#terminateMs = this.#noticeMs + SPOT_RULES.noticeSeconds * 1000;
          this.record.noticeAt = new Date(this.#noticeMs);
        }
      },
    );
  }

  #stateProblem(state: unknown): string | undefined {
    const { scenario } = this.sim;
    if (!state || typeof state !== 'object') {
      return `trainEpoch expects a ModelState { epoch, weights }; it got ${state === null ? 'null' : typeof state}.`;
    }
    const { epoch, weights } = state as Record<string, unknown>;
    if (typeof epoch !== 'number' || !Number.isInteger(epoch) || epoch < 0) {
      return `trainEpoch expects state.epoch to be a whole number of epochs completed; it got ${JSON.stringify(epoch)}. (A state read back from a checkpoint must be the parsed JSON, not the text.)`;
    }
    if (typeof weights !== 'string') {
      return `trainEpoch expects state.weights to be the string initialState() or trainEpoch() gave you; it got ${JSON.stringify(weights) ?? 'undefined'}.`;
    }
    if (epoch >= scenario.totalEpochs) {
      return `trainEpoch was asked to train epoch ${epoch + 1}, but this job has ${scenario.totalEpochs} epochs: stop when state.epoch reaches env.totalEpochs and return the state.`;
    }
    if (!this.sim.lineageOf(weights)) {
      return `trainEpoch received weights that neither initialState() nor trainEpoch() produced ('${weights.slice(0, 24)}'): keep the state exactly as you got it, and save and restore it as JSON.`;
    }
    return undefined;
  }

  #recordResume(state: ModelState): void {
    const lineage = this.sim.lineageOf(state.weights) ?? [];
    const initial = this.sim.initial;
    let source: ResumePoint['source'];
    let key: string | undefined;
    if (state.weights === initial.weights && state.epoch === 0) source = 'initial';
    else if (this.#read.has(state.weights)) {
      source = 'checkpoint';
      key = this.#read.get(state.weights);
    } else source = 'memory';
    this.record.resumedFrom = { epoch: state.epoch, lineage, source, ...(key ? { key } : {}) };
  }

  #checkRetention(atMs: number): void {
    const present = this.sim.checkpoints();
    if (present.length > SPOT_RULES.maxCheckpoints) {
      this.sim.runRecord.retentionExcess.push({ instance: this.index, at: new Date(atMs), moment: 'epoch-start', keys: present.map((c) => c.key) });
    }
  }

  #metadata(path: string): Promise<string> {
    if (!this.#alive) return this.#hang('metadata');
    return this.#op('metadata', SPOT_RULES.metadataSeconds, (start) => {
      const noticeOut = this.#noticeOut(start);
      const normalized = String(path).replace(/^https?:\/\/169\.254\.169\.254/, '').replace(/\/+$/, '');
      switch (normalized) {
        case INSTANCE_ACTION_PATH:
          if (!noticeOut) throw new MetadataHttpError(404, normalized);
          this.record.sawNotice = true;
          return JSON.stringify({ action: 'terminate', time: isoSeconds(this.#terminateMs!) });
        case '/latest/meta-data/spot/termination-time':
          if (!noticeOut) throw new MetadataHttpError(404, normalized);
          this.record.sawNotice = true;
          return isoSeconds(this.#terminateMs!);
        case '/latest/meta-data/instance-id':
          return `i-0${(0x5a0000 + this.sim.scenario.seed * 31 + this.index).toString(16).padStart(16, '0').slice(-16)}`;
        case '/latest/meta-data/instance-life-cycle':
          return 'spot';
        default:
          throw new MetadataHttpError(404, normalized || String(path));
      }
    });
  }

  #s3(command: unknown, forward: () => Promise<unknown>): Promise<unknown> {
    if (!this.#alive) return this.#hang('s3.send');
    const { bucket, checkpointPrefix } = this.sim.scenario;
    const input = ((command as { input?: Record<string, unknown> } | undefined)?.input ?? {}) as Record<string, unknown>;
    const inPrefix = (key: unknown) => input.Bucket === bucket && typeof key === 'string' && key.startsWith(checkpointPrefix);
    const epochOf = (key: string) => parseCheckpoint(this.sim.s3.getObjectText(bucket, key))?.epoch;
    return this.#op('s3.send', SPOT_RULES.s3RequestSeconds, async (start) => {
      this.sim.countForwarded();
      const run = this.sim.runRecord;
      if (command instanceof PutObjectCommand && inPrefix(input.Key)) {
        const key = input.Key as string;
        const before = epochOf(key);
        const result = await forward();
        const body = this.sim.s3.getObjectText(bucket, key);
        const state = parseCheckpoint(body);
        if (!state) {
          run.invalid.push({ key, instance: this.index, body: (body ?? '').slice(0, 200) });
          return result;
        }
        run.writes.push({
          key,
          epoch: state.epoch,
          instance: this.index,
          startedAt: new Date(start),
          duringNotice: this.#noticeOut(start),
          sinceLastSeconds: (start - this.#lastUploadMs) / 1000,
          ...(before !== undefined && before !== state.epoch ? { overwrote: before } : {}),
        });
        this.#lastUploadMs = start;
        this.#wroteCheckpoint = true;
        return result;
      }
      if (command instanceof DeleteObjectCommand || command instanceof DeleteObjectsCommand) {
        const keys =
          command instanceof DeleteObjectCommand
            ? [input.Key]
            : (((input.Delete as { Objects?: { Key?: unknown }[] } | undefined)?.Objects ?? []).map((o) => o?.Key));
        const doomed = new Set(keys.filter(inPrefix) as string[]);
        if (doomed.size) {
          // Newest first; a checkpoint may go once enough newer ones are written to replace it.
          const present = this.sim.checkpoints().sort((a, b) => b.epoch - a.epoch);
          const keep = new Set(present.slice(0, SPOT_RULES.maxCheckpoints).map((c) => c.key));
          for (const c of present) {
            if (!doomed.has(c.key)) continue;
            run.deletes.push({
              key: c.key,
              epoch: c.epoch,
              instance: this.index,
              at: new Date(start),
              present: present.map((p) => p.epoch),
              tooEarly: keep.has(c.key),
            });
          }
        }
        return forward();
      }
      const result = await forward();
      if (command instanceof GetObjectCommand && inPrefix(input.Key)) {
        const state = parseCheckpoint(this.sim.s3.getObjectText(bucket, input.Key as string));
        if (state) this.#read.set(state.weights, input.Key as string);
      }
      return result;
    });
  }
}

function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

// ---------------------------------------------------------------------------------------------
// Reading a run: the facts checks turn into messages.

/** Pairs of written checkpoints whose keys sort against their epochs (S3 lists in UTF-8 byte order). */
export function keyOrderInversion(run: SpotRun): { earlier: CheckpointRef; later: CheckpointRef } | undefined {
  const byKey = new Map<string, number>();
  for (const w of run.writes) byKey.set(w.key, w.epoch);
  const sorted = [...byKey.entries()].sort((a, b) => compareUtf8(a[0], b[0]));
  for (let i = 0; i < sorted.length; i++) {
    for (let j = i + 1; j < sorted.length; j++) {
      if (sorted[i]![1] > sorted[j]![1]) {
        // The key that sorts first holds the higher epoch.
        return { earlier: { key: sorted[i]![0], epoch: sorted[i]![1] }, later: { key: sorted[j]![0], epoch: sorted[j]![1] } };
      }
    }
  }
  return undefined;
}
