// /grader/fake-aws.mjs — runs the learner's scratch script against the lab's fakes in the
// WebContainer's terminal (sandbox/webcontainer/fake-aws.mjs).
import type { APIRoute } from 'astro';
import { hostScript } from '../../build/lab-assets.ts';

export const GET: APIRoute = () =>
  new Response(hostScript('fake-aws.mjs').code, { headers: { 'Content-Type': 'text/javascript; charset=utf-8' } });
