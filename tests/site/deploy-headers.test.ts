// The static-host configs in deploy/ and the dev/preview servers of astro.config.mjs all send
// the two headers that make a page cross-origin isolated, on every path. An edit that drops one
// (or an nginx location that silently stops inheriting them) fails here.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');

const ISOLATION = {
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-embedder-policy': 'require-corp',
};

type Headers = Record<string, string>;
const lower = (headers: Headers) => Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));

/** Netlify / Cloudflare Pages `_headers`: a path line, then indented `Name: value` lines. */
function parseHeadersFile(text: string): Map<string, Headers> {
  const rules = new Map<string, Headers>();
  let current: Headers | undefined;
  for (const raw of text.split('\n')) {
    if (!raw.trim() || raw.trim().startsWith('#')) continue;
    if (!/^\s/.test(raw)) {
      current = {};
      rules.set(raw.trim(), current);
      continue;
    }
    const m = /^\s+([^:]+):\s*(.*)$/.exec(raw);
    if (!m || !current) throw new Error(`Not a header line: ${raw}`);
    current[m[1]!.trim()] = m[2]!.trim();
  }
  return rules;
}

/** nginx: the add_header lines of the server level and of each location block. */
function parseNginx(text: string): { server: Headers; locations: Map<string, Headers> } {
  const server: Headers = {};
  const locations = new Map<string, Headers>();
  let current: Headers = server;
  let depth = 0;
  for (const raw of text.split('\n')) {
    const line = raw.replace(/#.*$/, '').trim();
    if (!line) continue;
    const location = /^location\s+(.+?)\s*\{$/.exec(line);
    if (location) {
      current = {};
      locations.set(location[1]!, current);
      depth++;
      continue;
    }
    depth += (line.match(/\{/g) ?? []).length - (line.match(/\}/g) ?? []).length;
    if (depth === 0) current = server;
    const header = /^add_header\s+(\S+)\s+"([^"]*)"(\s+always)?;$/.exec(line);
    if (header) {
      // Without `always`, nginx drops the header on error responses (404s included).
      expect(header[3], `add_header ${header[1]} needs "always"`).toBeTruthy();
      current[header[1]!] = header[2]!;
    }
  }
  return { server, locations };
}

describe('static host configs in deploy/', () => {
  for (const file of ['deploy/netlify/_headers', 'deploy/cloudflare-pages/_headers']) {
    it(`${file} isolates every path`, () => {
      const rules = parseHeadersFile(read(file));
      expect(rules.has('/*'), 'a rule for /*').toBe(true);
      expect(lower(rules.get('/*')!)).toMatchObject(ISOLATION);
    });
  }

  it('deploy/vercel/vercel.json isolates every path', () => {
    const config = JSON.parse(read('deploy/vercel/vercel.json')) as { headers: { source: string; headers: { key: string; value: string }[] }[] };
    const all = config.headers.find((h) => h.source === '/(.*)');
    expect(all, 'a rule for /(.*)').toBeDefined();
    expect(lower(Object.fromEntries(all!.headers.map((h) => [h.key, h.value])))).toMatchObject(ISOLATION);
  });

  it('deploy/nginx/whetstone.conf isolates every path, in every location that sets headers', () => {
    const { server, locations } = parseNginx(read('deploy/nginx/whetstone.conf'));
    expect(lower(server)).toMatchObject(ISOLATION);
    expect(locations.size).toBeGreaterThan(0);
    for (const [path, headers] of locations) {
      if (Object.keys(headers).length) expect(lower(headers), `location ${path}`).toMatchObject(ISOLATION);
    }
  });

  it('the parsers notice a missing header', () => {
    const broken = parseHeadersFile('/*\n  Cross-Origin-Opener-Policy: same-origin\n');
    expect(lower(broken.get('/*')!)).not.toMatchObject(ISOLATION);
    const nginx = parseNginx('add_header Cross-Origin-Opener-Policy "same-origin" always;\nadd_header Cross-Origin-Embedder-Policy "require-corp" always;\nlocation /x/ {\n  add_header Cache-Control "no-store" always;\n}\n');
    expect(lower(nginx.locations.get('/x/')!)).not.toMatchObject(ISOLATION);
  });
});

describe('astro.config.mjs', () => {
  it('sends the isolation headers in astro dev and astro preview', async () => {
    const { default: config } = (await import('../../astro.config.mjs')) as {
      default: { server: { headers: Headers }; vite: { server: { headers: Headers }; preview: { headers: Headers } } };
    };
    expect(lower(config.server.headers)).toMatchObject(ISOLATION);
    expect(lower(config.vite.server.headers)).toMatchObject(ISOLATION);
    expect(lower(config.vite.preview.headers)).toMatchObject(ISOLATION);
  });
});
