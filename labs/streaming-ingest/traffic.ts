// Clickstream traffic the streaming-ingest checks send and read: users, pages with the skewed
// popularity real sites have, payloads small and large. Fixed for the public checks (built from
// fixed seeds), drawn from the check's seed for the hidden ones.
//
// Bundled for the browser with the checks: no node: imports, no clock, randomness only from the
// seeded source a check passes in.

import { between, hex, pick } from 'whetstone/checks';
import type { Random } from 'whetstone/checks';
import type { ClickEvent } from './starter/stream.ts';

export type { ClickEvent };

/** Pages and their share of clicks: a home page and search carry most of a site's traffic. */
export const PAGES: readonly (readonly [string, number])[] = [
  ['/', 0.3],
  ['/search', 0.2],
  ['/product/42', 0.12],
  ['/product/7', 0.1],
  ['/cart', 0.1],
  ['/checkout', 0.08],
  ['/account', 0.06],
  ['/help', 0.04],
];

const QUERIES = ['running shoes', 'rain jacket', 'usb-c cable', 'espresso beans', 'desk lamp', 'yoga mat', 'gift card', 'headphones'];

function weighted<T>(random: Random, items: readonly (readonly [T, number])[]): T {
  let r = random();
  for (const [item, weight] of items) {
    r -= weight;
    if (r < 0) return item;
  }
  return items[items.length - 1]![0];
}

/** What a page attaches to a click: short, as most are. */
function smallPayload(random: Random, page: string): string {
  if (page === '/search') return `q=${pick(random, QUERIES)}&sort=${pick(random, ['relevance', 'price', 'new'])}`;
  if (page === '/checkout') return `step=${between(random, 1, 3)}&items=${between(random, 1, 6)}`;
  if (page.startsWith('/product/')) return `ref=${pick(random, ['home', 'search', 'email', 'ad'])}&variant=${hex(random, 4)}`;
  return `ref=${pick(random, ['direct', 'home', 'email', 'ad'])}`;
}

/** A session-replay snapshot of `bytes` bytes: ASCII that JSON does not escape, so characters are bytes in the record. */
export function snapshotPayload(random: Random, bytes: number): string {
  const chunk = `<div id=${hex(random, 8)} class=row>${hex(random, 32)}</div>`;
  const body = chunk.repeat(Math.ceil(bytes / chunk.length)).slice(0, Math.max(0, bytes - 9));
  return `snapshot:${body}`;
}

export interface TrafficOptions {
  events: number;
  users: number;
  /** The first event's time (ISO, UTC); later ones follow `spacingMs` apart, all on one day. */
  start?: string;
  spacingMs?: number;
  idPrefix?: string;
  /** The payload of event i; small clickstream payloads when absent. */
  payload?: (random: Random, i: number, page: string) => string;
}

/** Distinct user ids, like 'u-3f9a1c'. */
export function userIds(random: Random, n: number): string[] {
  const ids = new Set<string>();
  while (ids.size < n) ids.add(`u-${hex(random, 6)}`);
  return [...ids];
}

/**
 * A stretch of clickstream: every user clicks (some more than others), pages by popularity,
 * timestamps in order on one UTC day. Deterministic for a seed.
 */
export function clickTraffic(random: Random, options: TrafficOptions): ClickEvent[] {
  const users = userIds(random, options.users);
  // Some users are busier than others, but no user is a crowd: 1 to 3 times the quietest.
  const cumulative: number[] = [];
  let total = 0;
  for (let u = 0; u < users.length; u++) cumulative.push((total += 1 + random() * 2));
  const someUser = (): string => {
    const r = random() * total;
    let lo = 0;
    let hi = users.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! > r) hi = mid;
      else lo = mid + 1;
    }
    return users[lo]!;
  };
  const start = Date.parse(options.start ?? '2024-03-01T12:00:00Z');
  const spacing = options.spacingMs ?? 5;
  const prefix = options.idPrefix ?? 'e';
  const width = String(options.events).length;
  return Array.from({ length: options.events }, (_, i) => {
    const page = weighted(random, PAGES);
    return {
      eventId: `${prefix}-${String(i + 1).padStart(width, '0')}`,
      userId: i < users.length ? users[i]! : someUser(),
      page,
      timestamp: new Date(start + i * spacing).toISOString(),
      payload: options.payload ? options.payload(random, i, page) : smallPayload(random, page),
    };
  });
}

/** The bytes of the record an event makes (its JSON plus the partition key), by the lab's rule. */
export function recordBytes(event: ClickEvent, partitionKey: string): number {
  const encoder = new TextEncoder();
  return encoder.encode(JSON.stringify(event)).byteLength + encoder.encode(partitionKey).byteLength;
}

/**
 * `n` events where the one at `index` carries a snapshot just too large for one record: its JSON
 * alone fits in 1 MiB, its JSON plus the learner's partition key is 3 bytes over.
 */
export function oversizedAmong(random: Random, n: number, index: number, keyFor: (event: ClickEvent) => unknown): { events: ClickEvent[]; oversized: ClickEvent } {
  const events = clickTraffic(random, { events: n, users: Math.ceil(n / 2) });
  const base = { ...events[index]!, payload: '' };
  const keyBytes = new TextEncoder().encode(String(keyFor(base))).byteLength;
  const room = 1024 * 1024 + 3 - keyBytes - new TextEncoder().encode(JSON.stringify(base)).byteLength;
  const oversized = { ...base, payload: snapshotPayload(random, Math.max(room, 10)) };
  events[index] = oversized;
  return { events, oversized };
}
