// The real WebContainer, for a maintainer with network (opt-in: it loads StackBlitz's runtime):
//
//   WHETSTONE_REAL_WEBCONTAINER=1 npx vitest run tests/site/real-webcontainer.test.ts
//
// Builds the site, serves it cross-origin isolated on 127.0.0.1, and in Chromium with the
// network: the WebContainer boots while the page grades on the Worker, takes over, grades the
// s3-partitioning solution with full marks, and its terminal runs the scratch script against the
// lab's fakes. Skipped (and says why) without the variable or without Chromium.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ISOLATION_HEADERS, chromiumMissing, launchChromium, serveStatic } from '../support/browser.ts';
import type { StaticServer } from '../support/browser.ts';
import { buildSite } from './build-site.ts';

const LAB = 's3-partitioning';
const ROOT = join(import.meta.dirname, '..', '..');
const optedIn = process.env.WHETSTONE_REAL_WEBCONTAINER === '1';
const skip = !optedIn
  ? 'skipped: set WHETSTONE_REAL_WEBCONTAINER=1 to boot the real WebContainer (needs the network to reach StackBlitz)'
  : chromiumMissing;

let outDir: string;
let server: StaticServer;
let browser: Browser;

(skip ? describe.skip : describe)(`the real WebContainer${skip ? ` — ${skip}` : ''}`, () => {
  beforeAll(async () => {
    outDir = mkdtempSync(join(tmpdir(), 'whetstone-real-wc-'));
    [, browser] = await Promise.all([buildSite(outDir), launchChromium()]);
    server = await serveStatic({ root: outDir, headers: ISOLATION_HEADERS });
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (outDir) rmSync(outDir, { recursive: true, force: true });
  });

  it('boots in the background, takes over grading, and runs the learner’s scratch script in its terminal', { timeout: 240_000 }, async () => {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
    await context.addInitScript(() => {
      try {
        localStorage.setItem('whetstone:v1:settings', JSON.stringify({ engine: 'auto', editor: 'code', bootTimeoutMs: 120_000 }));
      } catch {
        // StackBlitz's own frames have no access to this origin's storage.
      }
    });
    const page = await context.newPage();
    await page.goto(`${server.url}/labs/${LAB}/`);
    await page.waitForFunction(() => document.getElementById('workspace')?.dataset.engine === 'webcontainer', null, { timeout: 150_000 });

    const solution = readFileSync(join(ROOT, 'labs', LAB, 'solution', 'partition.ts'), 'utf8');
    await page.evaluate((t) => navigator.clipboard.writeText(t), solution);
    await page.locator('#code-editor .monaco-editor .view-lines').click();
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.press('ControlOrMeta+V');
    await page.getByRole('button', { name: 'Run checks' }).click();
    await page.waitForFunction(() => performance.getEntriesByName('whetstone:run-end').length > 0, null, { timeout: 120_000 });
    expect(await page.locator('.engine-badge').textContent()).toBe('WebContainer');
    expect(await page.locator('.score-line').first().textContent()).toMatch(/^Full marks/);

    await page.waitForFunction(() => performance.getEntriesByName('whetstone:terminal-ready').length > 0, null, { timeout: 60_000 });
    await page.locator('.terminal-host .xterm').click();
    await page.keyboard.type('node fake-aws.mjs scratch.ts\n');
    await expect.poll(() => page.locator('.terminal-host .xterm-rows').textContent(), { timeout: 60_000 }).toContain('AWS calls (');
    expect(await page.locator('.terminal-host .xterm-rows').textContent()).toContain('Your exports: partitionPrefix');
    await context.close();
  });
});
