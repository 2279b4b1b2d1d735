// Labs on disk: find them, parse lab.md and steps/*.md against the lab schema, and say exactly
// which file and field is wrong when one is malformed. Node-only (the CLI, the bundler, tests).

import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { LAB_ID, formatZodIssues, labSchema, stepSchema } from '../grader/lab-schema.ts';
import type { LabManifest, StepMeta } from '../grader/lab-schema.ts';
import { LabError } from './lab-error.ts';
import { LABS_DIR } from './paths.ts';

export { LabError } from './lab-error.ts';
export { readLearnerFiles } from './learner-files.ts';
export { LABS_DIR, REPO_ROOT } from './paths.ts';

export interface LabStep extends StepMeta {
  number: number;
  slug: string;
  file: string;
  body: string;
}

export interface LabOnDisk {
  id: string;
  dir: string;
  manifest: LabManifest;
  introduction: string;
  steps: LabStep[];
  checksFile: string;
  hiddenChecksFile?: string;
}

export function splitFrontmatter(text: string, file: string): { data: unknown; body: string } {
  const match = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?([\s\S]*)$/.exec(text);
  if (!match) {
    throw new LabError(`${file}: no frontmatter. Start the file with a '---' line, the YAML fields, and another '---' line.`);
  }
  try {
    return { data: yaml.load(match[1]!) ?? {}, body: match[2]! };
  } catch (error) {
    throw new LabError(`${file}: the frontmatter is not valid YAML: ${(error as Error).message.split('\n')[0]}`);
  }
}

export function labIds(labsDir = LABS_DIR): string[] {
  if (!existsSync(labsDir)) return [];
  return readdirSync(labsDir)
    .filter((name) => statSync(join(labsDir, name)).isDirectory() && existsSync(join(labsDir, name, 'lab.md')))
    .sort();
}

export function readLab(id: string, labsDir = LABS_DIR): LabOnDisk {
  const dir = join(labsDir, id);
  if (!existsSync(join(dir, 'lab.md'))) {
    const known = labIds(labsDir);
    throw new LabError(
      `Unknown lab '${id}'. ${known.length ? `Labs: ${known.join(', ')}.` : 'There are no labs yet.'} Run \`whetstone list\` to see them.`,
    );
  }
  if (!LAB_ID.test(id)) throw new LabError(`labs/${id}: a lab id is lower-case words joined by hyphens, e.g. 's3-partitioning'.`);
  const labFile = `labs/${id}/lab.md`;
  const { data, body } = splitFrontmatter(readFileSync(join(dir, 'lab.md'), 'utf8'), labFile);
  const parsed = labSchema.safeParse(data);
  if (!parsed.success) {
    throw new LabError(`${labFile}: the frontmatter does not match the lab schema (grader/lab-schema.ts):`, formatZodIssues(parsed.error));
  }
  const steps: LabStep[] = [];
  const stepsDir = join(dir, 'steps');
  const stepFiles = existsSync(stepsDir) ? readdirSync(stepsDir).filter((f) => f.endsWith('.md')).sort() : [];
  for (const name of stepFiles) {
    const file = `labs/${id}/steps/${name}`;
    const m = /^(\d{2})-([a-z0-9-]+)\.md$/.exec(name);
    if (!m) throw new LabError(`${file}: step files are named NN-slug.md, e.g. 01-utc-partitions.md.`);
    const step = splitFrontmatter(readFileSync(join(stepsDir, name), 'utf8'), file);
    const meta = stepSchema.safeParse(step.data);
    if (!meta.success) throw new LabError(`${file}: the frontmatter does not match the step schema:`, formatZodIssues(meta.error));
    const number = Number(m[1]);
    if (number !== steps.length + 1) {
      throw new LabError(`${file}: steps are numbered 01, 02, 03… without gaps; expected ${String(steps.length + 1).padStart(2, '0')}.`);
    }
    steps.push({ ...meta.data, number, slug: m[2]!, file, body: step.body });
  }
  if (!steps.length) throw new LabError(`labs/${id}/steps: a lab needs at least one step (steps/01-slug.md).`);
  const checksFile = join(dir, 'checks.ts');
  if (!existsSync(checksFile)) throw new LabError(`labs/${id}/checks.ts is missing: every lab has public checks.`);
  const hidden = join(dir, 'hidden', 'checks.ts');
  return {
    id,
    dir,
    manifest: { ...parsed.data, id },
    introduction: body,
    steps,
    checksFile,
    ...(existsSync(hidden) ? { hiddenChecksFile: hidden } : {}),
  };
}

export function readAllLabs(labsDir = LABS_DIR): LabOnDisk[] {
  return labIds(labsDir)
    .map((id) => readLab(id, labsDir))
    .sort((a, b) => a.manifest.order - b.manifest.order || a.id.localeCompare(b.id));
}
