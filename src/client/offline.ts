// Keep the site usable offline: register the service worker (public/sw.js) and, once it
// controls the page, hand it everything this page loaded before that (it never saw those
// requests) plus what grading will need later (`needed`: the lab's bundle, the Worker's
// script…). Later loads pass through the worker and are kept as they come. Only in built
// sites: in `astro dev` a cache would serve stale modules.

export type OfflineState = { kind: 'keeping' } | { kind: 'ready' } | { kind: 'missing'; paths: string[] } | { kind: 'unavailable' };

export interface OfflineOptions {
  /** URLs this page will need offline although it has not loaded them yet. */
  needed?: readonly string[];
  /** What the page can say about it ("Available offline"). */
  onState?: (state: OfflineState) => void;
}

interface KeepOutcome {
  kept: number;
  missing: string[];
}

/** Requests that did not pass through a service worker, on this site: what the worker has not seen. */
function unseen(entry: PerformanceResourceTiming, origin: string): boolean {
  return entry.workerStart === 0 && entry.name.startsWith(`${origin}/`);
}

export interface OfflineCopy {
  /** Keep these too (files the page loads later by ways resource timing does not show). */
  keep(urls: readonly string[]): void;
}

export function keepAvailableOffline(options: OfflineOptions = {}): OfflineCopy {
  if (!import.meta.env.PROD || !('serviceWorker' in navigator)) {
    options.onState?.({ kind: 'unavailable' });
    return { keep() {} };
  }
  const base = import.meta.env.BASE_URL.replace(/\/?$/, '/');
  const container = navigator.serviceWorker;
  // Monaco alone loads dozens of files: keep room for all of them in the timeline.
  performance.setResourceTimingBufferSize(2000);
  container.register(`${base}sw.js`, { scope: base }).catch(() => options.onState?.({ kind: 'unavailable' }));

  const sent = new Set<string>();
  const missing = new Set<string>();
  /** Wanted before the worker controlled the page: sent once it does. */
  let waiting: string[] | undefined = [];
  let pending = 0;

  const send = (urls: readonly string[]) => {
    const fresh = urls.map((url) => new URL(url, location.href).href.split('#')[0]!).filter((url) => !sent.has(url));
    if (!fresh.length) return;
    const controller = container.controller;
    if (waiting || !controller) {
      (waiting ??= []).push(...fresh);
      return;
    }
    for (const url of fresh) sent.add(url);
    pending += 1;
    options.onState?.({ kind: 'keeping' });
    const channel = new MessageChannel();
    channel.port1.onmessage = (event: MessageEvent<KeepOutcome>) => {
      channel.port1.close();
      pending -= 1;
      for (const path of event.data?.missing ?? []) missing.add(path);
      if (pending === 0) options.onState?.(missing.size ? { kind: 'missing', paths: [...missing] } : { kind: 'ready' });
    };
    controller.postMessage({ type: 'keep', urls: fresh }, [channel.port2]);
  };

  const start = () => {
    const queued = waiting ?? [];
    waiting = undefined;
    send([location.href, ...(options.needed ?? []), ...queued]);
    // Everything loaded so far, and whatever is still loading that started before the worker took over.
    new PerformanceObserver((list) => {
      send(list.getEntries().filter((e) => unseen(e as PerformanceResourceTiming, location.origin)).map((e) => e.name));
    }).observe({ type: 'resource', buffered: true });
  };
  if (container.controller) start();
  else container.addEventListener('controllerchange', start, { once: true });
  return { keep: send };
}

/**
 * The font files the page's style sheets declare (Monaco's codicon font): a browser fetches one
 * only when it first draws a glyph of it, maybe never before the network goes, so the page
 * keeps them for offline once the style sheets are in.
 */
export function declaredFontUrls(doc: Document = document): string[] {
  const urls = new Set<string>();
  for (const sheet of Array.from(doc.styleSheets)) {
    let rules: CSSRuleList;
    try {
      rules = sheet.cssRules;
    } catch {
      continue; // another origin's sheet: not ours to keep
    }
    for (const rule of Array.from(rules)) {
      if (!(rule instanceof CSSFontFaceRule)) continue;
      for (const match of rule.style.getPropertyValue('src').matchAll(/url\(\s*["']?([^"')]+)["']?\s*\)/g)) {
        if (!match[1]!.startsWith('data:')) urls.add(new URL(match[1]!, sheet.href ?? doc.baseURI).href);
      }
    }
  }
  return [...urls];
}
