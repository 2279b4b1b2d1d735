// The .patch file an anti-solution or an alternative is kept as: a header a person writes, a diff
// jsdiff makes and applies, and errors that name the file, the line and what to do.

import { describe, expect, it } from 'vitest';
import { PatchError, applyVariantPatch, formatVariantPatch, headerField, parseVariantPatch, withFails } from '../../catalog/variant-patch.ts';
import type { ApplyTarget, VariantKind } from '../../catalog/variant-patch.ts';

const solution = {
  'calc.ts': ['// The reference solution.', 'export function add(a: number, b: number): number {', '  return a + b;', '}', '', 'export function square(n: number): number {', '  return n * n;', '}', ''].join('\n'),
};
const subtracts = { 'calc.ts': solution['calc.ts'].replace('return a + b;', 'return a - b;') };
const LABEL = 'labs/mini/wrong/subtracts.patch';
const target: ApplyTarget = {
  label: LABEL,
  lab: 'mini',
  solution,
  solutionLabel: 'labs/mini/solution',
  learnerFiles: ['calc.ts'],
  regenerate: 'whetstone new-wrong mini subtracts --from <edited copy> --replace',
};

const wrongPatch = formatVariantPatch({ kind: 'wrong', why: 'Subtracts instead of adding.', fails: ['adds', 'adds-negatives'], solution, edited: subtracts });

/** The problems a patch text has, as a PatchError lists them. */
function problemsOf(text: string, kind: VariantKind = 'wrong', options: { requireFails?: boolean } = {}): string[] {
  try {
    parseVariantPatch(text, { label: LABEL, kind, ...options });
  } catch (error) {
    if (error instanceof PatchError) return error.details;
    throw error;
  }
  return [];
}

describe('a variant patch', () => {
  it('is a short header, a blank line and a git-style diff against the solution', () => {
    expect(wrongPatch).toBe(
      [
        'why: Subtracts instead of adding.',
        'fails: adds, adds-negatives',
        '',
        '--- a/calc.ts',
        '+++ b/calc.ts',
        '@@ -1,6 +1,6 @@',
        ' // The reference solution.',
        ' export function add(a: number, b: number): number {',
        '-  return a + b;',
        '+  return a - b;',
        ' }',
        ' ',
        ' export function square(n: number): number {',
        '',
      ].join('\n'),
    );
  });

  it('reads back to the header it was written with and the learner files it was made from', () => {
    const patch = parseVariantPatch(wrongPatch, { label: LABEL, kind: 'wrong' });
    expect(patch).toMatchObject({ why: 'Subtracts instead of adding.', fails: ['adds', 'adds-negatives'], hunkLines: [[6]] });
    expect(applyVariantPatch(patch, target)).toEqual(subtracts);
  });

  it('says an alternative passes every check, and leaves files it does not change as in the solution', () => {
    const two = { ...solution, 'extra.ts': 'export const x = 1;\n' };
    const text = formatVariantPatch({ kind: 'alternatives', why: 'Adds the other way round.', solution: two, edited: { 'calc.ts': solution['calc.ts'].replace('a + b', 'b + a') } });
    expect(text.split('\n').slice(0, 3)).toEqual(['why: Adds the other way round.', 'passes: every check', '']);
    const files = applyVariantPatch(parseVariantPatch(text, { label: 'labs/mini/alternatives/flip.patch', kind: 'alternatives' }), { ...target, solution: two, learnerFiles: ['calc.ts', 'extra.ts'] });
    expect(files['extra.ts']).toBe(two['extra.ts']);
    expect(files['calc.ts']).toContain('return b + a;');
  });

  it('wraps a long value at 100 columns, continued on indented lines, and reads it back as one sentence', () => {
    const why = 'Reads only the first ListObjectsV2 page of every listing, so partitions and sources past the first thousand keys are ignored everywhere.';
    const lines = headerField('why', why);
    expect(lines.length).toBe(2);
    expect(lines.every((line) => line.length <= 100)).toBe(true);
    expect(lines[1]).toMatch(/^ {2}\S/);
    const text = formatVariantPatch({ kind: 'wrong', why, fails: ['a'], solution, edited: subtracts });
    expect(parseVariantPatch(text, { label: LABEL, kind: 'wrong' }).why).toBe(why);
  });

  it('takes a diff git made, with its diff --git and index lines', () => {
    const git = `why: Subtracts.\nfails: adds\n\ndiff --git a/calc.ts b/calc.ts\nindex 3b18e51..b2c4a8e 100644\n${wrongPatch.slice(wrongPatch.indexOf('--- a/'))}`;
    expect(applyVariantPatch(parseVariantPatch(git, { label: LABEL, kind: 'wrong' }), target)).toEqual(subtracts);
  });

  it('rewrites fails: in place, or adds it after why: when it is missing', () => {
    const patch = parseVariantPatch(wrongPatch, { label: LABEL, kind: 'wrong' });
    const rewritten = withFails(patch, ['adds', 'adds-negatives', 'adds-large']);
    expect(rewritten.split('\n').slice(0, 2)).toEqual(['why: Subtracts instead of adding.', 'fails: adds, adds-negatives, adds-large']);
    expect(rewritten.slice(rewritten.indexOf('\n--- '))).toBe(wrongPatch.slice(wrongPatch.indexOf('\n--- ')));
    const unlisted = wrongPatch.replace('fails: adds, adds-negatives\n', '');
    const added = withFails(parseVariantPatch(unlisted, { label: LABEL, kind: 'wrong', requireFails: false }), ['adds']);
    expect(added.split('\n').slice(0, 3)).toEqual(['why: Subtracts instead of adding.', 'fails: adds', '']);
  });
});

describe('a variant patch that cannot be used', () => {
  const diff = wrongPatch.slice(wrongPatch.indexOf('--- a/'));

  it('names the line of a header field it does not know, and what the header holds', () => {
    expect(problemsOf(`why: Subtracts.\nfail: adds\n\n${diff}`)).toEqual([
      "labs/mini/wrong/subtracts.patch:2: unknown header field 'fail:'. The header has `why: <the mistake, in one sentence>` and `fails: <check-id>, <check-id>`.",
      "labs/mini/wrong/subtracts.patch: the header has no 'fails:' line: add 'fails: <check-id>, <check-id>' after 'why:', or let `whetstone check <lab> --record` write what the mistake fails.",
    ]);
  });

  it('names a line that is not a field, and a header without why:', () => {
    expect(problemsOf(`Subtracts instead of adding.\nfails: adds\n\n${diff}`)).toEqual([
      "labs/mini/wrong/subtracts.patch:1: 'Subtracts instead of adding.' is not a header field. Before the diff, write `why: <the mistake, in one sentence>` and `fails: <check-id>, <check-id>`; continue a long value on an indented line.",
      "labs/mini/wrong/subtracts.patch:1: the header has no 'why:' line: start the file with 'why: ' and the mistake, in one sentence.",
    ]);
  });

  it('names check ids that are not ids, an empty list and a field given twice', () => {
    expect(problemsOf(`why: Subtracts.\nfails: adds; Adds_Negatives\n\n${diff}`)).toEqual([
      "labs/mini/wrong/subtracts.patch:2: 'adds;' is not a check id (lower-case words and digits joined by hyphens, as in checks.ts); separate ids with commas.",
      "labs/mini/wrong/subtracts.patch:2: 'Adds_Negatives' is not a check id (lower-case words and digits joined by hyphens, as in checks.ts); separate ids with commas.",
    ]);
    expect(problemsOf(`why: Subtracts.\nfails:\n\n${diff}`)).toEqual([
      "labs/mini/wrong/subtracts.patch:2: 'fails:' lists no check: name the checks this mistake must fail, e.g. 'fails: prefix-utc-day, ingest-seeded-batch'.",
    ]);
    expect(problemsOf(`why: Subtracts.\nwhy: Again.\nfails: adds\n\n${diff}`)).toEqual(["labs/mini/wrong/subtracts.patch:2: 'why:' appears twice (first on line 1): keep one."]);
  });

  it('accepts an anti-solution whose fails are not written yet only when asked to (for --record)', () => {
    const unlisted = `why: Subtracts.\n\n${diff}`;
    expect(problemsOf(unlisted)).toHaveLength(1);
    expect(problemsOf(unlisted, 'wrong', { requireFails: false })).toEqual([]);
  });

  it('keeps anti-solutions and alternatives apart', () => {
    expect(problemsOf(`why: Subtracts.\npasses: every check\n\n${diff}`)[0]).toBe(
      "labs/mini/wrong/subtracts.patch:2: 'passes:' does not belong in an anti-solution: a correct solution in another style belongs in alternatives/ with `passes: every check`.",
    );
    expect(problemsOf(`why: Adds.\nfails: adds\n\n${diff}`, 'alternatives')).toEqual([
      "labs/mini/wrong/subtracts.patch:2: 'fails:' does not belong in an alternative: a mistake belongs in wrong/ with the checks it must fail (`fails: …`).",
      "labs/mini/wrong/subtracts.patch: the header has no 'passes:' line: an alternative says 'passes: every check'.",
    ]);
    expect(problemsOf(`why: Adds.\npasses: most checks\n\n${diff}`, 'alternatives')).toEqual([
      "labs/mini/wrong/subtracts.patch:2: 'passes: most checks': an alternative passes every check, so write 'passes: every check'.",
    ]);
  });

  it('says when there is no diff, or a diff edited by hand into nonsense', () => {
    expect(problemsOf('why: Subtracts.\nfails: adds\n')).toEqual([
      "labs/mini/wrong/subtracts.patch: no diff after the header. The file is the header, then a diff against solution/ starting with '--- a/<file>'; `whetstone new-wrong` writes it from an edited copy of the solution.",
    ]);
    const [problem] = problemsOf(`why: Subtracts.\nfails: adds\n\n${diff.replace('\n   return a + b;', '\n-  return a + b;').replace(' export function add', 'export function add')}`);
    expect(problem).toMatch(/^labs\/mini\/wrong\/subtracts\.patch: the diff is malformed \(Hunk at line 6 contained invalid line export function add.*\)\. Do not edit a diff by hand: make it again with `whetstone new-wrong <lab> <name> --from <edited copy> --replace`\.$/);
  });

  it('names the hunk that no longer applies, the line of the solution where it stops fitting and what to run', () => {
    const patch = parseVariantPatch(wrongPatch, { label: LABEL, kind: 'wrong' });
    const changed = { 'calc.ts': solution['calc.ts'].replace('export function add(a: number, b: number): number {', 'export function add(a: number, b: number) {') };
    expect(() => applyVariantPatch(patch, { ...target, solution: changed })).toThrow(
      "labs/mini/wrong/subtracts.patch:6: the hunk '@@ -1,6 +1,6 @@' no longer applies to labs/mini/solution/calc.ts: line 2 is 'export function add(a: number, b: number) {' where the patch expects 'export function add(a: number, b: number): number {'. " +
        'The solution changed under the patch: make the mistake again on a copy of the new solution and run `whetstone new-wrong mini subtracts --from <edited copy> --replace` (or change the solution back).',
    );
  });

  it('still applies when the solution changed elsewhere, as patch and git apply do', () => {
    const patch = parseVariantPatch(wrongPatch, { label: LABEL, kind: 'wrong' });
    const moved = { 'calc.ts': `// One more line on top.\n${solution['calc.ts']}` };
    expect(applyVariantPatch(patch, { ...target, solution: moved })['calc.ts']).toBe(`// One more line on top.\n${subtracts['calc.ts']}`);
  });

  it("refuses a diff of a file that is not one of the lab's learner files, or that creates one", () => {
    const other = wrongPatch.replaceAll('calc.ts', 'partition.ts');
    expect(() => applyVariantPatch(parseVariantPatch(other, { label: LABEL, kind: 'wrong' }), target)).toThrow(
      'labs/mini/wrong/subtracts.patch: the diff changes partition.ts, which is not a learner file of mini (calc.ts). Is it a patch for another lab?',
    );
    const created = wrongPatch.replace('--- a/calc.ts', '--- /dev/null');
    expect(() => applyVariantPatch(parseVariantPatch(created, { label: LABEL, kind: 'wrong' }), target)).toThrow(/does not change one learner file in place/);
  });
});
