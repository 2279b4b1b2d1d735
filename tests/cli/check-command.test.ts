// `whetstone check` on temp copies of the mini lab, each broken in one way an author breaks a
// lab; `whetstone new-wrong` / `new-alternative`, the way an author makes a variant's patch; and
// `whetstone new`: what it scaffolds passes `check` as it is and shows in `list`.

import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../catalog/labs.ts';
import { formatVariantPatch } from '../../catalog/variant-patch.ts';
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

/** An anti-solution of the mini lab: its solution with calc.ts as given. */
function wrongPatch(calc: string, why: string, fails?: string[]): string {
  return formatVariantPatch({ kind: 'wrong', why, ...(fails ? { fails } : {}), solution: { 'calc.ts': solution }, edited: { 'calc.ts': calc } });
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
      write(dir, 'wrong/subtracts.patch', wrongPatch(subtracts, 'Subtracts instead of adding.', ['adds', 'adds-negatives', 'adds-large']));
      write(
        dir,
        'alternatives/arrow.patch',
        formatVariantPatch({
          kind: 'alternatives',
          why: 'Arrow functions.',
          solution: { 'calc.ts': solution },
          edited: { 'calc.ts': 'export const add = (a: number, b: number) => b + a;\nexport const slowSquare = async (n: number) => n ** 2;\n' },
        }),
      );
    });
    const { code, stdout } = await whetstone(labsDir, 'check');
    expect(code, stdout).toBe(0);
    expect(stdout).toContain('✓ solution passes all 5 checks (5/5)');
    expect(stdout).toContain('✓ starter loads and does not pass (1/5)');
    expect(stdout).toContain('! wrong/subtracts fails exactly adds, adds-negatives, adds-large');
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
      write(dir, 'wrong/int32.patch', wrongPatch(solution.replace('return a + b;', 'return (a + b) | 0;'), 'Wraps around at 2^31.', ['adds-large', 'adds']));
      write(dir, 'wrong/subtracts.patch', wrongPatch(subtracts, 'Subtracts.', ['adds', 'adds-large']));
      write(dir, 'wrong/no-list.patch', wrongPatch(subtracts, 'Subtracts.'));
      write(dir, 'wrong/unknown.patch', wrongPatch(subtracts, 'Subtracts.', ['adds', 'adds-negatives', 'adds-large', 'multiplies']));
      // Made against a solution that has changed since.
      write(dir, 'wrong/stale.patch', wrongPatch(subtracts, 'Subtracts.', ['adds']).replace(' export function add(a: number, b: number): number {', ' export function add(a: number, b: number) {'));
      write(dir, 'wrong/copy/calc.ts', subtracts);
    });
    const result = await checkLab('mini', { labsDir, quick: true, cacheDir });
    expect(result.ok).toBe(false);
    const text = problems(result).join('\n');
    expect(text).toContain(
      `labs/mini/wrong/int32.patch passes 'adds', which its header says it must fail: the check does not catch this mistake ("Wraps around at 2^31."). Make the check reject it, or fix the list (\`whetstone check mini --record\` writes what it fails).`,
    );
    expect(text).toContain(
      "labs/mini/wrong/subtracts.patch also fails 'adds-negatives' (fail): add(-2, -3) should be -5; your code returned 1., which its header does not list.",
    );
    expect(text).toContain(
      "labs/mini/wrong/no-list.patch: the header has no 'fails:' line: add 'fails: <check-id>, <check-id>' after 'why:', or let `whetstone check <lab> --record` write what the mistake fails.",
    );
    expect(text).toContain("labs/mini/wrong/unknown.patch lists 'multiplies' under fails:, which is not a check of this lab. Checks: adds, adds-negatives, squares, fresh-module, adds-large.");
    expect(text).toContain(
      "labs/mini/wrong/stale.patch:6: the hunk '@@ -1,5 +1,5 @@' no longer applies to labs/mini/solution/calc.ts: line 1 is 'export function add(a: number, b: number): number {' where the patch expects 'export function add(a: number, b: number) {'. " +
        'The solution changed under the patch: make the mistake again on a copy of the new solution and run `whetstone new-wrong mini stale --from <edited copy> --replace` (or change the solution back).',
    );
    expect(text).toContain(
      'labs/mini/wrong/copy/ is a whole copy of the solution, a format patches replaced: run `whetstone new-wrong mini copy --from labs/mini/wrong/copy/` (it takes why and fails from its expect.json), then delete the folder.',
    );
  });

  it('warns about checks no anti-solution fails, and calls a lab with no anti-solution not ready but little proved', async () => {
    const covered = await checkLab('mini', { labsDir: miniCopy((dir) => write(dir, 'wrong/subtracts.patch', wrongPatch(subtracts, 'Subtracts.', ['adds', 'adds-negatives', 'adds-large']))), quick: true, cacheDir });
    expect(covered.ok, formatLabCheck(covered)).toBe(true);
    expect(covered.items.find((i) => i.title.startsWith('every check fails'))).toEqual({
      title: 'every check fails for at least one anti-solution (3 of 5 do)',
      ok: true,
      problems: [],
      warnings: [
        "No anti-solution fails 'squares', 'fresh-module': a check nothing can fail proves nothing. Add the mistake each one catches (`whetstone new-wrong mini <name>`), or drop the check.",
      ],
    });
    expect(formatLabCheck(covered)).toMatch(/\n {2}mini: ready \(\d+\.\d s\)$/);

    const { code, stdout } = await whetstone(miniCopy(), 'check', 'mini', '--quick');
    expect(code, stdout).toBe(0);
    expect(stdout).toContain('! anti-solutions show the checks catch mistakes');
    expect(stdout).toContain('labs/mini has no anti-solution, so nothing shows that its checks catch a mistake');
    expect(stdout).toMatch(/mini: passes, but proves little without an anti-solution \(\d+\.\d s\)/);
    expect(stdout).toContain('mini passes, but proves little. mini has no anti-solution, so its checks are not shown to catch any mistake (`whetstone new-wrong <lab> <name>`).');
    expect(stdout).not.toContain('is ready');
  });

  it('--record writes what each anti-solution fails into its header, and shows what changed', async () => {
    const labsDir = miniCopy((dir) => {
      write(dir, 'wrong/subtracts.patch', wrongPatch(subtracts, 'Subtracts.', ['adds']));
      write(dir, 'wrong/int32.patch', wrongPatch(solution.replace('return a + b;', 'return (a + b) | 0;'), 'Wraps around at 2^31.'));
      write(dir, 'wrong/harmless.patch', wrongPatch(solution.replace('return a + b;', 'return b + a;'), 'Adds the other way round.'));
    });
    const { code, stdout } = await whetstone(labsDir, 'check', 'mini', '--quick', '--record');
    expect(code, stdout).toBe(1);
    expect(stdout).toContain('! wrong/subtracts fails adds, adds-negatives, adds-large: recorded in labs/mini/wrong/subtracts.patch');
    expect(stdout).toContain('! fails: +adds-negatives +adds-large (was: adds). Confirm that this is the reach of the mistake ("Subtracts."), then commit the patch.');
    expect(stdout).toContain('! wrong/int32 fails adds-large: recorded in labs/mini/wrong/int32.patch');
    expect(stdout).toContain(
      'labs/mini/wrong/harmless.patch passes every check, so there is nothing to record: the checks do not catch this mistake ("Adds the other way round."). Write a check that does, or drop the anti-solution.',
    );
    const read = (name: string) => readFileSync(join(labsDir, 'mini', 'wrong', `${name}.patch`), 'utf8');
    expect(read('subtracts')).toBe(wrongPatch(subtracts, 'Subtracts.', ['adds', 'adds-negatives', 'adds-large']));
    expect(read('int32').split('\n').slice(0, 3)).toEqual(['why: Wraps around at 2^31.', 'fails: adds-large', '']);
    expect(read('harmless')).toBe(wrongPatch(solution.replace('return a + b;', 'return b + a;'), 'Adds the other way round.'));

    const again = await whetstone(labsDir, 'check', 'mini', '--quick', '--record');
    expect(again.stdout).toContain('✓ wrong/subtracts fails exactly adds, adds-negatives, adds-large (as recorded)');
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
      write(dir, 'wrong/subtracts.patch', wrongPatch(subtracts, 'Subtracts.', ['adds', 'adds-negatives', 'adds-large', 'random-message']));
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

describe('whetstone new-wrong and new-alternative', () => {
  /** The scratch folder a command without --from copied the files into. */
  const scratchOf = (stdout: string) => /to (\S+)\/:\n/.exec(stdout)![1]!;

  it('makes an anti-solution from an edited copy of the solution, grading it to list what it fails', async () => {
    const labsDir = miniCopy();
    const start = await whetstone(labsDir, 'new-wrong', 'mini', 'subtracts');
    expect(start.code, start.stderr).toBe(0);
    expect(start.stdout).toContain("Copied the solution's learner files (labs/mini/solution) to ");
    const scratch = scratchOf(start.stdout);
    expect(readdirSync(scratch)).toEqual(['calc.ts']);
    expect(readFileSync(join(scratch, 'calc.ts'), 'utf8')).toBe(solution);
    expect(start.stdout).toContain(`whetstone new-wrong mini subtracts --from ${scratch} --why "the mistake, in one sentence"`);

    writeFileSync(join(scratch, 'calc.ts'), subtracts);
    const made = await whetstone(labsDir, 'new-wrong', 'mini', 'subtracts', '--from', scratch, '--why', 'Subtracts instead of adding.');
    expect(made.code, made.stderr).toBe(0);
    expect(made.stderr).toContain('Grading labs/mini/wrong/subtracts.patch to find what it fails…');
    const patch = wrongPatch(subtracts, 'Subtracts instead of adding.', ['adds', 'adds-negatives', 'adds-large']);
    expect(readFileSync(join(labsDir, 'mini', 'wrong', 'subtracts.patch'), 'utf8')).toBe(patch);
    expect(made.stdout).toContain(`Wrote ${join(labsDir, 'mini', 'wrong', 'subtracts.patch')}:`);
    expect(made.stdout).toContain('  fails: adds, adds-negatives, adds-large\n');
    expect(made.stdout).toContain('  +  return a - b;');
    expect(made.stdout).toContain('Next: whetstone check mini');
    const result = await checkLab('mini', { labsDir, quick: true, cacheDir });
    expect(result.items.find((i) => i.title.startsWith('wrong/'))).toMatchObject({ title: 'wrong/subtracts fails exactly adds, adds-negatives, adds-large', ok: true });

    const again = await whetstone(labsDir, 'new-wrong', 'mini', 'subtracts', '--from', scratch);
    expect(again.code).toBe(2);
    expect(again.stderr.trim()).toBe(
      'whetstone: labs/mini/wrong/subtracts.patch exists already. Pick another name, or pass --replace to make it again (without --from you get a scratch copy of it to edit).',
    );
    const edit = await whetstone(labsDir, 'new-wrong', 'mini', 'subtracts', '--replace');
    expect(edit.stdout).toContain('Copied labs/mini/wrong/subtracts.patch as it is now to ');
    expect(readFileSync(join(scratchOf(edit.stdout), 'calc.ts'), 'utf8')).toBe(subtracts);
    expect(edit.stdout).toContain('--replace\n');
  });

  it('says in one line what is wrong with the lab, the name, the edited copy or the checks, and writes nothing', async () => {
    const labsDir = miniCopy();
    const folder = (files: Record<string, string>) => {
      const dir = mkdtempSync(join(tmpdir(), 'whetstone-edited-'));
      for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
      return dir;
    };
    const edited = folder({ 'calc.ts': subtracts });
    const cases: [string[], string][] = [
      [['new-wrong', 'nope', 'x'], "whetstone: Unknown lab 'nope'. Labs: mini. Run `whetstone list` to see them."],
      [['new-wrong', 'mini', 'First_Page'], "whetstone: 'First_Page' is not a mistake name: use lower-case words and digits joined by hyphens, e.g. 'first-page-only'."],
      [['new-wrong', 'mini', 'x', '--from', join(labsDir, 'nowhere')], `whetstone: --from ${join(labsDir, 'nowhere')}: no such folder. Pass the folder holding your edited copy of the solution's calc.ts.`],
      [['new-wrong', 'mini', 'x', '--from', folder({ 'calc.ts': solution }), '--why', 'Nothing.'], 'is identical to labs/mini/solution: make the mistake in it first (or is it the wrong folder?).'],
      [['new-wrong', 'mini', 'x', '--from', folder({ 'calc.ts': subtracts, 'helper.ts': 'export {};\n' }), '--why', 'Subtracts.'], 'holds helper.ts, which is not a learner file of mini (calc.ts). A variant changes only the files lab.md lists: move it out of the folder.'],
      [['new-wrong', 'mini', 'x', '--from', edited], 'whetstone: Missing --why: say the mistake in one sentence, e.g. --why "Takes the day in local time instead of UTC."'],
      [['new-wrong', 'mini', 'x', '--from', edited, '--why', 'Subtracts.', '--fails', 'adds,multiplies'], "whetstone: --fails: 'multiplies' is not a check of mini. Checks: adds, adds-negatives, squares, fresh-module, adds-large."],
      [
        ['new-wrong', 'mini', 'x', '--from', folder({ 'calc.ts': solution.replace('a + b', 'b + a') }), '--why', 'Adds the other way round.'],
        'whetstone: labs/mini/wrong/x.patch passes every check: the checks do not catch this mistake. Nothing was written: write the check that catches it, then run this again (a correct solution in another style belongs in `whetstone new-alternative`).',
      ],
      [['new-alternative', 'mini', 'x', '--from', edited, '--fails', 'adds'], 'whetstone: Unknown option --fails. Options: --from, --why, --replace, --help. Run `whetstone new-alternative --help`.'],
    ];
    for (const [args, message] of cases) {
      const { code, stderr } = await whetstone(labsDir, ...args);
      expect(code, args.join(' ')).toBe(2);
      const lines = stderr.trim().split('\n').filter((line) => !line.startsWith('Grading '));
      expect(lines, args.join(' ')).toHaveLength(1);
      expect(lines[0], args.join(' ')).toContain(message);
    }
    expect(existsSync(join(labsDir, 'mini', 'wrong'))).toBe(false);
  });

  it('converts a folder in the old format, taking why and fails from its expect.json, and makes alternatives', async () => {
    const labsDir = miniCopy((dir) => {
      write(dir, 'wrong/subtracts/calc.ts', subtracts);
      write(dir, 'wrong/subtracts/expect.json', JSON.stringify({ why: 'Subtracts instead of adding.', fails: ['adds', 'adds-negatives', 'adds-large'] }));
    });
    const converted = await whetstone(labsDir, 'new-wrong', 'mini', 'subtracts', '--from', join(labsDir, 'mini', 'wrong', 'subtracts'));
    expect(converted.code, converted.stderr).toBe(0);
    expect(converted.stderr).not.toContain('Grading');
    expect(readFileSync(join(labsDir, 'mini', 'wrong', 'subtracts.patch'), 'utf8')).toBe(wrongPatch(subtracts, 'Subtracts instead of adding.', ['adds', 'adds-negatives', 'adds-large']));

    const arrow = 'export const add = (a: number, b: number) => b + a;\nexport async function slowSquare(n: number): Promise<number> {\n  return n * n;\n}\n';
    const scratch = mkdtempSync(join(tmpdir(), 'whetstone-edited-'));
    writeFileSync(join(scratch, 'calc.ts'), arrow);
    const alternative = await whetstone(labsDir, 'new-alternative', 'mini', 'arrow', '--from', scratch, '--why', 'An arrow function, and no delay.');
    expect(alternative.code, alternative.stderr).toBe(0);
    const text = readFileSync(join(labsDir, 'mini', 'alternatives', 'arrow.patch'), 'utf8');
    expect(text.split('\n').slice(0, 3)).toEqual(['why: An arrow function, and no delay.', 'passes: every check', '']);
    const result = await checkLab('mini', { labsDir: miniCopy((dir) => write(dir, 'alternatives/arrow.patch', text)), quick: true, cacheDir });
    expect(result.items.map((i) => i.title)).toContain('alternatives/arrow passes every check (5/5)');
  });
});

describe('whetstone new', () => {
  it('scaffolds a lab that passes whetstone check as it is and shows in the catalog', async () => {
    const labsDir = miniCopy();
    const { code, stdout } = await whetstone(labsDir, 'new', 'feature-store', '--title', 'Feature store: offline # online');
    expect(code).toBe(0);
    expect(stdout).toContain(`Created ${join(labsDir, 'feature-store')}/`);
    expect(stdout).toContain('wrong/first-page-only.patch');
    expect(stdout).toContain('1. whetstone check feature-store');
    const result = await checkLab('feature-store', { labsDir, cacheDir });
    expect(result.ok, formatLabCheck(result)).toBe(true);
    expect(result.items.map((i) => i.title)).toContain('wrong/first-page-only fails exactly count-past-1000, count-fails-loudly');
    const list = await whetstone(labsDir, 'list');
    expect(list.stdout).toMatch(/feature-store\s+Feature store: offline # online\s+2\s+6 \(2 hidden\)/);
    // Last in the catalog, after the labs that were there.
    expect(readFileSync(join(labsDir, 'feature-store', 'lab.md'), 'utf8')).toContain('order: 101');
  }, 180_000);

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
