// Grading in the browser, without ever making the learner wait for an engine.
//
// A Worker is loaded at once and grades every run until the WebContainer (real Node inside the
// page) is up; the WebContainer boots in the background and takes over from the next run when
// it is. It is tried only when the site enables it, the learner has not opted out, the page is
// cross-origin isolated and it did not already fail to boot in this tab (`bootMemory`). Every
// report says which engine ran and why, in words a learner understands. @webcontainer/api is
// loaded (through `loadWebContainer`) only when it will be tried.
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
import { WebContainerBootError, bootWebContainer, mountLab, webContainerTransport } from './webcontainer/host.ts';
import type { WebContainerApi, WebContainerLike } from './webcontainer/host.ts';
import { workerTransport } from './worker/transport.ts';
import type { WorkerTransport } from './worker/transport.ts';

export type BrowserEngine = 'webcontainer' | 'worker';

/** Where a failed boot is remembered, so later pages of the same tab do not try again (sessionStorage). */
export interface BootMemory {
  /** Why the WebContainer failed to boot earlier, or undefined. */
  recall(): string | undefined;
  remember(failure: string): void;
}

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
  /** How long the WebContainer may take to boot before it is given up for this page (default 20 s). */
  bootTimeoutMs?: number;
  /** The page's Cross-Origin-Embedder-Policy, which the WebContainer must boot with (default 'require-corp'). */
  coep?: 'require-corp' | 'credentialless';
  /** `() => import('@webcontainer/api')`: called only when the WebContainer will be tried. */
  loadWebContainer?: () => Promise<WebContainerApi>;
  /** A boot that failed in this tab before: the WebContainer is not tried again. */
  bootMemory?: BootMemory;
  /** Called when the engine for the next run changes (the WebContainer is up, or given up). */
  onEngineChange?: (grader: BrowserGrader) => void;
  /** The grading sessions' process output in the WebContainer (terminal text with ANSI codes). */
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

/** The WebContainer once it is up: the instance and the folder the lab is mounted in. */
export interface MountedWebContainer {
  container: WebContainerLike;
  /** The folder holding the lab's bundle and runner (mountLab). */
  dir: string;
}

export interface BrowserGrader {
  /** The engine the next run will use. */
  readonly engine: BrowserEngine;
  /** Why this engine, for the page: "Running in a Worker: this page is not cross-origin isolated…". */
  readonly reason: string;
  /** Whether the engine may still change (the WebContainer is booting). */
  readonly booting: boolean;
  /** Settles when the engine is final: the WebContainer is up, or the Worker stays. */
  readonly settled: Promise<void>;
  /** The WebContainer, once it is up. */
  readonly webContainer: MountedWebContainer | undefined;
  grade(files: Record<string, string>, options?: GradeOptions): Promise<Report>;
  /** Let go of the Worker kept loaded for the next run (when the page stops grading). */
  dispose(): void;
}

const DEFAULT_BOOT_TIMEOUT_MS = 20_000;
/**
 * Loading a bundle the size of the AWS SDK takes a while in a fresh process, and the load timer
 * counts it (a session says nothing until the learner's files are loaded); learner code is not
 * to blame. instance-selection's bundle took over 10 s in a Worker on a busy 2-core machine
 * (site tests, 2026-11-30), which blamed "a loop at the top level" wrongly: 30 s leaves room.
 */
const LOAD_TIMEOUT_MS = 30_000;

export const WORKER_REASONS = {
  disabled: 'Running in a Worker: the WebContainer engine is turned off on this site.',
  notPreferred: 'Running in a Worker, as chosen in your settings.',
  notIsolated: 'Running in a Worker: this page is not cross-origin isolated, which the WebContainer needs.',
  noLoader: 'Running in a Worker: this site does not ship the WebContainer engine.',
  starting: 'Running in a Worker while the WebContainer starts; it takes over from the next run once it is up.',
  offline: 'Running in a Worker: the WebContainer engine could not be downloaded (are you offline?).',
} as const;

/** The reason given when a boot failed earlier in this tab. */
export function failedEarlierReason(failure: string): string {
  return `Running in a Worker: the WebContainer did not start earlier in this tab (${failure}); it is tried again in a new tab.`;
}

/** Whether to try the WebContainer at all, and if not, why not. Pure, so the rules are easy to read. */
export function webContainerVerdict(input: { enabled: boolean; preferred: boolean; isolated: boolean; loadable: boolean; failedBefore?: string | undefined }):
  { tryIt: true } | { tryIt: false; reason: string } {
  if (!input.enabled) return { tryIt: false, reason: WORKER_REASONS.disabled };
  if (!input.preferred) return { tryIt: false, reason: WORKER_REASONS.notPreferred };
  if (!input.isolated) return { tryIt: false, reason: WORKER_REASONS.notIsolated };
  if (!input.loadable) return { tryIt: false, reason: WORKER_REASONS.noLoader };
  if (input.failedBefore) return { tryIt: false, reason: failedEarlierReason(input.failedBefore) };
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

/** "Failed to fetch dynamically imported module: https://…/_astro/index.x.js" names what is missing. */
function missingModule(error: unknown): string | undefined {
  return /\bhttps?:\/\/\S+/.exec(message(error))?.[0];
}

type Attempt =
  | { ok: true; mounted: MountedWebContainer; transport: Transport; reason: string }
  | { ok: false; reason: string; bootFailure?: string };

/** Boot, mount and wire the WebContainer, or say in one sentence why the Worker runs instead. */
async function tryWebContainer(
  options: BrowserGraderOptions & { loadWebContainer: NonNullable<BrowserGraderOptions['loadWebContainer']> },
): Promise<Attempt> {
  let api: WebContainerApi;
  try {
    api = await options.loadWebContainer();
  } catch (error) {
    const missing = missingModule(error);
    return { ok: false, reason: missing ? `${WORKER_REASONS.offline.slice(0, -1)}: ${missing} is missing.` : WORKER_REASONS.offline };
  }
  const timeoutMs = options.bootTimeoutMs ?? DEFAULT_BOOT_TIMEOUT_MS;
  const started = performance.now();
  let container: WebContainerLike;
  try {
    container = await bootWebContainer(api, { timeoutMs, coep: options.coep ?? 'require-corp' });
  } catch (error) {
    const failure = error instanceof WebContainerBootError ? error.message : `the WebContainer failed to start (${message(error)})`;
    return { ok: false, reason: `Running in a Worker: ${failure}.`, bootFailure: failure };
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
    return { ok: true, mounted: { container, dir }, transport, reason: `Running in a WebContainer: Node.js inside this page (ready in ${seconds} s).` };
  } catch (error) {
    return { ok: false, reason: `Running in a Worker: the grader could not be set up in the WebContainer (${message(error)}).` };
  }
}

/**
 * A grader that can grade at once: on the Worker until the WebContainer is up (if it is to be
 * tried at all), then on the WebContainer. Returns without waiting for anything.
 */
export function startBrowserGrader(options: BrowserGraderOptions): BrowserGrader {
  const checks = loadChecks(options);
  // A failed download is reported by the run that needs the list, not as an unhandled rejection.
  checks.catch(() => undefined);
  const verdict = webContainerVerdict({
    enabled: options.webContainerEnabled,
    preferred: options.preferWebContainer,
    isolated: options.crossOriginIsolated ?? (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true,
    loadable: options.loadWebContainer !== undefined,
    failedBefore: options.bootMemory?.recall(),
  });

  let engine: BrowserEngine = 'worker';
  let reason: string = verdict.tryIt ? WORKER_REASONS.starting : verdict.reason;
  let booting = verdict.tryIt;
  let mounted: MountedWebContainer | undefined;
  let containerTransport: Transport | undefined;
  let workers: WorkerTransport | undefined;
  let disposed = false;

  const workersAvailable = options.createWorker !== undefined || typeof Worker !== 'undefined';
  const workerEngine = (): WorkerTransport => {
    if (!workers) {
      const bundleUrl = absolute(options.bundleUrl);
      workers = workerTransport({
        workerUrl: options.workerUrl ?? new URL('worker.js', bundleUrl).href,
        bundle: { url: bundleUrl },
        ...(options.createWorker ? { createWorker: options.createWorker } : {}),
      });
    }
    return workers;
  };
  // Load the bundle into a Worker while the learner reads and types, not after "Run checks".
  if (workersAvailable) workerEngine().warm();

  const loader = verdict.tryIt ? options.loadWebContainer : undefined;
  const settled = !loader
    ? Promise.resolve()
    : tryWebContainer({ ...options, loadWebContainer: loader }).then((attempt) => {
        booting = false;
        reason = attempt.reason;
        if (attempt.ok) {
          engine = 'webcontainer';
          mounted = attempt.mounted;
          containerTransport = attempt.transport;
          // The Worker kept loaded for the next run is not needed any more; a grading under way finishes.
          workers?.dispose();
        } else if (attempt.bootFailure) {
          options.bootMemory?.remember(attempt.bootFailure);
        }
        if (!disposed) options.onEngineChange?.(grader);
      });

  const grader: BrowserGrader = {
    get engine() {
      return engine;
    },
    get reason() {
      return reason;
    },
    get booting() {
      return booting;
    },
    settled,
    get webContainer() {
      return mounted;
    },
    async grade(files, gradeOptions = {}) {
      let transport: Transport | undefined = containerTransport;
      if (!transport && !workersAvailable) {
        // Nothing to grade on but the WebContainer: wait for it after all.
        await grader.settled;
        transport = containerTransport;
        if (!transport) throw new Error('This browser cannot run the grader: it supports neither WebContainers nor Web Workers.');
      }
      transport ??= workerEngine();
      const runEngine = transport === containerTransport ? 'webcontainer' : 'worker';
      const note = reason;
      const limits = options.manifest.limits;
      return supervise({
        lab: options.labId,
        checks: await checks,
        files,
        transport,
        engine: runEngine,
        grader: options.grader ?? 'whetstone@browser',
        limits: { checkTimeoutMs: limits.checkTimeoutMs, totalTimeoutMs: limits.totalTimeoutMs, memoryMb: limits.memoryMb },
        loadTimeoutMs: LOAD_TIMEOUT_MS,
        engineNote: note,
        newNonce,
        ...(gradeOptions.seed !== undefined ? { seed: gradeOptions.seed } : {}),
        ...(gradeOptions.signal ? { signal: gradeOptions.signal } : {}),
        ...(gradeOptions.onResult ? { onResult: gradeOptions.onResult } : {}),
        ...(gradeOptions.onCheckStart ? { onCheckStart: gradeOptions.onCheckStart } : {}),
        ...(gradeOptions.clock ? { clock: gradeOptions.clock } : {}),
      });
    },
    dispose() {
      disposed = true;
      workers?.dispose();
    },
  };

  return grader;
}

/**
 * The grader once its engine is settled: waits for the WebContainer's boot (or its failure)
 * before returning. For callers that want one engine for every run; a page uses
 * startBrowserGrader, which never waits.
 */
export async function createBrowserGrader(options: BrowserGraderOptions): Promise<BrowserGrader> {
  const grader = startBrowserGrader(options);
  await grader.settled;
  return grader;
}
