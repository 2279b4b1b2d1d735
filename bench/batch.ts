// Batch grading in figures (`npm run bench` calls benchBatch; `node bench/batch.ts [lab] [count]`
// runs it alone). A class of `count` generated submissions — correct ones (solution and
// alternatives), plausible mistakes (wrong/), untouched starters, a syntax error, some zipped — is
// graded by the real CLI (`whetstone grade --batch`, one sandboxed child per learner, default
// jobs), then a second class is killed halfway (SIGKILL) and graded again to show that the rerun
// grades only the rest. Not a test: nothing here asserts a time.

import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { REPO_ROOT, readLab, readLearnerFiles } from '../catalog/labs.ts';
import { readVariants } from '../catalog/variants.ts';
import { parseCsv } from '../cli/batch/csv.ts';
import { loadGraderBundle } from '../cli/grade.ts';

const BIN = join(REPO_ROOT, 'bin', 'whetstone.js');
const FIXTURE_LABS = join(REPO_ROOT, 'tests', 'fixtures', 'labs');

interface Variant {
  kind: 'correct' | 'wrong' | 'starter' | 'syntax';
  files: Record<string, string>;
}

/** The lab's own submissions as learners: correct (solution, alternatives), wrong/, starter, a syntax error. */
function variantsOf(labDir: string): Variant[] {
  const solution = readLearnerFiles(join(labDir, 'solution'));
  const [first] = Object.keys(solution).sort();
  return [
    { kind: 'correct', files: solution },
    ...readVariants(basename(labDir), dirname(labDir)).map((v): Variant => ({ kind: v.kind === 'wrong' ? 'wrong' : 'correct', files: v.files })),
    { kind: 'starter', files: readLearnerFiles(join(labDir, 'starter')) },
    { kind: 'syntax', files: { ...solution, [first!]: `${solution[first!]}\nexport function unfinished( {\n` } },
  ];
}

/** Out of every 20 learners: 10 correct, 6 wrong (starters when the lab has no wrong/), 2 starters, 1 syntax error, 1 zip. */
export function generateClass(labDir: string, dir: string, count: number): Record<Variant['kind'], number> {
  const variants = variantsOf(labDir);
  const of = (kind: Variant['kind']) => variants.filter((v) => v.kind === kind);
  const pools: Record<Variant['kind'], Variant[]> = {
    correct: of('correct'),
    wrong: of('wrong').length ? of('wrong') : of('starter'),
    starter: of('starter'),
    syntax: of('syntax'),
  };
  const mix: Variant['kind'][] = ['correct', 'correct', 'correct', 'correct', 'correct', 'correct', 'correct', 'correct', 'correct', 'correct', 'wrong', 'wrong', 'wrong', 'wrong', 'wrong', 'wrong', 'starter', 'starter', 'syntax', 'correct'];
  const tally: Record<Variant['kind'], number> = { correct: 0, wrong: 0, starter: 0, syntax: 0 };
  mkdirSync(dir, { recursive: true });
  for (let i = 0; i < count; i++) {
    const kind = mix[i % mix.length]!;
    const pool = pools[kind];
    const variant = pool[Math.floor(i / mix.length) % pool.length]!;
    const id = `learner-${String(i + 1).padStart(5, '0')}`;
    tally[variant.kind] += 1;
    if (i % mix.length === mix.length - 1) {
      writeFileSync(join(dir, `${id}.zip`), zipSync(Object.fromEntries(Object.entries(variant.files).map(([n, t]) => [`${id}/${n}`, strToU8(t)]))));
    } else {
      mkdirSync(join(dir, id));
      for (const [name, text] of Object.entries(variant.files)) writeFileSync(join(dir, id, name), text);
    }
  }
  return tally;
}

interface CliRun {
  code: number | null;
  seconds: number;
  stdout: string;
}

function runCli(args: string[], env: NodeJS.ProcessEnv, killAfterJournaled?: { journal: string; lines: number }): Promise<CliRun> {
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['ignore', 'pipe', 'ignore'] });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    let poll: ReturnType<typeof setInterval> | undefined;
    if (killAfterJournaled) {
      poll = setInterval(() => {
        if (journalIds(killAfterJournaled.journal).length >= killAfterJournaled.lines) child.kill('SIGKILL');
      }, 25);
    }
    child.on('exit', (code) => {
      clearInterval(poll);
      resolve({ code, seconds: (performance.now() - started) / 1000, stdout });
    });
  });
}

function journalIds(path: string): string[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.endsWith('}'))
    .map((l) => (JSON.parse(l) as { id: string }).id);
}

/** One class of `count` through the CLI; with `resume`, a second run killed halfway and rerun. */
async function benchClass(lab: string, count: number, resume: boolean): Promise<{ lines: string[]; perSecond: number }> {
  const fixture = lab === 'mini';
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', ...(fixture ? { WHETSTONE_LABS_DIR: FIXTURE_LABS } : {}) };
  const labDir = fixture ? join(FIXTURE_LABS, 'mini') : readLab(lab).dir;
  const root = mkdtempSync(join(tmpdir(), 'whetstone-bench-batch-'));
  const lines: string[] = [];
  try {
    if (!fixture) await loadGraderBundle(lab); // build once, outside the timing (it is cached on disk)
    const tally = generateClass(labDir, join(root, 'class'), count);
    const out = join(root, 'grades.csv');
    const full = await runCli(['grade', '--lab', lab, '--batch', join(root, 'class'), '--out', out], env);
    const perSecond = count / full.seconds;
    const rows = existsSync(out) ? parseCsv(readFileSync(out, 'utf8')).slice(1) : [];
    const statuses = rows.reduce<Record<string, number>>((a, r) => ({ ...a, [r[4]!]: (a[r[4]!] ?? 0) + 1 }), {});
    lines.push(
      `Batch, lab ${lab}${fixture ? ' (test fixture: 2 functions, 5 checks)' : ''}: ${count} submissions (${tally.correct} correct, ${tally.wrong} wrong, ${tally.starter} starters, ${tally.syntax} syntax errors; 1 in 20 zipped), ${availableParallelism()} jobs`,
      `   whole CLI run ${full.seconds.toFixed(1)} s → ${perSecond.toFixed(1)} submissions/s; exit ${full.code}; ${rows.length} rows (${Object.entries(statuses).map(([s, n]) => `${n} ${s}`).join(', ')})`,
    );
    if (!resume) return { lines, perSecond };
    // The same class again, killed halfway, then graded again.
    cpSync(join(root, 'class'), join(root, 'again'), { recursive: true });
    const out2 = join(root, 'again.csv');
    const journal = `${out2}.journal.jsonl`;
    const killed = await runCli(['grade', '--lab', lab, '--batch', join(root, 'again'), '--out', out2], env, { journal, lines: Math.floor(count / 2) });
    const beforeRerun = journalIds(journal);
    const rerun = await runCli(['grade', '--lab', lab, '--batch', join(root, 'again'), '--out', out2], env);
    const afterRerun = journalIds(journal);
    const regraded = afterRerun.length - new Set(afterRerun).size;
    const rows2 = existsSync(out2) ? parseCsv(readFileSync(out2, 'utf8')).slice(1).length : 0;
    lines.push(
      `   killed (SIGKILL) after ${killed.seconds.toFixed(1)} s with ${beforeRerun.length} journaled; the rerun took ${rerun.seconds.toFixed(1)} s, ` +
        `graded ${afterRerun.length - beforeRerun.length}, regraded ${regraded}; ${rows2} rows`,
    );
    return { lines, perSecond };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

export interface BatchBench {
  /** What was run and what came out, for a person. */
  text: string;
  /** Submissions graded per second, wall clock, in the run of `lab` (not the fixture's). */
  perSecond: number;
  /** The same for the mini fixture (5 trivial checks): what one sandboxed process per learner allows at best. */
  fixturePerSecond: number;
}

/**
 * `count` generated submissions of `lab` (a lab of labs/), then of the mini test fixture, whose
 * run is also killed halfway and resumed. `lab: 'mini'` runs the fixture only.
 */
export async function benchBatch(options: { lab: string; count: number }): Promise<BatchBench> {
  const lines: string[] = [];
  let perSecond: number | undefined;
  if (options.lab !== 'mini') {
    const run = await benchClass(options.lab, options.count, false);
    lines.push(...run.lines);
    perSecond = run.perSecond;
  }
  const fixture = await benchClass('mini', options.count, true);
  lines.push(...fixture.lines);
  return { text: lines.join('\n'), perSecond: perSecond ?? fixture.perSecond, fixturePerSecond: fixture.perSecond };
}

if (import.meta.main) {
  const lab = process.argv[2] ?? 'mini';
  const count = Number(process.argv[3] ?? 300);
  console.log((await benchBatch({ lab, count })).text);
}
