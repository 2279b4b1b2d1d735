// Alternative: the SDK paginator for every listing, Promise.all for writes and reads,
// toISOString() for the UTC day, and a fixed name for the compacted object.
import {
  DeleteObjectsCommand,
  GetObjectCommand,
  PutObjectCommand,
  S3Client,
  paginateListObjectsV2,
} from '@aws-sdk/client-s3';

export interface ClickEvent {
  eventId: string;
  source: string;
  timestamp: string;
  userId: string;
  page: string;
}

export function partitionPrefix(event: ClickEvent): string {
  const ms = Date.parse(event.timestamp);
  if (Number.isNaN(ms)) throw new Error(`Unparsable timestamp: ${event.timestamp}`);
  const [y, m, d] = new Date(ms).toISOString().slice(0, 10).split('-');
  return `raw/${event.source}/year=${y}/month=${m}/day=${d}/`;
}

const lines = (events: ClickEvent[]) => events.map((e) => JSON.stringify(e) + '\n').join('');

export async function ingestBatch(s3: S3Client, bucket: string, batchId: string, events: ClickEvent[]): Promise<string[]> {
  const groups: Record<string, ClickEvent[]> = {};
  for (const e of events) (groups[partitionPrefix(e)] ??= []).push(e);
  return Promise.all(
    Object.entries(groups).map(async ([prefix, group]) => {
      const Key = `${prefix}${batchId}.jsonl`;
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key, Body: lines(group) }));
      return Key;
    }),
  );
}

async function* keysUnder(s3: S3Client, bucket: string, prefix: string): AsyncGenerator<string> {
  for await (const page of paginateListObjectsV2({ client: s3 }, { Bucket: bucket, Prefix: prefix })) {
    for (const o of page.Contents ?? []) yield o.Key!;
  }
}

const PARTITION = /^(raw\/[^/]+\/year=\d{4}\/month=\d{2}\/day=\d{2}\/)/;

export async function listPartitions(s3: S3Client, bucket: string, source: string): Promise<string[]> {
  const found = new Set<string>();
  for await (const key of keysUnder(s3, bucket, `raw/${source}/`)) {
    const m = PARTITION.exec(key);
    if (m) found.add(m[1]!);
  }
  return [...found].sort();
}

async function text(s3: S3Client, bucket: string, key: string): Promise<string> {
  const { Body } = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return Body ? Body.transformToString() : '';
}

const parse = (body: string): ClickEvent[] =>
  body.split(/\r?\n/).filter(Boolean).map((l) => JSON.parse(l) as ClickEvent);

export async function readRange(s3: S3Client, bucket: string, source: string, fromDay: string, toDay: string): Promise<ClickEvent[]> {
  const wanted: string[] = [];
  for await (const key of keysUnder(s3, bucket, `raw/${source}/`)) {
    const m = /year=(\d{4})\/month=(\d{2})\/day=(\d{2})\/[^/]+\.jsonl$/.exec(key);
    if (!m) continue;
    const day = `${m[1]}-${m[2]}-${m[3]}`;
    if (fromDay <= day && day <= toDay) wanted.push(key);
  }
  const bodies = await Promise.all(wanted.map((k) => text(s3, bucket, k)));
  return bodies.flatMap(parse);
}

export async function compactPartition(s3: S3Client, bucket: string, prefix: string): Promise<string> {
  const sources: string[] = [];
  for await (const key of keysUnder(s3, bucket, prefix)) {
    const rest = key.slice(prefix.length);
    if (!rest.includes('/') && rest.endsWith('.jsonl')) sources.push(key);
  }
  if (sources.length < 2) return sources[0] ?? '';

  const events = (await Promise.all(sources.map((k) => text(s3, bucket, k)))).flatMap(parse);
  const target = `${prefix}part-00000.jsonl`;
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: target, Body: lines(events) }));

  // The target may have been one of the sources (an earlier compaction): it now holds the merge.
  const doomed = sources.filter((k) => k !== target);
  const chunks: string[][] = [];
  for (let i = 0; i < doomed.length; i += 1000) chunks.push(doomed.slice(i, i + 1000));
  await Promise.all(
    chunks.map(async (chunk) => {
      const out = await s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: chunk.map((Key) => ({ Key })) } }));
      if (out.Errors?.length) throw new Error(`DeleteObjects failed for ${out.Errors.map((e) => e.Key).join(', ')}`);
    }),
  );
  return target;
}
