// Values derived from files (the catalog's rows, a parsed lab) kept in the cache beside the
// bundles, each stamped with the path, size and modification time of every file it was read
// from. A stamp that no longer matches means the value is derived again. Stat-only, like make:
// reading every file would cost what the cache saves. The stamp is stored as it is (a few KB),
// not hashed: loading node:crypto would cost a fifth of a `whetstone list`.

import { mkdirSync, readFileSync, readdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

function stampInto(path: string, lines: string[]): void {
  const stat = statSync(path, { throwIfNoEntry: false });
  if (!stat) {
    lines.push(`${path}\tabsent`);
    return;
  }
  if (!stat.isDirectory()) {
    lines.push(`${path}\t${stat.size}\t${stat.mtimeMs}`);
    return;
  }
  let names: string[];
  try {
    names = readdirSync(path).sort();
  } catch {
    return;
  }
  for (const name of names) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    stampInto(`${path}/${name}`, lines);
  }
}

/** What a value read from these files and folders (recursively) depends on, as of now. Take it before reading them. */
export function stampOf(paths: readonly string[]): string {
  const lines = ['v1'];
  for (const path of paths) stampInto(path, lines);
  return lines.join('\n');
}

interface Stamped<T> {
  stamp: string;
  value: T;
}

/** The value kept in `cacheDir/name` under this stamp, or undefined (none, another stamp, unreadable). */
export function readStamped<T>(cacheDir: string, name: string, stamp: string): T | undefined {
  try {
    const stored = JSON.parse(readFileSync(join(cacheDir, name), 'utf8')) as Stamped<T>;
    return stored.stamp === stamp ? stored.value : undefined;
  } catch {
    return undefined;
  }
}

/** Keep a value for next time; a cache that cannot be written is only a slower next time. */
export function writeStamped<T>(cacheDir: string, name: string, stamp: string, value: T): void {
  const file = join(cacheDir, name);
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    mkdirSync(cacheDir, { recursive: true });
    writeFileSync(tmp, JSON.stringify({ stamp, value } satisfies Stamped<T>));
    // Rename, so that a parallel run never reads half a file.
    renameSync(tmp, file);
  } catch {
    // Read-only checkout or cache: everything still works, from the files.
  }
}
