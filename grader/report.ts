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
