// /labs/<lab>/solution.json — the reference solution's files, fetched only when a learner asks
// to see it (after a confirmation), never with the page.
import type { APIRoute, GetStaticPaths } from 'astro';
import { getCollection } from 'astro:content';
import { hasSolution, labFiles } from '../../../build/lab-assets.ts';
import type { LabMeta } from '../../../../grader/lab-schema.ts';

export const getStaticPaths = (async () => {
  const labs: { id: string; data: LabMeta }[] = await getCollection('labs');
  return labs.filter((lab) => hasSolution(lab.id)).map((lab) => ({ params: { lab: lab.id }, props: { files: lab.data.files } }));
}) satisfies GetStaticPaths;

export const GET: APIRoute = ({ params, props }) => {
  const { files } = props as { files: LabMeta['files'] };
  return Response.json({ files: labFiles(params.lab!, 'solution', { files }) });
};
