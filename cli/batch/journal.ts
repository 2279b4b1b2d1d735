// The batch journal: one JSON line per graded learner, appended and fsync'd the moment the
// report exists. It is what makes a batch resumable: Ctrl-C, a crash or a pre-empted CI runner
// loses nothing graded, and a rerun reads the journal and grades only what is missing.
//
// An entry counts only for the same submission graded the same way: its fingerprint hashes the
// learner's files, the grader bundle (checks, fakes, pack) and the seed. A learner who
// resubmits, or a fixed check, is graded again; nothing stale is reused silently.

import { createHash } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, ftruncateSync, openSync, readFileSync, writeSync } from 'node:fs';
import type { Report } from '../../grader/report.ts';

export interface JournalEntry {
  id: string;
  fingerprint: string;
  report: Report;
}

export function journalPath(out: string): string {
  return `${out}.journal.jsonl`;
}

export function fingerprint(files: Record<string, string>, bundleHash: string, seed: number): string {
  const hash = createHash('sha256');
  hash.update(`whetstone-batch-v1\0${bundleHash}\0${seed}\0`);
  for (const name of Object.keys(files).sort()) hash.update(`${name}\0${files[name]}\0`);
  return hash.digest('hex').slice(0, 32);
}

function isEntry(value: unknown): value is JournalEntry {
  const v = value as Partial<JournalEntry> | null;
  return !!v && typeof v.id === 'string' && typeof v.fingerprint === 'string' && !!v.report && typeof v.report === 'object';
}

export interface JournalContents {
  /** The newest entry per learner id. */
  entries: Map<string, JournalEntry>;
  /** Bytes of whole lines; anything after is half a line from a crash, cut off before appending. */
  validBytes: number;
}

export function readJournal(path: string): JournalContents {
  const entries = new Map<string, JournalEntry>();
  if (!existsSync(path)) return { entries, validBytes: 0 };
  const bytes = readFileSync(path);
  const end = bytes.lastIndexOf(0x0a) + 1;
  for (const line of bytes.subarray(0, end).toString('utf8').split('\n')) {
    if (!line) continue;
    try {
      const value: unknown = JSON.parse(line);
      if (isEntry(value)) entries.set(value.id, value);
    } catch {
      // A line that is not JSON is not an entry; the learner is simply graded again.
    }
  }
  return { entries, validBytes: end };
}

export class Journal {
  readonly path: string;
  #fd: number | undefined;

  /** Open for appending; `fresh` (--force) starts an empty journal. */
  constructor(path: string, options: { fresh: boolean; validBytes: number }) {
    this.path = path;
    this.#fd = openSync(path, options.fresh ? 'w' : 'a');
    if (!options.fresh) ftruncateSync(this.#fd, options.validBytes);
  }

  append(entry: JournalEntry): void {
    if (this.#fd === undefined) throw new Error(`The journal ${this.path} is closed.`);
    const bytes = Buffer.from(`${JSON.stringify(entry)}\n`, 'utf8');
    let offset = 0;
    while (offset < bytes.length) offset += writeSync(this.#fd, bytes, offset);
    // On disk before we count it as graded: a power cut after this line keeps the grade.
    fsyncSync(this.#fd);
  }

  close(): void {
    if (this.#fd === undefined) return;
    closeSync(this.#fd);
    this.#fd = undefined;
  }
}
