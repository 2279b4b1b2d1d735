// The Node host: each grading session is a child process (sandbox/node/child.mjs) with
// - Node's permission model: it can read its own script and the lock-down it imports, nothing
//   else (no solution, no checks, no other submission; no child processes, workers or native
//   addons);
// - a heap limit and an RSS watchdog, a wall-clock watchdog (in the supervisor), an output cap;
// - an environment holding nothing but TZ (no credentials, no AWS_* variables);
// - on Linux, `unshare` puts it in fresh network and PID namespaces: no network, and no way
//   to signal the grader.
// Results come back on fd 3 (see child.mjs); stdout and stderr are only diagnostics.

import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import type { RunRequest } from '../../grader/protocol.ts';
import type { Report } from '../../grader/report.ts';
import { supervise } from '../supervisor.ts';
import type { ExitInfo, SuperviseOptions, Transport, TransportHandlers, TransportSession } from '../supervisor.ts';

const HERE = dirname(fileURLToPath(import.meta.url));
const CHILD = join(HERE, 'child.mjs');
/** Every file the child may read: its script and the lock-down it imports (sandbox/lockdown/). */
const CHILD_READS = [CHILD, join(HERE, '..', 'lockdown', 'process.mjs'), join(HERE, '..', 'lockdown', 'network.mjs')];
const OUTPUT_CAP = 64 * 1024;
const RSS_POLL_MS = 100;

export interface Isolation {
  /** Command prefix that removes network access, or [] when the platform cannot. */
  prefix: string[];
  /** Said in the report when isolation is weaker than on Linux. */
  note?: string;
}

let isolationProbe: Isolation | undefined;

/** Find how to cut the network here, once per process: `unshare` as root or in a user namespace. */
export function detectIsolation(): Isolation {
  if (isolationProbe) return isolationProbe;
  if (process.platform === 'linux') {
    for (const flags of [['-rnpf'], ['-npf']]) {
      const probe = spawnSync('unshare', [...flags, '--kill-child=SIGKILL', 'true'], { stdio: 'ignore', timeout: 5000 });
      if (probe.status === 0) {
        isolationProbe = { prefix: ['unshare', ...flags, '--kill-child=SIGKILL', '--'] };
        return isolationProbe;
      }
    }
  }
  isolationProbe = {
    prefix: [],
    note: 'Network isolation unavailable on this machine (no usable `unshare`): submissions could open network connections.',
  };
  return isolationProbe;
}

function rssMb(pid: number): number | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const m = /VmRSS:\s+(\d+) kB/.exec(status);
    return m ? Number(m[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** All processes in the tree under pid (the unshare wrapper forks node under itself). */
function treeRssMb(pid: number): number | undefined {
  let total = rssMb(pid);
  if (total === undefined) return undefined;
  try {
    const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean);
    for (const child of children) total += treeRssMb(Number(child)) ?? 0;
  } catch {
    // Not Linux, or the process is gone: the heap limit still applies.
  }
  return total;
}

export interface NodeTransportOptions {
  bundle: string;
  /** V8's code cache for the bundle (see catalog/bundle.ts); halves the child's start-up. */
  codeCache?: Uint8Array;
  memoryMb: number;
  timeZone: string;
  isolation?: Isolation;
}

export function nodeTransport(options: NodeTransportOptions): Transport {
  const isolation = options.isolation ?? detectIsolation();
  const bundleBytes = Buffer.from(options.bundle, 'utf8');
  const flags = [
    '--permission',
    ...CHILD_READS.map((file) => `--allow-fs-read=${file}`),
    `--max-old-space-size=${options.memoryMb}`,
    '--disable-warning=ExperimentalWarning',
  ];

  return {
    start(handlers: TransportHandlers): TransportSession {
      const [command, ...prefixArgs] = [...isolation.prefix, process.execPath];
      const child = spawn(command!, [...prefixArgs, ...flags, CHILD], {
        stdio: ['pipe', 'pipe', 'pipe', 'pipe'],
        env: { TZ: options.timeZone, LANG: 'C.UTF-8' },
        cwd: '/',
      });
      let output = 0;
      let stderr = '';
      let killedFor: ExitInfo['kind'] | undefined;
      let ended = false;
      const kill = (reason?: ExitInfo['kind']) => {
        if (reason && !killedFor) killedFor = reason;
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      };
      const watchOutput = (chunk: Buffer, keep: boolean) => {
        output += chunk.length;
        if (keep && stderr.length < 8192) stderr += chunk.toString('utf8');
        if (output > OUTPUT_CAP * 16) kill('output-limit');
      };
      child.stdout!.on('data', (chunk: Buffer) => watchOutput(chunk, false));
      child.stderr!.on('data', (chunk: Buffer) => watchOutput(chunk, true));
      const reports = child.stdio[3] as NodeJS.ReadableStream;
      const lines = createInterface({ input: reports, crlfDelay: Infinity });
      lines.on('line', (line) => {
        if (line.length > 8 * 1024 * 1024) return;
        let message: unknown;
        try {
          message = JSON.parse(line);
        } catch {
          return;
        }
        handlers.message(message);
      });
      const rssLimit = options.memoryMb * 2 + 256;
      const poll = setInterval(() => {
        if (child.pid === undefined) return;
        const rss = treeRssMb(child.pid);
        if (rss !== undefined && rss > rssLimit) kill('memory');
      }, RSS_POLL_MS);
      poll.unref();
      child.stdin!.on('error', () => {});
      child.on('error', (error) => {
        clearInterval(poll);
        if (!ended) {
          ended = true;
          handlers.exit({ kind: 'crash', detail: `could not start the grading process: ${error.message}` });
        }
      });
      // Wait for fd 3 to drain so the last results are not lost behind the exit event.
      let closed = 0;
      const onClosed = () => {
        if (++closed < 2 || ended) return;
        ended = true;
        clearInterval(poll);
        const code = child.exitCode;
        const signal = child.signalCode;
        if (killedFor) {
          handlers.exit({ kind: killedFor, code, signal });
        } else if (/heap out of memory|Reached heap limit|Allocation failed/i.test(stderr)) {
          handlers.exit({ kind: 'memory', code, signal });
        } else if (signal || (code !== null && code !== 0 && code !== 70)) {
          handlers.exit({ kind: signal ? 'crash' : 'exit', code, signal });
        } else if (code === 70) {
          handlers.exit({ kind: 'crash', code, detail: stderr.replace(/^whetstone child: /, '').split('\n')[0] });
        } else {
          handlers.exit({ kind: 'exit', code, signal });
        }
      };
      lines.on('close', onClosed);
      child.on('exit', onClosed);
      return {
        send(request: RunRequest) {
          const header = { request, bundleBytes: bundleBytes.byteLength, cacheBytes: options.codeCache?.byteLength ?? 0 };
          child.stdin!.write(`${JSON.stringify(header)}\n`);
          child.stdin!.write(bundleBytes);
          child.stdin!.end(options.codeCache ?? Buffer.alloc(0));
        },
        kill: () => kill(),
      };
    },
  };
}

export interface NodeGradeOptions {
  lab: string;
  bundle: string;
  codeCache?: Uint8Array;
  checks: Parameters<typeof supervise>[0]['checks'];
  files: Record<string, string>;
  limits: { checkTimeoutMs: number; totalTimeoutMs: number; memoryMb: number; timeZone: string };
  grader: string;
  seed?: number;
  signal?: AbortSignal;
  /** Tests pass a clock they move themselves (see SuperviseOptions). */
  clock?: SuperviseOptions['clock'];
  onCheckStart?: SuperviseOptions['onCheckStart'];
}

export async function gradeWithNode(options: NodeGradeOptions): Promise<Report> {
  const isolation = detectIsolation();
  return supervise({
    lab: options.lab,
    checks: options.checks,
    files: options.files,
    transport: nodeTransport({
      bundle: options.bundle,
      ...(options.codeCache ? { codeCache: options.codeCache } : {}),
      memoryMb: options.limits.memoryMb,
      timeZone: options.limits.timeZone,
      isolation,
    }),
    engine: 'node',
    grader: options.grader,
    limits: options.limits,
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.onCheckStart ? { onCheckStart: options.onCheckStart } : {}),
    ...(isolation.note ? { engineNote: isolation.note } : {}),
    newNonce: () => randomBytes(16).toString('hex'),
  });
}
