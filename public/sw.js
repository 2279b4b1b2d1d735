// Whetstone's service worker: once a learner has opened a lab, it keeps working offline, on the
// Worker host. Files whose URL names their content (/_astro/<name>.<hash>.js, anything with
// ?v=<hash>: grader bundles, host scripts, type declarations) are served from the cache first;
// everything else (pages, check lists) from the network first, with the last copy as fallback.
// Only GET requests to this site are touched; nothing learners write ever passes through here.
//
// What a page loaded before this worker controlled it never passed through here, so a page
// tells it what it loaded and what grading will need ({ type: 'keep', urls }, with a port for
// the answer): the page itself, its scripts and styles, the lab's bundle, the Worker's script.
// The answer lists what could not be fetched, so the page can say what would be missing offline.

'use strict';

const CACHE = 'whetstone-v1';
const BASE = new URL('./', self.location.href).pathname;

self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

function immutable(url) {
  return url.pathname.startsWith(`${BASE}_astro/`) || url.searchParams.has('v');
}

function ours(url) {
  return url.origin === self.location.origin && url.pathname.startsWith(BASE) && url.pathname !== `${BASE}sw.js`;
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

/** Fetch into the cache what is not there yet (pages: always, for the newest copy); say what failed. */
async function keep(hrefs) {
  const cache = await caches.open(CACHE);
  const missing = [];
  const wanted = [...new Set(hrefs.map((href) => new URL(href, self.location.href)).filter(ours).map((url) => {
    url.hash = '';
    return url.href;
  }))];
  await Promise.all(
    wanted.map(async (href) => {
      if (immutable(new URL(href)) && (await cache.match(href))) return;
      try {
        const response = await fetch(href);
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        await cache.put(href, response);
      } catch {
        // Still usable offline if an older copy is there.
        if (!(await cache.match(href))) missing.push(new URL(href).pathname);
      }
    }),
  );
  return { kept: wanted.length - missing.length, missing };
}

self.addEventListener('message', (event) => {
  const data = event.data;
  if (!data || data.type !== 'keep' || !Array.isArray(data.urls)) return;
  const port = event.ports[0];
  event.waitUntil(
    keep(data.urls.filter((url) => typeof url === 'string')).then(
      (outcome) => port?.postMessage(outcome),
      (error) => port?.postMessage({ kept: 0, missing: [], error: String(error) }),
    ),
  );
});

self.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (!ours(url)) return;
  event.respondWith(immutable(url) ? cacheFirst(request) : networkFirst(request));
});
