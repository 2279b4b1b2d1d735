// `whetstone grade --lab <id> --batch <dir> --out grades.csv|grades.json …` and
// `whetstone merge --out all.csv shard-*.json`: the shell around cli/batch/ — flags, the grader
// bundle, Ctrl-C, the terminal, files.
//
// The --out file is the grades of the whole class, so it is written only once every learner is
// graded: until then (Ctrl-C, a crash, the grader failing on someone) the grades so far go to
// `<out>.partial`, and a file named like the final one never holds part of a class.

import { availableParallelism } from 'node:os';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, extname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { labIds, readLab } from '../../catalog/labs.ts';
import type { LabOnDisk } from '../../catalog/labs.ts';
import type { CheckInfo } from '../../grader/report.ts';
import { GRADER_VERSION, gradeWithBundle, loadGraderBundle } from '../grade.ts';
import type { CommandIO } from '../command-io.ts';
import { describeParseError, parseSeed } from '../flags.ts';
import { SubmissionInputError, readSubmission } from '../submission-input.ts';
import { UsageError } from '../usage.ts';
import { GRADEBOOKS, gradebookCsv, gradebookPath, importHint } from '../batch/gradebook.ts';
import type { Gradebook } from '../batch/gradebook.ts';
import { batchHead, gradesCsv, notGradedReason, submissionEntry } from '../batch/grades.ts';
import type { BatchHead, Outcome } from '../batch/grades.ts';
import { formatItemAnalysis, wrap } from '../batch/item-analysis.ts';
import { journalPath, readJournalEntry } from '../batch/journal.ts';
import { writeBatchJson } from '../batch/json-output.ts';
import { MergeError, mergeDocuments, parseBatchDocument } from '../batch/merge.ts';
import { barProgress, formatDuration, lineProgress } from '../batch/progress.ts';
import { runBatch } from '../batch/run.ts';
import { sanityQuestion } from '../batch/sanity.ts';
import type { SanityStop } from '../batch/sanity.ts';
import { describeShard, inShard, parseShard } from '../batch/shard.ts';
import { compareIds } from '../batch/learner-ids.ts';
import { findSubmissions } from '../batch/submissions.ts';
import type { BatchEntry } from '../batch/submissions.ts';

export type BatchFormat = 'csv' | 'json';

export function batchFormat(out: string, format: string | undefined): BatchFormat {
  if (format !== undefined) {
    if (format === 'csv' || format === 'json') return format;
    throw new UsageError(`--format ${format} is for one submission; a batch writes csv or json (taken from --out, e.g. grades.csv).`);
  }
  const ext = extname(out).toLowerCase();
  if (ext === '.csv' || ext === '.json') return ext.slice(1) as BatchFormat;
  throw new UsageError(`--out ${out}: name it grades.csv (one row per learner) or grades.json (every report and the item analysis), or add --format csv|json.`);
}

export function parseJobs(value: string | undefined): number {
  if (value === undefined) return availableParallelism();
  if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > 256) {
    throw new UsageError(`--jobs ${value}: use a whole number from 1 to 256 (default: one per core, here ${availableParallelism()}).`);
  }
  return Number(value);
}

/** `--gradebook canvas,moodle`: which LMS files to write next to --out. */
export function parseGradebooks(value: string | undefined): Gradebook[] {
  if (value === undefined) return [];
  const names = value.split(',').map((n) => n.trim().toLowerCase()).filter(Boolean);
  const unknown = names.filter((n) => !GRADEBOOKS.includes(n as Gradebook));
  if (!names.length || unknown.length) {
    throw new UsageError(`--gradebook ${value}: use ${GRADEBOOKS.join(', ')} or both (--gradebook ${GRADEBOOKS.join(',')}).`);
  }
  return [...new Set(names)] as Gradebook[];
}

/** --assignment names the gradebook column: alone it would do nothing, silently. */
function requireGradebook(assignment: string | undefined, gradebooks: readonly Gradebook[]): void {
  if (assignment !== undefined && !gradebooks.length) {
    throw new UsageError(`--assignment names the points column of a gradebook file; add --gradebook ${GRADEBOOKS.join(' or ')}.`);
  }
}

export function partialPath(out: string): string {
  return `${out}.partial`;
}

/** Write whole or not at all: a reader never sees half a grades file. */
function writeAtomically(path: string, text: string): void {
  mkdirSync(dirname(resolve(path)), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}

function quoteArg(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

interface GradesOutput {
  path: string;
  format: BatchFormat;
  head: BatchHead;
  outcomes: readonly Outcome[];
  checks: readonly CheckInfo[];
  /** Full reports from the batch journal, when the outcomes are slim ones that point into it. */
  journal?: string;
}

function writeGrades(output: GradesOutput): void {
  if (output.format === 'csv') {
    writeAtomically(output.path, gradesCsv(output.checks, output.outcomes));
    return;
  }
  if (!output.journal || !output.outcomes.some((o) => o.journal)) {
    writeBatchJson(output.path, output.head, output.outcomes.map((o) => JSON.stringify(submissionEntry(o))));
    return;
  }
  // Full reports straight from the journal, line by line.
  const fd = openSync(output.journal, 'r');
  try {
    const outcomes = output.outcomes;
    // A generator, so only one full report is in memory at a time.
    writeBatchJson(output.path, output.head, (function* () {
      for (const o of outcomes) yield o.journal ? readJournalEntry(fd, o.journal) : JSON.stringify(submissionEntry(o));
    })());
  } finally {
    closeSync(fd);
  }
}

/** The gradebook files of a whole class; the lines to print about them. */
function writeGradebooks(out: string, gradebooks: readonly Gradebook[], assignment: string, head: BatchHead, outcomes: readonly Outcome[]): string[] {
  return gradebooks.map((gradebook) => {
    const path = gradebookPath(out, gradebook);
    const input = { assignment, maxScore: head.maxScore, outcomes };
    writeAtomically(path, gradebookCsv(gradebook, input));
    return `Wrote ${path}. ${importHint(gradebook, input)}`;
  });
}

/** Every learner without points, and why: the instructor decides for each (the gradebook leaves them empty). */
function notGradedLines(outcomes: readonly Outcome[], width: number): string[] {
  const rows = outcomes.flatMap((o) => {
    const reason = notGradedReason(o);
    return reason ? [{ id: o.id, ...reason }] : [];
  });
  if (!rows.length) return [];
  const lines = [`Could not grade ${plural(rows.length, 'learner')} (no points; an empty cell in a gradebook):`];
  for (const row of rows) {
    const [first = '', ...more] = wrap(`${row.id}: ${row.kind} — ${row.message}`, Math.max(40, width - 4));
    lines.push(`  ${first}`, ...more.map((l) => `      ${l}`));
  }
  return lines;
}

/** Labs whose learner files the submissions hold, e.g. the lab a class really did. */
function labsMatching(files: readonly string[], except: string): LabOnDisk[] {
  const matching: LabOnDisk[] = [];
  for (const id of labIds()) {
    if (id === except) continue;
    try {
      const lab = readLab(id);
      if (lab.manifest.files.every((f) => files.includes(f.path))) matching.push(lab);
    } catch {
      // A lab that does not load is no suggestion.
    }
  }
  return matching;
}

function sanityMessage(stop: SanityStop, context: { labId: string; dir: string; out: string; entries: readonly BatchEntry[] }): string {
  const [example] = stop.alike;
  const reason = notGradedReason(example!)!;
  const lines = [
    `Stopped after the first ${plural(stop.sample, 'submission')}: ${stop.alike.length} of them could not be graded, all for the same kind of reason (${stop.kind}). ${example!.id}, for example:`,
    ...wrap(reason.message, 96).map((l) => `  ${l}`),
  ];
  const question = sanityQuestion(stop.kind);
  if (question === 'lab') {
    const paths = new Map(context.entries.map((e) => [e.id, e.path]));
    const files = new Set<string>();
    for (const o of stop.alike) {
      try {
        for (const name of Object.keys(readSubmission(paths.get(o.id)!).files)) files.add(name);
      } catch {
        // Unreadable now: it suggests nothing.
      }
    }
    const candidates = labsMatching([...files], context.labId);
    lines.push(
      `Is --lab ${context.labId} right?` +
        (candidates.length
          ? ` These submissions hold ${candidates[0]!.manifest.files.map((f) => f.path).join(', ')}, the learner file${candidates[0]!.manifest.files.length === 1 ? '' : 's'} of ${candidates.map((l) => `--lab ${l.id}`).join(' or ')}.`
          : ` These submissions hold ${[...files].sort().join(', ') || 'no .ts files'}.`),
    );
  } else if (question === 'folder') {
    lines.push(`Is --batch ${context.dir} the folder of submissions (one sub-folder or .zip per learner, holding the learner's .ts files)?`);
  } else {
    lines.push(`Is this the class of --lab ${context.labId}, exported from its lab page?`);
  }
  lines.push(`Nothing was written to ${context.out}. If it is right, run the same command with --force to grade everyone anyway.`);
  return lines.join('\n');
}

export async function batchCommand(
  values: Record<string, string | boolean | undefined>,
  positionals: string[],
  io: CommandIO,
): Promise<number> {
  const labId = values.lab as string | undefined;
  const dir = values.batch as string;
  const out = values.out as string | undefined;
  if (!labId) throw new UsageError('Missing --lab <id>. Run `whetstone list` to see the lab ids.');
  if (!dir) throw new UsageError('--batch needs the folder that holds one sub-folder or .zip per learner.');
  if (!out) throw new UsageError('Missing --out: where to write the grades, grades.csv or grades.json.');
  if (positionals.length) {
    throw new UsageError(`With --batch, the submissions come from ${dir}; remove ${positionals.join(' ')} (or grade one submission without --batch).`);
  }
  const format = batchFormat(out, values.format as string | undefined);
  const jobs = parseJobs(values.jobs as string | undefined);
  const shard = values.shard !== undefined ? parseShard(values.shard as string) : undefined;
  const seed = parseSeed(values.seed as string | undefined) ?? 1;
  const gradebooks = parseGradebooks(values.gradebook as string | undefined);
  requireGradebook(values.assignment as string | undefined, gradebooks);
  if (shard && gradebooks.length) {
    // A gradebook file is the whole class: a shard's would leave the others looking ungraded.
    throw new UsageError(`--gradebook with --shard: a shard is part of a class; write the gradebook when merging the shards: whetstone merge --out all.csv --gradebook ${gradebooks.join(',')} shard-*.json.`);
  }
  const hidden = !values['public-only'];

  const lab = readLab(labId);
  const assignment = (values.assignment as string | undefined) ?? lab.manifest.title;
  // Refuses learner ids that clash (kim.zip and KIM.zip) before anything is graded.
  const all = findSubmissions(dir);
  if (!all.length) {
    throw new SubmissionInputError(`${dir} holds no submissions: put one sub-folder or .zip per learner in it (the name is the learner id).`);
  }
  const entries = all.filter((e) => inShard(e.id, shard));
  const bundle = await loadGraderBundle(labId, { hidden, ...(values.checks ? { checkPack: values.checks as string } : {}) });
  const journal = journalPath(out);
  const partial = partialPath(out);

  const interrupt = new AbortController();
  let signals = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    signals += 1;
    if (signals === 1) {
      io.err(`\n${signal === 'SIGINT' ? 'Ctrl-C' : signal}: stopping. Nothing new starts; submissions being graded are cancelled and graded again next time.`);
      interrupt.abort();
    } else {
      // The journal is already on disk; the second Ctrl-C may leave without the summary.
      io.err(`Stopped. Grades so far are in ${journal}; run the same command again to finish.`);
      process.exit(130);
    }
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const stderr = process.stderr;
  const progress = stderr.isTTY
    ? barProgress((raw) => stderr.write(raw), stderr.columns || 80)
    : lineProgress((line) => io.err(line));
  let run;
  try {
    run = await runBatch({
      entries,
      journalPath: journal,
      regrade: Boolean(values.regrade),
      sanityStop: !values.force,
      bundleHash: bundle.hash,
      seed,
      jobs,
      read: readSubmission,
      grade: (files, signal) => gradeWithBundle(bundle, files, { seed, signal }),
      progress,
      signal: interrupt.signal,
    });
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }

  if (run.stopped) {
    io.err(sanityMessage(run.stopped, { labId, dir, out, entries }));
    return 2;
  }

  const internal = run.outcomes.filter((o) => o.input?.kind === 'internal');
  const notGraded = [...run.remaining, ...internal.map((o) => o.id)].sort(compareIds);
  const complete = notGraded.length === 0;
  const head = batchHead({
    lab: labId,
    grader: GRADER_VERSION,
    shard: describeShard(shard),
    seed,
    hidden,
    checks: bundle.checks,
    outcomes: run.outcomes,
    notGraded,
  });
  const written = complete ? out : partial;
  writeGrades({ path: written, format, head, outcomes: run.outcomes, checks: bundle.checks, journal });
  const gradebookLines = complete ? writeGradebooks(out, gradebooks, assignment, head, run.outcomes) : [];
  // A finished class supersedes what an interrupted run left.
  if (complete) rmSync(partial, { force: true });

  const seconds = run.durationMs / 1000;
  const perSecond = run.graded && seconds > 0 ? ` (${(run.graded / seconds).toFixed(1)}/s, ${plural(jobs, 'job')})` : '';
  io.out(`${lab.manifest.title} (${labId})${shard ? `, shard ${describeShard(shard)}: ${entries.length} of ${all.length} learners` : ''}`);
  io.out(`Graded ${run.graded} in ${formatDuration(seconds)}${perSecond}${run.resumed ? `; ${run.resumed} already graded, taken from the journal` : ''}.`);
  printClass(io, head, run.outcomes, format === 'json' ? written : `the JSON output (--out ${out.replace(/\.csv$/i, '.json')})`);
  io.out(`Wrote ${written} (${plural(head.summary.submissions, 'row')}, ${format.toUpperCase()}${complete ? '' : `; ${plural(notGraded.length, 'learner')} not graded yet`}). Journal: ${journal}`);
  for (const line of gradebookLines) io.out(line);

  if (complete) return 0;
  const again = process.argv[2] === 'grade' ? ['whetstone', ...process.argv.slice(2)].map(quoteArg).join(' ') : 'the same `whetstone grade` command';
  const pending =
    `The grades so far are in ${partial}; ${out}${gradebooks.length ? ' and the gradebook files are' : ' is'} written once everyone is graded` +
    `${existsSync(out) ? ` (${out} is from an earlier, finished run)` : ''}.`;
  if (run.interrupted) {
    io.err(`Interrupted: ${plural(run.remaining.length, 'learner')} not graded yet. ${pending} Run the same command again to grade only the rest:\n  ${again}`);
    return 130;
  }
  io.err(
    `${plural(internal.length, 'submission')} could not be graded because the grader itself failed (${internal.map((o) => o.id).join(', ')}); they are not in the journal. ` +
      `${pending} Run the same command again to retry them.`,
  );
  return 1;
}

/** What a class's grades add up to, for a person: the summary, the item analysis, who has no points and why. */
function printClass(io: CommandIO, head: BatchHead, outcomes: readonly Outcome[], everything: string): void {
  const s = head.summary;
  const width = io.columns ?? 100;
  io.out(`${plural(s.submissions, 'learner')}: ${s.pass} with every check passed, ${s.fail} with some failed, ${s.error} not graded · mean ${s.meanPercent}%, median ${s.medianPercent}%.`);
  io.out('');
  io.out(formatItemAnalysis(head.itemAnalysis, width, everything));
  const notGraded = notGradedLines(outcomes, width);
  if (notGraded.length) io.out(['', ...notGraded].join('\n'));
  io.out('');
}

const MERGE_OPTIONS = {
  out: { type: 'string' },
  partial: { type: 'boolean' },
  gradebook: { type: 'string' },
  assignment: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

const MERGE_HELP = `whetstone merge --out <all.csv|all.json> <shard.json>… [options]

Merges the JSON outputs of a sharded batch (whetstone grade --batch … --shard i/n --out shard-i.json)
into the grades of the whole class, with the summary and item analysis recomputed over everyone.
Refuses shards of different labs, checks or seeds, and a learner graded in two shards.

  --gradebook canvas,moodle also write <out-name>.canvas.csv / .moodle.csv for the LMS's grade import
  --assignment NAME         the gradebook column: an existing assignment's name (default: the lab)
  --partial                 write the merge although shards are missing or not finished (a shard's
                            .partial output); without it, merge refuses and writes nothing`;

export async function mergeCommand(args: string[], io: CommandIO): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args, options: MERGE_OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(`${describeParseError(error, MERGE_OPTIONS)} Run \`whetstone merge --help\`.`);
  }
  if (parsed.values.help) {
    io.out(MERGE_HELP);
    return 0;
  }
  const out = parsed.values.out;
  if (!out) throw new UsageError('Missing --out: where to write the merged grades, all.csv or all.json.');
  const format = batchFormat(out, undefined);
  const gradebooks = parseGradebooks(parsed.values.gradebook);
  requireGradebook(parsed.values.assignment, gradebooks);
  if (!parsed.positionals.length) throw new UsageError('Pass the JSON files of the shards, e.g. whetstone merge --out all.csv shard-*.json.');
  let merged;
  try {
    const inputs = parsed.positionals.map((file) => {
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch (error) {
        throw new MergeError(`Cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`);
      }
      return { file, doc: parseBatchDocument(text, file) };
    });
    merged = mergeDocuments(inputs);
  } catch (error) {
    if (error instanceof MergeError) throw new UsageError(error.message);
    throw error;
  }
  const { head, outcomes, missingShards, notGraded } = merged;

  // Why the result would be partial comes first, before any analysis scrolls it away.
  const gaps: string[] = [];
  if (missingShards.length) gaps.push(`shard${missingShards.length === 1 ? '' : 's'} ${missingShards.join(', ')} ${missingShards.length === 1 ? 'is' : 'are'} missing`);
  for (const file of new Set(notGraded.map((n) => n.file))) {
    const ids = notGraded.filter((n) => n.file === file).map((n) => n.id);
    gaps.push(`${file} is not finished (${plural(ids.length, 'learner')} not graded yet: ${ids.slice(0, 5).join(', ')}${ids.length > 5 ? ', …' : ''})`);
  }
  if (gaps.length && !parsed.values.partial) {
    throw new UsageError(
      `Not merging: ${gaps.join('; ')}, so the merged grades would cover only part of the class. Nothing was written. ` +
        `Merge every shard's finished output (run an unfinished shard's command again to finish it), or pass --partial to write the part anyway.`,
    );
  }
  if (gaps.length) io.err(`Partial merge, as asked (--partial): ${gaps.join('; ')}. ${out} covers only part of the class; no gradebook file is written.`);

  const assignment = parsed.values.assignment ?? readLabTitle(head.lab);
  writeGrades({ path: out, format, head, outcomes, checks: head.checks });
  const gradebookLines = gaps.length ? [] : writeGradebooks(out, gradebooks, assignment, head, outcomes);
  io.out(`Merged ${plural(parsed.positionals.length, 'file')} of ${head.lab}.`);
  printClass(io, head, outcomes, format === 'json' ? out : 'the JSON output (--out all.json)');
  io.out(`Wrote ${out}${gaps.length ? ' (partial)' : ''}.`);
  for (const line of gradebookLines) io.out(line);
  return 0;
}

/** The lab's title for a gradebook column; its id when the lab is not in this checkout. */
function readLabTitle(id: string): string {
  try {
    return readLab(id).manifest.title;
  } catch {
    return id;
  }
}
