// `npm run bench`: how fast grading is, in figures, beside the bars of issue 12. Not a test:
// nothing here asserts a time.
//   1. the floor of one process (`node -e 0`) and CLI start-up alone (`whetstone list`);
//   2. one submission through the CLI (`whetstone grade`, cached bundle): process start to report;
//   3. the baseline: one vitest run per submission with the same checks;
//   4. the same submission through the Node host alone (a child process per submission);
//   5. the same submission with no sandbox (bench/checks-alone.mjs in a fresh process): getting
//      ready (Node, bundle, freezing) and the checks, wall and CPU;
//   6. a batch of generated submissions through the CLI (bench/batch.ts);
// and, from 5 and 6, the most a class could go on this machine's cores: with the checks costing
// what they cost and isolation nothing, and with isolation costing what it costs and checks nothing.
// 1–3 are measured in turns (floor, list, grade, vitest, floor, …) so that a machine whose load
// changes during the run weighs on every row alike; the load average is printed with the figures.
// BENCH_RUNS (default 10) and BENCH_BATCH (default 300; 0 skips the batch) change the sizes.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { LABS_DIR, REPO_ROOT, labIds, readLearnerFiles } from '../catalog/labs.ts';
import { gradeWithBundle, loadGraderBundle } from '../cli/grade.ts';
import type { Report } from '../grader/report.ts';
import { benchBatch } from './batch.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 10);
const VITEST_RUNS = Math.min(RUNS, 5);
const BATCH = Number(process.env.BENCH_BATCH ?? 300);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function time(fn: () => void): number {
  const start = performance.now();
  fn();
  return performance.now() - start;
}

const load = () => loadavg().map((l) => l.toFixed(1)).join(' ');
const ms = (values: number[]) => `${median(values).toFixed(0)} ms`;

const lab = labIds().includes('s3-partitioning') ? 's3-partitioning' : labIds()[0];
if (!lab) throw new Error(`No labs in ${LABS_DIR}.`);
const solution = join(LABS_DIR, lab, 'solution');
const bin = join(REPO_ROOT, 'bin', 'whetstone.js');
const vitestBin = join(REPO_ROOT, 'node_modules', 'vitest', 'vitest.mjs');
console.log(`Whetstone grading benchmark — lab ${lab}, ${cpus().length} cores, Node ${process.versions.node}, ${RUNS} runs each (vitest ${VITEST_RUNS})`);
console.log(`Load average at the start: ${load()} (wall-clock figures scale with it: compare rows of one run, not runs of a busy machine)\n`);

const buildStart = performance.now();
const bundle = await loadGraderBundle(lab);
console.log(`Grader bundle (hidden checks included): ${(bundle.code.length / 1024).toFixed(0)} KB, ${bundle.checks.length} checks, ready in ${(performance.now() - buildStart).toFixed(0)} ms (cached after the first build)`);
// Once before timing, so the listing and Node's compile cache are warm, as they are for a user.
execFileSync(process.execPath, [bin, 'list'], { stdio: 'pipe' });

const floor: number[] = [];
const list: number[] = [];
const grade: number[] = [];
const vitest: number[] = [];
for (let i = 0; i < RUNS; i++) {
  floor.push(time(() => execFileSync(process.execPath, ['-e', '0'], { stdio: 'pipe' })));
  list.push(time(() => execFileSync(process.execPath, [bin, 'list'], { stdio: 'pipe' })));
  grade.push(time(() => execFileSync(process.execPath, [bin, 'grade', '--lab', lab, solution, '--format', 'json'], { stdio: 'pipe' })));
  if (i < VITEST_RUNS) {
    vitest.push(
      time(() =>
        execFileSync(process.execPath, [vitestBin, 'run', '--config', join(REPO_ROOT, 'bench', 'baseline', 'vitest.config.ts')], {
          cwd: REPO_ROOT,
          stdio: 'pipe',
          env: { ...process.env, WHETSTONE_BENCH_LAB: lab, WHETSTONE_BENCH_DIR: solution },
        }),
      ),
    );
  }
}
console.log(`1. node -e 0 (one process, the floor):        median ${ms(floor)}, min ${Math.min(...floor).toFixed(0)} ms`);
console.log(`   whetstone list (CLI start-up):              median ${ms(list)}, min ${Math.min(...list).toFixed(0)} ms`);
console.log(`2. whetstone grade (CLI, whole process):       median ${ms(grade)}, min ${Math.min(...grade).toFixed(0)} ms`);
console.log(`3. baseline, one vitest run per submission:    median ${ms(vitest)}, min ${Math.min(...vitest).toFixed(0)} ms`);

const files = readLearnerFiles(solution);
const host: number[] = [];
let report: Report | undefined;
for (let i = 0; i < RUNS; i++) {
  const start = performance.now();
  report = await gradeWithBundle(bundle, files);
  host.push(performance.now() - start);
}
const slowest = [...report!.checks].sort((a, b) => b.durationMs - a.durationMs).slice(0, 3);
console.log(`4. Node host (sandboxed child, in a process):  median ${ms(host)}; slowest checks ${slowest.map((c) => `${c.id} ${c.durationMs} ms`).join(', ')}`);

// 5. No sandbox: the bundle the child loads, in a plain fresh process, per run.
interface Alone {
  readyMs: number;
  readyCpuMs: number;
  checksMs: number;
  checksCpuMs: number;
  checks: number;
  codeCacheRejected: boolean;
}
const scratch = mkdtempSync(join(tmpdir(), 'whetstone-bench-'));
const requestFile = join(scratch, 'request.json');
writeFileSync(requestFile, JSON.stringify({ files, seed: 1, nonce: 'bench' }));
const alone: Alone[] = [];
try {
  const cacheFile = bundle.codeCache ? bundle.file.replace(/\.js$/, '.v8cache') : '-';
  for (let i = 0; i < RUNS; i++) {
    const out = execFileSync(process.execPath, [join(REPO_ROOT, 'bench', 'checks-alone.mjs'), bundle.file, cacheFile, requestFile], { stdio: ['ignore', 'pipe', 'inherit'] });
    alone.push(JSON.parse(out.toString()) as Alone);
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
const med = (key: keyof Omit<Alone, 'codeCacheRejected'>) => median(alone.map((a) => a[key]));
const aloneCpuMs = med('readyCpuMs') + med('checksCpuMs');
console.log(
  `5. No sandbox (a fresh process each):        ready to grade ${med('readyMs')} ms (${med('readyCpuMs')} CPU-ms: Node, bundle, freezing); ` +
    `${med('checks')} checks ${med('checksMs')} ms (${med('checksCpuMs')} CPU-ms)${alone.some((a) => a.codeCacheRejected) ? '; V8 rejected the code cache' : ''}`,
);

let perSecond: number | undefined;
let fixturePerSecond: number | undefined;
if (BATCH > 0) {
  const batch = await benchBatch({ lab, count: BATCH });
  perSecond = batch.perSecond;
  fixturePerSecond = batch.fixturePerSecond;
  console.log(`\n6. ${batch.text}`);
}

// What the cores allow at best, whatever the grader does around the checks.
const cores = cpus().length;
console.log(`\nCeilings on ${cores} cores (submissions per second, this lab's solution):`);
console.log(`  the checks alone, no process, no sandbox:   ${((cores * 1000) / med('checksCpuMs')).toFixed(1)} /s`);
console.log(`  a fresh process per learner, no sandbox:    ${((cores * 1000) / aloneCpuMs).toFixed(1)} /s`);
if (fixturePerSecond !== undefined) console.log(`  the sandboxed CLI batch with 5 trivial checks (mini): ${fixturePerSecond.toFixed(1)} /s`);

// The issue's table: each figure beside its bar.
const rows: [string, string, string, string][] = [
  ['figure', 'median', 'bar (issue 12)', 'holds'],
  ['whetstone grade, one submission, wall', `${(median(grade) / 1000).toFixed(2)} s = ${(median(grade) / median(vitest)).toFixed(2)}× vitest`, '≤ 0.30× vitest', median(grade) <= 0.3 * median(vitest) ? 'yes' : 'no'],
  ['a vitest run of the same checks', `${(median(vitest) / 1000).toFixed(2)} s`, '–', ''],
  ['whetstone list (CLI start-up)', `${(median(list) / 1000).toFixed(3)} s = ${(median(list) / median(floor)).toFixed(1)}× node -e 0`, '≤ 2× node -e 0', median(list) <= 2 * median(floor) ? 'yes' : 'no'],
  ['node -e 0 (floor of one process)', `${(median(floor) / 1000).toFixed(3)} s`, '–', ''],
  [
    `batch of ${BATCH} mixed ${lab} submissions`,
    perSecond === undefined ? 'skipped (BENCH_BATCH=0)' : `${perSecond.toFixed(1)} /s`,
    '≥ 8 /s',
    perSecond === undefined ? '' : perSecond >= 8 ? 'yes' : 'no',
  ],
];
const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
console.log(`\nIssue 12's figures (load average now: ${load()}):`);
for (const [i, row] of rows.entries()) {
  console.log(`  ${row.map((cell, c) => cell.padEnd(widths[c]!)).join('  ').trimEnd()}`);
  if (i === 0) console.log(`  ${widths.map((w) => '-'.repeat(w)).join('  ')}`);
}
