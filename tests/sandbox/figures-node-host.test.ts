// Figures travel through the Node host unchanged: a copy of the mini lab whose checks show a
// table, a day-long chart and an event list is bundled as `whetstone grade` bundles it and graded
// in the sandboxed child process; what reaches the report is exactly what the runtime made of
// the figures in-process, on a passing check and a failing one alike.

import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildLabBundle } from '../../catalog/bundle.ts';
import type { LabBundle } from '../../catalog/bundle.ts';
import { REPO_ROOT, readLab, readLearnerFiles } from '../../catalog/labs.ts';
import { figureFromSpec } from '../../grader/figures.ts';
import { gradeWithNode } from '../../sandbox/node/host.ts';
import { reportSchemaErrors } from '../support/report-schema.ts';
import { EXECUTION_EVENTS, SHARD_TABLE, latencyChart } from '../support/figure-samples.ts';
import { cancelledAfterEachTest } from './cancel-after-each.ts';
import { timeRunsOutOnlyFor } from './manual-clock.ts';

const MINI = join(REPO_ROOT, 'tests', 'fixtures', 'labs', 'mini');
const SAMPLES = join(REPO_ROOT, 'tests', 'support', 'figure-samples.ts');

const CHECKS = `
import { defineLab, fail } from 'whetstone/checks';
import type * as Calc from './starter/calc.ts';
import { EXECUTION_EVENTS, SHARD_TABLE, latencyChart } from ${JSON.stringify(SAMPLES)};

export const lab = defineLab({
  aws: () => ({}),
  open: ({ submission }) => ({ calc: submission.load<typeof Calc>('calc.ts') }),
});

export default lab.checks(({ step, check }) => {
  step(1, () => {
    check('adds', 'add(2, 3) is 5, with a table and a chart', ({ calc, show }) => {
      show(SHARD_TABLE);
      show(latencyChart());
      if (calc.add(2, 3) !== 5) fail('add(2, 3) should be 5.');
    });
    check('subtracts', 'fails, with an event list', ({ show }) => {
      show(EXECUTION_EVENTS);
      fail('This check always fails after showing its events.');
    });
  });
});
`;

let bundle: LabBundle;
const signal = cancelledAfterEachTest();

beforeAll(async () => {
  const labsDir = mkdtempSync(join(tmpdir(), 'whetstone-figures-'));
  cpSync(MINI, join(labsDir, 'mini'), { recursive: true });
  writeFileSync(join(labsDir, 'mini', 'checks.ts'), CHECKS);
  writeFileSync(join(labsDir, 'mini', 'hidden', 'checks.ts'), "import { lab } from '../checks.ts';\nexport default lab.checks(() => {});\n");
  bundle = await buildLabBundle(readLab('mini', labsDir), { audience: 'grader', cacheDir: mkdtempSync(join(tmpdir(), 'whetstone-bundle-')) });
});

describe('figures through the Node host', () => {
  it('reach the report exactly as the runtime made them, passed or failed', async () => {
    const report = await gradeWithNode({
      lab: 'mini',
      bundle: bundle.code,
      checks: bundle.checks,
      files: readLearnerFiles(join(MINI, 'solution')),
      limits: bundle.manifest.limits,
      grader: 'whetstone@test',
      signal: signal(),
      ...timeRunsOutOnlyFor(),
    });
    expect(reportSchemaErrors(report)).toEqual([]);
    const [adds, subtracts] = report.checks;
    expect(adds).toMatchObject({ id: 'adds', status: 'pass' });
    expect(adds!.figures).toEqual([figureFromSpec(SHARD_TABLE), figureFromSpec(latencyChart())]);
    expect(subtracts).toMatchObject({ id: 'subtracts', status: 'fail', message: 'This check always fails after showing its events.' });
    expect(subtracts!.figures).toEqual([figureFromSpec(EXECUTION_EVENTS)]);
  });
});
