// The catalog as `whetstone list` shows it, kept in the cache so that listing does not load the
// lab parser, a bundle or the bundler each time. The rows depend on the labs folder, grader/ and
// the lockfile (a superset of every bundle's inputs); see stamped-cache.ts.

import { join } from 'node:path';
import { CACHE_DIR, LABS_DIR, REPO_ROOT } from './paths.ts';
import { readStamped, stampOf, writeStamped } from './stamped-cache.ts';

export interface LabListing {
  id: string;
  title: string;
  steps: number;
  checks: number;
  hidden: number;
}

const LISTING = 'listing.json';

/** What the listing of `labsDir` depends on, as of now. Take it before reading the labs. */
export function listingStamp(labsDir = LABS_DIR): string {
  return stampOf([labsDir, join(REPO_ROOT, 'grader'), join(REPO_ROOT, 'package-lock.json')]);
}

/** The rows kept under this stamp, or undefined (none, another stamp, unreadable). */
export function readListing(stamp: string, cacheDir = CACHE_DIR): LabListing[] | undefined {
  const rows = readStamped<LabListing[]>(cacheDir, LISTING, stamp);
  return Array.isArray(rows) ? rows : undefined;
}

/** Keep the rows for the next listing. */
export function writeListing(stamp: string, rows: LabListing[], cacheDir = CACHE_DIR): void {
  writeStamped(cacheDir, LISTING, stamp, rows);
}
