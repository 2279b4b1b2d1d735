// Grading one submission with the Node host: find the lab, build (or reuse) its bundle, run
// the supervised child process. Shared by `whetstone grade`, batch grading and tests.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildLabBundle } from '../catalog/bundle.ts';
import type { LabBundle } from '../catalog/bundle.ts';
import { readLabCached } from '../catalog/lab-cache.ts';
import { REPO_ROOT } from '../catalog/paths.ts';
import type { Report } from '../grader/report.ts';
import { gradeWithNode } from '../sandbox/node/host.ts';

export const GRADER_VERSION = `whetstone@${(JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version}`;

export interface GradeOptions {
  /** Include hidden checks (and a private pack): the instructor's view. Default true. */
  hidden?: boolean;
  checkPack?: string;
  seed?: number;
  signal?: AbortSignal;
}

export async function loadGraderBundle(labId: string, options: GradeOptions = {}): Promise<LabBundle> {
  const lab = await readLabCached(labId);
  return buildLabBundle(lab, {
    audience: options.hidden === false ? 'browser' : 'grader',
    ...(options.checkPack ? { checkPack: options.checkPack } : {}),
  });
}

export async function gradeWithBundle(
  bundle: LabBundle,
  files: Record<string, string>,
  options: GradeOptions = {},
): Promise<Report> {
  return gradeWithNode({
    lab: bundle.lab,
    bundle: bundle.code,
    ...(bundle.codeCache ? { codeCache: bundle.codeCache } : {}),
    checks: bundle.checks,
    files,
    limits: bundle.manifest.limits,
    grader: GRADER_VERSION,
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
}
