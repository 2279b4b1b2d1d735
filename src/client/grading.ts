// Running the checks from the page: the browser grader (sandbox/browser.ts) is created once per
// page on first need, on the engine the settings allow, and every run is cancellable. A new
// run cancels the one still going, so results never come from stale code.

import type { CheckResult, Report } from '../../grader/report.ts';
import type { BrowserGrader } from '../../sandbox/browser.ts';
import type { LabPageConfig } from './lab-config.ts';
import type { Settings } from './saved-work.ts';

export interface GradingOptions {
  config: LabPageConfig;
  settings: () => Settings;
  /** The WebContainer's process output, for the terminal panel. */
  onOutput(chunk: string): void;
}

export interface Run {
  report: Promise<Report>;
  cancel(): void;
}

export class RunCancelled extends Error {
  override name = 'RunCancelled';
  constructor() {
    super('The run was stopped.');
  }
}

export class Grading {
  readonly #options: GradingOptions;
  #grader: Promise<BrowserGrader> | undefined;
  #graderFor = '';
  #current: AbortController | undefined;

  constructor(options: GradingOptions) {
    this.#options = options;
  }

  /** Create the grader now (e.g. on the first edit), so the first run need not wait for it. */
  prepare(): Promise<BrowserGrader> {
    const settings = this.#options.settings();
    const key = `${settings.engine}|${settings.bootTimeoutMs}`;
    if (!this.#grader || this.#graderFor !== key) {
      const { config } = this.#options;
      this.#graderFor = key;
      const grader = import('../../sandbox/browser.ts').then(({ createBrowserGrader }) =>
        createBrowserGrader({
          labId: config.lab,
          bundleUrl: config.bundleUrl,
          workerUrl: config.workerUrl,
          runnerUrl: config.runnerUrl,
          checks: config.checks,
          manifest: { limits: config.limits },
          preferWebContainer: settings.engine === 'auto',
          webContainerEnabled: config.webContainerEnabled,
          bootTimeoutMs: settings.bootTimeoutMs,
          // Offline, the WebContainer cannot boot (its runtime comes from StackBlitz): fail at once,
          // so the page says "offline" instead of waiting for the boot to time out.
          loadWebContainer: () => (navigator.onLine ? import('@webcontainer/api') : Promise.reject(new Error('offline'))),
          onOutput: (chunk) => this.#options.onOutput(chunk),
          grader: config.grader,
        }),
      );
      // A grader that failed to start is not kept: the next run tries again.
      grader.catch(() => {
        if (this.#grader === grader) this.#grader = undefined;
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
  ): Run {
    this.#current?.abort();
    const controller = new AbortController();
    this.#current = controller;
    const report = (async () => {
      try {
        const grader = await this.prepare();
        if (controller.signal.aborted) throw new RunCancelled();
        handlers.onEngine?.(grader);
        const onResult = (result: CheckResult) => {
          // A stopped run's last results must not land in the next run's list.
          if (!controller.signal.aborted) handlers.onResult(result);
        };
        const report = await grader.grade({ ...files }, { signal: controller.signal, onResult });
        if (controller.signal.aborted) throw new RunCancelled();
        return report;
      } finally {
        if (this.#current === controller) this.#current = undefined;
      }
    })();
    return { report, cancel: () => controller.abort() };
  }

  cancel(): void {
    this.#current?.abort();
  }
}
