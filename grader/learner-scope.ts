// Bindings the learner's modules see in place of the real `console` and `process`: output is
// captured per check (and shown with the result), and the process cannot be reached by name.
// This is for fidelity and parity across hosts; the real isolation is the host's job.

import { formatLogArguments } from './plain-data.ts';

export interface LearnerOutput {
  write(line: string): void;
}

export function createLearnerScope(output: LearnerOutput): Readonly<Record<string, unknown>> {
  const log =
    (prefix: string) =>
    (...args: unknown[]) =>
      output.write(prefix + formatLogArguments(args));
  const console = Object.freeze({
    log: log(''),
    info: log(''),
    debug: log(''),
    warn: log('warn: '),
    error: log('error: '),
    trace: log('trace: '),
    table: log(''),
    dir: log(''),
  });
  const refuse = (what: string) => () => {
    throw new Error(`${what} is not available while grading: return or throw from your functions instead.`);
  };
  const process = Object.freeze({
    env: Object.freeze({}),
    platform: 'linux',
    argv: Object.freeze(['node', 'submission']),
    exit: refuse('process.exit()'),
    abort: refuse('process.abort()'),
    kill: refuse('process.kill()'),
    cwd: () => '/submission',
    nextTick: (fn: (...a: unknown[]) => void, ...a: unknown[]) => queueMicrotask(() => fn(...a)),
  });
  return Object.freeze({ console, process });
}
