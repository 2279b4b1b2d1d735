// The supervisor on its own: a scripted transport plays the sessions (what a child process, a
// WebContainer or a Worker would say) and a manual clock stands for time, so every time limit
// runs out exactly when the test says and never because the machine was busy.

import { describe, expect, it } from 'vitest';
import type { RunRequest, SessionMessage } from '../../grader/protocol.ts';
import type { CheckInfo, CheckResult, Report } from '../../grader/report.ts';
import { supervise } from '../../sandbox/supervisor.ts';
import type { ExitInfo, SuperviseOptions, Transport, TransportHandlers, TransportSession } from '../../sandbox/supervisor.ts';
import { ManualClock } from './manual-clock.ts';

const CHECKS: CheckInfo[] = [
  { id: 'first', title: 'The first check', step: 1, maxScore: 1, visibility: 'public', timeoutMs: 500 },
  { id: 'second', title: 'The second check', step: 1, maxScore: 2, visibility: 'public', timeoutMs: 500 },
  { id: 'third', title: 'The third check', step: 2, maxScore: 1, visibility: 'hidden', timeoutMs: 500 },
];
const LIMITS = { checkTimeoutMs: 500, totalTimeoutMs: 60_000, memoryMb: 128 };
const GRACE_MS = 1000;
const LOAD_TIMEOUT_MS = 5000;

/** One session as the supervisor sees it; the test speaks for the process behind it. */
class ScriptedSession implements TransportSession {
  request: RunRequest | undefined;
  killed = false;
  readonly #handlers: TransportHandlers;

  constructor(handlers: TransportHandlers) {
    this.#handlers = handlers;
  }

  send(request: RunRequest): void {
    this.request = request;
  }

  kill(): void {
    this.killed = true;
  }

  /** Say something on the report channel, stamped with the run's nonce unless told otherwise. */
  say(message: SessionMessage, nonce = this.request!.nonce): void {
    this.#handlers.message({ ...message, nonce });
  }

  sayRaw(raw: unknown): void {
    this.#handlers.message(raw);
  }

  exit(info: ExitInfo): void {
    this.#handlers.exit(info);
  }

  /** Load, then run the given checks to their verdicts. */
  runs(...results: [id: string, status: CheckResult['status']][]): void {
    this.say({ type: 'loaded' });
    for (const [id, status] of results) {
      this.say({ type: 'check-start', id });
      this.say({ type: 'check-end', result: result(id, status) });
    }
  }
}

function result(id: string, status: CheckResult['status'], extra: Partial<CheckResult> = {}): CheckResult {
  return { id, title: id, step: 1, status, score: 0, maxScore: 0, visibility: 'public', message: '', durationMs: 3, ...extra };
}

/**
 * A transport whose n-th session is played by `play(session, n)` as soon as it is sent its
 * request (a microtask later, as a real transport answers asynchronously).
 */
function scripted(play: (session: ScriptedSession, n: number) => void) {
  const sessions: ScriptedSession[] = [];
  const transport: Transport = {
    start(handlers) {
      const session = new ScriptedSession(handlers);
      const n = sessions.push(session) - 1;
      const send = session.send.bind(session);
      session.send = (request) => {
        send(request);
        queueMicrotask(() => play(session, n));
      };
      return session;
    },
  };
  return { transport, sessions };
}

function grade(transport: Transport, clock: ManualClock, extra: Partial<SuperviseOptions> = {}): Promise<Report> {
  let nonces = 0;
  return supervise({
    lab: 'scripted',
    checks: CHECKS,
    files: { 'calc.ts': 'export {}' },
    transport,
    engine: 'node',
    grader: 'whetstone@test',
    limits: LIMITS,
    graceMs: GRACE_MS,
    loadTimeoutMs: LOAD_TIMEOUT_MS,
    newNonce: () => `nonce-${++nonces}`,
    clock,
    ...extra,
  });
}

/** Let the scripted sessions say everything they were going to say. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

const byId = (report: Report, id: string) => report.checks.find((c) => c.id === id)!;
const verdicts = (report: Report) => report.checks.map((c) => [c.id, c.status, c.score]);

describe('supervise', () => {
  it('grades a session that runs every check, taking scores and titles from the host’s list', async () => {
    const clock = new ManualClock();
    const { transport, sessions } = scripted((s) => {
      s.say({ type: 'loaded' });
      for (const { id } of CHECKS) {
        s.say({ type: 'check-start', id });
        s.say({ type: 'check-end', result: result(id, 'pass', { score: 100, maxScore: 100, title: 'forged', visibility: 'public' }) });
      }
      s.say({ type: 'done' });
    });
    const report = await grade(transport, clock);
    expect(verdicts(report)).toEqual([['first', 'pass', 1], ['second', 'pass', 2], ['third', 'pass', 1]]);
    expect(report).toMatchObject({ status: 'pass', score: 4, maxScore: 4, engine: 'node', grader: 'whetstone@test' });
    expect(byId(report, 'third')).toMatchObject({ title: 'The third check', visibility: 'hidden', maxScore: 1 });
    expect(sessions).toHaveLength(1);
    expect(sessions[0]!.request).toEqual({ files: { 'calc.ts': 'export {}' }, only: ['first', 'second', 'third'], seed: 1, nonce: 'nonce-1' });
    expect(sessions[0]!.killed).toBe(true);
    expect(clock.pending).toBe(0);
  });

  it('ignores what lacks the run’s nonce, results for a check that is not running, and unknown messages', async () => {
    const clock = new ManualClock();
    const { transport } = scripted((s) => {
      s.say({ type: 'loaded' });
      s.say({ type: 'check-end', result: result('first', 'pass') }, 'guessed');
      s.sayRaw({ type: 'check-end', result: result('first', 'pass') });
      s.sayRaw('{"type":"done"}');
      s.say({ type: 'check-start', id: 'first' });
      s.say({ type: 'check-end', result: result('second', 'pass') });
      s.say({ type: 'check-start', id: 'no-such-check' });
      s.say({ type: 'check-end', result: result('first', 'fail', { message: 'add(2, 3) should be 5; your code returned -1.' }) });
      s.sayRaw({ type: 'check-end', nonce: s.request!.nonce, result: { id: 'second', status: 'pass' } });
      s.say({ type: 'check-start', id: 'second' });
      s.say({ type: 'check-end', result: { ...result('second', 'pass'), status: 'brilliant' as CheckResult['status'] } });
      s.say({ type: 'check-start', id: 'third' });
      s.say({ type: 'check-end', result: result('third', 'pass') });
      s.say({ type: 'done' });
    });
    const report = await grade(transport, clock);
    expect(verdicts(report)).toEqual([['first', 'fail', 0], ['second', 'error', 0], ['third', 'pass', 1]]);
    expect(byId(report, 'first').message).toBe('add(2, 3) should be 5; your code returned -1.');
  });

  it('stops a check that runs out of time, and grades the rest in a fresh session', async () => {
    const clock = new ManualClock();
    const { transport, sessions } = scripted((s, n) => {
      if (n === 0) {
        s.say({ type: 'loaded' });
        s.say({ type: 'check-start', id: 'first' });
        clock.advance(500 + GRACE_MS - 1);
        expect(s.killed).toBe(false);
        clock.advance(1);
        return;
      }
      s.runs(['second', 'pass'], ['third', 'fail']);
      s.say({ type: 'done' });
    });
    const report = await grade(transport, clock);
    expect(sessions).toHaveLength(2);
    expect(sessions[0]!.killed).toBe(true);
    expect(sessions[1]!.request?.only).toEqual(['second', 'third']);
    expect(sessions[1]!.request?.nonce).not.toBe(sessions[0]!.request?.nonce);
    expect(byId(report, 'first')).toMatchObject({
      status: 'timeout',
      score: 0,
      durationMs: 1500,
      message:
        'Did not finish within 0.5 s and had to be stopped: the code never gave control back. Look for a loop that never ends (e.g. while (true) without a break, or a paging loop whose token never changes).',
    });
    expect(verdicts(report).slice(1)).toEqual([['second', 'pass', 2], ['third', 'fail', 0]]);
  });

  it('says in the learner’s terms why the session died during a check, and grades the rest', async () => {
    const deaths: [ExitInfo, string][] = [
      [{ kind: 'memory' }, 'Your code ran out of memory (the limit is 128 MB). Look for an array or string that grows without end.'],
      [{ kind: 'output-limit' }, 'Your code printed too much output; print less (a log line inside a loop?).'],
      [
        { kind: 'exit', code: 3 },
        'The grading process ended while this ran (exit code 3): code that calls process.exit or kills the process cannot be graded. Return or throw instead.',
      ],
      [{ kind: 'crash', signal: 'SIGSEGV', detail: 'segfault' }, 'The grading process crashed while this ran: segfault (signal SIGSEGV).'],
    ];
    for (const [death, message] of deaths) {
      const clock = new ManualClock();
      const { transport, sessions } = scripted((s, n) => {
        if (n === 0) {
          s.say({ type: 'loaded' });
          s.say({ type: 'check-start', id: 'first' });
          clock.advance(40);
          s.exit(death);
          return;
        }
        s.runs(['second', 'pass'], ['third', 'pass']);
        s.say({ type: 'done' });
      });
      const report = await grade(transport, clock);
      expect(byId(report, 'first'), death.kind).toMatchObject({ status: 'error', score: 0, message, durationMs: 40 });
      expect(verdicts(report).slice(1), death.kind).toEqual([['second', 'pass', 2], ['third', 'pass', 1]]);
      expect(sessions, death.kind).toHaveLength(2);
    }
  });

  it('reports a session that dies while loading as the submission’s error', async () => {
    const clock = new ManualClock();
    const { transport, sessions } = scripted((s) => s.exit({ kind: 'exit', code: 0 }));
    const report = await grade(transport, clock);
    expect(report).toMatchObject({ status: 'error', score: 0 });
    expect(report.error).toEqual({
      kind: 'crash',
      message:
        'The grading process ended while loading your code (exit code 0): code that calls process.exit or kills the process cannot be graded. Return or throw instead.',
    });
    expect(sessions).toHaveLength(1);
  });

  it('passes on the submission’s load error, with its file and line', async () => {
    const clock = new ManualClock();
    const error = { kind: 'syntax', message: 'Unexpected token (2:11)', file: 'calc.ts', line: 2, column: 11 } as const;
    const { transport } = scripted((s) => s.say({ type: 'load-error', error }));
    const report = await grade(transport, clock);
    expect(report.error).toEqual(error);
    expect(byId(report, 'first').message).toBe('Not graded: the submission could not be loaded (see the error above).');
  });

  it('gives up on code that does not finish loading in time', async () => {
    const clock = new ManualClock();
    const { transport, sessions } = scripted(() => {
      clock.advance(LOAD_TIMEOUT_MS);
    });
    const report = await grade(transport, clock);
    expect(report.error).toEqual({
      kind: 'timeout',
      message:
        'Your code did not finish loading within 5 s. Code at the top level of a file runs on import: is there a loop there that never ends?',
    });
    expect(sessions[0]!.killed).toBe(true);
  });

  it('stops a session that goes silent between checks, and runs the rest in a fresh one', async () => {
    const clock = new ManualClock();
    const { transport, sessions } = scripted((s, n) => {
      if (n === 0) {
        s.runs(['first', 'pass']);
        clock.advance(2 * GRACE_MS);
        return;
      }
      s.runs(['second', 'pass'], ['third', 'pass']);
      s.say({ type: 'done' });
    });
    const report = await grade(transport, clock);
    expect(sessions[0]!.killed).toBe(true);
    expect(sessions[1]!.request?.only).toEqual(['second', 'third']);
    expect(report.status).toBe('pass');
  });

  it('gives up after two sessions in a row that grade nothing', async () => {
    const clock = new ManualClock();
    const { transport, sessions } = scripted((s) => {
      s.say({ type: 'loaded' });
      s.exit({ kind: 'crash', detail: 'the runner vanished' });
    });
    const report = await grade(transport, clock);
    expect(sessions).toHaveLength(2);
    for (const check of report.checks) {
      expect(check).toMatchObject({ status: 'error', score: 0, message: 'Not run: the grading process kept failing before reaching this check.' });
    }
  });

  it('keeps starting sessions while each grades something', async () => {
    const clock = new ManualClock();
    const { transport, sessions } = scripted((s, n) => {
      s.say({ type: 'loaded' });
      s.say({ type: 'check-start', id: CHECKS[n]!.id });
      s.exit({ kind: 'memory' });
    });
    const report = await grade(transport, clock);
    expect(sessions.map((s) => s.request?.only)).toEqual([['first', 'second', 'third'], ['second', 'third'], ['third']]);
    expect(report.checks.every((c) => c.message.startsWith('Your code ran out of memory'))).toBe(true);
  });

  it('when the total time runs out, the running check and those after it are timeouts', async () => {
    const clock = new ManualClock();
    const { transport, sessions } = scripted((s) => {
      s.say({ type: 'loaded' });
      s.say({ type: 'check-start', id: 'first' });
      s.say({ type: 'check-end', result: result('first', 'pass') });
      s.say({ type: 'check-start', id: 'second' });
      clock.advance(3000);
    });
    const report = await grade(transport, clock, {
      limits: { ...LIMITS, totalTimeoutMs: 3000 },
      checks: CHECKS.map((c) => ({ ...c, timeoutMs: 10_000 })),
    });
    expect(sessions).toHaveLength(1);
    expect(byId(report, 'first').status).toBe('pass');
    expect(byId(report, 'second')).toMatchObject({ status: 'timeout', message: "Not finished when the submission's total time (3 s) ran out." });
    expect(byId(report, 'third')).toMatchObject({
      status: 'timeout',
      message: 'Not run: the submission used up its total time (3 s) on earlier checks.',
    });
    expect(report.durationMs).toBe(3000);
  });

  it('stops at once when cancelled, and says which checks did not run', async () => {
    const clock = new ManualClock();
    const controller = new AbortController();
    const { transport, sessions } = scripted((s) => {
      s.runs(['first', 'pass']);
      s.say({ type: 'check-start', id: 'second' });
      controller.abort();
    });
    const report = await grade(transport, clock, { signal: controller.signal });
    expect(sessions).toHaveLength(1);
    expect(sessions[0]!.killed).toBe(true);
    expect(byId(report, 'first').status).toBe('pass');
    for (const id of ['second', 'third']) {
      expect(byId(report, id)).toMatchObject({ status: 'error', message: 'Not run: grading was cancelled.' });
    }
    expect(clock.pending).toBe(0);
  });

  it('tells its caller which check starts and each result as it arrives', async () => {
    const clock = new ManualClock();
    const events: string[] = [];
    const { transport } = scripted((s) => {
      s.runs(['first', 'pass'], ['second', 'fail'], ['third', 'pass']);
      s.say({ type: 'done' });
    });
    await grade(transport, clock, {
      onCheckStart: (check) => events.push(`start ${check.id} (${check.title})`),
      onResult: (r) => events.push(`${r.status} ${r.id}`),
    });
    expect(events).toEqual([
      'start first (The first check)', 'pass first',
      'start second (The second check)', 'fail second',
      'start third (The third check)', 'pass third',
    ]);
  });

  it('leaves no timer behind when a session ends before it is sent its request', async () => {
    // A Worker that failed to load reports its end as soon as a session attaches to it.
    const clock = new ManualClock();
    const transport: Transport = {
      start(handlers) {
        handlers.exit({ kind: 'crash', detail: 'the grading Worker could not be loaded from /grader/worker.js' });
        return { send() {}, kill() {} };
      },
    };
    const report = await grade(transport, clock);
    expect(report.error).toEqual({
      kind: 'crash',
      message: 'The grading process crashed while loading your code: the grading Worker could not be loaded from /grader/worker.js.',
    });
    await settle();
    expect(clock.pending).toBe(0);
  });
});
