// Where things are: the checkout, the labs, the cache of built bundles. Imports nothing heavy,
// so commands that only need a path (`whetstone list` on a warm cache) stay cheap to start.

import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** Where labs live; WHETSTONE_LABS_DIR points elsewhere (tests, a course repo of its own). */
export const LABS_DIR = resolve(process.env.WHETSTONE_LABS_DIR ?? join(REPO_ROOT, 'labs'));
/** Built bundles and what is derived from them; WHETSTONE_CACHE_DIR points elsewhere. bin/whetstone.js keeps Node's compile cache under it too. */
export const CACHE_DIR = resolve(process.env.WHETSTONE_CACHE_DIR ?? join(REPO_ROOT, 'node_modules', '.cache', 'whetstone'));
