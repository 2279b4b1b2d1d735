// The grading process. Started by sandbox/node/host.ts with Node's permission model (it may
// read this file and the lock-down it imports, nothing else), a heap limit, a scrubbed
// environment and, on Linux, no network. It reads one JSON request from stdin — the lab bundle
// and the learner's files — so it never needs the file system; results go out on fd 3, each
// stamped with the run's nonce, which learner code never sees.
//
// It may import only node: builtins and ../lockdown/ (which the host lets it read). It is plain
// JavaScript (checked by tsc through JSDoc) because type stripping costs every child ~40 ms.
// @ts-check

import { writeSync } from 'node:fs';
import vm from 'node:vm';
// Loaded now, while `process` may still be patched (it assigns process.chdir): then fetch's
// classes can load on first use after the lock-down, and need not be loaded in every grading.
import 'node:worker_threads';
import { blockOutput, exitProcess, lockDownProcess, outliveStrayErrors } from '../lockdown/process.mjs';

/**
 * stdin: one JSON header line, then the bundle's UTF-8 bytes, then V8's code cache for it.
 * @typedef {{ files: Record<string, string>, only?: string[], seed: number, nonce: string }} ChildRequest
 * @typedef {{ request: ChildRequest, bundleBytes: number, cacheBytes: number }} ChildHeader
 * @typedef {{ harden(): void, run(request: ChildRequest, emit: (message: unknown) => void): Promise<void> }} Runtime
 */

const REPORT_FD = 3;
const stringify = JSON.stringify;

/** @param {unknown} message */
function send(message) {
  const line = `${stringify(message)}\n`;
  let offset = 0;
  const bytes = Buffer.from(line);
  while (offset < bytes.length) offset += writeSync(REPORT_FD, bytes, offset);
}

/** @returns {Promise<{ header: ChildHeader, bundle: string, cache: Buffer | undefined }>} */
async function readInput() {
  /** @type {Buffer[]} */
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  const all = Buffer.concat(chunks);
  const newline = all.indexOf(10);
  /** @type {ChildHeader} */
  const header = JSON.parse(all.subarray(0, newline).toString('utf8'));
  const start = newline + 1;
  const bundle = all.subarray(start, start + header.bundleBytes).toString('utf8');
  const cache = header.cacheBytes ? all.subarray(start + header.bundleBytes, start + header.bundleBytes + header.cacheBytes) : undefined;
  return { header, bundle, cache };
}

async function main() {
  blockOutput();
  const { header, bundle, cache } = await readInput();
  outliveStrayErrors();
  new vm.Script(bundle, { filename: 'lab-bundle.js', ...(cache ? { cachedData: cache } : {}) }).runInThisContext();
  const g = /** @type {{ whetstoneLab?: Runtime }} */ (/** @type {unknown} */ (globalThis));
  const runtime = g.whetstoneLab;
  if (!runtime) throw new Error('the lab bundle did not define whetstoneLab');
  delete g.whetstoneLab;
  lockDownProcess({ fetchClassesLoadSafely: true });
  runtime.harden();
  await runtime.run(header.request, send);
  exitProcess(0);
}

main().catch((error) => {
  // Only the grader's own failures reach here; say so on stderr for the host.
  writeSync(2, `whetstone child: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  exitProcess(70);
});
