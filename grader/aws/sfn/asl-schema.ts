// asl-validator 4.0.0's JSON schemas (the kept validator, Apache-2.0) as one Ajv validator.
//
// Compiling them takes 0.6 s on a quiet machine and more than a second in a grading process, on
// every grading of a lab that creates a state machine. So a lab bundle does not compile them: its
// build replaces this module with Ajv's standalone code for the same schemas, options and formats
// (grader/aws/sfn/bundle-plugin.ts), generated once per bundle build. Unbundled (tests, tools) it
// compiles at the first call, once per realm. tests/aws/sfn.test.ts holds the two to the same
// verdicts and errors.

import Ajv from 'ajv';
import type { CodeOptions, ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import baseStateMachine from 'asl-validator/dist/src/schemas/base-state-machine.json' with { type: 'json' };
import choice from 'asl-validator/dist/src/schemas/choice.json' with { type: 'json' };
import common from 'asl-validator/dist/src/schemas/common.json' with { type: 'json' };
import errors from 'asl-validator/dist/src/schemas/errors.json' with { type: 'json' };
import fail from 'asl-validator/dist/src/schemas/fail.json' with { type: 'json' };
import jsonata from 'asl-validator/dist/src/schemas/jsonata.json' with { type: 'json' };
import map from 'asl-validator/dist/src/schemas/map.json' with { type: 'json' };
import parallel from 'asl-validator/dist/src/schemas/parallel.json' with { type: 'json' };
import pass from 'asl-validator/dist/src/schemas/pass.json' with { type: 'json' };
import paths from 'asl-validator/dist/src/schemas/paths.json' with { type: 'json' };
import stateMachine from 'asl-validator/dist/src/schemas/state-machine.json' with { type: 'json' };
import state from 'asl-validator/dist/src/schemas/state.json' with { type: 'json' };
import succeed from 'asl-validator/dist/src/schemas/succeed.json' with { type: 'json' };
import task from 'asl-validator/dist/src/schemas/task.json' with { type: 'json' };
import wait from 'asl-validator/dist/src/schemas/wait.json' with { type: 'json' };
import { ASL_CUSTOM_FORMATS } from './asl-formats.ts';

const SCHEMAS = [common, paths, jsonata, choice, fail, parallel, pass, baseStateMachine, stateMachine, state, succeed, task, wait, map, errors];

/** The schema a whole definition is validated against. */
export const ASL_ROOT = 'http://asl-validator.cloud/state-machine.json#';

/**
 * An Ajv holding asl-validator's schemas and formats, as its validator.js sets one up. `code`
 * is for the bundle build (standalone source, where formats are looked up).
 */
export function aslAjv(code?: CodeOptions): Ajv {
  const ajv = new Ajv({ schemas: SCHEMAS as object[], allowUnionTypes: true, ...(code ? { code } : {}) });
  addFormats(ajv);
  for (const [name, format] of Object.entries(ASL_CUSTOM_FORMATS)) ajv.addFormat(name, format);
  return ajv;
}

let compiled: ValidateFunction | undefined;

/** The validator of a whole definition; validating takes about a millisecond. */
export function aslSchemaValidator(): ValidateFunction {
  compiled ??= aslAjv().getSchema(ASL_ROOT)!;
  return compiled;
}
