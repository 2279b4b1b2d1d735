// `whetstone check` as the tests run it: once per lab, in the lab's own test file, whose other
// tests then read lab-specific specifications off the same gradings instead of grading again.

import { beforeAll, expect, it } from 'vitest';
import { checkLab, formatLabCheck, nodeGrader } from '../../cli/commands/check.ts';
import type { Grader, LabCheck } from '../../cli/commands/check.ts';
import type { Report } from '../../grader/report.ts';
import { gradeFiles } from './grade.ts';

/**
 * In-process (the real runtime, checks and fakes, no child process per grading) in the lab's own
 * time zone, which the test process shares; through the Node host for the other zones, which need
 * a realm pinned to them.
 */
export const checkGrader: Grader = (bundle, files, options) =>
  bundle.manifest.limits.timeZone === process.env.TZ ? gradeFiles(bundle.lab, files, options) : nodeGrader(bundle, files, options);

/**
 * Runs `whetstone check` on the lab before the tests of the enclosing describe, adds the test that
 * it passes, and returns the result for the other tests.
 */
export function labCheck(labId: string): () => LabCheck {
  let result: LabCheck | undefined;
  beforeAll(async () => {
    // One grading at a time: in-process gradings share this thread anyway, and a Node-host grading
    // (the other zones) that overlaps them loads slower, against its 5 s load limit.
    result = await checkLab(labId, { grade: checkGrader, jobs: 1 });
  }, 600_000);
  it('passes whetstone check', () => {
    expect(result!.ok, `\n${formatLabCheck(result!)}`).toBe(true);
  });
  return () => result!;
}

/** The report `whetstone check` made of `subject` (`solution`, `starter`, `wrong/<name>`, …) under `seed`. */
export function gradingOf(result: LabCheck, subject: string, seed = 1): Report {
  const grading = result.gradings.find((g) => g.subject === subject && g.seed === seed && !g.repeat);
  if (!grading) throw new Error(`whetstone check made no grading of ${subject} with seed ${seed}:\n${formatLabCheck(result)}`);
  return grading.report;
}
