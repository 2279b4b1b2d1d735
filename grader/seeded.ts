// Drawing fixtures from a check's seeded random source (`env.random`, or seededRandom(seed)):
// hidden checks vary between runs and repeat exactly for the same seed. Re-exported by
// `whetstone/checks`.

export type Random = () => number;

/** A whole number in [min, max], both included. */
export function between(random: Random, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}

export function pick<T>(random: Random, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!;
}

/** A shuffled copy (Fisher–Yates). */
export function shuffle<T>(random: Random, items: readonly T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** `digits` lower-case hex digits, e.g. for ids: 'e-7f3a'. */
export function hex(random: Random, digits: number): string {
  let s = '';
  for (let i = 0; i < digits; i++) s += '0123456789abcdef'[Math.floor(random() * 16)];
  return s;
}
