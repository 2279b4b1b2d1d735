// Validate reports against the published JSON Schema (grader/report.schema.json).

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { REPO_ROOT } from '../../catalog/labs.ts';

const schema = JSON.parse(readFileSync(join(REPO_ROOT, 'grader', 'report.schema.json'), 'utf8')) as object;
const validate = new Ajv2020({ allErrors: true, strict: false }).compile(schema);

/** Problems with a report, as 'path: message' lines; empty when it is valid. */
export function reportSchemaErrors(report: unknown): string[] {
  if (validate(report)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || '(root)'}: ${e.message ?? 'invalid'}`);
}
