import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../catalog/labs.ts';
import { gradeDir, gradeFiles } from '../support/grade.ts';

const labsDir = join(REPO_ROOT, 'tests', 'fixtures', 'labs');
const opts = { labsDir };

describe('the runtime, in-process', () => {
  it('gives the mini solution full marks and the starter errors that point at the learner line', async () => {
    const solution = await gradeDir('mini', join(labsDir, 'mini', 'solution'), opts);
    expect(solution.status).toBe('pass');
    expect(solution.score).toBe(solution.maxScore);
    const starter = await gradeDir('mini', join(labsDir, 'mini', 'starter'), opts);
    expect(starter.status).toBe('fail');
    const adds = starter.checks.find((c) => c.id === 'adds')!;
    expect(adds.status).toBe('error');
    expect(adds.message).toContain('Not implemented yet: add (calc.ts:2:9)');
  });

  it('reports a syntax error with file, line and column', async () => {
    const report = await gradeFiles('mini', { 'calc.ts': 'export function add(a: number, b: number) {\n  return a +;\n}\n' }, opts);
    expect(report.status).toBe('error');
    expect(report.error).toMatchObject({ kind: 'syntax', file: 'calc.ts', line: 2 });
    expect(report.score).toBe(0);
  });

  it('names every missing export', async () => {
    const report = await gradeFiles('mini', { 'calc.ts': 'export const add = (a: number, b: number) => a + b;\n' }, opts);
    expect(report.error?.kind).toBe('missing-export');
    expect(report.error?.message).toContain("'slowSquare'");
  });

  it('refuses imports outside the allow-list, naming the line', async () => {
    const report = await gradeFiles('mini', { 'calc.ts': "import { readFileSync } from 'node:fs';\nexport const add = 1;\n" }, opts);
    expect(report.error).toMatchObject({ kind: 'forbidden-import', file: 'calc.ts', line: 1 });
    expect(report.error?.message).toContain("cannot import 'node:fs'");
  });

  it('resolves relative imports between the learner files', async () => {
    const report = await gradeFiles(
      'mini',
      {
        'calc.ts': "import { sum } from './math';\nexport const add = sum;\nexport async function slowSquare(n: number) { return n * n; }\n",
        'math.ts': 'export function sum(a: number, b: number) { return a + b; }\n',
      },
      opts,
    );
    expect(report.status).toBe('pass');
  });

  it('reports a throw at import as import-throw with the line', async () => {
    const report = await gradeFiles('mini', { 'calc.ts': "export const add = 1;\nthrow new Error('top-level');\n" }, opts);
    expect(report.error).toMatchObject({ kind: 'import-throw', file: 'calc.ts', line: 2 });
  });

  it('times out a promise that never settles, and still runs the other checks', async () => {
    const report = await gradeFiles(
      'mini',
      { 'calc.ts': 'export const add = (a: number, b: number) => a + b;\nexport function slowSquare(n: number) { return new Promise(() => {}); }\n' },
      opts,
    );
    expect(report.checks.find((c) => c.id === 'squares')).toMatchObject({ status: 'timeout', score: 0 });
    expect(report.checks.find((c) => c.id === 'adds')).toMatchObject({ status: 'pass' });
  });

  it('captures what the learner printed, per check', async () => {
    const report = await gradeFiles(
      'mini',
      { 'calc.ts': "export function add(a: number, b: number) { console.log('adding', a, b); return a + b; }\nexport async function slowSquare(n: number) { return n * n; }\n" },
      opts,
    );
    expect(report.checks.find((c) => c.id === 'adds')?.output).toBe('adding 2 3');
  });

  it('runs hidden checks only when asked', async () => {
    const withHidden = await gradeDir('mini', join(labsDir, 'mini', 'solution'), opts);
    const publicOnly = await gradeDir('mini', join(labsDir, 'mini', 'solution'), { ...opts, hidden: false });
    expect(withHidden.checks.some((c) => c.visibility === 'hidden')).toBe(true);
    expect(publicOnly.checks.some((c) => c.visibility === 'hidden')).toBe(false);
  });
});

describe('submission.fresh()', () => {
  it('gives a new module instance whose module-level state is not shared', async () => {
    const { SubmissionLoader } = await import('../../grader/submission.ts');
    const loader = new SubmissionLoader({
      files: { 'counter.ts': 'let n = 0;\nexport function next() { n += 1; return n; }\n' },
      modules: {},
    });
    loader.compile();
    const first = loader.instantiate();
    const next = first.load<{ next(): number }>('counter.ts').next;
    expect([next(), next()]).toEqual([1, 2]);
    expect(first.load<{ next(): number }>('counter.ts').next()).toBe(3);
    expect(first.fresh().load<{ next(): number }>('counter.ts').next()).toBe(1);
  });
});
