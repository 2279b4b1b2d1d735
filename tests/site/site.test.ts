// The site end to end in real Chromium: `astro build` into a temporary folder, served from
// 127.0.0.1 with cross-origin isolation, driven through the s3-partitioning lab as a learner
// would: write a correct solution and get full marks, a wrong one and see the right check fail
// with the grader's message, reload and find the code and the last report still there, grade at
// once while the WebContainer cannot start (StackBlitz is unreachable: nothing leaves 127.0.0.1),
// complete PutObjectCommand's input, export a zip the CLI grades, import one, reset, hints, the
// solution diff, the keyboard's way out of the editor. Then every lab in labs/: opened once, the
// network cut, reloaded, and graded with full marks on the Worker host. Screenshots and timings
// go to test-results/site/ (look at the screenshots: light, dark, phone).

import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { buildLabBundle } from '../../catalog/bundle.ts';
import { labIds, readLab } from '../../catalog/labs.ts';
import { readVariants } from '../../catalog/variants.ts';
import { WORKER_REASONS, failedEarlierReason } from '../../sandbox/browser.ts';
import { readSubmission } from '../../cli/submission-input.ts';
import { gradeFiles } from '../support/grade.ts';
import { ISOLATION_HEADERS, describeInChromium, launchChromium, serveStatic } from '../support/browser.ts';
import type { StaticServer } from '../support/browser.ts';
import { buildSite } from './build-site.ts';

// A page with Monaco, a grading Worker and a service worker on a 2-core machine shared with
// other work: generous limits, which only a hang reaches.
vi.setConfig({ testTimeout: 180_000 });

const ROOT = join(import.meta.dirname, '..', '..');
const LAB = 's3-partitioning';
const LAB_DIR = join(ROOT, 'labs', LAB);
const SHOTS = join(ROOT, 'test-results', 'site');
const read = (path: string) => readFileSync(join(LAB_DIR, path), 'utf8');
const SOLUTION = () => read('solution/partition.ts');
const STARTER = () => read('starter/partition.ts');
/** An anti-solution of the lab: the solution with its patch applied. */
const WRONG = (name: string) => readVariants(LAB).find((v) => v.kind === 'wrong' && v.name === name)!;
const STEPS = readdirSync(join(LAB_DIR, 'steps')).filter((f) => /^\d{2}-.*\.md$/.test(f)).length;
const SETTINGS_KEY = 'whetstone:v1:settings';
const FILE_KEY = `whetstone:v1:lab:${LAB}:file:partition.ts`;

let outDir: string;
let server: StaticServer;
let browser: Browser;
const measurements: Record<string, unknown> = {};
/** Per lab: a correct solution's first run and re-run (click → first result, click → report). */
const runs: Record<string, unknown> = {};
measurements.runs = runs;

/** WHETSTONE_BUILT_SITE=<dir>: test a site already built there (while iterating on these tests). */
const builtSite = process.env.WHETSTONE_BUILT_SITE;

beforeAll(async () => {
  outDir = builtSite ?? mkdtempSync(join(tmpdir(), 'whetstone-site-'));
  mkdirSync(SHOTS, { recursive: true });
  // A build takes 2–3 minutes on an idle 2-core machine, far longer on a busy one.
  [, browser] = await Promise.all([builtSite ? undefined : buildSite(outDir), launchChromium()]);
  server = await serveStatic({ root: outDir, headers: ISOLATION_HEADERS });
}, 900_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (Object.keys(measurements).length) writeFileSync(join(SHOTS, 'measurements.json'), `${JSON.stringify(measurements, null, 2)}\n`);
  if (outDir && !builtSite) rmSync(outDir, { recursive: true, force: true });
});

interface ContextOptions {
  engine?: 'auto' | 'worker';
  editor?: 'code' | 'plain';
  bootTimeoutMs?: number;
  colorScheme?: 'light' | 'dark';
  viewport?: { width: number; height: number };
}

/** A fresh browser profile (empty storage) with the learner's settings. */
async function newContext(options: ContextOptions = {}): Promise<BrowserContext> {
  const context = await browser.newContext({
    viewport: options.viewport ?? { width: 1440, height: 900 },
    colorScheme: options.colorScheme ?? 'light',
    timezoneId: 'America/Los_Angeles',
  });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
  const settings = { engine: options.engine ?? 'worker', editor: options.editor ?? 'code', bootTimeoutMs: options.bootTimeoutMs ?? 20_000 };
  await context.addInitScript(
    ([key, value]) => {
      if (!localStorage.getItem(key!)) localStorage.setItem(key!, value!);
    },
    [SETTINGS_KEY, JSON.stringify(settings)],
  );
  // Nothing leaves 127.0.0.1: StackBlitz's WebContainer runtime is unreachable, as offline.
  await context.route(/^https?:\/\/(?!127\.0\.0\.1)/, (route) => route.abort('internetdisconnected'));
  return context;
}

const marked = (page: Page, name: string) =>
  page.waitForFunction((n) => performance.getEntriesByName(`whetstone:${n}`).length > 0, name, { timeout: 60_000 });

/**
 * Wait until the service worker holds everything this page loaded and what grading needs (the
 * lab's bundle, the Worker's script): what a reload with no network will ask for. The test
 * looks in the cache itself rather than trusting the page's word for it.
 */
async function keptForOffline(page: Page): Promise<void> {
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 30_000 });
  await page.waitForFunction(
    async () => {
      // The page's own word that every file it asked the worker for is kept…
      if (document.getElementById('offline-status')?.dataset.state !== 'ready') return false;
      // …and the test's own look in the cache for every file of this site the page loaded.
      const config = JSON.parse(document.getElementById('lab-config')!.textContent!) as { bundleUrl: string; workerUrl: string };
      const loaded = performance.getEntriesByType('resource').map((e) => e.name).filter((url) => url.startsWith(`${location.origin}/`));
      const needed = [location.href.split('#')[0]!, ...loaded, new URL(config.bundleUrl, location.href).href, new URL(config.workerUrl, location.href).href];
      // Fonts the style sheets declare (Monaco's icons) are fetched only when a glyph is first drawn:
      // kept all the same, or an icon drawn offline would be a failed request.
      for (const sheet of Array.from(document.styleSheets)) {
        for (const rule of Array.from(sheet.cssRules)) {
          if (!(rule instanceof CSSFontFaceRule)) continue;
          for (const m of rule.style.getPropertyValue('src').matchAll(/url\(\s*["']?([^"')]+)["']?\s*\)/g)) {
            if (!m[1]!.startsWith('data:')) needed.push(new URL(m[1]!, sheet.href ?? location.href).href);
          }
        }
      }
      const cache = await caches.open('whetstone-v1');
      for (const url of needed) if (!url.endsWith('/sw.js') && !(await cache.match(url))) return false;
      return true;
    },
    null,
    { timeout: 60_000, polling: 250 },
  );
}

async function openLab(context: BrowserContext): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${server.url}/labs/${LAB}/`);
  await marked(page, 'editor-ready');
  return page;
}

/** Replace the editor's text the way a learner pastes: select all, paste. */
async function pasteIntoEditor(page: Page, text: string): Promise<void> {
  await page.evaluate((t) => navigator.clipboard.writeText(t), text);
  await page.locator('#code-editor .monaco-editor .view-lines').click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('ControlOrMeta+V');
  await page.waitForFunction(([key, t]) => localStorage.getItem(key!) === t, [FILE_KEY, text]);
}

/** The learner's files of the page's lab, from its configuration. */
const labFiles = async (page: Page) =>
  (JSON.parse((await page.locator('#lab-config').textContent())!) as { files: { path: string }[] }).files.map((f) => f.path);

/** Paste each file of a lab's solution (or the files given) into its tab. */
async function pasteSolution(page: Page, lab: string, files?: Record<string, string>): Promise<void> {
  for (const path of await labFiles(page)) {
    const text = files?.[path] ?? readFileSync(join(ROOT, 'labs', lab, 'solution', path), 'utf8');
    await page.locator(`[data-file-tab="${path}"]`).click();
    await page.evaluate((t) => navigator.clipboard.writeText(t), text);
    await page.locator('#code-editor .monaco-editor .view-lines').click();
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.press('ControlOrMeta+V');
    await page.waitForFunction(([key, t]) => localStorage.getItem(key!) === t, [`whetstone:v1:lab:${lab}:file:${path}`, text]);
  }
}

async function runChecks(page: Page): Promise<{ ms: number; engine: string }> {
  const before = await page.evaluate(() => performance.getEntriesByName('whetstone:run-end').length);
  await page.getByRole('button', { name: 'Run checks' }).click();
  await page.waitForFunction((n) => performance.getEntriesByName('whetstone:run-end').length > n, before, { timeout: 90_000 });
  return page.evaluate(() => (performance.getEntriesByName('whetstone:run-end').at(-1) as PerformanceMark).detail as { ms: number; engine: string });
}

const checkRow = (page: Page, id: string) => page.locator(`.check[data-check="${id}"]`);
/** The lines Monaco shows (it renders spaces as no-break spaces). */
const editorText = async (page: Page) => ((await page.locator('#code-editor .view-lines').textContent()) ?? '').replace(/\u00a0/g, ' ');
const openMenu = (page: Page) => page.locator('details.ws-menu > summary').click();

describeInChromium('the site in Chromium', () => {
  it('builds a lab page that ships public checks only, and no hidden check ever', async () => {
    const config = JSON.parse(readFileSync(join(outDir, 'grader', `${LAB}.checks.json`), 'utf8')) as { id: string; visibility: string }[];
    expect(config.length).toBeGreaterThan(0);
    expect(config.every((c) => c.visibility === 'public')).toBe(true);
    const graderChecks = (await buildLabBundle(readLab(LAB), { audience: 'grader' })).checks;
    const hidden = graderChecks.filter((c) => c.visibility === 'hidden').map((c) => c.id);
    expect(hidden.length).toBeGreaterThan(0);
    const texts = (function walk(dir: string): string[] {
      return readdirSync(dir).flatMap((name) => {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) return walk(path);
        return /\.(js|mjs|json|html)$/.test(name) ? [readFileSync(path, 'utf8')] : [];
      });
    })(outDir);
    for (const id of hidden) {
      expect(texts.some((t) => t.includes(`"${id}"`) || t.includes(`'${id}'`)), `hidden check ${id} in the built site`).toBe(false);
    }
  });

  it('a correct solution gets full marks, every step is marked done, and the catalog shows the progress', async () => {
    const context = await newContext();
    const page = await openLab(context);
    await pasteIntoEditor(page, SOLUTION());
    const { ms, engine } = await runChecks(page);
    expect(engine).toBe('worker');
    await expect.poll(() => page.locator('.score-line').first().textContent()).toMatch(/^Full marks: (\d+) \/ \1\. Every check passed\.$/);
    expect(await page.locator('.check').count()).toBe(await page.locator('.check[data-status="pass"]').count());
    expect(await page.locator('.engine-line').textContent()).toContain('Running in a Worker, as chosen in your settings.');
    for (let step = 1; step <= STEPS; step++) await expect.poll(() => page.locator(`[data-step-done="${step}"]`).isVisible()).toBe(true);
    measurements.firstRunWorkerMs = ms;
    measurements.secondRunWorkerMs = (await runChecks(page)).ms;

    // What the code did: the S3 calls and the bucket afterwards, per check.
    const ingest = checkRow(page, 'ingest-one-object-per-partition');
    await ingest.locator('details.check-details > summary').click();
    await expect.poll(() => ingest.locator('.trace tbody tr').count()).toBeGreaterThan(0);
    expect(await ingest.locator('.trace').textContent()).toContain('s3:PutObject');
    expect(await ingest.locator('.key-tree').first().textContent()).toMatch(/year=\d{4}\/month=\d{2}\//);
    await page.screenshot({ path: join(SHOTS, 'lab-full-marks-light.png') });

    // A bucket listed only in part: its count and its folders' counts mean the same thing (objects),
    // and a folder the listing was cut in says it holds more ("200+ objects"), never less.
    const cut = page.locator('.key-tree:has(.tree-cut)').first();
    const bucketCount = Number(/· ([\d,]+) objects/.exec((await cut.locator('.tree-bucket').textContent())!)![1]!.replace(/,/g, ''));
    const shownKeys = Number(/the first ([\d,]+) keys/.exec((await cut.locator('.tree-cut').textContent())!)![1]!.replace(/,/g, ''));
    expect(bucketCount).toBeGreaterThan(shownKeys);
    const folderCounts = await cut.locator(':scope > .tree > .tree-folder > .folder-count').allTextContents();
    expect(folderCounts.some((c) => /^ · [\d,]+\+ objects$/.test(c))).toBe(true);
    expect(folderCounts.every((c) => /^ · [\d,]+\+? objects?$/.test(c))).toBe(true);

    // The last report is kept with the work: a reload shows it, marked with when it ran.
    await page.reload();
    await marked(page, 'workspace-ready');
    expect(await page.locator('.score-line').first().textContent()).toMatch(/^Full marks/);
    const kept = page.locator('.kept-line');
    expect(await kept.textContent()).toMatch(/^The last run, kept from .+\. Your code is as it was then\.$/);
    const ranAt = Date.parse((await kept.getAttribute('data-ran-at'))!);
    expect(Date.now() - ranAt).toBeGreaterThanOrEqual(0);
    expect(Date.now() - ranAt).toBeLessThan(5 * 60_000);
    expect(await checkRow(page, 'ingest-one-object-per-partition').getAttribute('data-status')).toBe('pass');
    // An edit in the code editor, once it is there (typing into the plain one races its arrival),
    // saved before the reload.
    await marked(page, 'editor-ready');
    await page.locator('#code-editor .monaco-editor .view-lines').click();
    await page.keyboard.press('ControlOrMeta+End');
    await page.keyboard.type('\n// later');
    await page.waitForFunction(([key]) => localStorage.getItem(key!)?.trimEnd().endsWith('// later') ?? false, [FILE_KEY]);
    await page.reload();
    expect(await page.locator('.kept-line').textContent()).toContain('Your code has changed since: run the checks again to see where it stands.');
    await page.locator('#results').screenshot({ path: join(SHOTS, 'kept-report-light.png') });

    await page.goto(server.url);
    await expect.poll(() => page.locator(`[data-progress-for="${LAB}"]`).textContent()).toBe(`All ${STEPS} steps done`);
    await page.screenshot({ path: join(SHOTS, 'catalog-light.png'), fullPage: true });
    await context.close();
  });

  it('a wrong solution fails the right checks with the grader’s own messages', async () => {
    // An anti-solution of the lab: local time instead of UTC.
    const { files, fails = [] } = WRONG('local-time');
    const expected = await gradeFiles(LAB, files, { hidden: false });
    const failing = expected.checks.filter((c) => c.status !== 'pass').map((c) => c.id);
    expect(failing.length).toBeGreaterThan(0);
    expect(failing.sort()).toEqual(fails.filter((id) => expected.checks.some((c) => c.id === id)).sort());

    const context = await newContext({ colorScheme: 'dark' });
    const page = await openLab(context);
    await pasteIntoEditor(page, files['partition.ts']!);
    await runChecks(page);
    for (const check of expected.checks) {
      const row = checkRow(page, check.id);
      expect(await row.getAttribute('data-status'), check.id).toBe(check.status);
      if (check.status !== 'pass') expect(await row.locator('.check-message').textContent()).toBe(check.message);
    }
    expect(await page.locator('.score-line').first().textContent()).toMatch(/^Score \d+ \/ \d+: \d+ of \d+ checks passed\.$/);
    for (let step = 1; step <= STEPS; step++) {
      const ofStep = expected.checks.filter((c) => c.step === step);
      const done = ofStep.length > 0 && ofStep.every((c) => c.status === 'pass');
      expect(await page.locator(`[data-step-done="${step}"]`).isVisible(), `step ${step} marked done`).toBe(done);
    }
    await checkRow(page, failing[0]!).scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SHOTS, 'lab-wrong-dark.png') });
    await context.close();
  });

  it('a syntax error points at its line in the editor', async () => {
    const context = await newContext();
    const page = await openLab(context);
    const broken = SOLUTION().replace('const two = (n: number) =>', 'const two = (n: number) =>>');
    const line = broken.split('\n').findIndex((l) => l.includes('=>>')) + 1;
    await pasteIntoEditor(page, broken);
    await runChecks(page);
    expect(await page.locator('.load-error').textContent()).toContain(`partition.ts:${line}`);
    // The editor has moved to the line and marked it.
    await expect.poll(() => page.locator('#code-editor .squiggly-error').count()).toBeGreaterThan(0);
    await page.keyboard.type('x');
    const cursorLine = await page.evaluate(
      ([key, l]) => (localStorage.getItem(key!) ?? '').split('\n')[Number(l) - 1],
      [FILE_KEY, String(line)],
    );
    expect(cursorLine).toContain('x');
    await context.close();
  });

  it('keeps the code across a reload, in the plain editor at once and in the code editor after', async () => {
    const context = await newContext();
    const page = await openLab(context);
    const mine = `${STARTER()}\n// my notes: remember UTC\n`;
    await pasteIntoEditor(page, mine);
    await page.reload();
    expect(await page.locator('#plain-editor').inputValue()).toBe(mine);
    await marked(page, 'editor-ready');
    await page.locator('#code-editor .monaco-editor .view-lines').click();
    await page.keyboard.press('ControlOrMeta+End');
    await expect.poll(() => editorText(page)).toContain('// my notes: remember UTC');
    // Hints: revealed one at a time, remembered.
    await page.getByRole('link', { name: /^1\b/ }).first().click();
    const hints = page.locator('[data-hints-for="1"]');
    expect(await hints.locator('li:not([hidden])').count()).toBe(0);
    await hints.getByRole('button', { name: /Show a hint/ }).click();
    expect(await hints.locator('li:not([hidden])').count()).toBe(1);
    await page.reload();
    expect(await page.locator('[data-hints-for="1"] li:not([hidden])').count()).toBe(1);
    await context.close();
  });

  it('works from the keyboard: Ctrl+Enter, Tab to Run checks, the menu, and the plain editor setting', async () => {
    const context = await newContext();
    const page = await openLab(context);
    const runs = () => page.evaluate(() => performance.getEntriesByName('whetstone:run-end').length);
    await page.locator('#code-editor .monaco-editor .view-lines').click();
    await page.keyboard.press('ControlOrMeta+Enter');
    await expect.poll(runs, { timeout: 30_000 }).toBe(1);

    // Tab indents in the editor; Esc then Tab leaves it (forwards, or backwards with Shift), as the hint under it says.
    expect(await page.locator('#editor-status').textContent()).toContain('Tab indents; Esc then Tab leaves the editor.');
    const inEditor = () => page.evaluate(() => document.getElementById('code-editor')!.contains(document.activeElement));
    const side = () =>
      page.evaluate(() => {
        const position = document.getElementById('code-editor')!.compareDocumentPosition(document.activeElement!);
        return position & Node.DOCUMENT_POSITION_FOLLOWING ? 'after' : position & Node.DOCUMENT_POSITION_PRECEDING ? 'before' : 'inside';
      });
    await page.keyboard.press('ControlOrMeta+Home');
    await page.keyboard.press('Tab');
    expect(await inEditor()).toBe(true);
    await expect.poll(() => page.evaluate((key) => (localStorage.getItem(key) ?? '').startsWith('  '), FILE_KEY)).toBe(true);
    await page.keyboard.press('Escape');
    await page.keyboard.press('Tab');
    expect(await side()).toBe('after');
    await page.locator('#code-editor .monaco-editor .view-lines').click();
    await page.keyboard.press('Escape');
    await page.keyboard.press('Shift+Tab');
    expect(await side()).toBe('before');

    await page.locator('[data-file-tab]').first().focus();
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('run-checks');
    await page.keyboard.press('Enter');
    await expect.poll(runs, { timeout: 30_000 }).toBe(2);

    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toContain('More');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('export-zip');
    await page.keyboard.press('Escape');
    expect(await page.locator('details.ws-menu').getAttribute('open')).toBeNull();

    await openMenu(page);
    await page.getByRole('button', { name: 'Settings…' }).click();
    const settings = page.getByRole('dialog', { name: 'Settings' });
    await settings.getByLabel(/Plain text editor/).check();
    await settings.getByRole('button', { name: 'Save' }).click();
    expect(await page.locator('#plain-editor').isVisible()).toBe(true);
    expect(await page.locator('#code-editor').isVisible()).toBe(false);
    await page.reload();
    await marked(page, 'workspace-ready');
    expect(await page.evaluate(() => performance.getEntriesByName('whetstone:editor-requested').length)).toBe(0);
    await page.locator('#plain-editor').focus();
    await page.keyboard.press('ControlOrMeta+Enter');
    await expect.poll(runs, { timeout: 30_000 }).toBe(1);
    await context.close();
  });

  it('grades at once on the Worker while the WebContainer cannot start, and “Took” counts every wait', async () => {
    // StackBlitz is unreachable: the boot hangs; it is given a minute, so it is still booting at every run.
    const context = await newContext({ engine: 'auto', bootTimeoutMs: 60_000 });
    const page = await openLab(context);
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    await pasteIntoEditor(page, SOLUTION());
    const { engine } = await runChecks(page);
    expect(engine).toBe('worker');
    expect(await page.locator('.score-line').first().textContent()).toMatch(/^Full marks/);
    expect(await page.locator('.engine-line').textContent()).toContain(WORKER_REASONS.starting);
    expect(await page.locator('#workspace').getAttribute('data-engine')).toBe('starting');
    // "Took" is the learner's whole wait: from the click to the report, as the page measured it.
    const { from, to } = await page.evaluate(() => ({
      from: performance.getEntriesByName('whetstone:run-start').at(-1)!.startTime,
      to: performance.getEntriesByName('whetstone:run-end').at(-1)!.startTime,
    }));
    const took = Number(/Took (\d+\.\d) s/.exec((await page.locator('.engine-line').textContent()) ?? '')?.[1]);
    expect(Math.abs(took - (to - from) / 1000)).toBeLessThanOrEqual(0.1);
    await context.close();
  });

  it('gives up on a WebContainer that does not boot, says so once, and does not try again in the same tab', async () => {
    const context = await newContext({ engine: 'auto', bootTimeoutMs: 1000 });
    const page = await openLab(context);
    // The page shows where the engine stands; once the boot is given up, the terminal's place says why.
    await page.waitForFunction(() => document.getElementById('workspace')?.dataset.engine === 'worker', null, { timeout: 30_000 });
    expect(await page.locator('#terminal-note').textContent()).toBe(
      'The terminal needs the WebContainer, which is not running here (WebContainer boot timed out after 1 s). The checks run the same in a Worker.',
    );
    expect(await page.locator('.terminal-host').isVisible()).toBe(false);
    expect(await page.locator('[data-scratch]').isVisible()).toBe(false);
    await pasteIntoEditor(page, SOLUTION());
    await runChecks(page);
    expect(await page.locator('.engine-line').textContent()).toContain('Running in a Worker: WebContainer boot timed out after 1 s.');
    await page.locator('#workspace').screenshot({ path: join(SHOTS, 'workspace-no-webcontainer-light.png') });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.locator('.ws-status').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SHOTS, 'workspace-phone-light.png') });
    await page.locator('#terminal').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SHOTS, 'terminal-note-phone-light.png') });
    await page.setViewportSize({ width: 1440, height: 900 });

    await page.reload();
    await marked(page, 'editor-ready');
    await page.waitForFunction(() => document.getElementById('workspace')?.dataset.engine === 'worker', null, { timeout: 30_000 });
    const { engine } = await runChecks(page);
    expect(engine).toBe('worker');
    expect(await page.locator('.engine-line').textContent()).toContain(failedEarlierReason('WebContainer boot timed out after 1 s'));
    // Not even tried: StackBlitz's page was never asked for.
    expect(await page.evaluate(() => performance.getEntriesByType('resource').some((e) => e.name.includes('stackblitz')))).toBe(false);
    await context.close();
  });

  it('completes PutObjectCommand’s input and flags type errors', async () => {
    const context = await newContext();
    const page = await openLab(context);
    await marked(page, 'types-ready');
    await pasteIntoEditor(page, `${STARTER()}\nconst put = new PutObjectCommand({  });\nconst n: number = 'text';\n`);
    // Cursor between the braces of the PutObjectCommand input.
    const line = (await page.evaluate((key) => localStorage.getItem(key) ?? '', FILE_KEY)).split('\n').findIndex((l) => l.startsWith('const put')) + 1;
    await page.keyboard.press('ControlOrMeta+End');
    for (let i = 0; i < 2; i++) await page.keyboard.press('ArrowUp');
    await page.keyboard.press('End');
    for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowLeft');
    expect(line).toBeGreaterThan(1);
    await page.keyboard.press('Control+Space');
    const suggestions = page.locator('.suggest-widget .monaco-list-row');
    await expect.poll(() => suggestions.count(), { timeout: 20_000 }).toBeGreaterThan(5);
    const labels = await suggestions.evaluateAll((rows) => rows.map((r) => r.getAttribute('aria-label') ?? r.textContent ?? ''));
    for (const member of ['Body', 'Bucket', 'CacheControl']) expect(labels.some((l) => l.startsWith(member)), `${member} in ${labels.join(', ')}`).toBe(true);
    await page.screenshot({ path: join(SHOTS, 'completion-light.png') });
    await page.keyboard.press('Escape');
    await expect.poll(() => page.locator('#code-editor .squiggly-error').count(), { timeout: 20_000 }).toBeGreaterThan(0);
    await context.close();
  });

  it('exports a zip whose file is the editor’s text and which the CLI grades; imports one; resets after asking', async () => {
    const context = await newContext();
    const page = await openLab(context);
    const errors: string[] = [];
    page.on('console', (message) => void (message.type() === 'error' && errors.push(message.text())));
    page.on('pageerror', (error) => void errors.push(error.message));
    const mine = `${SOLUTION()}// exported\n`;
    await pasteIntoEditor(page, mine);

    await openMenu(page);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export as zip' }).click()]);
    expect(download.suggestedFilename()).toMatch(new RegExp(`^${LAB}-\\d{4}-\\d{2}-\\d{2}\\.zip$`));
    const zipPath = join(outDir, 'export.zip');
    await download.saveAs(zipPath);
    const entries = unzipSync(readFileSync(zipPath));
    expect(Object.keys(entries).sort()).toEqual(['partition.ts', 'whetstone.json']);
    expect(strFromU8(entries['partition.ts']!)).toBe(mine);
    expect(JSON.parse(strFromU8(entries['whetstone.json']!))).toMatchObject({ lab: LAB });
    expect(readSubmission(zipPath).files).toEqual({ 'partition.ts': mine });

    // Import another zip: asked first, then the editor holds its file.
    const other = zipSync({ 'ada/partition.ts': strToU8(WRONG('unpadded').files['partition.ts']!) });
    const otherPath = join(outDir, 'ada.zip');
    writeFileSync(otherPath, other);
    await openMenu(page);
    await page.getByRole('button', { name: 'Import a zip…' }).click();
    await page.locator('#import-file').setInputFiles(otherPath);
    await page.getByRole('dialog', { name: 'Import ada.zip?' }).getByRole('button', { name: 'Replace my code' }).click();
    await page.waitForFunction(([key, t]) => localStorage.getItem(key!) === t, [FILE_KEY, WRONG('unpadded').files['partition.ts']!]);
    await page.locator('#code-editor .monaco-editor .view-lines').click();
    await page.keyboard.press('ControlOrMeta+Home');
    await expect.poll(() => editorText(page)).toContain('export function partitionPrefix(event: ClickEvent): string {');

    // Reset: "Cancel" keeps the code, "Reset my code" brings the starter back.
    await openMenu(page);
    await page.getByRole('button', { name: 'Reset to starter…' }).click();
    await page.getByRole('dialog', { name: 'Reset to the starter code?' }).getByRole('button', { name: 'Cancel' }).click();
    expect(await page.evaluate((key) => localStorage.getItem(key), FILE_KEY)).toBe(WRONG('unpadded').files['partition.ts']!);
    await openMenu(page);
    await page.getByRole('button', { name: 'Reset to starter…' }).click();
    await page.getByRole('dialog', { name: 'Reset to the starter code?' }).getByRole('button', { name: 'Reset my code' }).click();
    await page.reload();
    expect(await page.locator('#plain-editor').inputValue()).toBe(STARTER());

    // The solution, after a confirmation, as a diff.
    await marked(page, 'editor-ready');
    await openMenu(page);
    await page.getByRole('button', { name: 'Show the solution…' }).click();
    await page.getByRole('dialog', { name: 'Show the solution?' }).getByRole('button', { name: 'Show the solution' }).click();
    await expect.poll(() => page.locator('#solution-dialog .monaco-diff-editor').count(), { timeout: 30_000 }).toBe(1);
    // Both sides drawn, the solution with its highlighting, and TypeScript never lost the solution's file.
    await expect
      .poll(async () => ((await page.locator('#solution-dialog .editor.modified .view-lines').textContent()) ?? '').replace(/\u00a0/g, ' '), { timeout: 30_000 })
      .toContain('export function partitionPrefix');
    await page.screenshot({ path: join(SHOTS, 'solution-diff-light.png') });
    await page.locator('#solution-dialog').getByRole('button', { name: 'Close' }).click();
    await openMenu(page);
    await page.getByRole('button', { name: 'Show the solution…' }).click();
    await page.getByRole('dialog', { name: 'Show the solution?' }).getByRole('button', { name: 'Show the solution' }).click();
    await expect.poll(() => page.locator('#solution-dialog .monaco-diff-editor').count(), { timeout: 30_000 }).toBe(1);
    await page.waitForTimeout(1500);
    expect(errors.filter((e) => /Could not find source file|inmemory:\/\/model/.test(e))).toEqual([]);
    await context.close();
  });

  it('measures: JS before the editor is requested, time until the editor takes input', async () => {
    // With the plain editor, nothing asks for Monaco: what loads is what every visit pays.
    const plain = await newContext({ editor: 'plain' });
    const page = await plain.newPage();
    const scripts: string[] = [];
    page.on('response', (response) => {
      if (response.request().resourceType() === 'script') scripts.push(new URL(response.url()).pathname);
    });
    await page.goto(`${server.url}/labs/${LAB}/`);
    await marked(page, 'workspace-ready');
    await page.waitForTimeout(500);
    const gzip = scripts.reduce((sum, path) => sum + gzipSync(readFileSync(join(outDir, path))).byteLength, 0);
    const raw = scripts.reduce((sum, path) => sum + statSync(join(outDir, path)).size, 0);
    measurements.jsBeforeEditor = { files: scripts, rawBytes: raw, gzipBytes: gzip };
    expect(gzip).toBeLessThan(30_000);
    expect(scripts.some((s) => /editor|monaco|ts\.worker/.test(s))).toBe(false);
    const css = [...readFileSync(join(outDir, 'labs', LAB, 'index.html'), 'utf8').matchAll(/<link rel="stylesheet" href="([^"]+)"/g)].map((m) => m[1]!);
    measurements.cssBeforeEditor = css.map((href) => ({ href, gzipBytes: gzipSync(readFileSync(join(outDir, href))).byteLength }));
    expect(css).toHaveLength(1);
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: join(SHOTS, 'lab-phone-light.png') });
    await page.screenshot({ path: join(SHOTS, 'lab-phone-light-full.png'), fullPage: true });
    await plain.close();

    const code = await newContext();
    const editorPage = await code.newPage();
    await editorPage.goto(`${server.url}/labs/${LAB}/`);
    await marked(editorPage, 'editor-ready');
    await editorPage.locator('#code-editor .monaco-editor .view-lines').click();
    await editorPage.keyboard.type('//typed');
    await editorPage.waitForFunction((key) => (localStorage.getItem(key) ?? '').includes('//typed'), FILE_KEY);
    const typed = await editorPage.evaluate(() => performance.now());
    await marked(editorPage, 'types-ready');
    const at = await editorPage.evaluate(() => ({
      workspace: performance.getEntriesByName('whetstone:workspace-ready')[0]!.startTime,
      requested: performance.getEntriesByName('whetstone:editor-requested')[0]!.startTime,
      ready: performance.getEntriesByName('whetstone:editor-ready')[0]!.startTime,
      types: performance.getEntriesByName('whetstone:types-ready')[0]!.startTime,
    }));
    measurements.editorTimingsMs = { ...Object.fromEntries(Object.entries(at).map(([k, v]) => [k, Math.round(v)])), typedAt: Math.round(typed) };
    await editorPage.screenshot({ path: join(SHOTS, 'lab-editor-light.png') });
    await code.close();
    // Not a timed test (timings are a benchmark): recorded in measurements.json.
    expect(at.ready).toBeGreaterThan(at.requested);
  });

  // Every lab, as labs/ holds them today and tomorrow.
  for (const lab of labIds()) {
    it(`${lab}: opened once, then with the network cut and no run before, gets full marks on the Worker host, twice, and shows an anti-solution's messages`, { timeout: 180_000 }, async () => {
      const context = await newContext({ engine: 'auto' });
      const page = await context.newPage();
      await page.goto(`${server.url}/labs/${lab}/`);
      await marked(page, 'types-ready');
      await keptForOffline(page);
      await context.setOffline(true);
      const failed: string[] = [];
      page.on('requestfailed', (request) => {
        // A request the reload itself cut short (the old page's editor restarting its worker) is not a missing file.
        if (request.url().startsWith(server.url) && request.failure()?.errorText !== 'net::ERR_ABORTED') {
          failed.push(`${new URL(request.url()).pathname} (${request.failure()?.errorText})`);
        }
      });
      await page.reload();
      await marked(page, 'editor-ready');
      await pasteSolution(page, lab);
      // The first run of this page load and a re-run, timed (recorded, not asserted: timings are a
      // benchmark; see measurements.json and the site notes). StackBlitz is unreachable, as offline.
      const timed = async () => {
        const { engine } = await runChecks(page);
        expect(engine).toBe('worker');
        return page.evaluate(() => {
          const at = (name: string) => performance.getEntriesByName(`whetstone:${name}`).at(-1)!.startTime;
          return { firstResultMs: Math.round(at('first-result') - at('run-start')), reportMs: Math.round(at('run-end') - at('run-start')) };
        });
      };
      const first = await timed();
      const again = await timed();
      runs[lab] = { first, again, checks: await page.locator('.check').count() };
      const notPassed = await page.locator('.check:not([data-status="pass"])').evaluateAll((rows) => rows.map((r) => r.textContent));
      expect(notPassed, 'checks that did not pass').toEqual([]);
      expect(await page.locator('.score-line').first().textContent()).toMatch(/^Full marks: (\d+) \/ \1\. Every check passed\.$/);
      // Whether an emulated offline browser reports navigator.onLine differs between Chromium
      // versions: offline said at once, or still booting (its runtime cannot come). Both are true,
      // and in both the Worker graded at once.
      const note = (await page.locator('.engine-line').textContent()) ?? '';
      expect([WORKER_REASONS.offline, WORKER_REASONS.starting].filter((reason) => note.includes(reason))).toHaveLength(1);
      // An anti-solution, still offline: its public checks fail as the Node grader fails them, with
      // the grader's own messages on the page: the first anti-solution (by name) that loads and
      // fails a public check.
      let shown: { wrong: (typeof variants)[number]; expected: Awaited<ReturnType<typeof gradeFiles>> } | undefined;
      const variants = readVariants(lab).filter((v) => v.kind === 'wrong');
      for (const wrong of variants) {
        const expected = await gradeFiles(lab, wrong.files, { hidden: false });
        if (!expected.error && expected.checks.some((c) => c.status === 'fail')) {
          shown = { wrong, expected };
          break;
        }
      }
      expect(shown, `${lab}: an anti-solution that fails a public check`).toBeDefined();
      const { wrong, expected } = shown!;
      await pasteSolution(page, lab, wrong.files);
      await runChecks(page);
      for (const check of expected.checks) {
        const row = checkRow(page, check.id);
        expect(await row.getAttribute('data-status'), `${lab} wrong/${wrong.name} ${check.id}`).toBe(check.status);
        if (check.status === 'fail') expect(await row.locator('.check-message').textContent()).toBe(check.message);
      }
      // Nothing the page or the grader asked for was missing.
      expect(failed).toEqual([]);
      await context.close();
    });
  }
});

// Written after the run: where to find what was measured.
afterAll(() => {
  if (existsSync(SHOTS)) console.log(`site: screenshots and measurements in ${relative(process.cwd(), SHOTS)}/`, JSON.stringify(measurements));
});
