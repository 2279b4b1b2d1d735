// Anti-solution "compact-relists-before-delete": compactPartition lists the partition again after writing and deletes every other .jsonl object, including a batch that landed meanwhile.
import {
  DeleteObjectsCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import type { S3Client } from '@aws-sdk/client-s3';

export interface ClickEvent {
  eventId: string; // unique
  source: string; // e.g. 'web-logs', 'transaction-data'
  timestamp: string; // ISO 8601 with 'Z' or a ±HH:MM offset
  userId: string;
  page: string;
}

const two = (n: number) => String(n).padStart(2, '0');

export function partitionPrefix(event: ClickEvent): string {
  const at = new Date(event.timestamp);
  if (Number.isNaN(at.getTime())) {
    throw new Error(`Event ${event.eventId} has timestamp '${event.timestamp}', which is not an ISO 8601 date-time.`);
  }
  const year = String(at.getUTCFullYear()).padStart(4, '0');
  return `raw/${event.source}/year=${year}/month=${two(at.getUTCMonth() + 1)}/day=${two(at.getUTCDate())}/`;
}

function toJsonLines(events: readonly ClickEvent[]): string {
  return events.map((e) => JSON.stringify(e)).join('\n') + '\n';
}

function fromJsonLines(text: string): ClickEvent[] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as ClickEvent);
}

export async function ingestBatch(
  s3: S3Client,
  bucket: string,
  batchId: string,
  events: ClickEvent[],
): Promise<string[]> {
  // Every prefix is computed before anything is written: a bad timestamp stops the whole batch.
  const byPartition = new Map<string, ClickEvent[]>();
  for (const event of events) {
    const prefix = partitionPrefix(event);
    const group = byPartition.get(prefix);
    if (group) group.push(event);
    else byPartition.set(prefix, [event]);
  }
  const keys: string[] = [];
  for (const [prefix, group] of byPartition) {
    const key = `${prefix}${batchId}.jsonl`;
    await s3.send(
      new PutObjectCommand({ Bucket: bucket, Key: key, Body: toJsonLines(group), ContentType: 'application/x-ndjson' }),
    );
    keys.push(key);
  }
  return keys;
}

/** Every key under a prefix, following continuation tokens past the 1,000-key pages. */
async function listKeys(s3: S3Client, bucket: string, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
    for (const object of page.Contents ?? []) if (object.Key) keys.push(object.Key);
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return keys;
}

const DAY_PARTITION = /^year=\d{4}\/month=\d{2}\/day=\d{2}\//;

export async function listPartitions(s3: S3Client, bucket: string, source: string): Promise<string[]> {
  const root = `raw/${source}/`;
  const days = new Set<string>();
  for (const key of await listKeys(s3, bucket, root)) {
    const day = DAY_PARTITION.exec(key.slice(root.length));
    if (day) days.add(root + day[0]);
  }
  return [...days].sort();
}

/** 'raw/web-logs/year=2024/month=01/day=16/' → '2024-01-16'. */
function dayOf(partition: string): string {
  const [, y, m, d] = /year=(\d{4})\/month=(\d{2})\/day=(\d{2})\/$/.exec(partition) ?? [];
  return `${y}-${m}-${d}`;
}

async function readObject(s3: S3Client, bucket: string, key: string): Promise<string> {
  const response = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return (await response.Body?.transformToString()) ?? '';
}

/** The .jsonl objects directly in a partition (not in sub-folders). */
async function dataObjects(s3: S3Client, bucket: string, partition: string): Promise<string[]> {
  return (await listKeys(s3, bucket, partition)).filter((key) => {
    const name = key.slice(partition.length);
    return !name.includes('/') && name.endsWith('.jsonl');
  });
}

export async function readRange(
  s3: S3Client,
  bucket: string,
  source: string,
  fromDay: string,
  toDay: string,
): Promise<ClickEvent[]> {
  // Pruning: the partition's key says which day it holds, so only partitions in range are opened.
  const inRange = (await listPartitions(s3, bucket, source)).filter((p) => {
    const day = dayOf(p);
    return day >= fromDay && day <= toDay;
  });
  const events: ClickEvent[] = [];
  for (const partition of inRange) {
    for (const key of await dataObjects(s3, bucket, partition)) {
      events.push(...fromJsonLines(await readObject(s3, bucket, key)));
    }
  }
  return events;
}

const DELETE_LIMIT = 1000; // keys per DeleteObjects request, an S3 limit

export async function compactPartition(s3: S3Client, bucket: string, prefix: string): Promise<string> {
  const sources = await dataObjects(s3, bucket, prefix);
  if (sources.length <= 1) return sources[0] ?? '';

  const events: ClickEvent[] = [];
  for (const key of sources) events.push(...fromJsonLines(await readObject(s3, bucket, key)));

  // A name no source has, so the write never replaces a source before it has been merged.
  let n = 0;
  let merged = `${prefix}compacted-${n}.jsonl`;
  while (sources.includes(merged)) merged = `${prefix}compacted-${++n}.jsonl`;
  // If this write throws, nothing has been deleted yet.
  await s3.send(
    new PutObjectCommand({ Bucket: bucket, Key: merged, Body: toJsonLines(events), ContentType: 'application/x-ndjson' }),
  );

  const stale = (await dataObjects(s3, bucket, prefix)).filter((key) => key !== merged);
  for (let i = 0; i < stale.length; i += DELETE_LIMIT) {
    const chunk = stale.slice(i, i + DELETE_LIMIT);
    const response = await s3.send(
      new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: chunk.map((Key) => ({ Key })), Quiet: true } }),
    );
    if (response.Errors?.length) {
      const first = response.Errors[0]!;
      throw new Error(`Could not delete ${response.Errors.length} merged source(s), e.g. ${first.Key}: ${first.Code} ${first.Message}`);
    }
  }
  return merged;
}
