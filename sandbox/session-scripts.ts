// The browser hosts' session scripts as the site serves them (/grader/worker.js and
// /grader/runner.mjs): each is bundled at build time from its source in sandbox/ with what it
// imports from sandbox/lockdown/, so a Worker or a WebContainer receives one self-contained file
// while the lock-down keeps one source. Build-time code (Node, esbuild); the Node host needs none
// of it, since its child imports the lock-down as it is.

import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';
import type { BuildOptions } from 'esbuild';

/** This folder, when this module runs from it (a bundler that moves it must say where sandbox/ is). */
const HERE = dirname(fileURLToPath(import.meta.url));

/** Each script's source, relative to sandbox/, and how it is bundled. */
export const SESSION_SCRIPTS = {
  /** A classic Worker script: no imports left, one function scope. */
  'worker.js': { source: 'worker/worker.js', format: 'iife', platform: 'browser', target: 'es2022' },
  /** Run by the WebContainer's Node 22 (see mountLab's package.json) as `node runner.mjs …`. */
  'runner.mjs': { source: 'webcontainer/runner.mjs', format: 'esm', platform: 'node', target: 'node22' },
  /** The learner's own runs in the WebContainer's terminal: `node fake-aws.mjs scratch.ts`. */
  'fake-aws.mjs': { source: 'webcontainer/fake-aws.mjs', format: 'esm', platform: 'node', target: 'node22' },
} as const satisfies Record<string, { source: string } & Pick<BuildOptions, 'format' | 'platform' | 'target'>>;

export type SessionScriptName = keyof typeof SESSION_SCRIPTS;

/** The self-contained text of a browser host's session script, as it is served and mounted. */
export function sessionScript(name: SessionScriptName, sandboxDir: string = HERE): string {
  const { source, ...options } = SESSION_SCRIPTS[name];
  const built = buildSync({
    ...options,
    entryPoints: [join(sandboxDir, source)],
    bundle: true,
    write: false,
    // Readable when a learner opens it in devtools; the lock-down's comments stay in the sources.
    minify: false,
    legalComments: 'none',
    logLevel: 'silent',
  });
  return built.outputFiles[0]!.text;
}
