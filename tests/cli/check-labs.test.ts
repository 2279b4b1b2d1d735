// `whetstone check` for every lab in labs/: the self-test each lab must pass before it ships.
// The gradings in the lab's own time zone run in-process (the real runtime, checks and fakes,
// without a child process per grading, to keep `npm test` quick); the ones in other time zones
// need a realm pinned to that zone, so they go through the Node host as in `whetstone check`.
// The command's own path (Node host for everything) is tested on the mini lab in
// check-command.test.ts.

import { describe, expect, it } from 'vitest';
import { labIds } from '../../catalog/labs.ts';
import { checkLab, formatLabCheck, nodeGrader } from '../../cli/commands/check.ts';
import type { Grader } from '../../cli/commands/check.ts';
import { gradeFiles } from '../support/grade.ts';

const grade: Grader = (bundle, files, options) =>
  bundle.manifest.limits.timeZone === process.env.TZ ? gradeFiles(bundle.lab, files, options) : nodeGrader(bundle, files, options);

describe('whetstone check, every lab', () => {
  const ids = labIds();

  it('finds the labs', () => {
    expect(ids.length).toBeGreaterThan(0);
  });

  for (const id of ids) {
    it(`${id} is ready`, async () => {
      const result = await checkLab(id, { grade });
      expect(result.ok, `\n${formatLabCheck(result)}`).toBe(true);
    }, 180_000);
  }
});
