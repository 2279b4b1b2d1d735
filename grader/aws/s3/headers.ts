// What S3 reads from request headers: ETags in conditions, user metadata, byte ranges, a
// copy's source. S3 API Reference (GetObject Range, CopyObject x-amz-copy-source), 2026-11-25.

export function unquote(etag: string): string {
  return etag.replace(/^W\//, '').replace(/^"|"$/g, '');
}

export function lowerCaseKeys(metadata: Record<string, string> | undefined): Record<string, string> {
  // S3 stores user metadata under lower-cased names (they travel as x-amz-meta-* headers).
  return Object.fromEntries(Object.entries(metadata ?? {}).map(([k, v]) => [k.toLowerCase(), String(v)]));
}

/** 'bytes=0-9', 'bytes=10-', 'bytes=-5'. S3 ignores what it cannot parse and serves the whole object. */
export function parseRange(header: string, size: number): { start: number; end: number } | 'unsatisfiable' | undefined {
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return undefined;
  if (m[1] === '') {
    const suffix = Number(m[2]);
    if (suffix === 0 || size === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(m[1]);
  const end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  if (m[2] !== '' && Number(m[2]) < start) return undefined;
  if (start >= size) return 'unsatisfiable';
  return { start, end };
}

/**
 * 'bucket/key', optionally with a leading '/' and '?versionId=…'. S3 URL-decodes it, so a raw
 * '+' reads as a space and a key with '%' or '+' must be encodeURIComponent-ed, as on AWS.
 */
export function parseCopySource(source: string | undefined): { bucket: string; key: string } | undefined {
  if (!source) return undefined;
  const path = source.replace(/^\//, '').replace(/\?versionId=.*$/, '');
  const slash = path.indexOf('/');
  if (slash <= 0 || slash === path.length - 1) return undefined;
  try {
    const decode = (part: string) => decodeURIComponent(part.replace(/\+/g, ' '));
    return { bucket: decode(path.slice(0, slash)), key: decode(path.slice(slash + 1)) };
  } catch {
    return undefined;
  }
}
