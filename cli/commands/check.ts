// `whetstone check [<id>…]`: prove a lab before anyone takes it. For each lab, in this order:
//   1. lab.md and steps/ match the schema; starter/ and solution/ hold every learner file;
//      every wrong/<name>/ declares what it must fail (expect.json);
//   2. the grader and browser bundles build, and every check sits in a step that exists;
//   3. the solution passes every check, hidden ones included;
//   4. the starter loads and does not pass;
//   5. each wrong/<name>/ fails exactly the checks its expect.json lists, with a message;
//   6. each alternatives/<name>/ passes every check;
//   7. the solution still passes under other seeds and time zones, and a second run with the same
//      seed gives the same report (checks are deterministic).
// Everything is graded by the real Node host (child process, limits, the lab's time zone), as in
// `whetstone grade`. Every problem names the file, what is wrong and what to do.

import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { buildLabBundle } from '../../catalog/bundle.ts';
import type { LabBundle } from '../../catalog/bundle.ts';
import { LABS_DIR, LabError, REPO_ROOT, labIds, readLab, readLearnerFiles } from '../../catalog/labs.ts';
import type { LabOnDisk } from '../../catalog/labs.ts';
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

export interface LabCheck {
  lab: string;
  title?: string;
  ok: boolean;
  items: CheckItem[];
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
  /** Where bundles are cached (default: the bundler's). */
  cacheDir?: string;
  /** How to grade (default: the Node host); tests may pass their own. */
  grade?: Grader;
}

interface Expectation {
  why: string;
  fails: string[];
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

function subfolders(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => !name.startsWith('.') && statSync(join(dir, name)).isDirectory())
    .sort();
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

/** A message that only says what chai says ("expected 3 to be 5") tells the learner nothing. */
function bareMatcherMessage(message: string): boolean {
  return /^expected .{0,200} to (?:be|equal|deeply equal|strictly equal|have|include|contain|match)\b/i.test(message.trim());
}

function readExpectation(dir: string, where: string, checkIds: ReadonlySet<string>): { expectation?: Expectation; problems: string[] } {
  const file = join(dir, 'expect.json');
  const example = '{ "why": "the mistake, in one sentence", "fails": ["check-id", …] }';
  if (!existsSync(file)) return { problems: [`${where}/expect.json is missing: add ${example}.`] };
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    return { problems: [`${where}/expect.json is not valid JSON (${(error as Error).message}); it should be ${example}.`] };
  }
  const v = value as Partial<Expectation> | null;
  const problems: string[] = [];
  if (!v || typeof v !== 'object') return { problems: [`${where}/expect.json should be an object: ${example}.`] };
  if (typeof v.why !== 'string' || !v.why.trim()) problems.push(`${where}/expect.json: "why" should say the mistake in one sentence.`);
  if (!Array.isArray(v.fails) || !v.fails.length || !v.fails.every((id) => typeof id === 'string')) {
    problems.push(`${where}/expect.json: "fails" should list the ids of the checks this mistake must fail (at least one).`);
  } else {
    for (const id of v.fails) {
      if (!checkIds.has(id)) {
        problems.push(`${where}/expect.json lists '${id}', which is not a check of this lab. Checks: ${[...checkIds].join(', ')}.`);
      }
    }
  }
  return problems.length ? { problems } : { expectation: { why: v.why!, fails: v.fails! }, problems };
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

export async function checkLab(id: string, options: CheckLabOptions = {}): Promise<LabCheck> {
  const started = performance.now();
  const labsDir = options.labsDir ?? LABS_DIR;
  const label = `labs/${id}`;
  const items: CheckItem[] = [];
  const done = (title?: string): LabCheck => ({
    lab: id,
    ...(title ? { title } : {}),
    ok: items.every((i) => i.ok),
    items,
    durationMs: Math.round(performance.now() - started),
  });

  // 1. Schema and layout.
  let lab: LabOnDisk;
  try {
    lab = readLab(id, labsDir);
  } catch (error) {
    if (!(error instanceof LabError)) throw error;
    items.push(item('lab.md and steps/ match the schema', [error.message]));
    return done();
  }
  const layout = fileProblems(lab, label);
  items.push(item(`lab.md and ${plural(lab.steps.length, 'step')} match the schema; starter/ and solution/ hold ${lab.manifest.files.map((f) => f.path).join(', ')}`, layout));
  if (layout.length) return done(lab.manifest.title);

  // 2. Bundles.
  let bundle: LabBundle;
  const bundleOptions = { ...(options.cacheDir ? { cacheDir: options.cacheDir } : {}) };
  try {
    bundle = await buildLabBundle(lab, { audience: 'grader', ...bundleOptions, ...(options.checkPack ? { checkPack: options.checkPack } : {}) });
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
    if (problems.length) return done(lab.manifest.title);
  } catch (error) {
    if (!(error instanceof LabError)) throw error;
    items.push(item('bundles build', [error.message]));
    return done(lab.manifest.title);
  }
  const checkIds = new Set(bundle.checks.map((c) => c.id));

  // 3–7: everything that needs grading, run together in one pool.
  const grade = options.grade ?? nodeGrader;
  const jobs = options.jobs ?? availableParallelism();
  const wrong = subfolders(join(lab.dir, 'wrong')).map((name) => ({ name, where: `${label}/wrong/${name}`, ...readExpectation(join(lab.dir, 'wrong', name), `${label}/wrong/${name}`, checkIds) }));
  const alternatives = subfolders(join(lab.dir, 'alternatives')).map((name) => ({ name, where: `${label}/alternatives/${name}` }));
  const variants = options.quick
    ? []
    : OTHER_TIME_ZONES.map((timeZone, i) => ({ seed: i + 2, timeZone }));
  const repeatOf = wrong.find((w) => w.expectation)?.name;

  const zoned = new Map<string, LabBundle>();
  try {
    for (const v of variants) zoned.set(v.timeZone, await zonedBundle(lab, v.timeZone, { ...bundleOptions, ...(options.checkPack ? { checkPack: options.checkPack } : {}) }));
  } catch (error) {
    if (!(error instanceof LabError)) throw error;
    items.push(item(`bundles build in ${variants.map((v) => v.timeZone).join(', ')}`, [error.message]));
    return done(lab.manifest.title);
  }

  interface Job {
    key: string;
    dir: string;
    seed: number;
    bundle: LabBundle;
  }
  const jobsToRun: Job[] = [
    { key: 'solution', dir: join(lab.dir, 'solution'), seed: 1, bundle },
    { key: 'starter', dir: join(lab.dir, 'starter'), seed: 1, bundle },
    ...wrong.filter((w) => w.expectation).map((w) => ({ key: `wrong/${w.name}`, dir: join(lab.dir, 'wrong', w.name), seed: 1, bundle })),
    ...alternatives.map((a) => ({ key: `alternatives/${a.name}`, dir: join(lab.dir, 'alternatives', a.name), seed: 1, bundle })),
    ...variants.map((v) => ({ key: `solution@${v.seed}`, dir: join(lab.dir, 'solution'), seed: v.seed, bundle: zoned.get(v.timeZone)! })),
    ...(options.quick ? [] : [{ key: 'repeat', dir: join(lab.dir, repeatOf ? join('wrong', repeatOf) : 'starter'), seed: 1, bundle }]),
  ];
  const reports = new Map<string, Report>();
  const crashed = new Map<string, string>();
  await runPool(
    jobsToRun,
    async (job) => {
      reports.set(job.key, await grade(job.bundle, readLearnerFiles(job.dir), { seed: job.seed }));
    },
    { jobs, onError: (job, error) => crashed.set(job.key, error instanceof Error ? error.message : String(error)) },
  );
  const reportOf = (key: string): Report | string => reports.get(key) ?? `the grader itself failed: ${crashed.get(key) ?? 'no report'}`;

  // 3. Solution.
  const solution = reportOf('solution');
  if (typeof solution === 'string') {
    items.push(item('solution passes every check', [`${label}/solution: ${solution}`]));
  } else {
    const failing = solution.checks.filter((c) => c.status !== 'pass');
    const load = loadProblem(solution);
    items.push(
      item(
        `solution passes all ${plural(solution.checks.length, 'check')} (${solution.score}/${solution.maxScore})`,
        load
          ? [`${label}/solution could not be loaded (${load}). The reference solution must load and pass every check.`]
          : failing.map((c) => `${label}/solution fails ${verdict(c)}. The reference solution must pass every check, hidden ones included: fix the solution or the check.`),
      ),
    );
  }

  // 4. Starter.
  const starter = reportOf('starter');
  if (typeof starter === 'string') {
    items.push(item('starter does not pass', [`${label}/starter: ${starter}`]));
  } else {
    const load = loadProblem(starter);
    const problems: string[] = [];
    if (load) {
      problems.push(`${label}/starter could not be loaded (${load}). A starter must load and export ${lab.manifest.files.flatMap((f) => f.exports).join(', ')}, so a learner sees the checks, not an error: stub each body with throw new Error('Not implemented yet: …').`);
    } else if (starter.status === 'pass') {
      problems.push(`${label}/starter passes every check (${starter.score}/${starter.maxScore}): a learner would have nothing to do. Make the stubs throw new Error('Not implemented yet: …') or return something plainly wrong.`);
    }
    items.push(item(`starter loads and does not pass (${starter.score}/${starter.maxScore})`, problems));
  }

  // 5. Anti-solutions.
  for (const w of wrong) {
    if (!w.expectation) {
      items.push(item(`${w.where.slice(label.length + 1)} declares the checks it must fail`, w.problems));
      continue;
    }
    const report = reportOf(`wrong/${w.name}`);
    const expected = new Set(w.expectation.fails);
    const title = `wrong/${w.name} fails exactly ${[...expected].join(', ')}`;
    if (typeof report === 'string') {
      items.push(item(title, [`${w.where}: ${report}`]));
      continue;
    }
    const load = loadProblem(report);
    if (load) {
      items.push(item(title, [`${w.where} could not be loaded (${load}). An anti-solution must load so the checks can judge its mistake ("${w.expectation.why}").`]));
      continue;
    }
    const problems: string[] = [];
    const warnings: string[] = [];
    for (const c of report.checks) {
      if (expected.has(c.id) && c.status === 'pass') {
        problems.push(`${w.where} passes '${c.id}', which its expect.json says it must fail: the check does not catch this mistake ("${w.expectation.why}"). Make the check reject it, or fix the list.`);
      } else if (!expected.has(c.id) && c.status !== 'pass') {
        problems.push(`${w.where} also fails ${verdict(c)}, which its expect.json does not list. Add '${c.id}' to "fails" if this mistake should fail it, or keep the anti-solution to its one mistake.`);
      } else if (expected.has(c.id) && !c.message.trim()) {
        problems.push(`${w.where} fails '${c.id}' (${c.status}) with no message: say what was expected and what the code did, e.g. fail('…') or expect(value, 'what this value is').`);
      } else if (expected.has(c.id) && bareMatcherMessage(c.message)) {
        warnings.push(`'${c.id}' tells a learner only "${c.message.split('\n')[0]}": name the value, e.g. expect(got, 'prefix of an event at 23:30 -08:00').`);
      }
    }
    items.push(item(title, problems, warnings));
  }

  // 6. Alternatives.
  for (const a of alternatives) {
    const report = reportOf(`alternatives/${a.name}`);
    if (typeof report === 'string') {
      items.push(item(`alternatives/${a.name} passes every check`, [`${a.where}: ${report}`]));
      continue;
    }
    const load = loadProblem(report);
    items.push(
      item(
        `alternatives/${a.name} passes every check (${report.score}/${report.maxScore})`,
        load
          ? [`${a.where} could not be loaded (${load}).`]
          : report.checks
              .filter((c) => c.status !== 'pass')
              .map((c) => `${a.where} fails ${verdict(c)}. An alternative is a correct solution in another style: the check may be stricter than the steps say, or the alternative is wrong.`),
      ),
    );
  }

  // 7. Determinism.
  if (!options.quick && typeof solution !== 'string' && !solution.error) {
    const problems: string[] = [];
    for (const v of variants) {
      const report = reportOf(`solution@${v.seed}`);
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
    items.push(
      item(
        `solution passes under seeds ${variants.map((v) => v.seed).join(', ')} in ${variants.map((v) => v.timeZone).join(', ')}`,
        problems,
      ),
    );
    const firstKey = repeatOf ? `wrong/${repeatOf}` : 'starter';
    const first = reportOf(firstKey);
    const again = reportOf('repeat');
    if (typeof first !== 'string' && typeof again !== 'string') {
      const differences: string[] = [];
      for (const c of first.checks) {
        const d = again.checks.find((r) => r.id === c.id);
        if (!d || d.status !== c.status || d.message !== c.message) {
          differences.push(
            `'${c.id}' gave ${c.status}${c.message ? ` "${c.message}"` : ''} and then ${d?.status ?? 'nothing'}${d?.message ? ` "${d.message}"` : ''} for the same ${firstKey} and seed: a check uses real time or Math.random; use env.clock and env.random.`,
          );
        }
      }
      items.push(item(`same seed, same report (${firstKey} graded twice)`, differences));
    }
  }
  return done(lab.manifest.title);
}

const MARK = { ok: '✓', problem: '✗', warning: '!' };

export function formatLabCheck(result: LabCheck, options: { color?: boolean } = {}): string {
  const c = options.color
    ? { red: (s: string) => `\x1b[31m${s}\x1b[39m`, green: (s: string) => `\x1b[32m${s}\x1b[39m`, yellow: (s: string) => `\x1b[33m${s}\x1b[39m`, bold: (s: string) => `\x1b[1m${s}\x1b[22m` }
    : { red: (s: string) => s, green: (s: string) => s, yellow: (s: string) => s, bold: (s: string) => s };
  const lines = [c.bold(`${result.lab}${result.title ? ` — ${result.title}` : ''}`)];
  for (const i of result.items) {
    lines.push(`  ${i.ok ? c.green(MARK.ok) : c.red(MARK.problem)} ${i.title}`);
    for (const p of i.problems) lines.push(`      ${p.split('\n').join('\n      ')}`);
    for (const w of i.warnings) lines.push(`    ${c.yellow(MARK.warning)} ${w}`);
  }
  const problems = result.items.reduce((n, i) => n + i.problems.length, 0);
  lines.push(
    result.ok
      ? c.green(`  ${result.lab}: ready (${(result.durationMs / 1000).toFixed(1)} s)`)
      : c.red(`  ${result.lab}: ${plural(problems, 'problem')} to fix`),
  );
  return lines.join('\n');
}

const CHECK_HELP = `whetstone check [<id>…] [--jobs N] [--quick] [--checks DIR]

Self-tests labs (all of them when no id is given): the schema of lab.md and steps, the bundles,
the solution passes every check (hidden too), the starter does not, each wrong/<name>/ fails
exactly the checks its expect.json lists, each alternatives/<name>/ passes, and the solution
passes under other seeds and time zones. Exits 1 when anything is wrong.

  --jobs N       gradings in parallel (default: one per core)
  --quick        skip the repeated gradings under other seeds and time zones
  --checks DIR   include a private check pack, as in \`whetstone grade --checks\``;

const CHECK_OPTIONS = {
  jobs: { type: 'string' },
  quick: { type: 'boolean' },
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
  for (const id of ids) {
    const result = await checkLab(id, {
      ...(jobsValue ? { jobs: Number(jobsValue) } : {}),
      ...(parsed.values.quick ? { quick: true } : {}),
      ...(parsed.values.checks ? { checkPack: parsed.values.checks } : {}),
    });
    io.out(formatLabCheck(result, { color: io.isTTY && !process.env.NO_COLOR }));
    io.out('');
    if (!result.ok) failed.push(id);
  }
  if (failed.length) {
    io.out(`${failed.length} of ${plural(ids.length, 'lab')} need${failed.length === 1 ? 's' : ''} work: ${failed.join(', ')}.`);
    return 1;
  }
  io.out(ids.length === 1 ? `${ids[0]} is ready.` : `All ${ids.length} labs are ready.`);
  return 0;
}
