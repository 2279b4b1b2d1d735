// What a batch writes: the grades of a class as CSV (one row per learner, one column per check)
// or JSON (every report, the item analysis and a summary). Pure functions of the outcomes.
// Gradebook files for an LMS are gradebook.ts.

import type { CheckInfo, ErrorKind, Report, ReportError } from '../../grader/report.ts';
import { toCsv } from './csv.ts';
import type { Cell } from './csv.ts';
import { analyseItems } from './item-analysis.ts';
import type { ItemAnalysis } from './item-analysis.ts';
import type { JournalRef } from './journal.ts';

/**
 * One learner of the batch: a report (slim in a batch: the full one is in the journal at
 * `journal`), or why their submission could not even be read.
 */
export type Outcome =
  | { id: string; report: Report; input?: undefined; journal?: JournalRef }
  | { id: string; report?: undefined; input: { kind: ErrorKind; message: string }; journal?: undefined };

export interface BatchSummary {
  submissions: number;
  pass: number;
  fail: number;
  error: number;
  /** Mean percentage over every submission (one that could not be graded scores 0). */
  meanPercent: number;
  medianPercent: number;
}

export interface BatchDocument {
  schemaVersion: 1;
  kind: 'whetstone-batch';
  lab: string;
  grader: string;
  /** 'i/n', or 'all'. */
  shard: string;
  seed: number;
  hidden: boolean;
  /** Every check with its maximum (`maxScore`) and whether learners see it (`visibility`). */
  checks: CheckInfo[];
  /** The sum of the checks' maxima: what a full score is. */
  maxScore: number;
  /**
   * Present only on a partial result (`<out>.partial`, or `merge --partial`): the learners of
   * this class who have no grade yet — not reached before the run stopped, or the grader itself
   * failed on them. Absent when everyone is graded.
   */
  notGraded?: string[];
  /** Present only on `merge --partial`: the shards of the split that were not merged, e.g. ['3/4']. */
  missingShards?: string[];
  summary: BatchSummary;
  itemAnalysis: ItemAnalysis;
  /** Sorted by id; `fingerprint` identifies what was graded (see journal.ts). */
  submissions: { id: string; fingerprint?: string; report?: Report; error?: { kind: ErrorKind; message: string } }[];
}

export function percentOf(score: number, max: number): number {
  return max ? Math.round((score / max) * 1000) / 10 : 0;
}

export function statusOf(outcome: Outcome): 'pass' | 'fail' | 'error' {
  return outcome.report ? outcome.report.status : 'error';
}

/** The points of a learner, or undefined when their submission could not be graded at all. */
export function pointsOf(outcome: Outcome): number | undefined {
  return outcome.report && !outcome.report.error ? outcome.report.score : undefined;
}

export function maxScoreOf(checks: readonly CheckInfo[]): number {
  return Math.round(checks.reduce((a, c) => a + c.maxScore, 0) * 1e4) / 1e4;
}

export function summarise(outcomes: readonly Outcome[]): BatchSummary {
  const percents = outcomes.map((o) => (o.report ? percentOf(o.report.score, o.report.maxScore) : 0)).sort((a, b) => a - b);
  const mid = percents.length >> 1;
  const median = !percents.length ? 0 : percents.length % 2 ? percents[mid]! : (percents[mid - 1]! + percents[mid]!) / 2;
  return {
    submissions: outcomes.length,
    pass: outcomes.filter((o) => statusOf(o) === 'pass').length,
    fail: outcomes.filter((o) => statusOf(o) === 'fail').length,
    error: outcomes.filter((o) => statusOf(o) === 'error').length,
    meanPercent: percents.length ? Math.round((percents.reduce((a, b) => a + b, 0) / percents.length) * 10) / 10 : 0,
    medianPercent: Math.round(median * 10) / 10,
  };
}

/** The error with its place, unless the message already names it. */
function errorText(error: ReportError): string {
  const where = error.file ? `${error.file}${error.line ? `:${error.line}` : ''}` : '';
  return where && !error.message.includes(error.file!) ? `${where}: ${error.message}` : error.message;
}

/** Why a learner has no points, in one line for the terminal and the CSV; undefined when they have. */
export function notGradedReason(outcome: Outcome): { kind: ErrorKind; message: string } | undefined {
  if (!outcome.report) return outcome.input;
  const error = outcome.report.error;
  return error ? { kind: error.kind, message: errorText(error) } : undefined;
}

export const CSV_FIXED_COLUMNS = ['id', 'score', 'max', 'percent', 'status', 'error_kind'] as const;

/** A check's column: its id, its maximum, and whether learners see it, e.g. `adds-large (hidden, max 2)`. */
export function checkColumn(check: CheckInfo): string {
  return `${check.id} (${check.visibility === 'hidden' ? 'hidden, ' : ''}max ${check.maxScore})`;
}

/**
 * id, score, max, percent, status, error_kind, <one column per check: its score>, error_message.
 * A submission that could not be graded has no score (empty cells), not 0: error_kind and
 * error_message say why.
 */
export function gradesCsv(checks: readonly CheckInfo[], outcomes: readonly Outcome[]): string {
  const maxScore = maxScoreOf(checks);
  const header = [...CSV_FIXED_COLUMNS, ...checks.map(checkColumn), 'error_message'];
  const rows = outcomes.map((o): Cell[] => {
    const reason = notGradedReason(o);
    if (reason) return [o.id, undefined, maxScore, undefined, 'error', reason.kind, ...checks.map(() => undefined), reason.message];
    const r = o.report!;
    const byId = new Map(r.checks.map((c) => [c.id, c]));
    return [o.id, r.score, r.maxScore, percentOf(r.score, r.maxScore), r.status, undefined, ...checks.map((c) => byId.get(c.id)?.score), undefined];
  });
  return toCsv(header, rows);
}

export interface BatchInput {
  lab: string;
  grader: string;
  shard: string;
  seed: number;
  hidden: boolean;
  checks: CheckInfo[];
  outcomes: readonly Outcome[];
  /** Learners of the class without a grade yet; non-empty only for a partial result. */
  notGraded?: readonly string[];
  missingShards?: readonly string[];
}

export type BatchHead = Omit<BatchDocument, 'submissions'>;

/** Everything but the submissions: what the outcomes add up to. */
export function batchHead(input: BatchInput): BatchHead {
  return {
    schemaVersion: 1,
    kind: 'whetstone-batch',
    lab: input.lab,
    grader: input.grader,
    shard: input.shard,
    seed: input.seed,
    hidden: input.hidden,
    checks: input.checks,
    maxScore: maxScoreOf(input.checks),
    ...(input.notGraded?.length ? { notGraded: [...input.notGraded] } : {}),
    ...(input.missingShards?.length ? { missingShards: [...input.missingShards] } : {}),
    summary: summarise(input.outcomes),
    itemAnalysis: analyseItems(
      input.checks,
      input.outcomes.map((o) => (o.report ? { id: o.id, report: o.report } : { id: o.id, unreadable: o.input.kind })),
    ),
  };
}

/** The JSON value of one submission when its report is at hand (not in a journal). */
export function submissionEntry(outcome: Outcome): BatchDocument['submissions'][number] {
  return outcome.report ? { id: outcome.id, report: outcome.report } : { id: outcome.id, error: outcome.input };
}

export function batchDocument(input: BatchInput): BatchDocument {
  return { ...batchHead(input), submissions: input.outcomes.map(submissionEntry) };
}
