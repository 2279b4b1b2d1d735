// One pre-built bundle per lab: grader runtime, checks, fakes, transpiler and the SDK clients
// the lab allows, as a single script that defines `globalThis.whetstoneLab`. The same bundle
// runs in the Node sandbox, a WebContainer and a browser Worker. Hidden checks (and a private
// check pack) go only into the 'grader' audience, never into the 'browser' one.

import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import vm from 'node:vm';
import type * as esbuild from 'esbuild';
import { RUNTIME_GLOBAL } from '../grader/protocol.ts';
import type { LabRuntime } from '../grader/protocol.ts';
import type { CheckInfo } from '../grader/report.ts';
import type { LabManifest } from '../grader/lab-schema.ts';
import { LabError } from './lab-error.ts';
import type { LabOnDisk } from './labs.ts';
import { readLearnerFiles } from './learner-files.ts';
import { CACHE_DIR, LABS_DIR, REPO_ROOT } from './paths.ts';

export type Audience = 'browser' | 'grader';

export interface BundleOptions {
  audience: Audience;
  /** A private check pack: a folder holding <lab-id>.ts or <lab-id>/checks.ts (grader audience only). */
  checkPack?: string;
  minify?: boolean;
  /** Where built bundles are cached (default node_modules/.cache/whetstone). */
  cacheDir?: string;
}

export interface LabBundle {
  lab: string;
  audience: Audience;
  code: string;
  hash: string;
  manifest: LabManifest;
  checks: CheckInfo[];
  /** Where the cached bundle lives (for hosts that pass a path instead of the code). */
  file: string;
  /** V8's code cache for `code` (Node hosts pass it to vm.Script; V8 ignores a stale one). */
  codeCache?: Uint8Array;
}

/** Bundles kept per lab and audience; older builds are removed when a new one is written. */
const KEEP_BUILDS = 3;

function pruneCache(cacheDir: string, lab: string, audience: Audience): void {
  const prefix = `${lab}.${audience}.`;
  const builds = readdirSync(cacheDir)
    .filter((f) => f.startsWith(prefix) && f.endsWith('.js'))
    .map((f) => ({ base: join(cacheDir, f.slice(0, -3)), mtime: statSync(join(cacheDir, f)).mtimeMs }))
    .sort((a, b) => b.mtime - a.mtime);
  for (const old of builds.slice(KEEP_BUILDS)) {
    for (const ext of ['.js', '.json', '.v8cache']) rmSync(`${old.base}${ext}`, { force: true });
  }
}

function packFile(pack: string, id: string): string | undefined {
  const candidates = [join(pack, `${id}.ts`), join(pack, id, 'checks.ts')];
  return candidates.find((c) => existsSync(c));
}

function filesUnder(dir: string, out: string[] = []): string[] {
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir).sort()) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) filesUnder(path, out);
    else if (/\.(ts|json|md)$/.test(name)) out.push(path);
  }
  return out;
}

/** Everything the bundle is made of, so a change anywhere rebuilds it. */
function inputHash(lab: LabOnDisk, options: BundleOptions, pack: string | undefined): string {
  const hash = createHash('sha256');
  hash.update(`v3|${options.audience}|${options.minify !== false}|`);
  const labFiles = filesUnder(lab.dir).filter(
    (f) => !/[/\\](starter|solution|wrong|alternatives|steps)[/\\]/.test(relative(lab.dir, f)) &&
      (options.audience === 'grader' || !relative(lab.dir, f).startsWith('hidden')),
  );
  const inputs = [...filesUnder(join(REPO_ROOT, 'grader')), ...labFiles, join(REPO_ROOT, 'package-lock.json')];
  // The pack file and whatever sits beside it (helpers it may import).
  if (pack) inputs.push(...filesUnder(dirname(resolve(pack))));
  for (const file of inputs) {
    hash.update(relative(REPO_ROOT, file));
    hash.update(readFileSync(file));
  }
  return hash.digest('hex').slice(0, 16);
}

function entrySource(lab: LabOnDisk, options: BundleOptions, pack: string | undefined): string {
  const lines: string[] = [`import { createLabRuntime } from ${JSON.stringify(join(REPO_ROOT, 'grader', 'runtime.ts'))};`];
  const suites: string[] = [];
  lines.push(`import s0 from ${JSON.stringify(lab.checksFile)};`);
  suites.push(`{ visibility: 'public', suite: s0 }`);
  if (options.audience === 'grader' && lab.hiddenChecksFile) {
    lines.push(`import s1 from ${JSON.stringify(lab.hiddenChecksFile)};`);
    suites.push(`{ visibility: 'hidden', suite: s1 }`);
  }
  if (options.audience === 'grader' && pack) {
    lines.push(`import s2 from ${JSON.stringify(pack)};`);
    suites.push(`{ visibility: 'hidden', suite: s2 }`);
  }
  const modules: string[] = [];
  lab.manifest.modules.forEach((spec, i) => {
    if (typeof spec === 'string') {
      lines.push(`import * as m${i} from ${JSON.stringify(spec)};`);
      modules.push(`${JSON.stringify(spec)}: m${i}`);
    } else {
      lines.push(`import { ${spec.exports.join(', ')} } from ${JSON.stringify(spec.name)};`);
      lines.push(`const m${i} = Object.freeze({ __proto__: null, ${spec.exports.join(', ')} });`);
      modules.push(`${JSON.stringify(spec.name)}: m${i}`);
    }
  });
  lines.push(
    `globalThis.${RUNTIME_GLOBAL} = createLabRuntime({`,
    `  manifest: ${JSON.stringify(lab.manifest)},`,
    `  suites: [${suites.join(', ')}],`,
    `  modules: { ${modules.join(', ')} },`,
    `});`,
  );
  return lines.join('\n');
}

/** Marks the resolution the plugin asks esbuild for, so it does not intercept its own request. */
const FROM_PACKAGE = Symbol('whetstone-package');

/**
 * `whetstone/*` imports. The package's own modules (whetstone/checks, whetstone/aws/<service>)
 * resolve through package.json "exports" alone — esbuild, TypeScript, Vitest and Node all
 * honour a package's reference to itself — asked from inside the package, so a private check
 * pack in a folder of its own resolves them too. whetstone/labs/<id>/<file>.ts is the labs
 * folder the catalog reads (WHETSTONE_LABS_DIR when set), wherever it is.
 */
const whetstoneImports: esbuild.Plugin = {
  name: 'whetstone-imports',
  setup(build) {
    build.onResolve({ filter: /^whetstone\// }, async (args) => {
      if (args.pluginData === FROM_PACKAGE) return undefined;
      const lab = /^whetstone\/labs\/(.+)$/.exec(args.path);
      if (lab) return { path: join(LABS_DIR, lab[1]!) };
      const resolved = await build.resolve(args.path, { kind: args.kind, resolveDir: REPO_ROOT, pluginData: FROM_PACKAGE });
      if (resolved.errors.length) {
        return {
          errors: [{ text: `Unknown whetstone import '${args.path}': use whetstone/checks, whetstone/aws/<service>, whetstone/iam/<module> (package.json "exports") or whetstone/labs/<id>/<file>.ts.` }],
        };
      }
      return { path: resolved.path, namespace: resolved.namespace, external: resolved.external, sideEffects: resolved.sideEffects };
    });
  },
};

/**
 * Evaluate a bundle in a throwaway context to read its manifest and check list. With
 * `warmUp` (the lab's reference solution) it is graded there once first, so V8's code cache
 * also holds the functions grading compiles: every sandboxed child then starts warmer.
 */
export async function inspectBundle(
  code: string,
  warmUp?: Record<string, string>,
): Promise<{ manifest: LabManifest; checks: CheckInfo[]; codeCache: Uint8Array }> {
  const g = globalThis as unknown as Record<string, unknown>;
  const sandbox: Record<string, unknown> = {};
  for (const name of [
    'TextEncoder', 'TextDecoder', 'URL', 'URLSearchParams', 'setTimeout', 'clearTimeout', 'setInterval',
    'clearInterval', 'queueMicrotask', 'console', 'performance', 'crypto', 'AbortController', 'AbortSignal',
    'Blob', 'ReadableStream', 'WritableStream', 'TransformStream', 'structuredClone', 'atob', 'btoa', 'fetch',
    'Headers', 'Request', 'Response', 'EventTarget', 'Event',
  ]) {
    sandbox[name] = g[name];
  }
  const context = vm.createContext(sandbox);
  const script = new vm.Script(code, { filename: 'lab-bundle.js' });
  script.runInContext(context);
  const runtime = (context as Record<string, LabRuntime | undefined>)[RUNTIME_GLOBAL];
  if (!runtime) throw new LabError(`The lab bundle did not define globalThis.${RUNTIME_GLOBAL}.`);
  if (warmUp) {
    try {
      await runtime.run({ files: warmUp, seed: 1, nonce: 'warm-up' }, () => {});
    } catch {
      // A warm-up is an optimisation; `whetstone check` reports a broken solution properly.
    }
  }
  return {
    manifest: JSON.parse(JSON.stringify(runtime.manifest)),
    checks: JSON.parse(JSON.stringify(runtime.checks)),
    // Made after running, so it holds the functions the bundle compiled while loading.
    codeCache: script.createCachedData(),
  };
}

/** A cached build, or undefined when absent or half-removed by a concurrent prune. */
function readCached(base: string): Pick<LabBundle, 'code' | 'manifest' | 'checks' | 'codeCache'> | undefined {
  try {
    const meta = JSON.parse(readFileSync(`${base}.json`, 'utf8')) as Pick<LabBundle, 'manifest' | 'checks'>;
    const code = readFileSync(`${base}.js`, 'utf8');
    const codeCache = existsSync(`${base}.v8cache`) ? readFileSync(`${base}.v8cache`) : undefined;
    return { code, ...meta, ...(codeCache ? { codeCache } : {}) };
  } catch {
    return undefined;
  }
}

export async function buildLabBundle(lab: LabOnDisk, options: BundleOptions): Promise<LabBundle> {
  const pack = options.checkPack ? packFile(resolve(options.checkPack), lab.id) : undefined;
  if (options.checkPack && !pack) {
    throw new LabError(
      `The check pack ${options.checkPack} has no checks for ${lab.id}: add ${lab.id}.ts or ${lab.id}/checks.ts there.`,
    );
  }
  const cacheDir = options.cacheDir ?? CACHE_DIR;
  const hash = inputHash(lab, options, pack);
  const base = join(cacheDir, `${lab.id}.${options.audience}.${hash}`);
  const cached = readCached(base);
  if (cached) return { lab: lab.id, audience: options.audience, hash, file: `${base}.js`, ...cached };
  // esbuild and the IAM data plugin (iam-data, iam-expand and their CLI: some 50 modules) load
  // only when a bundle must be built, not on every cached grade.
  const [{ build }, { iamDataPlugin }, { aslInterpreterPlugin }] = await Promise.all([
    import('esbuild'),
    import('../grader/iam/bundle-plugin.ts'),
    import('../grader/aws/sfn/bundle-plugin.ts'),
  ]);
  let result: esbuild.BuildResult;
  try {
    result = await build({
      stdin: { contents: entrySource(lab, options, pack), resolveDir: REPO_ROOT, loader: 'ts', sourcefile: `${lab.id}-entry.ts` },
      bundle: true,
      write: false,
      format: 'iife',
      platform: 'browser',
      target: 'es2022',
      minify: options.minify !== false,
      keepNames: true,
      legalComments: 'none',
      // Browser builds of the SDK look for `self`; Node has none.
      banner: { js: "if (typeof self === 'undefined') globalThis.self = globalThis;" },
      logLevel: 'silent',
      define: { 'process.env.NODE_ENV': '"production"' },
      // iam-data reads its JSON at run time; the plugin inlines what the IAM engine needs.
      plugins: [whetstoneImports, iamDataPlugin(), aslInterpreterPlugin()],
    });
  } catch (error) {
    const failure = error as esbuild.BuildFailure;
    const problems = (failure.errors ?? []).map(
      (e) => `${e.location ? `${relative(REPO_ROOT, e.location.file)}:${e.location.line}:${e.location.column}: ` : ''}${e.text}`,
    );
    throw new LabError(`Could not build the ${options.audience} bundle of lab ${lab.id}:`, problems.length ? problems : [String(error)]);
  }
  const code = result.outputFiles![0]!.text;
  let meta: { manifest: LabManifest; checks: CheckInfo[]; codeCache: Uint8Array };
  try {
    const solution = join(lab.dir, 'solution');
    meta = await inspectBundle(code, existsSync(solution) ? readLearnerFiles(solution) : undefined);
  } catch (error) {
    throw new LabError(`The bundle of lab ${lab.id} fails when loaded: ${(error as Error).message}`);
  }
  mkdirSync(cacheDir, { recursive: true });
  // Write then rename, so a parallel run never reads half a bundle.
  const tmp = `${base}.${process.pid}.tmp`;
  writeFileSync(`${tmp}.js`, code);
  writeFileSync(`${tmp}.json`, JSON.stringify({ manifest: meta.manifest, checks: meta.checks }));
  writeFileSync(`${tmp}.v8cache`, meta.codeCache);
  renameSync(`${tmp}.v8cache`, `${base}.v8cache`);
  renameSync(`${tmp}.js`, `${base}.js`);
  renameSync(`${tmp}.json`, `${base}.json`);
  try {
    pruneCache(cacheDir, lab.id, options.audience);
  } catch {
    // Another run pruning at the same time: nothing lost, the next build prunes again.
  }
  return { lab: lab.id, audience: options.audience, code, hash, file: `${base}.js`, ...meta };
}
