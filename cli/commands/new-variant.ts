// `whetstone new-wrong <lab> <name>` and `whetstone new-alternative <lab> <name>`: make an
// anti-solution's or an alternative's patch from an edited copy of the solution, so an author
// never writes a diff by hand. The flow:
//   1. without --from: copy the solution's learner files (or, with --replace, the variant as it
//      is now) into a scratch folder, and print the command that follows;
//   2. with --from <folder>: diff the folder against solution/ and write
//      labs/<lab>/<wrong|alternatives>/<name>.patch; an anti-solution without --fails is graded
//      first, and its header lists what it was seen to fail.

import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { buildLabBundle } from '../../catalog/bundle.ts';
import { LABS_DIR, readLab } from '../../catalog/labs.ts';
import type { LabOnDisk } from '../../catalog/labs.ts';
import { PatchError, applyVariantPatch, formatVariantPatch, parseVariantPatch } from '../../catalog/variant-patch.ts';
import type { VariantKind, VariantPatch } from '../../catalog/variant-patch.ts';
import { readVariant, solutionFiles, variantFiles } from '../../catalog/variants.ts';
import type { VariantFile } from '../../catalog/variants.ts';
import { UsageError } from '../usage.ts';
import { nodeGrader } from './check.ts';
import type { Grader } from './check.ts';
import { describeParseError } from './grade.ts';
import type { CommandIO } from './grade.ts';

const NAME = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

const OPTIONS = {
  from: { type: 'string' },
  why: { type: 'string' },
  fails: { type: 'string' },
  replace: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

const ALTERNATIVE_OPTIONS = {
  from: OPTIONS.from,
  why: OPTIONS.why,
  replace: OPTIONS.replace,
  help: OPTIONS.help,
} as const;

export const NEW_WRONG_HELP = `whetstone new-wrong <lab> <name> [--from <folder>] [--why "…"] [--fails id,id] [--replace]

Makes labs/<lab>/wrong/<name>.patch, an anti-solution: the solution with one plausible mistake.
  1. whetstone new-wrong <lab> <name>
       copies the solution's learner files into a scratch folder; make the mistake there;
  2. whetstone new-wrong <lab> <name> --from <that folder> --why "the mistake, in one sentence"
       writes the patch. Without --fails it grades the mistake first and lists what it fails.

  --from DIR      the edited copy of the solution (its learner files; one left out is unchanged)
  --why "…"       the mistake, in one sentence (the patch's header says it to every reader)
  --fails a,b     the checks it must fail, instead of grading it to find out
  --replace       make an existing patch again (e.g. after the solution changed); without
                  --from, the scratch folder holds the anti-solution as it is now

A folder in the old format (a whole copy with expect.json) gives --why and --fails itself.`;

export const NEW_ALTERNATIVE_HELP = `whetstone new-alternative <lab> <name> [--from <folder>] [--why "…"] [--replace]

Makes labs/<lab>/alternatives/<name>.patch: another correct solution (another style, another
decomposition), which must pass every check; it guards against checks that test how, not what.
  1. whetstone new-alternative <lab> <name>
       copies the solution's learner files into a scratch folder; rewrite them there;
  2. whetstone new-alternative <lab> <name> --from <that folder> --why "how it differs"
       writes the patch; \`whetstone check <lab>\` then proves it passes.

  --from DIR      the edited copy of the solution
  --why "…"       how this solution differs, in one sentence
  --replace       make an existing patch again; without --from, the scratch folder holds it as it is now`;

export interface NewVariantOptions {
  labsDir?: string;
  /** How an anti-solution without --fails is graded (default: the Node host). */
  grade?: Grader;
  /** Where scratch folders go (default: the system's temporary folder). */
  scratchDir?: string;
}

function shown(path: string): string {
  const fromHere = relative(process.cwd(), path);
  return fromHere && !fromHere.startsWith('..') ? fromHere : path;
}

/** The edited learner files of --from: only the lab's learner files, at the top of the folder. */
function readEdited(from: string, lab: LabOnDisk): Record<string, string> {
  if (!existsSync(from) || !statSync(from).isDirectory()) {
    throw new UsageError(`--from ${from}: no such folder. Pass the folder holding your edited copy of the solution's ${lab.manifest.files.map((f) => f.path).join(', ')}.`);
  }
  const learnerFiles = lab.manifest.files.map((f) => f.path);
  const typescript = readdirSync(from).filter((name) => name.endsWith('.ts') && statSync(join(from, name)).isFile()).sort();
  const foreign = typescript.filter((name) => !learnerFiles.includes(name));
  if (foreign.length) {
    throw new UsageError(
      `--from ${from} holds ${foreign.join(', ')}, which ${foreign.length === 1 ? 'is not a learner file' : 'are not learner files'} of ${lab.id} (${learnerFiles.join(', ')}). A variant changes only the files lab.md lists: move ${foreign.length === 1 ? 'it' : 'them'} out of the folder.`,
    );
  }
  const edited = Object.fromEntries(typescript.map((name) => [name, readFileSync(join(from, name), 'utf8')]));
  if (!Object.keys(edited).length) {
    throw new UsageError(`--from ${from} holds none of ${lab.id}'s learner files (${learnerFiles.join(', ')}): pass the folder \`whetstone new-wrong ${lab.id} <name>\` made for you, after editing it.`);
  }
  return edited;
}

/** why and fails of a folder in the old format (expect.json beside the files), when it has them. */
function legacyExpectation(from: string): { why?: string; fails?: string[] } {
  const file = join(from, 'expect.json');
  if (!existsSync(file)) return {};
  try {
    const value = JSON.parse(readFileSync(file, 'utf8')) as { why?: unknown; fails?: unknown };
    return {
      ...(typeof value.why === 'string' ? { why: value.why } : {}),
      ...(Array.isArray(value.fails) && value.fails.every((id) => typeof id === 'string') ? { fails: value.fails as string[] } : {}),
    };
  } catch (error) {
    throw new UsageError(`${file} is not valid JSON (${(error as Error).message}): fix it, or give --why and --fails yourself.`);
  }
}

async function observedFails(lab: LabOnDisk, files: Record<string, string>, label: string, grade: Grader): Promise<string[]> {
  const report = await grade(await buildLabBundle(lab, { audience: 'grader' }), files, { seed: 1 });
  if (report.error) {
    const e = report.error;
    throw new UsageError(`${label} could not be loaded (${e.kind}${e.file ? ` at ${e.file}${e.line ? `:${e.line}` : ''}` : ''}: ${e.message}): an anti-solution must load so the checks can judge its mistake. Nothing was written.`);
  }
  const fails = report.checks.filter((c) => c.status !== 'pass').map((c) => c.id);
  if (!fails.length) {
    throw new UsageError(
      `${label} passes every check: the checks do not catch this mistake. Nothing was written: write the check that catches it, then run this again (a correct solution in another style belongs in \`whetstone new-alternative\`).`,
    );
  }
  return fails;
}

/** Step 1 of the flow: the files to edit (the solution, or the variant as it is now) in a scratch folder. */
function copyToScratch(input: {
  lab: LabOnDisk;
  kind: VariantKind;
  name: string;
  label: string;
  existing: VariantFile | undefined;
  solution: Record<string, string>;
  io: CommandIO;
  options: NewVariantOptions;
}): number {
  const { lab, kind, name, label, existing, io } = input;
  const command = kind === 'wrong' ? 'new-wrong' : 'new-alternative';
  let files = input.solution;
  let note = `the solution's learner files (labs/${lab.id}/solution)`;
  if (existing) {
    try {
      files = readVariant(lab, existing, { solution: input.solution, requireFails: false }).files;
      note = `${label} as it is now`;
    } catch (error) {
      if (!(error instanceof PatchError)) throw error;
      note = `the solution's learner files: ${label} no longer applies, so make its mistake again (${error.details[0]})`;
    }
  }
  const scratch = mkdtempSync(join(input.options.scratchDir ?? tmpdir(), `whetstone-${lab.id}-${name}-`));
  for (const [file, text] of Object.entries(files)) writeFileSync(join(scratch, file), text);
  io.out(`Copied ${note} to ${scratch}/:`);
  for (const file of Object.keys(files).sort()) io.out(`  ${file}`);
  io.out('');
  io.out(kind === 'wrong' ? 'Make the one mistake there, then run:' : 'Rewrite it there, then run:');
  io.out(`  whetstone ${command} ${lab.id} ${name} --from ${scratch} --why "${kind === 'wrong' ? 'the mistake, in one sentence' : 'how it differs, in one sentence'}"${existing ? ' --replace' : ''}`);
  if (kind === 'wrong') io.out('Without --fails, it grades the mistake and lists the checks it fails in the patch.');
  return 0;
}

/** The header of the patch being replaced, to keep its why; a patch too broken to read keeps nothing. */
function readPrevious(path: string, label: string, kind: VariantKind): VariantPatch | undefined {
  try {
    return parseVariantPatch(readFileSync(path, 'utf8'), { label, kind, requireFails: false });
  } catch (error) {
    if (error instanceof PatchError) return undefined;
    throw error;
  }
}

/** The patch as written, indented; a long one (an alternative, typically) as its header and a count. */
function shownPatch(text: string): string {
  const lines = text.trimEnd().split('\n');
  const indent = (some: string[]) => some.map((line) => (line ? `  ${line}` : '')).join('\n');
  if (lines.length <= 40) return indent(lines);
  const count = (sign: string) => lines.filter((line) => line.startsWith(sign) && !line.startsWith(sign.repeat(3))).length;
  return `${indent(lines.slice(0, lines.findIndex((line) => line.startsWith('--- '))))}\n  (a diff of ${count('+')} added and ${count('-')} removed lines: read it in the file)`;
}

export async function newVariant(kind: VariantKind, args: string[], io: CommandIO, options: NewVariantOptions = {}): Promise<number> {
  const command = kind === 'wrong' ? 'new-wrong' : 'new-alternative';
  const spec = kind === 'wrong' ? OPTIONS : ALTERNATIVE_OPTIONS;
  let parsed;
  try {
    parsed = parseArgs({ args, options: spec, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(`${describeParseError(error, spec)} Run \`whetstone ${command} --help\`.`);
  }
  const values = parsed.values as { from?: string; why?: string; fails?: string; replace?: boolean; help?: boolean };
  if (values.help) {
    io.out(kind === 'wrong' ? NEW_WRONG_HELP : NEW_ALTERNATIVE_HELP);
    return 0;
  }
  if (parsed.positionals.length !== 2) {
    throw new UsageError(`Expected a lab and a name, e.g. \`whetstone ${command} s3-partitioning ${kind === 'wrong' ? 'local-time' : 'paginator'}\`${parsed.positionals.length ? `; got ${parsed.positionals.join(' ')}` : ''}.`);
  }
  const [labId, name] = parsed.positionals as [string, string];
  const lab = readLab(labId, options.labsDir ?? LABS_DIR);
  if (!NAME.test(name)) {
    throw new UsageError(`'${name}' is not a ${kind === 'wrong' ? 'mistake' : 'variant'} name: use lower-case words and digits joined by hyphens, e.g. 'first-page-only'.`);
  }
  const label = `labs/${lab.id}/${kind}/${name}.patch`;
  const path = join(lab.dir, kind, `${name}.patch`);
  const existing = variantFiles(lab, [kind]).find((f) => f.name === name);
  if (existing && !values.replace) {
    throw new UsageError(`${label} exists already. Pick another name, or pass --replace to make it again (without --from you get a scratch copy of it to edit).`);
  }
  if (!existing && values.replace) throw new UsageError(`--replace: ${label} does not exist yet, so there is nothing to replace; leave --replace out.`);
  const solution = solutionFiles(lab);

  if (values.from === undefined) return copyToScratch({ lab, kind, name, label, existing, solution, io, options });

  const edited = readEdited(values.from, lab);
  if (Object.entries(edited).every(([file, text]) => solution[file] === text)) {
    throw new UsageError(`--from ${values.from} is identical to labs/${lab.id}/solution: ${kind === 'wrong' ? 'make the mistake in it' : 'rewrite it'} first (or is it the wrong folder?).`);
  }
  const legacy = kind === 'wrong' ? legacyExpectation(values.from) : {};
  const previous = existing ? readPrevious(existing.path, label, kind) : undefined;
  const why = (values.why ?? legacy.why ?? previous?.why)?.trim();
  if (!why) {
    throw new UsageError(`Missing --why: say ${kind === 'wrong' ? 'the mistake' : 'how this solution differs'} in one sentence, e.g. --why "${kind === 'wrong' ? 'Takes the day in local time instead of UTC.' : 'Lists with the SDK paginator instead of a token loop.'}"`);
  }

  let fails: string[] | undefined;
  if (kind === 'wrong') {
    const given = values.fails !== undefined ? values.fails.split(/[\s,]+/).filter(Boolean) : legacy.fails;
    const files = { ...solution, ...edited };
    if (given) {
      if (!given.length) throw new UsageError('--fails lists no check: name the checks this mistake must fail, e.g. --fails prefix-utc-day,ingest-seeded-batch, or leave it out to grade and find out.');
      const checkIds = (await buildLabBundle(lab, { audience: 'grader' })).checks.map((c) => c.id);
      const unknown = given.filter((id) => !checkIds.includes(id));
      if (unknown.length) throw new UsageError(`--fails: ${unknown.map((id) => `'${id}'`).join(', ')} ${unknown.length === 1 ? 'is not a check' : 'are not checks'} of ${lab.id}. Checks: ${checkIds.join(', ')}.`);
      fails = given;
    } else {
      io.err(`Grading ${label} to find what it fails…`);
      fails = await observedFails(lab, files, label, options.grade ?? nodeGrader);
      if (previous?.fails && previous.fails.join() !== fails.join()) io.out(`It used to list: ${previous.fails.join(', ')}.`);
    }
  }

  const text = formatVariantPatch({ kind, why, ...(fails ? { fails } : {}), solution, edited });
  // What is written must read back to exactly the edited files.
  const back = applyVariantPatch(parseVariantPatch(text, { label, kind }), {
    label,
    lab: lab.id,
    solution,
    solutionLabel: `labs/${lab.id}/solution`,
    learnerFiles: lab.manifest.files.map((f) => f.path),
    regenerate: command,
  });
  const mismatch = Object.keys(edited).find((file) => back[file] !== edited[file]);
  if (mismatch) throw new Error(`the patch made for ${mismatch} does not give back the edited file`);
  mkdirSync(join(lab.dir, kind), { recursive: true });
  writeFileSync(path, text);
  io.out(`${existing ? 'Rewrote' : 'Wrote'} ${shown(path)}:`);
  io.out('');
  io.out(shownPatch(text));
  io.out('');
  io.out(`Next: whetstone check ${lab.id}`);
  return 0;
}

export const newWrongCommand = (args: string[], io: CommandIO) => newVariant('wrong', args, io);
export const newAlternativeCommand = (args: string[], io: CommandIO) => newVariant('alternatives', args, io);
