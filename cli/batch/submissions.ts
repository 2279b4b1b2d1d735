// The learners of a batch folder: every sub-folder and every .zip at its top is one submission,
// named by the learner id (the folder or zip name). Nothing is read here but the listing, so a
// class of 50,000 costs one readdir; each submission's files are read when it is graded.
//
// Two entries that a gradebook, a Mac or Windows would take for one learner are refused before
// anything is graded: `kim.zip` and `KIM.zip`, `Kim/` and `kim.zip` (unzipped, both are kim/),
// `lee/` and `lee.zip`, and one name in two Unicode spellings (macOS writes an accent apart from
// its letter). Grading both would put two rows for one learner into the grades, one of them wrong.

import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { SubmissionInputError } from '../submission-input.ts';
import { compareIds, learnerKey } from './learner-ids.ts';

export interface BatchEntry {
  /** The learner id: folder name, or zip name without .zip. */
  id: string;
  path: string;
}

interface Named extends BatchEntry {
  /** As listed: `kim.zip`, `Kim/`. */
  name: string;
}

function describeClash(found: readonly Named[]): string {
  const names = found.map((f) => f.name);
  const both = names.length === 2 ? `${names[0]} and ${names[1]}` : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
  const ids = new Set(found.map((f) => f.id));
  let why: string;
  if (ids.size === 1) why = `both are learner ${found[0]!.id} (a zip unzips to a folder of its name)`;
  else if (new Set(found.map((f) => f.id.normalize('NFC'))).size === 1) why = 'they are one name in two Unicode spellings (one writes an accent apart from its letter, as macOS does)';
  else why = 'their names differ only in case, and an LMS or a Mac or Windows unzip takes them for one learner';
  return `${both}: ${why}.`;
}

export function findSubmissions(dir: string): BatchEntry[] {
  let names: string[];
  try {
    if (!statSync(dir).isDirectory()) {
      throw new SubmissionInputError(`--batch ${dir} is a file; pass the folder that holds one sub-folder or .zip per learner.`);
    }
    names = readdirSync(dir);
  } catch (error) {
    if (error instanceof SubmissionInputError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new SubmissionInputError(
      code === 'ENOENT'
        ? `--batch ${dir} does not exist. Pass the folder that holds one sub-folder or .zip per learner.`
        : `Cannot read the batch folder ${dir}: ${code ?? (error as Error).message}. Check the path and its permissions.`,
    );
  }
  const byKey = new Map<string, Named[]>();
  for (const name of names.sort()) {
    // Dot files (.DS_Store, .git) and our own outputs (grades.csv, *.jsonl) are not learners.
    if (name.startsWith('.') || name.startsWith('__MACOSX')) continue;
    const path = join(dir, name);
    let isDir: boolean;
    try {
      isDir = statSync(path).isDirectory();
    } catch {
      continue; // a dangling link: nothing to grade
    }
    const isZip = !isDir && name.toLowerCase().endsWith('.zip');
    if (!isDir && !isZip) continue;
    const id = isZip ? name.slice(0, -4) : name;
    const key = learnerKey(id);
    byKey.set(key, [...(byKey.get(key) ?? []), { id, path, name: isDir ? `${name}/` : name }]);
  }
  const clashes = [...byKey.values()].filter((found) => found.length > 1);
  if (clashes.length) {
    const lines = clashes.sort((a, b) => compareIds(a[0]!.id, b[0]!.id)).map(describeClash);
    throw new SubmissionInputError(
      `${dir} holds submissions that would be the same learner; nothing was graded.\n` +
        lines.map((l) => `  ${l}`).join('\n') +
        `\nKeep one submission per learner (rename or remove the others), then grade again.`,
    );
  }
  return [...byKey.values()].map(([entry]) => ({ id: entry!.id, path: entry!.path })).sort((a, b) => compareIds(a.id, b.id));
}
