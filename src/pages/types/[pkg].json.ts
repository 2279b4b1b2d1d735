// /types/<package>.json — the TypeScript declarations of one package learners may import (e.g.
// aws-sdk__client-s3.json), fetched by the editor once it is ready: { module, files }.
import type { APIRoute, GetStaticPaths } from 'astro';
import { getCollection } from 'astro:content';
import { packageTypes } from '../../build/lab-assets.ts';
import { moduleNames, typesSlug } from '../../build/sdk-types.ts';

export const getStaticPaths = (async () => {
  const modules = new Set<string>();
  for (const lab of await getCollection('labs')) for (const m of moduleNames(lab.data.modules)) modules.add(m);
  return [...modules].map((module) => ({ params: { pkg: typesSlug(module) }, props: { module } }));
}) satisfies GetStaticPaths;

export const GET: APIRoute = ({ props }) => {
  const { module, files } = packageTypes((props as { module: string }).module);
  return Response.json({ module, files });
};
