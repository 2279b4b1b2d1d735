// What a lab page tells its scripts, as JSON in the page (<script type="application/json"
// id="lab-config">): built by src/pages/labs/[lab]/index.astro, read by workspace.ts.

import type { LabLimits } from '../../grader/lab-schema.ts';
import type { CheckInfo } from '../../grader/report.ts';

export interface LabPageConfig {
  lab: string;
  title: string;
  /** The learner files in the lab's order, with their starter text. */
  files: { path: string; starter: string }[];
  steps: { number: number; title: string }[];
  /** The public checks; empty when the lab cannot be graded on the site. */
  checks: CheckInfo[];
  /** Why the lab cannot be graded here (its bundle did not build), for the page to say. */
  gradingProblem?: string;
  limits: LabLimits;
  /** URLs (with a version query) of the grader bundle and the hosts' session scripts. */
  bundleUrl: string;
  workerUrl: string;
  runnerUrl: string;
  /** sandbox/webcontainer/fake-aws.mjs, for the WebContainer's terminal. */
  fakeAwsUrl: string;
  /** The learner's own script for the terminal (not graded, not exported), and its first text. */
  scratch: { path: string; starter: string };
  /** Declarations of the packages learners may import, for the editor. */
  types: { module: string; url: string }[];
  solutionUrl?: string;
  /** The site's setting: false builds grade in a Worker only. */
  webContainerEnabled: boolean;
  /** 'whetstone@<version>', written into reports. */
  grader: string;
}

export const LAB_CONFIG_ID = 'lab-config';

export function readLabConfig(doc: Document): LabPageConfig {
  const element = doc.getElementById(LAB_CONFIG_ID);
  if (!element?.textContent) throw new Error('This page has no lab configuration (#lab-config).');
  return JSON.parse(element.textContent) as LabPageConfig;
}
