// Item analysis over a graded class: for every check, how many learners passed it, how well it
// separates strong submissions from weak ones, and why the others failed it — by cause, with the
// learners behind each (causes.ts) — so an author sees which check confuses people and why, and
// an instructor sees whom to help with what.

import type { CheckInfo, CheckStatus, ErrorKind, Report } from '../../grader/report.ts';
import { groupCauses } from './causes.ts';
import { compareIds } from './learner-ids.ts';
import type { Cause, Failure } from './causes.ts';

export type { Cause };

/** One learner's report, or why there is none. */
export interface Graded {
  id: string;
  report?: Report;
  /** When there is no report: why the submission could not be read. */
  unreadable?: ErrorKind;
}

export interface CheckAnalysis {
  id: string;
  title: string;
  step: number;
  maxScore: number;
  visibility: CheckInfo['visibility'];
  /** Submissions that loaded and so ran this check. */
  graded: number;
  passed: number;
  /** passed / graded, 0..1 (0 when nothing was graded). */
  passRate: number;
  statuses: Record<CheckStatus, number>;
  /**
   * Point-biserial correlation between passing this check and the score on the other checks,
   * -1..1; null when it cannot be computed (everybody passed, or nobody did). Near 0 or negative:
   * passing it says nothing about the rest — often a check that tests the wrong thing or a
   * message that misleads.
   */
  discrimination: number | null;
  /** Failed on the starter's "Not implemented yet": the step was not attempted. */
  notAttempted: { count: number; learners: string[] };
  /** Why the others failed, most common cause first; full messages and every learner. */
  causes: Cause[];
}

export interface ItemAnalysis {
  submissions: number;
  /** Submissions that loaded (syntax, missing exports and unreadable input did not). */
  loaded: number;
  notLoaded: Partial<Record<ErrorKind, number>>;
  /**
   * Per step, the learners who left some of it as the starter had it (a check failed on "Not
   * implemented yet"): unfinished work, kept apart from the causes of each check.
   */
  notAttempted: { step: number; learners: string[] }[];
  checks: CheckAnalysis[];
}

function pointBiserial(pass: boolean[], rest: number[]): number | null {
  const n = pass.length;
  const p = pass.filter(Boolean).length;
  if (n < 2 || p === 0 || p === n) return null;
  const mean = rest.reduce((a, b) => a + b, 0) / n;
  const sd = Math.sqrt(rest.reduce((a, b) => a + (b - mean) ** 2, 0) / n);
  if (sd === 0) return null;
  const meanPass = rest.filter((_, i) => pass[i]).reduce((a, b) => a + b, 0) / p;
  const meanFail = rest.filter((_, i) => !pass[i]).reduce((a, b) => a + b, 0) / (n - p);
  const q = p / n;
  return Math.round(((meanPass - meanFail) / sd) * Math.sqrt(q * (1 - q)) * 1000) / 1000;
}

/**
 * Submissions that did not load (report.error) or could not be read count in `notLoaded`, not
 * against any check — a syntax error says nothing about how hard a check is.
 */
export function analyseItems(checks: readonly CheckInfo[], graded: readonly Graded[]): ItemAnalysis {
  const loaded = graded.filter((g): g is Graded & { report: Report } => !!g.report && !g.report.error);
  const notLoaded: Partial<Record<ErrorKind, number>> = {};
  for (const g of graded) {
    const kind = g.report ? g.report.error?.kind : (g.unreadable ?? 'unreadable');
    if (kind) notLoaded[kind] = (notLoaded[kind] ?? 0) + 1;
  }
  const analyses = checks.map((info): CheckAnalysis => {
    const statuses: Record<CheckStatus, number> = { pass: 0, fail: 0, error: 0, timeout: 0 };
    const failures: Failure[] = [];
    const pass: boolean[] = [];
    const rest: number[] = [];
    for (const { id, report } of loaded) {
      const result = report.checks.find((c) => c.id === info.id);
      if (!result) continue;
      statuses[result.status] += 1;
      pass.push(result.status === 'pass');
      rest.push(report.score - result.score);
      if (result.status !== 'pass') {
        failures.push({ learner: id, message: result.message || `(${result.status}, no message)`, ...(result.code ? { code: result.code } : {}), ...(result.unfinished ? { unfinished: true } : {}) });
      }
    }
    const graded = pass.length;
    const { notAttempted, causes } = groupCauses(failures);
    return {
      id: info.id,
      title: info.title,
      step: info.step,
      maxScore: info.maxScore,
      visibility: info.visibility,
      graded,
      passed: statuses.pass,
      passRate: graded ? Math.round((statuses.pass / graded) * 1000) / 1000 : 0,
      statuses,
      discrimination: pointBiserial(pass, rest),
      notAttempted,
      causes,
    };
  });
  const steps = [...new Set(analyses.map((a) => a.step))].sort((a, b) => a - b);
  const notAttempted = steps.flatMap((step) => {
    const learners = new Set(analyses.filter((a) => a.step === step).flatMap((a) => a.notAttempted.learners));
    return learners.size ? [{ step, learners: [...learners].sort(compareIds) }] : [];
  });
  return { submissions: graded.length, loaded: loaded.length, notLoaded, notAttempted, checks: analyses };
}

/** Causes printed per check; the JSON holds all of them. */
const SHOWN_CAUSES = 3;
const SHOWN_LEARNERS = 6;
const TEMPLATE_LINES = 6;

export function listLearners(ids: readonly string[], shown = SHOWN_LEARNERS): string {
  if (ids.length <= shown) return ids.join(', ');
  return `${ids.slice(0, shown).join(', ')} and ${ids.length - shown} more`;
}

/** Word-wrap to `width`, at most `lines` lines (the last ends in "…" when text is left). */
export function wrap(text: string, width: number, lines = Infinity): string[] {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > width) {
      out.push(line);
      line = '';
    }
    // A word longer than the line (a URL, a long key) is cut where it must be.
    let rest = word;
    while (rest.length > width) {
      if (line) {
        out.push(line);
        line = '';
      }
      out.push(rest.slice(0, width));
      rest = rest.slice(width);
    }
    line = line ? `${line} ${rest}` : rest;
  }
  if (line) out.push(line);
  if (out.length <= lines) return out;
  const kept = out.slice(0, lines);
  kept[lines - 1] = `${kept[lines - 1]!.slice(0, Math.max(0, width - 2)).trimEnd()} …`;
  return kept;
}

/** The table printed at the end of a batch. `where` names the JSON that holds everything. */
export function formatItemAnalysis(analysis: ItemAnalysis, width = 100, where = 'the JSON output'): string {
  const lines: string[] = [];
  const notLoaded = Object.entries(analysis.notLoaded);
  lines.push(
    `Item analysis: ${analysis.loaded} of ${analysis.submissions} submissions loaded and ran the checks` +
      (notLoaded.length ? ` (not graded: ${notLoaded.map(([k, n]) => `${n} ${k}`).join(', ')})` : '') +
      '.',
  );
  if (!analysis.loaded) return lines.join('\n');
  if (analysis.notAttempted.length) {
    lines.push(`Not attempted (a check failed on the starter's "Not implemented yet"; not counted among the causes below):`);
    // Consecutive steps left by the same learners make one line: "steps 3–5".
    const runs: { from: number; to: number; learners: string[] }[] = [];
    for (const { step, learners } of analysis.notAttempted) {
      const last = runs.at(-1);
      if (last && last.to === step - 1 && last.learners.join('\0') === learners.join('\0')) last.to = step;
      else runs.push({ from: step, to: step, learners });
    }
    for (const run of runs) {
      const steps = run.from === run.to ? `step ${run.from}` : `steps ${run.from}–${run.to}`;
      lines.push(`  ${steps}: ${run.learners.length} learner${run.learners.length === 1 ? '' : 's'} (${listLearners(run.learners, 8)})`);
    }
  }
  const idWidth = Math.max(5, ...analysis.checks.map((c) => c.id.length + (c.visibility === 'hidden' ? 9 : 0)));
  const textWidth = Math.max(30, width - 12);
  lines.push(`  ${'CHECK'.padEnd(idWidth)}   PASS          DISC`);
  let omitted = 0;
  for (const c of analysis.checks) {
    const name = `${c.id}${c.visibility === 'hidden' ? ' (hidden)' : ''}`;
    const rate = `${String(Math.round(c.passRate * 100)).padStart(3)}%`;
    const counts = `${c.passed}/${c.graded}`.padEnd(9);
    const disc = c.discrimination === null ? '  —' : c.discrimination.toFixed(2).padStart(5);
    lines.push(`  ${name.padEnd(idWidth)}  ${rate} ${counts} ${disc}`);
    for (const cause of c.causes.slice(0, SHOWN_CAUSES)) {
      const [first = '', ...more] = wrap(cause.template, textWidth, TEMPLATE_LINES);
      lines.push(`    ${`${cause.count}×`.padStart(5)} ${first}`);
      for (const line of more) lines.push(`          ${line}`);
      lines.push(`          ${cause.code ? `[${cause.code}] ` : ''}${listLearners(cause.learners)}`);
    }
    omitted += Math.max(0, c.causes.length - SHOWN_CAUSES);
  }
  lines.push('  PASS: share of loaded submissions passing the check. DISC: how well passing it predicts the rest of the score (−1…1; near 0 or below: look at the check).');
  lines.push(`  Each cause: how many learners, what the check said (… where their messages differ), who. Every cause, full message and learner: ${where}${omitted ? ` (${omitted} more cause${omitted === 1 ? '' : 's'} there)` : ''}.`);
  return lines.join('\n');
}
