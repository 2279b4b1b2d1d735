// /grader/<lab>.checks.json — the lab's public checks (CheckInfo[]), for tools and the hosts.
import type { APIRoute, GetStaticPaths } from 'astro';
import { getCollection } from 'astro:content';
import { graderBundle } from '../../build/lab-assets.ts';

export const getStaticPaths = (async () => {
  const paths = [];
  for (const lab of await getCollection('labs')) {
    if ((await graderBundle(lab.id)).ok) paths.push({ params: { lab: lab.id } });
  }
  return paths;
}) satisfies GetStaticPaths;

export const GET: APIRoute = async ({ params }) => {
  const outcome = await graderBundle(params.lab!);
  if (!outcome.ok) return new Response(JSON.stringify({ error: outcome.problem }), { status: 500 });
  return Response.json(outcome.bundle.checks);
};
