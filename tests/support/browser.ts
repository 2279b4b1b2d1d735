// Real Chromium for browser tests: Debian's /usr/bin/chromium driven by playwright-core (no
// browser is ever downloaded), and a tiny static server on 127.0.0.1 to give it pages.
//
//   const browser = await launchChromium();
//   const site = await serveStatic({ routes: { '/': '<!doctype html>…' }, headers: ISOLATION_HEADERS });
//   const page = await browser.newPage(); await page.goto(site.url);
//
// Wrap a suite in describeInChromium(): where Chromium is absent it is skipped, and the
// skip says why.

import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { chromium } from 'playwright-core';
import type { Browser, LaunchOptions } from 'playwright-core';
import { describe } from 'vitest';

export const CHROMIUM_PATH = '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Why browser tests cannot run here, or undefined when they can. */
export const chromiumMissing: string | undefined = existsSync(CHROMIUM_PATH)
  ? undefined
  : `skipped: no Chromium at ${CHROMIUM_PATH} (install Debian's chromium package to run browser tests)`;

/** A describe() that is skipped, saying why, when Chromium is not installed. */
export function describeInChromium(name: string, body: () => void): void {
  if (chromiumMissing) describe.skip(`${name} — ${chromiumMissing}`, body);
  else describe(name, body);
}

export function launchChromium(options: LaunchOptions = {}): Promise<Browser> {
  if (chromiumMissing) throw new Error(`Cannot launch Chromium: ${chromiumMissing}`);
  return chromium.launch({ executablePath: CHROMIUM_PATH, ...options, args: [...CHROMIUM_ARGS, ...(options.args ?? [])] });
}

/** The headers that make a page cross-origin isolated (what a WebContainer needs). */
export const ISOLATION_HEADERS: Readonly<Record<string, string>> = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.wasm': 'application/wasm',
  '.zip': 'application/zip',
  '.txt': 'text/plain; charset=utf-8',
};

export type StaticBody = string | Uint8Array;

export interface StaticServerOptions {
  /** Exact paths ('/', '/grader/worker.js') and what they serve; they win over `root`. */
  routes?: Record<string, StaticBody>;
  /** A folder served as it is (e.g. a built site); a folder URL serves its index.html. */
  root?: string;
  /** Sent with every response, e.g. ISOLATION_HEADERS. */
  headers?: Readonly<Record<string, string>>;
}

export interface StaticServer {
  /** http://127.0.0.1:<port> (no trailing slash). */
  url: string;
  /** Every path requested, in order: to assert what a page loaded (or did not). */
  requests: string[];
  close(): Promise<void>;
}

function contentType(path: string): string {
  return CONTENT_TYPES[extname(path)] ?? 'application/octet-stream';
}

function fromRoot(root: string, path: string): { body: Uint8Array; type: string } | undefined {
  const base = resolve(root);
  let file = normalize(join(base, decodeURIComponent(path)));
  if (file !== base && !file.startsWith(base + sep)) return undefined;
  if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
  if (!existsSync(file) || !statSync(file).isFile()) return undefined;
  return { body: readFileSync(file), type: contentType(file) };
}

/** Serve routes and/or a folder on 127.0.0.1 at a free port. */
export async function serveStatic(options: StaticServerOptions): Promise<StaticServer> {
  const requests: string[] = [];
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    requests.push(path);
    const route = options.routes?.[path];
    const found = route !== undefined ? { body: route, type: contentType(path === '/' ? '/index.html' : path) } : options.root ? fromRoot(options.root, path) : undefined;
    res.setHeader('Cache-Control', 'no-store');
    for (const [name, value] of Object.entries(options.headers ?? {})) res.setHeader(name, value);
    if (!found) {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end(`Not found: ${path}`);
      return;
    }
    res.writeHead(200, { 'Content-Type': found.type });
    res.end(found.body);
  });
  await new Promise<void>((resolveListen) => server.listen(0, '127.0.0.1', resolveListen));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolveClose) => {
        server.closeAllConnections();
        server.close(() => resolveClose());
      }),
  };
}
