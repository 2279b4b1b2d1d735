// How a host talks to a grading session running the lab bundle (in a child process, a
// WebContainer or a Worker). Every message the session sends carries the run's nonce; the
// host drops anything else, so learner code that prints or posts a fake result is ignored.

import type { CheckInfo, CheckResult, ReportError } from './report.ts';
import type { LabManifest } from './lab-schema.ts';

export interface RunRequest {
  /** The learner's files by name: { 'partition.ts': '…' }. */
  files: Record<string, string>;
  /** Run only these checks (a host retrying after a crash skips what already finished). */
  only?: string[];
  seed: number;
  /** Secret of this run; the session echoes it on every message. */
  nonce: string;
}

export type SessionMessage =
  | { type: 'loaded' }
  | { type: 'load-error'; error: ReportError }
  | { type: 'check-start'; id: string }
  | { type: 'check-end'; result: CheckResult }
  | { type: 'done' };

export type Envelope = SessionMessage & { nonce: string };

/** What a lab bundle defines as `globalThis.whetstoneLab` when evaluated. */
export interface LabRuntime {
  manifest: LabManifest;
  checks: CheckInfo[];
  /** Freeze the realm's intrinsics and the SDK classes; call once, before learner code runs. */
  harden(): void;
  /** Load the submission, run the checks, emit messages; resolves after 'done' or 'load-error'. */
  run(request: RunRequest, emit: (message: Envelope) => void): Promise<void>;
}

export const RUNTIME_GLOBAL = 'whetstoneLab';
