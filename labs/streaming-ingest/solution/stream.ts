// Reference solution of the streaming-ingest lab.
import { GetRecordsCommand, GetShardIteratorCommand, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import type { KinesisClient, PutRecordsRequestEntry, PutRecordsResultEntry } from '@aws-sdk/client-kinesis';

export interface ClickEvent {
  eventId: string; // unique
  userId: string;
  page: string; // e.g. '/product/42'
  timestamp: string; // ISO 8601, UTC
  payload: string; // what the page attached: a search query, a form, a session-replay snapshot
}

export interface StreamLoad {
  recordsPerSecond: number; // at the peak
  averageRecordBytes: number; // data plus partition key
  consumers: number; // applications that each read every record
  enhancedFanOut: boolean; // whether those consumers use enhanced fan-out
}

export interface Clock {
  now(): number; // simulated time, in ms
  sleep(ms: number): Promise<void>; // waits on the simulated clock
  random(): number; // in [0, 1), for jitter
}

export interface PutSummary {
  sent: number;
  requests: number;
  elapsedMs: number;
}

export interface ShardRead {
  events: ClickEvent[];
  lastSequenceNumber?: string;
}

const MiB = 1024 * 1024;
const HEADROOM = 0.8;

export function shardsNeeded(load: StreamLoad): number {
  const writeBytes = load.recordsPerSecond * load.averageRecordBytes;
  // Polling consumers share a shard's 2 MiB/s of reads; with enhanced fan-out each has its own.
  const readBytesPerShardLimit = load.enhancedFanOut ? writeBytes : load.consumers * writeBytes;
  return Math.max(
    1,
    Math.ceil(writeBytes / (HEADROOM * MiB)),
    Math.ceil(load.recordsPerSecond / (HEADROOM * 1000)),
    Math.ceil(readBytesPerShardLimit / (HEADROOM * 2 * MiB)),
  );
}

export function partitionKeyFor(event: ClickEvent): string {
  return event.userId;
}

const encoder = new TextEncoder();
const MAX_RECORD_BYTES = MiB;
const MAX_REQUEST_RECORDS = 500;
const MAX_REQUEST_BYTES = 10 * MiB;
const BASE_DELAY_MS = 100;
const MAX_DELAY_MS = 2000;
const GIVE_UP_AFTER_MS = 60_000;

interface Pending {
  entry: PutRecordsRequestEntry;
  bytes: number;
}

function toRecord(event: ClickEvent): Pending {
  const PartitionKey = partitionKeyFor(event);
  const Data = encoder.encode(JSON.stringify(event));
  const bytes = Data.byteLength + encoder.encode(PartitionKey).byteLength;
  if (bytes > MAX_RECORD_BYTES) {
    throw new Error(`Event ${event.eventId} makes a record of ${bytes} bytes; Kinesis takes at most ${MAX_RECORD_BYTES} (data plus partition key).`);
  }
  return { entry: { PartitionKey, Data }, bytes };
}

/** The longest run from the front of `pending` that fits one PutRecords request. */
function nextBatch(pending: readonly Pending[]): Pending[] {
  const batch: Pending[] = [];
  let bytes = 0;
  for (const record of pending) {
    if (batch.length === MAX_REQUEST_RECORDS || bytes + record.bytes > MAX_REQUEST_BYTES) break;
    batch.push(record);
    bytes += record.bytes;
  }
  return batch;
}

/** Throttling and server-side failures may pass; anything else is a bug in the request. */
function retryable(error: unknown): boolean {
  const e = error as { name?: string; $fault?: string };
  return e?.$fault === 'server' || e?.name === 'ProvisionedThroughputExceededException';
}

export async function putAll(kinesis: KinesisClient, stream: string, events: ClickEvent[], clock: Clock): Promise<PutSummary> {
  const started = clock.now();
  // Every record is built (and measured) before anything is sent.
  let pending = events.map(toRecord);
  let requests = 0;
  let failures = 0; // consecutive attempts that left something unsent
  while (pending.length) {
    const batch = nextBatch(pending);
    const rest = pending.slice(batch.length);
    let failed: Pending[];
    try {
      requests++;
      const response = await kinesis.send(new PutRecordsCommand({ StreamName: stream, Records: batch.map((p) => p.entry) }));
      const results: PutRecordsResultEntry[] = response.Records ?? [];
      failed = (response.FailedRecordCount ?? 0) > 0 ? batch.filter((_, i) => results[i]?.ErrorCode !== undefined) : [];
    } catch (error) {
      if (!retryable(error)) throw error;
      failed = batch; // it may have been written: sending it again can duplicate, which the lab accepts
    }
    pending = [...failed, ...rest];
    if (!failed.length) {
      failures = 0;
      continue;
    }
    if (clock.now() - started >= GIVE_UP_AFTER_MS) {
      throw new Error(`Gave up after ${Math.round((clock.now() - started) / 1000)} s: ${pending.length} events are still unsent.`);
    }
    await clock.sleep(clock.random() * Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** failures));
    failures++;
  }
  return { sent: events.length, requests, elapsedMs: clock.now() - started };
}

const decoder = new TextDecoder();
const READ_PAUSE_MS = 200; // at most 5 GetRecords a second on a shard
const THROTTLED_PAUSE_MS = 1000;

async function iteratorAfter(kinesis: KinesisClient, stream: string, shardId: string, after: string | undefined): Promise<string> {
  const response = await kinesis.send(
    new GetShardIteratorCommand(
      after === undefined
        ? { StreamName: stream, ShardId: shardId, ShardIteratorType: 'TRIM_HORIZON' }
        : { StreamName: stream, ShardId: shardId, ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', StartingSequenceNumber: after },
    ),
  );
  return response.ShardIterator!;
}

export async function readShard(kinesis: KinesisClient, stream: string, shardId: string, clock: Clock, after?: string): Promise<ShardRead> {
  const events: ClickEvent[] = [];
  let last = after;
  let iterator = await iteratorAfter(kinesis, stream, shardId, last);
  for (;;) {
    let response;
    try {
      response = await kinesis.send(new GetRecordsCommand({ ShardIterator: iterator }));
    } catch (error) {
      const name = (error as { name?: string }).name;
      if (name === 'ProvisionedThroughputExceededException') {
        await clock.sleep(THROTTLED_PAUSE_MS);
        continue;
      }
      if (name === 'ExpiredIteratorException') {
        iterator = await iteratorAfter(kinesis, stream, shardId, last);
        continue;
      }
      throw error;
    }
    for (const record of response.Records ?? []) {
      events.push(JSON.parse(decoder.decode(record.Data)) as ClickEvent);
      last = record.SequenceNumber;
    }
    if (response.MillisBehindLatest === 0) break;
    iterator = response.NextShardIterator!;
    await clock.sleep(READ_PAUSE_MS);
  }
  return { events, ...(last !== undefined ? { lastSequenceNumber: last } : {}) };
}
