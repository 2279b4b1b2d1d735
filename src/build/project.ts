// Where the project is, and its Node-side modules (catalog/), loaded from their own files.
//
// Astro bundles the code of pages and endpoints into .astro/ before running it, which would move
// catalog/*.ts away from the grader/ and labs/ folders they find through import.meta.url. So the
// catalog is imported at run time from the project root (Astro runs from it), unbundled, exactly
// as the CLI loads it.

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export const PROJECT_ROOT = process.cwd();

type LabsModule = typeof import('../../catalog/labs.ts');
type BundleModule = typeof import('../../catalog/bundle.ts');

function catalogFile(name: string): string {
  const file = join(PROJECT_ROOT, 'catalog', name);
  if (!existsSync(file)) {
    throw new Error(`Cannot find ${file}: run astro from the root of the Whetstone checkout.`);
  }
  return pathToFileURL(file).href;
}

export const catalogLabs = (): Promise<LabsModule> => import(/* @vite-ignore */ catalogFile('labs.ts'));
export const catalogBundle = (): Promise<BundleModule> => import(/* @vite-ignore */ catalogFile('bundle.ts'));
