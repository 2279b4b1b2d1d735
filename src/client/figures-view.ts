// The figures a check showed, under its message: a table as a table, a series as an SVG chart
// drawn here (two y axes, legend, reference lines, shaded ranges; its description and its data
// as a table for screen readers), events as an ordered list with status marks. Text only ever
// goes in as text: nothing of a report is parsed as HTML or SVG markup.

import { EVENT_MARK, EVENT_STATUS_TEXT, columnAlignment, columnHeading, formatCell, lineValue, seriesSummary, xAt } from '../../grader/figure-reading.ts';
import type { EventsFigure, Figure, SeriesFigure, TableFigure } from '../../grader/report.ts';
import { chartLayout } from './chart-layout.ts';

const SVG = 'http://www.w3.org/2000/svg';

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function svg<K extends keyof SVGElementTagNameMap>(tag: K, attributes: Record<string, string | number> = {}, text?: string): SVGElementTagNameMap[K] {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
  if (text !== undefined) node.textContent = text;
  return node;
}

function tableView(figure: TableFigure): HTMLElement {
  const table = el('table', 'figure-table');
  const aligns = figure.columns.map((_, i) => columnAlignment(figure, i));
  const head = el('tr');
  figure.columns.forEach((column, i) => {
    const th = el('th', `align-${aligns[i]}`, columnHeading(column));
    th.scope = 'col';
    head.append(th);
  });
  const body = el('tbody');
  for (const row of figure.rows) {
    const tr = el('tr');
    row.forEach((cell, i) => {
      const text = formatCell(cell);
      // Ids and short values stay on one line (the table scrolls); sentences wrap.
      tr.append(el('td', `align-${aligns[i]}${text.length <= 40 ? ' nowrap' : ''}`, text));
    });
    body.append(tr);
  }
  table.append(el('thead'), body);
  table.tHead!.append(head);
  const wrap = el('div', 'table-scroll');
  wrap.append(table);
  if (!figure.rows.length) wrap.append(el('p', 'muted', 'No rows.'));
  return wrap;
}

function eventsView(figure: EventsFigure): HTMLElement {
  const list = el('ol', 'event-list');
  for (const event of figure.events) {
    const item = el('li', `event event-${event.status ?? 'plain'}`);
    const mark = el('span', 'event-mark', event.status ? EVENT_MARK[event.status] : '');
    mark.setAttribute('aria-hidden', 'true');
    item.append(mark);
    if (event.status) item.append(el('span', 'visually-hidden', `${EVENT_STATUS_TEXT[event.status]}: `));
    if (event.at) item.append(el('span', 'event-at', event.at), ' ');
    item.append(el('span', 'event-label', event.label));
    if (event.detail) item.append(el('span', 'event-detail', event.detail));
    list.append(item);
  }
  if (!figure.events.length) list.append(el('li', 'muted', 'No events.'));
  return list;
}

/** The chart's numbers as a table, built when first opened (a day is 1,440 rows). */
function dataTable(figure: SeriesFigure): HTMLDetailsElement {
  const details = el('details', 'figure-data');
  details.append(el('summary', undefined, 'The data as a table'));
  details.addEventListener(
    'toggle',
    () => {
      const columns = [
        { label: figure.x.label, unit: figure.x.unit },
        ...figure.series.map((s) => ({ label: s.name, unit: s.unit })),
      ];
      const points = Math.max(0, ...figure.series.map((s) => s.values.length));
      const rows = Array.from({ length: points }, (_, i) => [xAt(figure, i), ...figure.series.map((s) => s.values[i] ?? null)]);
      details.append(tableView({ kind: 'table', title: figure.title, columns: columns.map((c) => (c.unit ? c : { label: c.label })), rows }));
    },
    { once: true },
  );
  return details;
}

function legend(figure: SeriesFigure): HTMLElement {
  const list = el('ul', 'chart-legend');
  const twoAxes = figure.series.some((s) => s.axis === 'right');
  const item = (swatch: string, text: string) => {
    const li = el('li');
    const mark = el('span', `swatch ${swatch}`);
    mark.setAttribute('aria-hidden', 'true');
    li.append(mark, text);
    list.append(li);
  };
  figure.series.forEach((s, i) => {
    const where = [s.unit, twoAxes ? `${s.axis} axis` : ''].filter(Boolean).join(', ');
    item(`series-${i + 1}`, where ? `${s.name} (${where})` : s.name);
  });
  for (const line of figure.lines ?? []) item('reference', `${line.label}: ${lineValue(figure, line)}`);
  const labels = [...new Set((figure.ranges ?? []).map((r) => r.label))];
  labels.forEach((label, i) => item(`shade-${(i % 3) + 1}`, label));
  return list;
}

/** The chart itself at `width` pixels. */
export function chartSvg(figure: SeriesFigure, width: number): SVGSVGElement {
  const layout = chartLayout(figure, width);
  const { plot } = layout;
  const root = svg('svg', { class: 'chart', width: layout.width, height: layout.height, viewBox: `0 0 ${layout.width} ${layout.height}`, role: 'img' });
  root.append(svg('title', {}, figure.title), svg('desc', {}, seriesSummary(figure).join('. ')));
  const shadeLabels = [...new Set(layout.ranges.map((r) => r.label))];
  for (const range of layout.ranges) {
    const shade = svg('rect', { class: `shade shade-${(shadeLabels.indexOf(range.label) % 3) + 1}`, x: range.x, y: plot.top, width: Math.max(1, range.width), height: plot.bottom - plot.top });
    root.append(shade);
  }
  for (const tick of layout.yTicks.left) {
    root.append(svg('line', { class: 'grid', x1: plot.left, x2: plot.right, y1: tick.at, y2: tick.at }));
    root.append(svg('text', { class: 'tick', x: plot.left - 6, y: tick.at, 'text-anchor': 'end', 'dominant-baseline': 'middle' }, tick.label));
  }
  for (const tick of layout.yTicks.right) {
    root.append(svg('text', { class: 'tick', x: plot.right + 6, y: tick.at, 'dominant-baseline': 'middle' }, tick.label));
  }
  for (const tick of layout.xTicks) {
    root.append(svg('line', { class: 'axis', x1: tick.at, x2: tick.at, y1: plot.bottom, y2: plot.bottom + 4 }));
    root.append(svg('text', { class: 'tick', x: tick.at, y: plot.bottom + 16, 'text-anchor': 'middle' }, tick.label));
  }
  root.append(svg('line', { class: 'axis', x1: plot.left, x2: plot.right, y1: plot.bottom, y2: plot.bottom }));
  // Each axis' units above its tick labels, flush with the chart's edges.
  root.append(svg('text', { class: 'axis-title', x: 0, y: 12, 'text-anchor': 'start' }, layout.axisTitles.left));
  if (layout.axisTitles.right) root.append(svg('text', { class: 'axis-title', x: layout.width, y: 12, 'text-anchor': 'end' }, layout.axisTitles.right));
  const xTitle = figure.x.unit ? `${figure.x.label} (${figure.x.unit})` : figure.x.label;
  root.append(svg('text', { class: 'axis-title', x: (plot.left + plot.right) / 2, y: layout.height - 4, 'text-anchor': 'middle' }, xTitle));
  layout.paths.forEach((d, i) => {
    if (d) root.append(svg('path', { class: `line series-${i + 1}`, d }));
  });
  for (const line of layout.lines) {
    root.append(svg('line', { class: 'reference', x1: plot.left, x2: plot.right, y1: line.y, y2: line.y }));
    root.append(svg('text', { class: 'reference-label', x: plot.right - 4, y: line.y - 5, 'text-anchor': 'end' }, line.label));
  }
  return root;
}

/** The chart, redrawn at the width it is given (a phone, a wide panel, a panel shown later). */
function seriesView(figure: SeriesFigure): HTMLElement {
  const box = el('div', 'chart-box');
  let drawnAt = 0;
  const draw = (width: number) => {
    const rounded = Math.round(width);
    if (Math.abs(rounded - drawnAt) < 8) return;
    drawnAt = rounded;
    box.replaceChildren(chartSvg(figure, rounded));
  };
  draw(560);
  if (typeof ResizeObserver === 'function') {
    const observer = new ResizeObserver((entries) => {
      // A row re-filled with a newer result drops this box: stop watching it.
      if (!box.isConnected) return observer.disconnect();
      const width = entries[0]?.contentRect.width ?? 0;
      if (width > 0) draw(width);
    });
    observer.observe(box);
  }
  const wrap = el('div', 'figure-chart');
  wrap.append(legend(figure), box, dataTable(figure));
  return wrap;
}

/** Every figure of a check, in the order the check showed them. */
export function figuresView(figures: readonly Figure[], omitted = 0): HTMLElement {
  const wrap = el('div', 'figures');
  for (const figure of figures) {
    const node = el('figure', 'figure');
    node.dataset.kind = figure.kind;
    node.append(el('figcaption', 'figure-title', figure.title));
    if (figure.caption) node.append(el('p', 'figure-caption', figure.caption));
    node.append(figure.kind === 'table' ? tableView(figure) : figure.kind === 'events' ? eventsView(figure) : seriesView(figure));
    if (figure.cut) node.append(el('p', 'figure-cut muted', figure.cut));
    wrap.append(node);
  }
  if (omitted) wrap.append(el('p', 'muted', `${omitted} more figure${omitted === 1 ? '' : 's'} left out (a check shows at most 6).`));
  return wrap;
}
