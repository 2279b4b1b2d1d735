// The file an anti-solution or an alternative is kept as: a short header a person reads and
// writes, then a unified diff against the lab's solution/. The mistake is the diff itself.
//
//   why: Listings read only the first ListObjectsV2 page, so partitions past it are ignored.
//   fails: list-partitions-past-1000, compact-over-1000-objects
//
//   --- a/partition.ts
//   +++ b/partition.ts
//   @@ -60,12 +60,8 @@ async function listKeys(
//   …
//
// An alternative says `passes: every check` instead of `fails:`. A long value continues on
// indented lines. Diff tools skip everything before the first `--- ` line (as they skip a commit
// message), so `git apply` and `patch -p1` take the file as it is. Making and applying the diff is
// jsdiff's (the `diff` package); this module only parses the header, names files and explains a
// hunk that no longer fits. Pure: text in, text out.

import { FILE_HEADERS_ONLY, applyPatch, formatPatch, parsePatch, structuredPatch } from 'diff';
import type { StructuredPatch, StructuredPatchHunk } from 'diff';
import { LabError } from './labs.ts';

export type VariantKind = 'wrong' | 'alternatives';

/** Check ids, as grader/checks.ts requires them. */
const CHECK_ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
/** Where the header ends and the diff begins. */
const DIFF_START = /^(?:--- |diff --git |Index: )/;
const FIELDS: Record<VariantKind, readonly string[]> = { wrong: ['why', 'fails'], alternatives: ['why', 'passes'] };
const EVERY_CHECK = 'every check';
/** Lines of unchanged code around each change: git's default, enough to place a hunk, short to read. */
const CONTEXT_LINES = 3;
const HEADER_WIDTH = 100;

/** A patch file that cannot be used, with every problem found: `labs/<id>/wrong/<name>.patch:3: …`. */
export class PatchError extends LabError {
  override name = 'PatchError';
  readonly details: string[];
  /** Files the patch changes that are not the lab's learner files: perhaps it is another lab's. */
  readonly foreignFiles: string[];
  constructor(details: string[], foreignFiles: string[] = []) {
    super(details.join('\n'));
    this.details = details;
    this.foreignFiles = foreignFiles;
  }
}

export interface VariantPatch {
  kind: VariantKind;
  /** The mistake (or the other style), in a sentence. */
  why: string;
  /** The checks an anti-solution must fail; undefined while they are not written down yet. */
  fails?: string[];
  /** One jsdiff structured patch per changed file, named `a/<file>` and `b/<file>`. */
  diffs: StructuredPatch[];
  /** The 1-based line of each hunk's `@@` header in the file, in the order of `diffs`. */
  hunkLines: number[][];
  /** Lines (0-based, inclusive) each header field spans, to rewrite one in place. */
  fields: Record<string, { first: number; last: number }>;
  lines: string[];
}

function headerExample(kind: VariantKind): string {
  return kind === 'wrong'
    ? '`why: <the mistake, in one sentence>` and `fails: <check-id>, <check-id>`'
    : '`why: <how this solution differs, in one sentence>` and `passes: every check`';
}

function moveHint(kind: VariantKind): string {
  return kind === 'wrong'
    ? 'a correct solution in another style belongs in alternatives/ with `passes: every check`'
    : 'a mistake belongs in wrong/ with the checks it must fail (`fails: …`)';
}

/** Reads the header and the diff, or throws a PatchError naming each problem's line. */
export function parseVariantPatch(text: string, where: { label: string; kind: VariantKind; requireFails?: boolean }): VariantPatch {
  const { label, kind } = where;
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  const problems: string[] = [];
  const at = (index: number) => `${label}:${index + 1}`;
  const values: Record<string, string> = {};
  const fields: VariantPatch['fields'] = {};
  let current: string | undefined;
  let diffStart = lines.findIndex((line) => DIFF_START.test(line));
  if (diffStart < 0) diffStart = lines.length;
  for (let i = 0; i < diffStart; i++) {
    const line = lines[i]!;
    if (!line.trim()) {
      current = undefined;
      continue;
    }
    const field = /^([A-Za-z][\w-]*):(.*)$/.exec(line);
    if (field) {
      const name = field[1]!.toLowerCase();
      if (!FIELDS[kind].includes(name)) {
        problems.push(
          name === 'fails' || name === 'passes'
            ? `${at(i)}: '${name}:' does not belong in ${kind === 'wrong' ? 'an anti-solution' : 'an alternative'}: ${moveHint(kind)}.`
            : `${at(i)}: unknown header field '${field[1]}:'. The header has ${headerExample(kind)}.`,
        );
        current = undefined;
        continue;
      }
      if (fields[name]) {
        problems.push(`${at(i)}: '${name}:' appears twice (first on line ${fields[name].first + 1}): keep one.`);
        current = undefined;
        continue;
      }
      fields[name] = { first: i, last: i };
      values[name] = field[2]!.trim();
      current = name;
    } else if (/^\s/.test(line) && current) {
      values[current] = `${values[current]} ${line.trim()}`.trim();
      fields[current]!.last = i;
    } else {
      problems.push(
        `${at(i)}: '${line.length > 60 ? `${line.slice(0, 57)}…` : line}' is not a header field. Before the diff, write ${headerExample(kind)}; continue a long value on an indented line.`,
      );
      current = undefined;
    }
  }

  const why = values.why ?? '';
  if (!fields.why) problems.push(`${label}:1: the header has no 'why:' line: start the file with 'why: ' and ${kind === 'wrong' ? 'the mistake' : 'how this solution differs'}, in one sentence.`);
  else if (!why) problems.push(`${at(fields.why.first)}: 'why:' is empty: say ${kind === 'wrong' ? 'the mistake' : 'how this solution differs'} in one sentence.`);

  let fails: string[] | undefined;
  if (kind === 'wrong') {
    if (fields.fails) {
      fails = (values.fails ?? '').split(/[\s,]+/).filter(Boolean);
      const line = at(fields.fails.first);
      if (!fails.length) problems.push(`${line}: 'fails:' lists no check: name the checks this mistake must fail, e.g. 'fails: prefix-utc-day, ingest-seeded-batch'.`);
      for (const id of fails.filter((id) => !CHECK_ID.test(id))) {
        problems.push(`${line}: '${id}' is not a check id (lower-case words and digits joined by hyphens, as in checks.ts); separate ids with commas.`);
      }
      const twice = fails.filter((id, i) => fails!.indexOf(id) !== i);
      if (twice.length) problems.push(`${line}: ${[...new Set(twice)].map((id) => `'${id}'`).join(', ')} listed twice.`);
    } else if (where.requireFails !== false) {
      problems.push(
        `${label}: the header has no 'fails:' line: add 'fails: <check-id>, <check-id>' after 'why:', or let \`whetstone check <lab> --record\` write what the mistake fails.`,
      );
    }
  } else if (!fields.passes) {
    problems.push(`${label}: the header has no 'passes:' line: an alternative says 'passes: every check'.`);
  } else if (values.passes!.replace(/\.$/, '').toLowerCase() !== EVERY_CHECK) {
    problems.push(`${at(fields.passes.first)}: 'passes: ${values.passes}': an alternative passes every check, so write 'passes: every check'.`);
  }

  let diffs: StructuredPatch[] = [];
  try {
    // Parse the whole text so jsdiff's line numbers are the file's; it skips the header.
    diffs = parsePatch(lines.join('\n')).filter((d) => d.hunks.length || d.oldFileName !== undefined);
  } catch (error) {
    problems.push(`${label}: the diff is malformed (${(error as Error).message}). Do not edit a diff by hand: make it again with \`whetstone new-${kind === 'wrong' ? 'wrong' : 'alternative'} <lab> <name> --from <edited copy> --replace\`.`);
  }
  if (!problems.length && !diffs.some((d) => d.hunks.length)) {
    problems.push(
      `${label}: no diff after the header. The file is the header, then a diff against solution/ starting with '--- a/<file>'; \`whetstone new-${kind === 'wrong' ? 'wrong' : 'alternative'}\` writes it from an edited copy of the solution.`,
    );
  }
  if (problems.length) throw new PatchError(problems);

  const hunkLines: number[][] = [];
  let next = diffStart;
  for (const diff of diffs) {
    hunkLines.push(
      diff.hunks.map(() => {
        while (next < lines.length && !lines[next]!.startsWith('@@')) next++;
        return ++next;
      }),
    );
  }
  return { kind, why, ...(fails ? { fails } : {}), diffs, hunkLines, fields, lines };
}

/** The learner file a diff changes, from its `--- a/<file>` and `+++ b/<file>` lines. */
function changedFile(diff: StructuredPatch, label: string): string {
  const strip = (name: string | undefined, side: 'a' | 'b') => (name?.startsWith(`${side}/`) ? name.slice(2) : name);
  const before = strip(diff.oldFileName, 'a');
  const after = strip(diff.newFileName, 'b');
  if (!before || !after || before === '/dev/null' || after === '/dev/null' || before !== after) {
    throw new PatchError([
      `${label}: the diff of '${diff.oldFileName ?? '?'}' → '${diff.newFileName ?? '?'}' does not change one learner file in place. A variant changes the solution's files only: '--- a/partition.ts' then '+++ b/partition.ts'.`,
    ]);
  }
  return before;
}

function quote(line: string): string {
  return `'${line.length > 80 ? `${line.slice(0, 77)}…` : line}'`;
}

/** Where a hunk stops matching the solution: the first of its old lines the file does not have there. */
function firstMismatch(hunk: StructuredPatchHunk, source: string[]): string {
  const expected = hunk.lines.filter((l) => l.startsWith(' ') || l.startsWith('-')).map((l) => l.slice(1));
  for (let i = 0; i < expected.length; i++) {
    const lineNo = hunk.oldStart + i;
    const actual = source[lineNo - 1];
    if (actual === undefined) return `the patch expects line ${lineNo} to be ${quote(expected[i]!)}, but the file has only ${source.length} lines`;
    if (actual !== expected[i]) return `line ${lineNo} is ${quote(actual)} where the patch expects ${quote(expected[i]!)}`;
  }
  return 'the lines it changes are not where the earlier hunks leave them';
}

export interface ApplyTarget {
  /** `labs/<id>/wrong/<name>.patch`, for messages. */
  label: string;
  lab: string;
  /** The solution's learner files: the variant is these with the patch applied. */
  solution: Record<string, string>;
  /** `labs/<id>/solution`, for messages. */
  solutionLabel: string;
  /** The learner files lab.md lists. */
  learnerFiles: readonly string[];
  /** What to run to make the patch again, for the message when it no longer fits. */
  regenerate: string;
}

/** The variant's learner files: the solution's with the patch applied, or a PatchError naming the hunk that does not fit. */
export function applyVariantPatch(patch: VariantPatch, target: ApplyTarget): Record<string, string> {
  const files = { ...target.solution };
  const changed = patch.diffs.map((diff) => (diff.hunks.length ? changedFile(diff, target.label) : undefined));
  const foreign = changed.filter((file): file is string => file !== undefined && !target.learnerFiles.includes(file));
  if (foreign.length) {
    throw new PatchError(
      [
        `${target.label}: the diff changes ${foreign.join(', ')}, which ${foreign.length === 1 ? 'is not a learner file' : 'are not learner files'} of ${target.lab} (${target.learnerFiles.join(', ')}). Is it a patch for another lab?`,
      ],
      foreign,
    );
  }
  const seen = new Set<string>();
  patch.diffs.forEach((diff, d) => {
    const file = changed[d];
    if (file === undefined) return;
    if (seen.has(file)) throw new PatchError([`${target.label}: ${file} is changed by two diffs: make one diff per file.`]);
    seen.add(file);
    const source = files[file];
    if (source === undefined) throw new PatchError([`${target.label}: the diff changes ${file}, but ${target.solutionLabel}/ has no ${file}.`]);
    const patched = applyPatch(source, diff);
    if (patched !== false) {
      files[file] = patched;
      return;
    }
    // Name the first hunk that does not fit: apply the hunks one more at a time.
    const failing = diff.hunks.findIndex((_, h) => applyPatch(source, { ...diff, hunks: diff.hunks.slice(0, h + 1) }) === false);
    const h = failing < 0 ? 0 : failing;
    const hunk = diff.hunks[h]!;
    const line = patch.hunkLines[d]?.[h];
    const header = line ? patch.lines[line - 1]! : `@@ -${hunk.oldStart},${hunk.oldLines} +${hunk.newStart},${hunk.newLines} @@`;
    throw new PatchError([
      `${target.label}${line ? `:${line}` : ''}: the hunk '${header}' no longer applies to ${target.solutionLabel}/${file}: ${firstMismatch(hunk, source.split('\n'))}. ` +
        `The solution changed under the patch: make the mistake again on a copy of the new solution and run \`${target.regenerate}\` (or change the solution back).`,
    ]);
  });
  return files;
}

/** `name: value`, wrapped at 100 columns with indented continuation lines. */
export function headerField(name: string, value: string): string[] {
  const lines: string[] = [];
  let line = `${name}:`;
  for (const word of value.split(/\s+/).filter(Boolean)) {
    if (line.length + 1 + word.length > HEADER_WIDTH && line.trim().length > name.length + 1) {
      lines.push(line);
      line = ' ';
    }
    line += ` ${word}`;
  }
  lines.push(line);
  return lines;
}

export interface NewVariantPatch {
  kind: VariantKind;
  why: string;
  fails?: readonly string[];
  solution: Record<string, string>;
  /** The learner files as the author edited them; a file left out is unchanged. */
  edited: Record<string, string>;
}

/** The diff of each changed file, as `--- a/<file>` / `+++ b/<file>` sections, sorted by file. */
export function diffAgainstSolution(solution: Record<string, string>, edited: Record<string, string>): string {
  return Object.keys(edited)
    .sort()
    .filter((file) => edited[file] !== solution[file])
    .map((file) => formatPatch(structuredPatch(`a/${file}`, `b/${file}`, solution[file] ?? '', edited[file]!, undefined, undefined, { context: CONTEXT_LINES }), FILE_HEADERS_ONLY))
    .join('');
}

export function formatVariantPatch(variant: NewVariantPatch): string {
  const header = [
    ...headerField('why', variant.why),
    ...(variant.kind === 'wrong'
      ? variant.fails?.length
        ? headerField('fails', variant.fails.join(', '))
        : []
      : headerField('passes', EVERY_CHECK)),
  ];
  return `${header.join('\n')}\n\n${diffAgainstSolution(variant.solution, variant.edited)}`;
}

/** The same patch file with its `fails:` field saying `fails` (added after `why:` when missing). */
export function withFails(patch: VariantPatch, fails: readonly string[]): string {
  const lines = [...patch.lines];
  const field = headerField('fails', fails.join(', '));
  const existing = patch.fields.fails;
  if (existing) lines.splice(existing.first, existing.last - existing.first + 1, ...field);
  else lines.splice((patch.fields.why?.last ?? -1) + 1, 0, ...field);
  return lines.join('\n');
}
