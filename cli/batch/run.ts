// One batch run: decide who still needs grading (the journal knows who does not), grade them
// in a pool, journal each report the moment it exists, and stop early when the first ones all
// fail to load alike (sanity.ts). The imperative shell around it (flags, signals, files, the
// terminal) is cli/commands/batch.ts; grading itself is passed in, so tests can drive a batch
// with a fake grader.

import type { Report } from '../../grader/report.ts';
import { SubmissionInputError } from '../submission-input.ts';
import type { SubmissionInput } from '../submission-input.ts';
import type { Outcome } from './grades.ts';
import { Journal, fingerprint, readJournal, slimReport } from './journal.ts';
import type { JournaledReport } from './journal.ts';
import { runPool } from './pool.ts';
import type { Progress } from './progress.ts';
import { SAMPLE, sanityStop } from './sanity.ts';
import type { SanityStop } from './sanity.ts';
import { compareIds } from './learner-ids.ts';
import type { BatchEntry } from './submissions.ts';

export interface RunBatchOptions {
  entries: readonly BatchEntry[];
  journalPath: string;
  /** --regrade: ignore the journal and grade everyone again. */
  regrade: boolean;
  /** Stop early when most of the first submissions fail to load alike (off with --force). */
  sanityStop: boolean;
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
  /** Learners not graded because the run was interrupted or stopped. */
  remaining: string[];
  /** Ctrl-C or SIGTERM came before everyone was graded. */
  interrupted: boolean;
  /** Set when the run stopped because the first submissions failed to load alike. */
  stopped?: SanityStop;
  durationMs: number;
}

function inputOutcome(id: string, error: unknown): Outcome {
  if (error instanceof SubmissionInputError) return { id, input: { kind: 'unreadable', message: error.message } };
  const message = error instanceof Error ? error.message : String(error);
  return { id, input: { kind: 'internal', message: `The grader failed on this submission (not the learner's fault): ${message}. Grade it again.` } };
}

export async function runBatch(options: RunBatchOptions): Promise<BatchRun> {
  const started = performance.now();
  const { entries: journaled, validBytes } = options.regrade
    ? { entries: new Map<string, JournaledReport>(), validBytes: 0 }
    : readJournal(options.journalPath);
  const outcomes: Outcome[] = [];
  const problems: Outcome[] = [];
  const todo: BatchEntry[] = [];
  for (const entry of options.entries) {
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
  // Aborted by the sanity stop; the caller's signal (Ctrl-C) aborts it too.
  const stop = new AbortController();
  const signal = AbortSignal.any([options.signal, stop.signal]);
  let stopped: SanityStop | undefined;
  let decided = !options.sanityStop;
  const decide = () => {
    if (decided || outcomes.length < Math.min(SAMPLE, options.entries.length)) return;
    decided = true;
    stopped = sanityStop(outcomes, options.entries.length);
    if (stopped) stop.abort();
  };
  const journal = new Journal(options.journalPath, { fresh: options.regrade, validBytes });
  const progress = options.progress;
  progress?.start(todo.length + problems.length, resumed);
  decide();
  for (const problem of problems) {
    if (signal.aborted) break;
    outcomes.push(problem);
    progress?.update(problem);
    decide();
  }
  let graded = 0;
  try {
    await runPool(
      signal.aborted ? [] : todo,
      async (entry) => {
        // Read again: the files graded are the files fingerprinted, even if they changed since.
        const files = options.read(entry.path).files;
        const report = await options.grade(files, signal);
        // A grading cut short (Ctrl-C, the sanity stop) is not a grade (its checks say
        // "cancelled"): leave it out of the journal so the rerun grades this learner properly.
        if (signal.aborted) return;
        const ref = journal.append({ id: entry.id, fingerprint: fingerprint(files, options.bundleHash, options.seed), report });
        const outcome: Outcome = { id: entry.id, report: slimReport(report), journal: ref };
        outcomes.push(outcome);
        graded += 1;
        progress?.update(outcome);
        decide();
      },
      {
        jobs: options.jobs,
        signal,
        onError: (entry, error) => {
          if (signal.aborted) return;
          const outcome = inputOutcome(entry.id, error);
          outcomes.push(outcome);
          progress?.update(outcome);
          decide();
        },
      },
    );
  } finally {
    journal.close();
    progress?.stop();
  }
  const listed = new Set(outcomes.map((o) => o.id));
  const remaining = options.entries.filter((e) => !listed.has(e.id)).map((e) => e.id);
  outcomes.sort((a, b) => compareIds(a.id, b.id));
  return {
    outcomes,
    graded,
    resumed,
    remaining,
    interrupted: options.signal.aborted && remaining.length > 0,
    ...(stopped ? { stopped } : {}),
    durationMs: performance.now() - started,
  };
}
