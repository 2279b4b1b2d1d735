// `whetstone new <id>`: copy the lab template (cli/scaffold/lab/, files ending in .tmpl) into
// labs/<id>/, filling in the id, the title and the catalog order. The template is a small but
// complete lab — two steps, public and hidden checks on the fake S3, a fault injected, an
// anti-solution — that passes `whetstone check` as it is.

import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import yaml from 'js-yaml';
import { LAB_ID } from '../../grader/lab-schema.ts';

export const TEMPLATE_DIR = join(dirname(fileURLToPath(import.meta.url)), 'lab');

export class ScaffoldError extends Error {
  override name = 'ScaffoldError';
}

export function labIdProblem(id: string): string | undefined {
  if (!LAB_ID.test(id)) {
    return `'${id}' is not a lab id: use lower-case words and digits joined by hyphens, starting with a letter, e.g. 'feature-store' or 's3-lifecycle'.`;
  }
  if (id.length > 48) return `'${id}' is ${id.length} characters; keep a lab id under 48 (it is a URL and a folder name).`;
  return undefined;
}

/** 'feature-store' → 'Feature store'. */
export function titleFromId(id: string): string {
  const words = id.split('-').join(' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function templateFiles(dir: string, base = dir): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) return templateFiles(path, base);
      return name.endsWith('.tmpl') ? [relative(base, path)] : [];
    });
}

export interface ScaffoldOptions {
  id: string;
  labsDir: string;
  title?: string;
  order?: number;
}

export interface Scaffolded {
  dir: string;
  /** Paths written, relative to the lab folder. */
  files: string[];
}

export function scaffoldLab(options: ScaffoldOptions): Scaffolded {
  const problem = labIdProblem(options.id);
  if (problem) throw new ScaffoldError(problem);
  const dir = join(options.labsDir, options.id);
  if (existsSync(dir)) {
    throw new ScaffoldError(`${dir} already exists; nothing was written. Pick another id, or remove that folder first if you mean to start over.`);
  }
  const title = options.title ?? titleFromId(options.id);
  if (title.trim().length < 3) throw new ScaffoldError(`--title '${title}': a lab title needs at least 3 characters.`);
  const values: Record<string, string> = {
    id: options.id,
    // YAML-quoted, so a title with ':' or '#' stays one string.
    title: yaml.dump(title.trim(), { flowLevel: 0, lineWidth: -1 }).trim(),
    order: String(options.order ?? 100),
  };
  const written: string[] = [];
  try {
    for (const template of templateFiles(TEMPLATE_DIR)) {
      const target = join(dir, template.replace(/\.tmpl$/, ''));
      const text = readFileSync(join(TEMPLATE_DIR, template), 'utf8').replace(/\{\{(\w+)\}\}/g, (whole, name: string) => {
        const value = values[name];
        if (value === undefined) throw new ScaffoldError(`Template ${template} uses ${whole}, which the scaffold does not know.`);
        return value;
      });
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, text, { flag: 'wx' });
      written.push(relative(dir, target).split(sep).join('/'));
    }
  } catch (error) {
    // Half a lab is worse than none: it would break `whetstone list` for everyone.
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return { dir, files: written };
}
