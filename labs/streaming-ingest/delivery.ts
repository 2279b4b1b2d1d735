// What a producer run delivered, read back from the stream: every event found by its eventId,
// losses, duplicates (and which ones the lab accepts), throttled and failed entries, the
// simulated time, and a row per shard for the results view.
//
// Which duplicates the lab accepts (the steps say so): a call that fails as a whole may have been
// written (the fake's failAfterWrite), so sending its records again is the only safe move, and a
// copy that comes from such a call is accepted. A record Kinesis confirmed with a SequenceNumber
// and that was sent again is not.

import { count, list } from 'whetstone/checks';
import type { TableSpec } from 'whetstone/checks';
import type { FakeKinesis, StoredRecord } from 'whetstone/aws/kinesis';
import type { ClickEvent } from './starter/stream.ts';

export interface ShardRow {
  shardId: string;
  records: number;
  /** Of all records this run wrote. */
  share: number;
  /** Copies beyond an event's first on this shard. */
  duplicates: number;
  /** Events never written, counted on the shard their key leads to. */
  lost: number;
  throttledEntries: number;
  internalFailures: number;
}

export interface Delivery {
  events: number;
  stream: string;
  /** Records the stream holds that this run wrote. */
  stored: number;
  lost: ClickEvent[];
  /** Extra copies of an event beyond the first, and whether a call that failed after writing explains each. */
  duplicates: { eventId: string; copies: number; unaccepted: number }[];
  acceptedDuplicates: number;
  unacceptedDuplicates: number;
  /** Records whose data is not the JSON of one of the run's events. */
  strangers: StoredRecord[];
  throttledEntries: number;
  internalFailures: number;
  requests: number;
  largestRequest: { entries: number; bytes: number };
  seconds: number;
  shards: ShardRow[];
}

const decoder = new TextDecoder();

/** The eventId in a record's data, or undefined when the data is not an event's JSON. */
export function eventIdOf(record: StoredRecord): string | undefined {
  try {
    const value = JSON.parse(decoder.decode(record.data)) as { eventId?: unknown };
    return value && typeof value === 'object' && typeof value.eventId === 'string' ? value.eventId : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The run of `events` into `stream`, which the check created empty for it, read back. `shardOf`
 * names the shard an event's key leads to (undefined when the key is unusable), to place losses.
 */
export function delivery(fake: FakeKinesis, stream: string, events: readonly ClickEvent[], elapsedMs: number, shardOf: (event: ClickEvent) => string | undefined = () => undefined): Delivery {
  const byId = new Map(events.map((e) => [e.eventId, e]));
  const writes = fake.writes.filter((w) => w.stream === stream);
  const afterWriteFailures = new Set(writes.filter((w) => w.wroteThenFailed).map((w) => w.id));
  const copies = new Map<string, { all: number; fromFailedCalls: number }>();
  const strangers: StoredRecord[] = [];
  const duplicatesOn = new Map<string, number>();
  // A stream that does not exist (the learner's code was given a wrong name) holds nothing.
  const exists = fake.streamNames().includes(stream);
  const records = exists ? fake.records(stream).filter((r) => r.writeId > 0) : [];
  for (const record of records) {
    const id = eventIdOf(record);
    if (id === undefined || !byId.has(id)) {
      strangers.push(record);
      continue;
    }
    const c = copies.get(id) ?? { all: 0, fromFailedCalls: 0 };
    c.all++;
    if (c.all > 1) duplicatesOn.set(record.shardId, (duplicatesOn.get(record.shardId) ?? 0) + 1);
    if (afterWriteFailures.has(record.writeId)) c.fromFailedCalls++;
    copies.set(id, c);
  }
  const duplicates = [...copies]
    .filter(([, c]) => c.all > 1)
    .map(([eventId, c]) => ({ eventId, copies: c.all, unaccepted: Math.max(0, c.all - 1 - c.fromFailedCalls) }));
  const activity = exists ? fake.activity(stream) : [];
  const lost = events.filter((e) => !copies.has(e.eventId));
  const lostOn = new Map<string, number>();
  for (const event of lost) {
    const shard = shardOf(event);
    if (shard !== undefined) lostOn.set(shard, (lostOn.get(shard) ?? 0) + 1);
  }
  const largest = writes.reduce((a, w) => (w.entries > a.entries || (w.entries === a.entries && w.bytes > a.bytes) ? { entries: w.entries, bytes: w.bytes } : a), { entries: 0, bytes: 0 });
  return {
    events: events.length,
    stream,
    stored: records.length,
    lost,
    duplicates,
    acceptedDuplicates: duplicates.reduce((n, d) => n + d.copies - 1 - d.unaccepted, 0),
    unacceptedDuplicates: duplicates.reduce((n, d) => n + d.unaccepted, 0),
    strangers,
    throttledEntries: writes.reduce((n, w) => n + w.throttled, 0),
    internalFailures: writes.reduce((n, w) => n + w.internalFailures, 0),
    requests: writes.filter((w) => w.operation === 'PutRecords').length,
    largestRequest: largest,
    seconds: elapsedMs / 1000,
    shards: activity.map((a) => ({
      shardId: a.shardId,
      records: a.records,
      share: records.length ? a.records / records.length : 0,
      duplicates: duplicatesOn.get(a.shardId) ?? 0,
      lost: lostOn.get(a.shardId) ?? 0,
      throttledEntries: a.throttledEntries,
      internalFailures: a.internalFailures,
    })),
  };
}

const seconds = (s: number) => `${(Math.round(s * 100) / 100).toLocaleString('en-US')} simulated s`;
const percent = (share: number) => `${(Math.round(share * 1000) / 10).toLocaleString('en-US')}%`;

/** The run in one sentence: what the results view shows beside the verdict. */
export function describeDelivery(d: Delivery): string {
  const busiest = [...d.shards].sort((a, b) => b.records - a.records)[0];
  const dups = d.acceptedDuplicates + d.unacceptedDuplicates;
  return (
    `Your run: ${count(d.events - d.lost.length, 'event')} of ${d.events.toLocaleString('en-US')} sent in ${seconds(d.seconds)} with ${count(d.requests, 'PutRecords call')}; ` +
    `${count(d.throttledEntries, 'entry', 'entries')} throttled, ${count(d.internalFailures, 'InternalFailure entry', 'InternalFailure entries')}, ` +
    `${count(dups, 'duplicate')}${d.acceptedDuplicates ? ` (${d.acceptedDuplicates.toLocaleString('en-US')} after calls that failed once written, accepted)` : ''}, ${d.lost.length.toLocaleString('en-US')} lost.` +
    (busiest && d.stored ? ` Busiest shard: ${busiest.shardId} with ${count(busiest.records, 'record')} (${percent(busiest.share)}; an even spread is ${percent(1 / d.shards.length)}).` : '')
  );
}

/** The run, shard by shard, as a table figure for the results view; its caption is the run in one sentence. */
export function shardTable(d: Delivery, title: string): TableSpec {
  const rows: (string | number)[][] = d.shards.map((s) => [s.shardId, s.records, percent(s.share), s.duplicates, s.lost, s.throttledEntries, s.internalFailures]);
  const unplaced = d.lost.length - d.shards.reduce((n, s) => n + s.lost, 0);
  if (unplaced > 0) rows.push(['(no shard: unusable key)', 0, '', 0, unplaced, 0, 0]);
  rows.push(['All shards', d.stored, percent(d.stored ? 1 : 0), d.acceptedDuplicates + d.unacceptedDuplicates, d.lost.length, d.throttledEntries, d.internalFailures]);
  return {
    kind: 'table',
    title,
    caption: describeDelivery(d),
    columns: ['Shard', { label: 'Records written', align: 'right' }, { label: 'Share', align: 'right' }, 'Duplicates', 'Lost', 'Throttled entries', 'InternalFailure entries'],
    rows: rows.slice(0, 100),
  };
}

/** 'e-0012 (3 copies), e-0040 (2 copies)': duplicates the lab does not accept. */
export function describeDuplicates(d: Delivery): string {
  return list(d.duplicates.filter((x) => x.unaccepted > 0).map((x) => `${x.eventId} (${x.copies} copies)`));
}
