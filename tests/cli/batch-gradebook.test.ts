// What an instructor takes away from a graded class: gradebook files their LMS imports, the full
// grades whose header says what every check is worth, and an item analysis that says why learners
// failed each check and who they are. One class of the mini lab — folders and the zips the lab
// page exports — graded with a private check pack whose check names its failures by code.

import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseCsv } from '../../cli/batch/csv.ts';
import type { BatchDocument } from '../../cli/batch/grades.ts';
import { reportSchemaErrors } from '../support/report-schema.ts';
import { KINDS, exportZip, makeClass, whetstone } from './batch-classes.ts';
import type { CliResult } from './batch-classes.ts';

const PACK = `import { lab } from 'whetstone/labs/mini/checks.ts';

interface Calc {
  add(a: number, b: number): number;
}

export default lab.checks(({ step, check }) => {
  step(1, () => {
    check(
      'sums-pairs',
      'add sums any pair',
      ({ submission, fail }) => {
        const { add } = submission.load<Calc>('calc.ts');
        for (const [a, b] of [[1, 2], [7, 5], [10, 4]] as const) {
          const got = add(a, b);
          if (got === a - b) fail(\`add(\${a}, \${b}) returned \${got}, which is \${a} − \${b}: add the numbers, do not subtract them.\`, { code: 'subtracts' });
          if (got !== a + b) fail(\`add(\${a}, \${b}) should be \${a + b}; your code returned \${String(got)}.\`);
        }
      },
      { points: 2 },
    );
  });
});
`;

describe('a graded class, for the gradebook', () => {
  const root = mkdtempSync(join(tmpdir(), 'whetstone-gradebook-'));
  const klass = join(root, 'class');
  const pack = join(root, 'pack');
  const out = join(root, 'grades.json');
  let run: CliResult;
  let doc: BatchDocument;

  beforeAll(async () => {
    makeClass(klass, { ada: 'correct', bob: 'subtracts', cy: 'multiplies', dee: 'reversed', eve: 'starter', syn: 'syntax' });
    exportZip(klass, 'fay', { 'calc.ts': KINDS.correct });
    exportZip(klass, 'gus', { 'calc.ts': KINDS.subtracts });
    writeFileSync(join(klass, 'hal.zip'), 'not a zip');
    mkdirSync(pack);
    writeFileSync(join(pack, 'mini.ts'), PACK);
    run = await whetstone([
      'grade', '--lab', 'mini', '--batch', klass, '--out', out, '--checks', pack,
      '--gradebook', 'canvas,moodle', '--assignment', 'Week 3: calc (4521)',
    ]);
    expect(run.code, run.stderr).toBe(0);
    doc = JSON.parse(readFileSync(out, 'utf8')) as BatchDocument;
  }, 120_000);

  it('writes a Canvas file: its identity columns, a Points Possible row with the maximum, points only, empty for who could not be graded', () => {
    const rows = parseCsv(readFileSync(join(root, 'grades.canvas.csv'), 'utf8'));
    expect(rows).toEqual([
      ['Student', 'ID', 'SIS User ID', 'SIS Login ID', 'Section', 'Week 3: calc (4521)'],
      ['Points Possible', '', '', '', '', '7'],
      ['ada', '', '', 'ada', '', '7'],
      ['bob', '', '', 'bob', '', '2'],
      ['cy', '', '', 'cy', '', '2'],
      ['dee', '', '', 'dee', '', '2'],
      ['eve', '', '', 'eve', '', '1'],
      ['fay', '', '', 'fay', '', '7'],
      ['gus', '', '', 'gus', '', '2'],
      ['hal', '', '', 'hal', '', ''],
      ['syn', '', '', 'syn', '', ''],
    ]);
    expect(run.stdout).toContain(`Wrote ${join(root, 'grades.canvas.csv')}. Canvas: Grades › Import`);
  });

  it('writes a Moodle file: one identity column, one points column stating the maximum', () => {
    const rows = parseCsv(readFileSync(join(root, 'grades.moodle.csv'), 'utf8'));
    expect(rows[0]).toEqual(['Username', 'Week 3: calc (4521) (max 7)']);
    expect(Object.fromEntries(rows.slice(1))).toEqual({ ada: '7', bob: '2', cy: '2', dee: '2', eve: '1', fay: '7', gus: '2', hal: '', syn: '' });
    expect(run.stdout).toContain('grade item whose maximum grade is 7');
  });

  it('says nothing of pass or fail in a gradebook file', () => {
    for (const name of ['grades.canvas.csv', 'grades.moodle.csv']) {
      expect(readFileSync(join(root, name), 'utf8'), name).not.toMatch(/pass|fail|error/i);
    }
  });

  it('gives each check with its maximum and visibility in the full grades, JSON and CSV', async () => {
    expect(doc.maxScore).toBe(7);
    expect(doc.checks.map((c) => [c.id, c.maxScore, c.visibility])).toEqual([
      ['adds', 1, 'public'],
      ['adds-negatives', 1, 'public'],
      ['squares', 1, 'public'],
      ['fresh-module', 1, 'public'],
      ['adds-large', 1, 'hidden'],
      ['sums-pairs', 2, 'hidden'],
    ]);
    const merged = await whetstone(['merge', '--out', join(root, 'all.csv'), out]);
    expect(merged.code, merged.stderr).toBe(0);
    expect(parseCsv(readFileSync(join(root, 'all.csv'), 'utf8'))[0]).toEqual([
      'id', 'score', 'max', 'percent', 'status', 'error_kind',
      'adds (max 1)', 'adds-negatives (max 1)', 'squares (max 1)', 'fresh-module (max 1)', 'adds-large (hidden, max 1)', 'sums-pairs (hidden, max 2)',
      'error_message',
    ]);
  });

  it('groups why learners failed a check by the code the check gives, then by template, with not attempted apart and the learners named', () => {
    const sums = doc.itemAnalysis.checks.find((c) => c.id === 'sums-pairs')!;
    expect(sums).toMatchObject({ graded: 7, passed: 2, maxScore: 2 });
    expect(sums.notAttempted).toEqual({ count: 1, learners: ['eve'] });
    expect(sums.causes.map((c) => ({ code: c.code, template: c.template, learners: c.learners }))).toEqual([
      { code: 'subtracts', template: 'add(1, 2) returned -1, which is 1 − 2: add the numbers, do not subtract them.', learners: ['bob', 'gus'] },
      { code: undefined, template: 'add(1, 2) should be 3; your code returned ….', learners: ['cy', 'dee'] },
    ]);
    // Full messages, each with who got it.
    expect(sums.causes[1]!.messages).toEqual([
      { text: 'add(1, 2) should be 3; your code returned 1.', learners: ['dee'] },
      { text: 'add(1, 2) should be 3; your code returned 2.', learners: ['cy'] },
    ]);
    // The code reaches the report, which stays valid against the published schema.
    const bob = doc.submissions.find((s) => s.id === 'bob')!.report!;
    expect(bob.checks.find((c) => c.id === 'sums-pairs')).toMatchObject({ status: 'fail', code: 'subtracts' });
    expect(reportSchemaErrors(bob)).toEqual([]);
  });

  it('prints the causes with their learners, and not attempted in a row of its own', () => {
    const table = run.stdout.slice(run.stdout.indexOf('sums-pairs (hidden)'));
    expect(table).toMatch(/^sums-pairs \(hidden\)\s+29% 2\/7/);
    expect(table).toContain('2× add(1, 2) returned -1, which is 1 − 2: add the numbers, do not subtract them.\n          [subtracts] bob, gus\n');
    expect(table).toContain('2× add(1, 2) should be 3; your code returned ….\n          cy, dee\n');
    expect(run.stdout).toContain(`Not attempted (a check failed on the starter's "Not implemented yet"; not counted among the causes below):\n  step 1: 1 learner (eve)\n`);
    expect(doc.itemAnalysis.notAttempted).toEqual([{ step: 1, learners: ['eve'] }]);
  });
});
