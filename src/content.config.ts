// Labs come into the site as two content collections over labs/<id>/: the lab itself (lab.md)
// and its steps (steps/NN-slug.md). Their schemas are grader/lab-schema.ts, the one source of
// truth the CLI and the bundler parse with too. A folder without lab.md (a lab being written)
// is simply not there yet.

import { existsSync } from 'node:fs';
import { defineCollection } from 'astro:content';
import { glob } from 'astro/loaders';
import { z } from 'astro/zod';
import { labSchema, stepSchema } from '../grader/lab-schema.ts';

/** catalog/labs.ts's rule: WHETSTONE_LABS_DIR (tests, a course repo of its own), else labs/. */
const LABS_DIR = process.env.WHETSTONE_LABS_DIR ?? './labs';

const labs = defineCollection({
  loader: glob({ pattern: '*/lab.md', base: LABS_DIR, generateId: ({ entry }) => entry.split('/')[0]! }),
  schema: labSchema,
});

/** Entry ids are '<lab>/<NN-slug>', e.g. 's3-partitioning/01-utc-partitions'. */
const steps = defineCollection({
  loader: glob({
    pattern: '*/steps/[0-9][0-9]-*.md',
    base: LABS_DIR,
    generateId: ({ entry }) => entry.replace('/steps/', '/').replace(/\.md$/, ''),
  }),
  schema: stepSchema,
});

/**
 * Guides for authors (docs/authoring.md, and the pages it links: docs/fakes.md): a page
 * appears, and the nav links the authoring guide, once it exists.
 */
const guides = defineCollection({
  loader: existsSync('docs/authoring.md')
    ? glob({ pattern: '{authoring,fakes}.md', base: './docs', generateId: ({ entry }) => entry.replace(/\.md$/, '') })
    : () => [],
  schema: z.object({ title: z.string().optional() }),
});

export const collections = { labs, steps, guides };
