// The grading process. Started by sandbox/node/host.ts with Node's permission model (it may
// read this file and nothing else), a heap limit, a scrubbed environment and, on Linux, no
// network. It reads one JSON request from stdin — the lab bundle and the learner's files —
// so it never needs the file system; results go out on fd 3, each stamped with the run's
// nonce, which learner code never sees.
//
// This file must stay self-contained: it may import only node: builtins. It is plain
// JavaScript (checked by tsc through JSDoc) because type stripping costs every child ~40 ms.
// @ts-check

import { writeSync } from 'node:fs';
import vm from 'node:vm';

/**
 * stdin: one JSON header line, then the bundle's UTF-8 bytes, then V8's code cache for it.
 * @typedef {{ files: Record<string, string>, only?: string[], seed: number, nonce: string }} ChildRequest
 * @typedef {{ request: ChildRequest, bundleBytes: number, cacheBytes: number }} ChildHeader
 * @typedef {{ harden(): void, run(request: ChildRequest, emit: (message: unknown) => void): Promise<void> }} Runtime
 */

const REPORT_FD = 3;
/** @type {(code: number) => never} */
const exit = /** @type {any} */ (process).reallyExit.bind(process);
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

/** Take away what learner code could use to leave, escape or confuse the process. */
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
  const p = /** @type {Record<string, unknown>} */ (/** @type {unknown} */ (process));
  for (const name of [
    'exit', 'reallyExit', 'abort', 'kill', '_kill', 'dlopen', 'binding', '_linkedBinding', 'getBuiltinModule',
    'chdir', 'send', 'disconnect', 'umask', 'setuid', 'setgid', 'seteuid', 'setegid', 'setgroups', 'initgroups',
    'execve', 'loadEnvFile', '_rawDebug',
  ]) {
    if (!(name in p)) continue;
    const value = refuse(`process.${name}()`);
    try {
      Object.defineProperty(p, name, { value, writable: false, configurable: false, enumerable: false });
    } catch {
      // Already locked by the permission model (e.g. chdir): it refuses by itself.
    }
  }
  const offline = refuse('Network access');
  for (const name of ['fetch', 'WebSocket', 'EventSource']) {
    if (name in globalThis) Object.defineProperty(globalThis, name, { value: offline, writable: false, configurable: false });
  }
}

async function main() {
  // Blocking pipes: output that floods stdout reaches the host's output cap instead of piling
  // up in this process's memory.
  for (const stream of [process.stdout, process.stderr]) {
    /** @type {any} */ (stream)._handle?.setBlocking?.(true);
  }
  const { header, bundle, cache } = await readInput();
  // Learner code that rejects or throws asynchronously must not end the process: the check
  // that started it already has its own verdict (or its timeout).
  process.on('unhandledRejection', () => {});
  process.on('uncaughtException', () => {});
  new vm.Script(bundle, { filename: 'lab-bundle.js', ...(cache ? { cachedData: cache } : {}) }).runInThisContext();
  const g = /** @type {{ whetstoneLab?: Runtime }} */ (/** @type {unknown} */ (globalThis));
  const runtime = g.whetstoneLab;
  if (!runtime) throw new Error('the lab bundle did not define whetstoneLab');
  delete g.whetstoneLab;
  lockProcess();
  runtime.harden();
  await runtime.run(header.request, send);
  exit(0);
}

main().catch((error) => {
  // Only the grader's own failures reach here; say so on stderr for the host.
  writeSync(2, `whetstone child: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  exit(70);
});
