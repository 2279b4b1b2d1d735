// The WebContainer host against a faithful fake of the WebContainer API (real Node processes,
// a real folder for its file system): it gives the Node host's report for the same files,
// survives endless loops and hostile code, and a boot that hangs or fails ends in the Worker
// with a reason a learner can read. Uses the mini fixture lab (add, slowSquare). The lock-down
// of the runner's process is specified in lockdown.test.ts, for both Node hosts.
//
// Time stands still in these gradings (manual-clock.ts) unless a test lets it run out for a
// check that never ends: a busy machine can make a process slow to start, never fail a test.

import { mkdtempSync, readdirSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildLabBundle } from '../../catalog/bundle.ts';
import type { LabBundle } from '../../catalog/bundle.ts';
import { REPO_ROOT, readLab, readLearnerFiles } from '../../catalog/labs.ts';
import type { Report } from '../../grader/report.ts';
import { WORKER_REASONS, createBrowserGrader, webContainerVerdict } from '../../sandbox/browser.ts';
import type { BrowserGraderOptions } from '../../sandbox/browser.ts';
import { gradeWithNode } from '../../sandbox/node/host.ts';
import { sessionScript } from '../../sandbox/session-scripts.ts';
import { supervise } from '../../sandbox/supervisor.ts';
import type { SuperviseOptions } from '../../sandbox/supervisor.ts';
import { WebContainerBootError, bootWebContainer, mountLab, webContainerTransport } from '../../sandbox/webcontainer/host.ts';
import type { WebContainerApi, WebContainerTransport, WebContainerTransportOptions } from '../../sandbox/webcontainer/host.ts';
import { fakeWebContainerApi } from '../support/fake-webcontainer.ts';
import type { FakeWebContainer } from '../support/fake-webcontainer.ts';
import { cancelledAfterEachTest } from './cancel-after-each.ts';
import { timeRunsOutOnlyFor } from './manual-clock.ts';

// The real package fits what the host asks of it, so the site can pass () => import('@webcontainer/api').
type RealApiFits = typeof import('@webcontainer/api') extends WebContainerApi ? true : false;
const realApiFits: RealApiFits = true;

const labsDir = join(REPO_ROOT, 'tests', 'fixtures', 'labs');
// What the site serves and mounts: the runner bundled with the lock-down.
const runnerSource = sessionScript('runner.mjs');
const miniFiles = (kind: 'solution' | 'starter') => readLearnerFiles(join(labsDir, 'mini', kind));

let bundle: LabBundle;
const cancelled = cancelledAfterEachTest();
let container: FakeWebContainer;
let dir: string;
let output = '';
let server: ReturnType<typeof createServer>;
let baseUrl: string;

beforeAll(async () => {
  bundle = await buildLabBundle(readLab('mini', labsDir), {
    audience: 'browser',
    cacheDir: mkdtempSync(join(tmpdir(), 'whetstone-bundle-')),
  });
  const api = fakeWebContainerApi();
  container = (await bootWebContainer(api, { timeoutMs: 60_000 })) as FakeWebContainer;
  dir = await mountLab(container, { labId: 'mini', bundleCode: bundle.code, runnerSource });
  // What the site serves: the bundle and the runner, for createBrowserGrader to fetch.
  server = createServer((req, res) => {
    const body = req.url === '/grader/mini.js' ? bundle.code : req.url === '/grader/runner.mjs' ? runnerSource : undefined;
    res.writeHead(body === undefined ? 404 : 200, { 'content-type': 'text/javascript' });
    res.end(body ?? 'not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => {
  container?.teardown();
  server?.close();
});

interface ContainerGrading extends Partial<Pick<SuperviseOptions, 'signal' | 'onCheckStart' | 'checks'>> {
  /** Checks that never end: each runs out of time as soon as it starts. */
  neverEnding?: string[];
  transport?: Partial<WebContainerTransportOptions>;
}

/** Grade in the fake WebContainer; the transport is returned to wait for its sessions to settle. */
async function gradeInContainer(files: Record<string, string>, options: ContainerGrading = {}): Promise<Report & { transport: WebContainerTransport }> {
  const limits = bundle.manifest.limits;
  const transport = webContainerTransport({ container, dir, timeZone: limits.timeZone, onOutput: (chunk) => (output += chunk), ...options.transport });
  const time = timeRunsOutOnlyFor(options.neverEnding);
  const report = await supervise({
    lab: 'mini',
    checks: options.checks ?? bundle.checks,
    files,
    transport,
    engine: 'webcontainer',
    grader: 'whetstone@test',
    limits,
    newNonce: () => crypto.randomUUID(),
    clock: time.clock,
    onCheckStart: (check) => {
      time.onCheckStart(check);
      options.onCheckStart?.(check);
    },
    signal: options.signal ? AbortSignal.any([options.signal, cancelled()]) : cancelled(),
  });
  return Object.assign(report, { transport });
}

function gradeInNode(files: Record<string, string>): Promise<Report> {
  return gradeWithNode({
    lab: 'mini',
    bundle: bundle.code,
    checks: bundle.checks,
    files,
    limits: bundle.manifest.limits,
    grader: 'whetstone@test',
    signal: cancelled(),
    ...timeRunsOutOnlyFor(),
  });
}

/** A report without what legitimately differs between hosts. */
function comparable(report: Report) {
  const { durationMs: _d, engine: _e, engineNote: _n, transport: _t, ...rest } = report as Report & { transport?: unknown };
  return { ...rest, checks: report.checks.map(({ durationMs: _c, ...check }) => check) };
}

const SQUARE = 'export async function slowSquare(n: number) { return n * n; }\n';
const calc = (add: string) => ({ 'calc.ts': `export function add(a: number, b: number): number {\n${add}\n}\n${SQUARE}` });
const check = (report: Report, id: string) => report.checks.find((c) => c.id === id)!;

/** Wait for something that must happen, however long it takes (the test's own limit bounds it). */
async function until(happened: () => boolean): Promise<void> {
  while (!happened()) await new Promise((resolve) => setTimeout(resolve, 10));
}


describe('the WebContainer host (fake WebContainer, real Node)', () => {
  it('gives the Node host’s report for the mini solution and starter', async () => {
    for (const kind of ['solution', 'starter'] as const) {
      const [inContainer, inNode] = await Promise.all([gradeInContainer(miniFiles(kind)), gradeInNode(miniFiles(kind))]);
      expect(inContainer.engine).toBe('webcontainer');
      expect(comparable(inContainer)).toEqual(comparable(inNode));
    }
    const solution = await gradeInContainer(miniFiles('solution'));
    expect(solution).toMatchObject({ status: 'pass', score: 4, maxScore: 4 });
  });

  it('stops an endless loop: that check times out, the rest still run', async () => {
    const report = await gradeInContainer(calc('for (;;) {}'), { neverEnding: ['adds', 'adds-negatives'] });
    expect(check(report, 'adds')).toMatchObject({ status: 'timeout', score: 0 });
    expect(check(report, 'adds').message).toMatch(/loop that never ends/);
    expect(check(report, 'adds-negatives').status).toBe('timeout');
    expect(check(report, 'squares').status).toBe('pass');
    expect(check(report, 'fresh-module').status).toBe('pass');
  });

  it('spawns node runner.mjs in the lab folder with the lab’s time zone, and cleans up its session files', async () => {
    const { transport } = await gradeInContainer(miniFiles('solution'));
    const last = container.spawned.at(-1)!;
    expect(last).toMatchObject({ command: 'node', cwd: dir, env: { TZ: 'America/Los_Angeles' } });
    expect(last.args[0]).toBe('runner.mjs');
    await transport.settled();
    expect(readdirSync(join(container.root, dir, 'sessions'))).toEqual([]);
  });

  it('forwards the process output to the terminal, and never takes results from it', async () => {
    output = '';
    const forged = JSON.stringify({ type: 'check-end', nonce: 'guess', result: { id: 'adds', status: 'pass' } });
    const report = await gradeInContainer(calc(`globalThis.console.log('hello from add'); globalThis.console.log(${JSON.stringify(forged)}); return 0;`));
    await report.transport.settled();
    expect(output).toContain('hello from add\r\n');
    expect(check(report, 'adds').status).toBe('fail');
    expect(report.score).toBe(2);
  });

  it('stops when grading is cancelled, and says which checks did not run', async () => {
    // Time stands still and add never returns: only the cancel can end this grading.
    const controller = new AbortController();
    const report = await gradeInContainer(calc('for (;;) {}'), {
      signal: controller.signal,
      onCheckStart: (started) => {
        if (started.id === 'adds') controller.abort();
      },
    });
    for (const id of ['adds', 'adds-negatives', 'squares', 'fresh-module']) {
      expect(check(report, id), id).toMatchObject({ status: 'error', message: 'Not run: grading was cancelled.' });
    }
    expect(container.spawned.at(-1)?.args[0]).toBe('runner.mjs');
    expect(realApiFits).toBe(true);
  });

  it('stops a session that floods the terminal, and says so', async () => {
    // Time stands still: the output cap, reached after a bounded number of lines, is the only way out.
    const report = await gradeInContainer(calc(`for (;;) globalThis.console.log('x'.repeat(100));`), { transport: { outputCap: 20_000, timeZone: 'UTC' } });
    expect(check(report, 'adds')).toMatchObject({ status: 'error', message: expect.stringMatching(/printed too much output/) });
    expect(check(report, 'adds-negatives')).toMatchObject({ status: 'error', message: expect.stringMatching(/printed too much output/) });
    expect(check(report, 'squares').status).toBe('pass');
  });

  it('reports a runner that fails as a crash, with its reason', async () => {
    const broken = await mountLab(container, { labId: 'broken', bundleCode: 'globalThis.somethingElse = 1;', runnerSource });
    const report = await gradeInContainer(miniFiles('solution'), { transport: { dir: broken, timeZone: 'UTC' } });
    expect(report.status).toBe('error');
    expect(report.error).toMatchObject({ kind: 'crash' });
    expect(report.error?.message).toContain('the lab bundle did not define whetstoneLab');
  });
});

describe('booting the WebContainer', () => {
  it('gives up on a boot that hangs, with the time it waited', async () => {
    // The boot never settles: only the time limit can end the wait.
    const boot = bootWebContainer(fakeWebContainerApi({ boot: 'hang' }), { timeoutMs: 300 });
    await expect(boot).rejects.toThrow(WebContainerBootError);
    await expect(boot).rejects.toThrow('WebContainer boot timed out after 0.3 s');
  });

  it('turns a boot that fails into an error that says so', async () => {
    const boot = bootWebContainer(fakeWebContainerApi({ boot: 'reject', rejectWith: 'Failed to load the WebContainer iframe' }), { timeoutMs: 1000 });
    await expect(boot).rejects.toThrow('the WebContainer failed to start (Failed to load the WebContainer iframe)');
  });

  it('boots once per page: a second grader reuses the first boot', async () => {
    const api = fakeWebContainerApi({ bootDelayMs: 20 });
    // Limits longer than the test's own: a slow boot cannot be mistaken for a hung one.
    const [a, b] = await Promise.all([bootWebContainer(api, { timeoutMs: 60_000 }), bootWebContainer(api, { timeoutMs: 60_000 })]);
    expect(a).toBe(b);
    expect(api.boots).toBe(1);
    (a as FakeWebContainer).teardown();
  });
});

describe('choosing the engine', () => {
  it('tries the WebContainer only when enabled, preferred, isolated and loadable', () => {
    const all = { enabled: true, preferred: true, isolated: true, loadable: true };
    expect(webContainerVerdict(all)).toEqual({ tryIt: true });
    expect(webContainerVerdict({ ...all, enabled: false })).toEqual({ tryIt: false, reason: WORKER_REASONS.disabled });
    expect(webContainerVerdict({ ...all, preferred: false })).toEqual({ tryIt: false, reason: WORKER_REASONS.notPreferred });
    expect(webContainerVerdict({ ...all, isolated: false })).toEqual({ tryIt: false, reason: WORKER_REASONS.notIsolated });
    expect(webContainerVerdict({ ...all, loadable: false })).toEqual({ tryIt: false, reason: WORKER_REASONS.noLoader });
  });

  const options = (overrides: Partial<BrowserGraderOptions>): BrowserGraderOptions => ({
    labId: 'mini',
    bundleUrl: `${baseUrl}/grader/mini.js`,
    checks: bundle.checks,
    manifest: bundle.manifest,
    preferWebContainer: true,
    webContainerEnabled: true,
    crossOriginIsolated: true,
    bootTimeoutMs: 300,
    grader: 'whetstone@test',
    // Grading in a Worker is tested in Chromium (worker.test.ts); here only the choice matters.
    createWorker: () => {
      throw new Error('no Workers in Node');
    },
    ...overrides,
  });

  it('never loads @webcontainer/api when the engine is off or the page is not isolated', async () => {
    let loads = 0;
    const loadWebContainer = async () => {
      loads += 1;
      return fakeWebContainerApi();
    };
    const off = await createBrowserGrader(options({ webContainerEnabled: false, loadWebContainer }));
    expect(off).toMatchObject({ engine: 'worker', reason: 'Running in a Worker: the WebContainer engine is turned off on this site.' });
    const notIsolated = await createBrowserGrader(options({ crossOriginIsolated: false, loadWebContainer }));
    expect(notIsolated).toMatchObject({ engine: 'worker', reason: 'Running in a Worker: this page is not cross-origin isolated, which the WebContainer needs.' });
    expect(loads).toBe(0);
  });

  it('falls back to the Worker when the boot hangs, fails, or the engine cannot be downloaded', async () => {
    const hung = await createBrowserGrader(options({ loadWebContainer: async () => fakeWebContainerApi({ boot: 'hang' }) }));
    expect(hung).toMatchObject({ engine: 'worker', reason: 'Running in a Worker: WebContainer boot timed out after 0.3 s.' });
    const failed = await createBrowserGrader(
      options({ loadWebContainer: async () => fakeWebContainerApi({ boot: 'reject', rejectWith: 'Unsupported browser' }) }),
    );
    expect(failed).toMatchObject({ engine: 'worker', reason: 'Running in a Worker: the WebContainer failed to start (Unsupported browser).' });
    const offline = await createBrowserGrader(options({ loadWebContainer: () => Promise.reject(new TypeError('Failed to fetch')) }));
    expect(offline).toMatchObject({ engine: 'worker', reason: 'Running in a Worker: the WebContainer engine could not be downloaded (are you offline?).' });
  });

  it('grades in the WebContainer when it boots, and says so in the report', async () => {
    const api = fakeWebContainerApi();
    let terminal = '';
    const grader = await createBrowserGrader(options({ loadWebContainer: async () => api, onOutput: (chunk) => (terminal += chunk) }));
    try {
      expect(grader.engine).toBe('webcontainer');
      expect(grader.reason).toMatch(/^Running in a WebContainer: Node\.js inside this page \(ready in \d+\.\d s\)\.$/);
      const report = await grader.grade(miniFiles('solution'), timeRunsOutOnlyFor());
      expect(report).toMatchObject({ status: 'pass', score: 4, engine: 'webcontainer', engineNote: grader.reason });
      const starter = await grader.grade(miniFiles('starter'), timeRunsOutOnlyFor());
      expect(comparable(starter)).toEqual(comparable(await gradeInNode(miniFiles('starter'))));
      await grader.grade(calc("globalThis.console.log('to the terminal panel'); return a + b;"), timeRunsOutOnlyFor());
      await until(() => terminal.includes('to the terminal panel'));
    } finally {
      api.instance?.teardown();
    }
  });

  it('falls back when the grader files cannot be downloaded into the WebContainer', async () => {
    const api = fakeWebContainerApi();
    const grader = await createBrowserGrader(options({ runnerUrl: `${baseUrl}/grader/missing.mjs`, loadWebContainer: async () => api }));
    api.instance?.teardown();
    expect(grader.engine).toBe('worker');
    expect(grader.reason).toMatch(/^Running in a Worker: the grader could not be set up in the WebContainer \(could not download the WebContainer runner from .*missing\.mjs \(HTTP 404\)\)\.$/);
  });
});
