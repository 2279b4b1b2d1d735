// A state machine definition as Step Functions judges it at CreateStateMachine: asl-validator's
// JSON schemas and checks (the kept validator, 4.0.0, Apache-2.0), each problem as AWS words
// it: "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: … at /States/Train/Retry'".
//
// Why not call aslValidator() itself: it builds and compiles a new Ajv from its 15 schemas on
// every call, 0.3–0.8 s on a quiet machine (2 s loaded), and a check must finish well under a
// second. This runs the same schemas through one validator (asl-schema.ts: precompiled in a lab
// bundle, compiled once per realm elsewhere), then the same checks validator.js runs, in its
// order, with its error selection; tests/aws/sfn.test.ts holds the two to the same verdicts and
// messages.

import type { ErrorObject } from 'ajv';
import payloadTemplates from 'asl-validator/dist/src/checks/duplicate-payload-template-fields.js';
import duplicateNames from 'asl-validator/dist/src/checks/duplicate-state-names-errors.js';
import terminals from 'asl-validator/dist/src/checks/missing-terminal-state-errors.js';
import targets from 'asl-validator/dist/src/checks/missing-transition-target-errors.js';
import stateChecksModule from 'asl-validator/dist/src/checks/state-checks.js';
import transitions from 'asl-validator/dist/src/checks/state-transitions-errors.js';
import { aslSchemaValidator } from './asl-schema.ts';

/** A state of a definition, loosely: the fields this fake reads; the validator checks the rest. */
export interface AslState {
  Type: string;
  Resource?: string;
  Next?: string;
  End?: boolean;
  Parameters?: unknown;
  ResultPath?: string | null;
  TimeoutSeconds?: number;
  TimeoutSecondsPath?: string;
  HeartbeatSeconds?: number;
  HeartbeatSecondsPath?: string;
  Retry?: AslRetrier[];
  Catch?: AslCatcher[];
  Choices?: AslChoiceRule[];
  Default?: string;
  Branches?: AslDefinition[];
  Iterator?: AslDefinition;
  ItemProcessor?: AslDefinition;
  Seconds?: number;
  SecondsPath?: string;
  Timestamp?: string;
  TimestampPath?: string;
  InputPath?: string | null;
  OutputPath?: string | null;
  Error?: string;
  Cause?: string;
  QueryLanguage?: string;
  [field: string]: unknown;
}

export interface AslRetrier {
  ErrorEquals: string[];
  IntervalSeconds?: number;
  MaxAttempts?: number;
  BackoffRate?: number;
  MaxDelaySeconds?: number;
  JitterStrategy?: 'FULL' | 'NONE';
}

export interface AslCatcher {
  ErrorEquals: string[];
  Next: string;
  ResultPath?: string | null;
}

export type AslChoiceRule = Record<string, unknown>;

export interface AslDefinition {
  StartAt: string;
  States: Record<string, AslState>;
  Comment?: string;
  TimeoutSeconds?: number;
  QueryLanguage?: string;
  [field: string]: unknown;
}

/** One problem, as asl-validator (and Step Functions) names it: 'SCHEMA_VALIDATION_FAILED: …'. */
export interface DefinitionProblem {
  code: string;
  message: string;
}

/** asl-validator's json-schema-errors.js: the deepest errors only, oneOf ones preferred, no duplicates. */
function schemaErrors(definition: unknown): DefinitionProblem[] {
  const validate = aslSchemaValidator();
  if (validate(definition)) return [];
  const all = (validate.errors ?? []) as ErrorObject[];
  let deepest = 0;
  let selected: ErrorObject[] = [];
  for (const error of all) {
    const depth = error.instancePath.split('/').length;
    if (depth === deepest) selected.push(error);
    else if (depth > deepest) selected = [error];
    deepest = Math.max(deepest, depth);
  }
  const oneOfPaths = new Set(selected.filter((e) => e.keyword === 'oneOf').map((e) => e.instancePath));
  const seen = new Set<string>();
  const problems: DefinitionProblem[] = [];
  for (const error of selected) {
    if (error.keyword !== 'oneOf' && oneOfPaths.has(error.instancePath)) continue;
    const key = `${decodeURIComponent(error.schemaPath)}|${error.instancePath}`;
    if (seen.has(key)) continue;
    seen.add(key);
    problems.push({ code: 'SCHEMA_VALIDATION_FAILED', message: `${error.instancePath} is invalid. ${error.message ?? ''}` });
  }
  return problems;
}

/** validator.js's per-state checks, in its order. */
function perStateChecks(): AslStateCheck[] {
  const { AtMostOne, ExactlyOne, IsTask, IsMap, IsWait, IsFail, IsSucceed, IsChoice } = stateChecksModule;
  return [
    { filter: IsTask, checker: AtMostOne({ props: ['TimeoutSeconds', 'TimeoutSecondsPath'], errorCode: 'TASK_TIMEOUT' }) },
    { filter: IsTask, checker: AtMostOne({ props: ['HeartbeatSeconds', 'HeartbeatSecondsPath'], errorCode: 'TASK_HEARTBEAT' }) },
    { filter: IsMap, checker: ExactlyOne({ props: ['ItemProcessor', 'Iterator'], errorCode: 'MAP_ITEM_PROCESSOR' }) },
    { filter: IsMap, checker: AtMostOne({ props: ['ItemSelector', 'Parameters'], errorCode: 'MAP_ITEM_SELECTOR' }) },
    { filter: IsWait, checker: ExactlyOne({ props: ['Seconds', 'SecondsPath', 'Timestamp', 'TimestampPath'], errorCode: 'WAIT_DURATION' }) },
    {
      filter: (entry) => !(IsSucceed(entry) || IsFail(entry) || IsChoice(entry)),
      checker: ExactlyOne({ props: ['End', 'Next'], errorCode: 'TERMINAL_STATE_WITH_NEXT' }),
    },
    { filter: IsMap, checker: AtMostOne({ props: ['ToleratedFailureCount', 'ToleratedFailureCountPath'], errorCode: 'MAP_TOLERATED_FAILURE' }) },
    { filter: IsMap, checker: AtMostOne({ props: ['ToleratedFailurePercentage', 'ToleratedFailurePercentagePath'], errorCode: 'MAP_TOLERATED_FAILURE' }) },
    { filter: IsMap, checker: AtMostOne({ props: ['MaxConcurrency', 'MaxConcurrencyPath'], errorCode: 'MAP_CONCURRENCY_ERROR' }) },
    { filter: IsMap, checker: AtMostOne({ props: ['Items', 'ItemsPath'], errorCode: 'MAP_ITEMS_ERROR' }) },
    { filter: IsMap, checker: AtMostOne({ props: ['MaxItems', 'MaxItemsPath'], path: '$.ItemReader.ReaderConfig', errorCode: 'MAP_ITEMREADER_MAXITEM' }) },
    { filter: IsMap, checker: AtMostOne({ props: ['MaxItemsPerBatch', 'MaxItemsPerBatchPath'], path: '$.ItemBatcher', errorCode: 'MAP_ITEM_BATCHER' }) },
    { filter: IsMap, checker: AtMostOne({ props: ['MaxInputBytesPerBatch', 'MaxInputBytesPerBatchPath'], path: '$.ItemBatcher', errorCode: 'MAP_ITEM_BATCHER' }) },
    { filter: IsFail, checker: AtMostOne({ props: ['Cause', 'CausePath'], errorCode: 'FAIL_CAUSE_PROPERTY' }) },
    { filter: IsFail, checker: AtMostOne({ props: ['Error', 'ErrorPath'], errorCode: 'FAIL_ERROR_PROPERTY' }) },
  ];
}

function asProblems(found: readonly AslValidatorError[]): DefinitionProblem[] {
  return found.map((e) => ({ code: e['Error code'], message: e.Message }));
}

/** Every States object of a definition, nested ones (Parallel branches, Map processors) included. */
export function statesObjects(definition: unknown): Record<string, AslState>[] {
  const found: Record<string, AslState>[] = [];
  const walk = (value: unknown): void => {
    if (!value || typeof value !== 'object') return;
    if (Array.isArray(value)) {
      value.forEach(walk);
      return;
    }
    for (const [key, inner] of Object.entries(value)) {
      if (key === 'States' && inner && typeof inner === 'object' && !Array.isArray(inner)) found.push(inner as Record<string, AslState>);
      walk(inner);
    }
  };
  walk(definition);
  return found;
}

/**
 * The problems asl-validator 4.0.0 finds in `definition` (with path and ARN checks on), in its
 * words; [] when it is valid. `definition` is not changed.
 */
export function definitionProblems(definition: unknown): DefinitionProblem[] {
  if (!definition || typeof definition !== 'object' || Array.isArray(definition)) {
    return [{ code: 'SCHEMA_VALIDATION_FAILED', message: ' is invalid. must be object' }];
  }
  // validator.js gives every state the definition's QueryLanguage (default JSONPath) first; it
  // writes into the definition, so this works on a copy.
  const copy = structuredClone(definition) as AslDefinition;
  const language = copy.QueryLanguage ?? 'JSONPath';
  for (const states of statesObjects(copy)) {
    for (const s of Object.values(states)) {
      if (s && typeof s === 'object' && !s.QueryLanguage) s.QueryLanguage = language;
    }
  }
  const problems = schemaErrors(copy);
  if (problems.length) return problems;
  return [
    ...asProblems(targets.missingTransitionTargetErrors(copy)),
    ...asProblems(transitions.stateTransitionsErrors(copy)),
    ...asProblems(duplicateNames.duplicateStateNames(copy)),
    ...asProblems(terminals.missingTerminalStateErrors(copy)),
    ...asProblems(payloadTemplates.mustNotHaveDuplicateFieldNamesAfterEvaluation(copy)),
    ...asProblems(stateChecksModule.stateChecks(copy, { checkPaths: true, checkArn: true }, perStateChecks())),
  ];
}

/** "SCHEMA_VALIDATION_FAILED: /States/Train is invalid. …", as Step Functions lists a problem. */
export function describeProblem(problem: DefinitionProblem): string {
  return `${problem.code}: ${problem.message}`;
}
