// Loading a learner's submission: TypeScript in (sucrase keeps line numbers, so every error
// points at the learner's own line), modules out, imports resolved only to an allow-list.
// Environment-agnostic: no node: imports, so it runs in Node, a WebContainer and a Worker.

import { transform } from 'sucrase';
import type { ReportError } from './report.ts';
import type { Submission } from './checks.ts';

export type ModuleMap = Readonly<Record<string, object>>;

export class SubmissionError extends Error {
  override name = 'SubmissionError';
  readonly detail: ReportError;
  constructor(detail: ReportError) {
    super(detail.message);
    this.detail = detail;
  }
}

interface CompiledFile {
  name: string;
  code: string;
}

const IMPORT_PATTERNS = [
  // import x from 'y' / import { x } from "y" / export { x } from 'y' / export * from 'y'
  /^\s*(?:import|export)\s+(?!type\s)(?:[^'"`;]*?\sfrom\s*)?(['"])([^'"]+)\1/gm,
  // import('y') and require('y')
  /\b(?:import|require)\s*\(\s*(['"])([^'"]+)\1\s*\)/g,
];

/** Where a specifier appears in a file, for messages that point at the line. */
function importsOf(source: string): { specifier: string; line: number; column: number }[] {
  const found: { specifier: string; line: number; column: number; index: number }[] = [];
  for (const pattern of IMPORT_PATTERNS) {
    pattern.lastIndex = 0;
    for (let m = pattern.exec(source); m; m = pattern.exec(source)) {
      const index = m.index + m[0].indexOf(`${m[1]}${m[2]}`);
      const before = source.slice(0, index);
      const line = before.split('\n').length;
      const column = index - before.lastIndexOf('\n');
      found.push({ specifier: m[2]!, line, column, index });
    }
  }
  return found.sort((a, b) => a.index - b.index);
}

function relativeTarget(specifier: string, files: ReadonlySet<string>): string | undefined {
  if (!specifier.startsWith('./')) return undefined;
  const bare = specifier.slice(2).replace(/\.(?:js|ts|mjs|mts)$/, '');
  const name = `${bare}.ts`;
  return files.has(name) ? name : undefined;
}

function describeAllowed(modules: ModuleMap): string {
  const names = Object.keys(modules);
  return names.length ? `${names.join(', ')} and files of your submission (./name)` : 'only files of your submission (./name)';
}

export interface LoaderOptions {
  files: Readonly<Record<string, string>>;
  /** Packages the learner may import, by specifier. */
  modules: ModuleMap;
}

/**
 * Compiles every .ts file of a submission once; `instantiate()` then evaluates fresh module
 * instances (one registry per call), so each check starts from the learner's code, not from
 * what the previous check left behind.
 */
export class SubmissionLoader {
  readonly files: Readonly<Record<string, string>>;
  #compiled = new Map<string, CompiledFile>();
  #modules: ModuleMap;

  constructor(options: LoaderOptions) {
    this.files = options.files;
    this.#modules = options.modules;
  }

  /** Transpile and check imports of every file. Throws SubmissionError (syntax, forbidden-import). */
  compile(): void {
    const names = new Set(Object.keys(this.files).filter((f) => f.endsWith('.ts')));
    for (const name of names) {
      const source = this.files[name]!;
      for (const { specifier, line, column } of importsOf(source)) {
        if (Object.hasOwn(this.#modules, specifier)) continue;
        if (relativeTarget(specifier, names)) continue;
        const hint = specifier.startsWith('.')
          ? `there is no file ${specifier.replace(/^\.\//, '')} in your submission (imports of your own files look like './name', in the same folder).`
          : `labs may import ${describeAllowed(this.#modules)}; the grader has no network, file system or other packages.`;
        throw new SubmissionError({
          kind: 'forbidden-import',
          message: `${name}:${line}: cannot import '${specifier}': ${hint}`,
          file: name,
          line,
          column,
        });
      }
      let code: string;
      try {
        code = transform(source, { transforms: ['typescript', 'imports'], filePath: name }).code;
      } catch (error) {
        const loc = (error as { loc?: { line: number; column: number } }).loc;
        const reason = String((error as Error).message)
          .replace(/^Error transforming [^:]+: /, '')
          .replace(/\s*\(\d+:\d+\)$/, '');
        throw new SubmissionError({
          kind: 'syntax',
          message: `${name}${loc ? `:${loc.line}:${loc.column}` : ''}: ${reason}. Fix the syntax there; the editor underlines it.`,
          file: name,
          ...(loc ? { line: loc.line, column: loc.column } : {}),
        });
      }
      this.#compiled.set(name, { name, code });
    }
  }

  /**
   * A Submission whose modules are fresh instances, shared within this instance only.
   * `scope` holds bindings every module sees instead of the real ones (console, process…).
   */
  instantiate(scope: Readonly<Record<string, unknown>> = {}): Submission {
    const registry = new Map<string, { exports: Record<string, unknown> }>();
    const files = new Set(this.#compiled.keys());
    const load = (name: string): Record<string, unknown> => {
      const cached = registry.get(name);
      if (cached) return cached.exports;
      const compiled = this.#compiled.get(name);
      if (!compiled) {
        throw new SubmissionError({
          kind: 'missing-export',
          message: `${name} is missing from the submission. Add it (the starter has it) and run again.`,
          file: name,
        });
      }
      const module = { exports: {} as Record<string, unknown> };
      registry.set(name, module);
      const require = (specifier: string): unknown => {
        if (Object.hasOwn(this.#modules, specifier)) return this.#modules[specifier];
        const target = relativeTarget(specifier, files);
        if (target) return load(target);
        throw new Error(`${name}: cannot import '${specifier}': labs may import ${describeAllowed(this.#modules)}.`);
      };
      const names = Object.keys(scope);
      // The wrapper opens on the first line so the learner's line numbers stay exact;
      // sourceURL makes stack traces name the learner's file.
      const wrapped = `(function (exports, require, module, __filename, ${names.join(', ')}) {${compiled.code}\n})\n//# sourceURL=${name}`;
      const factory = (0, eval)(wrapped) as (...args: unknown[]) => void;
      factory(module.exports, require, module, name, ...names.map((n) => scope[n]));
      return module.exports;
    };
    return {
      files: this.files,
      load: <T>(file: string) => load(file) as T,
      fresh: () => this.instantiate(scope),
    };
  }
}

/** Check that the required exports exist: each missing one becomes a missing-export error. */
export function verifyExports(
  submission: Submission,
  required: readonly { path: string; exports: readonly string[] }[],
): void {
  for (const file of required) {
    if (!(file.path in submission.files)) {
      throw new SubmissionError({
        kind: 'missing-export',
        message: `${file.path} is missing from the submission: it must export ${file.exports.join(', ')}. Restore it from the starter and run again.`,
        file: file.path,
      });
    }
    const module = submission.load<Record<string, unknown>>(file.path);
    const missing = file.exports.filter((name) => module[name] === undefined);
    if (missing.length) {
      const list = missing.map((m) => `'${m}'`).join(', ');
      throw new SubmissionError({
        kind: 'missing-export',
        message: `${file.path} does not export ${list}. Every check needs it: keep the starter's \`export\` ${missing.length > 1 ? 'declarations' : 'declaration'} (the name must match exactly).`,
        file: file.path,
      });
    }
  }
}

/** The first place in the learner's files an error came from: 'partition.ts:12:5'. */
export function learnerLocation(
  error: unknown,
  files: Readonly<Record<string, string>>,
): { file: string; line: number; column: number } | undefined {
  const stack = error instanceof Error ? String(error.stack ?? '') : '';
  const pattern = /([A-Za-z0-9_-]+\.ts):(\d+):(\d+)/g;
  for (let m = pattern.exec(stack); m; m = pattern.exec(stack)) {
    if (m[1]! in files) return { file: m[1]!, line: Number(m[2]), column: Number(m[3]) };
  }
  return undefined;
}
