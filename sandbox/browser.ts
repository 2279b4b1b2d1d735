// Grading in the browser: pick the engine once per page, then grade the learner's files on it.
//
// The WebContainer (real Node inside the page) runs when the site enables it, the learner has
// not opted out, the page is cross-origin isolated and the WebContainer boots in time;
// otherwise a Worker does, fully offline. Either way the report says which engine ran and why,
// in words a learner understands. @webcontainer/api is loaded (through `loadWebContainer`) only
// when it will be used.
//
// Static files the site serves next to each lab's bundle (the defaults below assume one folder):
//   /grader/<lab>.js            the lab's browser bundle (catalog/bundle.ts, audience 'browser')
//   /grader/<lab>.checks.json   its public checks (CheckInfo[])
//   /grader/worker.js           sandbox/worker/worker.js
//   /grader/runner.mjs          sandbox/webcontainer/runner.mjs

import type { LabManifest } from '../grader/lab-schema.ts';
import type { CheckInfo, CheckResult, Report } from '../grader/report.ts';
import { supervise } from './supervisor.ts';
import type { SuperviseOptions, Transport } from './supervisor.ts';
import { bootWebContainer, mountLab, webContainerTransport } from './webcontainer/host.ts';
import type { WebContainerApi, WebContainerLike } from './webcontainer/host.ts';
import { workerTransport } from './worker/transport.ts';

export type BrowserEngine = 'webcontainer' | 'worker';

export interface BrowserGraderOptions {
  labId: string;
  /** URL of the lab's browser bundle, e.g. /grader/s3-partitioning.js. */
  bundleUrl: string;
  /** The lab's public checks, or where to fetch them (default: the bundle URL with .checks.json). */
  checks?: readonly CheckInfo[];
  checksUrl?: string;
  /** The lab's metadata; its limits apply. */
  manifest: Pick<LabManifest, 'limits'>;
  /** The learner's choice: false keeps grading in the Worker. */
  preferWebContainer: boolean;
  /** The site's setting: false for deployments without a WebContainer licence. */
  webContainerEnabled: boolean;
  /** How long the WebContainer may take to boot before the Worker takes over (default 20 s). */
  bootTimeoutMs?: number;
  /** The page's Cross-Origin-Embedder-Policy, which the WebContainer must boot with (default 'require-corp'). */
  coep?: 'require-corp' | 'credentialless';
  /** `() => import('@webcontainer/api')`: called only when the WebContainer will be tried. */
  loadWebContainer?: () => Promise<WebContainerApi>;
  /** The WebContainer's process output (terminal text with ANSI codes), for a terminal panel. */
  onOutput?: (chunk: string) => void;
  /** Where worker.js and runner.mjs are served (default: next to the bundle). */
  workerUrl?: string;
  runnerUrl?: string;
  /** Written into every report, e.g. 'whetstone@0.1.0'. */
  grader?: string;
  /** Defaults to the page's own `crossOriginIsolated`. */
  crossOriginIsolated?: boolean;
  /** Tests and unusual pages may construct the Worker themselves. */
  createWorker?: (url: string | URL) => Worker;
}

export interface GradeOptions {
  signal?: AbortSignal;
  seed?: number;
  /** Each check's result as it arrives, for a live results list. */
  onResult?: (result: CheckResult) => void;
  /** Each check as it starts. */
  onCheckStart?: SuperviseOptions['onCheckStart'];
  /** Tests pass a clock they move themselves (see SuperviseOptions). */
  clock?: SuperviseOptions['clock'];
}

export interface BrowserGrader {
  engine: BrowserEngine;
  /** Why this engine, for the page: "Running in a Worker: this page is not cross-origin isolated…". */
  reason: string;
  grade(files: Record<string, string>, options?: GradeOptions): Promise<Report>;
  /** Let go of the Worker kept loaded for the next run (when the page stops grading). */
  dispose(): void;
}

const DEFAULT_BOOT_TIMEOUT_MS = 20_000;
/** Loading a bundle the size of the AWS SDK takes a while in a fresh process; learner code is not to blame. */
const LOAD_TIMEOUT_MS = 10_000;

export const WORKER_REASONS = {
  disabled: 'Running in a Worker: the WebContainer engine is turned off on this site.',
  notPreferred: 'Running in a Worker, as chosen in your settings.',
  notIsolated: 'Running in a Worker: this page is not cross-origin isolated, which the WebContainer needs.',
  noLoader: 'Running in a Worker: this site does not ship the WebContainer engine.',
} as const;

/** Whether to try the WebContainer at all, and if not, why not. Pure, so the rules are easy to read. */
export function webContainerVerdict(input: { enabled: boolean; preferred: boolean; isolated: boolean; loadable: boolean }):
  { tryIt: true } | { tryIt: false; reason: string } {
  if (!input.enabled) return { tryIt: false, reason: WORKER_REASONS.disabled };
  if (!input.preferred) return { tryIt: false, reason: WORKER_REASONS.notPreferred };
  if (!input.isolated) return { tryIt: false, reason: WORKER_REASONS.notIsolated };
  if (!input.loadable) return { tryIt: false, reason: WORKER_REASONS.noLoader };
  return { tryIt: true };
}

function newNonce(): string {
  return [...crypto.getRandomValues(new Uint8Array(16))].map((b) => b.toString(16).padStart(2, '0')).join('');
}

function absolute(url: string): string {
  const base = (globalThis as { location?: { href: string } }).location?.href;
  return base ? new URL(url, base).href : url;
}

async function fetchText(url: string, what: string): Promise<string> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`could not download ${what} from ${url} (HTTP ${response.status})`);
  return response.text();
}

async function loadChecks(options: BrowserGraderOptions): Promise<readonly CheckInfo[]> {
  if (options.checks) return options.checks;
  const url = options.checksUrl ?? options.bundleUrl.replace(/\.js$/, '.checks.json');
  const data = JSON.parse(await fetchText(url, "the lab's check list")) as CheckInfo[] | { checks: CheckInfo[] };
  return Array.isArray(data) ? data : data.checks;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Boot, mount and wire the WebContainer, or say in one sentence why the Worker runs instead. */
async function tryWebContainer(
  options: BrowserGraderOptions & { loadWebContainer: NonNullable<BrowserGraderOptions['loadWebContainer']> },
): Promise<{ transport: Transport; reason: string } | { reason: string }> {
  let api: WebContainerApi;
  try {
    api = await options.loadWebContainer();
  } catch {
    return { reason: 'Running in a Worker: the WebContainer engine could not be downloaded (are you offline?).' };
  }
  const timeoutMs = options.bootTimeoutMs ?? DEFAULT_BOOT_TIMEOUT_MS;
  const started = performance.now();
  let container: WebContainerLike;
  try {
    container = await bootWebContainer(api, { timeoutMs, coep: options.coep ?? 'require-corp' });
  } catch (error) {
    return { reason: `Running in a Worker: ${message(error)}.` };
  }
  try {
    const [bundleCode, runnerSource] = await Promise.all([
      fetchText(options.bundleUrl, "the lab's grader bundle"),
      fetchText(options.runnerUrl ?? new URL('runner.mjs', absolute(options.bundleUrl)).href, 'the WebContainer runner'),
    ]);
    const dir = await mountLab(container, { labId: options.labId, bundleCode, runnerSource });
    const transport = webContainerTransport({
      container,
      dir,
      timeZone: options.manifest.limits.timeZone,
      ...(options.onOutput ? { onOutput: options.onOutput } : {}),
    });
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    return { transport, reason: `Running in a WebContainer: Node.js inside this page (ready in ${seconds} s).` };
  } catch (error) {
    return { reason: `Running in a Worker: the grader could not be set up in the WebContainer (${message(error)}).` };
  }
}

export async function createBrowserGrader(options: BrowserGraderOptions): Promise<BrowserGrader> {
  const checks = await loadChecks(options);
  const verdict = webContainerVerdict({
    enabled: options.webContainerEnabled,
    preferred: options.preferWebContainer,
    isolated: options.crossOriginIsolated ?? (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true,
    loadable: options.loadWebContainer !== undefined,
  });

  let engine: BrowserEngine = 'worker';
  let reason: string;
  let transport: Transport | undefined;
  let dispose = () => {};
  if (verdict.tryIt && options.loadWebContainer) {
    const tried = await tryWebContainer({ ...options, loadWebContainer: options.loadWebContainer });
    reason = tried.reason;
    if ('transport' in tried) {
      engine = 'webcontainer';
      transport = tried.transport;
    }
  } else {
    reason = verdict.tryIt ? WORKER_REASONS.noLoader : verdict.reason;
  }
  if (!transport) {
    if (!options.createWorker && typeof Worker === 'undefined') {
      throw new Error('This browser cannot run the grader: it supports neither WebContainers nor Web Workers.');
    }
    const bundleUrl = absolute(options.bundleUrl);
    const workers = workerTransport({
      workerUrl: options.workerUrl ?? new URL('worker.js', bundleUrl).href,
      bundle: { url: bundleUrl },
      ...(options.createWorker ? { createWorker: options.createWorker } : {}),
    });
    // Load the bundle into a Worker while the learner reads and types, not after "Run checks".
    workers.warm();
    transport = workers;
    dispose = workers.dispose;
  }

  const chosen = transport;
  const limits = options.manifest.limits;
  return {
    engine,
    reason,
    dispose,
    grade(files, gradeOptions = {}) {
      return supervise({
        lab: options.labId,
        checks,
        files,
        transport: chosen,
        engine,
        grader: options.grader ?? 'whetstone@browser',
        limits: { checkTimeoutMs: limits.checkTimeoutMs, totalTimeoutMs: limits.totalTimeoutMs, memoryMb: limits.memoryMb },
        loadTimeoutMs: LOAD_TIMEOUT_MS,
        engineNote: reason,
        newNonce,
        ...(gradeOptions.seed !== undefined ? { seed: gradeOptions.seed } : {}),
        ...(gradeOptions.signal ? { signal: gradeOptions.signal } : {}),
        ...(gradeOptions.onResult ? { onResult: gradeOptions.onResult } : {}),
        ...(gradeOptions.onCheckStart ? { onCheckStart: gradeOptions.onCheckStart } : {}),
        ...(gradeOptions.clock ? { clock: gradeOptions.clock } : {}),
      });
    },
  };
}
