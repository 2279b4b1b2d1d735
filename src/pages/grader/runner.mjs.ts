// /grader/runner.mjs — the WebContainer host's session script (sandbox/webcontainer/runner.mjs).
import type { APIRoute } from 'astro';
import { hostScript } from '../../build/lab-assets.ts';

export const GET: APIRoute = () =>
  new Response(hostScript('runner.mjs').code, { headers: { 'Content-Type': 'text/javascript; charset=utf-8' } });
