// Why learners failed one check, grouped by cause. A cause is what the check said went wrong,
// not the values it named: "Expected the keys a, b; your code wrote c" and "…; your code wrote
// d, e" are one cause. When the check names its failure (`fail(message, { code })`), the code is
// the cause. Otherwise messages are grouped by the words they share (most of a message is the
// check's own template; the values differ between learners), and each group is shown as that
// template, the varying parts as "…": masking digits instead would split one cause into many
// ("N,N objects", "<id>N") and hide the values a check fixes itself ("step 2").
//
// Unfinished work is not a misconception: a failure that quotes the starter's
// `Not implemented yet` error (docs/authoring.md: starters throw it) is counted apart as "not
// attempted", so that it cannot drown the mistakes of learners who tried.

import { compareIds } from './learner-ids.ts';

export const NOT_IMPLEMENTED = 'Not implemented yet';

export interface Failure {
  learner: string;
  message: string;
  code?: string;
  /** The grader found the starter's stub still in place (CheckResult.unfinished). */
  unfinished?: boolean;
}

export interface CauseMessage {
  /** The full message, as the learner saw it. */
  text: string;
  learners: string[];
}

export interface Cause {
  /** The check's own name for this failure, when it gave one. */
  code?: string;
  /** What the messages of this cause share, the parts that differ between learners as "…". */
  template: string;
  count: number;
  /** Every learner behind this cause, in id order. */
  learners: string[];
  /** The distinct full messages, most common first (at most MAX_MESSAGES). */
  messages: CauseMessage[];
  /** Distinct messages left out of `messages`. */
  moreMessages: number;
}

export interface Causes {
  notAttempted: { count: number; learners: string[] };
  /** Most common first. */
  causes: Cause[];
}

export const MAX_MESSAGES = 10;
/**
 * Causes found per check before the rest is lumped together: each message is compared with every
 * cause so far, and a class of 50,000 whose messages share nothing must not cost 50,000².
 */
export const MAX_CAUSES = 100;
export const OTHER_MESSAGES = `(messages unlike each other and the ${MAX_CAUSES} causes above)`;
/** Messages that share less than this (Dice coefficient of their words) are different causes. */
const SAME_CAUSE = 0.5;
/** A template is folded from this many distinct messages: enough to see what varies. */
const TEMPLATE_SAMPLE = 8;
/** Long messages (a list of 200 keys) are compared and aligned on their first tokens. */
const MAX_TOKENS = 300;
const GAP = '…';

/** A failure on the starter's stub: flagged by the grader, or (reports from older graders) named in the message. */
export function isNotAttempted(failure: Pick<Failure, 'message' | 'unfinished'>): boolean {
  return failure.unfinished === true || failure.message.includes(NOT_IMPLEMENTED);
}

/**
 * Numbers (a sign only where it cannot be a hyphen: -5, not the one in 2024-01-15), words, single
 * punctuation marks and runs of white space, so that joining them gives the text back.
 */
export function tokens(text: string): string[] {
  return text.match(/(?<![\p{L}\p{N}_])[-+]?\p{N}+(?:[.,]\p{N}+)*|[\p{L}\p{N}_]+|\s+|[^\p{L}\p{N}_\s]/gu) ?? [];
}

function wordCounts(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const t of tokens(text).slice(0, MAX_TOKENS)) if (!/^\s+$/.test(t)) counts.set(t, (counts.get(t) ?? 0) + 1);
  return counts;
}

/** Dice coefficient of two bags of words, 0..1: cheap, and blind to where a list grew longer. */
export function similarity(a: Map<string, number>, b: Map<string, number>): number {
  let shared = 0;
  let total = 0;
  for (const [word, n] of a) {
    shared += Math.min(n, b.get(word) ?? 0);
    total += n;
  }
  for (const n of b.values()) total += n;
  return total ? (2 * shared) / total : 1;
}

/** What two token lists share, in order (longest common subsequence), the rest as single gaps. */
function align(a: readonly string[], b: readonly string[]): string[] {
  const n = a.length;
  const m = b.length;
  // lengths[i][j]: LCS of a[i..] and b[j..], as one flat array.
  const lengths = new Uint16Array((n + 1) * (m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lengths[i * (m + 1) + j] =
        a[i] === b[j] && a[i] !== GAP ? lengths[(i + 1) * (m + 1) + j + 1]! + 1 : Math.max(lengths[(i + 1) * (m + 1) + j]!, lengths[i * (m + 1) + j + 1]!);
    }
  }
  const out: string[] = [];
  const gap = () => {
    if (out.at(-1) !== GAP) out.push(GAP);
  };
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j] && a[i] !== GAP) {
      out.push(a[i]!);
      i++;
      j++;
    } else if (lengths[(i + 1) * (m + 1) + j]! >= lengths[i * (m + 1) + j + 1]!) {
      gap();
      i++;
    } else {
      gap();
      j++;
    }
  }
  if (i < n || j < m) gap();
  return mergeGaps(out);
}

/** "… . …" and "… / …" are one gap: punctuation stranded between two gaps says nothing. */
function mergeGaps(aligned: string[]): string[] {
  const out: string[] = [];
  for (const token of aligned) {
    if (token === GAP) {
      const last = out.lastIndexOf(GAP);
      if (last !== -1 && out.slice(last + 1).every((t) => /^[^\p{L}\p{N}]+$/u.test(t))) out.length = last;
    }
    out.push(token);
  }
  return out;
}

/** The shared text of some messages, what differs between them as "…". */
export function templateOf(messages: readonly string[]): string {
  const [first, ...rest] = messages;
  if (first === undefined) return '';
  const firstTokens = tokens(first);
  let template = firstTokens.slice(0, MAX_TOKENS);
  const truncated = firstTokens.length > MAX_TOKENS;
  for (const message of rest.slice(0, TEMPLATE_SAMPLE - 1)) template = align(template, tokens(message).slice(0, MAX_TOKENS));
  // A gap swallows the white space around it into one " … ".
  const text = template
    .join('')
    .replace(/\s*…(\s*…)*\s*/g, (gap, _inner, offset: number, whole: string) => {
      const before = offset > 0 && /\s/.test(gap[0]!) ? ' ' : '';
      const after = offset + gap.length < whole.length && /\s/.test(gap.at(-1)!) ? ' ' : '';
      return `${before}${GAP}${after}`;
    });
  return truncated && !text.endsWith(GAP) ? `${text}${GAP}` : text;
}

interface Group {
  code?: string;
  /** The catch-all past MAX_CAUSES: its messages share no template. */
  other?: boolean;
  /** The first (most common) message's words: what a message is compared with. */
  words: Map<string, number>;
  /** Distinct messages with their learners, most common first. */
  messages: CauseMessage[];
}

function toCause(group: Group): Cause {
  const learners = group.messages.flatMap((m) => m.learners).sort(compareIds);
  return {
    ...(group.code ? { code: group.code } : {}),
    template: group.other ? OTHER_MESSAGES : templateOf(group.messages.map((m) => m.text)),
    count: learners.length,
    learners,
    messages: group.messages.slice(0, MAX_MESSAGES),
    moreMessages: Math.max(0, group.messages.length - MAX_MESSAGES),
  };
}

/** Group the failures of one check by cause. Deterministic: the same failures give the same causes. */
export function groupCauses(failures: readonly Failure[]): Causes {
  const notAttempted: string[] = [];
  // Distinct messages first, per code (undefined: the check named none).
  const byCode = new Map<string | undefined, Map<string, string[]>>();
  for (const f of failures) {
    if (isNotAttempted(f)) {
      notAttempted.push(f.learner);
      continue;
    }
    const messages = byCode.get(f.code) ?? new Map<string, string[]>();
    byCode.set(f.code, messages);
    messages.set(f.message, [...(messages.get(f.message) ?? []), f.learner]);
  }
  const byFrequency = (a: CauseMessage, b: CauseMessage) => b.learners.length - a.learners.length || (a.text < b.text ? -1 : a.text > b.text ? 1 : 0);
  const groups: Group[] = [];
  for (const [code, messages] of byCode) {
    const distinct = [...messages].map(([text, learners]) => ({ text, learners })).sort(byFrequency);
    if (code !== undefined) {
      groups.push({ code, words: new Map(), messages: distinct });
      continue;
    }
    const uncoded: Group[] = [];
    const other: Group = { other: true, words: new Map(), messages: [] };
    for (const message of distinct) {
      const words = wordCounts(message.text);
      const group = uncoded.find((g) => similarity(g.words, words) >= SAME_CAUSE);
      if (group) group.messages.push(message);
      else if (uncoded.length < MAX_CAUSES) uncoded.push({ words, messages: [message] });
      else other.messages.push(message);
    }
    groups.push(...uncoded, ...(other.messages.length ? [other] : []));
  }
  const causes = groups.map(toCause).sort((a, b) => b.count - a.count || (a.template < b.template ? -1 : a.template > b.template ? 1 : 0));
  return { notAttempted: { count: notAttempted.length, learners: notAttempted }, causes };
}
