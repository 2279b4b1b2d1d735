// The TypeScript declarations of one package (an AWS SDK client) as Monaco needs them: every
// .d.ts the package's types reach, keyed by the path Monaco's TypeScript worker will look for
// (file:///node_modules/…), so `import { PutObjectCommand } from '@aws-sdk/client-s3'` type-checks
// and completes in the browser exactly as it does here. Build time only (Node).
//
// Monaco's worker resolves modules the node10 way over the files it was given, and it is given
// no package.json: wherever resolution here needed one (a "types" field, typesVersions, an
// exports map), a one-line index.d.ts re-export stands in, and every import is re-resolved the
// way the worker will, so a missing shim fails the build instead of silently turning types
// into `any`.

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join, posix, relative, sep } from 'node:path';
import ts from 'typescript';
import { PROJECT_ROOT as REPO_ROOT } from './project.ts';

export interface PackageTypes {
  /** The package, e.g. '@aws-sdk/client-s3'. */
  module: string;
  /** Virtual path ('file:///node_modules/…d.ts') → declaration text. */
  files: Record<string, string>;
  /** Content hash, for cache-busting URLs. */
  hash: string;
  /** Imports left unresolved (e.g. node:stream), which Monaco sees as `any`. */
  unresolved: string[];
}

const OPTIONS: ts.CompilerOptions = { moduleResolution: ts.ModuleResolutionKind.Node10, target: ts.ScriptTarget.ES2022 };
const VIRTUAL_ROOT = 'file:///';

/** The package root of a file inside node_modules ('…/node_modules/@smithy/types'). */
function packageRoot(file: string): string | undefined {
  const m = /^(.*[/\\]node_modules[/\\](?:@[^/\\]+[/\\])?[^/\\]+)/.exec(file);
  return m?.[1];
}

function toVirtual(file: string): string {
  return VIRTUAL_ROOT + relative(REPO_ROOT, file).split(sep).join('/');
}

function bareSpecifier(spec: string): { name: string; subpath: string } | undefined {
  if (spec.startsWith('.') || spec.startsWith('/') || spec.startsWith('node:')) return undefined;
  const parts = spec.split('/');
  const count = spec.startsWith('@') ? 2 : 1;
  return { name: parts.slice(0, count).join('/'), subpath: parts.slice(count).join('/') };
}

/** What Monaco's worker will see: only the files we ship, no package.json. */
function virtualHost(files: Map<string, string>): ts.ModuleResolutionHost {
  return {
    fileExists: (path) => files.has(path),
    readFile: (path) => files.get(path),
    directoryExists: (path) => {
      const prefix = path.endsWith('/') ? path : `${path}/`;
      for (const key of files.keys()) if (key.startsWith(prefix)) return true;
      return false;
    },
  };
}

function specifiers(text: string): { imports: string[]; references: string[] } {
  const info = ts.preProcessFile(text, true, true);
  return { imports: info.importedFiles.map((f) => f.fileName), references: info.referencedFiles.map((f) => f.fileName) };
}

export function collectPackageTypes(module: string, fromDir = REPO_ROOT): PackageTypes {
  const entry = ts.resolveModuleName(module, join(fromDir, 'index.ts'), OPTIONS, ts.sys).resolvedModule;
  if (!entry?.resolvedFileName.endsWith('.d.ts')) {
    throw new Error(`No TypeScript declarations found for '${module}': is it installed (npm ls ${module})?`);
  }
  // 1. Every declaration file the entry reaches, resolved as TypeScript does on disk.
  const real = new Map<string, string>();
  const edges: { from: string; spec: string; to: string }[] = [];
  const unresolved = new Set<string>();
  const queue = [entry.resolvedFileName];
  while (queue.length) {
    const file = queue.pop()!;
    if (real.has(file)) continue;
    const text = readFileSync(file, 'utf8');
    real.set(file, text);
    const { imports, references } = specifiers(text);
    for (const ref of references) queue.push(join(dirname(file), ref));
    for (const spec of imports) {
      const resolved = ts.resolveModuleName(spec, file, OPTIONS, ts.sys).resolvedModule?.resolvedFileName;
      if (!resolved || !resolved.endsWith('.d.ts')) {
        unresolved.add(spec);
        continue;
      }
      edges.push({ from: file, spec, to: resolved });
      queue.push(resolved);
    }
  }

  // 2. The virtual tree, plus shims where resolution leaned on a package.json.
  const files = new Map<string, string>();
  for (const [file, text] of real) files.set(toVirtual(file), text);
  const host = virtualHost(files);
  const needed = [{ from: join(fromDir, 'index.ts'), spec: module, to: entry.resolvedFileName }, ...edges];
  for (const edge of needed) {
    const from = toVirtual(edge.from);
    const want = toVirtual(edge.to);
    const got = ts.resolveModuleName(edge.spec, from, OPTIONS, host).resolvedModule?.resolvedFileName;
    if (got === want) continue;
    const bare = bareSpecifier(edge.spec);
    const root = packageRoot(edge.to);
    if (!bare || !root) {
      throw new Error(`Cannot mirror the resolution of '${edge.spec}' from ${edge.from} for Monaco (got ${got ?? 'nothing'}).`);
    }
    const shimDir = toVirtual(bare.subpath ? join(root, bare.subpath) : root);
    const shim = `${shimDir}/index.d.ts`;
    const target = posix.relative(shimDir, want).replace(/\.d\.ts$/, '');
    const text = `export * from '${target.startsWith('.') ? target : `./${target}`}';\n`;
    if (files.has(shim) && files.get(shim) !== text) {
      throw new Error(`Cannot shim '${edge.spec}' for Monaco: ${shim} already holds other declarations.`);
    }
    files.set(shim, text);
    const again = ts.resolveModuleName(edge.spec, from, OPTIONS, host).resolvedModule?.resolvedFileName;
    if (again !== shim) {
      throw new Error(`Monaco would resolve '${edge.spec}' from ${from} to ${again ?? 'nothing'}, not to the shim ${shim}.`);
    }
  }

  const sorted = Object.fromEntries([...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  const hash = createHash('sha256').update(JSON.stringify(sorted)).digest('hex').slice(0, 12);
  return { module, files: sorted, hash, unresolved: [...unresolved].sort() };
}

/** The packages a lab's learner may import (its manifest's allow-list), by name. */
export function moduleNames(modules: readonly (string | { name: string })[]): string[] {
  return [...new Set(modules.map((m) => (typeof m === 'string' ? m : m.name)))];
}

/** 'types/aws-sdk__client-s3.json': a URL-safe file name for a package's declarations. */
export function typesSlug(module: string): string {
  return module.replace(/^@/, '').replace(/\//g, '__');
}
