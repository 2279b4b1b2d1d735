// One grading session inside a WebContainer, the sibling of sandbox/node/child.mjs:
//
//   node runner.mjs <request.json> <results.jsonl>
//
// It reads the request (the learner's files, the run's nonce), deletes it so the nonce leaves
// the disk before learner code runs, loads the lab bundle mounted next to it, and appends each
// envelope to the results file as one JSON line. The page reads that file; the process output
// is only for the terminal panel (one merged stream with ANSI codes: never parsed).
//
// It imports node: builtins and ../lockdown/ only; what is mounted is this file bundled with
// the lock-down into one (sandbox/session-scripts.ts). Exit 0 when the run finished, 70 when
// the session itself failed (its reason goes into the results file as { "fatal": "…" }). Plain
// JavaScript, checked by tsc through JSDoc.
// @ts-check

import { appendFileSync, readFileSync, rmSync } from 'node:fs';
import vm from 'node:vm';
import { blockOutput, exitProcess, lockDownProcess, outliveStrayErrors } from '../lockdown/process.mjs';

/**
 * @typedef {{ files: Record<string, string>, only?: string[], seed: number, nonce: string }} RunRequest
 * @typedef {{ harden(): void, run(request: RunRequest, emit: (message: unknown) => void): Promise<void> }} Runtime
 */

const SESSION_FAILED = 70;
const [requestFile = '', resultsFile = ''] = process.argv.slice(2);
const stringify = JSON.stringify;

/** @param {unknown} message */
function write(message) {
  appendFileSync(resultsFile, `${stringify(message)}\n`);
}

async function main() {
  if (!requestFile || !resultsFile) throw new Error('usage: node runner.mjs <request.json> <results.jsonl>');
  /** @type {RunRequest} */
  const request = JSON.parse(readFileSync(requestFile, 'utf8'));
  rmSync(requestFile, { force: true });
  blockOutput();
  outliveStrayErrors();
  vm.runInThisContext(readFileSync('bundle.js', 'utf8'), { filename: 'bundle.js' });
  const g = /** @type {{ whetstoneLab?: Runtime }} */ (/** @type {unknown} */ (globalThis));
  const runtime = g.whetstoneLab;
  if (!runtime) throw new Error('the lab bundle did not define whetstoneLab');
  delete g.whetstoneLab;
  lockDownProcess();
  runtime.harden();
  await runtime.run(request, write);
  exitProcess(0);
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
  exitProcess(SESSION_FAILED);
});
