// The words of check messages: naming what the learner's code returned, threw or sent, in
// their terms. Every lab used to write its own; these are the shared ones, re-exported by
// `whetstone/checks`. Pure functions of their arguments, safe on any value learner code returns.

import type { TraceEntry } from './report.ts';
import { learnerLocation } from './submission.ts';

/** '1 event', '2,400 objects', count(3, 'batch', 'batches') → '3 batches'. */
export function count(n: number, noun: string, plural = `${noun}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? noun : plural}`;
}

/** 'a, b, c' — or, past `max` items, 'a, b, c, d and 8 more'. */
export function list(items: readonly string[], max = 4): string {
  if (items.length <= max) return items.join(', ');
  return `${items.slice(0, max).join(', ')} and ${(items.length - max).toLocaleString('en-US')} more`;
}

/** The first `max` characters and '…' when there were more. */
export function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/**
 * A value the learner's code returned, as it would read in a sentence: strings quoted, objects
 * as (clipped) JSON, and the values JSON would misstate named instead (NaN, a Promise that was
 * never awaited, a Map, a function, an object that refers to itself).
 */
export function describe(value: unknown): string {
  switch (typeof value) {
    case 'undefined':
      return 'undefined';
    case 'string':
      return `'${clip(value, 80)}'`;
    case 'number':
    case 'boolean':
      return String(value);
    case 'bigint':
      return `${value}n`;
    case 'symbol':
      return value.toString();
    case 'function':
      return value.name ? `the function ${value.name}` : 'a function';
  }
  if (value === null) return 'null';
  if (value instanceof Promise) return 'a Promise (an async result nobody awaited: add await)';
  if (value instanceof Error) return `${value.name}: ${clip(String(value.message), 120)}`;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'an invalid Date' : `the Date ${value.toISOString()}`;
  if (value instanceof Map) return `a Map of ${count(value.size, 'entry', 'entries')}`;
  if (value instanceof Set) return `a Set of ${count(value.size, 'value')}`;
  try {
    return clip(JSON.stringify(value) ?? String(value), 120);
  } catch {
    return Array.isArray(value) ? `an array of ${count(value.length, 'item')} that cannot be shown as JSON` : 'an object that cannot be shown as JSON';
  }
}

/**
 * An error the learner's code threw, with where it came from when that is in their files:
 * 'Error: Not implemented yet (partition.ts:22:9)'.
 */
export function describeThrown(error: unknown, files?: Readonly<Record<string, string>>): string {
  let what: string;
  if (error instanceof Error) what = `${error.name}: ${String(error.message).replace(/[.\s]+$/, '')}`;
  else {
    try {
      what = `a non-Error value: ${JSON.stringify(error) ?? String(error)}`;
    } catch {
      what = 'a non-Error value';
    }
  }
  const where = files ? learnerLocation(error, files) : undefined;
  return where ? `${what} (${where.file}:${where.line}:${where.column})` : what;
}

/**
 * One AWS call of the trace, as the learner would name it: 'PutObject raw/…/b-1.jsonl',
 * 'DeleteObjects of 3 keys', 'ListObjectsV2 under raw/web-logs/', and the error AWS answered
 * when the call failed ('GetObject raw/x.jsonl (NoSuchKey)').
 */
export function describeCall(entry: Pick<TraceEntry, 'operation' | 'input' | 'outcome'>): string {
  const input = (entry.input && typeof entry.input === 'object' ? entry.input : {}) as {
    Key?: unknown;
    Prefix?: unknown;
    Delete?: { Objects?: unknown };
  };
  let call = entry.operation;
  if (Array.isArray(input.Delete?.Objects)) call += ` of ${count(input.Delete.Objects.length, 'key')}`;
  else if (typeof input.Key === 'string') call += ` ${input.Key}`;
  else if (typeof input.Prefix === 'string') call += ` under ${input.Prefix}`;
  return entry.outcome && entry.outcome !== 'ok' ? `${call} (${entry.outcome})` : call;
}

/** 45 → '45 s', 90 → '1 min 30 s', 240 → '4 min'. */
export function duration(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  return s % 60 ? `${m} min ${s % 60} s` : `${m} min`;
}

/** [2, 5, 6, 7] → '2, 5–7': whole numbers (epochs, pages, lines) as a person reads them. */
export function ranges(numbers: readonly number[]): string {
  const sorted = [...new Set(numbers)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    parts.push(i === j ? `${sorted[i]}` : `${sorted[i]}–${sorted[j]}`);
    i = j + 1;
  }
  return parts.join(', ');
}
