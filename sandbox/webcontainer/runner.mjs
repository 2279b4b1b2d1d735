// One grading session inside a WebContainer, the sibling of sandbox/node/child.mjs:
//
//   node runner.mjs <request.json> <results.jsonl>
//
// It reads the request (the learner's files, the run's nonce), deletes it so the nonce leaves
// the disk before learner code runs, loads the lab bundle mounted next to it, and appends each
// envelope to the results file as one JSON line. The page reads that file; the process output
// is only for the terminal panel (one merged stream with ANSI codes: never parsed).
//
// Self-contained: node: builtins only. Exit 0 when the run finished, 70 when the session
// itself failed (its reason goes into the results file as { "fatal": "…" }). Plain JavaScript,
// checked by tsc through JSDoc.
// @ts-check

import { appendFileSync, readFileSync, rmSync } from 'node:fs';
import vm from 'node:vm';

/**
 * @typedef {{ files: Record<string, string>, only?: string[], seed: number, nonce: string }} RunRequest
 * @typedef {{ harden(): void, run(request: RunRequest, emit: (message: unknown) => void): Promise<void> }} Runtime
 */

const SESSION_FAILED = 70;
const [requestFile = '', resultsFile = ''] = process.argv.slice(2);
const proc = /** @type {Record<string, unknown>} */ (/** @type {unknown} */ (process));
/** @type {(code: number) => never} */
const exit = /** @type {any} */ (proc.reallyExit ?? proc.exit).bind(process);
const stringify = JSON.stringify;

/** @param {unknown} message */
function write(message) {
  appendFileSync(resultsFile, `${stringify(message)}\n`);
}

/** Take away what learner code could use to leave the process or reach the file system. */
function lockProcess() {
  // Globals like fetch load Node internals lazily, and those internals patch `process` when
  // they load: make them load now, before process is locked.
  for (const name of ['fetch', 'Request', 'Response', 'Headers', 'FormData', 'WebSocket', 'EventSource', 'performance', 'crypto', 'navigator']) {
    void (/** @type {Record<string, unknown>} */ (globalThis))[name];
  }
  /** @param {string} what */
  const refuse = (what) =>
    function refused() {
      throw new Error(`${what} is not available while grading.`);
    };
  for (const name of [
    'exit', 'reallyExit', 'abort', 'kill', '_kill', 'dlopen', 'binding', '_linkedBinding', 'getBuiltinModule',
    'chdir', 'send', 'disconnect', 'umask', 'setuid', 'setgid', 'seteuid', 'setegid', 'setgroups', 'initgroups',
    'execve', 'loadEnvFile', '_rawDebug',
  ]) {
    if (!(name in proc)) continue;
    try {
      Object.defineProperty(proc, name, { value: refuse(`process.${name}()`), writable: false, configurable: false, enumerable: false });
    } catch {
      // A runtime that will not let go of it refuses by itself.
    }
  }
  const offline = refuse('Network access');
  for (const name of ['fetch', 'WebSocket', 'EventSource']) {
    if (name in globalThis) Object.defineProperty(globalThis, name, { value: offline, writable: false, configurable: false });
  }
}

async function main() {
  if (!requestFile || !resultsFile) throw new Error('usage: node runner.mjs <request.json> <results.jsonl>');
  /** @type {RunRequest} */
  const request = JSON.parse(readFileSync(requestFile, 'utf8'));
  rmSync(requestFile, { force: true });
  // Learner code that rejects or throws asynchronously must not end the process: the check
  // that started it already has its own verdict (or its timeout).
  process.on('unhandledRejection', () => {});
  process.on('uncaughtException', () => {});
  vm.runInThisContext(readFileSync('bundle.js', 'utf8'), { filename: 'bundle.js' });
  const g = /** @type {{ whetstoneLab?: Runtime }} */ (/** @type {unknown} */ (globalThis));
  const runtime = g.whetstoneLab;
  if (!runtime) throw new Error('the lab bundle did not define whetstoneLab');
  delete g.whetstoneLab;
  lockProcess();
  runtime.harden();
  await runtime.run(request, write);
  exit(0);
}

main().catch((error) => {
  // Only the session's own failures reach here (learner errors become check results).
  const detail = error instanceof Error ? error.message : String(error);
  try {
    write({ fatal: detail });
  } catch {
    // Nowhere to write: the exit code still says the session failed.
  }
  process.stderr.write(`whetstone runner: ${error instanceof Error ? (error.stack ?? error.message) : detail}\n`);
  exit(SESSION_FAILED);
});
