// Figures a check shows with its result (ctx.show): a table, values over a regular x axis, or
// an ordered list of events. A check writes a FigureSpec; the runtime turns it into the report's
// Figure here, at once: a copy of plain data (so nothing the check or the learner's code holds
// can change it afterwards), strings cleaned and clipped, and everything over a cap cut with a
// sentence that says what was left out. The caps keep a report small whatever a buggy check
// draws; they are published in grader/report.schema.json too.
//
// A mistake in the figure's structure (no title, a row with too many cells, a line on an axis
// with no series) is the check author's, and throws a FigureError that names it. Values
// are forgiving, because they often come from the learner's code: any cell becomes text or a
// number, and anything in a series that is not a finite number is a gap.

import type {
  Alignment,
  Axis,
  EventStatus,
  EventsFigure,
  Figure,
  FigureEvent,
  ReferenceLine,
  Series,
  SeriesFigure,
  ShadedRange,
  TableCell,
  TableColumn,
  TableFigure,
} from './report.ts';

export const FIGURE_CAPS = {
  figuresPerCheck: 6,
  /** Characters of a title; of a caption or an event's detail; of any other text (cells, labels, names). */
  title: 120,
  caption: 600,
  text: 200,
  columns: 12,
  rows: 100,
  series: 6,
  pointsPerSeries: 2000,
  lines: 6,
  ranges: 100,
  events: 200,
} as const;

/** Of a long event list, the first this many and the last (FIGURE_CAPS.events − this − 1) are kept. */
const EVENTS_HEAD = 150;

// ----- what a check writes --------------------------------------------------------------------

export interface TableSpec {
  kind: 'table';
  title: string;
  caption?: string;
  /** Header strings, or { label, unit?, align? } ('Duration' with unit 's' reads 'Duration (s)'). */
  columns: readonly (string | TableColumn)[];
  /** One cell per column: text, a number (shown as 1,440) or null (empty). */
  rows: readonly (readonly TableCell[])[];
}

export interface SeriesSpec {
  kind: 'series';
  title: string;
  caption?: string;
  /** Point i of every series is at x = start + i × step (defaults 0 and 1). */
  x: { label: string; unit?: string; start?: number; step?: number };
  series: readonly {
    name: string;
    /** 'ms', 'requests/min'; '' when the values have none. */
    unit: string;
    /** Which y axis it is read against (default 'left'); a chart has at most two. */
    axis?: Axis;
    /** null, NaN, ±Infinity and non-numbers are gaps. */
    values: readonly (number | null)[];
  }[];
  /**
   * Horizontal lines: { label: 'latency goal', value: 200, series: 'latency p95' } is drawn on
   * that series' axis, and summaries count that series' points over it. Without `series`, the
   * line is on `axis` (default 'left') and about every series there.
   */
  lines?: readonly { label: string; value: number; series?: string; axis?: Axis }[];
  /** Shaded stretches [from, to) of the x axis, in x units; spansWhere() builds them from a series. */
  ranges?: readonly ShadedRange[];
}

export interface EventsSpec {
  kind: 'events';
  title: string;
  caption?: string;
  /** In order; status ok | fail | info | warn marks each. */
  events: readonly FigureEvent[];
}

export type FigureSpec = TableSpec | SeriesSpec | EventsSpec;

// ----- normalising ----------------------------------------------------------------------------

/** A figure a check cannot show as written: the check author's mistake, named. */
export class FigureError extends Error {
  override name = 'FigureError';
}

const ALIGNMENTS: readonly Alignment[] = ['left', 'right', 'center'];
const AXES: readonly Axis[] = ['left', 'right'];
const STATUSES: readonly EventStatus[] = ['ok', 'fail', 'info', 'warn'];

const n = (value: number) => value.toLocaleString('en-US');

/** One line of text: control characters gone, runs of white space one space, at most `max` characters. */
export function cleanText(text: string, max: number): string {
  let clean = text.replace(/[\u0000-\u001f\u007f-\u009f\s]+/g, ' ').trim();
  if (clean.length > max) {
    clean = clean.slice(0, max - 1);
    // Never leave half of a surrogate pair at the cut.
    if (/[\ud800-\udbff]$/.test(clean)) clean = clean.slice(0, -1);
    clean += '…';
  }
  return clean;
}

/** Anything as text for a figure: strings as they are, other values as a person would read them. */
function asText(value: unknown, max: number): string {
  if (typeof value === 'string') return cleanText(value, max);
  try {
    if (value === undefined || value === null) return '';
    if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
    if (typeof value === 'symbol') return value.toString();
    if (typeof value === 'function') return value.name ? `the function ${value.name}` : 'a function';
    return cleanText(JSON.stringify(value) ?? String(value), max);
  } catch {
    return '[unreadable]';
  }
}

function cell(value: unknown): TableCell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  return asText(value, FIGURE_CAPS.text);
}

/** Series values past 6 significant digits are noise on a chart and bulk in a report. */
function point(value: unknown): number | null {
  if (typeof value !== 'number' || !Number.isFinite(value)) return null;
  if (Number.isInteger(value) || Math.abs(value) >= 1e5) return Math.round(value);
  return Number(value.toPrecision(6));
}

/** Reads a spec defensively: a getter or proxy that throws is the spec's problem, said once. */
class SpecReader {
  readonly #what: string;
  constructor(what: string) {
    this.#what = what;
  }

  fail(problem: string): never {
    throw new FigureError(`show(): ${this.#what} ${problem}`);
  }

  object(value: unknown, what: string): Record<string, unknown> {
    if (!value || typeof value !== 'object') this.fail(`needs ${what} as an object; it got ${asText(value, 40) || String(value)}.`);
    return value as Record<string, unknown>;
  }

  array(value: unknown, what: string): unknown[] {
    if (!Array.isArray(value)) this.fail(`needs ${what} as an array; it got ${value === undefined ? 'nothing' : typeof value}.`);
    return value;
  }

  text(value: unknown, what: string, max: number): string {
    if (value === undefined || value === null) this.fail(`needs ${what}.`);
    return asText(value, max);
  }

  optionalText(value: unknown, max: number): string | undefined {
    if (value === undefined || value === null) return undefined;
    const text = asText(value, max);
    return text ? text : undefined;
  }

  number(value: unknown, what: string): number {
    if (typeof value !== 'number' || !Number.isFinite(value)) this.fail(`needs ${what} as a finite number; it got ${asText(value, 40) || String(value)}.`);
    return value;
  }

  oneOf<T extends string>(value: unknown, allowed: readonly T[], what: string, fallback: T): T {
    if (value === undefined) return fallback;
    if (!allowed.includes(value as T)) this.fail(`has ${what} ${asText(value, 40)}; use ${allowed.map((a) => `'${a}'`).join(', ')}.`);
    return value as T;
  }
}

function common(spec: Record<string, unknown>, reader: SpecReader): { title: string; caption?: string } {
  const title = reader.text(spec.title, 'a title', FIGURE_CAPS.title);
  const caption = reader.optionalText(spec.caption, FIGURE_CAPS.caption);
  return caption ? { title, caption } : { title };
}

function table(spec: Record<string, unknown>, reader: SpecReader, cuts: string[]): TableFigure {
  const allColumns = reader.array(spec.columns, 'columns');
  if (!allColumns.length) reader.fail('needs at least one column.');
  const columns: TableColumn[] = allColumns.slice(0, FIGURE_CAPS.columns).map((raw, i) => {
    if (typeof raw === 'string') return { label: cleanText(raw, FIGURE_CAPS.text) };
    const c = reader.object(raw, `column ${i + 1}`);
    const column: TableColumn = { label: reader.text(c.label, `a label for column ${i + 1}`, FIGURE_CAPS.text) };
    const unit = reader.optionalText(c.unit, FIGURE_CAPS.text);
    if (unit) column.unit = unit;
    if (c.align !== undefined) column.align = reader.oneOf(c.align, ALIGNMENTS, `column ${i + 1} aligned`, 'left');
    return column;
  });
  if (allColumns.length > columns.length) cuts.push(`the first ${n(columns.length)} of ${n(allColumns.length)} columns`);
  const allRows = reader.array(spec.rows, 'rows');
  const rows = allRows.slice(0, FIGURE_CAPS.rows).map((raw, i) => {
    const cells = reader.array(raw, `row ${i + 1}`);
    if (cells.length !== allColumns.length) {
      reader.fail(`has ${cells.length === 1 ? '1 cell' : `${n(cells.length)} cells`} in row ${i + 1} for ${n(allColumns.length)} columns: give every row one cell per column (null for an empty one).`);
    }
    return cells.slice(0, columns.length).map(cell);
  });
  if (allRows.length > rows.length) cuts.push(`the first ${n(rows.length)} of ${n(allRows.length)} rows`);
  return { kind: 'table', ...common(spec, reader), columns, rows };
}

function series(spec: Record<string, unknown>, reader: SpecReader, cuts: string[]): SeriesFigure {
  const x = reader.object(spec.x, 'an x axis ({ label, unit?, start?, step? })');
  const axis: SeriesFigure['x'] = {
    label: reader.text(x.label, 'a label for the x axis', FIGURE_CAPS.text),
    start: x.start === undefined ? 0 : reader.number(x.start, 'x.start'),
    step: x.step === undefined ? 1 : reader.number(x.step, 'x.step'),
  };
  if (!(axis.step > 0)) reader.fail(`needs x.step above 0; it got ${axis.step}.`);
  const unit = reader.optionalText(x.unit, FIGURE_CAPS.text);
  if (unit) axis.unit = unit;

  const allSeries = reader.array(spec.series, 'series');
  if (!allSeries.length) reader.fail('needs at least one series.');
  let longest = 0;
  const names = new Set<string>();
  const kept: Series[] = allSeries.slice(0, FIGURE_CAPS.series).map((raw, i) => {
    const s = reader.object(raw, `series ${i + 1}`);
    const name = reader.text(s.name, `a name for series ${i + 1}`, FIGURE_CAPS.text);
    if (names.has(name)) reader.fail(`has two series named '${name}': name each series differently (the legend and the lines tell them apart by name).`);
    names.add(name);
    if (typeof s.unit !== 'string') reader.fail(`needs a unit for the series '${name}' ('ms', 'requests/min'; '' when it has none).`);
    const values = reader.array(s.values, `values for the series '${name}'`);
    longest = Math.max(longest, values.length);
    return {
      name,
      unit: cleanText(s.unit, FIGURE_CAPS.text),
      axis: reader.oneOf(s.axis, AXES, `the series '${name}' on the axis`, 'left'),
      values: values.slice(0, FIGURE_CAPS.pointsPerSeries).map(point),
    };
  });
  if (allSeries.length > kept.length) cuts.push(`the first ${n(kept.length)} of ${n(allSeries.length)} series`);
  if (longest > FIGURE_CAPS.pointsPerSeries) cuts.push(`the first ${n(FIGURE_CAPS.pointsPerSeries)} of ${n(longest)} points`);
  const figure: SeriesFigure = { kind: 'series', ...common(spec, reader), x: axis, series: kept };

  if (spec.lines !== undefined) {
    const allLines = reader.array(spec.lines, 'lines');
    const lines: ReferenceLine[] = allLines.slice(0, FIGURE_CAPS.lines).map((raw, i) => {
      const l = reader.object(raw, `line ${i + 1}`);
      const label = reader.text(l.label, `a label for line ${i + 1}`, FIGURE_CAPS.text);
      const value = reader.number(l.value, `a value for the line '${label}'`);
      if (l.series !== undefined) {
        const name = asText(l.series, FIGURE_CAPS.text);
        const owner = kept.find((s) => s.name === name);
        if (!owner) reader.fail(`draws the line '${label}' for the series '${name}', which it does not have: name one of ${kept.map((s) => `'${s.name}'`).join(', ')}.`);
        if (l.axis !== undefined && l.axis !== owner.axis) reader.fail(`draws the line '${label}' on the ${String(l.axis)} axis, but its series '${name}' is on the ${owner.axis}: leave the axis out.`);
        return { label, value, axis: owner.axis, series: name };
      }
      const lineAxis = reader.oneOf(l.axis, AXES, `the line '${label}' on the axis`, 'left');
      if (!kept.some((s) => s.axis === lineAxis)) reader.fail(`draws the line '${label}' on the ${lineAxis} axis, where no series is: give it the series it belongs to.`);
      return { label, value, axis: lineAxis };
    });
    if (allLines.length > lines.length) cuts.push(`the first ${n(lines.length)} of ${n(allLines.length)} lines`);
    if (lines.length) figure.lines = lines;
  }
  if (spec.ranges !== undefined) {
    const allRanges = reader.array(spec.ranges, 'ranges');
    const ranges: ShadedRange[] = allRanges.slice(0, FIGURE_CAPS.ranges).map((raw, i) => {
      const r = reader.object(raw, `range ${i + 1}`);
      const from = reader.number(r.from, `range ${i + 1}'s from`);
      const to = reader.number(r.to, `range ${i + 1}'s to`);
      if (!(to > from)) reader.fail(`has range ${i + 1} from ${from} to ${to}: a range ends after it starts.`);
      return { label: reader.text(r.label, `a label for range ${i + 1}`, FIGURE_CAPS.text), from, to };
    });
    if (allRanges.length > ranges.length) cuts.push(`the first ${n(ranges.length)} of ${n(allRanges.length)} shaded ranges`);
    if (ranges.length) figure.ranges = ranges;
  }
  return figure;
}

function events(spec: Record<string, unknown>, reader: SpecReader, cuts: string[]): EventsFigure {
  const all = reader.array(spec.events, 'events');
  const event = (raw: unknown, i: number): FigureEvent => {
    const e = reader.object(raw, `event ${i + 1}`);
    const out: FigureEvent = { label: reader.text(e.label, `a label for event ${i + 1}`, FIGURE_CAPS.text) };
    const at = reader.optionalText(e.at, FIGURE_CAPS.text);
    if (at) out.at = at;
    if (e.status !== undefined) out.status = reader.oneOf(e.status, STATUSES, `event ${i + 1} with the status`, 'info');
    const detail = reader.optionalText(e.detail, FIGURE_CAPS.caption);
    if (detail) out.detail = detail;
    return out;
  };
  if (all.length <= FIGURE_CAPS.events) return { kind: 'events', ...common(spec, reader), events: all.map(event) };
  // How a run ended matters as much as how it began: keep both ends, and say where the gap is.
  const tail = FIGURE_CAPS.events - EVENTS_HEAD - 1;
  const left = all.length - EVENTS_HEAD - tail;
  cuts.push(`events ${n(EVENTS_HEAD + 1)}–${n(EVENTS_HEAD + left)} of ${n(all.length)}`);
  return {
    kind: 'events',
    ...common(spec, reader),
    events: [
      ...all.slice(0, EVENTS_HEAD).map(event),
      { label: `… ${n(left)} events left out`, status: 'info' },
      ...all.slice(-tail).map((raw, i) => event(raw, all.length - tail + i)),
    ],
  };
}

/**
 * The report's Figure for what a check showed: plain data, cleaned, capped (saying what was
 * cut). Throws a FigureError naming the mistake when the spec is malformed.
 */
export function figureFromSpec(spec: FigureSpec): Figure {
  const raw = spec as unknown as Record<string, unknown>;
  let kind: unknown;
  let title = '';
  try {
    if (!raw || typeof raw !== 'object') throw new TypeError('not an object');
    kind = raw.kind;
    if (typeof raw.title === 'string') title = ` '${cleanText(raw.title, 60)}'`;
  } catch {
    throw new FigureError(`show() takes a figure { kind: 'table' | 'series' | 'events', title, … }; it got ${asText(spec, 40) || String(spec)}.`);
  }
  const reader = new SpecReader(kind === 'table' || kind === 'series' || kind === 'events' ? `the ${kind}${title}` : `the figure${title}`);
  const cuts: string[] = [];
  let figure: Figure;
  try {
    if (kind === 'table') figure = table(raw, reader, cuts);
    else if (kind === 'series') figure = series(raw, reader, cuts);
    else if (kind === 'events') figure = events(raw, reader, cuts);
    else return reader.fail(`has kind ${asText(kind, 40) || String(kind)}; use 'table', 'series' or 'events'.`);
  } catch (error) {
    if (error instanceof FigureError) throw error;
    return reader.fail(`could not be read: ${asText(error instanceof Error ? error.message : error, 120)}.`);
  }
  if (cuts.length) figure.cut = `Cut to keep the report small: shows ${cuts.join('; ')}.`;
  return figure;
}

/**
 * The stretches of x where `test` holds for a series' values, as shaded ranges: each value
 * covers [x, x + step). `spansWhere(latency, (ms) => ms > 200, { label: 'over the goal' })`.
 * Gaps (null) end a stretch.
 */
export function spansWhere(
  values: readonly (number | null)[],
  test: (value: number) => boolean,
  options: { label: string; start?: number; step?: number },
): ShadedRange[] {
  const { label, start = 0, step = 1 } = options;
  const spans: ShadedRange[] = [];
  let from: number | undefined;
  values.forEach((value, i) => {
    const inside = value !== null && Number.isFinite(value) && test(value);
    if (inside && from === undefined) from = start + i * step;
    if (!inside && from !== undefined) {
      spans.push({ label, from, to: start + i * step });
      from = undefined;
    }
  });
  if (from !== undefined) spans.push({ label, from, to: start + values.length * step });
  return spans;
}
