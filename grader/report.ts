// The report every host returns: the contract of DESIGN.md ("Report"), published as
// grader/report.schema.json. Extend it; never change what a field means.

export type ReportStatus = 'pass' | 'fail' | 'error';
export type CheckStatus = 'pass' | 'fail' | 'error' | 'timeout';
export type Visibility = 'public' | 'hidden';
export type Engine = 'node' | 'webcontainer' | 'worker';

export type ErrorKind =
  | 'syntax'
  | 'missing-export'
  | 'forbidden-import'
  | 'import-throw'
  | 'timeout'
  | 'memory'
  | 'crash'
  | 'output-limit'
  | 'unreadable'
  | 'internal';

export interface ReportError {
  kind: ErrorKind;
  message: string;
  file?: string;
  line?: number;
  column?: number;
}

/** One AWS API call the learner's code (or a check) made, as the fakes saw it. */
export interface TraceEntry {
  service: string;
  operation: string;
  input: unknown;
  /** 'ok', or the error name AWS would return (NoSuchKey, ThrottlingException…). */
  outcome: string;
  httpStatusCode: number;
  /** Offset from the start of the check, on the simulated clock where there is one. */
  atMs?: number;
  /**
   * The response fields that matter to the learner's next move (NextToken, IsTruncated,
   * KeyCount, FailedRecordCount…), as the fake summarised them: successful calls only, long
   * arrays and strings cut (grader/aws/mock.ts, TRACE_OUTPUT_LIMITS).
   */
  output?: Record<string, unknown>;
}

export interface CheckResult {
  id: string;
  title: string;
  step: number;
  status: CheckStatus;
  score: number;
  maxScore: number;
  visibility: Visibility;
  message: string;
  /**
   * What kind of failure this is, when the check says (`fail(message, { code })`): the same code
   * for every learner who made the same mistake, whatever values their message names. Batch
   * item analysis groups by it; without one it groups by the message's template.
   */
  code?: string;
  durationMs: number;
  /** The AWS calls made during the check, oldest first (capped; see traceOmitted). */
  trace?: TraceEntry[];
  traceOmitted?: number;
  /** The fake world after the check, e.g. { s3: { "bucket": ["raw/…/b1.jsonl"] } }. */
  state?: Record<string, unknown>;
  /** What the learner's code printed during the check (capped). */
  output?: string;
  /**
   * True when the check met the starter's "Not implemented yet" error: the step is not done yet
   * (rather than done wrong), and the message says so. Absent otherwise.
   */
  unfinished?: true;
  /**
   * Tables, charts over time and event lists the check drew from the fakes or a simulator
   * (ctx.show), in the order shown; at most FIGURE_CAPS.figuresPerCheck (grader/figures.ts).
   */
  figures?: Figure[];
  /** Figures the check showed past the cap, left out. */
  figuresOmitted?: number;
}

// ----- figures --------------------------------------------------------------------------------
// What a check shows besides its message, as the report holds it: normalised and capped by the
// runtime (grader/figures.ts), so every reader gets one shape. Checks write FigureSpec instead.

export type Figure = TableFigure | SeriesFigure | EventsFigure;

interface FigureCommon {
  title: string;
  caption?: string;
  /** Set when the figure was over a cap (grader/figures.ts): what was left out, in words. */
  cut?: string;
}

export type Alignment = 'left' | 'right' | 'center';

export interface TableColumn {
  label: string;
  /** Shown in the header: 'Time (s)'. */
  unit?: string;
  /** Absent: numbers right, text left (the reader decides from the cells). */
  align?: Alignment;
}

export type TableCell = string | number | null;

export interface TableFigure extends FigureCommon {
  kind: 'table';
  columns: TableColumn[];
  /** Each row has one cell per column; null is an empty cell. */
  rows: TableCell[][];
}

export type Axis = 'left' | 'right';

/** A regular x axis: point i of every series is at start + i × step. */
export interface SeriesAxis {
  label: string;
  unit?: string;
  start: number;
  step: number;
}

export interface Series {
  name: string;
  /** '' when the values have none (a count). */
  unit: string;
  axis: Axis;
  /** One value per x position; null is a gap. */
  values: (number | null)[];
}

/** A horizontal line at `value` on `axis`, e.g. a latency goal. */
export interface ReferenceLine {
  label: string;
  value: number;
  axis: Axis;
  /** The series it is a line for (its name), when it is one series' goal or limit. */
  series?: string;
}

/** A shaded stretch of the x axis [from, to), in x units, e.g. minutes over the goal. */
export interface ShadedRange {
  label: string;
  from: number;
  to: number;
}

export interface SeriesFigure extends FigureCommon {
  kind: 'series';
  x: SeriesAxis;
  series: Series[];
  lines?: ReferenceLine[];
  ranges?: ShadedRange[];
}

export type EventStatus = 'ok' | 'fail' | 'info' | 'warn';

export interface FigureEvent {
  /** When, as the learner reads it: '+2.4 s', '00:03:10'. */
  at?: string;
  label: string;
  status?: EventStatus;
  detail?: string;
}

export interface EventsFigure extends FigureCommon {
  kind: 'events';
  events: FigureEvent[];
}

export interface Report {
  schemaVersion: 1;
  lab: string;
  status: ReportStatus;
  score: number;
  maxScore: number;
  checks: CheckResult[];
  error?: ReportError;
  durationMs: number;
  engine: Engine;
  grader: string;
  /** Why this engine ran (e.g. "WebContainer boot timed out after 20 s"). */
  engineNote?: string;
}

/** What a host knows about a check before running it. */
export interface CheckInfo {
  id: string;
  title: string;
  step: number;
  maxScore: number;
  visibility: Visibility;
  /** Time limit of this check in milliseconds. */
  timeoutMs?: number;
}

/** A failure code: lower-case words joined by hyphens, like a check id. */
export const FAILURE_CODE = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
export const FAILURE_CODE_MAX_LENGTH = 64;

/**
 * A result without what the code did (calls, state, output, figures): the verdict and message,
 * for where room is short (a batch in memory, a browser's full storage).
 */
export function withoutDetails(result: CheckResult): CheckResult {
  const { trace: _trace, traceOmitted: _traceOmitted, state: _state, output: _output, figures: _figures, figuresOmitted: _figuresOmitted, ...verdict } = result;
  return verdict;
}

export function reportStatus(checks: readonly CheckResult[], error?: ReportError): ReportStatus {
  if (error) return 'error';
  return checks.every((c) => c.status === 'pass') ? 'pass' : 'fail';
}

/** Round to 4 decimals so partial scores add up without float noise. */
export function addScores(values: readonly number[]): number {
  return Math.round(values.reduce((a, b) => a + b, 0) * 1e4) / 1e4;
}

export function assembleReport(input: {
  lab: string;
  checks: readonly CheckInfo[];
  results: readonly CheckResult[];
  error?: ReportError;
  durationMs: number;
  engine: Engine;
  grader: string;
  engineNote?: string;
}): Report {
  const byId = new Map(input.results.map((r) => [r.id, r]));
  // Keep the lab's order whatever order the results arrived in.
  const checks: CheckResult[] = input.checks.map(
    (c) =>
      (input.error ? undefined : byId.get(c.id)) ?? {
        id: c.id,
        title: c.title,
        step: c.step,
        maxScore: c.maxScore,
        visibility: c.visibility,
        status: 'error',
        score: 0,
        message: input.error
          ? 'Not graded: the submission could not be loaded (see the error above).'
          : 'This check did not run: the grader stopped before reaching it.',
        durationMs: 0,
      },
  );
  const maxScore = addScores(input.checks.map((c) => c.maxScore));
  const report: Report = {
    schemaVersion: 1,
    lab: input.lab,
    status: reportStatus(checks, input.error),
    score: input.error ? 0 : addScores(checks.map((c) => c.score)),
    maxScore,
    checks,
    durationMs: Math.round(input.durationMs),
    engine: input.engine,
    grader: input.grader,
  };
  if (input.error) report.error = input.error;
  if (input.engineNote) report.engineNote = input.engineNote;
  return report;
}
