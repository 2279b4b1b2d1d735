// Site-wide facts for pages at build time.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from './project.ts';

/** 'whetstone@0.1.0', written into every report the site produces. */
export const GRADER_NAME = `whetstone@${(JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string }).version}`;

/** The site's base path with a trailing slash ('/' or '/whetstone/'). */
export const BASE = import.meta.env.BASE_URL.replace(/\/?$/, '/');

/**
 * The WebContainer engine is StackBlitz's runtime (a commercial licence for production use by
 * for-profit organisations): PUBLIC_WHETSTONE_WEBCONTAINER=off builds a site that grades in a
 * Worker only.
 */
export const WEBCONTAINER_ENABLED = (import.meta.env.PUBLIC_WHETSTONE_WEBCONTAINER ?? '').toLowerCase() !== 'off';

/** Step number from a step entry id ('s3-partitioning/02-ingest-batches' → 2). */
export function stepNumber(entryId: string): number {
  return Number(/\/(\d{2})-/.exec(entryId)?.[1] ?? NaN);
}

export function levelLabel(level: string): string {
  return level.charAt(0).toUpperCase() + level.slice(1);
}
