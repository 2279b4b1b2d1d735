// The batch journal: one JSON line per graded learner, appended and fsync'd the moment the
// report exists. It is what makes a batch resumable: Ctrl-C, a crash or a pre-empted CI runner
// loses nothing graded, and a rerun reads the journal and grades only what is missing.
//
// An entry counts only for the same submission graded the same way: its fingerprint hashes the
// learner's files, the grader bundle (checks, fakes, pack) and the seed. A learner who
// resubmits, or a fixed check, is graded again; nothing stale is reused silently.
//
// Reports can be large (traces and state of every check: a megabyte for some labs), so the batch
// keeps only slim reports in memory and remembers where each full one lies in the journal; the
// JSON output copies them from there (see json-output.ts).

import { createHash } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, ftruncateSync, mkdirSync, openSync, readFileSync, readSync, writeSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { withoutDetails } from '../../grader/report.ts';
import type { Report } from '../../grader/report.ts';

export interface JournalEntry {
  id: string;
  fingerprint: string;
  report: Report;
}

/** Where one entry's line lies in the journal file. */
export interface JournalRef {
  offset: number;
  length: number;
}

export interface JournaledReport {
  fingerprint: string;
  /** The report without traces, state, output and figures: enough for grades and item analysis. */
  report: Report;
  ref: JournalRef;
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

/** What grades need of a report: verdicts, scores and messages, not what the code did. */
export function slimReport(report: Report): Report {
  return { ...report, checks: report.checks.map(withoutDetails) };
}

function isEntry(value: unknown): value is JournalEntry {
  const v = value as Partial<JournalEntry> | null;
  return !!v && typeof v.id === 'string' && typeof v.fingerprint === 'string' && !!v.report && typeof v.report === 'object' && Array.isArray(v.report.checks);
}

export interface JournalContents {
  /** The newest entry per learner id. */
  entries: Map<string, JournaledReport>;
  /** Bytes of whole lines; anything after is half a line from a crash, cut off before appending. */
  validBytes: number;
}

export function readJournal(path: string): JournalContents {
  const entries = new Map<string, JournaledReport>();
  if (!existsSync(path)) return { entries, validBytes: 0 };
  const bytes = readFileSync(path);
  let start = 0;
  // Line by line from the buffer: the whole file as one string could exceed V8's string limit.
  for (let end = bytes.indexOf(0x0a, start); end !== -1; start = end + 1, end = bytes.indexOf(0x0a, start)) {
    if (end === start) continue;
    try {
      const value: unknown = JSON.parse(bytes.toString('utf8', start, end));
      if (isEntry(value)) {
        entries.set(value.id, { fingerprint: value.fingerprint, report: slimReport(value.report), ref: { offset: start, length: end - start } });
      }
    } catch {
      // A line that is not JSON is not an entry; the learner is simply graded again.
    }
  }
  return { entries, validBytes: start };
}

/** The JSON text of one entry, as written. */
export function readJournalEntry(fd: number, ref: JournalRef): string {
  const buffer = Buffer.alloc(ref.length);
  let read = 0;
  while (read < ref.length) {
    const n = readSync(fd, buffer, read, ref.length - read, ref.offset + read);
    if (n === 0) throw new Error(`The journal ended before the entry at byte ${ref.offset}; was it changed while the batch ran?`);
    read += n;
  }
  return buffer.toString('utf8');
}

export class Journal {
  readonly path: string;
  #fd: number | undefined;
  #size: number;

  /** Open for appending; `fresh` (--force) starts an empty journal. */
  constructor(path: string, options: { fresh: boolean; validBytes: number }) {
    this.path = path;
    // --out results/week3/grades.csv: the folder is made here, the first file written into it.
    mkdirSync(dirname(resolve(path)), { recursive: true });
    this.#fd = openSync(path, options.fresh ? 'w' : 'a');
    this.#size = options.fresh ? 0 : options.validBytes;
    if (!options.fresh) ftruncateSync(this.#fd, this.#size);
  }

  append(entry: JournalEntry): JournalRef {
    if (this.#fd === undefined) throw new Error(`The journal ${this.path} is closed.`);
    const line = Buffer.from(`${JSON.stringify(entry)}\n`, 'utf8');
    let offset = 0;
    while (offset < line.length) offset += writeSync(this.#fd, line, offset);
    // On disk before we count it as graded: a power cut after this line keeps the grade.
    fsyncSync(this.#fd);
    const ref = { offset: this.#size, length: line.length - 1 };
    this.#size += line.length;
    return ref;
  }

  close(): void {
    if (this.#fd === undefined) return;
    closeSync(this.#fd);
    this.#fd = undefined;
  }
}
