// One line per AWS call in the results: the request members a learner looks for first
// (Key, Prefix, ContinuationToken…), and the response members checks rely on (NextToken,
// IsTruncated, FailedRecordCount…), short enough for a table cell. The full value stays one
// click away.

import type { TraceEntry } from '../../grader/report.ts';

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

/**
 * The fakes' compact summary of a call's response, when they give one: `output` on a trace
 * entry (the response members that matter, e.g. { IsTruncated: true, NextContinuationToken: '…', KeyCount: 1000 }).
 */
export function traceResponse(entry: TraceEntry): unknown {
  return entry.output;
}

/** Response members a learner must act on come first: paging and partial failures. */
const RESPONSE_FIRST = ['IsTruncated', 'NextContinuationToken', 'NextToken', 'NextMarker', 'KeyCount', 'FailedRecordCount', 'UnprocessedItems', 'Errors'] as const;

export function responseSummary(response: unknown): string {
  if (!response || typeof response !== 'object') return response === undefined ? '' : short(response);
  const record = response as Record<string, unknown>;
  const names = [...RESPONSE_FIRST.filter((n) => n in record), ...Object.keys(record).filter((n) => !(RESPONSE_FIRST as readonly string[]).includes(n))];
  return names
    .filter((name) => record[name] !== undefined)
    .map((name) => {
      const value = record[name];
      if (Array.isArray(value)) return `${name} [${value.length.toLocaleString('en-US')}]`;
      if (/Token$|Marker$/.test(name) && typeof value === 'string') return `${name}=${value.slice(0, 10)}${value.length > 10 ? '…' : ''}`;
      return `${name}=${short(value)}`;
    })
    .join(' ');
}

/** A learner file location in a message: 'partition.ts:12' or 'partition.ts:12:5'. */
export const LOCATION = /\b([A-Za-z0-9_-]+\.ts):(\d+)(?::(\d+))?/g;
