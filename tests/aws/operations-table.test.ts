// The table of operations in docs/fakes.md is written from the fakes (each operation's `doc`);
// it must say what the code does today.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../catalog/labs.ts';
import { createAwsEnv } from '../../grader/aws/env.ts';
import { BUILT_IN_FAKES, TABLE_END, TABLE_START, renderOperationsTable, withCurrentTable } from '../../grader/aws/operations-table.ts';

const DOC = join(REPO_ROOT, 'docs', 'fakes.md');

describe('the table of every fake’s operations', () => {
  it('is current in docs/fakes.md', () => {
    const committed = readFileSync(DOC, 'utf8');
    const current = withCurrentTable(committed);
    if (current !== committed) {
      expect.fail('docs/fakes.md lists operations that are not what the fakes answer today: run `npm run docs:fakes` and commit docs/fakes.md.');
    }
  });

  it('documents every operation of every built-in fake in one line', () => {
    const env = createAwsEnv({ seed: 0 });
    for (const fake of BUILT_IN_FAKES) {
      const operations = fake.operations(env);
      expect(operations.length, `${fake.className} answers no operation`).toBeGreaterThan(0);
      for (const { operation, doc } of operations) {
        expect(doc.trim(), `${fake.className} ${operation} has no doc`).not.toBe('');
        expect(doc, `${fake.className} ${operation}: one line`).not.toMatch(/\n/);
      }
    }
  });

  it('has a row per operation, under a heading per fake', () => {
    const table = renderOperationsTable();
    expect(table).toContain('### S3: `FakeS3`');
    expect(table).toMatch(/^\| `ListObjectsV2` \| Lists ≤ 1,000 keys a page/m);
    expect(table).toMatch(/^\| `DescribeInstanceTypes` \| /m);
    expect(table).toMatch(/^\| `SimulateCustomPolicy` \| /m);
  });

  it('refuses a document without the markers, naming them', () => {
    expect(() => withCurrentTable('# no markers')).toThrow(TABLE_START);
    expect(() => withCurrentTable(`${TABLE_END}\n${TABLE_START}`)).toThrow(/in that order/);
  });
});
