// Class folders for the batch tests, as an instructor has them: one sub-folder per learner, or
// the zip the lab page exports (src/client/submission-zip.ts), of the mini test lab; and the
// real `whetstone` bin to grade them.

import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from '../../catalog/labs.ts';
import { exportSubmission } from '../../src/client/submission-zip.ts';

const run = promisify(execFile);
export const BIN = join(REPO_ROOT, 'bin', 'whetstone.js');
export const LABS = join(REPO_ROOT, 'tests', 'fixtures', 'labs');
export const ENV = { ...process.env, WHETSTONE_LABS_DIR: LABS, NO_COLOR: '1' };
const solution = readFileSync(join(LABS, 'mini', 'solution', 'calc.ts'), 'utf8');
const starter = readFileSync(join(LABS, 'mini', 'starter', 'calc.ts'), 'utf8');

/** Plausible submissions of the mini lab, by the mistake they make. */
export const KINDS = {
  correct: solution,
  starter,
  subtracts: solution.replace('return a + b;', 'return a - b;'),
  reversed: solution.replace('return a + b;', 'return b - a;'),
  multiplies: solution.replace('return a + b;', 'return a * b;'),
  syntax: solution.replace('return a + b;', 'return a + ;'),
  'missing-export': solution.replace('export async function slowSquare', 'async function slowSquare'),
  // Never gives control back: costs its own check a timeout, and nobody else anything.
  hangs: solution.replace('await new Promise((resolve) => setTimeout(resolve, 5));', 'while (n === n) {}'),
};
export type Kind = keyof typeof KINDS;

/** One folder per learner, holding calc.ts. */
export function makeClass(dir: string, plan: Record<string, Kind>): void {
  mkdirSync(dir, { recursive: true });
  for (const [id, kind] of Object.entries(plan)) {
    mkdirSync(join(dir, id));
    writeFileSync(join(dir, id, 'calc.ts'), KINDS[kind]);
  }
}

/** `<id>.zip` as the lab page's Export button makes it (files at the top, whetstone.json). */
export function exportZip(dir: string, id: string, files: Record<string, string>, lab = 'mini'): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${id}.zip`), exportSubmission(lab, files, new Date('2026-11-20T10:00:00Z')));
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export async function whetstone(args: string[], env: NodeJS.ProcessEnv = ENV): Promise<CliResult> {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { env });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

export function journalIds(path: string): string[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.endsWith('}'))
    .map((line) => (JSON.parse(line) as { id: string }).id);
}
