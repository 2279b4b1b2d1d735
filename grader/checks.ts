// The checks API lab authors write against, imported as `whetstone/checks`. A lab says once
// what every check starts from, then declares one check per rule of its steps:
//
//   import type * as Partition from './starter/partition.ts';
//
//   export const lab = defineLab({
//     aws: (env) => ({ s3: new FakeS3(env) }),
//     open: ({ aws, submission }) => {
//       aws.s3.createBucket(BUCKET);
//       return { fake: aws.s3, s3: aws.s3.client(), lake: submission.load<typeof Partition>('partition.ts') };
//     },
//   });
//
//   export default lab.checks(({ step, check }) => {
//     step(1, () => {
//       check('prefix-utc-day', 'The partition is the UTC day of the event', ({ lake }) => expectPrefixes(lake, UTC_CASES));
//     });
//   });
//
// A check fails with fail('what was expected, what their code did'), usually from a named helper
// of the lab built with the message words below (count, list, describe…); it can show() what it
// measured as a table, a chart over time or a list of events (grader/figures.ts). Hidden checks live
// in hidden/checks.ts, import `lab` from ../checks.ts and call lab.checks() the same way; the
// bundler decides which files reach which audience.

import type { AwsEnv } from './aws/env.ts';
import type { FigureSpec } from './figures.ts';
import { describe } from './messages.ts';
import { isNotImplemented } from './unfinished.ts';
import { FAILURE_CODE, FAILURE_CODE_MAX_LENGTH } from './report.ts';

export { clip, count, describe, describeCall, describeThrown, duration, list, ranges } from './messages.ts';
export { between, hex, pick, shuffle } from './seeded.ts';
export type { Random } from './seeded.ts';
export { isNotImplemented } from './unfinished.ts';
export type { TraceEntry } from './report.ts';
export { FIGURE_CAPS, spansWhere } from './figures.ts';
export type { EventsSpec, FigureSpec, SeriesSpec, TableSpec } from './figures.ts';
export type { EventStatus, FigureEvent, ShadedRange, TableCell, TableColumn } from './report.ts';

/** The learner's files, loaded fresh for every check so no state leaks between checks. */
export interface Submission {
  /** The files as the learner wrote them, by name (e.g. 'partition.ts'). */
  readonly files: Readonly<Record<string, string>>;
  /**
   * Evaluate a file of the submission as a module and return its exports, typed from the
   * starter: `submission.load<typeof Partition>('partition.ts')` with
   * `import type * as Partition from './starter/partition.ts'`.
   */
  load<T = Record<string, unknown>>(file: string): T;
  /**
   * Another, independent instance of the learner's modules, as a new process would load them
   * (e.g. the next Spot instance): module-level state of this one is not shared.
   */
  fresh(): Submission;
}

/** What the runtime gives every check (and the lab's `open`). */
export interface BaseContext<W> {
  submission: Submission;
  /** The fake AWS world of this check, as the lab's `aws` factory built it. */
  aws: W;
  /** Trace, simulated clock, seeded randomness and fault plan shared by the fakes. */
  env: AwsEnv;
  /** The seed of this check: fixtures built from it vary between runs but repeat exactly. */
  seed: number;
  /**
   * Fail the check with a message for the learner: what was expected, what their code did.
   * `code` names the mistake (e.g. 'one-object-per-event') so that an instructor's item analysis
   * counts every learner who made it together, whatever values their messages name.
   */
  fail(message: string, options?: FailOptions): never;
  /** A learner-facing note shown with the result even when the check passes. */
  note(message: string): void;
  /**
   * Show a figure with the result, whether the check passes or fails: a table, values over a
   * regular x axis (a chart on the lab page, a summary in a terminal) or a list of events.
   * It is copied at once (later changes to what you passed do not reach the report) and capped
   * (grader/figures.ts, FIGURE_CAPS): past 6 figures a check's further ones are left out.
   */
  show(figure: FigureSpec): void;
}

/** A check's context: the runtime's part and what the lab's `open` built for this check. */
export type CheckContext<W, F = {}> = BaseContext<W> & F;

/** A check: it passes when it returns (whatever it returns), fails on fail(), errs on any other throw. */
export type CheckFn<W, F = {}> = (context: CheckContext<W, F>) => unknown;

export interface CheckOptions {
  /** Points this check is worth (default 1). */
  points?: number;
  /** Per-check time limit in milliseconds (default: the lab's, else 2000). */
  timeoutMs?: number;
}

export interface CheckDefinition<W, F = {}> {
  id: string;
  title: string;
  step: number;
  points: number;
  timeoutMs?: number;
  run: CheckFn<W, F>;
}

export interface LabDefinition<W, F = {}> {
  /** Builds the fake AWS world for one check. Called once per check with a fresh env. */
  aws: (env: AwsEnv) => W;
  /**
   * What every check starts from, built before each check (a bucket created, a client, the
   * learner's module loaded); its properties join the check's context. It runs under the
   * check's time limit, and what it throws counts like a throw in the check.
   */
  open?: (context: BaseContext<W>) => F;
  /**
   * Summarise the world for the report ("resulting state"); undefined leaves it out. Without
   * it, every fake's snapshot() is shown after a check in which the learner's code called AWS.
   */
  state?: (aws: W) => Record<string, unknown> | undefined;
}

export interface CheckSuite<W, F = {}> {
  readonly lab: LabDefinition<W, F>;
  readonly checks: readonly CheckDefinition<W, F>[];
}

export interface SuiteBuilder<W, F = {}> {
  step(step: number, body: () => void): void;
  check(id: string, title: string, run: CheckFn<W, F>, options?: CheckOptions): void;
}

export interface FailOptions {
  /** Lower-case words joined by hyphens, like a check id. */
  code?: string;
}

/** A failed check: the message says what was expected and what the learner's code did. */
export class CheckFailure extends Error {
  override name = 'CheckFailure';
  readonly code: string | undefined;

  constructor(message: string, options: FailOptions = {}) {
    super(message);
    if (options.code !== undefined && (!FAILURE_CODE.test(options.code) || options.code.length > FAILURE_CODE_MAX_LENGTH)) {
      // The author's mistake, not the learner's: it surfaces in `whetstone check`.
      throw new CheckDefinitionError(`fail(…, { code: ${JSON.stringify(options.code)} }): a code is lower-case words joined by hyphens, at most ${FAILURE_CODE_MAX_LENGTH} characters, e.g. 'one-object-per-event'.`);
    }
    this.code = options.code;
  }
}

/**
 * A check that met the starter's "Not implemented yet" where it expected an Error of the
 * learner's own: it fails, and the runtime reports the step as not done yet.
 */
export class StepNotDone extends CheckFailure {
  override name = 'StepNotDone';
  readonly error: Error;
  constructor(error: Error) {
    super(error.message);
    this.error = error;
  }
}

export class CheckDefinitionError extends Error {
  override name = 'CheckDefinitionError';
}

/** Fail the check with a message for the learner. Helpers call it directly; no context needed. */
export function fail(message: string, options?: FailOptions): never {
  throw new CheckFailure(message, options);
}

const ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export interface Lab<W, F = {}> {
  readonly definition: LabDefinition<W, F>;
  checks(body: (builder: SuiteBuilder<W, F>) => void): CheckSuite<W, F>;
}

/** The context of a lab's checks, for its helpers: `(ctx: ContextOf<typeof lab>) => …`. */
export type ContextOf<L> = L extends Lab<infer W, infer F> ? CheckContext<W, F> : never;

export function defineLab<W, F extends object = {}>(definition: LabDefinition<W, F>): Lab<W, F> {
  return {
    definition,
    checks(body) {
      const checks: CheckDefinition<W, F>[] = [];
      let currentStep: number | undefined;
      body({
        step(step, inner) {
          if (!Number.isInteger(step) || step < 1) {
            throw new CheckDefinitionError(`step(${String(step)}): steps are numbered 1, 2, 3… as in steps/NN-*.md.`);
          }
          if (currentStep !== undefined) throw new CheckDefinitionError(`step(${step}) is nested inside step(${currentStep}).`);
          currentStep = step;
          try {
            inner();
          } finally {
            currentStep = undefined;
          }
        },
        check(id, title, run, options = {}) {
          if (currentStep === undefined) {
            throw new CheckDefinitionError(`check('${id}') must be declared inside step(n, () => { … }).`);
          }
          if (!ID.test(id)) {
            throw new CheckDefinitionError(`check('${id}'): ids are lower-case words joined by hyphens, e.g. 'utc-day'.`);
          }
          if (checks.some((c) => c.id === id)) throw new CheckDefinitionError(`check('${id}') is declared twice.`);
          const points = options.points ?? 1;
          if (!(points > 0)) throw new CheckDefinitionError(`check('${id}'): points must be above 0.`);
          checks.push({ id, title, step: currentStep, points, timeoutMs: options.timeoutMs, run });
        },
      });
      return { lab: definition, checks };
    },
  };
}

export interface ThrowsExpectation {
  /** The situation, as the sentence starts: "For the timestamp 'yesterday'". */
  when: string;
  /** The learner's function, as they know it: 'partitionPrefix'. */
  call: string;
  /** The Error's message must contain this value (e.g. the bad timestamp), so the bad input can be found. */
  naming?: { value: string; what: string };
  /** Why it must throw, said when it returned instead. */
  because: string;
}

/**
 * Call the learner's `fn` expecting it to throw (or reject with) an Error; fail, saying so in
 * the learner's terms, when it returns, throws something that is not an Error, or throws one
 * whose message does not name `naming.value`. The starter's "Not implemented yet" fails it as a
 * step not done yet, not as a message that names nothing.
 * Returns the Error.
 */
export async function expectThrows(fn: () => unknown, expectation: ThrowsExpectation): Promise<Error> {
  const { when, call, naming, because } = expectation;
  let returned: unknown;
  try {
    returned = await fn();
  } catch (error) {
    if (isNotImplemented(error)) throw new StepNotDone(error);
    if (!(error instanceof Error)) {
      fail(`${when}, ${call} threw ${describe(error)}; throw an Error (new Error('…')) so callers get a message and a stack.`);
    }
    if (naming && !String(error.message).includes(naming.value)) {
      fail(`${when}, ${call} threw "${error.message}", which does not name ${naming.what}: put '${naming.value}' in the message so the bad input can be found.`);
    }
    return error;
  }
  return fail(`${when}, ${call} returned ${describe(returned)} instead of throwing. ${because}`);
}
