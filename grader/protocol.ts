// How a host talks to a grading session running the lab bundle (in a child process, a
// WebContainer or a Worker). Every message the session sends carries the run's nonce; the
// host drops anything else, so learner code that prints or posts a fake result is ignored.

import type { CheckInfo, CheckResult, ReportError, TraceEntry } from './report.ts';
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
  /**
   * Run the learner's own script (`entry`, e.g. scratch.ts, importing their files and the lab's
   * clients) against a fresh fake AWS world, with the real console: nothing is graded. For the
   * WebContainer's terminal (sandbox/webcontainer/fake-aws.mjs). Throws a SubmissionError-like
   * Error (with `detail`) when a file does not compile or imports what the lab does not allow.
   */
  scratch(request: { files: Record<string, string>; entry: string; seed?: number }): ScratchRun;
}

/** The fake world of a scratch run: its calls so far and what it holds (as a check's report shows them). */
export interface ScratchRun {
  /** Every AWS call so far, oldest first (the script may still be running). */
  readonly trace: readonly TraceEntry[];
  state(): Record<string, unknown> | undefined;
}

export const RUNTIME_GLOBAL = 'whetstoneLab';
