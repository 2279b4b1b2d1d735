// The baseline the grader is measured against: what many autograders do, one vitest run per
// submission. This file grades the submission in WHETSTONE_BENCH_DIR with the same checks,
// in-process, inside vitest. Only bench/grade.bench.ts runs it (vitest --root bench/baseline).

import { expect, it } from 'vitest';
import { gradeDir } from '../../tests/support/grade.ts';

it('grades the submission', async () => {
  const report = await gradeDir(process.env.WHETSTONE_BENCH_LAB!, process.env.WHETSTONE_BENCH_DIR!);
  expect(report.checks.length).toBeGreaterThan(0);
});
