// What the site serves for each lab besides its text, built from labs/<id>/ at build time (and
// on request in `astro dev`, so edits to checks show up on the next reload): the learner files
// (starter, solution), the browser grader bundle (public checks only: hidden checks never reach
// the site) and the TypeScript declarations of the packages the lab lets learners import.
//
// A lab that is still being written (no checks yet, a bundle that does not build) keeps its page;
// the page says why it cannot be graded, and the rest of the site builds.

import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { LabManifest } from '../../grader/lab-schema.ts';
import type { CheckInfo } from '../../grader/report.ts';
import { createRequire } from 'node:module';
import { SCRATCH_PATH, scratchScript } from './scratch-script.ts';
import { collectPackageTypes, moduleNames, typesSlug } from './sdk-types.ts';
import type { PackageTypes } from './sdk-types.ts';
import { PROJECT_ROOT, catalogBundle, catalogLabs } from './project.ts';
import { sessionScript } from '../../sandbox/session-scripts.ts';
import type { SessionScriptName } from '../../sandbox/session-scripts.ts';

/** Where labs live: catalog/labs.ts's rule (WHETSTONE_LABS_DIR, else labs/), and the content collections'. */
export const LABS_DIR = resolve(PROJECT_ROOT, process.env.WHETSTONE_LABS_DIR ?? 'labs');

export type LearnerFiles = Record<string, string>;

export interface ServedBundle {
  code: string;
  hash: string;
  checks: CheckInfo[];
  manifest: LabManifest;
}

export type BundleOutcome = { ok: true; bundle: ServedBundle } | { ok: false; problem: string };

// In a build every page and endpoint of a lab shares one bundle; in dev each request rebuilds
// (buildLabBundle keeps its own cache keyed by the inputs, so an unchanged lab costs a hash).
const memo = import.meta.env?.DEV ? undefined : new Map<string, unknown>();

function remembered<T>(key: string, make: () => T): T {
  if (!memo) return make();
  if (!memo.has(key)) memo.set(key, make());
  return memo.get(key) as T;
}

export function labFiles(id: string, kind: 'starter' | 'solution', manifest: Pick<LabManifest, 'files'>): LearnerFiles {
  return remembered(`${kind}:${id}`, () => {
    const dir = join(LABS_DIR, id, kind);
    const found = existsSync(dir) ? readLearnerFiles(dir) : {};
    // The files the lab names, in its order; a file the author has not written yet starts empty.
    const files: LearnerFiles = {};
    for (const { path } of manifest.files) files[path] = found[path] ?? '';
    return files;
  });
}

/** The learner files of a folder: every .ts file at its top (catalog/labs.ts's readLearnerFiles). */
function readLearnerFiles(dir: string): LearnerFiles {
  const files: LearnerFiles = {};
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (name.endsWith('.ts') && statSync(path).isFile()) files[name] = readFileSync(path, 'utf8');
  }
  return files;
}

/** The learner's scratch script for the terminal: labs/<id>/scratch.ts when the author wrote one, else scratchScript(). */
export function scratchFile(id: string, manifest: Pick<LabManifest, 'files' | 'modules'>): { path: string; starter: string } {
  return remembered(`scratch:${id}`, () => {
    const authored = join(LABS_DIR, id, SCRATCH_PATH);
    return { path: SCRATCH_PATH, starter: existsSync(authored) ? readFileSync(authored, 'utf8') : scratchScript(manifest, clientClasses) };
  });
}

/** The client classes a package exports (S3Client…), read from the package itself. */
function clientClasses(module: string): string[] {
  const exports = Object.keys(createRequire(join(PROJECT_ROOT, 'package.json'))(module) as object);
  return exports.filter((name) => /^[A-Z][A-Za-z0-9]*Client$/.test(name));
}

export function hasSolution(id: string): boolean {
  return existsSync(join(LABS_DIR, id, 'solution'));
}

export function graderBundle(id: string): Promise<BundleOutcome> {
  return remembered(`bundle:${id}`, async (): Promise<BundleOutcome> => {
    try {
      const [{ readLab }, { buildLabBundle }] = await Promise.all([catalogLabs(), catalogBundle()]);
      const built = await buildLabBundle(readLab(id, LABS_DIR), { audience: 'browser' });
      if (built.checks.some((c) => c.visibility !== 'public')) {
        throw new Error('the browser bundle holds hidden checks; refusing to publish it');
      }
      return { ok: true, bundle: { code: built.code, hash: built.hash, checks: built.checks, manifest: built.manifest } };
    } catch (error) {
      const problem = error instanceof Error ? error.message : String(error);
      console.warn(`[whetstone] lab ${id} cannot be graded on the site: ${problem}`);
      return { ok: false, problem };
    }
  });
}

export function packageTypes(module: string): PackageTypes {
  return remembered(`types:${module}`, () => collectPackageTypes(module));
}

export interface TypesRef {
  module: string;
  /** Path under the site root, with a content hash so browsers may cache it for good. */
  path: string;
}

export function typesRefs(manifest: Pick<LabManifest, 'modules'>): TypesRef[] {
  const refs: TypesRef[] = [];
  for (const module of moduleNames(manifest.modules)) {
    try {
      refs.push({ module, path: `types/${typesSlug(module)}.json?v=${packageTypes(module).hash}` });
    } catch (error) {
      // The editor then marks the import as unresolved; grading does not depend on it.
      console.warn(`[whetstone] no editor types for ${module}: ${(error as Error).message}`);
    }
  }
  return refs;
}

/** The browser hosts' session scripts, built from sandbox/ (sandbox/session-scripts.ts) and served next to the bundles. */
export function hostScript(name: SessionScriptName): { code: string; hash: string } {
  return remembered(`host:${name}`, () => {
    // From the checkout's sandbox/: Astro bundles this module elsewhere, so sandbox/ cannot find itself.
    const code = sessionScript(name, join(PROJECT_ROOT, 'sandbox'));
    return { code, hash: createHash('sha256').update(code).digest('hex').slice(0, 12) };
  });
}
