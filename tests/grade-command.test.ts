// `whetstone grade` on real folders and zips, through the real bin, as an instructor runs it.

import { execFile } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../catalog/labs.ts';
import { formatVariantPatch } from '../catalog/variant-patch.ts';
import { readVariants } from '../catalog/variants.ts';
import { reportSchemaErrors } from './support/report-schema.ts';

const run = promisify(execFile);
const labsDir = join(REPO_ROOT, 'tests', 'fixtures', 'labs');
const mini = join(labsDir, 'mini');

async function whetstone(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return whetstoneIn(labsDir, ...args);
}

async function whetstoneIn(labs: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [join(REPO_ROOT, 'bin', 'whetstone.js'), ...args], {
      env: { ...process.env, WHETSTONE_LABS_DIR: labs, NO_COLOR: '1' },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('whetstone grade', () => {
  it('prints a full-marks JSON report for the solution that matches the published schema', async () => {
    const { code, stdout } = await whetstone('grade', '--lab', 'mini', join(mini, 'solution'), '--format', 'json');
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(reportSchemaErrors(report)).toEqual([]);
    expect(report).toMatchObject({ schemaVersion: 1, lab: 'mini', status: 'pass', score: 5, maxScore: 5, engine: 'node' });
  });

  it('prints a readable text report for the starter and still exits 0', async () => {
    const { code, stdout } = await whetstone('grade', '--lab', 'mini', join(mini, 'starter'));
    expect(code).toBe(0);
    expect(stdout).toContain('Score 1/5');
    expect(stdout).toContain('Step 1: Add numbers');
    // A stub still in place reads as a step not done yet, with the learner's line (the text wraps).
    expect(stdout).toContain('○ add(2, 3) is 5 adds');
    expect(stdout).toMatch(/Not done yet: add is still the starter's stub, which throws Not implemented yet: add\s+\(calc\.ts:2:9\)/);
  });

  it('exits 1 under --fail-under and 0 above it', async () => {
    expect((await whetstone('grade', '--lab', 'mini', join(mini, 'starter'), '--fail-under', '50')).code).toBe(1);
    expect((await whetstone('grade', '--lab', 'mini', join(mini, 'solution'), '--fail-under', '100')).code).toBe(0);
  });

  it('grades the zip the browser exports, files at the top or inside one folder', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'whetstone-zip-'));
    const source = readFileSync(join(mini, 'solution', 'calc.ts'), 'utf8');
    writeFileSync(join(dir, 'flat.zip'), zipSync({ 'calc.ts': strToU8(source), 'whetstone.json': strToU8('{"lab":"mini"}') }));
    writeFileSync(join(dir, 'nested.zip'), zipSync({ 'ada/calc.ts': strToU8(source) }));
    for (const name of ['flat.zip', 'nested.zip']) {
      const { code, stdout } = await whetstone('grade', '--lab', 'mini', join(dir, name), '--format', 'json');
      expect(code, name).toBe(0);
      expect(JSON.parse(stdout).score, name).toBe(5);
    }
  });

  it('writes --out files in junit and gradescope formats', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'whetstone-out-'));
    await whetstone('grade', '--lab', 'mini', join(mini, 'starter'), '--format', 'junit', '--out', join(dir, 'r.xml'));
    const xml = readFileSync(join(dir, 'r.xml'), 'utf8');
    expect(xml).toContain('<testsuite name="mini" tests="5"');
    expect(xml).toContain('<error type="error"');
    await whetstone('grade', '--lab', 'mini', join(mini, 'starter'), '--format', 'gradescope', '--out', join(dir, 'results.json'));
    const gs = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8'));
    expect(gs.score).toBe(1);
    expect(gs.tests).toHaveLength(5);
    expect(gs.tests.find((t: { number: string }) => t.number === '1.adds-large').visibility).toBe('after_published');
  });

  it('says in one line what to do about an unknown lab, a missing folder, an empty folder and a bad flag', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'whetstone-empty-'));
    mkdirSync(join(empty, 'sub'));
    const cases: [string[], RegExp][] = [
      [['grade', '--lab', 'nope', join(mini, 'solution')], /Unknown lab 'nope'\. Labs: mini\. Run `whetstone list`/],
      [['grade', '--lab', 'mini', join(mini, 'does-not-exist')], /does not exist\. Pass the folder/],
      [['grade', '--lab', 'mini', empty], /holds no \.ts files/],
      [['grade', '--lab', 'mini', join(mini, 'solution'), '--formt', 'json'], /Unknown option --formt\. Did you mean --format\?/],
      [['grade', '--lab', 'mini', join(mini, 'solution'), '--format', 'xml'], /--format xml: use one of text, json, junit, gradescope/],
      [['grade', join(mini, 'solution')], /Missing --lab <id>/],
      [['frobnicate'], /Unknown command 'frobnicate'/],
    ];
    for (const [args, message] of cases) {
      const { code, stderr, stdout } = await whetstone(...args);
      expect(code, args.join(' ')).toBe(2);
      expect(stdout, args.join(' ')).toBe('');
      expect(stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(stderr, args.join(' ')).toMatch(message);
    }
  });

  it("grades a lab's patch as that lab's solution with the mistake, and says which lab a patch belongs to", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'whetstone-patch-'));
    const source = readFileSync(join(mini, 'solution', 'calc.ts'), 'utf8');
    const patch = formatVariantPatch({ kind: 'wrong', why: 'Subtracts.', fails: ['adds'], solution: { 'calc.ts': source }, edited: { 'calc.ts': source.replace('a + b', 'a - b') } });
    writeFileSync(join(dir, 'subtracts.patch'), patch);
    const graded = await whetstone('grade', '--lab', 'mini', join(dir, 'subtracts.patch'), '--format', 'json');
    expect(graded.code, graded.stderr).toBe(0);
    const report = JSON.parse(graded.stdout);
    expect(reportSchemaErrors(report)).toEqual([]);
    expect(report.checks.filter((c: { status: string }) => c.status !== 'pass').map((c: { id: string }) => c.id)).toEqual(['adds', 'adds-negatives', 'adds-large']);

    writeFileSync(join(dir, 'elsewhere.patch'), patch.replaceAll('calc.ts', 'partition.ts'));
    const foreign = await whetstone('grade', '--lab', 'mini', join(dir, 'elsewhere.patch'));
    expect(foreign.code).toBe(2);
    expect(foreign.stderr.trim()).toBe(
      `whetstone: ${join(dir, 'elsewhere.patch')} changes partition.ts, which is not a learner file of mini (calc.ts). Pass the lab whose solution it patches with --lab.`,
    );
    const labs = join(REPO_ROOT, 'labs');
    const other = await whetstoneIn(labs, 'grade', '--lab', 'iam-scoping', join(labs, 'spot-checkpointing', 'wrong', 'resume-oldest.patch'));
    expect(other.stderr.trim()).toBe(
      `whetstone: ${join(labs, 'spot-checkpointing', 'wrong', 'resume-oldest.patch')} changes train.ts, which is not a learner file of iam-scoping (policies.ts). It is a patch for spot-checkpointing: grade it with --lab spot-checkpointing.`,
    );
  });

  it("grades a core lab's anti-solution to exactly the checks its patch lists", async () => {
    const labs = join(REPO_ROOT, 'labs');
    const wrong = readVariants('spot-checkpointing', labs).find((v) => v.name === 'resume-oldest')!;
    const { code, stdout } = await whetstoneIn(labs, 'grade', '--lab', 'spot-checkpointing', wrong.path, '--format', 'json');
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(report.checks.filter((c: { status: string }) => c.status !== 'pass').map((c: { id: string }) => c.id).sort()).toEqual([...wrong.fails!].sort());
  }, 120_000);

  it('lists the labs', async () => {
    const { code, stdout } = await whetstone('list');
    expect(code).toBe(0);
    expect(stdout).toMatch(/mini\s+Mini lab for grader tests\s+1\s+5 \(1 hidden\)/);
  });
});

describe('a private check pack', () => {
  it('adds its checks as hidden ones, outside the repo, and says when it has none for the lab', async () => {
    const pack = mkdtempSync(join(tmpdir(), 'whetstone-pack-'));
    writeFileSync(
      join(pack, 'mini.ts'),
      [
        "import { fail } from 'whetstone/checks';",
        "import { lab } from 'whetstone/labs/mini/checks.ts';",
        'export default lab.checks(({ step, check }) => {',
        '  step(1, () => {',
        "    check('pack-adds-zero', 'add(0, 0) is 0', ({ calc }) => {",
        "      if (calc.add(0, 0) !== 0) fail('add(0, 0) should be 0.');",
        '    });',
        '  });',
        '});',
      ].join('\n'),
    );
    const { code, stdout } = await whetstone('grade', '--lab', 'mini', join(mini, 'solution'), '--checks', pack, '--format', 'json');
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(report.checks.find((c: { id: string }) => c.id === 'pack-adds-zero')).toMatchObject({ status: 'pass', visibility: 'hidden' });
    expect(report.maxScore).toBe(6);
    const publicOnly = JSON.parse((await whetstone('grade', '--lab', 'mini', join(mini, 'solution'), '--checks', pack, '--public-only', '--format', 'json')).stdout);
    expect(publicOnly.checks.some((c: { visibility: string }) => c.visibility === 'hidden')).toBe(false);
    const empty = mkdtempSync(join(tmpdir(), 'whetstone-pack-'));
    const missing = await whetstone('grade', '--lab', 'mini', join(mini, 'solution'), '--checks', empty);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/has no checks for mini: add mini\.ts or mini\/checks\.ts there/);
  });
});
