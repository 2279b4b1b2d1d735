// The sanity stop: when most of the first submissions of a batch fail to load with the same kind
// of error, the class is almost certainly graded against the wrong lab (another lab's SDK is a
// forbidden import, its files are missing exports) or the wrong folder (nothing readable). A
// class of such rows is worse than no grades — it looks like a class that failed — so the batch
// stops early and asks, and `--force` goes on.
//
// The decision is taken once, when the first SAMPLE outcomes are in (those resumed from the
// journal first, then in the order they finish), and is not revisited: a class does not stop
// halfway because its tail happens to be broken.

import type { ErrorKind } from '../../grader/report.ts';
import type { Outcome } from './grades.ts';
import { notGradedReason } from './grades.ts';

export const SAMPLE = 10;
/**
 * The errors a wrong lab or folder causes. Not time, memory, crashes or output floods: a loaded
 * machine can cause those for everyone, and asking "is --lab right?" then would mislead.
 */
const SUSPECT = new Set<ErrorKind>(['forbidden-import', 'missing-export', 'syntax', 'import-throw', 'unreadable']);
/** "Most": at least this share of the sample… */
const SHARE = 0.75;
/** …and at least this many, so that two broken submissions in a class of two do not stop it. */
const AT_LEAST = 3;

export interface SanityStop {
  kind: ErrorKind;
  /** Outcomes of the sample that failed to load with `kind`. */
  alike: Outcome[];
  /** Outcomes the decision looked at. */
  sample: number;
}

/** Looks at the first min(SAMPLE, classSize) outcomes; undefined while fewer are in, and when they do not fail alike. */
export function sanityStop(first: readonly Outcome[], classSize: number): SanityStop | undefined {
  const size = Math.min(SAMPLE, classSize);
  if (size < AT_LEAST || first.length < size) return undefined;
  const sample = first.slice(0, size);
  const byKind = new Map<ErrorKind, Outcome[]>();
  for (const outcome of sample) {
    const reason = notGradedReason(outcome);
    if (!reason || !SUSPECT.has(reason.kind)) continue;
    byKind.set(reason.kind, [...(byKind.get(reason.kind) ?? []), outcome]);
  }
  const [kind, alike] = [...byKind].sort((a, b) => b[1].length - a[1].length)[0] ?? [];
  if (!kind || !alike || alike.length < AT_LEAST || alike.length < SHARE * size) return undefined;
  return { kind, alike, sample: size };
}

/** The question to ask, by what the errors suggest. */
export function sanityQuestion(kind: ErrorKind): 'lab' | 'folder' | 'class' {
  if (kind === 'forbidden-import' || kind === 'missing-export') return 'lab';
  if (kind === 'unreadable') return 'folder';
  return 'class';
}
