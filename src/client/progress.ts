// A step is done when it has checks and every one of them passed in the last run. Steps are
// judged on the public checks, the only ones the page can run.

import type { CheckResult, Report } from '../../grader/report.ts';
import type { Progress } from './saved-work.ts';

export function stepsDone(results: readonly Pick<CheckResult, 'step' | 'status'>[]): number[] {
  const byStep = new Map<number, boolean>();
  for (const r of results) byStep.set(r.step, (byStep.get(r.step) ?? true) && r.status === 'pass');
  return [...byStep].filter(([, done]) => done).map(([step]) => step).sort((a, b) => a - b);
}

export function progressOf(report: Report, steps: number, ranAt: Date): Progress {
  return {
    // A submission that could not be loaded passes nothing, whatever the results say.
    stepsDone: report.error ? [] : stepsDone(report.checks),
    steps,
    score: report.score,
    maxScore: report.maxScore,
    ranAt: ranAt.toISOString(),
  };
}

/** "2 of 5 steps done", "All 5 steps done", "Not started". */
export function describeProgress(progress: Progress | undefined, started: boolean): string {
  if (!progress) return started ? 'Started' : 'Not started';
  const done = progress.stepsDone.length;
  if (done >= progress.steps && progress.steps > 0) return `All ${progress.steps} steps done`;
  return `${done} of ${progress.steps} steps done`;
}
