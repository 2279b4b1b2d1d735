// The page never waits for an engine: the browser grader is usable at once (on the Worker)
// while the WebContainer boots, switches to the WebContainer when it is up, remembers a failed
// boot for the tab, and says what is missing when the engine cannot be downloaded. The boot is
// a gate the test opens (never a timer that may or may not fire first); the WebContainer is the
// faithful fake (real Node processes), grading the mini fixture lab.

import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BootOptions } from '@webcontainer/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildLabBundle } from '../../catalog/bundle.ts';
import type { LabBundle } from '../../catalog/bundle.ts';
import { REPO_ROOT, readLab, readLearnerFiles } from '../../catalog/labs.ts';
import { WORKER_REASONS, failedEarlierReason, startBrowserGrader } from '../../sandbox/browser.ts';
import type { BootMemory, BrowserGrader, BrowserGraderOptions } from '../../sandbox/browser.ts';
import type { WebContainerApi } from '../../sandbox/webcontainer/host.ts';
import { sessionScript } from '../../sandbox/session-scripts.ts';
import { fakeWebContainerApi } from '../support/fake-webcontainer.ts';
import type { FakeWebContainer } from '../support/fake-webcontainer.ts';

const labsDir = join(REPO_ROOT, 'tests', 'fixtures', 'labs');
// Served as the site serves it: bundled with the lock-down it imports (sandbox/session-scripts.ts).
const runnerSource = sessionScript('runner.mjs');
let bundle: LabBundle;
let originalFetch: typeof fetch;

beforeAll(async () => {
  bundle = await buildLabBundle(readLab('mini', labsDir), { audience: 'browser', cacheDir: mkdtempSync(join(tmpdir(), 'whetstone-bundle-')) });
  // What the site serves next to the bundle, for the grader to download into the WebContainer.
  originalFetch = globalThis.fetch;
  globalThis.fetch = (async (url: string | URL) => {
    const path = new URL(String(url)).pathname;
    const body = path === '/grader/mini.js' ? bundle.code : path === '/grader/runner.mjs' ? runnerSource : undefined;
    return new Response(body ?? 'not found', { status: body === undefined ? 404 : 200 });
  }) as typeof fetch;
});

afterAll(() => {
  globalThis.fetch = originalFetch;
});

/** A WebContainer API whose boot starts only when the test opens the gate. */
function gatedApi(behaviour: Parameters<typeof fakeWebContainerApi>[0] = {}) {
  const api = fakeWebContainerApi(behaviour);
  let open!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  const gated: WebContainerApi = {
    WebContainer: { boot: async (options?: BootOptions) => (await gate, api.WebContainer.boot(options)) },
  };
  return { api, gated, open };
}

function memory(): BootMemory & { failures: string[] } {
  const failures: string[] = [];
  return { failures, recall: () => failures.at(-1), remember: (failure) => void failures.push(failure) };
}

const options = (overrides: Partial<BrowserGraderOptions>): BrowserGraderOptions => ({
  labId: 'mini',
  bundleUrl: 'http://site.test/grader/mini.js',
  checks: bundle.checks,
  manifest: bundle.manifest,
  preferWebContainer: true,
  webContainerEnabled: true,
  crossOriginIsolated: true,
  bootTimeoutMs: 60_000,
  grader: 'whetstone@test',
  // The Worker is proven in Chromium (tests/sandbox/worker.test.ts, site.test.ts); here a
  // Worker is only counted.
  createWorker: () => {
    throw new Error('no Workers in Node');
  },
  ...overrides,
});

describe('choosing the engine without waiting', () => {
  it('is ready at once on the Worker while the WebContainer boots, and moves to the WebContainer when it is up', async () => {
    const { api, gated, open } = gatedApi();
    const changes: string[] = [];
    let workersMade = 0;
    const grader = startBrowserGrader(
      options({
        loadWebContainer: async () => gated,
        onEngineChange: (g) => changes.push(`${g.engine}: ${g.reason}`),
        createWorker: () => {
          workersMade += 1;
          throw new Error('no Workers in Node');
        },
      }),
    );
    try {
      // Returned before any boot: the next run goes to the Worker, which was loaded at once.
      expect({ engine: grader.engine, reason: grader.reason, booting: grader.booting, mounted: grader.webContainer }).toEqual({
        engine: 'worker',
        reason: WORKER_REASONS.starting,
        booting: true,
        mounted: undefined,
      });
      expect(workersMade).toBe(1);
      expect(changes).toEqual([]);

      open();
      await grader.settled;
      expect(grader.engine).toBe('webcontainer');
      expect(grader.booting).toBe(false);
      expect(changes).toEqual([`webcontainer: ${grader.reason}`]);
      expect(grader.reason).toMatch(/^Running in a WebContainer: Node\.js inside this page \(ready in \d+\.\d s\)\.$/);
      // The lab is mounted where the terminal and the sessions find it, and the next run grades there.
      expect(grader.webContainer?.dir).toBe('lab-mini');
      const report = await grader.grade(readLearnerFiles(join(labsDir, 'mini', 'solution')));
      expect(report, JSON.stringify(report.error)).toMatchObject({ status: 'pass', engine: 'webcontainer', engineNote: grader.reason });
    } finally {
      grader.dispose();
      (api.instance as FakeWebContainer | undefined)?.teardown();
    }
  });

  it('remembers a boot that timed out, and the tab’s next page goes straight to the Worker without loading the engine', async () => {
    const tab = memory();
    const { gated, open } = gatedApi({ boot: 'hang' });
    const changes: BrowserGrader[] = [];
    const first = startBrowserGrader(options({ loadWebContainer: async () => gated, bootTimeoutMs: 200, bootMemory: tab, onEngineChange: (g) => changes.push(g) }));
    open();
    await first.settled;
    expect({ engine: first.engine, reason: first.reason, booting: first.booting }).toEqual({
      engine: 'worker',
      reason: 'Running in a Worker: WebContainer boot timed out after 0.2 s.',
      booting: false,
    });
    expect(changes).toEqual([first]);
    expect(tab.failures).toEqual(['WebContainer boot timed out after 0.2 s']);

    let loads = 0;
    const next = startBrowserGrader(options({ loadWebContainer: async () => (loads++, gated), bootMemory: tab }));
    await next.settled;
    expect({ engine: next.engine, reason: next.reason, booting: next.booting }).toEqual({
      engine: 'worker',
      reason: failedEarlierReason('WebContainer boot timed out after 0.2 s'),
      booting: false,
    });
    expect(next.reason).toBe('Running in a Worker: the WebContainer did not start earlier in this tab (WebContainer boot timed out after 0.2 s); it is tried again in a new tab.');
    expect(loads).toBe(0);
  });

  it('does not remember being offline: only a boot that failed is a reason not to try again', async () => {
    const tab = memory();
    const offline = startBrowserGrader(
      options({
        bootMemory: tab,
        loadWebContainer: () => Promise.reject(new TypeError('Failed to fetch dynamically imported module: http://site.test/_astro/index.Bx1.js')),
      }),
    );
    await offline.settled;
    expect(offline.reason).toBe(
      'Running in a Worker: the WebContainer engine could not be downloaded (are you offline?): http://site.test/_astro/index.Bx1.js is missing.',
    );
    expect(tab.failures).toEqual([]);
  });

  it('says so in the reason when the grader files cannot be set up in a WebContainer that booted', async () => {
    const { api, gated, open } = gatedApi();
    const grader = startBrowserGrader(options({ loadWebContainer: async () => gated, runnerUrl: 'http://site.test/grader/gone.mjs' }));
    open();
    await grader.settled;
    (api.instance as FakeWebContainer | undefined)?.teardown();
    expect(grader.engine).toBe('worker');
    expect(grader.reason).toBe(
      'Running in a Worker: the grader could not be set up in the WebContainer (could not download the WebContainer runner from http://site.test/grader/gone.mjs (HTTP 404)).',
    );
  });
});
