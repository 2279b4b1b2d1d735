// The supervisor drives one grading over any transport (child process, Worker, WebContainer):
// it starts a session, watches every check against its time limit, and when the session dies
// (an endless loop, process.exit, out of memory) it records that check and starts a fresh
// session for the checks still to run. It always returns a report. Environment-agnostic.

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
  now?: () => number;
  /** Called as results arrive, for progress displays. */
  onResult?: (result: CheckResult) => void;
}

const MESSAGE_TYPES = new Set(['loaded', 'load-error', 'check-start', 'check-end', 'done']);
const CHECK_STATUSES = new Set<CheckStatus>(['pass', 'fail', 'error', 'timeout']);

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
  if (status === 'fail' && typeof r.code === 'string' && FAILURE_CODE.test(r.code) && r.code.length <= FAILURE_CODE_MAX_LENGTH) result.code = r.code;
  return result;
}

export async function supervise(options: SuperviseOptions): Promise<Report> {
  const now = options.now ?? (() => performance.now());
  const started = now();
  const deadline = started + options.limits.totalTimeoutMs;
  const grace = options.graceMs ?? 1000;
  const loadTimeout = options.loadTimeoutMs ?? 5_000;
  const infoById = new Map(options.checks.map((c) => [c.id, c]));
  const results = new Map<string, CheckResult>();
  let remaining = options.checks.map((c) => c.id);
  let loadError: ReportError | undefined;
  let fruitlessSessions = 0;
  const seed = options.seed ?? 1;

  const record = (result: CheckResult) => {
    results.set(result.id, result);
    remaining = remaining.filter((id) => id !== result.id);
    options.onResult?.(result);
  };

  const runSession = () =>
    new Promise<void>((resolveSession) => {
      const nonce = options.newNonce();
      let phase: 'loading' | 'idle' | 'check' | 'over' = 'loading';
      let current: string | undefined;
      let checkStartedAt = 0;
      let timer: ReturnType<typeof setTimeout> | undefined;
      let progressed = false;
      let session: TransportSession | undefined;

      const finish = () => {
        if (phase === 'over') return;
        phase = 'over';
        clearTimeout(timer);
        options.signal?.removeEventListener('abort', onAbort);
        session?.kill();
        if (progressed) fruitlessSessions = 0;
        else fruitlessSessions += 1;
        resolveSession();
      };
      const arm = (ms: number, onFire: () => void) => {
        clearTimeout(timer);
        const budget = Math.max(0, Math.min(ms, deadline - now()));
        timer = setTimeout(onFire, budget);
      };
      const onAbort = () => finish();
      options.signal?.addEventListener('abort', onAbort);

      const onLoadTimeout = () => {
        loadError = {
          kind: 'timeout',
          message: `Your code did not finish loading within ${Math.round(loadTimeout / 1000)} s. Code at the top level of a file runs on import: is there a loop there that never ends?`,
        };
        finish();
      };
      const onCheckTimeout = () => {
        if (current) {
          const info = infoById.get(current)!;
          const limit = info.timeoutMs ?? options.limits.checkTimeoutMs;
          const overall = now() >= deadline;
          record({
            ...sanitizeResult(info, { status: 'timeout' }),
            message: overall
              ? `Not finished when the submission's total time (${Math.round(options.limits.totalTimeoutMs / 1000)} s) ran out.`
              : `Did not finish within ${limit / 1000} s and had to be stopped: the code never gave control back. Look for a loop that never ends (e.g. while (true) without a break, or a paging loop whose token never changes).`,
            durationMs: Math.round(now() - checkStartedAt),
          });
          progressed = true;
        }
        finish();
      };

      session = options.transport.start({
        message(raw) {
          if (phase === 'over' || !isEnvelope(raw, nonce)) return;
          const message = raw as SessionMessage;
          switch (message.type) {
            case 'loaded':
              phase = 'idle';
              arm(grace * 2, onCheckTimeout);
              break;
            case 'load-error':
              loadError = message.error;
              finish();
              break;
            case 'check-start': {
              const info = infoById.get(message.id);
              if (!info || !remaining.includes(message.id)) return;
              phase = 'check';
              current = message.id;
              checkStartedAt = now();
              arm((info.timeoutMs ?? options.limits.checkTimeoutMs) + grace, onCheckTimeout);
              break;
            }
            case 'check-end': {
              const id = (message.result as { id?: unknown } | undefined)?.id;
              const info = typeof id === 'string' ? infoById.get(id) : undefined;
              if (!info || id !== current) return;
              record(sanitizeResult(info, message.result));
              progressed = true;
              current = undefined;
              phase = 'idle';
              arm(grace * 2, onCheckTimeout);
              break;
            }
            case 'done':
              finish();
              break;
          }
        },
        exit(info) {
          if (phase === 'over') return;
          const explained = exitMessage(info, options.limits);
          if (phase === 'loading') {
            loadError = { kind: explained.kind, message: explained.text.replace('while this ran', 'while loading your code') };
          } else if (current) {
            const check = infoById.get(current)!;
            record({ ...sanitizeResult(check, { status: explained.status }), message: explained.text, durationMs: Math.round(now() - checkStartedAt) });
            progressed = true;
          }
          finish();
        },
      });
      arm(loadTimeout, onLoadTimeout);
      session.send({ files: options.files, only: remaining, seed, nonce });
    });

  while (remaining.length && !loadError && !options.signal?.aborted) {
    if (now() >= deadline) break;
    await runSession();
    if (fruitlessSessions >= 2) break;
  }
  for (const id of remaining) {
    const info = infoById.get(id)!;
    const reason = options.signal?.aborted
      ? 'Not run: grading was cancelled.'
      : now() >= deadline
        ? `Not run: the submission used up its total time (${Math.round(options.limits.totalTimeoutMs / 1000)} s) on earlier checks.`
        : 'Not run: the grading process kept failing before reaching this check.';
    results.set(id, { ...sanitizeResult(info, { status: now() >= deadline ? 'timeout' : 'error' }), message: reason });
  }
  return assembleReport({
    lab: options.lab,
    checks: options.checks,
    results: [...results.values()],
    ...(loadError ? { error: loadError } : {}),
    durationMs: now() - started,
    engine: options.engine,
    grader: options.grader,
    ...(options.engineNote ? { engineNote: options.engineNote } : {}),
  });
}
