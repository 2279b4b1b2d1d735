// One line per AWS call in the results: the request members a learner looks for first
// (Key, Prefix, ContinuationToken…), short enough for a table cell. The full request stays one
// click away.

const FIRST = ['Key', 'Prefix', 'Delimiter', 'StartAfter', 'ContinuationToken', 'MaxKeys', 'Body'] as const;
const MAX_VALUE = 60;

function short(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value) ?? String(value);
  return text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE - 1)}…` : text;
}

export function traceSummary(input: unknown): string {
  if (!input || typeof input !== 'object') return input === undefined ? '' : short(input);
  const record = input as Record<string, unknown>;
  const parts: string[] = [];
  for (const name of FIRST) {
    if (record[name] === undefined) continue;
    parts.push(name === 'ContinuationToken' ? `ContinuationToken=${short(record[name]).slice(0, 10)}…` : `${name}=${short(record[name])}`);
  }
  const objects = (record.Delete as { Objects?: unknown[] } | undefined)?.Objects;
  if (Array.isArray(objects)) parts.push(`Delete ${objects.length} key${objects.length === 1 ? '' : 's'}`);
  if (!parts.length) {
    // Services other than S3: the members other than the bucket-like context, compactly.
    const rest = Object.entries(record).filter(([k]) => k !== 'Bucket');
    if (!rest.length && record.Bucket !== undefined) return `Bucket=${short(record.Bucket)}`;
    return rest.map(([k, v]) => `${k}=${short(v)}`).join(' ');
  }
  return parts.join(' ');
}

/** A learner file location in a message: 'partition.ts:12' or 'partition.ts:12:5'. */
export const LOCATION = /\b([A-Za-z0-9_-]+\.ts):(\d+)(?::(\d+))?/g;
