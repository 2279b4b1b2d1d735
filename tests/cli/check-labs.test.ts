// `whetstone check` for every lab in labs/: the self-test each lab must pass before it ships. A lab
// with its own tests/labs/<id>.test.ts runs the check there, once (labCheck), and reads lab-specific
// specifications off the same gradings; every other lab is checked here, so none escapes. Gradings
// run in-process in the lab's own time zone and through the Node host in the others (checkGrader).
// The command's own path (Node host for everything) is tested on the mini lab in
// check-command.test.ts.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, labIds } from '../../catalog/labs.ts';
import { checkLab, formatLabCheck } from '../../cli/commands/check.ts';
import { checkGrader } from '../support/lab-check.ts';

const ownTest = (id: string) => join(REPO_ROOT, 'tests', 'labs', `${id}.test.ts`);

describe('whetstone check, every lab', () => {
  const ids = labIds();

  it('finds the labs', () => {
    expect(ids.length).toBeGreaterThan(0);
  });

  it("runs the check in each lab's own test file, where there is one", () => {
    for (const id of ids.filter((id) => existsSync(ownTest(id)))) {
      expect(readFileSync(ownTest(id), 'utf8'), `tests/labs/${id}.test.ts`).toMatch(/labCheck\(LAB\)/);
    }
  });

  for (const id of ids.filter((id) => !existsSync(ownTest(id)))) {
    it(`${id} is ready`, async () => {
      const result = await checkLab(id, { grade: checkGrader, jobs: 1 });
      expect(result.ok, `\n${formatLabCheck(result)}`).toBe(true);
    }, 600_000);
  }
});
