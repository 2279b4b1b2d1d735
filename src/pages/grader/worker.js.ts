// /grader/worker.js — the Worker host's session script (sandbox/worker/worker.js).
import type { APIRoute } from 'astro';
import { hostScript } from '../../build/lab-assets.ts';

export const GET: APIRoute = () =>
  new Response(hostScript('worker.js').code, { headers: { 'Content-Type': 'text/javascript; charset=utf-8' } });
