// `node bench/iam.bench.ts`: what iam-scoping's least-privilege checks cost, in figures. Not a
// test: nothing here asserts a time.
//   1. per role, for the reference solution and a few anti-solutions: requests asked, decisions
//      made, CPU time (the first role pays for loading the IAM data and warming the engine);
//   2. the whole lab graded by the Node host (sandboxed child), with and without the hidden checks.

import { join } from 'node:path';
import { LABS_DIR, readLearnerFiles } from '../catalog/labs.ts';
import { gradeWithBundle, loadGraderBundle } from '../cli/grade.ts';
import { overGrants } from '../grader/iam/differential.ts';
import { requestSpace } from '../labs/iam-scoping/hidden/least-privilege.ts';
import { ROLES } from '../labs/iam-scoping/platform.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const LAB = 'iam-scoping';

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function policiesOf(dir: string): Promise<Record<string, unknown>> {
  return (await import(join(LABS_DIR, LAB, dir, 'policies.ts'))) as Record<string, unknown>;
}

const reference = await policiesOf('solution');
const named = (module: Record<string, unknown>, role: string) => ({ name: role, document: JSON.parse(JSON.stringify(module[role])) as unknown });

console.log(`IAM least-privilege benchmark — ${LAB}, Node ${process.versions.node}\n`);
for (const submission of ['solution', 'wrong/object-actions-wildcard', 'wrong/list-prefix-without-slash', 'wrong/allow-with-notaction']) {
  const learner = await policiesOf(submission);
  const lines: string[] = [];
  let total = 0;
  for (const role of ROLES) {
    const start = process.cpuUsage();
    const result = await overGrants(named(learner, role), named(reference, role), requestSpace(role));
    const used = process.cpuUsage(start);
    const ms = (used.user + used.system) / 1000;
    total += ms;
    lines.push(`   ${role.padEnd(18)} ${String(result.requests).padStart(5)} requests ${String(result.decisions).padStart(5)} decisions ${String(result.overGrants.length).padStart(3)}${result.complete ? ' ' : '+'} over-grants ${ms.toFixed(0).padStart(5)} ms CPU`);
  }
  console.log(`${submission}: ${total.toFixed(0)} ms CPU for the four roles\n${lines.join('\n')}`);
}

const bundle = await loadGraderBundle(LAB);
const files = readLearnerFiles(join(LABS_DIR, LAB, 'solution'));
const whole: number[] = [];
const leastPrivilege: number[] = [];
for (let i = 0; i < RUNS; i++) {
  const start = performance.now();
  const report = await gradeWithBundle(bundle, files);
  whole.push(performance.now() - start);
  leastPrivilege.push(report.checks.filter((c) => c.id.endsWith('-least-privilege')).reduce((sum, c) => sum + c.durationMs, 0));
}
console.log(
  `\nThe solution graded by the Node host, ${RUNS} runs: median ${median(whole).toFixed(0)} ms per submission, ` +
    `of which the four least-privilege checks ${median(leastPrivilege)} ms (wall time: compare runs on an otherwise quiet machine).`,
);
