// Flags as a person types them, shared by every command: parse errors said in one line that
// names the option, and the values more than one command takes.

import { UsageError } from './usage.ts';

/** Levenshtein distance: how many letters to change, add or drop to turn a into b. */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(previous[j]! + 1, row[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = row;
  }
  return previous[b.length]!;
}

/** The known option a typo most likely meant: --forse → --force, --job → --jobs. */
function closest(option: string, known: readonly string[]): string | undefined {
  const ranked = known.map((k) => ({ k, d: distance(option, k) })).sort((a, b) => a.d - b.d);
  const best = ranked[0];
  return best && best.d <= Math.max(1, Math.floor(option.length / 4)) ? best.k : known.find((k) => k.startsWith(option) || option.startsWith(k));
}

/** parseArgs' messages are long and generic; say which option and what exists. */
export function describeParseError(error: unknown, options: Record<string, unknown>): string {
  const e = error as NodeJS.ErrnoException;
  const known = Object.keys(options).map((o) => `--${o}`);
  const option = /'(-[^']+)'/.exec(e.message)?.[1];
  if (e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && option) {
    const close = closest(option, known);
    return `Unknown option ${option}.${close ? ` Did you mean ${close}?` : ''} Options: ${known.join(', ')}.`;
  }
  if (e.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && option) return `${option} needs a value.`;
  return e.message.split('\n')[0] ?? String(error);
}

export function parseSeed(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new UsageError(`--seed ${value}: use a whole number, e.g. --seed 7.`);
  return Number(value);
}
