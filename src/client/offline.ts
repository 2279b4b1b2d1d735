// Register the service worker (public/sw.js) that keeps visited labs usable offline. Only in
// built sites: in `astro dev` a cache would serve stale modules.

export function keepAvailableOffline(): void {
  if (!import.meta.env.PROD || !('serviceWorker' in navigator)) return;
  const base = import.meta.env.BASE_URL.replace(/\/?$/, '/');
  navigator.serviceWorker.register(`${base}sw.js`, { scope: base }).catch(() => {
    // Without it the site still works online; nothing to tell the learner.
  });
}
