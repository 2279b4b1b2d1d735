// `whetstone check [<id>…]`: prove a lab before anyone takes it. For each lab, in this order:
//   1. lab.md and steps/ match the schema; starter/ and solution/ hold every learner file;
//      every wrong/<name>.patch and alternatives/<name>.patch reads and applies to solution/;
//   2. the grader and browser bundles build, and every check sits in a step that exists;
//   3. the solution passes every check, hidden ones included;
//   4. the starter loads and does not pass;
//   5. each anti-solution fails exactly the checks its header lists, with a message; and every
//      check fails for at least one anti-solution (a check nothing can fail proves nothing);
//   6. each alternative passes every check;
//   7. the solution still passes under other seeds and time zones, and a second run with the same
//      seed gives the same report (checks are deterministic).
// Everything is graded by the real Node host (child process, limits, the lab's time zone), as in
// `whetstone grade`. Every problem names the file, what is wrong and what to do. With --record,
// each anti-solution's header is rewritten to list what it was seen to fail.

import { existsSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { buildLabBundle } from '../../catalog/bundle.ts';
import type { LabBundle } from '../../catalog/bundle.ts';
import { LABS_DIR, LabError, REPO_ROOT, labIds, readLab, readLearnerFiles } from '../../catalog/labs.ts';
import type { LabOnDisk } from '../../catalog/labs.ts';
import { PatchError, withFails } from '../../catalog/variant-patch.ts';
import { legacyVariantFolders, readVariant, solutionFiles, variantFiles } from '../../catalog/variants.ts';
import type { Variant, VariantFile } from '../../catalog/variants.ts';
import type { CheckResult, Report } from '../../grader/report.ts';
import { gradeWithBundle } from '../grade.ts';
import { runPool } from '../batch/pool.ts';
import { UsageError } from '../usage.ts';
import { describeParseError } from './grade.ts';
import type { CommandIO } from './grade.ts';

/** Time zones a lab's checks must not depend on: +14, −3:30 (a half-hour offset with DST) and UTC. */
export const OTHER_TIME_ZONES = ['Pacific/Kiritimati', 'America/St_Johns', 'UTC'] as const;

export interface CheckItem {
  /** What was verified, e.g. 'solution passes all 25 checks'. */
  title: string;
  ok: boolean;
  /** What is wrong and how to fix it, one entry per problem. */
  problems: string[];
  /** Worth a look but not wrong (e.g. a failure message that names no values). */
  warnings: string[];
}

/** One grading `check` ran: what was graded (`solution`, `starter`, `wrong/<name>`, …), how, and its report. */
export interface Grading {
  subject: string;
  seed: number;
  timeZone: string;
  /** The second grading of the same files and seed, made to catch non-deterministic checks. */
  repeat?: boolean;
  report: Report;
}

export interface LabCheck {
  lab: string;
  title?: string;
  ok: boolean;
  items: CheckItem[];
  /** How many anti-solutions the lab has: none means its checks were never shown to catch a mistake. */
  antiSolutions: number;
  gradings: Grading[];
  durationMs: number;
}

/** Grades one submission with a bundle (whose manifest says the time zone the realm is pinned to). */
export type Grader = (bundle: LabBundle, files: Record<string, string>, options: { seed: number }) => Promise<Report>;

export interface CheckLabOptions {
  labsDir?: string;
  /** Parallel gradings (default: one per core). */
  jobs?: number;
  /** A private check pack to include, as `grade --checks`. */
  checkPack?: string;
  /** Skip the repeated gradings under other seeds and time zones. */
  quick?: boolean;
  /** Write what each anti-solution fails into its header (`fails:`), for the author to confirm. */
  record?: boolean;
  /** Where bundles are cached (default: the bundler's). */
  cacheDir?: string;
  /** How to grade (default: the Node host); tests may pass their own. */
  grade?: Grader;
}

/** The Node host, as `whetstone grade` runs it. */
export const nodeGrader: Grader = (bundle, files, { seed }) => gradeWithBundle(bundle, files, { seed });

const DEFAULT_CACHE = join(REPO_ROOT, 'node_modules', '.cache', 'whetstone');

/**
 * The grader bundle of the lab as if lab.md said `timeZone: zone`. The runtime pins every Date of
 * the grading realm to the zone of the manifest it was built with, so another zone is another
 * build, cached apart (the bundle cache keys on files, and lab.md has not changed).
 */
export async function zonedBundle(lab: LabOnDisk, zone: string, options: { cacheDir?: string; checkPack?: string }): Promise<LabBundle> {
  const zoned: LabOnDisk = { ...lab, manifest: { ...lab.manifest, limits: { ...lab.manifest.limits, timeZone: zone } } };
  return buildLabBundle(zoned, {
    audience: 'grader',
    cacheDir: join(options.cacheDir ?? DEFAULT_CACHE, `zone-${zone.replace(/[^A-Za-z0-9_-]/g, '_')}`),
    ...(options.checkPack ? { checkPack: options.checkPack } : {}),
  });
}

function item(title: string, problems: string[] = [], warnings: string[] = []): CheckItem {
  return { title, ok: problems.length === 0, problems, warnings };
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function loadProblem(report: Report): string | undefined {
  if (!report.error) return undefined;
  const e = report.error;
  return `${e.kind}${e.file ? ` at ${e.file}${e.line ? `:${e.line}` : ''}` : ''}: ${e.message}`;
}

function verdict(c: CheckResult): string {
  return `'${c.id}' (${c.status}${c.visibility === 'hidden' ? ', hidden' : ''})${c.message ? `: ${c.message}` : ''}`;
}

function failingIds(report: Report): string[] {
  return report.checks.filter((c) => c.status !== 'pass').map((c) => c.id);
}

/** A message that only says what chai says ("expected 3 to be 5") tells the learner nothing. */
function bareMatcherMessage(message: string): boolean {
  return /^expected .{0,200} to (?:be|equal|deeply equal|strictly equal|have|include|contain|match)\b/i.test(message.trim());
}

/** Structure the schema cannot see: learner files present in starter/ and solution/. */
function fileProblems(lab: LabOnDisk, labsLabel: string): string[] {
  const problems: string[] = [];
  for (const folder of ['starter', 'solution']) {
    for (const { path } of lab.manifest.files) {
      if (!existsSync(join(lab.dir, folder, path))) {
        problems.push(`${labsLabel}/${folder}/${path} is missing: lab.md lists ${path} under files, so the ${folder} needs it.`);
      }
    }
  }
  return problems;
}

/** A variant as step 1 found it: materialised, or the problems that keep it from being graded. */
interface VariantRead {
  file: VariantFile;
  variant?: Variant;
  problems: string[];
}

interface Layout {
  lab: LabOnDisk;
  wrong: VariantRead[];
  alternatives: VariantRead[];
}

// 1. Schema and layout: lab.md, steps, learner files, and every variant's patch.
function checkLayout(id: string, labsDir: string, record: boolean, items: CheckItem[]): { lab?: LabOnDisk; layout?: Layout } {
  const label = `labs/${id}`;
  let lab: LabOnDisk;
  try {
    lab = readLab(id, labsDir);
  } catch (error) {
    if (!(error instanceof LabError)) throw error;
    items.push(item('lab.md and steps/ match the schema', [error.message]));
    return {};
  }
  const layout = fileProblems(lab, label);
  items.push(item(`lab.md and ${plural(lab.steps.length, 'step')} match the schema; starter/ and solution/ hold ${lab.manifest.files.map((f) => f.path).join(', ')}`, layout));
  if (layout.length) return { lab };

  const legacy = legacyVariantFolders(lab);
  if (legacy.length) {
    items.push(
      item(
        'wrong/ and alternatives/ hold patches',
        legacy.map((f) =>
          f.kind === 'wrong'
            ? `${f.label} is a whole copy of the solution, a format patches replaced: run \`whetstone new-wrong ${id} ${f.name} --from ${f.label}\` (it takes why and fails from its expect.json), then delete the folder.`
            : `${f.label} is a whole copy of the solution, a format patches replaced: run \`whetstone new-alternative ${id} ${f.name} --from ${f.label} --why "how it differs"\`, then delete the folder.`,
        ),
      ),
    );
  }
  const solution = solutionFiles(lab);
  const reads = variantFiles(lab).map((file): VariantRead => {
    try {
      return { file, variant: readVariant(lab, file, { solution, requireFails: !record }), problems: [] };
    } catch (error) {
      if (!(error instanceof PatchError)) throw error;
      return { file, problems: error.details };
    }
  });
  return { lab, layout: { lab, wrong: reads.filter((r) => r.file.kind === 'wrong'), alternatives: reads.filter((r) => r.file.kind === 'alternatives') } };
}

// 2. Bundles: grader and browser build, every check in a step that exists, no hidden check in the browser.
async function checkBundles(lab: LabOnDisk, options: CheckLabOptions, items: CheckItem[]): Promise<LabBundle | undefined> {
  const label = `labs/${lab.id}`;
  const bundleOptions = { ...(options.cacheDir ? { cacheDir: options.cacheDir } : {}) };
  try {
    const bundle = await buildLabBundle(lab, { audience: 'grader', ...bundleOptions, ...(options.checkPack ? { checkPack: options.checkPack } : {}) });
    const browser = await buildLabBundle(lab, { audience: 'browser', ...bundleOptions });
    const hidden = bundle.checks.filter((c) => c.visibility === 'hidden');
    const problems: string[] = [];
    const orphans = new Map<number, string[]>();
    for (const c of bundle.checks) if (c.step > lab.steps.length) orphans.set(c.step, [...(orphans.get(c.step) ?? []), c.id]);
    for (const [step, ids] of orphans) {
      problems.push(
        `step(${step}, …) declares ${ids.map((id) => `'${id}'`).join(', ')}, but the lab has ${plural(lab.steps.length, 'step')}: add ${label}/steps/${String(step).padStart(2, '0')}-<slug>.md, or move ${ids.length === 1 ? 'the check' : 'the checks'} to a step that exists.`,
      );
    }
    const leaked = browser.checks.filter((c) => hidden.some((h) => h.id === c.id));
    for (const c of leaked) problems.push(`Hidden check '${c.id}' is in the browser bundle: hidden checks belong in ${label}/hidden/checks.ts only.`);
    items.push(
      item(
        `bundles build: ${plural(bundle.checks.length, 'check')} (${hidden.length} hidden) for the grader, ${browser.checks.length} public for the browser (${Math.round(browser.code.length / 1024)} KB)`,
        problems,
      ),
    );
    return problems.length ? undefined : bundle;
  } catch (error) {
    if (!(error instanceof LabError)) throw error;
    items.push(item('bundles build', [error.message]));
    return undefined;
  }
}

/** Anti-solutions list only checks the lab has. */
function unknownChecks(reads: VariantRead[], checkIds: ReadonlySet<string>): void {
  for (const read of reads) {
    const unknown = (read.variant?.fails ?? []).filter((id) => !checkIds.has(id));
    if (!unknown.length) continue;
    read.problems.push(
      ...unknown.map((id) => `${read.file.label} lists '${id}' under fails:, which is not a check of this lab. Checks: ${[...checkIds].join(', ')}.`),
    );
    delete read.variant;
  }
}

interface Job {
  subject: string;
  files: Record<string, string>;
  seed: number;
  bundle: LabBundle;
  repeat?: boolean;
}

const jobKey = (subject: string, seed: number, options: { zone?: string; repeat?: boolean } = {}) =>
  `${subject}@${seed}${options.zone ? ` in ${options.zone}` : ''}${options.repeat ? ' again' : ''}`;

interface Graded {
  /** The report, or why the grader itself produced none. */
  of(subject: string, seed: number, options?: { zone?: string; repeat?: boolean }): Report | string;
  gradings: Grading[];
}

// 3–7 grade together, in one pool: every job is independent of the others.
async function gradeAll(jobs: Job[], main: LabBundle, options: CheckLabOptions): Promise<Graded> {
  const grade = options.grade ?? nodeGrader;
  const reports = new Map<string, Report>();
  const crashed = new Map<string, string>();
  const gradings: Grading[] = [];
  const keyOf = (job: Job) => jobKey(job.subject, job.seed, { ...(job.bundle !== main ? { zone: job.bundle.manifest.limits.timeZone } : {}), ...(job.repeat ? { repeat: true } : {}) });
  await runPool(
    jobs,
    async (job) => {
      const report = await grade(job.bundle, job.files, { seed: job.seed });
      reports.set(keyOf(job), report);
      gradings.push({ subject: job.subject, seed: job.seed, timeZone: job.bundle.manifest.limits.timeZone, ...(job.repeat ? { repeat: true } : {}), report });
    },
    { jobs: options.jobs ?? availableParallelism(), onError: (job, error) => crashed.set(keyOf(job), error instanceof Error ? error.message : String(error)) },
  );
  return {
    of: (subject, seed, o = {}) => {
      const key = jobKey(subject, seed, o);
      return reports.get(key) ?? `the grader itself failed: ${crashed.get(key) ?? 'no report'}`;
    },
    gradings,
  };
}

/** The grader bundle in each other time zone, or undefined (and a problem item) when one does not build. */
async function zoneBundles(lab: LabOnDisk, zones: { timeZone: string }[], options: CheckLabOptions, items: CheckItem[]): Promise<Map<string, LabBundle> | undefined> {
  const zoned = new Map<string, LabBundle>();
  try {
    for (const v of zones) {
      zoned.set(v.timeZone, await zonedBundle(lab, v.timeZone, { ...(options.cacheDir ? { cacheDir: options.cacheDir } : {}), ...(options.checkPack ? { checkPack: options.checkPack } : {}) }));
    }
    return zoned;
  } catch (error) {
    if (!(error instanceof LabError)) throw error;
    items.push(item(`bundles build in ${zones.map((v) => v.timeZone).join(', ')}`, [error.message]));
    return undefined;
  }
}

/** Every grading 3–7 need: solution, starter, each usable variant, the solution in other zones, one repeat. */
function gradingPlan(lab: LabOnDisk, layout: Layout, bundle: LabBundle, zones: { seed: number; timeZone: string }[], zoned: Map<string, LabBundle>, quick: boolean) {
  const solution = readLearnerFiles(join(lab.dir, 'solution'));
  const starter = readLearnerFiles(join(lab.dir, 'starter'));
  const usable = [...layout.wrong, ...layout.alternatives].filter((r): r is VariantRead & { variant: Variant } => Boolean(r.variant));
  // Determinism is shown on a submission that fails something (its messages must repeat too).
  const repeatOf = usable.find((r) => r.file.kind === 'wrong')?.variant;
  const repeated = repeatOf ? `wrong/${repeatOf.name}` : 'starter';
  const jobs: Job[] = [
    { subject: 'solution', files: solution, seed: 1, bundle },
    { subject: 'starter', files: starter, seed: 1, bundle },
    ...usable.map((r) => ({ subject: `${r.file.kind}/${r.file.name}`, files: r.variant.files, seed: 1, bundle })),
    ...zones.map((v) => ({ subject: 'solution', files: solution, seed: v.seed, bundle: zoned.get(v.timeZone)! })),
    ...(quick ? [] : [{ subject: repeated, files: repeatOf?.files ?? starter, seed: 1, bundle, repeat: true }]),
  ];
  return { jobs, repeated };
}

// 3. The solution passes every check.
function judgeSolution(label: string, solution: Report | string): CheckItem {
  if (typeof solution === 'string') return item('solution passes every check', [`${label}/solution: ${solution}`]);
  const load = loadProblem(solution);
  return item(
    `solution passes all ${plural(solution.checks.length, 'check')} (${solution.score}/${solution.maxScore})`,
    load
      ? [`${label}/solution could not be loaded (${load}). The reference solution must load and pass every check.`]
      : solution.checks
          .filter((c) => c.status !== 'pass')
          .map((c) => `${label}/solution fails ${verdict(c)}. The reference solution must pass every check, hidden ones included: fix the solution or the check.`),
  );
}

// 4. The starter loads and does not pass.
function judgeStarter(lab: LabOnDisk, starter: Report | string): CheckItem {
  const label = `labs/${lab.id}`;
  if (typeof starter === 'string') return item('starter does not pass', [`${label}/starter: ${starter}`]);
  const load = loadProblem(starter);
  const problems: string[] = [];
  if (load) {
    problems.push(`${label}/starter could not be loaded (${load}). A starter must load and export ${lab.manifest.files.flatMap((f) => f.exports).join(', ')}, so a learner sees the checks, not an error: stub each body with throw new Error('Not implemented yet: …').`);
  } else if (starter.status === 'pass') {
    problems.push(`${label}/starter passes every check (${starter.score}/${starter.maxScore}): a learner would have nothing to do. Make the stubs throw new Error('Not implemented yet: …') or return something plainly wrong.`);
  }
  return item(`starter loads and does not pass (${starter.score}/${starter.maxScore})`, problems);
}

// 5. One anti-solution fails exactly its list, each failure with a message.
function judgeAntiSolution(read: VariantRead, report: Report | string, record: boolean): CheckItem {
  const { file, variant } = read;
  const name = `wrong/${file.name}`;
  if (!variant) return item(`${name} applies to the solution and lists what it fails`, read.problems);
  const expected = new Set(variant.fails ?? []);
  const title = `${name} fails exactly ${[...expected].join(', ')}`;
  if (typeof report === 'string') return item(title, [`${file.label}: ${report}`]);
  const load = loadProblem(report);
  if (load) return item(title, [`${file.label} could not be loaded (${load}). An anti-solution must load so the checks can judge its mistake ("${variant.why}").`]);
  if (record) return recordFails(variant, report);
  const problems: string[] = [];
  const warnings: string[] = [];
  for (const c of report.checks) {
    if (expected.has(c.id) && c.status === 'pass') {
      problems.push(
        `${file.label} passes '${c.id}', which its header says it must fail: the check does not catch this mistake ("${variant.why}"). Make the check reject it, or fix the list (\`whetstone check ${file.lab} --record\` writes what it fails).`,
      );
    } else if (!expected.has(c.id) && c.status !== 'pass') {
      problems.push(`${file.label} also fails ${verdict(c)}, which its header does not list. Add '${c.id}' to fails: if this mistake should fail it, or keep the anti-solution to its one mistake.`);
    } else if (expected.has(c.id) && !c.message.trim()) {
      problems.push(`${file.label} fails '${c.id}' (${c.status}) with no message: say what was expected and what the code did, e.g. fail('…') or expect(value, 'what this value is').`);
    } else if (expected.has(c.id) && bareMatcherMessage(c.message)) {
      warnings.push(`'${c.id}' tells a learner only "${c.message.split('\n')[0]}": name the value, e.g. expect(got, 'prefix of an event at 23:30 -08:00').`);
    }
  }
  return item(title, problems, warnings);
}

/** --record: the header lists what the anti-solution was seen to fail; the author confirms the change. */
function recordFails(variant: Variant, report: Report): CheckItem {
  const name = `wrong/${variant.name}`;
  const observed = failingIds(report);
  if (!observed.length) {
    return item(`${name} fails something`, [
      `${variant.label} passes every check, so there is nothing to record: the checks do not catch this mistake ("${variant.why}"). Write a check that does, or drop the anti-solution.`,
    ]);
  }
  const before = variant.fails ?? [];
  if (before.join() === observed.join()) return item(`${name} fails exactly ${observed.join(', ')} (as recorded)`);
  writeFileSync(variant.path, withFails(variant.patch, observed));
  const added = observed.filter((id) => !before.includes(id));
  const removed = before.filter((id) => !observed.includes(id));
  return item(`${name} fails ${observed.join(', ')}: recorded in ${variant.label}`, [], [
    `fails: ${[...added.map((id) => `+${id}`), ...removed.map((id) => `−${id}`)].join(' ')}${before.length ? ` (was: ${before.join(', ')})` : ''}. Confirm that this is the reach of the mistake ("${variant.why}"), then commit the patch.`,
  ]);
}

// 5, continued: every check fails for some anti-solution; a lab with none proves little.
function judgeCoverage(id: string, checks: readonly string[], failedByAnti: ReadonlySet<string>, antiSolutions: number): CheckItem {
  if (!antiSolutions) {
    return item('anti-solutions show the checks catch mistakes', [], [
      `labs/${id} has no anti-solution, so nothing shows that its checks catch a mistake: a lab that passes its solution proves little. Add the mistakes you expect learners to make: \`whetstone new-wrong ${id} <name>\`.`,
    ]);
  }
  const never = checks.filter((c) => !failedByAnti.has(c));
  if (!never.length) return item('every check fails for at least one anti-solution');
  return item(`every check fails for at least one anti-solution (${checks.length - never.length} of ${checks.length} do)`, [], [
    `No anti-solution fails ${never.map((c) => `'${c}'`).join(', ')}: a check nothing can fail proves nothing. Add the mistake ${never.length === 1 ? 'it catches' : 'each one catches'} (\`whetstone new-wrong ${id} <name>\`), or drop the check.`,
  ]);
}

// 6. One alternative passes every check.
function judgeAlternative(read: VariantRead, report: Report | string): CheckItem {
  const { file, variant } = read;
  const name = `alternatives/${file.name}`;
  if (!variant) return item(`${name} applies to the solution`, read.problems);
  if (typeof report === 'string') return item(`${name} passes every check`, [`${file.label}: ${report}`]);
  const load = loadProblem(report);
  return item(
    `${name} passes every check (${report.score}/${report.maxScore})`,
    load
      ? [`${file.label} could not be loaded (${load}).`]
      : report.checks
          .filter((c) => c.status !== 'pass')
          .map((c) => `${file.label} fails ${verdict(c)}. An alternative is a correct solution in another style: the check may be stricter than the steps say, or the alternative is wrong.`),
  );
}

// 7. The solution passes in other zones and seeds; the same seed gives the same report.
function judgeDeterminism(label: string, solution: Report, graded: Graded, zones: { seed: number; timeZone: string }[], repeated: string): CheckItem[] {
  const problems: string[] = [];
  for (const v of zones) {
    const report = graded.of('solution', v.seed, { zone: v.timeZone });
    if (typeof report === 'string') {
      problems.push(`${label}/solution with seed ${v.seed} in ${v.timeZone}: ${report}`);
      continue;
    }
    const load = loadProblem(report);
    if (load) problems.push(`${label}/solution could not be loaded with seed ${v.seed} in ${v.timeZone} (${load}).`);
    for (const c of report.checks.filter((r) => r.status !== 'pass')) {
      const before = solution.checks.find((r) => r.id === c.id)?.status ?? 'missing';
      problems.push(
        `With seed ${v.seed} and TZ=${v.timeZone}, the solution ${before === 'pass' ? 'no longer passes' : 'fails'} ${verdict(c)}. A check or fixture depends on the seed or the local time zone (new Date(y, m, d), getDate(), toLocaleString…): use UTC and env.random.`,
      );
    }
  }
  const items = [item(`solution passes under seeds ${zones.map((v) => v.seed).join(', ')} in ${zones.map((v) => v.timeZone).join(', ')}`, problems)];
  const first = graded.of(repeated, 1);
  const again = graded.of(repeated, 1, { repeat: true });
  if (typeof first !== 'string' && typeof again !== 'string') {
    const differences: string[] = [];
    for (const c of first.checks) {
      const d = again.checks.find((r) => r.id === c.id);
      if (!d || d.status !== c.status || d.message !== c.message) {
        differences.push(
          `'${c.id}' gave ${c.status}${c.message ? ` "${c.message}"` : ''} and then ${d?.status ?? 'nothing'}${d?.message ? ` "${d.message}"` : ''} for the same ${repeated} and seed: a check uses real time or Math.random; use env.clock and env.random.`,
        );
      }
    }
    items.push(item(`same seed, same report (${repeated} graded twice)`, differences));
  }
  return items;
}

export async function checkLab(id: string, options: CheckLabOptions = {}): Promise<LabCheck> {
  const started = performance.now();
  const label = `labs/${id}`;
  const items: CheckItem[] = [];
  let antiSolutions = 0;
  let gradings: Grading[] = [];
  const done = (title?: string): LabCheck => ({
    lab: id,
    ...(title ? { title } : {}),
    ok: items.every((i) => i.ok),
    items,
    antiSolutions,
    gradings,
    durationMs: Math.round(performance.now() - started),
  });

  const { lab: read, layout } = checkLayout(id, options.labsDir ?? LABS_DIR, Boolean(options.record), items);
  if (!layout) return done(read?.manifest.title);
  const { lab, wrong, alternatives } = layout;
  antiSolutions = wrong.length;

  const bundle = await checkBundles(lab, options, items);
  if (!bundle) return done(lab.manifest.title);
  const checkIds = bundle.checks.map((c) => c.id);
  if (!options.record) unknownChecks(wrong, new Set(checkIds));

  const zones = options.quick ? [] : OTHER_TIME_ZONES.map((timeZone, i) => ({ seed: i + 2, timeZone }));
  const zoned = await zoneBundles(lab, zones, options, items);
  if (!zoned) return done(lab.manifest.title);
  const { jobs, repeated } = gradingPlan(lab, layout, bundle, zones, zoned, Boolean(options.quick));
  const graded = await gradeAll(jobs, bundle, options);
  gradings = graded.gradings;

  const solution = graded.of('solution', 1);
  items.push(judgeSolution(label, solution));
  items.push(judgeStarter(lab, graded.of('starter', 1)));
  for (const read of wrong) items.push(judgeAntiSolution(read, graded.of(`wrong/${read.file.name}`, 1), Boolean(options.record)));
  const failedByAnti = new Set(
    wrong.flatMap((r) => {
      const report = r.variant ? graded.of(`wrong/${r.file.name}`, 1) : 'unusable';
      return typeof report === 'string' || report.error ? [] : failingIds(report);
    }),
  );
  items.push(judgeCoverage(id, checkIds, failedByAnti, antiSolutions));
  for (const read of alternatives) items.push(judgeAlternative(read, graded.of(`alternatives/${read.file.name}`, 1)));
  if (!options.quick && typeof solution !== 'string' && !solution.error) items.push(...judgeDeterminism(label, solution, graded, zones, repeated));
  return done(lab.manifest.title);
}

const MARK = { ok: '✓', problem: '✗', warning: '!' };

export function formatLabCheck(result: LabCheck, options: { color?: boolean } = {}): string {
  const c = options.color
    ? { red: (s: string) => `\x1b[31m${s}\x1b[39m`, green: (s: string) => `\x1b[32m${s}\x1b[39m`, yellow: (s: string) => `\x1b[33m${s}\x1b[39m`, bold: (s: string) => `\x1b[1m${s}\x1b[22m` }
    : { red: (s: string) => s, green: (s: string) => s, yellow: (s: string) => s, bold: (s: string) => s };
  const lines = [c.bold(`${result.lab}${result.title ? ` — ${result.title}` : ''}`)];
  for (const i of result.items) {
    const mark = !i.ok ? c.red(MARK.problem) : i.warnings.length ? c.yellow(MARK.warning) : c.green(MARK.ok);
    lines.push(`  ${mark} ${i.title}`);
    for (const p of i.problems) lines.push(`      ${p.split('\n').join('\n      ')}`);
    for (const w of i.warnings) lines.push(`    ${c.yellow(MARK.warning)} ${w}`);
  }
  const problems = result.items.reduce((n, i) => n + i.problems.length, 0);
  const seconds = `${(result.durationMs / 1000).toFixed(1)} s`;
  lines.push(
    !result.ok
      ? c.red(`  ${result.lab}: ${plural(problems, 'problem')} to fix`)
      : result.antiSolutions
        ? c.green(`  ${result.lab}: ready (${seconds})`)
        : c.yellow(`  ${result.lab}: passes, but proves little without an anti-solution (${seconds})`),
  );
  return lines.join('\n');
}

const CHECK_HELP = `whetstone check [<id>…] [--jobs N] [--quick] [--record] [--checks DIR]

Self-tests labs (all of them when no id is given): the schema of lab.md and steps, the bundles,
the solution passes every check (hidden too), the starter does not, each wrong/<name>.patch
fails exactly the checks its header lists, every check fails for some anti-solution, each
alternatives/<name>.patch passes, and the solution passes under other seeds and time zones.
Exits 1 when anything is wrong.

  --jobs N       gradings in parallel (default: one per core)
  --quick        skip the repeated gradings under other seeds and time zones
  --record       write what each anti-solution fails into its header (fails:), and show what
                 changed, for you to confirm
  --checks DIR   include a private check pack, as in \`whetstone grade --checks\``;

const CHECK_OPTIONS = {
  jobs: { type: 'string' },
  quick: { type: 'boolean' },
  record: { type: 'boolean' },
  checks: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

export async function checkCommand(args: string[], io: CommandIO): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args, options: CHECK_OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(`${describeParseError(error, CHECK_OPTIONS)} Run \`whetstone check --help\`.`);
  }
  if (parsed.values.help) {
    io.out(CHECK_HELP);
    return 0;
  }
  const jobsValue = parsed.values.jobs;
  if (jobsValue !== undefined && (!/^\d+$/.test(jobsValue) || Number(jobsValue) < 1)) {
    throw new UsageError(`--jobs ${jobsValue}: use a whole number of at least 1.`);
  }
  const known = labIds();
  const ids = parsed.positionals.length ? parsed.positionals : known;
  if (!ids.length) {
    io.out('No labs to check. Create one with `whetstone new <id>`.');
    return 0;
  }
  for (const id of ids) {
    if (!known.includes(id)) {
      throw new UsageError(`Unknown lab '${id}'. ${known.length ? `Labs: ${known.join(', ')}.` : 'There are no labs yet.'}`);
    }
  }
  const failed: string[] = [];
  const provesLittle: string[] = [];
  for (const id of ids) {
    const result = await checkLab(id, {
      ...(jobsValue ? { jobs: Number(jobsValue) } : {}),
      ...(parsed.values.quick ? { quick: true } : {}),
      ...(parsed.values.record ? { record: true } : {}),
      ...(parsed.values.checks ? { checkPack: parsed.values.checks } : {}),
    });
    io.out(formatLabCheck(result, { color: io.isTTY && !process.env.NO_COLOR }));
    io.out('');
    if (!result.ok) failed.push(id);
    else if (!result.antiSolutions) provesLittle.push(id);
  }
  const little = provesLittle.length
    ? ` ${provesLittle.join(', ')} ${provesLittle.length === 1 ? 'has' : 'have'} no anti-solution, so ${provesLittle.length === 1 ? 'its' : 'their'} checks are not shown to catch any mistake (\`whetstone new-wrong <lab> <name>\`).`
    : '';
  if (failed.length) {
    io.out(`${failed.length} of ${plural(ids.length, 'lab')} need${failed.length === 1 ? 's' : ''} work: ${failed.join(', ')}.${little}`);
    return 1;
  }
  if (provesLittle.length === ids.length) io.out(`${ids.length === 1 ? `${ids[0]} passes` : `All ${ids.length} labs pass`}, but proves little.${little}`);
  else io.out(`${ids.length === 1 ? `${ids[0]} is ready.` : `All ${ids.length} labs are ready.`}${little}`);
  return 0;
}
