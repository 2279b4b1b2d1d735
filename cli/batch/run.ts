// One batch run: decide who still needs grading (the journal knows who does not), grade them
// in a pool, journal each report the moment it exists. The imperative shell around it (flags,
// signals, files, the terminal) is cli/commands/batch.ts; grading itself is passed in, so tests
// can drive a batch with a fake grader.

import type { Report } from '../../grader/report.ts';
import { SubmissionInputError } from '../submission-input.ts';
import type { SubmissionInput } from '../submission-input.ts';
import type { Outcome } from './grades.ts';
import { Journal, fingerprint, readJournal, slimReport } from './journal.ts';
import type { JournaledReport } from './journal.ts';
import { runPool } from './pool.ts';
import type { Progress } from './progress.ts';
import { compareIds } from './submissions.ts';
import type { BatchEntry } from './submissions.ts';

export interface RunBatchOptions {
  entries: readonly BatchEntry[];
  journalPath: string;
  /** --force: ignore the journal and grade everyone again. */
  force: boolean;
  /** Identifies the grader build (checks, fakes, pack); part of every fingerprint. */
  bundleHash: string;
  seed: number;
  jobs: number;
  read(path: string): SubmissionInput;
  grade(files: Record<string, string>, signal: AbortSignal): Promise<Report>;
  progress?: Progress;
  /** Aborted on Ctrl-C / SIGTERM: nothing new starts, in-flight gradings are cancelled and not kept. */
  signal: AbortSignal;
}

export interface BatchRun {
  /** Everyone graded so far (this run and earlier ones), sorted by id. */
  outcomes: Outcome[];
  graded: number;
  resumed: number;
  /** Learners not graded because the run was interrupted. */
  remaining: string[];
  interrupted: boolean;
  durationMs: number;
}

function inputOutcome(id: string, error: unknown): Outcome {
  if (error instanceof SubmissionInputError) return { id, input: { kind: 'unreadable', message: error.message } };
  const message = error instanceof Error ? error.message : String(error);
  return { id, input: { kind: 'internal', message: `The grader failed on this submission (not the learner's fault): ${message}. Grade it again.` } };
}

export async function runBatch(options: RunBatchOptions): Promise<BatchRun> {
  const started = performance.now();
  const { entries: journaled, validBytes } = options.force
    ? { entries: new Map<string, JournaledReport>(), validBytes: 0 }
    : readJournal(options.journalPath);
  const outcomes: Outcome[] = [];
  const problems: Outcome[] = [];
  const todo: BatchEntry[] = [];
  for (const entry of options.entries) {
    if (entry.problem) {
      problems.push({ id: entry.id, input: { kind: 'unreadable', message: entry.problem } });
      continue;
    }
    let files: Record<string, string>;
    try {
      files = options.read(entry.path).files;
    } catch (error) {
      problems.push(inputOutcome(entry.id, error));
      continue;
    }
    const previous = journaled.get(entry.id);
    if (previous && previous.fingerprint === fingerprint(files, options.bundleHash, options.seed)) {
      outcomes.push({ id: entry.id, report: previous.report, journal: previous.ref });
    } else {
      todo.push(entry);
    }
  }
  const resumed = outcomes.length;
  const journal = new Journal(options.journalPath, { fresh: options.force, validBytes });
  const progress = options.progress;
  progress?.start(todo.length + problems.length, resumed);
  for (const problem of problems) {
    outcomes.push(problem);
    progress?.update(problem);
  }
  const done = new Set<string>();
  let graded = 0;
  try {
    await runPool(
      todo,
      async (entry) => {
        // Read again: the files graded are the files fingerprinted, even if they changed since.
        const files = options.read(entry.path).files;
        const report = await options.grade(files, options.signal);
        // A grading cut short by Ctrl-C is not a grade (its checks say "cancelled"): leave it
        // out of the journal so the rerun grades this learner properly.
        if (options.signal.aborted) return;
        const ref = journal.append({ id: entry.id, fingerprint: fingerprint(files, options.bundleHash, options.seed), report });
        const outcome: Outcome = { id: entry.id, report: slimReport(report), journal: ref };
        outcomes.push(outcome);
        done.add(entry.id);
        graded += 1;
        progress?.update(outcome);
      },
      {
        jobs: options.jobs,
        signal: options.signal,
        onError: (entry, error) => {
          if (options.signal.aborted) return;
          const outcome = inputOutcome(entry.id, error);
          outcomes.push(outcome);
          done.add(entry.id);
          progress?.update(outcome);
        },
      },
    );
  } finally {
    journal.close();
    progress?.stop();
  }
  const remaining = todo.filter((e) => !done.has(e.id)).map((e) => e.id);
  outcomes.sort((a, b) => compareIds(a.id, b.id));
  return {
    outcomes,
    graded,
    resumed,
    remaining,
    interrupted: remaining.length > 0,
    durationMs: performance.now() - started,
  };
}
