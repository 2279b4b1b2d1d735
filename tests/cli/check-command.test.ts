// `whetstone check` on temp copies of the mini lab, each broken in one way an author breaks a
// lab, and `whetstone new`: what it scaffolds passes `check` as it is and shows in `list`.

import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../catalog/labs.ts';
import { checkLab, formatLabCheck } from '../../cli/commands/check.ts';
import type { LabCheck } from '../../cli/commands/check.ts';
import { ScaffoldError, scaffoldLab, titleFromId } from '../../cli/scaffold/scaffold.ts';

const run = promisify(execFile);
const MINI = join(REPO_ROOT, 'tests', 'fixtures', 'labs', 'mini');
const solution = readFileSync(join(MINI, 'solution', 'calc.ts'), 'utf8');
const subtracts = solution.replace('return a + b;', 'return a - b;');

/** Bundles of temp labs are cached here, not in the repository's cache (their paths never repeat). */
const cacheDir = mkdtempSync(join(tmpdir(), 'whetstone-check-cache-'));

/** A fresh labs folder holding a copy of the mini lab; `edit` breaks it. */
function miniCopy(edit: (dir: string) => void = () => {}): string {
  const labsDir = mkdtempSync(join(tmpdir(), 'whetstone-check-'));
  cpSync(MINI, join(labsDir, 'mini'), { recursive: true });
  edit(join(labsDir, 'mini'));
  return labsDir;
}

function write(dir: string, path: string, text: string): void {
  mkdirSync(join(dir, path, '..'), { recursive: true });
  writeFileSync(join(dir, path), text);
}

function problems(result: LabCheck): string[] {
  return result.items.flatMap((i) => i.problems);
}

async function whetstone(labsDir: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [join(REPO_ROOT, 'bin', 'whetstone.js'), ...args], {
      env: { ...process.env, WHETSTONE_LABS_DIR: labsDir, NO_COLOR: '1' },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('whetstone check', () => {
  it('passes a sound lab, anti-solution and alternative included, and exits 0', async () => {
    const labsDir = miniCopy((dir) => {
      write(dir, 'wrong/subtracts/calc.ts', subtracts);
      write(dir, 'wrong/subtracts/expect.json', JSON.stringify({ why: 'Subtracts instead of adding.', fails: ['adds', 'adds-negatives', 'adds-large'] }));
      write(dir, 'alternatives/arrow/calc.ts', 'export const add = (a: number, b: number) => b + a;\nexport const slowSquare = async (n: number) => n ** 2;\n');
    });
    const { code, stdout } = await whetstone(labsDir, 'check');
    expect(code, stdout).toBe(0);
    expect(stdout).toContain('✓ solution passes all 5 checks (5/5)');
    expect(stdout).toContain('✓ starter loads and does not pass (1/5)');
    expect(stdout).toContain('✓ wrong/subtracts fails exactly adds, adds-negatives, adds-large');
    expect(stdout).toContain('✓ alternatives/arrow passes every check (5/5)');
    expect(stdout).toContain('✓ solution passes under seeds 2, 3, 4 in Pacific/Kiritimati, America/St_Johns, UTC');
    expect(stdout).toContain('✓ same seed, same report (wrong/subtracts graded twice)');
    expect(stdout).toContain('mini is ready.');
  });

  it('fails with the check and the message when the solution is broken', async () => {
    const labsDir = miniCopy((dir) => write(dir, 'solution/calc.ts', subtracts));
    const { code, stdout } = await whetstone(labsDir, 'check', 'mini', '--quick');
    expect(code).toBe(1);
    expect(stdout).toContain('✗ solution passes all 5 checks (2/5)');
    expect(stdout).toContain("labs/mini/solution fails 'adds' (fail): add(2, 3) should be 5; your code returned -1.");
    expect(stdout).toContain("labs/mini/solution fails 'adds-large' (fail, hidden)");
    expect(stdout).toContain('The reference solution must pass every check, hidden ones included');
    expect(stdout).toContain('1 of 1 lab needs work: mini.');
  });

  it('fails when the starter passes, or does not even load', async () => {
    const passing = await checkLab('mini', { labsDir: miniCopy((dir) => write(dir, 'starter/calc.ts', solution)), quick: true, cacheDir });
    expect(passing.ok).toBe(false);
    expect(problems(passing)).toEqual([
      "labs/mini/starter passes every check (5/5): a learner would have nothing to do. Make the stubs throw new Error('Not implemented yet: …') or return something plainly wrong.",
    ]);
    const broken = await checkLab('mini', { labsDir: miniCopy((dir) => write(dir, 'starter/calc.ts', 'export function add(a: number, b: number) {\n  return a +;\n}\n')), quick: true, cacheDir });
    expect(problems(broken)[0]).toMatch(/^labs\/mini\/starter could not be loaded \(syntax at calc\.ts:2: .*\)\. A starter must load and export add, slowSquare/);
  });

  it('fails when an anti-solution passes a check it lists, or fails one it does not', async () => {
    const labsDir = miniCopy((dir) => {
      // Wrong only past 2^31 (it wraps like a 32-bit int): only the hidden check can see it.
      write(dir, 'wrong/int32/calc.ts', solution.replace('return a + b;', 'return (a + b) | 0;'));
      write(dir, 'wrong/int32/expect.json', JSON.stringify({ why: 'Wraps around at 2^31.', fails: ['adds-large', 'adds'] }));
      write(dir, 'wrong/subtracts/calc.ts', subtracts);
      write(dir, 'wrong/subtracts/expect.json', JSON.stringify({ why: 'Subtracts.', fails: ['adds', 'adds-large'] }));
      write(dir, 'wrong/no-list/calc.ts', subtracts);
      write(dir, 'wrong/unknown/calc.ts', subtracts);
      write(dir, 'wrong/unknown/expect.json', JSON.stringify({ why: 'Subtracts.', fails: ['adds', 'adds-negatives', 'adds-large', 'multiplies'] }));
    });
    const result = await checkLab('mini', { labsDir, quick: true, cacheDir });
    expect(result.ok).toBe(false);
    const text = problems(result).join('\n');
    expect(text).toContain(
      `labs/mini/wrong/int32 passes 'adds', which its expect.json says it must fail: the check does not catch this mistake ("Wraps around at 2^31."). Make the check reject it, or fix the list.`,
    );
    expect(text).toContain(
      "labs/mini/wrong/subtracts also fails 'adds-negatives' (fail): add(-2, -3) should be -5; your code returned 1., which its expect.json does not list.",
    );
    expect(text).toContain('labs/mini/wrong/no-list/expect.json is missing: add { "why": "the mistake, in one sentence", "fails": ["check-id", …] }.');
    expect(text).toContain("labs/mini/wrong/unknown/expect.json lists 'multiplies', which is not a check of this lab. Checks: adds, adds-negatives, squares, fresh-module, adds-large.");
  });

  it('names the file and field of malformed frontmatter', async () => {
    const level = await whetstone(miniCopy((dir) => writeFileSync(join(dir, 'lab.md'), readFileSync(join(MINI, 'lab.md'), 'utf8').replace('level: beginner', 'level: expert'))), 'check');
    expect(level.code).toBe(1);
    expect(level.stdout).toContain('✗ lab.md and steps/ match the schema');
    expect(level.stdout).toContain('labs/mini/lab.md: the frontmatter does not match the lab schema');
    expect(level.stdout).toMatch(/- level: .*"beginner"\|"intermediate"\|"advanced"/);
    const step = await checkLab('mini', { labsDir: miniCopy((dir) => writeFileSync(join(dir, 'steps', '01-add.md'), '---\ntitle: [unclosed\n---\nBody\n')), cacheDir });
    expect(problems(step)[0]).toMatch(/^labs\/mini\/steps\/01-add\.md: the frontmatter is not valid YAML/);
    const missing = await checkLab('mini', { labsDir: miniCopy((dir) => writeFileSync(join(dir, 'lab.md'), readFileSync(join(MINI, 'lab.md'), 'utf8').replace('path: calc.ts', 'path: calc2.ts'))), cacheDir });
    expect(problems(missing)).toContain('labs/mini/solution/calc2.ts is missing: lab.md lists calc2.ts under files, so the solution needs it.');
  });

  it('catches checks that depend on the time zone or on real randomness', async () => {
    const labsDir = miniCopy((dir) => {
      const checks = readFileSync(join(dir, 'checks.ts'), 'utf8').replace(
        "check('fresh-module'",
        `check('local-calendar', 'a check that reads the local calendar', ({ fail }) => {
      // 07:30 UTC on Jan 1st is still Dec 31st in the lab's zone (America/Los_Angeles) only.
      if (new Date('2024-01-01T07:30:00Z').getDate() !== 31) fail('The local day is not the 31st.');
    });
    check('random-message', 'a check whose message is random', ({ submission, fail }) => {
      const { add } = submission.load<Calc>('calc.ts');
      if (add(1, 1) !== 2) fail(\`add(1, 1) is wrong (attempt \${Math.random()})\`);
    });
    check('fresh-module'`,
      );
      writeFileSync(join(dir, 'checks.ts'), checks);
      write(dir, 'wrong/subtracts/calc.ts', subtracts);
      write(dir, 'wrong/subtracts/expect.json', JSON.stringify({ why: 'Subtracts.', fails: ['adds', 'adds-negatives', 'adds-large', 'random-message'] }));
    });
    const result = await checkLab('mini', { labsDir, cacheDir });
    const text = formatLabCheck(result);
    expect(result.ok, text).toBe(false);
    expect(text).toContain("With seed 2 and TZ=Pacific/Kiritimati, the solution no longer passes 'local-calendar' (fail): The local day is not the 31st.");
    expect(text).toContain("With seed 4 and TZ=UTC, the solution no longer passes 'local-calendar'");
    expect(text).toContain("With seed 3 and TZ=America/St_Johns, the solution no longer passes 'local-calendar'");
    expect(text).toMatch(/'random-message' gave fail "add\(1, 1\) is wrong \(attempt 0\.\d+\)" and then fail "add\(1, 1\) is wrong \(attempt 0\.\d+\)" for the same wrong\/subtracts and seed: a check uses real time or Math\.random/);
  });
});

describe('whetstone new', () => {
  it('scaffolds a lab that passes whetstone check as it is and shows in the catalog', async () => {
    const labsDir = miniCopy();
    const { code, stdout } = await whetstone(labsDir, 'new', 'feature-store', '--title', 'Feature store: offline # online');
    expect(code).toBe(0);
    expect(stdout).toContain(`Created ${join(labsDir, 'feature-store')}/`);
    expect(stdout).toContain('wrong/first-page-only/expect.json');
    expect(stdout).toContain('1. whetstone check feature-store');
    const result = await checkLab('feature-store', { labsDir, cacheDir });
    expect(result.ok, formatLabCheck(result)).toBe(true);
    expect(result.items.map((i) => i.title)).toContain('wrong/first-page-only fails exactly count-past-1000, count-fails-loudly');
    const list = await whetstone(labsDir, 'list');
    expect(list.stdout).toMatch(/feature-store\s+Feature store: offline # online\s+2\s+6 \(2 hidden\)/);
    // Last in the catalog, after the labs that were there.
    expect(readFileSync(join(labsDir, 'feature-store', 'lab.md'), 'utf8')).toContain('order: 101');
  });

  it('refuses to overwrite a folder or take an id that is not one, and says why in one line', async () => {
    const labsDir = miniCopy();
    const again = await whetstone(labsDir, 'new', 'mini');
    expect(again.code).toBe(2);
    expect(again.stderr).toContain(`${join(labsDir, 'mini')} already exists; nothing was written.`);
    expect(readFileSync(join(labsDir, 'mini', 'solution', 'calc.ts'), 'utf8')).toBe(solution);
    for (const bad of ['S3-Lab', '3d-lab', 'my_lab', 'lab-']) {
      const result = await whetstone(labsDir, 'new', bad);
      expect(result.code, bad).toBe(2);
      expect(result.stderr, bad).toContain(`'${bad}' is not a lab id: use lower-case words and digits joined by hyphens`);
    }
    expect(() => scaffoldLab({ id: 'x-y', labsDir, title: 'ab' })).toThrow(ScaffoldError);
  });

  it('titles a lab from its id', () => {
    expect(titleFromId('feature-store')).toBe('Feature store');
  });
});
