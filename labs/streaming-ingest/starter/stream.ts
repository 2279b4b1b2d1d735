// A clickstream producer and consumer for Kinesis Data Streams. Each function is one step of the
// lab. The imports below are the SDK pieces the steps need; use them, or remove the ones you don't.
import { GetRecordsCommand, GetShardIteratorCommand, KinesisClient, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import type { PutRecordsRequestEntry, PutRecordsResultEntry } from '@aws-sdk/client-kinesis';

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

/** Simulated time: sleep() moves it on and returns at once. Never use setTimeout or Date.now here. */
export interface Clock {
  now(): number; // simulated time, in ms
  sleep(ms: number): Promise<void>; // waits on the simulated clock
  random(): number; // in [0, 1), for jitter
}

export interface PutSummary {
  sent: number; // events written
  requests: number; // PutRecords calls made
  elapsedMs: number; // simulated ms putAll took
}

export interface ShardRead {
  events: ClickEvent[]; // in the shard's order
  lastSequenceNumber?: string; // where to resume next time
}

/** Step 1: the shards a stream needs for this load, with 20% headroom on every limit. */
export function shardsNeeded(load: StreamLoad): number {
  throw new Error(`Not implemented yet: shardsNeeded (step 1), called for ${load.recordsPerSecond} records/s`);
}

/** Step 2: the partition key of an event: one user's events together, users spread over the shards. */
export function partitionKeyFor(event: ClickEvent): string {
  throw new Error(`Not implemented yet: partitionKeyFor (step 2), called for event ${event.eventId}`);
}

/** Steps 3 and 4: every event into the stream, in PutRecords batches, retrying only what failed. */
export async function putAll(kinesis: KinesisClient, stream: string, events: ClickEvent[], clock: Clock): Promise<PutSummary> {
  throw new Error(`Not implemented yet: putAll (step 3), called for ${events.length} events on ${stream}`);
}

/** Step 5: the events of one shard after `after` (or from the oldest), until caught up. */
export async function readShard(kinesis: KinesisClient, stream: string, shardId: string, clock: Clock, after?: string): Promise<ShardRead> {
  throw new Error(`Not implemented yet: readShard (step 5), called for ${shardId} of ${stream}`);
}
