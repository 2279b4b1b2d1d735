// The figures of a check on the lab page, in Chromium: the results view (bundled as the site
// bundles it) renders a report holding a table, two charts and an event list, with the site's
// stylesheet. Each kind is read back from the DOM as a person or a screen reader meets it, and
// screenshots in light and dark, wide and at phone width, go to test-results/figures/.

import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { REPO_ROOT } from '../../catalog/labs.ts';
import { figureFromSpec } from '../../grader/figures.ts';
import type { CheckInfo, Report } from '../../grader/report.ts';
import { describeInChromium, launchChromium, serveStatic } from '../support/browser.ts';
import type { StaticServer } from '../support/browser.ts';
import { EXECUTION_EVENTS, SHARD_TABLE, dayChart, latencyChart } from '../support/figure-samples.ts';

const SHOTS = join(REPO_ROOT, 'test-results', 'figures');

const CHECKS: CheckInfo[] = [
  { id: 'no-loss', title: 'Every record arrives exactly once', step: 1, maxScore: 1, visibility: 'public' },
  { id: 'latency-goal', title: 'Latency stays within the goal all day', step: 2, maxScore: 2, visibility: 'public' },
  { id: 'glue-retry', title: 'A throttled Glue job is retried, then succeeds', step: 3, maxScore: 1, visibility: 'public' },
];

const REPORT: Report = {
  schemaVersion: 1,
  lab: 'figures-demo',
  status: 'fail',
  score: 2,
  maxScore: 4,
  durationMs: 420,
  engine: 'worker',
  grader: 'whetstone@test',
  checks: [
    { ...CHECKS[0]!, status: 'pass', score: 1, message: '', durationMs: 12, figures: [figureFromSpec(SHARD_TABLE)] },
    {
      ...CHECKS[1]!,
      status: 'fail',
      score: 0,
      message: 'Latency was over the 200 ms goal in 9 minutes (10:11–10:19): the burst came faster than your policy added instances.',
      durationMs: 30,
      figures: [figureFromSpec(dayChart()), figureFromSpec(latencyChart())],
    },
    { ...CHECKS[2]!, status: 'pass', score: 1, message: '', durationMs: 8, figures: [figureFromSpec(EXECUTION_EVENTS)] },
  ],
};

const PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="/global.css"><title>Figures</title></head>
<body><section class="results" id="results"><h2>Checks</h2><div id="results-body"></div></section>
<script type="module" src="/view.js"></script></body></html>`;

/** The results view as the page uses it, rendering whatever report the test hands it. */
const ENTRY = `
import { ResultsView } from './src/client/results-view.ts';
window.showReport = (checks, report) => {
  const steps = [{ number: 1, title: 'Send without losing a record' }, { number: 2, title: 'Scale with the traffic' }, { number: 3, title: 'Retry what is transient' }];
  const view = new ResultsView({ root: document.getElementById('results-body'), checks, steps, files: [], onJump() {} });
  view.finish(report, { tookMs: 420 });
};
`;

let browser: Browser;
let site: StaticServer;

beforeAll(async () => {
  const bundled = await build({
    stdin: { contents: ENTRY, resolveDir: REPO_ROOT, loader: 'ts' },
    bundle: true,
    format: 'esm',
    write: false,
    target: 'es2022',
  });
  site = await serveStatic({
    routes: {
      '/': PAGE,
      '/view.js': bundled.outputFiles[0]!.text,
      '/global.css': readFileSync(join(REPO_ROOT, 'src', 'styles', 'global.css'), 'utf8'),
    },
  });
  browser = await launchChromium();
  mkdirSync(SHOTS, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await site?.close();
});

async function open(options: { width: number; dark?: boolean }): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: options.width, height: 900 }, colorScheme: options.dark ? 'dark' : 'light' });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(String(error)));
  await page.goto(site.url);
  await page.waitForFunction(() => 'showReport' in window);
  await page.evaluate(([checks, report]) => (window as unknown as { showReport(c: unknown, r: unknown): void }).showReport(checks, report), [CHECKS, REPORT] as const);
  // The charts redraw at the width they are given, once the layout has settled.
  await page.waitForFunction(() => [...document.querySelectorAll('.chart-box')].every((box) => Math.abs(Number(box.querySelector('svg')?.getAttribute('width')) - box.clientWidth) < 8));
  expect(errors).toEqual([]);
  return page;
}

describeInChromium('figures on the lab page', () => {
  it('shows a table as a table: headers with units, numbers grouped and right-aligned, empty cells empty', async () => {
    const page = await open({ width: 900 });
    const table = page.locator('[data-check="no-loss"] figure[data-kind="table"]');
    await expect(table.locator('figcaption').textContent()).resolves.toBe('Your producer, shard by shard');
    expect(await table.locator('th').allTextContents()).toEqual(['Shard', 'Records sent', 'Duplicates', 'Lost', 'Throttled', 'Time (s)']);
    expect(await table.locator('tbody tr').nth(2).locator('td').allTextContents()).toEqual(['shardId-000000000002', '25,018', '12', '0', '4,960', '61.75']);
    expect(await table.locator('tbody tr').nth(3).locator('td').allTextContents()).toEqual(['shardId-000000000003', '', '', '', '', '']);
    const align = await table.locator('tbody tr').first().locator('td').evaluateAll((cells) => cells.map((c) => getComputedStyle(c).textAlign));
    expect(align).toEqual(['left', 'right', 'right', 'right', 'right', 'right']);
    await page.context().close();
  });

  it('draws a series as an SVG chart with two axes, a legend, the goal line and shaded minutes, described for screen readers', async () => {
    const page = await open({ width: 900 });
    const charts = page.locator('[data-check="latency-goal"] figure[data-kind="series"]');
    await expect(charts.count()).resolves.toBe(2);
    const latency = charts.nth(1);
    const svg = latency.locator('svg.chart');
    await expect(svg.getAttribute('role')).resolves.toBe('img');
    await expect(svg.locator('title').textContent()).resolves.toBe('Latency against the goal');
    const desc = (await svg.locator('desc').textContent()) ?? '';
    expect(desc).toContain('latency p95 (ms, left axis): 41 to 1,643.1, 6 gaps; over latency goal (200 ms) in 9 of 1,440 points, at minute 611–619');
    // One path per series; the latency path is broken at its gap (two subpaths).
    const paths = await svg.locator('path.line').evaluateAll((nodes) => nodes.map((n) => (n.getAttribute('d') ?? '').split('M').length - 1));
    expect(paths).toEqual([2, 1]);
    await expect(svg.locator('line.reference').count()).resolves.toBe(1);
    await expect(svg.locator('text.reference-label').textContent()).resolves.toBe('latency goal 200 ms');
    await expect(svg.locator('rect.shade').count()).resolves.toBe(1);
    // Ticks on both sides: the right axis reads instances, the left milliseconds.
    const titles = await svg.locator('text.axis-title').allTextContents();
    expect(titles).toEqual(['ms', 'instances', 'minute (min)']);
    expect(await latency.locator('.chart-legend li').allTextContents()).toEqual([
      'latency p95 (ms, left axis)',
      'instances in service (instances, right axis)',
      'latency goal: 200 ms',
      'over the goal',
    ]);
    // The numbers behind the chart, one row per minute, once asked for.
    // The table is built when the details open (a toggle event after the click): waited for.
    await latency.locator('.figure-data summary').click();
    const data = latency.locator('.figure-data table');
    await expect.poll(() => data.locator('th').allTextContents()).toEqual(['minute (min)', 'latency p95 (ms)', 'instances in service (instances)']);
    await expect.poll(() => data.locator('tbody tr').count()).toBe(1440);
    expect(await data.locator('tbody tr').nth(201).locator('td').allTextContents()).toEqual(['201', '', '2']);
    await page.context().close();
  });

  it('lists events in order, each status a mark with its word for screen readers', async () => {
    const page = await open({ width: 900 });
    const events = page.locator('[data-check="glue-retry"] ol.event-list > li');
    await expect(events.count()).resolves.toBe(8);
    // What a screen reader reads: the status in words, when, what, and the detail.
    await expect(events.nth(3).textContent()).resolves.toBe('✗failed: 0.5 s TaskFailed FeatureEngineeringGlue.ThrottlingException: Rate exceeded');
    await expect(events.nth(3).locator('.event-mark').getAttribute('aria-hidden')).resolves.toBe('true');
    await expect(events.nth(4).locator('.visually-hidden').textContent()).resolves.toBe('warning: ');
    await expect(events.nth(7).locator('.event-label').textContent()).resolves.toBe('ExecutionSucceeded');
    await expect(events.nth(7).locator('.event-at').count()).resolves.toBe(0);
    await page.context().close();
  });

  it('fits a phone: nothing wider than the screen, the chart drawn at the width it has', async () => {
    const page = await open({ width: 390 });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBe(0);
    const widths = await page.locator('.chart-box svg').evaluateAll((nodes) => nodes.map((n) => Number(n.getAttribute('width'))));
    for (const width of widths) expect(width).toBeLessThan(360);
    await page.screenshot({ path: join(SHOTS, 'figures-phone-light.png'), fullPage: true });
    await page.locator('figure[data-kind="series"]').nth(1).screenshot({ path: join(SHOTS, 'chart-phone-light.png') });
    await page.context().close();
    const dark = await open({ width: 390, dark: true });
    await dark.screenshot({ path: join(SHOTS, 'figures-phone-dark.png'), fullPage: true });
    await dark.context().close();
  });

  it('screenshots, wide, light and dark', async () => {
    for (const dark of [false, true]) {
      const page = await open({ width: 900, dark });
      await page.screenshot({ path: join(SHOTS, `figures-wide-${dark ? 'dark' : 'light'}.png`), fullPage: true });
      await page.context().close();
    }
  });
});
