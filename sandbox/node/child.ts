// The grading process. Started by sandbox/node/host.ts with Node's permission model (it may
// read this file and nothing else), a heap limit, a scrubbed environment and, on Linux, no
// network. It reads one JSON request from stdin — the lab bundle and the learner's files —
// so it never needs the file system; results go out on fd 3, each stamped with the run's
// nonce, which learner code never sees.
//
// This file must stay self-contained: it may import only node: builtins.

import { writeSync } from 'node:fs';
import vm from 'node:vm';

interface ChildInput {
  bundle: string;
  request: { files: Record<string, string>; only?: string[]; seed: number; nonce: string };
}

interface Runtime {
  harden(): void;
  run(request: ChildInput['request'], emit: (message: unknown) => void): Promise<void>;
}

const REPORT_FD = 3;
const exit = process.reallyExit.bind(process) as (code: number) => never;
const stringify = JSON.stringify;

function send(message: unknown): void {
  const line = `${stringify(message)}\n`;
  let offset = 0;
  const bytes = Buffer.from(line);
  while (offset < bytes.length) offset += writeSync(REPORT_FD, bytes, offset);
}

async function readInput(): Promise<ChildInput> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8')) as ChildInput;
}

/** Take away what learner code could use to leave, escape or confuse the process. */
function lockProcess(): void {
  // Globals like fetch load Node internals lazily, and those internals patch `process` when
  // they load: make them load now, before process is locked.
  for (const name of ['fetch', 'Request', 'Response', 'Headers', 'FormData', 'WebSocket', 'EventSource', 'performance', 'crypto', 'navigator']) {
    void (globalThis as Record<string, unknown>)[name];
  }
  const refuse = (what: string) =>
    function refused(): never {
      throw new Error(`${what} is not available while grading.`);
    };
  const p = process as unknown as Record<string, unknown>;
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

async function main(): Promise<void> {
  const input = await readInput();
  // Learner code that rejects or throws asynchronously must not end the process: the check
  // that started it already has its own verdict (or its timeout).
  process.on('unhandledRejection', () => {});
  process.on('uncaughtException', () => {});
  vm.runInThisContext(input.bundle, { filename: 'lab-bundle.js' });
  const g = globalThis as unknown as { whetstoneLab?: Runtime };
  const runtime = g.whetstoneLab;
  if (!runtime) throw new Error('the lab bundle did not define whetstoneLab');
  delete g.whetstoneLab;
  lockProcess();
  runtime.harden();
  await runtime.run(input.request, send);
  exit(0);
}

main().catch((error: unknown) => {
  // Only the grader's own failures reach here; say so on stderr for the host.
  writeSync(2, `whetstone child: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  exit(70);
});
