// /labs/<lab>/solution.json — the reference solution's files, fetched only when a learner asks
// to see it (after a confirmation), never with the page.
import type { APIRoute, GetStaticPaths } from 'astro';
import { getCollection } from 'astro:content';
import { hasSolution, labFiles } from '../../../build/lab-assets.ts';

export const getStaticPaths = (async () =>
  (await getCollection('labs'))
    .filter((lab) => hasSolution(lab.id))
    .map((lab) => ({ params: { lab: lab.id }, props: { files: lab.data.files } }))) satisfies GetStaticPaths;

export const GET: APIRoute = ({ params, props }) =>
  Response.json({ files: labFiles(params.lab!, 'solution', { files: (props as { files: { path: string }[] }).files as never }) });
