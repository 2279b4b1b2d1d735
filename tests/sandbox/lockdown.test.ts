// The process lock-down (sandbox/lockdown/) held to one specification in both hosts that run a
// Node grading process: the Node child and the WebContainer runner (here in the faithful fake,
// which really runs the served runner script in Node). The browser Worker's share of it, the
// offline fetch, is held to the same words in worker.test.ts. Uses the mini fixture lab.

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildLabBundle } from '../../catalog/bundle.ts';
import type { LabBundle } from '../../catalog/bundle.ts';
import { REPO_ROOT, readLab } from '../../catalog/labs.ts';
import type { Report } from '../../grader/report.ts';
import { gradeWithNode } from '../../sandbox/node/host.ts';
import { sessionScript } from '../../sandbox/session-scripts.ts';
import { supervise } from '../../sandbox/supervisor.ts';
import { bootWebContainer, mountLab, webContainerTransport } from '../../sandbox/webcontainer/host.ts';
import { fakeWebContainerApi } from '../support/fake-webcontainer.ts';
import type { FakeWebContainer } from '../support/fake-webcontainer.ts';
import { cancelledAfterEachTest } from './cancel-after-each.ts';
import { timeRunsOutOnlyFor } from './manual-clock.ts';
import { OFFLINE_FETCH } from './offline-fetch.ts';

const labsDir = join(REPO_ROOT, 'tests', 'fixtures', 'labs');
type Grade = (files: Record<string, string>) => Promise<Report>;

let container: FakeWebContainer;
const signal = cancelledAfterEachTest();
const hosts: Record<'node' | 'webcontainer', Grade> = {
  node: () => Promise.reject(new Error('not set up')),
  webcontainer: () => Promise.reject(new Error('not set up')),
};

beforeAll(async () => {
  const cacheDir = mkdtempSync(join(tmpdir(), 'whetstone-bundle-'));
  const lab = readLab('mini', labsDir);
  const [graderBundle, browserBundle] = await Promise.all([
    buildLabBundle(lab, { audience: 'grader', cacheDir }),
    buildLabBundle(lab, { audience: 'browser', cacheDir }),
  ]);
  container = (await bootWebContainer(fakeWebContainerApi(), { timeoutMs: 60_000 })) as FakeWebContainer;
  const dir = await mountLab(container, { labId: 'mini', bundleCode: browserBundle.code, runnerSource: sessionScript('runner.mjs') });
  const limits = (bundle: LabBundle) => bundle.manifest.limits;
  // Time stands still: only what the submission does can end a session.
  hosts.node = (files) =>
    gradeWithNode({ lab: 'mini', bundle: graderBundle.code, checks: graderBundle.checks, files, limits: limits(graderBundle), grader: 'whetstone@test', signal: signal(), ...timeRunsOutOnlyFor() });
  hosts.webcontainer = (files) =>
    supervise({
      lab: 'mini',
      checks: browserBundle.checks,
      files,
      transport: webContainerTransport({ container, dir, timeZone: limits(browserBundle).timeZone }),
      engine: 'webcontainer',
      grader: 'whetstone@test',
      limits: limits(browserBundle),
      newNonce: () => crypto.randomUUID(),
      signal: signal(),
      ...timeRunsOutOnlyFor(),
    });
});

afterAll(() => container?.teardown());

const check = (report: Report, id: string) => report.checks.find((c) => c.id === id)!;

/** What learner code could use to leave the process, escape the sandbox or confuse the host. */
const PROCESS_METHODS = [
  'exit', 'reallyExit', 'abort', 'kill', '_kill', 'dlopen', 'binding', '_linkedBinding', 'getBuiltinModule',
  'chdir', 'send', 'disconnect', 'umask', 'setuid', 'setgid', 'seteuid', 'setegid', 'setgroups', 'initgroups',
  'execve', 'loadEnvFile', '_rawDebug',
];

/**
 * slowSquare reports, for each name, what the process offers there: 'absent', or whether calling
 * it was refused and whether it could be put back. It looks at the process learner code sees as
 * a global and at the module node:process, should a dynamic import reach it ('unreachable' if
 * not). It returns n * n whatever it finds, so the check passes only if the session survived.
 */
const PROBE_PROCESS = {
  'calc.ts': `export function add(a: number, b: number) { return a + b; }
export async function slowSquare(n: number) {
  let viaImport: any;
  try { viaImport = (await (0, eval)(['imp', 'ort("node:process")'].join(''))).default; } catch { console.log('node:process: unreachable'); }
  for (const [where, p] of [['globalThis.process', (globalThis as any).process], ['node:process', viaImport]] as const) {
    if (!p) continue;
    for (const name of ${JSON.stringify(PROCESS_METHODS)}) {
      if (!(name in p)) { console.log(where + '.' + name + ': absent'); continue; }
      let called: string;
      try { p[name](name === 'kill' || name === '_kill' ? p.ppid : 0); called = 'allowed'; } catch (error) { called = (error as Error).message; }
      let replaced: string;
      try { p[name] = () => 'patched'; replaced = p[name]() === 'patched' ? 'replaced' : 'kept'; } catch { replaced = 'kept'; }
      console.log(where + '.' + name + ': ' + called + ' / ' + replaced);
    }
  }
  return n * n;
}
`,
};

describe.each(['node', 'webcontainer'] as const)('the process lock-down, in the %s host', (host) => {
  const grade: Grade = (files) => hosts[host](files);

  it('gives fetch as it is with no network: a promise that rejects with TypeError "fetch failed", never a throw', async () => {
    const report = await grade(OFFLINE_FETCH);
    expect(report.error).toBeUndefined();
    expect(check(report, 'squares')).toMatchObject({
      status: 'pass',
      output: 'TypeError: fetch failed (Network access is not available while grading.)',
    });
  });

  it('refuses WebSocket and EventSource in the words every host uses', async () => {
    const report = await grade({
      'calc.ts': `export function add(a: number, b: number) { return a + b; }
export async function slowSquare(n: number) {
  for (const name of ['WebSocket', 'EventSource']) {
    const Reach = (globalThis as any)[name];
    if (Reach === undefined) { console.log(name + ': absent'); continue; }
    try { new Reach('ws://127.0.0.1:9'); console.log(name + ': allowed'); } catch (error) { console.log(name + ': ' + (error as Error).message); }
  }
  return n * n;
}
`,
    });
    expect(check(report, 'squares').status).toBe('pass');
    for (const line of check(report, 'squares').output!.split('\n')) {
      expect(line).toMatch(/^(WebSocket|EventSource): (absent|Network access is not available while grading\.)$/);
    }
  });

  it('leaves fetch’s classes working offline: Request, Response, Headers and FormData load at first use, after the lock-down', async () => {
    const report = await grade({
      'calc.ts': `export function add(a: number, b: number) { return a + b; }
export async function slowSquare(n: number) {
  const request = new Request('https://example.com/x', { method: 'POST', body: 'hello' });
  const form = new FormData();
  form.append('a', 'b');
  console.log([request.method, await request.text(), await new Response('body').text(), new Headers({ k: 'v' }).get('k'), form.get('a')].join(' '));
  return n * n;
}
`,
    });
    expect(report.error).toBeUndefined();
    expect(check(report, 'squares')).toMatchObject({ status: 'pass', output: 'POST hello body v b' });
  });

  it('refuses every way out of the process, for good, however the code reaches the process', async () => {
    const report = await grade(PROBE_PROCESS);
    expect(check(report, 'squares').status).toBe('pass');
    const lines = check(report, 'squares').output!.split('\n').filter((line) => line !== 'node:process: unreachable');
    for (const line of lines) {
      const [, where, name] = /^(.*)\.(\w+): /.exec(line)!;
      expect([`${where}.${name}: absent`, `${where}.${name}: process.${name}() is not available while grading. / kept`]).toContain(line);
    }
    // The methods a learner would reach for are there to be refused, not merely missing.
    for (const name of ['exit', 'reallyExit', 'abort', 'kill', 'binding', 'getBuiltinModule', 'dlopen', 'chdir']) {
      expect(lines).toContain(`globalThis.process.${name}: process.${name}() is not available while grading. / kept`);
    }
  });

  it('outlives a learner’s stray asynchronous throw and rejection: the other checks still run', async () => {
    const report = await grade({
      'calc.ts': `export function add(a: number, b: number) {
  setTimeout(() => { throw new Error('stray throw'); }, 0);
  Promise.reject(new Error('stray rejection'));
  return a + b;
}
export async function slowSquare(n: number) { return n * n; }
`,
    });
    expect(report.checks.map((c) => [c.id, c.status])).toEqual(
      expect.arrayContaining([['adds', 'pass'], ['adds-negatives', 'pass'], ['squares', 'pass'], ['fresh-module', 'pass']]),
    );
  });
});
