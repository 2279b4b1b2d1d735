// Running the checks from the page: the browser grader (sandbox/browser.ts) is started once per
// page, grades on a Worker at once and moves to the WebContainer when that is up, and every run
// is cancellable. A new run cancels the one still going, so results never come from stale code.
//
// The grading client is part of the page's own script, not a dynamic import: a lab that was
// opened once must grade offline, and a module that failed to download would stop every run.

import type { CheckResult, Report } from '../../grader/report.ts';
import { startBrowserGrader } from '../../sandbox/browser.ts';
import type { BootMemory, BrowserGrader } from '../../sandbox/browser.ts';
import type { LabPageConfig } from './lab-config.ts';
import type { Settings } from './saved-work.ts';

export interface GradingOptions {
  config: LabPageConfig;
  settings: () => Settings;
  /** Where a failed WebContainer boot is remembered for this tab (sessionStorage). */
  bootMemory?: BootMemory;
  /** The engine for the next run changed (the WebContainer is up, or given up). */
  onEngineChange(grader: BrowserGrader): void;
}

export interface Run {
  report: Promise<Report>;
  cancel(): void;
}

/** How long a run took, from the click to the last result, and how much of it was waiting. */
export interface RunTiming {
  /** From "Run checks" to the report. */
  totalMs: number;
  /** Before grading could start (the grader being created). */
  waitMs: number;
}

export class RunCancelled extends Error {
  override name = 'RunCancelled';
  constructor() {
    super('The run was stopped.');
  }
}

const BOOT_FAILURE_KEY = 'whetstone:v1:webcontainer-boot-failure';

/** A failed boot, remembered in sessionStorage: the tab's later pages go straight to the Worker. */
export function sessionBootMemory(storage: Storage | undefined): BootMemory {
  return {
    recall() {
      try {
        return storage?.getItem(BOOT_FAILURE_KEY) ?? undefined;
      } catch {
        return undefined;
      }
    },
    remember(failure) {
      try {
        storage?.setItem(BOOT_FAILURE_KEY, failure);
      } catch {
        // Not remembered: the next page tries the boot again, in the background.
      }
    },
  };
}

export class Grading {
  readonly #options: GradingOptions;
  #grader: BrowserGrader | undefined;
  #graderFor = '';
  #current: AbortController | undefined;

  constructor(options: GradingOptions) {
    this.#options = options;
  }

  /** Start the grader now (at page load): a Worker loads the lab, the WebContainer boots. */
  prepare(): BrowserGrader {
    const settings = this.#options.settings();
    const key = `${settings.engine}|${settings.bootTimeoutMs}`;
    if (!this.#grader || this.#graderFor !== key) {
      this.#grader?.dispose();
      const { config } = this.#options;
      this.#graderFor = key;
      const grader = startBrowserGrader({
        labId: config.lab,
        bundleUrl: config.bundleUrl,
        workerUrl: config.workerUrl,
        runnerUrl: config.runnerUrl,
        checks: config.checks,
        manifest: { limits: config.limits },
        preferWebContainer: settings.engine === 'auto',
        webContainerEnabled: config.webContainerEnabled,
        bootTimeoutMs: settings.bootTimeoutMs,
        ...(this.#options.bootMemory ? { bootMemory: this.#options.bootMemory } : {}),
        // Offline, the WebContainer cannot boot (its runtime comes from StackBlitz): say so at once.
        loadWebContainer: () => (navigator.onLine ? import('@webcontainer/api') : Promise.reject(new Error('offline'))),
        onEngineChange: (changed) => {
          if (this.#grader === changed) this.#options.onEngineChange(changed);
        },
        grader: config.grader,
      });
      this.#grader = grader;
    }
    return this.#grader;
  }

  get running(): boolean {
    return this.#current !== undefined;
  }

  run(
    files: Record<string, string>,
    handlers: { onResult(result: CheckResult): void; onEngine?(grader: BrowserGrader): void },
  ): Run & { timing: Promise<RunTiming> } {
    this.#current?.abort();
    const controller = new AbortController();
    this.#current = controller;
    const clicked = performance.now();
    let gradingFrom = clicked;
    const report = (async () => {
      try {
        const grader = this.prepare();
        if (controller.signal.aborted) throw new RunCancelled();
        handlers.onEngine?.(grader);
        const onResult = (result: CheckResult) => {
          // A stopped run's last results must not land in the next run's list.
          if (!controller.signal.aborted) handlers.onResult(result);
        };
        gradingFrom = performance.now();
        const report = await grader.grade({ ...files }, { signal: controller.signal, onResult });
        if (controller.signal.aborted) throw new RunCancelled();
        return report;
      } finally {
        if (this.#current === controller) this.#current = undefined;
      }
    })();
    const timing = report.then(
      (done) => {
        const totalMs = performance.now() - clicked;
        // The report counts its own grading; anything else since the click was waiting.
        return { totalMs, waitMs: Math.max(gradingFrom - clicked, totalMs - done.durationMs) };
      },
      () => ({ totalMs: performance.now() - clicked, waitMs: 0 }),
    );
    return { report, timing, cancel: () => controller.abort() };
  }

  cancel(): void {
    this.#current?.abort();
  }
}
