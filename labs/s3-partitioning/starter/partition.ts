// The storage layer of a clickstream data lake. Each function is one step of the lab.
// The imports below are the SDK pieces the steps need; use them, or remove the ones you don't.
import {
  DeleteObjectsCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  paginateListObjectsV2,
} from '@aws-sdk/client-s3';

export interface ClickEvent {
  eventId: string; // unique
  source: string; // e.g. 'web-logs', 'transaction-data'
  timestamp: string; // ISO 8601 with 'Z' or a ±HH:MM offset
  userId: string;
  page: string;
}

/** Step 1: 'raw/<source>/year=YYYY/month=MM/day=DD/' of the event's UTC day. */
export function partitionPrefix(event: ClickEvent): string {
  throw new Error(`Not implemented yet: partitionPrefix (step 1), called for event ${event.eventId}`);
}

/** Step 2: one JSON Lines object per partition, key '<prefix><batchId>.jsonl'; returns the keys written. */
export async function ingestBatch(s3: S3Client, bucket: string, batchId: string, events: ClickEvent[]): Promise<string[]> {
  throw new Error(`Not implemented yet: ingestBatch (step 2), called for batch ${batchId} of ${events.length} events`);
}

/** Step 3: every day prefix under 'raw/<source>/' holding an object, sorted, no duplicates. */
export async function listPartitions(s3: S3Client, bucket: string, source: string): Promise<string[]> {
  throw new Error(`Not implemented yet: listPartitions (step 3), called for source ${source}`);
}

/** Step 4: the events of the UTC days fromDay..toDay (inclusive), reading only those partitions. */
export async function readRange(
  s3: S3Client,
  bucket: string,
  source: string,
  fromDay: string,
  toDay: string,
): Promise<ClickEvent[]> {
  throw new Error(`Not implemented yet: readRange (step 4), called for ${source} ${fromDay}..${toDay}`);
}

/** Step 5: merge the partition's .jsonl objects into one, then delete the sources; returns the new key. */
export async function compactPartition(s3: S3Client, bucket: string, prefix: string): Promise<string> {
  throw new Error(`Not implemented yet: compactPartition (step 5), called for ${prefix}`);
}
