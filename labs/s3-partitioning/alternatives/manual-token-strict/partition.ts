// Alternative: a strict ISO 8601 parser with its own offset arithmetic (no Date parsing of the
// string), manual ContinuationToken loops with small pages, StartAfter-free listing per partition,
// DeleteObjects in chunks of 400, and a merged name derived from the sources.
import {
  DeleteObjectsCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';

export interface ClickEvent {
  eventId: string;
  source: string;
  timestamp: string;
  userId: string;
  page: string;
}

const ISO = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|([+-])(\d{2}):(\d{2}))$/;

/** Milliseconds since the epoch, or an Error naming the timestamp. */
function instantOf(timestamp: string): number {
  const m = ISO.exec(timestamp);
  const bad = () => new Error(`"${timestamp}" is not an ISO 8601 timestamp with Z or a ±HH:MM offset`);
  if (!m) throw bad();
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4], m[5], m[6] ?? '0'].map(Number) as [number, number, number, number, number, number];
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth || hour > 23 || minute > 59 || second > 59) throw bad();
  const millis = Number((m[7] ?? '0').padEnd(3, '0').slice(0, 3));
  const offsetMinutes = m[8] === 'Z' ? 0 : (m[9] === '-' ? -1 : 1) * (Number(m[10]) * 60 + Number(m[11]));
  return Date.UTC(year, month - 1, day, hour, minute, second, millis) - offsetMinutes * 60_000;
}

const pad = (n: number, width = 2) => n.toString().padStart(width, '0');

export function partitionPrefix(event: ClickEvent): string {
  const t = new Date(instantOf(event.timestamp));
  return `raw/${event.source}/year=${pad(t.getUTCFullYear(), 4)}/month=${pad(t.getUTCMonth() + 1)}/day=${pad(t.getUTCDate())}/`;
}

export async function ingestBatch(s3: S3Client, bucket: string, batchId: string, events: ClickEvent[]): Promise<string[]> {
  if (!events.length) return [];
  const partitions = new Map<string, string[]>();
  for (const event of events) {
    const key = partitionPrefix(event) + batchId + '.jsonl';
    partitions.set(key, [...(partitions.get(key) ?? []), JSON.stringify(event)]);
  }
  await Promise.all(
    [...partitions].map(([Key, rows]) => s3.send(new PutObjectCommand({ Bucket: bucket, Key, Body: rows.join('\n') }))),
  );
  return [...partitions.keys()];
}

async function listAll(s3: S3Client, bucket: string, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  let truncated = true;
  while (truncated) {
    const res = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, MaxKeys: 250, ...(token ? { ContinuationToken: token } : {}) }));
    res.Contents?.forEach((o) => keys.push(o.Key!));
    truncated = res.IsTruncated === true;
    token = res.NextContinuationToken;
  }
  return keys;
}

export async function listPartitions(s3: S3Client, bucket: string, source: string): Promise<string[]> {
  const root = `raw/${source}/`;
  const partitions: string[] = [];
  for (const key of await listAll(s3, bucket, root)) {
    const parts = key.slice(root.length).split('/');
    if (parts.length < 4 || !/^year=\d{4}$/.test(parts[0]!) || !/^month=\d\d$/.test(parts[1]!) || !/^day=\d\d$/.test(parts[2]!)) continue;
    const partition = `${root}${parts[0]}/${parts[1]}/${parts[2]}/`;
    if (partitions.at(-1) !== partition) partitions.push(partition); // keys arrive sorted
  }
  return partitions;
}

async function readEvents(s3: S3Client, bucket: string, key: string): Promise<ClickEvent[]> {
  const res = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  const body = new TextDecoder().decode(await res.Body!.transformToByteArray());
  return body
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as ClickEvent);
}

function directJsonl(keys: string[], prefix: string): string[] {
  return keys.filter((k) => k.startsWith(prefix) && !k.slice(prefix.length).includes('/') && k.endsWith('.jsonl'));
}

export async function readRange(s3: S3Client, bucket: string, source: string, fromDay: string, toDay: string): Promise<ClickEvent[]> {
  const result: ClickEvent[] = [];
  for (const partition of await listPartitions(s3, bucket, source)) {
    const m = /year=(\d+)\/month=(\d+)\/day=(\d+)\/$/.exec(partition)!;
    const day = `${m[1]}-${m[2]}-${m[3]}`;
    if (day < fromDay || day > toDay) continue;
    for (const key of directJsonl(await listAll(s3, bucket, partition), partition)) {
      result.push(...(await readEvents(s3, bucket, key)));
    }
  }
  return result;
}

function fnv1a(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(16).padStart(8, '0');
}

export async function compactPartition(s3: S3Client, bucket: string, prefix: string): Promise<string> {
  const sources = directJsonl(await listAll(s3, bucket, prefix), prefix);
  if (sources.length <= 1) return sources.length ? sources[0]! : '';

  const events: ClickEvent[] = [];
  for (const key of sources) events.push(...(await readEvents(s3, bucket, key)));
  const target = `${prefix}merged-${fnv1a(sources.join('\n'))}.jsonl`;
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: target, Body: events.map((e) => JSON.stringify(e)).join('\n') }));

  const toDelete = sources.filter((k) => k !== target);
  for (let start = 0; start < toDelete.length; start += 400) {
    const res = await s3.send(
      new DeleteObjectsCommand({
        Bucket: bucket,
        Delete: { Objects: toDelete.slice(start, start + 400).map((Key) => ({ Key })), Quiet: false },
      }),
    );
    if (res.Errors && res.Errors.length > 0) throw new Error(`could not delete ${res.Errors.length} compacted sources`);
  }
  return target;
}
