// /grader/<lab>.js — the lab's browser grader bundle (public checks only), loaded by the
// grading Worker or mounted in the WebContainer when the learner first runs checks.
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
  if (!outcome.ok) return new Response(outcome.problem, { status: 500 });
  return new Response(outcome.bundle.code, { headers: { 'Content-Type': 'text/javascript; charset=utf-8' } });
};
