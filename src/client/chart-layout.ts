// Where everything of a series chart goes, for a given width in CSS pixels: the plot area, the
// ticks of the x axis and of one or two y axes, each series as an SVG path (broken at gaps), the
// reference lines and the shaded ranges. Pure: figures-view.ts turns it into SVG elements.

import { formatNumber, lineValue, xAt } from '../../grader/figure-reading.ts';
import type { Axis, SeriesFigure } from '../../grader/report.ts';

export interface Tick {
  value: number;
  /** Position in pixels along its axis (x from the left, y from the top). */
  at: number;
  label: string;
}

export interface ChartLayout {
  width: number;
  height: number;
  plot: { left: number; top: number; right: number; bottom: number };
  xTicks: Tick[];
  /** Ticks of the left axis, and of the right one when a series uses it. */
  yTicks: Record<Axis, Tick[]>;
  /** Each axis' units, as its title: 'requests/min', 'ms · instances'. */
  axisTitles: Record<Axis, string>;
  /** One SVG path per series, in the figure's order ('' when it has no values). */
  paths: string[];
  lines: { y: number; label: string }[];
  ranges: { x: number; width: number; label: string }[];
}

/** Average width of a tick label's character at the chart's font size, in pixels. */
const CHAR = 6.6;
const FONT_GAP = 8;

/** 1, 2, 5 × 10^k; for times in minutes or seconds, multiples of 60 past the first minute. */
function stepCandidates(span: number, unit: string | undefined): number[] {
  const steps: number[] = [];
  const top = Math.max(1e-9, span);
  for (let power = Math.floor(Math.log10(top)) - 2; power <= Math.ceil(Math.log10(top)); power++) {
    for (const m of [1, 2, 5]) steps.push(m * 10 ** power);
  }
  if (unit !== 'min' && unit !== 's') return steps;
  return [...steps.filter((s) => s < 60), 15, 30, 60, 120, 180, 240, 360, 480, 720, 1440, ...steps.filter((s) => s > 1440)].sort((a, b) => a - b);
}

/** Round-number ticks covering [min, max], at most about `count` of them. */
export function niceTicks(min: number, max: number, count: number, unit?: string): number[] {
  if (!(max > min)) {
    const pad = min === 0 ? 1 : Math.abs(min) * 0.1;
    return niceTicks(min - (min === 0 ? 0 : pad), max + pad, count, unit);
  }
  const span = max - min;
  const step = stepCandidates(span, unit).find((s) => span / s <= Math.max(1, count)) ?? span;
  const ticks: number[] = [];
  const first = Math.floor(min / step + 1e-9) * step;
  for (let v = first; v < max + step - 1e-9 * step; v += step) ticks.push(Number(v.toPrecision(12)));
  return ticks;
}

/** Tick labels of one axis, short and alike: 0, 500, 1,000 — or 0, 5k, 10k, 15k — or 0, 1.5M, 3M. */
export function tickLabels(values: readonly number[]): string[] {
  const top = Math.max(0, ...values.map(Math.abs));
  const [divisor, suffix] = top >= 1e6 ? [1e6, 'M'] : top >= 1e4 ? [1e3, 'k'] : [1, ''];
  return values.map((v) => (v === 0 ? '0' : `${formatNumber(Number((v / divisor).toPrecision(6)))}${suffix}`));
}

/** An SVG path through the points, a new subpath after every gap; a lone point is a dot. */
export function seriesPath(values: readonly (number | null)[], x: (i: number) => number, y: (v: number) => number): string {
  const parts: string[] = [];
  let open = false;
  values.forEach((value, i) => {
    if (value === null) {
      open = false;
      return;
    }
    const next = values[i + 1];
    const point = `${x(i).toFixed(1)} ${y(value).toFixed(1)}`;
    if (open) parts.push(`L${point}`);
    // 'h0' with round caps draws a dot: a value between two gaps still shows.
    else parts.push(next === null || next === undefined ? `M${point}h0` : `M${point}`);
    open = true;
  });
  return parts.join('');
}

const unique = (items: readonly string[]) => [...new Set(items.filter(Boolean))];

export function chartLayout(figure: SeriesFigure, width: number): ChartLayout {
  const height = Math.round(Math.min(280, Math.max(190, width * 0.42)));
  const points = Math.max(1, ...figure.series.map((s) => s.values.length));
  const hasRight = figure.series.some((s) => s.axis === 'right');

  const domain = (axis: Axis) => {
    const values = figure.series.filter((s) => s.axis === axis).flatMap((s) => s.values.filter((v): v is number => v !== null));
    values.push(...(figure.lines ?? []).filter((l) => l.axis === axis).map((l) => l.value));
    if (!values.length) return { min: 0, max: 1 };
    // Quantities start at 0, so a chart never exaggerates a small change.
    return { min: Math.min(0, ...values), max: Math.max(0, ...values) };
  };
  const plotHeightGuess = height - 54;
  const yCount = Math.max(2, Math.floor(plotHeightGuess / 38));
  const leftDomain = domain('left');
  const rightDomain = domain('right');
  const leftValues = niceTicks(leftDomain.min, leftDomain.max, yCount);
  const rightValues = hasRight ? niceTicks(rightDomain.min, rightDomain.max, yCount) : [];
  const labelWidth = (values: number[]) => Math.max(0, ...tickLabels(values).map((label) => label.length)) * CHAR;

  const plot = {
    left: Math.round(labelWidth(leftValues) + FONT_GAP + 4),
    top: 22,
    right: Math.round(width - (hasRight ? labelWidth(rightValues) + FONT_GAP + 4 : 14)),
    bottom: height - 36,
  };
  const yScale = (values: number[]) => {
    const lo = values[0]!;
    const hi = values[values.length - 1]!;
    return (v: number) => plot.bottom - ((v - lo) / (hi - lo || 1)) * (plot.bottom - plot.top);
  };
  const yLeft = yScale(leftValues);
  const yRight = hasRight ? yScale(rightValues) : yLeft;
  const yOf = (axis: Axis) => (axis === 'right' ? yRight : yLeft);

  const x0 = figure.x.start;
  const x1 = xAt(figure, points - 1);
  const xScale = (v: number) => plot.left + ((v - x0) / (x1 - x0 || 1)) * (plot.right - plot.left);
  const xCount = Math.max(2, Math.floor((plot.right - plot.left) / 56));
  const xValues = niceTicks(x0, x1, xCount, figure.x.unit).filter((v) => v >= x0 - 1e-9 && v <= x1 + 1e-9);

  const ticks = (values: number[], at: (v: number) => number) => {
    const labels = tickLabels(values);
    return values.map((value, i) => ({ value, at: at(value), label: labels[i]! }));
  };
  const title = (axis: Axis) => unique(figure.series.filter((s) => s.axis === axis).map((s) => s.unit)).join(' · ');
  const clampX = (v: number) => Math.min(plot.right, Math.max(plot.left, xScale(v)));

  return {
    width,
    height,
    plot,
    xTicks: ticks(xValues, xScale),
    yTicks: { left: ticks(leftValues, yLeft), right: ticks(rightValues, yRight) },
    axisTitles: { left: title('left'), right: title('right') },
    paths: figure.series.map((s) => seriesPath(s.values, (i) => xScale(xAt(figure, i)), yOf(s.axis))),
    lines: (figure.lines ?? []).map((l) => ({ y: yOf(l.axis)(l.value), label: `${l.label} ${lineValue(figure, l)}` })),
    ranges: (figure.ranges ?? [])
      .map((r) => ({ x: clampX(r.from), width: clampX(r.to) - clampX(r.from), label: r.label }))
      .filter((r) => r.width > 0),
  };
}
