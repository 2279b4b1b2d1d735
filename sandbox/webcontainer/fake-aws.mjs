// Run a script of your own against the lab's fake AWS, in the WebContainer's terminal:
//
//   node fake-aws.mjs [scratch.ts]
//
// The script (TypeScript, like your lab files) may import your files ('./partition.ts') and the
// AWS SDK clients the lab allows; every client you create is answered by the lab's fakes, the
// same fakes the checks use. Its output is yours; afterwards the AWS calls it made are listed,
// with what the fake world holds. Nothing here is graded.
//
// Self-contained: node: builtins only, next to .whetstone/bundle.js (the lab's browser bundle).
// Plain JavaScript, checked by tsc through JSDoc.
// @ts-check

import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';

/**
 * @typedef {{ service: string, operation: string, input: unknown, outcome: string, httpStatusCode: number, response?: unknown }} TraceEntry
 * @typedef {{ trace: readonly TraceEntry[], state(): Record<string, unknown> | undefined }} ScratchRun
 * @typedef {{ scratch(request: { files: Record<string, string>, entry: string }): ScratchRun }} Runtime
 */

const here = dirname(fileURLToPath(import.meta.url));
const entry = process.argv[2] ?? 'scratch.ts';
const bold = (/** @type {string} */ text) => (process.stdout.isTTY ? `\u001b[1m${text}\u001b[22m` : text);

/**
 * @param {string} text
 * @returns {never}
 */
function fail(text) {
  process.stderr.write(`${text}\n`);
  process.exit(1);
}

if (!/^[A-Za-z0-9_-]+\.ts$/.test(entry)) fail(`node fake-aws.mjs runs a .ts file of this folder, e.g. node fake-aws.mjs scratch.ts (not '${entry}').`);
if (!existsSync(join(here, entry))) fail(`There is no ${entry} here. Files: ${readdirSync(here).filter((f) => f.endsWith('.ts')).join(', ')}.`);

/** @type {Record<string, string>} */
const files = {};
for (const name of readdirSync(here)) if (name.endsWith('.ts')) files[name] = readFileSync(join(here, name), 'utf8');

vm.runInThisContext(readFileSync(join(here, '.whetstone', 'bundle.js'), 'utf8'), { filename: 'bundle.js' });
const g = /** @type {{ whetstoneLab?: Runtime }} */ (/** @type {unknown} */ (globalThis));
const runtime = g.whetstoneLab;
if (!runtime) fail('The lab bundle in .whetstone/ did not load; reload the page to mount it again.');
delete g.whetstoneLab;

/** @param {unknown} value */
function short(value) {
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  return text.length > 70 ? `${text.slice(0, 69)}…` : text;
}

/** @param {unknown} fields */
function members(fields) {
  if (!fields || typeof fields !== 'object') return fields === undefined ? '' : short(fields);
  return Object.entries(fields)
    .map(([name, value]) => `${name}=${Array.isArray(value) ? `[${value.length}]` : short(value)}`)
    .join(' ');
}

/** @type {ScratchRun} */
let run;
try {
  run = /** @type {Runtime} */ (runtime).scratch({ files, entry });
} catch (error) {
  // A file that does not compile or imports what the lab does not allow: the grader's own words.
  const detail = /** @type {{ detail?: { message?: string } }} */ (error).detail;
  fail(detail?.message ?? (error instanceof Error ? (error.stack ?? error.message) : String(error)));
}

// When the script's last promise has settled: what it did to the fake AWS.
process.once('beforeExit', () => {
  const trace = run.trace;
  process.stdout.write(`\n${bold(`AWS calls (${trace.length})`)}, answered by the lab's fakes:\n`);
  trace.forEach((call, i) => {
    const outcome = call.outcome === 'ok' ? `ok ${call.httpStatusCode}` : `${call.outcome} ${call.httpStatusCode || ''}`.trim();
    process.stdout.write(`  ${i + 1}. ${call.service}:${call.operation} ${members(call.input)} → ${outcome}${call.response ? ` ${members(call.response)}` : ''}\n`);
  });
  const state = run.state();
  if (!state) return;
  const lines = JSON.stringify(state, null, 2).split('\n');
  const shown = lines.slice(0, 60).join('\n');
  process.stdout.write(`${bold('Afterwards')}: ${shown}${lines.length > 60 ? `\n… (${lines.length - 60} more lines)` : ''}\n`);
});
