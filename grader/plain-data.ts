// Learner code can hand the grader anything: proxies, getters that throw, cycles, huge arrays.
// Before a value goes into a report it becomes plain JSON data, defensively.

const MAX_DEPTH = 8;
const MAX_ITEMS = 200;
const MAX_STRING = 2000;

export function toPlainData(value: unknown, depth = 0, seen: WeakSet<object> = new WeakSet()): unknown {
  try {
    if (value === null || typeof value === 'boolean') return value;
    if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
    if (typeof value === 'string') return value.length > MAX_STRING ? `${value.slice(0, MAX_STRING)}…` : value;
    if (typeof value === 'bigint') return `${value}n`;
    if (typeof value === 'undefined') return undefined;
    if (typeof value === 'function') return `[function ${value.name || 'anonymous'}]`;
    if (typeof value === 'symbol') return value.toString();
    if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
    if (value instanceof Uint8Array) return `<${value.byteLength.toLocaleString('en-US')} bytes>`;
    if (value instanceof Error) return `${value.name}: ${value.message}`;
    if (typeof value !== 'object') return String(value);
    if (seen.has(value)) return '[circular]';
    if (depth >= MAX_DEPTH) return Array.isArray(value) ? '[array]' : '[object]';
    seen.add(value);
    if (Array.isArray(value)) {
      const items = value.slice(0, MAX_ITEMS).map((v) => toPlainData(v, depth + 1, seen));
      if (value.length > MAX_ITEMS) items.push(`… ${value.length - MAX_ITEMS} more`);
      return items;
    }
    if (value instanceof Map) return toPlainData(Object.fromEntries(value), depth, seen);
    if (value instanceof Set) return toPlainData([...value], depth, seen);
    const out: Record<string, unknown> = {};
    let count = 0;
    for (const key of Object.keys(value)) {
      if (count++ >= MAX_ITEMS) {
        out['…'] = `${Object.keys(value).length - MAX_ITEMS} more keys`;
        break;
      }
      const item = toPlainData((value as Record<string, unknown>)[key], depth + 1, seen);
      if (item !== undefined) out[key] = item;
    }
    return out;
  } catch {
    return '[unreadable]';
  }
}

/** console.log-like formatting of learner output. */
export function formatLogArguments(args: readonly unknown[]): string {
  return args
    .map((a) => {
      if (typeof a === 'string') return a;
      try {
        return JSON.stringify(toPlainData(a));
      } catch {
        return String(a);
      }
    })
    .join(' ');
}
