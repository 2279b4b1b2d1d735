// Listing: one page of a bucket, the core both ListObjects versions share, and the opaque
// continuation tokens that carry a listing from page to page. S3 behaviour from the S3 API
// Reference, ListObjectsV2 and ListObjects (read 2026-11-25).

import type { _Object } from '@aws-sdk/client-s3';
import { PageTokens } from '../paging.ts';
import { compareUtf8 } from './keys.ts';
import type { S3Bucket, StoredObject } from './model.ts';

/** S3 caps every listing page here, whatever MaxKeys asks for (ListObjectsV2, MaxKeys: "up to 1,000", 2026-11-25). */
export const MAX_KEYS_PER_PAGE = 1000;

/** Where the next page starts: after a key, or after every key under a common prefix. */
export interface ListPosition {
  bucket: string;
  kind: 'key' | 'prefix';
  marker: string;
}

/**
 * Continuation tokens are opaque, as S3's are: the position is sealed by the shared page-token
 * codec (paging.ts), so code that builds, edits or reuses a token across buckets gets S3's
 * InvalidArgument rather than a listing that quietly works here and fails there.
 */
export class ContinuationTokens {
  readonly #tokens: PageTokens;

  constructor(secret: string) {
    this.#tokens = new PageTokens(secret);
  }

  encode(position: ListPosition): string {
    return this.#tokens.seal(`${position.bucket}\n${position.kind}\n${position.marker}`);
  }

  decode(token: string): ListPosition | undefined {
    const text = this.#tokens.open(token);
    if (text === undefined) return undefined;
    const [bucket, kind, ...rest] = text.split('\n');
    if (bucket === undefined || (kind !== 'key' && kind !== 'prefix')) return undefined;
    return { bucket, kind, marker: rest.join('\n') };
  }
}

export interface Page {
  contents: StoredObject[];
  commonPrefixes: string[];
  truncated: boolean;
  /** The last entry returned, where the next page starts. */
  last: Omit<ListPosition, 'bucket'> | undefined;
}

/** The first index whose key sorts after `marker`. */
function indexAfter(keys: readonly string[], marker: string): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareUtf8(keys[mid]!, marker) <= 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function lowerBound(keys: readonly string[], value: string): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareUtf8(keys[mid]!, value) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function listPage(
  bucket: S3Bucket,
  options: { prefix: string; delimiter: string | undefined; after: ListPosition | undefined; limit: number },
): Page {
  const { prefix, delimiter, after, limit } = options;
  const keys = bucket.sortedKeys();
  const page: Page = { contents: [], commonPrefixes: [], truncated: false, last: undefined };
  // S3 answers MaxKeys=0 with an empty, untruncated page.
  if (limit === 0) return page;
  // Keys under a prefix are one contiguous run of the sorted keys: start at the later of its
  // beginning and the marker, stop at its end.
  let i = lowerBound(keys, prefix);
  if (after?.marker) i = Math.max(i, indexAfter(keys, after.marker));
  const skipUnder = after?.kind === 'prefix' ? after.marker : undefined;
  let count = 0;
  for (; i < keys.length; i++) {
    const key = keys[i]!;
    if (!key.startsWith(prefix)) break;
    if (skipUnder !== undefined && key.startsWith(skipUnder)) continue;
    const cut = delimiter === undefined ? -1 : key.indexOf(delimiter, prefix.length);
    if (cut >= 0) {
      const common = key.slice(0, cut + delimiter!.length);
      if (common === page.last?.marker && page.last.kind === 'prefix') continue;
      if (count === limit) {
        page.truncated = true;
        break;
      }
      page.commonPrefixes.push(common);
      page.last = { kind: 'prefix', marker: common };
    } else {
      if (count === limit) {
        page.truncated = true;
        break;
      }
      page.contents.push(bucket.object(key)!);
      page.last = { kind: 'key', marker: key };
    }
    count += 1;
  }
  return page;
}

export function listEntry(object: StoredObject): _Object {
  return {
    Key: object.key,
    LastModified: object.lastModified,
    ETag: object.etag,
    Size: object.size,
    StorageClass: object.storageClass,
  };
}
