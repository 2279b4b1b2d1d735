// In-process grading for tests: the real runtime, the lab's real checks and fakes, without a
// child process or a bundle. Fast enough to grade every alternative and anti-solution of every
// lab in the suite, which `whetstone check` does once per lab (lab-check.ts). (The sandboxed path
// is tested separately in tests/sandbox/.)

import { LABS_DIR, readLab, readLearnerFiles } from '../../catalog/labs.ts';
import { readVariants } from '../../catalog/variants.ts';
import type { Variant, VariantKind } from '../../catalog/variants.ts';
import type { CheckSuite } from '../../grader/checks.ts';
import type { Envelope } from '../../grader/protocol.ts';
import { assembleReport } from '../../grader/report.ts';
import type { CheckResult, Report, ReportError } from '../../grader/report.ts';
import { createLabRuntime } from '../../grader/runtime.ts';
import type { RuntimeSuite } from '../../grader/runtime.ts';

export interface InProcessOptions {
  /** Include hidden checks (default true). */
  hidden?: boolean;
  seed?: number;
  labsDir?: string;
}

const runtimes = new Map<string, ReturnType<typeof createLabRuntime>>();

async function runtimeFor(labId: string, hidden: boolean, labsDir: string) {
  const key = `${labsDir}|${labId}|${hidden}`;
  const cached = runtimes.get(key);
  if (cached) return cached;
  const lab = readLab(labId, labsDir);
  const suites: RuntimeSuite[] = [
    { visibility: 'public', suite: ((await import(lab.checksFile)) as { default: CheckSuite<unknown> }).default },
  ];
  if (hidden && lab.hiddenChecksFile) {
    suites.push({ visibility: 'hidden', suite: ((await import(lab.hiddenChecksFile)) as { default: CheckSuite<unknown> }).default });
  }
  const modules: Record<string, object> = {};
  for (const spec of lab.manifest.modules) {
    const name = typeof spec === 'string' ? spec : spec.name;
    const module = (await import(name)) as Record<string, unknown>;
    modules[name] =
      typeof spec === 'string' ? module : Object.freeze(Object.fromEntries(spec.exports.map((e) => [e, module[e]])));
  }
  const runtime = createLabRuntime({ manifest: lab.manifest, suites, modules });
  runtimes.set(key, runtime);
  return runtime;
}

export async function gradeFiles(labId: string, files: Record<string, string>, options: InProcessOptions = {}): Promise<Report> {
  const runtime = await runtimeFor(labId, options.hidden ?? true, options.labsDir ?? LABS_DIR);
  const started = performance.now();
  const results: CheckResult[] = [];
  let error: ReportError | undefined;
  await runtime.run({ files, seed: options.seed ?? 1, nonce: 'test' }, (message: Envelope) => {
    if (message.type === 'check-end') results.push(message.result);
    if (message.type === 'load-error') error = message.error;
  });
  return assembleReport({
    lab: labId,
    checks: runtime.checks,
    results,
    ...(error ? { error } : {}),
    durationMs: performance.now() - started,
    engine: 'node',
    grader: 'whetstone@test',
  });
}

export async function gradeDir(labId: string, dir: string, options: InProcessOptions = {}): Promise<Report> {
  return gradeFiles(labId, readLearnerFiles(dir), options);
}

/** A lab's anti-solutions or alternatives, materialised from their patches (catalog/variants.ts). */
export function labVariants(labId: string, kind: VariantKind, labsDir = LABS_DIR): Variant[] {
  return readVariants(labId, labsDir, [kind]);
}

/** "check-id (fail): message" lines, for readable assertion failures. */
export function describeChecks(report: Report, filter: (c: CheckResult) => boolean = () => true): string[] {
  return report.checks.filter(filter).map((c) => `${c.id} (${c.status}): ${c.message}`);
}
