// The single source of truth for lab metadata: lab.md and steps/NN-slug.md frontmatter.
// The Astro content collections, the CLI (`whetstone check`, `list`, `grade`) and the bundler
// all parse with these schemas, so an error reads the same everywhere.

import { z } from 'zod';

export const LAB_ID = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;

export const learnerFileSchema = z.object({
  /** The file the learner edits, e.g. 'partition.ts' (a plain name, no folders). */
  path: z
    .string()
    .regex(/^[A-Za-z0-9_-]+\.ts$/, 'a file name like partition.ts (letters, digits, - and _; ending in .ts)'),
  /** Exports the grader requires; a submission missing one is reported as missing-export. */
  exports: z.array(z.string().regex(/^[A-Za-z_$][\w$]*$/, 'a JavaScript identifier')).min(1),
});

export const labSchema = z.object({
  title: z.string().min(3),
  summary: z.string().min(10),
  level: z.enum(['beginner', 'intermediate', 'advanced']),
  minutes: z.number().int().positive(),
  services: z.array(z.string()).min(1),
  order: z.number().int().default(100),
  files: z.array(learnerFileSchema).min(1),
  /**
   * Packages the learner's code may import (the allow-list); relative files are always allowed.
   * A bare name provides the whole package; { name, exports } only those exports, which keeps
   * the bundles of big clients (EC2, SageMaker) small.
   */
  modules: z
    .array(
      z.union([
        z.string().min(1),
        z.object({ name: z.string().min(1), exports: z.array(z.string().regex(/^[A-Za-z_$][\w$]*$/)).min(1) }),
      ]),
    )
    .default([]),
  limits: z
    .object({
      checkTimeoutMs: z.number().int().positive().max(60_000).default(2000),
      totalTimeoutMs: z.number().int().positive().max(600_000).default(30_000),
      memoryMb: z.number().int().min(64).max(4096).default(256),
      /** Local time zone the learner's code sees, so local-time bugs show even on a UTC machine. */
      timeZone: z.string().default('America/Los_Angeles'),
    })
    .prefault({}),
});

export const stepSchema = z.object({
  title: z.string().min(3),
  /** Revealed one at a time on demand. */
  hints: z.array(z.string()).default([]),
});

export type LabMeta = z.infer<typeof labSchema>;
export type StepMeta = z.infer<typeof stepSchema>;
export type LabLimits = LabMeta['limits'];

/** A lab as the runtime needs it: metadata plus its id. */
export interface LabManifest extends LabMeta {
  id: string;
}

/** "files[0].exports[2]: a JavaScript identifier" — one line per problem, for people. */
export function formatZodIssues(error: z.ZodError): string[] {
  return error.issues.map((issue) => {
    const where = issue.path.length ? issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '') : '(top level)';
    return `${where}: ${issue.message}`;
  });
}
