// The submission as a zip: the learner files at the top (partition.ts …) plus whetstone.json
// ({ lab, exportedAt }). `whetstone grade --lab <id> file.zip` and `--batch` read it as it is
// (cli/submission-input.ts); importing follows the same rules, so a zip that grades on the
// command line imports here and the other way round.

import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';

export const MANIFEST_NAME = 'whetstone.json';
/** The CLI's limits (cli/submission-input.ts), so an export always grades. */
const MAX_FILE_BYTES = 512 * 1024;
const LEARNER_FILE = /^[A-Za-z0-9_-]+\.ts$/;

export interface ExportManifest {
  lab: string;
  exportedAt: string;
}

export class SubmissionZipError extends Error {
  override name = 'SubmissionZipError';
}

export function exportSubmission(lab: string, files: Record<string, string>, now: Date): Uint8Array {
  const entries: Record<string, Uint8Array> = {};
  for (const [path, text] of Object.entries(files)) entries[path] = strToU8(text);
  const manifest: ExportManifest = { lab, exportedAt: now.toISOString() };
  entries[MANIFEST_NAME] = strToU8(`${JSON.stringify(manifest, null, 2)}\n`);
  // Stored with the zip's own clock at the export time, so unzip tools show a sensible date.
  return zipSync(entries, { level: 6, mtime: now });
}

/** "s3-partitioning-2024-05-01.zip": the lab and the day, safe as a file name everywhere. */
export function exportFileName(lab: string, now: Date): string {
  return `${lab}-${now.toISOString().slice(0, 10)}.zip`;
}

export interface ImportedSubmission {
  /** The lab's files found in the zip. */
  files: Record<string, string>;
  /** The lab named in whetstone.json, when there is one. */
  lab?: string;
  /** Learner-looking files the lab does not have (ignored). */
  ignored: string[];
  /** The lab's files the zip does not hold (left as they are). */
  missing: string[];
}

export function importSubmission(bytes: Uint8Array, labFiles: readonly string[]): ImportedSubmission {
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(bytes, { filter: (file) => file.originalSize <= MAX_FILE_BYTES * 4 });
  } catch (error) {
    throw new SubmissionZipError(`This file is not a readable zip (${(error as Error).message}). Choose a .zip exported from a lab page.`);
  }
  const names = Object.keys(entries).filter((n) => !n.endsWith('/') && !n.startsWith('__MACOSX/'));
  // Files at the top, or all inside one folder (as many zip tools make them), like the CLI.
  const tops = new Set(names.map((n) => (n.includes('/') ? n.split('/')[0] : '')));
  const prefix = tops.size === 1 && !tops.has('') ? `${[...tops][0]}/` : '';
  const files: Record<string, string> = {};
  const ignored: string[] = [];
  let lab: string | undefined;
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const rest = name.slice(prefix.length);
    if (rest.includes('/')) continue;
    const bytesOf = entries[name]!;
    if (rest === MANIFEST_NAME) {
      try {
        const manifest = JSON.parse(strFromU8(bytesOf)) as Partial<ExportManifest>;
        if (typeof manifest.lab === 'string') lab = manifest.lab;
      } catch {
        // A hand-made whetstone.json that is not JSON names no lab; the files still count.
      }
      continue;
    }
    if (!LEARNER_FILE.test(rest)) continue;
    if (!labFiles.includes(rest)) {
      ignored.push(rest);
      continue;
    }
    if (bytesOf.byteLength > MAX_FILE_BYTES) {
      throw new SubmissionZipError(`${rest} is ${Math.round(bytesOf.byteLength / 1024)} KB; a learner file may be at most ${MAX_FILE_BYTES / 1024} KB.`);
    }
    files[rest] = strFromU8(bytesOf);
  }
  const missing = labFiles.filter((f) => !(f in files));
  if (!Object.keys(files).length) {
    const wanted = labFiles.join(', ');
    throw new SubmissionZipError(
      ignored.length
        ? `This zip holds ${ignored.join(', ')}, but this lab's files are ${wanted}. Is it from another lab?`
        : `This zip holds none of this lab's files (${wanted}).`,
    );
  }
  return { files, ignored, missing, ...(lab !== undefined ? { lab } : {}) };
}
