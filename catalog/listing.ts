// The catalog as `whetstone list` shows it, kept in the cache so that listing does not load the
// lab parser, a bundle or the bundler each time. The rows are stamped with the path, size and
// modification time of every file they could depend on (the labs folder, grader/ and the
// lockfile: a superset of a bundle's inputs); a stamp that no longer matches means the rows are
// read again from the labs. Stat-only, like make: reading every file would cost what it saves.
// The stamp is kept as it is (a few KB), not hashed: loading node:crypto would cost a fifth of
// the whole listing.

import { mkdirSync, readFileSync, readdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CACHE_DIR, LABS_DIR, REPO_ROOT } from './paths.ts';

export interface LabListing {
  id: string;
  title: string;
  steps: number;
  checks: number;
  hidden: number;
}

interface StoredListing {
  stamp: string;
  rows: LabListing[];
}

function stampFiles(dir: string, lines: string[]): void {
  let names: string[];
  try {
    names = readdirSync(dir).sort();
  } catch {
    return;
  }
  for (const name of names) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const path = `${dir}/${name}`;
    const stat = statSync(path, { throwIfNoEntry: false });
    if (!stat) continue;
    if (stat.isDirectory()) stampFiles(path, lines);
    else lines.push(`${path}\t${stat.size}\t${stat.mtimeMs}`);
  }
}

/** What the listing of `labsDir` depends on, as of now. Take it before reading the labs. */
export function listingStamp(labsDir = LABS_DIR): string {
  const lines = ['v1'];
  stampFiles(labsDir, lines);
  stampFiles(join(REPO_ROOT, 'grader'), lines);
  const lock = statSync(join(REPO_ROOT, 'package-lock.json'), { throwIfNoEntry: false });
  lines.push(`package-lock.json\t${lock?.size}\t${lock?.mtimeMs}`);
  return lines.join('\n');
}

function listingFile(cacheDir: string): string {
  return join(cacheDir, 'listing.json');
}

/** The rows stored under this stamp, or undefined (none, another stamp, unreadable). */
export function readListing(stamp: string, cacheDir = CACHE_DIR): LabListing[] | undefined {
  try {
    const stored = JSON.parse(readFileSync(listingFile(cacheDir), 'utf8')) as StoredListing;
    return stored.stamp === stamp && Array.isArray(stored.rows) ? stored.rows : undefined;
  } catch {
    return undefined;
  }
}

/** Keep the rows for the next listing; a cache that cannot be written is only a slower next time. */
export function writeListing(stamp: string, rows: LabListing[], cacheDir = CACHE_DIR): void {
  const file = listingFile(cacheDir);
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    mkdirSync(cacheDir, { recursive: true });
    writeFileSync(tmp, JSON.stringify({ stamp, rows } satisfies StoredListing));
    renameSync(tmp, file);
  } catch {
    // Read-only checkout or cache: list still works, from the labs.
  }
}
