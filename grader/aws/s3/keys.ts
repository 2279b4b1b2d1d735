// Names in S3: how keys sort, which characters the SDK cannot send, what a bucket may be called.
// From the S3 User Guide and API Reference, read 2026-11-25.

/** Object keys are at most 1,024 bytes of UTF-8 (S3 User Guide, "Naming Amazon S3 objects", 2026-11-25). */
export const MAX_KEY_BYTES = 1024;

/**
 * S3 lists keys in the order of their UTF-8 bytes. JavaScript compares UTF-16 code units,
 * which agrees except when one side is a surrogate (a character above U+FFFF) and the other
 * lies in U+E000–U+FFFF; there the surrogate must sort last, as its UTF-8 lead byte (F0) is
 * above theirs (EE, EF). `localeCompare` is wrong in many more ways ('B' < 'a' in S3).
 */
export function compareUtf8(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    if (x >= 0xd800 && y >= 0xd800) return rank(x) - rank(y);
    return x - y;
  }
  return a.length - b.length;
}

function rank(unit: number): number {
  return unit >= 0xe000 ? unit - 0x800 : unit + 0x2000;
}

/** A lone surrogate: encodeURIComponent throws on it, so the SDK cannot put it in a URL. */
export const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Bucket naming rules for general purpose buckets (S3 User Guide, "Bucket naming rules", 2026-11-25). */
export function bucketNameProblem(name: string): string | undefined {
  if (name.length < 3 || name.length > 63) return 'must be 3 to 63 characters long';
  if (!/^[a-z0-9.-]+$/.test(name)) return 'may contain only lower-case letters, digits, dots and hyphens';
  if (!/^[a-z0-9].*[a-z0-9]$/.test(name)) return 'must begin and end with a letter or digit';
  if (name.includes('..')) return 'must not contain two adjacent dots';
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(name)) return 'must not look like an IP address';
  for (const prefix of ['xn--', 'sthree-', 'amzn-s3-demo-']) {
    if (name.startsWith(prefix)) return `must not start with '${prefix}'`;
  }
  for (const suffix of ['-s3alias', '--ol-s3', '.mrap', '--x-s3', '--table-s3']) {
    if (name.endsWith(suffix)) return `must not end with '${suffix}'`;
  }
  return undefined;
}
