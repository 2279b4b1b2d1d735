// The learner files of a folder (starter/, solution/, a submission). Its own module so that
// code reading a solution (the bundler's warm-up) need not load the lab parser.

import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** The learner files of a folder (starter/, solution/, a submission): every .ts file at its top. */
export function readLearnerFiles(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const name of readdirSync(dir).sort()) {
    if (!name.endsWith('.ts')) continue;
    const path = join(dir, name);
    if (statSync(path).isFile()) files[name] = readFileSync(path, 'utf8');
  }
  return files;
}
