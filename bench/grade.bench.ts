// `npm run bench`: how fast grading is, in figures. Not a test: nothing here asserts a time.
//   1. one submission through the CLI (`whetstone grade`, cached bundle): process start to report;
//   2. the same through the Node host alone (child process per submission);
//   3. the baseline: one vitest run per submission with the same checks;
//   4. a batch (bench/batch.ts, when present).

import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { LABS_DIR, REPO_ROOT, labIds, readLearnerFiles } from '../catalog/labs.ts';
import { gradeWithBundle, loadGraderBundle } from '../cli/grade.ts';
import type { Report } from '../grader/report.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 10);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function time(fn: () => void): number {
  const start = performance.now();
  fn();
  return performance.now() - start;
}

async function timeAsync(fn: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

const lab = labIds().includes('s3-partitioning') ? 's3-partitioning' : labIds()[0];
if (!lab) throw new Error(`No labs in ${LABS_DIR}.`);
const solution = join(LABS_DIR, lab, 'solution');
const bin = join(REPO_ROOT, 'bin', 'whetstone.js');
console.log(`Whetstone grading benchmark — lab ${lab}, ${cpus().length} cores, Node ${process.versions.node}, ${RUNS} runs each\n`);

const buildStart = performance.now();
const bundle = await loadGraderBundle(lab);
console.log(`Grader bundle (hidden checks included): ${(bundle.code.length / 1024).toFixed(0)} KB, ${bundle.checks.length} checks, ready in ${(performance.now() - buildStart).toFixed(0)} ms (cached after the first build)`);

const cli: number[] = [];
for (let i = 0; i < RUNS; i++) {
  cli.push(time(() => execFileSync(process.execPath, [bin, 'grade', '--lab', lab, solution, '--format', 'json'], { stdio: 'pipe' })));
}
console.log(`1. whetstone grade (CLI, whole process):      median ${median(cli).toFixed(0)} ms, min ${Math.min(...cli).toFixed(0)} ms`);

const files = readLearnerFiles(solution);
const host: number[] = [];
let checkTimes: number[] = [];
for (let i = 0; i < RUNS; i++) {
  let report: Report | undefined;
  host.push(await timeAsync(async () => (report = await gradeWithBundle(bundle, files))));
  checkTimes = report!.checks.map((c) => c.durationMs);
}
console.log(`2. Node host (sandboxed child, in a process): median ${median(host).toFixed(0)} ms; slowest check ${Math.max(...checkTimes)} ms`);

const vitest: number[] = [];
const vitestBin = join(REPO_ROOT, 'node_modules', 'vitest', 'vitest.mjs');
for (let i = 0; i < Math.min(RUNS, 5); i++) {
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
console.log(`3. baseline, one vitest run per submission:   median ${median(vitest).toFixed(0)} ms`);
console.log(`   → the CLI is ${(median(vitest) / median(cli)).toFixed(1)}× faster than the vitest baseline; the host alone ${(median(vitest) / median(host)).toFixed(1)}×.`);

const batchModule = join(REPO_ROOT, 'bench', 'batch.ts');
if (existsSync(batchModule)) {
  const { benchBatch } = (await import(batchModule)) as { benchBatch?: (options: { lab: string; count: number }) => Promise<string> };
  if (benchBatch) console.log(`\n4. ${await benchBatch({ lab, count: Number(process.env.BENCH_BATCH ?? 300) })}`);
}
