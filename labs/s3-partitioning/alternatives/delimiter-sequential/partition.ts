// Alternative: listing level by level with Delimiter '/' and CommonPrefixes, a partition per day
// of the range, Intl for the UTC calendar, one request at a time, DeleteObject per key.
import {
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import type { ListObjectsV2CommandOutput } from '@aws-sdk/client-s3';

export interface ClickEvent {
  eventId: string;
  source: string;
  timestamp: string;
  userId: string;
  page: string;
}

const utcCalendar = new Intl.DateTimeFormat('en-CA', { timeZone: 'UTC', year: 'numeric', month: '2-digit', day: '2-digit' });

export function partitionPrefix(event: ClickEvent): string {
  const instant = new Date(event.timestamp);
  if (isNaN(instant.valueOf())) {
    throw new Error('partitionPrefix: cannot read the timestamp "' + event.timestamp + '" of event ' + event.eventId);
  }
  const parts: Record<string, string> = {};
  for (const { type, value } of utcCalendar.formatToParts(instant)) parts[type] = value;
  return 'raw/' + event.source + '/year=' + parts.year + '/month=' + parts.month + '/day=' + parts.day + '/';
}

export async function ingestBatch(s3: S3Client, bucket: string, batchId: string, events: ClickEvent[]): Promise<string[]> {
  const prefixes: string[] = [];
  const bodies: string[] = [];
  for (const event of events) {
    const prefix = partitionPrefix(event);
    let i = prefixes.indexOf(prefix);
    if (i === -1) {
      i = prefixes.push(prefix) - 1;
      bodies.push('');
    }
    bodies[i] += JSON.stringify(event) + '\n';
  }
  const written: string[] = [];
  for (let i = 0; i < prefixes.length; i++) {
    const key = prefixes[i] + batchId + '.jsonl';
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: bodies[i] }));
    written.push(key);
  }
  return written;
}

/** One level of the tree: sub-prefixes and objects directly under `prefix`, every page. */
async function level(s3: S3Client, bucket: string, prefix: string): Promise<{ folders: string[]; files: string[] }> {
  const folders: string[] = [];
  const files: string[] = [];
  let ContinuationToken: string | undefined = undefined;
  for (;;) {
    const page: ListObjectsV2CommandOutput = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, Delimiter: '/', ContinuationToken }));
    for (const p of page.CommonPrefixes ?? []) folders.push(p.Prefix!);
    for (const o of page.Contents ?? []) files.push(o.Key!);
    if (!page.IsTruncated) break;
    ContinuationToken = page.NextContinuationToken;
  }
  return { folders, files };
}

export async function listPartitions(s3: S3Client, bucket: string, source: string): Promise<string[]> {
  const result: string[] = [];
  for (const year of (await level(s3, bucket, 'raw/' + source + '/')).folders) {
    if (!/\/year=\d{4}\/$/.test(year)) continue;
    for (const month of (await level(s3, bucket, year)).folders) {
      if (!/\/month=\d{2}\/$/.test(month)) continue;
      for (const day of (await level(s3, bucket, month)).folders) {
        if (/\/day=\d{2}\/$/.test(day)) result.push(day);
      }
    }
  }
  return result; // S3 lists in byte order, and zero-padded prefixes sort by date already
}

function* daysBetween(fromDay: string, toDay: string): Generator<string> {
  const end = Date.parse(toDay + 'T00:00:00Z');
  for (let t = Date.parse(fromDay + 'T00:00:00Z'); t <= end; t += 24 * 3600 * 1000) {
    yield new Date(t).toISOString().slice(0, 10);
  }
}

async function getText(s3: S3Client, bucket: string, key: string): Promise<string> {
  const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return object.Body === undefined ? '' : await object.Body.transformToString('utf-8');
}

function eventsIn(body: string): ClickEvent[] {
  const out: ClickEvent[] = [];
  for (const line of body.split('\n')) if (line.trim().length > 0) out.push(JSON.parse(line));
  return out;
}

export async function readRange(s3: S3Client, bucket: string, source: string, fromDay: string, toDay: string): Promise<ClickEvent[]> {
  const events: ClickEvent[] = [];
  for (const day of daysBetween(fromDay, toDay)) {
    const [y, m, d] = day.split('-');
    const partition = 'raw/' + source + '/year=' + y + '/month=' + m + '/day=' + d + '/';
    for (const key of (await level(s3, bucket, partition)).files) {
      if (key.endsWith('.jsonl')) events.push(...eventsIn(await getText(s3, bucket, key)));
    }
  }
  return events;
}

export async function compactPartition(s3: S3Client, bucket: string, prefix: string): Promise<string> {
  const sources = (await level(s3, bucket, prefix)).files.filter((key) => key.endsWith('.jsonl'));
  if (sources.length === 0) return '';
  if (sources.length === 1) return sources[0]!;

  let merged = '';
  for (const key of sources) for (const event of eventsIn(await getText(s3, bucket, key))) merged += JSON.stringify(event) + '\n';
  const target = prefix + 'compacted-' + Date.now().toString(36) + '-' + sources.length + '.jsonl';
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: target, Body: merged, ContentType: 'application/x-ndjson' }));
  for (const key of sources) {
    if (key !== target) await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
  }
  return target;
}
