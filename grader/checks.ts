// The checks API lab authors write against. A lab's checks.ts reads like a test file:
//
//   export const lab = defineLab({ aws: (env) => ({ s3: new FakeS3(env) }) });
//   export default lab.checks(({ step, check }) => {
//     step(1, () => {
//       check('utc-day', 'Partition keys use the UTC day', async ({ submission, aws, expect }) => {
//         const { partitionPrefix } = submission.load<Partition>('partition.ts');
//         expect(partitionPrefix(event), 'prefix of an event at 23:30 -08:00').toBe('raw/web/…/day=16/');
//       });
//     });
//   });
//
// Hidden checks live in hidden/checks.ts, import `lab` from ../checks.ts and call lab.checks()
// the same way; the bundler decides which files reach which audience.

import type { ExpectStatic } from '@vitest/expect';
import type { AwsEnv } from './aws/env.ts';
import { FAILURE_CODE, FAILURE_CODE_MAX_LENGTH } from './report.ts';

export type { ExpectStatic };

/** The learner's files, loaded fresh for every check so no state leaks between checks. */
export interface Submission {
  /** The files as the learner wrote them, by name (e.g. 'partition.ts'). */
  readonly files: Readonly<Record<string, string>>;
  /** Evaluate a file of the submission as a module and return its exports. */
  load<T = Record<string, unknown>>(file: string): T;
  /**
   * Another, independent instance of the learner's modules, as a new process would load them
   * (e.g. the next Spot instance): module-level state of this one is not shared.
   */
  fresh(): Submission;
}

export interface CheckContext<W> {
  submission: Submission;
  /** The fake AWS world of this check, as the lab's `aws` factory built it. */
  aws: W;
  /** Trace, simulated clock, seeded randomness and fault plan shared by the fakes. */
  env: AwsEnv;
  expect: ExpectStatic;
  /** The seed of this run: fixtures built from it vary between runs but repeat exactly. */
  seed: number;
  /**
   * Fail the check with a message for the learner: what was expected, what their code did.
   * `code` names the mistake (e.g. 'one-object-per-event') so that an instructor's item analysis
   * counts every learner who made it together, whatever values their messages name.
   */
  fail(message: string, options?: FailOptions): never;
  /** A learner-facing note shown with the result even when the check passes. */
  note(message: string): void;
}

export type CheckFn<W> = (context: CheckContext<W>) => void | Promise<void>;

export interface CheckOptions {
  /** Points this check is worth (default 1). */
  points?: number;
  /** Per-check time limit in milliseconds (default: the lab's, else 2000). */
  timeoutMs?: number;
}

export interface CheckDefinition<W> {
  id: string;
  title: string;
  step: number;
  points: number;
  timeoutMs?: number;
  run: CheckFn<W>;
}

export interface LabDefinition<W> {
  /** Builds the fake AWS world for one check. Called once per check with a fresh env. */
  aws: (env: AwsEnv) => W;
  /** Summarise the world for the report ("resulting state"); undefined leaves it out. */
  state?: (aws: W) => Record<string, unknown> | undefined;
}

export interface CheckSuite<W> {
  readonly lab: LabDefinition<W>;
  readonly checks: readonly CheckDefinition<W>[];
}

export interface SuiteBuilder<W> {
  step(step: number, body: () => void): void;
  check(id: string, title: string, run: CheckFn<W>, options?: CheckOptions): void;
}

export interface FailOptions {
  /** Lower-case words joined by hyphens, like a check id. */
  code?: string;
}

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

export class CheckDefinitionError extends Error {
  override name = 'CheckDefinitionError';
}

const ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export interface Lab<W> {
  readonly definition: LabDefinition<W>;
  checks(body: (builder: SuiteBuilder<W>) => void): CheckSuite<W>;
}

export function defineLab<W>(definition: LabDefinition<W>): Lab<W> {
  return {
    definition,
    checks(body) {
      const checks: CheckDefinition<W>[] = [];
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
