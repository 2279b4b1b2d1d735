// The Node host against hostile and broken submissions: each gets an honest report, none gets
// marks it did not earn, none takes the grader down. Uses the mini fixture lab (add, slowSquare).

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

const labsDir = join(REPO_ROOT, 'tests', 'fixtures', 'labs');
let bundle: LabBundle;

beforeAll(async () => {
  bundle = await buildLabBundle(readLab('mini', labsDir), {
    audience: 'grader',
    cacheDir: mkdtempSync(join(tmpdir(), 'whetstone-bundle-')),
  });
});

async function grade(files: Record<string, string>, limits: Partial<LabBundle['manifest']['limits']> = {}): Promise<Report> {
  const report = await gradeWithNode({
    lab: 'mini',
    bundle: bundle.code,
    checks: bundle.checks,
    files,
    limits: { ...bundle.manifest.limits, ...limits },
    grader: 'whetstone@test',
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
    const report = await grade(calc('for (;;) {}'));
    expect(check(report, 'adds')).toMatchObject({ status: 'timeout', score: 0 });
    expect(check(report, 'adds-negatives').status).toBe('timeout');
    expect(check(report, 'squares').status).toBe('pass');
    expect(check(report, 'adds').message).toMatch(/loop that never ends/);
  });

  it('reports an endless loop at the top level as a load timeout', async () => {
    const report = await grade(calc('return a + b;', 'while (true) {}\n'), { totalTimeoutMs: 15_000 });
    expect(report.status).toBe('error');
    expect(report.error?.kind).toBe('timeout');
    expect(report.score).toBe(0);
  }, 20_000);

  it('ends a memory hog with a memory error and keeps grading', async () => {
    const report = await grade(calc('const hog: number[][] = []; for (;;) hog.push(new Array(1e6).fill(a));'), { checkTimeoutMs: 10_000 });
    expect(check(report, 'adds')).toMatchObject({ status: 'error', score: 0 });
    expect(check(report, 'adds').message).toMatch(/out of memory/);
    expect(check(report, 'squares').status).toBe('pass');
  }, 60_000);

  it('refuses process.exit, whichever way the code reaches the process', async () => {
    const report = await grade(
      calc("(globalThis as any).process.exit(0); return a + b;", ''),
    );
    expect(check(report, 'adds').status).toBe('error');
    expect(check(report, 'adds').message).toMatch(/process.exit\(\) is not available/);
    expect(check(report, 'squares').status).toBe('pass');
    const viaImport = await grade({
      'calc.ts': "export function add(a: number, b: number) { return a + b; }\nexport async function slowSquare(n: number) { const p: any = await (0, eval)(['imp', 'ort(\"node:process\")'].join('')); p.default.reallyExit(0); return n * n; }\n",
    });
    expect(check(viaImport, 'squares').status).toBe('error');
    expect(check(viaImport, 'adds').status).toBe('pass');
  });

  it('ignores a fake passing report printed or written to the report channel', async () => {
    const forged = JSON.stringify({ type: 'check-end', nonce: 'guess', result: { id: 'adds', status: 'pass', score: 1, maxScore: 1 } });
    const report = await grade(
      calc(
        `const fs: any = (globalThis as any).process.getBuiltinModule?.('fs'); (globalThis as any).console.log(${JSON.stringify(forged)}); try { fs?.writeSync(3, ${JSON.stringify(forged + '\n')}); } catch {} return a - b;`,
      ),
    );
    expect(check(report, 'adds').status).not.toBe('pass');
    expect(check(report, 'adds').score).toBe(0);
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
    expect(check(fetched, 'squares').message).toMatch(/Network access is not available/);
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
    const report = await grade(calc("for (;;) (globalThis as any).console.log('x'.repeat(10_000));"), { checkTimeoutMs: 10_000 });
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
