import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { readLab } from '../../catalog/labs.ts';
import { BATCH_HELP, BATCH_OPTIONS } from '../batch/options.ts';
import type { CommandIO } from '../command-io.ts';
import { describeParseError, parseSeed } from '../flags.ts';
import { FORMATS, formatReport } from '../formats.ts';
import type { Format } from '../formats.ts';
import { gradeWithBundle, loadGraderBundle } from '../grade.ts';
import { readSubmission } from '../submission-input.ts';
import { UsageError } from '../usage.ts';

// check.ts and new.ts import these from here; they live in cli/flags.ts and cli/command-io.ts
// so that batch.ts, which grade.ts loads, need not import grade.ts back.
export { describeParseError, parseSeed };
export type { CommandIO };

export const GRADE_OPTIONS = {
  lab: { type: 'string' },
  format: { type: 'string' },
  out: { type: 'string' },
  'fail-under': { type: 'string' },
  'public-only': { type: 'boolean' },
  checks: { type: 'string' },
  seed: { type: 'string' },
  ...BATCH_OPTIONS,
  help: { type: 'boolean', short: 'h' },
} as const;

export const GRADE_HELP = `whetstone grade --lab <id> <submission> [options]

Grades one submission: a folder holding the learner's files (e.g. partition.ts), the .zip the
lab page exports, or one of the lab's patches (labs/<id>/wrong/<name>.patch: the solution with
that mistake). Exits 0 whenever a report was produced, whatever the score.

  --format text|json|junit|gradescope   report format (default text)
  --out FILE                            write the report to FILE instead of stdout
  --fail-under PCT                      exit 1 when the score is below PCT percent
  --public-only                         only the checks learners see (no hidden checks)
  --checks DIR                          add a private check pack (DIR/<lab>.ts or DIR/<lab>/checks.ts)
  --seed N                              fixture seed (default 1)

${BATCH_HELP}`;

export async function gradeOneCommand(
  values: Record<string, string | boolean | undefined>,
  positionals: string[],
  io: CommandIO,
): Promise<number> {
  const labId = values.lab as string | undefined;
  if (!labId) throw new UsageError('Missing --lab <id>. Run `whetstone list` to see the lab ids.');
  if (positionals.length !== 1) {
    throw new UsageError(
      positionals.length ? `Expected one submission, got ${positionals.length}: ${positionals.join(' ')}. For many, use --batch <dir>.` : 'Missing the submission: a folder holding the learner files, an exported .zip, or a lab\'s .patch.',
    );
  }
  const format = (values.format as string | undefined) ?? 'text';
  if (!FORMATS.includes(format as Format)) throw new UsageError(`--format ${format}: use one of ${FORMATS.join(', ')}.`);
  let failUnder: number | undefined;
  if (values['fail-under'] !== undefined) {
    failUnder = Number(values['fail-under']);
    if (!Number.isFinite(failUnder) || failUnder < 0 || failUnder > 100) {
      throw new UsageError(`--fail-under ${String(values['fail-under'])}: use a percentage between 0 and 100.`);
    }
  }
  const seed = parseSeed(values.seed as string | undefined);
  const lab = readLab(labId);
  const submission = readSubmission(positionals[0]!, { lab });
  const bundle = await loadGraderBundle(labId, {
    hidden: !values['public-only'],
    ...(values.checks ? { checkPack: values.checks as string } : {}),
  });
  const report = await gradeWithBundle(bundle, submission.files, seed !== undefined ? { seed } : {});
  const toFile = typeof values.out === 'string';
  const text = formatReport(report, format as Format, {
    color: io.isTTY && !toFile,
    title: lab.manifest.title,
    steps: Object.fromEntries(lab.steps.map((s) => [s.number, s.title])),
    ...(io.columns ? { width: io.columns } : {}),
  });
  if (toFile) {
    writeFileSync(values.out as string, `${text}\n`);
    io.err(`Wrote ${values.out}: ${report.score}/${report.maxScore} (${report.status}).`);
  } else {
    io.out(text);
  }
  if (failUnder !== undefined && report.maxScore > 0 && (report.score / report.maxScore) * 100 < failUnder) return 1;
  return 0;
}

export async function gradeCommand(args: string[], io: CommandIO): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args, options: GRADE_OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(`${describeParseError(error, GRADE_OPTIONS)} Run \`whetstone grade --help\`.`);
  }
  if (parsed.values.help) {
    io.out(GRADE_HELP);
    return 0;
  }
  if (parsed.values.batch !== undefined) {
    const { batchCommand } = await import('./batch.ts');
    return batchCommand(parsed.values, parsed.positionals, io);
  }
  return gradeOneCommand(parsed.values, parsed.positionals, io);
}
