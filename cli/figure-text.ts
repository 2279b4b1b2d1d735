// Figures in a terminal: a table as aligned columns, events as a numbered list, and a chart —
// which a terminal cannot draw — as the summary of grader/figure-reading.ts. Also the short form
// that JUnit and Gradescope carry in their output fields.

import { EVENT_MARK, columnAlignment, columnHeading, formatCell, seriesSummary } from '../grader/figure-reading.ts';
import type { Alignment, EventsFigure, Figure, TableFigure } from '../grader/report.ts';
import { wrap } from './text-wrap.ts';

export interface FigureTextOptions {
  /** Show at most this many table rows and events (default: all the report holds). */
  maxRows?: number;
  /** Widest a table column may be, in characters (default 40). */
  maxColumnWidth?: number;
  /** Wrap text (not tables) to this many characters, indent included (default 100). */
  width?: number;
  /** Put before every line (default none). */
  indent?: string;
}

/** Width on a terminal: characters, counting a surrogate pair once. */
const width = (text: string) => [...text].length;

function fit(text: string, max: number): string {
  const chars = [...text];
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : text;
}

function pad(text: string, size: number, align: Alignment): string {
  const room = size - width(text);
  if (room <= 0) return text;
  if (align === 'right') return ' '.repeat(room) + text;
  if (align === 'center') return ' '.repeat(Math.floor(room / 2)) + text + ' '.repeat(Math.ceil(room / 2));
  return text + ' '.repeat(room);
}

function tableLines(table: TableFigure, options: FigureTextOptions): string[] {
  const maxWidth = options.maxColumnWidth ?? 40;
  const rows = table.rows.slice(0, options.maxRows ?? table.rows.length);
  const header = table.columns.map((c) => fit(columnHeading(c), maxWidth));
  const body = rows.map((row) => row.map((cell) => fit(formatCell(cell), maxWidth)));
  const sizes = header.map((h, i) => Math.max(width(h), ...body.map((r) => width(r[i] ?? ''))));
  const aligns = table.columns.map((_, i) => columnAlignment(table, i));
  const line = (cells: string[]) => cells.map((c, i) => pad(c, sizes[i]!, aligns[i]!)).join('  ').trimEnd();
  const lines = [line(header), sizes.map((s) => '─'.repeat(s)).join('  '), ...body.map(line)];
  if (!table.rows.length) lines.push('(no rows)');
  if (rows.length < table.rows.length) lines.push(`… ${(table.rows.length - rows.length).toLocaleString('en-US')} more rows in the JSON report`);
  return lines;
}

function eventLines(figure: EventsFigure, options: FigureTextOptions, indent: string, width: number): string[] {
  const events = figure.events.slice(0, options.maxRows ?? figure.events.length);
  const digits = String(events.length).length;
  // Wrapped lines of an event line up under its label, after the number and the mark.
  const hanging = `${indent}${' '.repeat(digits + 4)}`;
  const lines = events.map((event, i) => {
    const mark = event.status ? EVENT_MARK[event.status] : ' ';
    const at = event.at ? `[${event.at}] ` : '';
    const detail = event.detail ? ` — ${event.detail}` : '';
    return wrap(`${String(i + 1).padStart(digits)}. ${mark} ${at}${event.label}${detail}`, width - indent.length, indent, hanging);
  });
  if (!figure.events.length) lines.push(`${indent}(no events)`);
  if (events.length < figure.events.length) lines.push(`${indent}… ${(figure.events.length - events.length).toLocaleString('en-US')} more events in the JSON report`);
  return lines;
}

/** A figure as lines of text: its title, caption, body (tables never wrapped) and what was cut. */
export function figureText(figure: Figure, options: FigureTextOptions = {}): string[] {
  const indent = options.indent ?? '';
  const width = options.width ?? 100;
  const text = (line: string, lead = indent, hanging = lead) => wrap(line, width - lead.length, lead, hanging);
  const kind = figure.kind === 'series' ? 'Chart' : figure.kind === 'table' ? 'Table' : 'Events';
  const lines = [text(`${kind}: ${figure.title}`)];
  if (figure.caption) lines.push(text(figure.caption));
  const inner = `${indent}  `;
  if (figure.kind === 'table') lines.push(...tableLines(figure, options).map((line) => inner + line));
  else if (figure.kind === 'events') lines.push(...eventLines(figure, options, inner, width));
  else lines.push(...seriesSummary(figure).map((line) => text(line, inner, `${inner}  `)));
  if (figure.cut) lines.push(text(`(${figure.cut})`, inner));
  return lines;
}

/** Every figure of a check, short (20 rows or events each), for JUnit's and Gradescope's output. */
export function figuresShortText(figures: readonly Figure[] | undefined, omitted = 0): string {
  const blocks = (figures ?? []).map((f) => figureText(f, { maxRows: 20, maxColumnWidth: 30, width: 100 }).join('\n'));
  if (omitted) blocks.push(`(${omitted} more figure${omitted === 1 ? '' : 's'} left out)`);
  return blocks.join('\n\n');
}
