// Whetstone's service worker: once a learner has opened a lab, it keeps working offline, on the
// Worker host. Files whose URL names their content (/_astro/<name>.<hash>.js, anything with
// ?v=<hash>: grader bundles, host scripts, type declarations) are served from the cache first;
// everything else (pages, check lists) from the network first, with the last copy as fallback.
// Only GET requests to this site are touched; nothing learners write ever passes through here.

'use strict';

const CACHE = 'whetstone-v1';
const BASE = new URL('./', self.location.href).pathname;

self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

function immutable(url) {
  return url.pathname.startsWith(`${BASE}_astro/`) || url.searchParams.has('v');
}

async function cacheFirst(request) {
  const cache = await caches.open(CACHE);
  const hit = await cache.match(request);
  if (hit) return hit;
  const response = await fetch(request);
  if (response.ok) await cache.put(request, response.clone());
  return response;
}

async function networkFirst(request) {
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch(request);
    if (response.ok) await cache.put(request, response.clone());
    return response;
  } catch (error) {
    const hit = await cache.match(request, { ignoreSearch: request.mode === 'navigate' });
    if (hit) return hit;
    throw error;
  }
}

self.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || !url.pathname.startsWith(BASE) || url.pathname === `${BASE}sw.js`) return;
  event.respondWith(immutable(url) ? cacheFirst(request) : networkFirst(request));
});
