// How a figure reads in words, for whoever cannot see the chart: the terminal's text format, and
// the chart's description and data table on the lab page. Pure functions of a report's Figure.

import type { Alignment, EventStatus, ReferenceLine, SeriesFigure, TableColumn, TableFigure } from './report.ts';

/** 1,440 · 0.25 · 12.5 · 1,234.6: en-US grouping, decimals only where they say something. */
export function formatNumber(value: number): string {
  if (Number.isInteger(value)) return value.toLocaleString('en-US');
  const abs = Math.abs(value);
  return value.toLocaleString('en-US', { maximumFractionDigits: abs < 1 ? 4 : abs < 100 ? 2 : 1 });
}

/** 'Time (s)', or the label alone. */
export function columnHeading(column: Pick<TableColumn, 'label' | 'unit'>): string {
  return column.unit ? `${column.label} (${column.unit})` : column.label;
}

/** A column's alignment: as the check said, else right when every filled cell is a number. */
export function columnAlignment(table: TableFigure, index: number): Alignment {
  const given = table.columns[index]?.align;
  if (given) return given;
  const cells = table.rows.map((row) => row[index]).filter((c) => c !== null && c !== undefined);
  return cells.length && cells.every((c) => typeof c === 'number') ? 'right' : 'left';
}

export function formatCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  return typeof value === 'number' ? formatNumber(value) : value;
}

export const EVENT_MARK: Record<EventStatus, string> = { ok: '✓', fail: '✗', warn: '!', info: '·' };
export const EVENT_STATUS_TEXT: Record<EventStatus, string> = { ok: 'succeeded', fail: 'failed', warn: 'warning', info: 'info' };

const withUnit = (value: number, unit: string | undefined) => (unit ? `${formatNumber(value)} ${unit}` : formatNumber(value));

/** A reference line's value with the unit of what it is about: '200 ms'. */
export function lineValue(figure: Pick<SeriesFigure, 'series'>, line: ReferenceLine): string {
  const owner = figure.series.find((s) => (line.series === undefined ? s.axis === line.axis : s.name === line.series));
  return withUnit(line.value, owner?.unit);
}

/** The x value of point i. */
export function xAt(figure: Pick<SeriesFigure, 'x'>, i: number): number {
  // Rounded so 0.1-steps read 0.3, not 0.30000000000000004.
  return Number((figure.x.start + i * figure.x.step).toPrecision(12));
}

/** Runs of consecutive indexes as x values: 'minute 611–624, 900' (at most `max` runs). */
function xRuns(figure: SeriesFigure, indexes: readonly number[], max = 4): string {
  const runs: string[] = [];
  for (let k = 0; k < indexes.length; ) {
    let j = k;
    while (j + 1 < indexes.length && indexes[j + 1] === indexes[j]! + 1) j++;
    const from = formatNumber(xAt(figure, indexes[k]!));
    runs.push(j === k ? from : `${from}–${formatNumber(xAt(figure, indexes[j]!))}`);
    k = j + 1;
  }
  const shown = runs.length > max ? `${runs.slice(0, max).join(', ')} and ${runs.length - max} more` : runs.join(', ');
  return `${figure.x.label} ${shown}`;
}

/**
 * A chart in a few lines: the x axis; per series its range (and gaps); per reference line, for
 * each series on its axis, how many points lie over it and where; per shaded label, how much of
 * the axis it covers.
 *   'latency p95 (ms, left axis): 45 to 610; over latency goal (200 ms) in 14 of 1,440 points, at minute 611–624'
 */
export function seriesSummary(figure: SeriesFigure): string[] {
  const points = Math.max(0, ...figure.series.map((s) => s.values.length));
  const lines: string[] = [];
  const unitX = figure.x.unit;
  lines.push(
    points
      ? `${figure.x.label}: ${withUnit(xAt(figure, 0), unitX)} to ${withUnit(xAt(figure, points - 1), unitX)}, ${points.toLocaleString('en-US')} point${points === 1 ? '' : 's'}`
      : `${figure.x.label}: no points`,
  );
  const twoAxes = figure.series.some((s) => s.axis === 'right');
  for (const series of figure.series) {
    const filled = series.values.filter((v): v is number => v !== null);
    const where = [series.unit, twoAxes ? `${series.axis} axis` : ''].filter(Boolean).join(', ');
    let line = `${series.name}${where ? ` (${where})` : ''}: `;
    if (!filled.length) line += 'no values';
    else {
      line += `${formatNumber(Math.min(...filled))} to ${formatNumber(Math.max(...filled))}`;
      const gaps = series.values.length - filled.length;
      if (gaps) line += `, ${gaps.toLocaleString('en-US')} gap${gaps === 1 ? '' : 's'}`;
    }
    for (const reference of figure.lines ?? []) {
      const about = reference.series === undefined ? reference.axis === series.axis : reference.series === series.name;
      if (!about || !filled.length) continue;
      const over = series.values.flatMap((v, i) => (v !== null && v > reference.value ? [i] : []));
      const goal = `${reference.label} (${lineValue(figure, reference)})`;
      line += over.length
        ? `; over ${goal} in ${over.length.toLocaleString('en-US')} of ${series.values.length.toLocaleString('en-US')} points, at ${xRuns(figure, over)}`
        : `; never over ${goal}`;
    }
    lines.push(line);
  }
  const byLabel = new Map<string, { count: number; length: number }>();
  for (const range of figure.ranges ?? []) {
    const total = byLabel.get(range.label) ?? { count: 0, length: 0 };
    byLabel.set(range.label, { count: total.count + 1, length: total.length + (range.to - range.from) });
  }
  for (const [label, { count, length }] of byLabel) {
    lines.push(`shaded, ${label}: ${count.toLocaleString('en-US')} stretch${count === 1 ? '' : 'es'}, ${withUnit(Number(length.toPrecision(12)), unitX)} in all`);
  }
  return lines;
}
