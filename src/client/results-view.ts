// The results panel: checks grouped by step, each with its status in words and a symbol (never
// colour alone), the message, the figures the check showed (figures-view.ts), and what the code
// did: the AWS calls it made and the fake world afterwards (S3 keys as a folder tree). Results fill in live as checks finish. Only DOM
// building here; nothing learner-controlled is ever parsed as HTML.

import type { CheckInfo, CheckResult, CheckStatus, Report, TraceEntry } from '../../grader/report.ts';
import { figuresView } from './figures-view.ts';
import { keyTree } from './key-tree.ts';
import type { KeyFolder } from './key-tree.ts';
import { stepsDone } from './progress.ts';
import { LOCATION, responseSummary, traceResponse, traceSummary } from './trace-summary.ts';

// 'unfinished': the check met the starter's "Not implemented yet" — a step not started, not a mistake.
type RowStatus = CheckStatus | 'unfinished' | 'pending' | 'running' | 'not-run';

const STATUS_TEXT: Record<RowStatus, string> = {
  pass: 'Passed',
  fail: 'Failed',
  error: 'Error',
  timeout: 'Timed out',
  unfinished: 'Not done yet',
  pending: 'Not run yet',
  running: 'Waiting',
  'not-run': 'Not run',
};
const STATUS_ICON: Record<RowStatus, string> = {
  pass: '✓',
  fail: '✗',
  error: '!',
  timeout: '◷',
  unfinished: '◌',
  pending: '○',
  running: '…',
  'not-run': '–',
};

export interface ResultsViewOptions {
  /** The panel's body, emptied and filled by the view. */
  root: HTMLElement;
  checks: readonly CheckInfo[];
  steps: readonly { number: number; title: string }[];
  /** The lab's file names: locations in messages that name them become links. */
  files: readonly string[];
  /** Move the editor to a learner file location. */
  onJump(file: string, line: number, column?: number): void;
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, props: { class?: string; text?: string } = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (props.class) node.className = props.class;
  if (props.text !== undefined) node.textContent = props.text;
  node.append(...children);
  return node;
}

const rowStatus = (result: CheckResult): RowStatus => (result.unfinished ? 'unfinished' : result.status);

/** What the page knows of a run besides its report. */
export interface RunMeta {
  /** From "Run checks" to the report, every wait included. */
  tookMs: number;
  /** How much of it went on waiting for the grader to start. */
  waitMs?: number;
  /** Set for a report kept from before this page was opened: when it ran. */
  ranAt?: Date;
  /** The learner's files changed since that run. */
  stale?: boolean;
  /** Only the verdicts were kept (the browser's storage was full). */
  slim?: boolean;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
const score = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(2).replace(/0+$/, ''));

export class ResultsView {
  readonly #options: ResultsViewOptions;
  readonly #rows = new Map<string, HTMLLIElement>();
  readonly #stepHeads = new Map<number, HTMLElement>();
  readonly #summary: HTMLElement;
  readonly #notice: HTMLElement;

  constructor(options: ResultsViewOptions) {
    this.#options = options;
    const { root } = options;
    root.replaceChildren();
    this.#summary = el('div', { class: 'results-summary' });
    this.#notice = el('div', { class: 'results-notice' });
    root.append(this.#summary, this.#notice);
    const list = el('ol', { class: 'result-steps' });
    const stepTitles = new Map(options.steps.map((s) => [s.number, s.title]));
    const stepNumbers = [...new Set(options.checks.map((c) => c.step))].sort((a, b) => a - b);
    for (const step of stepNumbers) {
      const head = el('h3', { class: 'result-step-title' });
      this.#stepHeads.set(step, head);
      const checks = el('ul', { class: 'check-list' });
      for (const info of options.checks.filter((c) => c.step === step)) {
        const row = el('li', { class: 'check' });
        row.dataset.check = info.id;
        this.#rows.set(info.id, row);
        this.#fill(row, info, 'pending');
        checks.append(row);
      }
      const item = el('li', { class: 'result-step' }, head, checks);
      item.dataset.step = String(step);
      list.append(item);
      this.#renderStepHead(step, stepTitles.get(step) ?? `Step ${step}`, undefined);
    }
    root.append(list);
    this.#summary.append(
      el('p', {
        class: 'score-line',
        text: options.checks.length
          ? `${plural(options.checks.length, 'check')} in ${plural(stepNumbers.length, 'step')}. Run the checks to see how your code does.`
          : 'This lab has no checks the page can run.',
      }),
    );
  }

  /** A run has started: every check waits. */
  start(note: string): void {
    for (const info of this.#options.checks) this.#fill(this.#rows.get(info.id)!, info, 'running');
    for (const step of this.#stepHeads.keys()) this.#renderStepHead(step, undefined, undefined);
    this.#notice.replaceChildren();
    this.#summary.replaceChildren(el('p', { class: 'score-line running', text: note }));
    this.#options.root.setAttribute('aria-busy', 'true');
  }

  /** Say what is happening while a run starts (engine booting, bundle loading). */
  progress(note: string): void {
    const line = this.#summary.querySelector('.score-line');
    if (line) line.textContent = note;
  }

  /** One check finished (live, before the report). */
  update(result: CheckResult): void {
    const row = this.#rows.get(result.id);
    const info = this.#options.checks.find((c) => c.id === result.id);
    if (row && info) this.#fill(row, info, rowStatus(result), result);
  }

  finish(report: Report, meta: RunMeta): void {
    this.#options.root.removeAttribute('aria-busy');
    const byId = new Map(report.checks.map((c) => [c.id, c]));
    for (const info of this.#options.checks) {
      const result = byId.get(info.id);
      this.#fill(this.#rows.get(info.id)!, info, result ? rowStatus(result) : 'not-run', result);
    }
    const done = new Set(report.error ? [] : stepsDone(report.checks));
    for (const step of this.#stepHeads.keys()) {
      const results = report.checks.filter((c) => c.step === step);
      this.#renderStepHead(step, undefined, { done: done.has(step), passed: results.filter((r) => r.status === 'pass').length, total: results.length });
    }
    const passed = report.checks.filter((c) => c.status === 'pass').length;
    const headline =
      report.status === 'pass'
        ? `Full marks: ${score(report.score)} / ${score(report.maxScore)}. Every check passed.`
        : report.status === 'error'
          ? `Score ${score(report.score)} / ${score(report.maxScore)}: your code could not be graded.`
          : `Score ${score(report.score)} / ${score(report.maxScore)}: ${passed} of ${plural(report.checks.length, 'check')} passed.`;
    const engine = report.engine === 'webcontainer' ? 'WebContainer' : report.engine === 'worker' ? 'Worker' : 'Node';
    const waited = meta.waitMs !== undefined && meta.waitMs >= 100 ? ` (${seconds(meta.waitMs)} of it waiting for the grader to start)` : '';
    this.#summary.replaceChildren(
      el('p', { class: `score-line outcome-${report.status}`, text: headline }),
      el('p', { class: 'engine-line' }, el('span', { class: 'engine-badge', text: engine }), ' ', report.engineNote ?? '', ` Took ${seconds(meta.tookMs)}${waited}.`),
    );
    if (meta.ranAt) {
      const when = meta.ranAt.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
      const line = el('p', { class: 'kept-line', text: `The last run, kept from ${when}. ` });
      line.dataset.ranAt = meta.ranAt.toISOString();
      line.append(meta.stale ? 'Your code has changed since: run the checks again to see where it stands.' : 'Your code is as it was then.');
      if (meta.slim) line.append(' (The calls, state and figures of each check were not kept: this browser’s storage is full.)');
      this.#summary.prepend(line);
    }
    if (report.error) {
      const { error } = report;
      const box = el('div', { class: 'load-error' });
      box.setAttribute('role', 'alert');
      box.append(el('p', { class: 'load-error-title', text: `Your code could not be loaded (${error.kind}).` }));
      box.append(this.#message(error.message, 'p'));
      if (error.file && error.line && this.#options.files.includes(error.file)) {
        const file = error.file;
        const line = error.line;
        const jump = el('button', { class: 'btn', text: `Go to ${file}:${line}${error.column ? `:${error.column}` : ''}` });
        jump.type = 'button';
        jump.addEventListener('click', () => this.#options.onJump(file, line, error.column));
        box.append(jump);
      }
      this.#notice.replaceChildren(box);
    }
  }

  /** The run stopped without a report (cancelled, or the grader could not start). */
  abandon(message: string, kind: 'cancelled' | 'failed'): void {
    this.#options.root.removeAttribute('aria-busy');
    for (const info of this.#options.checks) {
      const row = this.#rows.get(info.id)!;
      if (row.dataset.status === 'running') this.#fill(row, info, 'not-run');
    }
    const p = el('p', { class: `score-line ${kind === 'failed' ? 'outcome-error' : ''}`, text: message });
    if (kind === 'failed') p.setAttribute('role', 'alert');
    this.#summary.replaceChildren(p);
  }

  #renderStepHead(step: number, title: string | undefined, outcome: { done: boolean; passed: number; total: number } | undefined): void {
    const head = this.#stepHeads.get(step)!;
    const name = title ?? head.dataset.title ?? `Step ${step}`;
    head.dataset.title = name;
    head.replaceChildren(el('span', { class: 'result-step-name', text: `Step ${step} · ${name}` }));
    if (outcome) {
      head.append(
        el('span', {
          class: `step-tally ${outcome.done ? 'done' : ''}`,
          text: outcome.done ? `✓ Done (${outcome.passed}/${outcome.total})` : `${outcome.passed}/${outcome.total} passed`,
        }),
      );
    }
  }

  #fill(row: HTMLLIElement, info: CheckInfo, status: RowStatus, result?: CheckResult): void {
    row.className = `check status-${status}`;
    row.dataset.status = status;
    const head = el(
      'div',
      { class: 'check-head' },
      el('span', { class: 'status-icon', text: STATUS_ICON[status] }),
      el('span', { class: 'status-text', text: STATUS_TEXT[status] }),
      el('span', { class: 'check-title', text: info.title }),
      el('span', { class: 'check-score', text: result ? `${score(result.score)}/${score(result.maxScore)}` : `${score(info.maxScore)} pt` }),
    );
    head.querySelector('.status-icon')!.setAttribute('aria-hidden', 'true');
    row.replaceChildren(head);
    if (!result) return;
    if (result.message) row.append(this.#message(result.message, 'p', 'check-message'));
    if (result.figures?.length || result.figuresOmitted) row.append(figuresView(result.figures ?? [], result.figuresOmitted));
    const details = this.#details(result);
    if (details) row.append(details);
  }

  /** Message text, with learner file locations turned into buttons that open the line. */
  #message(text: string, tag: 'p' | 'div', className = ''): HTMLElement {
    const node = el(tag, { class: className });
    let last = 0;
    for (const match of text.matchAll(LOCATION)) {
      const [whole, file, line, column] = match;
      if (!this.#options.files.includes(file!)) continue;
      node.append(text.slice(last, match.index));
      const link = el('button', { class: 'link-button', text: whole });
      link.type = 'button';
      link.title = `Show ${file} line ${line} in the editor`;
      link.addEventListener('click', () => this.#options.onJump(file!, Number(line), column ? Number(column) : undefined));
      node.append(link);
      last = match.index + whole.length;
    }
    node.append(text.slice(last));
    return node;
  }

  #details(result: CheckResult): HTMLDetailsElement | undefined {
    const parts: string[] = [];
    const body: HTMLElement[] = [];
    const trace = result.trace ?? [];
    if (trace.length || result.traceOmitted) {
      const total = trace.length + (result.traceOmitted ?? 0);
      parts.push(plural(total, 'AWS call'));
      body.push(el('h4', { text: 'AWS calls your code made' }), traceTable(trace, result.traceOmitted));
    }
    if (result.state && Object.keys(result.state).length) {
      parts.push('state afterwards');
      body.push(el('h4', { text: 'Afterwards' }), stateView(result.state));
    }
    if (result.output) {
      parts.push('output');
      body.push(el('h4', { text: 'What your code printed' }), el('pre', { class: 'output', text: result.output }));
    }
    if (!body.length) return undefined;
    const details = el('details', { class: 'check-details' }, el('summary', { text: `What your code did: ${parts.join(', ')}` }), ...body);
    return details;
  }
}

/** A cell with a one-line summary, the whole value one click away when the summary leaves much out. */
function summaryCell(className: string, summary: string, value: unknown): HTMLTableCellElement {
  const cell = el('td', { class: className });
  const full = JSON.stringify(value, null, 2) ?? '';
  if (full.length > summary.length + 20) {
    cell.append(el('details', {}, el('summary', { text: summary || '(no members)' }), el('pre', { text: full })));
  } else {
    cell.append(el('code', { text: summary }));
  }
  return cell;
}

function traceTable(trace: readonly TraceEntry[], omitted: number | undefined): HTMLElement {
  const table = el('table', { class: 'trace' });
  // The response column appears once the fakes summarise responses (NextToken, IsTruncated…).
  const withResponses = trace.some((entry) => traceResponse(entry) !== undefined);
  const columns = ['#', 'Call', 'Request', 'Outcome', ...(withResponses ? ['Response'] : [])];
  const head = el('tr', {}, ...columns.map((h) => el('th', { text: h })));
  head.querySelectorAll('th').forEach((th) => th.setAttribute('scope', 'col'));
  table.append(el('thead', {}, head));
  const rows = el('tbody');
  trace.forEach((entry, i) => {
    const ok = entry.outcome === 'ok';
    const response = traceResponse(entry);
    rows.append(
      el(
        'tr',
        { class: ok ? 'ok' : 'failed' },
        el('td', { text: String(i + 1) }),
        el('td', { class: 'trace-call' }, el('code', { text: `${entry.service}:${entry.operation}` })),
        summaryCell('trace-input', traceSummary(entry.input), entry.input),
        el('td', { class: 'trace-outcome', text: ok ? `ok (${entry.httpStatusCode})` : `${entry.outcome} (${entry.httpStatusCode || '—'})` }),
        ...(withResponses ? [response === undefined ? el('td', { class: 'trace-response' }) : summaryCell('trace-response', responseSummary(response), response)] : []),
      ),
    );
  });
  table.append(rows);
  const wrap = el('div', { class: 'table-scroll' }, table);
  if (omitted) wrap.append(el('p', { class: 'muted', text: `… and ${plural(omitted, 'more call')} not shown.` }));
  return wrap;
}

interface S3State {
  buckets: Record<string, string[]>;
  omittedKeys?: Record<string, number>;
}

function isS3State(value: unknown): value is S3State {
  const buckets = (value as { buckets?: unknown } | undefined)?.buckets;
  return !!buckets && typeof buckets === 'object' && Object.values(buckets).every((keys) => Array.isArray(keys));
}

function stateView(state: Record<string, unknown>): HTMLElement {
  const wrap = el('div', { class: 'state' });
  for (const [service, value] of Object.entries(state)) {
    if (service === 's3' && isS3State(value)) {
      for (const [bucket, keys] of Object.entries(value.buckets)) {
        const omitted = value.omittedKeys?.[bucket] ?? 0;
        const title = `s3://${bucket}/ · ${plural(keys.length + omitted, 'object')}`;
        const tree = el('div', { class: 'key-tree' }, el('p', { class: 'tree-bucket', text: title }));
        if (omitted) {
          tree.append(
            el('p', {
              class: 'muted tree-cut',
              text: `Below: the first ${plural(keys.length, 'key')} in key order (${omitted.toLocaleString('en-US')} more not shown). A folder marked “+” holds more objects than are shown.`,
            }),
          );
        }
        if (keys.length) tree.append(folderList(keyTree(keys, { cut: omitted > 0 })));
        else tree.append(el('p', { class: 'muted', text: 'Empty.' }));
        wrap.append(tree);
      }
    } else {
      wrap.append(el('p', { class: 'tree-bucket', text: service }), el('pre', { class: 'state-json', text: JSON.stringify(value, null, 2) }));
    }
  }
  return wrap;
}

function folderList(folder: KeyFolder): HTMLUListElement {
  const list = el('ul', { class: 'tree' });
  for (const child of folder.folders) {
    const count = el('span', { class: 'muted folder-count', text: ` · ${child.partial ? `${child.count.toLocaleString('en-US')}+ objects` : plural(child.count, 'object')}` });
    if (child.partial) count.title = `At least ${child.count}: the listing was cut inside this folder.`;
    const item = el('li', { class: 'tree-folder' }, el('span', { class: 'folder-name', text: child.name }), count);
    item.append(folderList(child));
    list.append(item);
  }
  for (const object of folder.objects) list.append(el('li', { class: 'tree-object', text: object }));
  return list;
}
