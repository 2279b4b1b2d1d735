// A submission as the CLI receives it: a folder of the learner's files, the zip the browser
// exports (files at the top, or inside one folder), or a lab's patch (an anti-solution or an
// alternative, applied to that lab's solution). Anything unreadable is a SubmissionInputError
// that says what to do; nothing here ever runs learner code.

import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { unzipSync } from 'fflate';
import { labIds, readLab } from '../catalog/labs.ts';
import type { LabOnDisk } from '../catalog/labs.ts';
import { PatchError } from '../catalog/variant-patch.ts';
import { readPatchAsVariant } from '../catalog/variants.ts';

export class SubmissionInputError extends Error {
  override name = 'SubmissionInputError';
}

const MAX_FILE_BYTES = 512 * 1024;
const MAX_FILES = 50;

export interface SubmissionInput {
  /** The learner id in a batch: folder or zip name without extension. */
  id: string;
  files: Record<string, string>;
}

function addFile(files: Record<string, string>, name: string, bytes: Uint8Array, where: string): void {
  if (!/^[A-Za-z0-9_-]+\.ts$/.test(name)) return;
  if (bytes.byteLength > MAX_FILE_BYTES) {
    throw new SubmissionInputError(`${where}: ${name} is ${Math.round(bytes.byteLength / 1024)} KB; a learner file may be at most ${MAX_FILE_BYTES / 1024} KB.`);
  }
  if (Object.keys(files).length >= MAX_FILES) {
    throw new SubmissionInputError(`${where}: more than ${MAX_FILES} .ts files; is this really one learner's submission?`);
  }
  files[name] = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
}

function readZip(path: string): Record<string, string> {
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(readFileSync(path), {
      // Skip big entries before inflating them: a zip bomb must not cost memory.
      filter: (file) => file.originalSize <= MAX_FILE_BYTES * 4,
    });
  } catch (error) {
    throw new SubmissionInputError(`${path} is not a readable zip (${(error as Error).message}). Export it again from the lab page, or unzip it and pass the folder.`);
  }
  const names = Object.keys(entries).filter((n) => !n.endsWith('/') && !n.startsWith('__MACOSX/'));
  // Files at the top, or all inside one folder (as many zip tools make them).
  const tops = new Set(names.map((n) => (n.includes('/') ? n.split('/')[0] : '')));
  const prefix = tops.size === 1 && !tops.has('') ? `${[...tops][0]}/` : '';
  const files: Record<string, string> = {};
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const rest = name.slice(prefix.length);
    if (rest.includes('/')) continue;
    addFile(files, rest, entries[name]!, path);
  }
  return files;
}

function readFolder(path: string): Record<string, string> {
  const files: Record<string, string> = {};
  let names: string[];
  try {
    names = readdirSync(path).sort();
  } catch (error) {
    throw new SubmissionInputError(`Cannot read the folder ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}. Check the path and its permissions.`);
  }
  for (const name of names) {
    const full = join(path, name);
    let stat;
    try {
      stat = statSync(full);
    } catch {
      continue;
    }
    if (!stat.isFile() || !name.endsWith('.ts')) continue;
    if (stat.size > MAX_FILE_BYTES) {
      throw new SubmissionInputError(`${full} is ${Math.round(stat.size / 1024)} KB; a learner file may be at most ${MAX_FILE_BYTES / 1024} KB.`);
    }
    addFile(files, name, readFileSync(full), path);
  }
  return files;
}

/** The labs whose learner files include every file a patch changes. */
function labsWithFiles(files: string[]): string[] {
  return labIds().filter((id) => {
    try {
      const paths = readLab(id).manifest.files.map((f) => f.path);
      return files.every((file) => paths.includes(file));
    } catch {
      return false; // a broken lab is `whetstone check`'s to report, not this command's
    }
  });
}

function readPatch(path: string, lab: LabOnDisk | undefined): Record<string, string> {
  if (!lab) throw new SubmissionInputError(`${path} is a patch against a lab's solution: say which lab with --lab <id>.`);
  try {
    return readPatchAsVariant(lab, path).files;
  } catch (error) {
    if (!(error instanceof PatchError)) throw error;
    if (!error.foreignFiles.length) throw new SubmissionInputError(error.message);
    const foreign = error.foreignFiles;
    const others = labsWithFiles(foreign).filter((id) => id !== lab.id);
    throw new SubmissionInputError(
      `${path} changes ${foreign.join(', ')}, which ${foreign.length === 1 ? 'is not a learner file' : 'are not learner files'} of ${lab.id} (${lab.manifest.files.map((f) => f.path).join(', ')}). ${
        others.length ? `It is a patch for ${others.join(' or ')}: grade it with --lab ${others[0]}.` : 'Pass the lab whose solution it patches with --lab.'
      }`,
    );
  }
}

/** Reads a submission; a `.patch` needs the lab whose solution it patches. */
export function readSubmission(path: string, options: { lab?: LabOnDisk } = {}): SubmissionInput {
  if (!existsSync(path)) {
    throw new SubmissionInputError(`${path} does not exist. Pass the folder holding the learner's files (e.g. partition.ts), the zip exported from the lab page, or a lab's .patch.`);
  }
  const isFile = statSync(path).isFile();
  const isPatch = isFile && path.toLowerCase().endsWith('.patch');
  if (isFile && !isPatch && !path.toLowerCase().endsWith('.zip')) {
    throw new SubmissionInputError(`${path} is a file, not a folder, a .zip or a .patch. Pass the folder that holds it instead.`);
  }
  if (isPatch) return { id: basename(path).replace(/\.patch$/i, ''), files: readPatch(path, options.lab) };
  const files = isFile ? readZip(path) : readFolder(path);
  if (!Object.keys(files).length) {
    throw new SubmissionInputError(`${path} holds no .ts files. A submission is the learner's files (e.g. partition.ts) at the top of a folder or zip.`);
  }
  return { id: basename(path).replace(/\.zip$/i, ''), files };
}
