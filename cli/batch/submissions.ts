// The learners of a batch folder: every sub-folder and every .zip at its top is one submission,
// named by the learner id (the folder or zip name). Nothing is read here but the listing, so a
// class of 50,000 costs one readdir; each submission's files are read when it is graded.

import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { SubmissionInputError } from '../submission-input.ts';

export interface BatchEntry {
  /** The learner id: folder name, or zip name without .zip. */
  id: string;
  path: string;
  /** Set when the entry cannot be graded as it stands (e.g. two submissions with one id). */
  problem?: string;
}

/** Learner ids in a human order: learner2 before learner10; ties broken byte-wise so it is total. */
export function compareIds(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true }) || (a < b ? -1 : a > b ? 1 : 0);
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
  const byId = new Map<string, BatchEntry[]>();
  for (const name of names) {
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
    byId.set(id, [...(byId.get(id) ?? []), { id, path }]);
  }
  const entries: BatchEntry[] = [];
  for (const [id, found] of byId) {
    if (found.length === 1) {
      entries.push(found[0]!);
    } else {
      entries.push({
        id,
        path: found[0]!.path,
        problem: `Two submissions are named ${id} (${found.map((f) => f.path).join(' and ')}); keep one of them and grade again.`,
      });
    }
  }
  return entries.sort((a, b) => compareIds(a.id, b.id));
}
