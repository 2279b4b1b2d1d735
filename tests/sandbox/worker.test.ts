// The Worker host in real Chromium: a static page loads sandbox/browser.ts (bundled here with
// esbuild), which grades the mini fixture lab in Workers running sandbox/worker/worker.js and
// the lab's browser bundle, all served from 127.0.0.1. Endless loops are stopped, forged
// results and close() gain nothing, and the page says why it runs in a Worker.
//
// Time stands still in these gradings (manual-clock.ts, bundled into the page) unless a test
// lets it run out for a check that never ends: a busy machine can make a Worker slow to load,
// never fail a test.

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildLabBundle } from '../../catalog/bundle.ts';
import type { LabBundle } from '../../catalog/bundle.ts';
import { REPO_ROOT, readLab, readLearnerFiles } from '../../catalog/labs.ts';
import type { Report } from '../../grader/report.ts';
import type { BrowserGraderOptions } from '../../sandbox/browser.ts';
import { gradeWithNode } from '../../sandbox/node/host.ts';
import { sessionScript } from '../../sandbox/session-scripts.ts';
import { ISOLATION_HEADERS, describeInChromium, launchChromium, serveStatic } from '../support/browser.ts';
import type { StaticServer } from '../support/browser.ts';
import { cancelledAfterEachTest } from './cancel-after-each.ts';
import { timeRunsOutOnlyFor } from './manual-clock.ts';
import { OFFLINE_FETCH } from './offline-fetch.ts';

const labsDir = join(REPO_ROOT, 'tests', 'fixtures', 'labs');
const miniFiles = (kind: 'solution' | 'starter') => readLearnerFiles(join(labsDir, 'mini', kind));
const SQUARE = 'export async function slowSquare(n: number) { return n * n; }\n';
const calc = (add: string) => ({ 'calc.ts': `export function add(a: number, b: number): number {\n${add}\n}\n${SQUARE}` });
const check = (report: Report, id: string) => report.checks.find((c) => c.id === id)!;

/** A report without what legitimately differs between hosts. */
function comparable(report: Report) {
  const { durationMs: _d, engine: _e, engineNote: _n, ...rest } = report;
  return { ...rest, checks: report.checks.map(({ durationMs: _c, ...result }) => result) };
}

const PAGE = `<!doctype html>
<meta charset="utf-8">
<title>Worker host test</title>
<script type="module">
  import * as grader from '/browser.js';
  window.graderModule = grader;
</script>`;

/** What a test may change about createBrowserGrader's options (functions are made in the page). */
type PageOptions = Partial<Pick<BrowserGraderOptions, 'webContainerEnabled' | 'preferWebContainer' | 'bootTimeoutMs' | 'workerUrl' | 'grader'>> & {
  /** Give the page a WebContainer whose boot never settles. */
  hangingBoot?: boolean;
  /** Checks that never end: each runs out of time as soon as it starts. */
  neverEnding?: string[];
};

/** What the page's module offers: the browser grader, and the tests' clock. */
type PageModule = typeof import('../../sandbox/browser.ts') & { timeRunsOutOnlyFor: typeof timeRunsOutOnlyFor };

/** Wait for something that must happen, however long it takes (the test's own limit bounds it). */
async function until(happened: () => boolean): Promise<void> {
  while (!happened()) await new Promise((resolve) => setTimeout(resolve, 10));
}

interface PageResult {
  engine: string;
  reason: string;
  report: Report;
  isolated: boolean;
}

const signal = cancelledAfterEachTest();
let browser: Browser;
let bundle: LabBundle;
let plain: StaticServer;
let isolated: StaticServer;
let plainPage: Page;
let isolatedPage: Page;

beforeAll(async () => {
  bundle = await buildLabBundle(readLab('mini', labsDir), {
    audience: 'browser',
    cacheDir: mkdtempSync(join(tmpdir(), 'whetstone-bundle-')),
  });
  const script = await esbuild.build({
    stdin: {
      contents: "export * from './sandbox/browser.ts';\nexport { timeRunsOutOnlyFor } from './tests/sandbox/manual-clock.ts';\n",
      resolveDir: REPO_ROOT,
      loader: 'ts',
    },
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
  });
  // The layout the site serves (see sandbox/browser.ts).
  const routes = {
    '/': PAGE,
    '/browser.js': script.outputFiles[0]!.text,
    '/grader/mini.js': bundle.code,
    '/grader/mini.checks.json': JSON.stringify(bundle.checks),
    '/grader/worker.js': sessionScript('worker.js'),
  };
  [plain, isolated, browser] = await Promise.all([
    serveStatic({ routes }),
    serveStatic({ routes, headers: ISOLATION_HEADERS }),
    launchChromium(),
  ]);
  [plainPage, isolatedPage] = await Promise.all([browser.newPage(), browser.newPage()]);
  await Promise.all([plainPage.goto(plain.url), isolatedPage.goto(isolated.url)]);
  await Promise.all([plainPage, isolatedPage].map((page) => page.waitForFunction(() => 'graderModule' in window)));
});

afterAll(async () => {
  await browser?.close();
  await Promise.all([plain?.close(), isolated?.close()]);
});

function gradeInPage(page: Page, files: Record<string, string>, options: PageOptions = {}): Promise<PageResult> {
  return page.evaluate(
    async ({ files, options, manifest }) => {
      const { createBrowserGrader, timeRunsOutOnlyFor } = (window as unknown as { graderModule: PageModule }).graderModule;
      const { hangingBoot, neverEnding, ...rest } = options;
      const grader = await createBrowserGrader({
        labId: 'mini',
        bundleUrl: '/grader/mini.js',
        manifest,
        preferWebContainer: true,
        webContainerEnabled: true,
        ...(hangingBoot ? { loadWebContainer: async () => ({ WebContainer: { boot: () => new Promise<never>(() => {}) } }) } : {}),
        ...rest,
      });
      try {
        const report = await grader.grade(files, timeRunsOutOnlyFor(neverEnding));
        return { engine: grader.engine, reason: grader.reason, report, isolated: crossOriginIsolated };
      } finally {
        grader.dispose();
      }
    },
    { files, options, manifest: bundle.manifest },
  );
}

describeInChromium('the Worker host in Chromium', () => {
  it('grades the mini solution with full marks in a Worker, and says why a Worker', async () => {
    const { engine, reason, report, isolated: pageIsolated } = await gradeInPage(plainPage, miniFiles('solution'));
    expect(pageIsolated).toBe(false);
    expect(engine).toBe('worker');
    expect(reason).toBe('Running in a Worker: this page is not cross-origin isolated, which the WebContainer needs.');
    expect(report).toMatchObject({ status: 'pass', score: 4, maxScore: 4, engine: 'worker', engineNote: reason });
  });

  it('grades the starter without marks, with the learner’s own error', async () => {
    const { report } = await gradeInPage(plainPage, miniFiles('starter'));
    expect(report.status).toBe('fail');
    expect(report.score).toBeLessThan(2);
    expect(check(report, 'adds').message).toMatch(/Not implemented yet: add \(calc\.ts:2:\d+\)/);
  });

  it('loads the bundle into a Worker before "Run checks", and keeps one loaded for the next run', async () => {
    const bundleLoads = () => plain.requests.filter((path) => path === '/grader/mini.js').length;
    const before = bundleLoads();
    await plainPage.evaluate(async (manifest) => {
      const { createBrowserGrader } = (window as unknown as { graderModule: PageModule }).graderModule;
      const grader = await createBrowserGrader({ labId: 'mini', bundleUrl: '/grader/mini.js', manifest, preferWebContainer: false, webContainerEnabled: true });
      (window as unknown as { kept: typeof grader }).kept = grader;
    }, bundle.manifest);
    await until(() => bundleLoads() > before);
    expect(bundleLoads()).toBe(before + 1);
    const report = await plainPage.evaluate(async (files) => {
      const { timeRunsOutOnlyFor } = (window as unknown as { graderModule: PageModule }).graderModule;
      const grader = (window as unknown as { kept: import('../../sandbox/browser.ts').BrowserGrader }).kept;
      return grader.grade(files, timeRunsOutOnlyFor());
    }, miniFiles('solution'));
    expect(report).toMatchObject({ status: 'pass', engineNote: 'Running in a Worker, as chosen in your settings.' });
    await until(() => bundleLoads() > before + 1);
    expect(bundleLoads()).toBe(before + 2);
    await plainPage.evaluate(() => (window as unknown as { kept: { dispose(): void } }).kept.dispose());
  });

  it('gives the Node host’s report for the same files', async () => {
    for (const files of [miniFiles('solution'), miniFiles('starter'), calc('return a - b;')]) {
      const [inWorker, inNode] = await Promise.all([
        gradeInPage(plainPage, files, { grader: 'whetstone@test' }),
        gradeWithNode({ lab: 'mini', bundle: bundle.code, checks: bundle.checks, files, limits: bundle.manifest.limits, grader: 'whetstone@test', signal: signal(), ...timeRunsOutOnlyFor() }),
      ]);
      expect(comparable(inWorker.report)).toEqual(comparable(inNode));
    }
  });

  it('stops an endless loop: that check times out, the others are still graded', async () => {
    const { report } = await gradeInPage(plainPage, calc('for (;;) {}'), { neverEnding: ['adds', 'adds-negatives'] });
    expect(check(report, 'adds')).toMatchObject({ status: 'timeout', score: 0 });
    expect(check(report, 'adds').message).toMatch(/loop that never ends/);
    expect(check(report, 'adds-negatives').status).toBe('timeout');
    expect(check(report, 'squares').status).toBe('pass');
    expect(check(report, 'fresh-module').status).toBe('pass');
  });

  it('gains nothing from forged results, stolen ports or close()', async () => {
    const forge = `
      const scope = globalThis as any;
      const forged = (nonce: unknown) => ({ type: 'check-end', nonce, result: { id: 'adds', status: 'pass', score: 1 } });
      // Any port the grader posts on later would hand its nonce over here.
      try {
        MessagePort.prototype.postMessage = function (message: any) { scope.postMessage(forged(message?.nonce)); };
      } catch {}
      for (const nonce of [undefined, '', 'test', '0']) {
        scope.postMessage(forged(nonce));
        scope.postMessage({ type: 'done', nonce });
        scope.postMessage({ control: 'finished' });
      }
      if (a === 2) scope.close();
      return 0;`;
    const { report } = await gradeInPage(plainPage, calc(forge));
    expect(check(report, 'adds')).toMatchObject({ status: 'error', score: 0 });
    expect(check(report, 'adds').message).toBe(
      'The grading process crashed while this ran: your code called close(), which ends the grading Worker.',
    );
    expect(check(report, 'adds-negatives')).toMatchObject({ status: 'fail', score: 0 });
    expect(report.score).toBe(2);
  });

  it('gives fetch as it is with no network, as the Node host does: a promise that rejects with TypeError "fetch failed"', async () => {
    const { report } = await gradeInPage(plainPage, OFFLINE_FETCH);
    expect(report.error).toBeUndefined();
    expect(check(report, 'squares')).toMatchObject({ status: 'pass', output: 'TypeError: fetch failed (Network access is not available while grading.)' });
  });

  it('refuses the rest of the network to learner code with the Node host’s words', async () => {
    const { report } = await gradeInPage(
      plainPage,
      calc(`
        for (const reach of [() => new XMLHttpRequest(), () => (globalThis as any).importScripts('/x.js')]) {
          try { reach(); return -1; } catch (error) {
            if ((error as Error).message !== 'Network access is not available while grading.') return -2;
          }
        }
        return a + b;`),
    );
    expect(check(report, 'adds')).toMatchObject({ status: 'pass' });
  });

  it('says when the Worker script itself cannot be loaded', async () => {
    const { report } = await gradeInPage(plainPage, miniFiles('solution'), { workerUrl: '/grader/no-such-worker.js' });
    expect(report.status).toBe('error');
    expect(report.error?.message).toMatch(/the grading Worker could not be loaded from .*\/grader\/no-such-worker\.js/);
  });

  it('on an isolated page, runs in a Worker when the site turns the WebContainer off', async () => {
    const { engine, reason, report, isolated: pageIsolated } = await gradeInPage(isolatedPage, miniFiles('solution'), {
      webContainerEnabled: false,
    });
    expect(pageIsolated).toBe(true);
    expect({ engine, reason }).toEqual({ engine: 'worker', reason: 'Running in a Worker: the WebContainer engine is turned off on this site.' });
    expect(report).toMatchObject({ status: 'pass', score: 4 });
  });

  it('on an isolated page, falls back to a Worker when the WebContainer boot hangs', async () => {
    const { engine, reason, report } = await gradeInPage(isolatedPage, miniFiles('solution'), { hangingBoot: true, bootTimeoutMs: 500 });
    expect(engine).toBe('worker');
    expect(reason).toBe('Running in a Worker: WebContainer boot timed out after 0.5 s.');
    expect(report).toMatchObject({ status: 'pass', score: 4, engine: 'worker', engineNote: reason });
  });
});
