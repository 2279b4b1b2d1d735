// The Node host against hostile and broken submissions: each gets an honest report, none gets
// marks it did not earn, none takes the grader down. Uses the mini fixture lab (add, slowSquare).
// The lock-down of the process itself is specified in lockdown.test.ts, for both Node hosts.
//
// Time stands still in these gradings (manual-clock.ts) unless a test lets it run out for a
// check that never ends: a busy machine can make a process slow to start, never fail a test.

import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildLabBundle } from '../../catalog/bundle.ts';
import type { LabBundle } from '../../catalog/bundle.ts';
import { REPO_ROOT, readLab, readLearnerFiles } from '../../catalog/labs.ts';
import type { Report } from '../../grader/report.ts';
import { gradeWithNode } from '../../sandbox/node/host.ts';
import { reportSchemaErrors } from '../support/report-schema.ts';
import { cancelledAfterEachTest } from './cancel-after-each.ts';
import { timeRunsOutOnlyFor } from './manual-clock.ts';

const labsDir = join(REPO_ROOT, 'tests', 'fixtures', 'labs');
let bundle: LabBundle;
const signal = cancelledAfterEachTest();

beforeAll(async () => {
  bundle = await buildLabBundle(readLab('mini', labsDir), {
    audience: 'grader',
    cacheDir: mkdtempSync(join(tmpdir(), 'whetstone-bundle-')),
  });
});

interface GradeOptions {
  /** Checks that never end: each runs out of time as soon as it starts. */
  neverEnding?: string[];
  /** Grade on the real clock, for a time limit no check start can point at. */
  realTime?: { totalTimeoutMs: number };
}

async function grade(files: Record<string, string>, options: GradeOptions = {}): Promise<Report> {
  const report = await gradeWithNode({
    lab: 'mini',
    bundle: bundle.code,
    checks: bundle.checks,
    files,
    limits: { ...bundle.manifest.limits, ...options.realTime },
    grader: 'whetstone@test',
    signal: signal(),
    ...(options.realTime ? {} : timeRunsOutOnlyFor(options.neverEnding)),
  });
  // Whatever the submission did, the report honours the published contract.
  expect(reportSchemaErrors(report)).toEqual([]);
  return report;
}

const SQUARE = 'export async function slowSquare(n: number) { return n * n; }\n';
const calc = (add: string, extra = '') => ({ 'calc.ts': `${extra}export function add(a: number, b: number): number {\n${add}\n}\n${SQUARE}` });
const check = (report: Report, id: string) => report.checks.find((c) => c.id === id)!;


describe('the Node host', () => {
  it('grades the solution with full marks and the starter without', async () => {
    const [solution, starter] = await Promise.all([
      grade(readLearnerFiles(join(labsDir, 'mini', 'solution'))),
      grade(readLearnerFiles(join(labsDir, 'mini', 'starter'))),
    ]);
    expect(solution).toMatchObject({ status: 'pass', score: 5, maxScore: 5, engine: 'node' });
    expect(starter.status).toBe('fail');
    expect(starter.score).toBeLessThan(2);
  });

  it('stops an endless loop in one function, scores it timeout, and still grades the rest', async () => {
    // Every check that calls add never ends, the hidden one too.
    const report = await grade(calc('for (;;) {}'), { neverEnding: ['adds', 'adds-negatives', 'adds-large'] });
    expect(check(report, 'adds')).toMatchObject({ status: 'timeout', score: 0 });
    expect(check(report, 'adds-negatives').status).toBe('timeout');
    expect(check(report, 'adds-large').status).toBe('timeout');
    expect(check(report, 'squares').status).toBe('pass');
    expect(check(report, 'adds').message).toMatch(/loop that never ends/);
  });

  it('reports an endless loop at the top level as a load timeout', async () => {
    // The real clock: the code never loads, so the load's time limit is the only way this ends.
    const report = await grade(calc('return a + b;', 'while (true) {}\n'), { realTime: { totalTimeoutMs: 15_000 } });
    expect(report.status).toBe('error');
    expect(report.error?.kind).toBe('timeout');
    expect(report.score).toBe(0);
  }, 20_000);

  it('ends a memory hog with a memory error and keeps grading', async () => {
    const report = await grade(calc('const hog: number[][] = []; for (;;) hog.push(new Array(1e6).fill(a));'));
    expect(check(report, 'adds')).toMatchObject({ status: 'error', score: 0 });
    expect(check(report, 'adds').message).toMatch(/out of memory/);
    expect(check(report, 'squares').status).toBe('pass');
  }, 60_000);

  it('ignores a fake passing report printed or written to the report channel', async () => {
    const forged = JSON.stringify({ type: 'check-end', nonce: 'guess', result: { id: 'adds', status: 'pass', score: 1, maxScore: 1 } });
    const report = await grade(
      calc(
        `let fs: any; try { fs = (globalThis as any).process.getBuiltinModule('fs'); } catch {} (globalThis as any).console.log(${JSON.stringify(forged)}); try { fs?.writeSync(3, ${JSON.stringify(forged + '\n')}); } catch {} return a - b;`,
      ),
    );
    expect(check(report, 'adds')).toMatchObject({ status: 'fail', score: 0 });
  });

  it('cannot make a wrong answer pass by patching globals or the assertion library', async () => {
    const patches = [
      'Object.is = () => true;',
      'Array.prototype.includes = () => true;',
      'JSON.stringify = () => "{}";',
      '(Error.prototype as any).name = "Nope";',
      'Object.defineProperty(Object.prototype, "then", { get() { return undefined; } });',
    ];
    for (const patch of patches) {
      const report = await grade(calc(`try { ${patch} } catch {} return a - b;`));
      expect(check(report, 'adds').status, patch).not.toBe('pass');
      expect(check(report, 'adds-negatives').status, patch).not.toBe('pass');
    }
  });

  it('cannot read the solution or any file outside the submission', async () => {
    const solution = join(labsDir, 'mini', 'solution', 'calc.ts');
    const attempts = [
      `(globalThis as any).process.getBuiltinModule('fs').readFileSync(${JSON.stringify(solution)}, 'utf8')`,
      `(await (0, eval)(['imp', 'ort("node:fs")'].join(''))).readFileSync(${JSON.stringify(solution)}, 'utf8')`,
      `(globalThis as any).process.binding('fs')`,
      `(globalThis as any).require('fs').readFileSync(${JSON.stringify(solution)}, 'utf8')`,
    ];
    for (const attempt of attempts) {
      const report = await grade({
        'calc.ts': `export function add(a: number, b: number) { return a + b; }\nexport async function slowSquare(n: number) {\n  let text: unknown;\n  try { text = ${attempt}; } catch (e) { console.log('refused: ' + String(e)); }\n  console.log('read: ' + String(text));\n  return n * n;\n}\n`,
      });
      const output = check(report, 'squares').output ?? '';
      // Refused at run time, or already at load time by the import allow-list.
      expect(report.error?.kind === 'forbidden-import' || output.includes('refused'), attempt).toBe(true);
      expect(JSON.stringify(report), attempt).not.toContain('return a + b;\\n}');
    }
  });

  it('has no network: a connection to a local server never arrives', async () => {
    let connections = 0;
    const server = createServer((socket) => {
      connections += 1;
      socket.destroy();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const report = await grade({
      'calc.ts': `export function add(a: number, b: number) { return a + b; }\nexport async function slowSquare(n: number) {\n  const net: any = await (0, eval)(['imp', 'ort("node:net")'].join(''));\n  await new Promise((resolve, reject) => { const s = net.connect(${port}, '127.0.0.1', resolve); s.on('error', reject); });\n  return n * n;\n}\n`,
    });
    const fetched = await grade({
      'calc.ts': `export function add(a: number, b: number) { return a + b; }\nexport async function slowSquare(n: number) { await fetch('http://127.0.0.1:${port}/'); return n * n; }\n`,
    });
    server.close();
    expect(check(report, 'squares').status).toBe('error');
    expect(check(fetched, 'squares').status).toBe('error');
    expect(check(fetched, 'squares').message).toMatch(/^Your code threw TypeError: fetch failed/);
    expect(connections).toBe(0);
  });

  it('passes no credentials or environment to the submission', async () => {
    process.env.AWS_SECRET_ACCESS_KEY = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
    try {
      const report = await grade(calc('console.log(JSON.stringify((globalThis as any).process.env)); return a + b;'));
      const output = check(report, 'adds').output ?? '';
      expect(output).not.toContain('EXAMPLEKEY');
      expect(output).not.toContain('AWS_');
      expect(check(report, 'adds').status).toBe('pass');
    } finally {
      delete process.env.AWS_SECRET_ACCESS_KEY;
    }
  });

  it('cannot signal the grader', async () => {
    const report = await grade(calc('try { (globalThis as any).process.kill((globalThis as any).process.ppid, "SIGKILL"); } catch (e) { console.log(String(e)); } return a + b;'));
    expect(check(report, 'adds').status).toBe('pass');
    expect(process.exitCode ?? 0).toBe(0);
  });

  it('stops a submission that floods the real stdout, and keeps grading', async () => {
    const report = await grade(calc("for (;;) (globalThis as any).console.log('x'.repeat(10_000));"));
    expect(check(report, 'adds')).toMatchObject({ status: 'error', score: 0 });
    expect(check(report, 'adds').message).toMatch(/printed too much output/);
    expect(check(report, 'squares').status).toBe('pass');
  });

  it('times out a promise that never settles without killing the session', async () => {
    const report = await grade({ 'calc.ts': 'export const add = (a: number, b: number) => a + b;\nexport function slowSquare(n: number): Promise<number> { return new Promise(() => {}); }\n' });
    expect(check(report, 'squares')).toMatchObject({ status: 'timeout', score: 0 });
    expect(check(report, 'squares').message).toMatch(/never settles/);
    expect(check(report, 'adds').status).toBe('pass');
  });

  it('reports a throw at import with its line', async () => {
    const report = await grade({ 'calc.ts': "export const add = 1;\nthrow new Error('boom at import');\n" });
    expect(report.error).toMatchObject({ kind: 'import-throw', file: 'calc.ts', line: 2 });
    expect(report.error?.message).toContain('boom at import');
  });

  it('reports a syntax error with its line even through the sandbox', async () => {
    const report = await grade({ 'calc.ts': 'export function add(a: number, b: number) {\n  return a + ;\n}\n' });
    expect(report.error).toMatchObject({ kind: 'syntax', file: 'calc.ts', line: 2 });
  });
});
