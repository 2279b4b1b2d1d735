// The supervisor drives one grading over any transport (child process, Worker, WebContainer):
// it starts a session, watches every check against its time limit, and when the session dies
// (an endless loop, process.exit, out of memory) it records that check and starts a fresh
// session for the checks still to run. It always returns a report. Environment-agnostic.
//
// The pieces: a Grading holds what outlives a session (results, checks still to run, the load
// error, the total time); a Session is one process from start to end, a small state machine
// (loading → idle ⇄ check → over) fed by the transport's messages and exits and by its
// Watchdog, the one timer a session has, which never runs past the total time.

import type { Envelope, RunRequest, SessionMessage } from '../grader/protocol.ts';
import { FAILURE_CODE, FAILURE_CODE_MAX_LENGTH, assembleReport } from '../grader/report.ts';
import type { CheckInfo, CheckResult, CheckStatus, Engine, Report, ReportError } from '../grader/report.ts';

export interface ExitInfo {
  /** 'memory': over the heap/RSS limit; 'exit': the process ended by itself; 'crash': anything else. */
  kind: 'exit' | 'crash' | 'memory' | 'output-limit';
  code?: number | null;
  signal?: string | null;
  detail?: string;
}

export interface TransportSession {
  send(request: RunRequest): void;
  kill(): void;
}

export interface TransportHandlers {
  message(envelope: unknown): void;
  exit(info: ExitInfo): void;
}

export interface Transport {
  start(handlers: TransportHandlers): TransportSession;
}

/** Time as the supervisor sees it: the real clock by default; tests pass one they move themselves. */
export interface Clock {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realClock: Clock = {
  now: () => performance.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export interface SuperviseOptions {
  lab: string;
  checks: readonly CheckInfo[];
  files: Record<string, string>;
  transport: Transport;
  engine: Engine;
  grader: string;
  limits: { checkTimeoutMs: number; totalTimeoutMs: number; memoryMb: number };
  seed?: number;
  /** Time to load the bundle and the submission before the first check. */
  loadTimeoutMs?: number;
  /** Extra time a session gets past a check's own limit before it is killed. */
  graceMs?: number;
  engineNote?: string;
  signal?: AbortSignal;
  newNonce: () => string;
  /** The real clock unless a test passes one it moves itself. */
  clock?: Clock;
  /** Called when a session starts a check, for progress displays. */
  onCheckStart?: (check: CheckInfo) => void;
  /** Called as results arrive, for progress displays. */
  onResult?: (result: CheckResult) => void;
}

const MESSAGE_TYPES = new Set(['loaded', 'load-error', 'check-start', 'check-end', 'done']);
const CHECK_STATUSES = new Set<CheckStatus>(['pass', 'fail', 'error', 'timeout']);
/** Sessions in a row that may end without grading anything before the supervisor gives up. */
const FRUITLESS_SESSIONS_LIMIT = 2;

function exitMessage(info: ExitInfo, limits: SuperviseOptions['limits']): { status: CheckStatus; text: string; kind: ReportError['kind'] } {
  switch (info.kind) {
    case 'memory':
      return {
        status: 'error',
        kind: 'memory',
        text: `Your code ran out of memory (the limit is ${limits.memoryMb} MB). Look for an array or string that grows without end.`,
      };
    case 'output-limit':
      return { status: 'error', kind: 'output-limit', text: 'Your code printed too much output; print less (a log line inside a loop?).' };
    case 'exit':
      return {
        status: 'error',
        kind: 'crash',
        text: `The grading process ended while this ran (exit code ${info.code ?? 'none'}): code that calls process.exit or kills the process cannot be graded. Return or throw instead.`,
      };
    default:
      return {
        status: 'error',
        kind: 'crash',
        text: `The grading process crashed while this ran${info.detail ? `: ${info.detail}` : ''}${info.signal ? ` (signal ${info.signal})` : ''}.`,
      };
  }
}

const seconds = (ms: number) => Math.round(ms / 1000);

function checkTimeoutMessage(limitMs: number, totalTimeoutMs: number, totalTimeUp: boolean): string {
  return totalTimeUp
    ? `Not finished when the submission's total time (${seconds(totalTimeoutMs)} s) ran out.`
    : `Did not finish within ${limitMs / 1000} s and had to be stopped: the code never gave control back. Look for a loop that never ends (e.g. while (true) without a break, or a paging loop whose token never changes).`;
}

function loadTimeoutError(loadTimeoutMs: number): ReportError {
  return {
    kind: 'timeout',
    message: `Your code did not finish loading within ${seconds(loadTimeoutMs)} s. Code at the top level of a file runs on import: is there a loop there that never ends?`,
  };
}

function isEnvelope(value: unknown, nonce: string): value is Envelope {
  if (!value || typeof value !== 'object') return false;
  const v = value as Record<string, unknown>;
  return v.nonce === nonce && typeof v.type === 'string' && MESSAGE_TYPES.has(v.type);
}

/** Trust nothing about a result but its verdict: scores and titles come from the host's check list. */
function sanitizeResult(info: CheckInfo, raw: unknown): CheckResult {
  const r = (raw && typeof raw === 'object' ? raw : {}) as Partial<CheckResult>;
  const status: CheckStatus = CHECK_STATUSES.has(r.status as CheckStatus) ? (r.status as CheckStatus) : 'error';
  const result: CheckResult = {
    id: info.id,
    title: info.title,
    step: info.step,
    status,
    score: status === 'pass' ? info.maxScore : 0,
    maxScore: info.maxScore,
    visibility: info.visibility,
    message: typeof r.message === 'string' ? r.message : '',
    durationMs: typeof r.durationMs === 'number' && r.durationMs >= 0 ? r.durationMs : 0,
  };
  if (Array.isArray(r.trace)) result.trace = r.trace;
  if (typeof r.traceOmitted === 'number') result.traceOmitted = r.traceOmitted;
  if (r.state && typeof r.state === 'object') result.state = r.state;
  if (typeof r.output === 'string') result.output = r.output;
  if (r.unfinished === true) result.unfinished = true;
  if (status === 'fail' && typeof r.code === 'string' && FAILURE_CODE.test(r.code) && r.code.length <= FAILURE_CODE_MAX_LENGTH) result.code = r.code;
  if (Array.isArray(r.figures)) result.figures = r.figures;
  if (typeof r.figuresOmitted === 'number') result.figuresOmitted = r.figuresOmitted;
  return result;
}

/** What outlives a session: the results so far, the checks still to run, the total time. */
class Grading {
  readonly clock: Clock;
  readonly started: number;
  readonly deadline: number;
  readonly #options: SuperviseOptions;
  readonly #infoById: Map<string, CheckInfo>;
  readonly #results = new Map<string, CheckResult>();
  #remaining: string[];
  #fruitlessSessions = 0;
  loadError: ReportError | undefined;

  constructor(options: SuperviseOptions) {
    this.#options = options;
    this.clock = options.clock ?? realClock;
    this.started = this.clock.now();
    this.deadline = this.started + options.limits.totalTimeoutMs;
    this.#infoById = new Map(options.checks.map((c) => [c.id, c]));
    this.#remaining = options.checks.map((c) => c.id);
  }

  get timeIsUp(): boolean {
    return this.clock.now() >= this.deadline;
  }

  /** The check a session may start now: one the host knows and that has no result yet. */
  runnable(id: string): CheckInfo | undefined {
    return this.#remaining.includes(id) ? this.#infoById.get(id) : undefined;
  }

  /** Any check the host knows, by id (a result may only be for the check that is running). */
  info(id: unknown): CheckInfo | undefined {
    return typeof id === 'string' ? this.#infoById.get(id) : undefined;
  }

  /** The request for a fresh session: the checks that have no result yet. */
  request(nonce: string): RunRequest {
    return { files: this.#options.files, only: this.#remaining, seed: this.#options.seed ?? 1, nonce };
  }

  record(result: CheckResult): void {
    this.#results.set(result.id, result);
    this.#remaining = this.#remaining.filter((id) => id !== result.id);
    this.#options.onResult?.(result);
  }

  sessionEnded(progressed: boolean): void {
    this.#fruitlessSessions = progressed ? 0 : this.#fruitlessSessions + 1;
  }

  /** Whether another session is worth starting. */
  get wantsSession(): boolean {
    return (
      this.#remaining.length > 0 &&
      !this.loadError &&
      !this.#options.signal?.aborted &&
      !this.timeIsUp &&
      this.#fruitlessSessions < FRUITLESS_SESSIONS_LIMIT
    );
  }

  /** Give every check still without a result one that says why it did not run. */
  closeUnrun(): void {
    const { signal, limits } = this.#options;
    for (const id of this.#remaining) {
      const timeIsUp = this.timeIsUp;
      const message = signal?.aborted
        ? 'Not run: grading was cancelled.'
        : timeIsUp
          ? `Not run: the submission used up its total time (${seconds(limits.totalTimeoutMs)} s) on earlier checks.`
          : 'Not run: the grading process kept failing before reaching this check.';
      const info = this.#infoById.get(id)!;
      this.#results.set(id, { ...sanitizeResult(info, { status: timeIsUp ? 'timeout' : 'error' }), message });
    }
  }

  report(): Report {
    const options = this.#options;
    return assembleReport({
      lab: options.lab,
      checks: options.checks,
      results: [...this.#results.values()],
      ...(this.loadError ? { error: this.loadError } : {}),
      durationMs: this.clock.now() - this.started,
      engine: options.engine,
      grader: options.grader,
      ...(options.engineNote ? { engineNote: options.engineNote } : {}),
    });
  }
}

/** A session's one timer; it never runs past the grading's total time. */
class Watchdog {
  readonly #grading: Grading;
  #timer: unknown;

  constructor(grading: Grading) {
    this.#grading = grading;
  }

  arm(ms: number, onFire: () => void): void {
    const { clock, deadline } = this.#grading;
    clock.clearTimeout(this.#timer);
    this.#timer = clock.setTimeout(onFire, Math.max(0, Math.min(ms, deadline - clock.now())));
  }

  disarm(): void {
    this.#grading.clock.clearTimeout(this.#timer);
  }
}

type Phase = 'loading' | 'idle' | 'check' | 'over';

/** One session, from the request sent to the process's end. */
class Session {
  readonly #grading: Grading;
  readonly #options: SuperviseOptions;
  readonly #nonce: string;
  readonly #watchdog: Watchdog;
  readonly #grace: number;
  readonly #loadTimeout: number;
  readonly #ended: () => void;
  readonly #onAbort = () => this.#finish();
  #transport: TransportSession | undefined;
  #phase: Phase = 'loading';
  #current: CheckInfo | undefined;
  #checkStartedAt = 0;
  #progressed = false;

  constructor(grading: Grading, options: SuperviseOptions, ended: () => void) {
    this.#grading = grading;
    this.#options = options;
    this.#ended = ended;
    this.#nonce = options.newNonce();
    this.#watchdog = new Watchdog(grading);
    this.#grace = options.graceMs ?? 1000;
    this.#loadTimeout = options.loadTimeoutMs ?? 5_000;
  }

  start(): void {
    this.#options.signal?.addEventListener('abort', this.#onAbort);
    this.#transport = this.#options.transport.start({
      message: (raw) => this.#receive(raw),
      exit: (info) => this.#exited(info),
    });
    // A transport may report the end at once (a Worker that failed to load): nothing to wait for.
    if (this.#phase === 'over') {
      this.#transport.kill();
      return;
    }
    this.#watchdog.arm(this.#loadTimeout, () => this.#loadTimedOut());
    this.#transport.send(this.#grading.request(this.#nonce));
  }

  #receive(raw: unknown): void {
    if (this.#phase === 'over' || !isEnvelope(raw, this.#nonce)) return;
    const message = raw as SessionMessage;
    switch (message.type) {
      case 'loaded':
        this.#awaitNextCheck();
        break;
      case 'load-error':
        this.#grading.loadError = message.error;
        this.#finish();
        break;
      case 'check-start':
        this.#checkStarted(message.id);
        break;
      case 'check-end':
        this.#checkEnded(message.result);
        break;
      case 'done':
        this.#finish();
        break;
    }
  }

  /** Between checks a session has little to do: silence for long means it is stuck. */
  #awaitNextCheck(): void {
    this.#phase = 'idle';
    this.#watchdog.arm(this.#grace * 2, () => this.#checkTimedOut());
  }

  #checkStarted(id: string): void {
    const info = this.#grading.runnable(id);
    if (!info) return;
    this.#phase = 'check';
    this.#current = info;
    this.#checkStartedAt = this.#grading.clock.now();
    this.#watchdog.arm((info.timeoutMs ?? this.#options.limits.checkTimeoutMs) + this.#grace, () => this.#checkTimedOut());
    this.#options.onCheckStart?.(info);
  }

  #checkEnded(raw: CheckResult): void {
    const info = this.#grading.info((raw as { id?: unknown } | undefined)?.id);
    if (!info || info !== this.#current) return;
    this.#record(sanitizeResult(info, raw));
    this.#current = undefined;
    this.#awaitNextCheck();
  }

  #exited(info: ExitInfo): void {
    if (this.#phase === 'over') return;
    const explained = exitMessage(info, this.#options.limits);
    if (this.#phase === 'loading') {
      this.#grading.loadError = { kind: explained.kind, message: explained.text.replace('while this ran', 'while loading your code') };
    } else if (this.#current) {
      this.#record({ ...sanitizeResult(this.#current, { status: explained.status }), message: explained.text, durationMs: this.#checkDuration() });
    }
    this.#finish();
  }

  #loadTimedOut(): void {
    this.#grading.loadError = loadTimeoutError(this.#loadTimeout);
    this.#finish();
  }

  /** The running check ran out of time (or, between checks, the session went silent). */
  #checkTimedOut(): void {
    const info = this.#current;
    if (info) {
      const limit = info.timeoutMs ?? this.#options.limits.checkTimeoutMs;
      this.#record({
        ...sanitizeResult(info, { status: 'timeout' }),
        message: checkTimeoutMessage(limit, this.#options.limits.totalTimeoutMs, this.#grading.timeIsUp),
        durationMs: this.#checkDuration(),
      });
    }
    this.#finish();
  }

  #record(result: CheckResult): void {
    this.#grading.record(result);
    this.#progressed = true;
  }

  #checkDuration(): number {
    return Math.round(this.#grading.clock.now() - this.#checkStartedAt);
  }

  #finish(): void {
    if (this.#phase === 'over') return;
    this.#phase = 'over';
    this.#watchdog.disarm();
    this.#options.signal?.removeEventListener('abort', this.#onAbort);
    this.#transport?.kill();
    this.#grading.sessionEnded(this.#progressed);
    this.#ended();
  }
}

export async function supervise(options: SuperviseOptions): Promise<Report> {
  const grading = new Grading(options);
  while (grading.wantsSession) {
    await new Promise<void>((ended) => new Session(grading, options, ended).start());
  }
  grading.closeUnrun();
  return grading.report();
}
