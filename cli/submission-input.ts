// A submission as the CLI receives it: a folder of the learner's files, the zip the browser
// exports (files at the top, or inside one folder), or a lab's patch (an anti-solution or an
// alternative, applied to that lab's solution). Anything unreadable is a SubmissionInputError
// that says what to do; nothing here ever runs learner code.

import { labIds, readLab } from '../catalog/labs.ts';
import type { LabOnDisk } from '../catalog/labs.ts';
import { PatchError } from '../catalog/variant-patch.ts';
import { readPatchAsVariant } from '../catalog/variants.ts';
import { readSubmissionFiles } from './submission-files.ts';
import type { SubmissionInput } from './submission-files.ts';
import { SubmissionInputError } from './submission-input-error.ts';

export { SubmissionInputError } from './submission-input-error.ts';
export type { SubmissionInput } from './submission-files.ts';

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
  return readSubmissionFiles(path, (patch) => readPatch(patch, options.lab));
}
