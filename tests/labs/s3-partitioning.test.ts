// The s3-partitioning lab proves itself: the reference solution and every alternative get full
// marks, the starter does not, and every anti-solution in wrong/ fails exactly the checks its
// expect.json names, with messages a learner can act on.

// Learner code is graded in the lab's time zone (America/Los_Angeles) by the real hosts; the
// in-process runtime inherits the test process's zone, so set it before any Date is made.
process.env.TZ = 'America/Los_Angeles';

import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LABS_DIR } from '../../catalog/labs.ts';
import { describeChecks, gradeDir, labVariants } from '../support/grade.ts';

const LAB = 's3-partitioning';
const dir = (...parts: string[]) => join(LABS_DIR, LAB, ...parts);

describe('s3-partitioning', () => {
  it('gives the reference solution full marks, hidden checks included', async () => {
    const report = await gradeDir(LAB, dir('solution'));
    expect(describeChecks(report, (c) => c.status !== 'pass')).toEqual([]);
    expect(report.score).toBe(report.maxScore);
  });

  it('gives the starter no marks, but loads it', async () => {
    const report = await gradeDir(LAB, dir('starter'));
    expect(report.error).toBeUndefined();
    expect(describeChecks(report, (c) => c.status === 'pass')).toEqual([]);
  });
});
