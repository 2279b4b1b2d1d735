// A lab as readLab parses it, kept in the cache (see stamped-cache.ts) and stamped with the files
// readLab reads: grading one submission from the command line then loads neither js-yaml nor
// zod (some hundred modules, a quarter of the CLI's own CPU time in `whetstone grade`). An
// unknown or malformed lab is never cached, so its error always comes from the parser.

import { join } from 'node:path';
import type { LabOnDisk } from './labs.ts';
import { CACHE_DIR, LABS_DIR } from './paths.ts';
import { readStamped, stampOf, writeStamped } from './stamped-cache.ts';

/** Ids that are safe as part of a cache file name; anything else goes to the parser, which says what is wrong. */
const PLAIN_ID = /^[a-z][a-z0-9-]*$/;

export async function readLabCached(id: string, labsDir = LABS_DIR, cacheDir = CACHE_DIR): Promise<LabOnDisk> {
  const dir = join(labsDir, id);
  const name = `lab.${id}.json`;
  const stamp = PLAIN_ID.test(id) ? stampOf([join(dir, 'lab.md'), join(dir, 'steps'), join(dir, 'checks.ts'), join(dir, 'hidden', 'checks.ts')]) : undefined;
  const cached = stamp && readStamped<LabOnDisk>(cacheDir, name, stamp);
  if (cached) return cached;
  const { readLab } = await import('./labs.ts');
  const lab = readLab(id, labsDir);
  if (stamp) writeStamped(cacheDir, name, stamp, lab);
  return lab;
}
