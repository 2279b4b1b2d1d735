// A lab's variants on disk: anti-solutions (`wrong/<name>.patch`) and alternatives
// (`alternatives/<name>.patch`), each a patch against solution/ (see variant-patch.ts). Lists
// them and materialises each one to the learner files it stands for, in memory. Used by
// `whetstone check`, `whetstone grade <file>.patch`, `new-wrong` and the tests.

import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { LABS_DIR, readLab, readLearnerFiles } from './labs.ts';
import type { LabOnDisk } from './labs.ts';
import { applyVariantPatch, parseVariantPatch } from './variant-patch.ts';
import type { VariantKind, VariantPatch } from './variant-patch.ts';

export type { VariantKind } from './variant-patch.ts';

export const VARIANT_KINDS: readonly VariantKind[] = ['wrong', 'alternatives'];

export interface VariantFile {
  lab: string;
  kind: VariantKind;
  name: string;
  path: string;
  /** `labs/<id>/wrong/<name>.patch`, as messages name it. */
  label: string;
}

export interface Variant extends VariantFile {
  why: string;
  /** The checks an anti-solution must fail (undefined for alternatives, and before they are recorded). */
  fails?: string[];
  /** The learner files: the solution's, with the patch applied. */
  files: Record<string, string>;
  patch: VariantPatch;
}

/** The command that writes a variant's patch again from an edited copy. */
export function regenerateCommand(lab: string, kind: VariantKind, name: string): string {
  return `whetstone new-${kind === 'wrong' ? 'wrong' : 'alternative'} ${lab} ${name} --from <edited copy> --replace`;
}

/** The `.patch` files of `wrong/` and `alternatives/`, sorted by kind, then name. */
export function variantFiles(lab: LabOnDisk, kinds: readonly VariantKind[] = VARIANT_KINDS): VariantFile[] {
  return kinds.flatMap((kind) => {
    const dir = join(lab.dir, kind);
    if (!existsSync(dir)) return [];
    return readdirSync(dir)
      .filter((file) => file.endsWith('.patch') && statSync(join(dir, file)).isFile())
      .sort()
      .map((file) => ({ lab: lab.id, kind, name: file.slice(0, -'.patch'.length), path: join(dir, file), label: `labs/${lab.id}/${kind}/${file}` }));
  });
}

/** Folders in `wrong/` or `alternatives/`: the whole-copy format that patches replaced. */
export function legacyVariantFolders(lab: LabOnDisk): { kind: VariantKind; name: string; label: string }[] {
  return VARIANT_KINDS.flatMap((kind) => {
    const dir = join(lab.dir, kind);
    if (!existsSync(dir)) return [];
    return readdirSync(dir)
      .filter((name) => !name.startsWith('.') && statSync(join(dir, name)).isDirectory())
      .sort()
      .map((name) => ({ kind, name, label: `labs/${lab.id}/${kind}/${name}/` }));
  });
}

export function solutionFiles(lab: LabOnDisk): Record<string, string> {
  return readLearnerFiles(join(lab.dir, 'solution'));
}

/**
 * Parses a variant's patch and applies it to the solution. Throws a PatchError naming the file,
 * the line and what to do. `requireFails: false` accepts an anti-solution whose checks are not
 * written down yet (`check --record` and `new-wrong` fill them in).
 */
export function readVariant(lab: LabOnDisk, file: VariantFile, options: { requireFails?: boolean; solution?: Record<string, string> } = {}): Variant {
  const patch = parseVariantPatch(readFileSync(file.path, 'utf8'), {
    label: file.label,
    kind: file.kind,
    ...(options.requireFails === false ? { requireFails: false } : {}),
  });
  const files = applyVariantPatch(patch, {
    label: file.label,
    lab: lab.id,
    solution: options.solution ?? solutionFiles(lab),
    solutionLabel: `labs/${lab.id}/solution`,
    learnerFiles: lab.manifest.files.map((f) => f.path),
    regenerate: regenerateCommand(lab.id, file.kind, file.name),
  });
  return { ...file, why: patch.why, ...(patch.fails ? { fails: patch.fails } : {}), files, patch };
}

/** Every variant of a lab, materialised; the first unusable patch throws. */
export function readVariants(labId: string, labsDir = LABS_DIR, kinds: readonly VariantKind[] = VARIANT_KINDS): Variant[] {
  const lab = readLab(labId, labsDir);
  const solution = solutionFiles(lab);
  return variantFiles(lab, kinds).map((file) => readVariant(lab, file, { solution }));
}

/**
 * A patch file anywhere (e.g. `whetstone grade --lab <id> some/where/x.patch`), read as the lab's
 * variant: an alternative when it sits in alternatives/ or its header says `passes:`, else an
 * anti-solution, whose `fails:` may still be missing.
 */
export function readPatchAsVariant(lab: LabOnDisk, path: string, label = path): Variant {
  const folder = basename(join(path, '..'));
  const kind: VariantKind =
    folder === 'alternatives' || (folder !== 'wrong' && /^passes:/im.test(readFileSync(path, 'utf8').split(/^--- /m)[0] ?? '')) ? 'alternatives' : 'wrong';
  return readVariant(lab, { lab: lab.id, kind, name: basename(path).replace(/\.patch$/, ''), path, label }, { requireFails: false });
}
