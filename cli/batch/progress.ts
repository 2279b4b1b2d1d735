// Progress of a batch, on stderr: a bar redrawn in place on a terminal, plain lines otherwise
// (CI logs, `2> log`), so stdout keeps only the summary and nothing is lost in a pipe.

import type { Outcome } from './grades.ts';
import { notGradedReason, statusOf } from './grades.ts';

export interface Progress {
  /** `total` to grade in this run; `resumed` already in the journal. */
  start(total: number, resumed: number): void;
  update(outcome: Outcome): void;
  /** Erase the bar (a summary follows). */
  stop(): void;
}

interface Counts {
  done: number;
  total: number;
  pass: number;
  fail: number;
  error: number;
  elapsedMs: number;
}

function rate(c: Counts): number {
  return c.elapsedMs > 0 ? c.done / (c.elapsedMs / 1000) : 0;
}

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '—';
  if (seconds < 10) return `${Math.max(0, seconds).toFixed(1)} s`;
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h ? `${h} h ${String(m).padStart(2, '0')} min` : `${m} min ${String(s % 60).padStart(2, '0')} s`;
}

/** One line of the bar, at most `width` columns; a narrow terminal loses the bar before the counts. */
export function renderBar(c: Counts, width: number): string {
  const perSecond = rate(c);
  const eta = perSecond > 0 ? formatDuration((c.total - c.done) / perSecond) : '—';
  const counts = `${c.done}/${c.total} · ${perSecond.toFixed(1)}/s · ETA ${eta}`;
  const verdicts = `${c.pass} pass, ${c.fail} fail, ${c.error} error`;
  const tail = ` ${counts} · ${verdicts}`;
  const barWidth = Math.min(40, width - tail.length - 2);
  if (barWidth >= 10) {
    const filled = c.total ? Math.round((c.done / c.total) * barWidth) : barWidth;
    return `[${'█'.repeat(filled)}${'░'.repeat(barWidth - filled)}]${tail}`;
  }
  const line = tail.length - 1 <= width ? tail.slice(1) : counts;
  return line.length > width ? line.slice(0, Math.max(0, width)) : line;
}

function counter(now: () => number) {
  const c: Counts = { done: 0, total: 0, pass: 0, fail: 0, error: 0, elapsedMs: 0 };
  let started = now();
  return {
    counts: c,
    start(total: number) {
      c.total = total;
      started = now();
    },
    add(outcome: Outcome) {
      c.done += 1;
      c[statusOf(outcome)] += 1;
      c.elapsedMs = now() - started;
    },
  };
}

/** A bar redrawn at most ten times a second with `\r` and erase-line. */
export function barProgress(write: (raw: string) => void, columns = 80, now = () => performance.now()): Progress {
  const state = counter(now);
  let lastDraw = -Infinity;
  // A terminal that reports no width gets 80; never write into the last column (some wrap there).
  const width = (columns > 0 ? Math.max(20, columns) : 80) - 1;
  const draw = () => {
    lastDraw = now();
    write(`\r\x1b[2K${renderBar(state.counts, width)}`);
  };
  return {
    start(total, resumed) {
      if (resumed) write(`${resumed} already graded (journal); grading the other ${total}.\n`);
      state.start(total);
      draw();
    },
    update(outcome) {
      state.add(outcome);
      if (now() - lastDraw >= 100 || state.counts.done === state.counts.total) draw();
    },
    stop() {
      write('\r\x1b[2K');
    },
  };
}

/** A learner's line: the score, or that there is none and why (the reason is the instructor's to act on). */
function describeOutcome(outcome: Outcome): string {
  const reason = notGradedReason(outcome);
  if (reason) return `not graded (${reason.kind}): ${reason.message.split('\n')[0]}`;
  const r = outcome.report!;
  return `${r.score}/${r.maxScore} ${r.status}`;
}

/** One line per learner for small batches; for big ones, one every 1% so a CI log stays readable. */
export function lineProgress(err: (line: string) => void, now = () => performance.now()): Progress {
  const state = counter(now);
  let every = 1;
  return {
    start(total, resumed) {
      state.start(total);
      every = total > 1000 ? Math.ceil(total / 100) : 1;
      err(`Grading ${total} submission${total === 1 ? '' : 's'}${resumed ? ` (${resumed} already graded, from the journal)` : ''}.`);
    },
    update(outcome) {
      state.add(outcome);
      const c = state.counts;
      if (every === 1) {
        err(`[${String(c.done).padStart(String(c.total).length)}/${c.total}] ${outcome.id}: ${describeOutcome(outcome)}`);
      } else if (c.done % every === 0 || c.done === c.total) {
        err(`[${c.done}/${c.total}] ${rate(c).toFixed(1)}/s · ${c.pass} pass, ${c.fail} fail, ${c.error} error`);
      }
    },
    stop() {},
  };
}
