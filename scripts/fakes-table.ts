// `npm run docs:fakes`: write the table of every fake's operations into docs/fakes.md, from the
// fakes themselves (grader/aws/operations-table.ts). tests/aws/operations-table.test.ts fails
// when the committed table is stale.

import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { withCurrentTable } from '../grader/aws/operations-table.ts';

const file = fileURLToPath(new URL('../docs/fakes.md', import.meta.url));
const before = readFileSync(file, 'utf8');
const after = withCurrentTable(before);
if (after === before) {
  console.log('docs/fakes.md: the table of operations is current.');
} else {
  writeFileSync(file, after);
  console.log('docs/fakes.md: table of operations rewritten.');
}
