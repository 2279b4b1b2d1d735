// `whetstone grade --lab <id> --batch <dir> --out grades.csv|grades.json [--jobs N] [--shard i/n] [--force]`
// and `whetstone merge --out all.csv shard-*.json`: the shell around cli/batch/ — flags, the
// grader bundle, Ctrl-C, the terminal, files.

import { availableParallelism } from 'node:os';
import { closeSync, mkdirSync, openSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, extname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { readLab } from '../../catalog/labs.ts';
import { GRADER_VERSION, gradeWithBundle, loadGraderBundle } from '../grade.ts';
import { SubmissionInputError, readSubmission } from '../submission-input.ts';
import { UsageError } from '../usage.ts';
import { batchHead, gradesCsv, submissionEntry } from '../batch/grades.ts';
import { formatItemAnalysis } from '../batch/item-analysis.ts';
import { journalPath, readJournalEntry } from '../batch/journal.ts';
import { writeBatchJson } from '../batch/json-output.ts';
import { MergeError, mergeDocuments, parseBatchDocument } from '../batch/merge.ts';
import { barProgress, formatDuration, lineProgress } from '../batch/progress.ts';
import { runBatch } from '../batch/run.ts';
import { describeShard, inShard, parseShard } from '../batch/shard.ts';
import { findSubmissions } from '../batch/submissions.ts';
import { describeParseError, parseSeed } from './grade.ts';
import type { CommandIO } from './grade.ts';

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
  const hidden = !values['public-only'];
  const force = Boolean(values.force);

  const lab = readLab(labId);
  const all = findSubmissions(dir);
  if (!all.length) {
    throw new SubmissionInputError(`${dir} holds no submissions: put one sub-folder or .zip per learner in it (the name is the learner id).`);
  }
  const entries = all.filter((e) => inShard(e.id, shard));
  const bundle = await loadGraderBundle(labId, { hidden, ...(values.checks ? { checkPack: values.checks as string } : {}) });
  const journal = journalPath(out);

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
      force,
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

  const head = batchHead({
    lab: labId,
    grader: GRADER_VERSION,
    shard: describeShard(shard),
    seed,
    hidden,
    checks: bundle.checks,
    outcomes: run.outcomes,
  });
  if (format === 'csv') {
    writeAtomically(out, gradesCsv(bundle.checks, run.outcomes));
  } else {
    // Full reports straight from the journal, line by line.
    const fd = openSync(journal, 'r');
    try {
      const outcomes = run.outcomes;
      // A generator, so only one full report is in memory at a time.
      writeBatchJson(out, head, (function* () {
        for (const o of outcomes) yield o.journal ? readJournalEntry(fd, o.journal) : JSON.stringify(submissionEntry(o));
      })());
    } finally {
      closeSync(fd);
    }
  }

  const s = head.summary;
  const seconds = run.durationMs / 1000;
  const perSecond = run.graded && seconds > 0 ? ` (${(run.graded / seconds).toFixed(1)}/s, ${jobs} job${jobs === 1 ? '' : 's'})` : '';
  io.out(`${lab.manifest.title} (${labId})${shard ? `, shard ${describeShard(shard)}: ${entries.length} of ${all.length} learners` : ''}`);
  io.out(
    `Graded ${run.graded} in ${formatDuration(seconds)}${perSecond}` +
      (run.resumed ? `; ${run.resumed} already graded, taken from the journal` : '') +
      '.',
  );
  io.out(`${s.submissions} learner${s.submissions === 1 ? '' : 's'}: ${s.pass} pass, ${s.fail} fail, ${s.error} error · mean ${s.meanPercent}%, median ${s.medianPercent}%.`);
  io.out('');
  io.out(formatItemAnalysis(head.itemAnalysis, io.columns ?? 100));
  io.out('');
  io.out(`Wrote ${out} (${s.submissions} row${s.submissions === 1 ? '' : 's'}, ${format.toUpperCase()}). Journal: ${journal}`);

  const internal = run.outcomes.filter((o) => o.input?.kind === 'internal');
  if (run.interrupted) {
    const again = process.argv[2] === 'grade' ? ['whetstone', ...process.argv.slice(2)].map(quoteArg).join(' ') : 'the same `whetstone grade` command';
    io.err(
      `Interrupted: ${run.remaining.length} learner${run.remaining.length === 1 ? '' : 's'} not graded yet; ${out} holds the ${s.submissions} graded so far. ` +
        `Run the same command again to grade only the rest:\n  ${again}`,
    );
    return 130;
  }
  if (internal.length) {
    io.err(`${internal.length} submission${internal.length === 1 ? '' : 's'} could not be graded because the grader itself failed (${internal.map((o) => o.id).join(', ')}); they are not in the journal: run the same command again to retry them.`);
    return 1;
  }
  return 0;
}

const MERGE_HELP = `whetstone merge --out <all.csv|all.json> <shard.json>…

Merges the JSON outputs of a sharded batch (whetstone grade --batch … --shard i/n --out shard-i.json)
into the grades of the whole class, with the summary and item analysis recomputed over everyone.
Refuses shards of different labs, checks or seeds, and a learner graded in two shards.`;

export async function mergeCommand(args: string[], io: CommandIO): Promise<number> {
  const options = { out: { type: 'string' }, help: { type: 'boolean', short: 'h' } } as const;
  let parsed;
  try {
    parsed = parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(`${describeParseError(error, options)} Run \`whetstone merge --help\`.`);
  }
  if (parsed.values.help) {
    io.out(MERGE_HELP);
    return 0;
  }
  const out = parsed.values.out;
  if (!out) throw new UsageError('Missing --out: where to write the merged grades, all.csv or all.json.');
  const format = batchFormat(out, undefined);
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
  const { head, outcomes, missingShards } = merged;
  if (format === 'csv') writeAtomically(out, gradesCsv(head.checks, outcomes));
  else writeBatchJson(out, head, outcomes.map((o) => JSON.stringify(submissionEntry(o))));
  const s = head.summary;
  io.out(`Merged ${parsed.positionals.length} file${parsed.positionals.length === 1 ? '' : 's'}: ${s.submissions} learners of ${head.lab}: ${s.pass} pass, ${s.fail} fail, ${s.error} error · mean ${s.meanPercent}%, median ${s.medianPercent}%.`);
  io.out('');
  io.out(formatItemAnalysis(head.itemAnalysis, io.columns ?? 100));
  io.out('');
  io.out(`Wrote ${out}.`);
  if (missingShards.length) {
    io.err(`Shard${missingShards.length === 1 ? '' : 's'} ${missingShards.join(', ')} ${missingShards.length === 1 ? 'is' : 'are'} missing: the merged grades cover only part of the class.`);
    return 1;
  }
  return 0;
}
