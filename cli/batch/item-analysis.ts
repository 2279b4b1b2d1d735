// Item analysis over a graded class: for every check, how many learners passed it, how well it
// separates strong submissions from weak ones, and the failure messages learners got most often
// (similar messages grouped) — so an author sees which check confuses people, and why.

import type { CheckInfo, CheckStatus, ErrorKind, Report } from '../../grader/report.ts';

export interface FailureGroup {
  /** The message with its variable parts (numbers, dates, ids) replaced, e.g. 'add(N, N) should be N'. */
  pattern: string;
  count: number;
  /** One real message of the group, as a learner saw it. */
  example: string;
}

export interface CheckAnalysis {
  id: string;
  title: string;
  step: number;
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
  topFailures: FailureGroup[];
}

export interface ItemAnalysis {
  submissions: number;
  /** Submissions that loaded (syntax, missing exports and unreadable input did not). */
  loaded: number;
  notLoaded: Partial<Record<ErrorKind, number>>;
  checks: CheckAnalysis[];
}

const MAX_GROUPS = 3;

/** Group key of a message: the words stay, the values that differ between learners go. */
export function messagePattern(message: string): string {
  return message
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?/g, '<time>')
    .replace(/\b\d{4}-\d{2}-\d{2}\b/g, '<date>')
    .replace(/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, '<id>')
    .replace(/\b(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{8,}\b/gi, '<id>')
    // learner-style ids: e-7f3a, u-42, batch-0007
    .replace(/\b[a-z]+-(?=[0-9a-f]*\d)[0-9a-f]+\b/gi, '<id>')
    .replace(/-?\b\d+(?:\.\d+)?\b/g, 'N')
    .slice(0, 300);
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
 * `reports` may include submissions that did not load (report.error): they count in `notLoaded`,
 * not against any check — a syntax error says nothing about how hard a check is.
 * `unreadable` counts submissions that never became a report (a broken zip).
 */
export function analyseItems(checks: readonly CheckInfo[], reports: readonly Report[], unreadable = 0): ItemAnalysis {
  const loaded = reports.filter((r) => !r.error);
  const notLoaded: Partial<Record<ErrorKind, number>> = {};
  for (const r of reports) if (r.error) notLoaded[r.error.kind] = (notLoaded[r.error.kind] ?? 0) + 1;
  if (unreadable) notLoaded.unreadable = (notLoaded.unreadable ?? 0) + unreadable;
  const analyses = checks.map((info): CheckAnalysis => {
    const statuses: Record<CheckStatus, number> = { pass: 0, fail: 0, error: 0, timeout: 0 };
    const groups = new Map<string, FailureGroup>();
    const pass: boolean[] = [];
    const rest: number[] = [];
    for (const report of loaded) {
      const result = report.checks.find((c) => c.id === info.id);
      if (!result) continue;
      statuses[result.status] += 1;
      pass.push(result.status === 'pass');
      rest.push(report.score - result.score);
      if (result.status !== 'pass') {
        const message = result.message || `(${result.status}, no message)`;
        const pattern = messagePattern(message);
        const group = groups.get(pattern);
        if (group) group.count += 1;
        else groups.set(pattern, { pattern, count: 1, example: message });
      }
    }
    const graded = pass.length;
    return {
      id: info.id,
      title: info.title,
      step: info.step,
      visibility: info.visibility,
      graded,
      passed: statuses.pass,
      passRate: graded ? Math.round((statuses.pass / graded) * 1000) / 1000 : 0,
      statuses,
      discrimination: pointBiserial(pass, rest),
      topFailures: [...groups.values()].sort((a, b) => b.count - a.count || a.pattern.localeCompare(b.pattern)).slice(0, MAX_GROUPS),
    };
  });
  return { submissions: reports.length + unreadable, loaded: loaded.length, notLoaded, checks: analyses };
}

function clip(text: string, width: number): string {
  return text.length > width ? `${text.slice(0, width - 1)}…` : text;
}

/** The table printed at the end of a batch. */
export function formatItemAnalysis(analysis: ItemAnalysis, width = 100): string {
  const lines: string[] = [];
  const notLoaded = Object.entries(analysis.notLoaded);
  lines.push(
    `Item analysis: ${analysis.loaded} of ${analysis.submissions} submissions loaded and ran the checks` +
      (notLoaded.length ? ` (not graded: ${notLoaded.map(([k, n]) => `${n} ${k}`).join(', ')})` : '') +
      '.',
  );
  if (!analysis.loaded) return lines.join('\n');
  const idWidth = Math.max(5, ...analysis.checks.map((c) => c.id.length + (c.visibility === 'hidden' ? 9 : 0)));
  lines.push(`  ${'CHECK'.padEnd(idWidth)}   PASS          DISC`);
  for (const c of analysis.checks) {
    const name = `${c.id}${c.visibility === 'hidden' ? ' (hidden)' : ''}`;
    const rate = `${String(Math.round(c.passRate * 100)).padStart(3)}%`;
    const counts = `${c.passed}/${c.graded}`.padEnd(9);
    const disc = c.discrimination === null ? '  —' : c.discrimination.toFixed(2).padStart(5);
    lines.push(`  ${name.padEnd(idWidth)}  ${rate} ${counts} ${disc}`);
    for (const f of c.topFailures) {
      lines.push(`      ${String(f.count).padStart(5)}× ${clip(f.pattern, Math.max(30, width - 14))}`);
    }
  }
  lines.push('  PASS: share of loaded submissions passing the check. DISC: how well passing it predicts the rest of the score (−1…1; near 0 or below: look at the check).');
  return lines.join('\n');
}
