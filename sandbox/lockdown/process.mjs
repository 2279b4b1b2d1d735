// The lock-down of a Node grading process, written once for both hosts that run one: the Node
// child (sandbox/node/child.mjs) imports it as it is, and the WebContainer runner
// (sandbox/webcontainer/runner.mjs) is bundled with it before it is mounted (see
// sandbox/session-scripts.ts). tests/sandbox/lockdown.test.ts holds both hosts to it.
//
// Self-contained: node: builtins and ./network.mjs only. Plain JavaScript, checked by tsc
// through JSDoc.
// @ts-check

import { offlineFetch, refuse } from './network.mjs';

const proc = /** @type {Record<string, unknown>} */ (/** @type {unknown} */ (process));

/**
 * The real exit, taken at import, before the lock-down replaces it: only the session script
 * may end the process. `reallyExit` skips 'exit' listeners; a runtime without it has `exit`.
 * @type {(code: number) => never}
 */
export const exitProcess = /** @type {any} */ (proc.reallyExit ?? proc.exit).bind(process);

/** What learner code could use to leave the process, escape the sandbox or confuse the host. */
export const REFUSED_PROCESS_METHODS = Object.freeze([
  'exit', 'reallyExit', 'abort', 'kill', '_kill', 'dlopen', 'binding', '_linkedBinding', 'getBuiltinModule',
  'chdir', 'send', 'disconnect', 'umask', 'setuid', 'setgid', 'seteuid', 'setegid', 'setgroups', 'initgroups',
  'execve', 'loadEnvFile', '_rawDebug',
]);

/** Globals that would reach the network. fetch answers as offline; the others refuse. */
const NETWORK_GLOBALS = Object.freeze(['fetch', 'WebSocket', 'EventSource']);

/**
 * Globals whose first use loads Node internals that patch `process`: they are touched before
 * the lock-down, so that patching happens while `process` can still be patched.
 */
const LAZY_GLOBALS = Object.freeze(['performance', 'crypto', 'navigator']);

/**
 * fetch's classes (and WebSocket, EventSource) come from Node's HTTP client, undici, loaded at
 * their first use; loading it loads worker_threads, which assigns `process.chdir`. Touching them
 * before the lock-down costs every grading ~40 ms; a host that has imported node:worker_threads
 * itself may skip it (`fetchClassesLoadSafely`), and they then load on first use, if any.
 */
const FETCH_CLASSES = Object.freeze(['Request', 'Response', 'Headers', 'FormData', 'WebSocket', 'EventSource']);

/**
 * Blocking pipes: output that floods stdout reaches the host's output cap instead of piling up
 * in this process's memory. Where output is no pipe (a WebContainer terminal), nothing changes.
 */
export function blockOutput() {
  for (const stream of [process.stdout, process.stderr]) {
    /** @type {any} */ (stream)._handle?.setBlocking?.(true);
  }
}

/**
 * Learner code that rejects or throws asynchronously must not end the process: the check that
 * started it already has its own verdict (or its timeout).
 */
export function outliveStrayErrors() {
  process.on('unhandledRejection', () => {});
  process.on('uncaughtException', () => {});
}

/**
 * Take away what learner code could use to leave, escape or confuse the process. Call once, before learner code runs.
 * @param {{ fetchClassesLoadSafely?: boolean }} [options]
 */
export function lockDownProcess(options = {}) {
  const global = /** @type {Record<string, unknown>} */ (globalThis);
  for (const name of LAZY_GLOBALS) void global[name];
  if (!options.fetchClassesLoadSafely) for (const name of FETCH_CLASSES) void global[name];
  for (const name of REFUSED_PROCESS_METHODS) {
    if (!(name in proc)) continue;
    try {
      Object.defineProperty(proc, name, { value: refuse(`process.${name}()`), writable: false, configurable: false, enumerable: false });
    } catch {
      // Already locked by the runtime (e.g. chdir under the permission model): it refuses by itself.
    }
  }
  for (const name of NETWORK_GLOBALS) {
    if (!(name in globalThis)) continue;
    const value = name === 'fetch' ? offlineFetch : refuse('Network access');
    // Deleted first: redefining one of Node's lazy globals in place loads what it would have given.
    delete global[name];
    Object.defineProperty(globalThis, name, { value, writable: false, configurable: false });
  }
}
