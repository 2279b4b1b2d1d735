// Figures a check shows with its result (ctx.show): carried in the report whether the check
// passes or fails, copied the moment they are shown, capped so no check can bloat a report,
// and impossible for the learner's code to write. Malformed figures name the author's mistake.
// The runtime runs in-process on a one-file lab defined here; the report is validated against
// the published JSON Schema.

import { describe, expect, it } from 'vitest';
import { FIGURE_CAPS, defineLab, fail, spansWhere } from 'whetstone/checks';
import type { CheckSuite, FigureSpec } from 'whetstone/checks';
import { figureFromSpec } from '../../grader/figures.ts';
import { labSchema } from '../../grader/lab-schema.ts';
import { assembleReport, withoutDetails } from '../../grader/report.ts';
import type { CheckResult, EventsFigure, Report, SeriesFigure, TableFigure } from '../../grader/report.ts';
import { createLabRuntime } from '../../grader/runtime.ts';
import { reportSchemaErrors } from '../support/report-schema.ts';
import { EXECUTION_EVENTS, SHARD_TABLE, dayChart, latencyChart } from '../support/figure-samples.ts';

/** What the learner's probe.ts exports in these labs. */
interface Probe {
  rows(): (string | number)[][];
  spoil(): void;
  label(): unknown;
}

const manifest = {
  id: 'probe',
  ...labSchema.parse({
    title: 'Probe lab',
    summary: 'A one-file lab the figure tests define inline.',
    level: 'beginner',
    minutes: 5,
    services: ['none'],
    files: [{ path: 'probe.ts', exports: ['rows', 'spoil', 'label'] }],
    limits: { checkTimeoutMs: 200 },
  }),
};

const PROBE = `
const shared = [['shard-0', 10], ['shard-1', 12]];
export function rows() { return shared; }
export function spoil() { shared[0][1] = 999; shared.push(['forged', 1]); }
export function label() { return 'ok'; }
`;

const lab = defineLab({ aws: () => ({}), open: ({ submission }) => ({ probe: submission.load<Probe>('probe.ts') }) });

async function grade<W, F>(suite: CheckSuite<W, F>, files: Record<string, string> = { 'probe.ts': PROBE }, onResult?: (result: CheckResult) => void): Promise<Report> {
  const runtime = createLabRuntime({ manifest, suites: [{ visibility: 'public', suite: suite as unknown as CheckSuite<unknown> }], modules: {} });
  const results: CheckResult[] = [];
  await runtime.run({ files, seed: 1, nonce: 'n' }, (m) => {
    if (m.type === 'check-end') {
      results.push(m.result);
      onResult?.(m.result);
    }
    if (m.type === 'load-error') throw new Error(m.error.message);
  });
  const report = assembleReport({ lab: 'probe', checks: runtime.checks, results, durationMs: 1, engine: 'node', grader: 'whetstone@test' });
  expect(reportSchemaErrors(report)).toEqual([]);
  return report;
}

const result = (report: Report, id: string) => report.checks.find((c) => c.id === id)!;

const table = (title: string, rows: (string | number | null)[][]): FigureSpec => ({ kind: 'table', title, columns: ['shard', 'records'], rows });

describe('figures in a check result', () => {
  it('travel with the result whether the check passes or fails, in the order shown', async () => {
    const report = await grade(
      lab.checks(({ step, check }) => {
        step(1, () => {
          check('passes', 'Passes with a table and a chart', ({ show }) => {
            show(SHARD_TABLE);
            show(latencyChart());
          });
          check('fails', 'Fails after an event list', ({ show }) => {
            show(EXECUTION_EVENTS);
            fail('The execution should have ended in Fail.');
          });
          check('plain', 'Shows nothing', () => {});
        });
      }),
    );
    expect(result(report, 'passes')).toMatchObject({ status: 'pass', figures: [figureFromSpec(SHARD_TABLE), figureFromSpec(latencyChart())] });
    expect(result(report, 'fails')).toMatchObject({ status: 'fail', message: 'The execution should have ended in Fail.', figures: [figureFromSpec(EXECUTION_EVENTS)] });
    expect(result(report, 'plain')).not.toHaveProperty('figures');
  });

  it('are copied when shown: what the learner’s code changes afterwards never reaches the report', async () => {
    const report = await grade(
      lab.checks(({ step, check }) => {
        step(1, () => {
          check('copied', 'Shows the learner’s rows, then calls their code again', ({ probe, show }) => {
            const rows = probe.rows();
            show(table('Per shard', rows));
            probe.spoil();
            rows.push(['added by the check later', 0]);
          });
        });
      }),
    );
    expect((result(report, 'copied').figures![0] as TableFigure).rows).toEqual([
      ['shard-0', 10],
      ['shard-1', 12],
    ]);
  });

  it('hold only plain text and numbers, whatever the learner’s code returned', async () => {
    const hostile = `
export function rows() { return []; }
export function spoil() {}
export function label() {
  return [
    { toString() { return '<img src=x onerror=alert(1)>'; } },
    new Proxy({}, { get() { throw new Error('gotcha'); }, ownKeys() { throw new Error('gotcha'); } }),
    '\\u001b[31mred\\u001b[0m and\\nnewline',
    NaN,
    () => 1,
    'x'.repeat(5000),
  ];
}`;
    const report = await grade(
      lab.checks(({ step, check }) => {
        step(1, () => {
          check('cells', 'Shows what the learner returned', ({ probe, show }) => {
            const values = probe.label() as unknown[];
            show({ kind: 'table', title: 'Returned', columns: values.map((_, i) => `v${i}`), rows: [values as never] });
            show({ kind: 'events', title: 'As events', events: values.slice(0, 3).map((v) => ({ label: v as string })) });
          });
        });
      }),
      { 'probe.ts': hostile },
    );
    const check = result(report, 'cells');
    expect(check.status).toBe('pass');
    const [cells] = (check.figures![0] as TableFigure).rows;
    expect(cells!.slice(0, 5)).toEqual(['{}', '[unreadable]', '[31mred [0m and newline', 'NaN', 'a function']);
    expect(cells![5]).toHaveLength(FIGURE_CAPS.text);
    expect(String(cells![5]).endsWith('…')).toBe(true);
    expect((check.figures![1] as EventsFigure).events.map((e) => e.label)).toEqual(['{}', '[unreadable]', '[31mred [0m and newline']);
  });

  it('stop at 6 a check and count the rest', async () => {
    const report = await grade(
      lab.checks(({ step, check }) => {
        step(1, () => {
          check('many', 'Shows a figure per shard, 9 shards', ({ show }) => {
            for (let i = 0; i < 9; i++) show(table(`Shard ${i}`, [[`shard-${i}`, i]]));
          });
        });
      }),
    );
    const many = result(report, 'many');
    expect(many.figures!.map((f) => f.title)).toEqual(['Shard 0', 'Shard 1', 'Shard 2', 'Shard 3', 'Shard 4', 'Shard 5']);
    expect(many.figuresOmitted).toBe(3);
  });

  it('end a check as an error that names the author’s mistake when malformed', async () => {
    const report = await grade(
      lab.checks(({ step, check }) => {
        step(1, () => {
          check('ragged', 'Shows a ragged table', ({ show }) => show(table('Per shard', [['shard-0', 1], ['shard-1', 2, 3]])));
        });
      }),
    );
    expect(result(report, 'ragged')).toMatchObject({ status: 'error' });
    expect(result(report, 'ragged').message).toBe(
      "The check could not complete: FigureError: show(): the table 'Per shard' has 3 cells in row 2 for 2 columns: give every row one cell per column (null for an empty one)",
    );
  });

  it('cannot be added to a result once it is out: a check past its time limit changes nothing', async () => {
    let late!: () => void;
    const gate = new Promise<void>((resolve) => (late = resolve));
    let lateShowDone!: () => void;
    const afterLateShow = new Promise<void>((resolve) => (lateShowDone = resolve));
    let given: CheckResult | undefined;
    await grade(
      lab.checks(({ step, check }) => {
        step(1, () => {
          check('slow', 'Runs past its limit', async ({ show }) => {
            show(table('Before the limit', [['shard-0', 1]]));
            // Opens only once the runtime has given this check's result (after its time limit).
            await gate;
            show(table('After the limit', [['shard-1', 2]]));
            lateShowDone();
          });
        });
      }),
      undefined,
      (r) => {
        given = r;
        late();
      },
    );
    await afterLateShow;
    expect(given).toMatchObject({ status: 'timeout' });
    expect(given!.figures!.map((f) => f.title)).toEqual(['Before the limit']);
  });

  it('are out of the learner’s reach: show is on the check’s context, never in their modules’ scope', async () => {
    const snooping = `
export function rows() { return []; }
export function spoil() {}
export function label() {
  const found = [typeof show, typeof globalThis.show, typeof whetstoneLab, Object.keys(globalThis).filter((k) => /show|figure/i.test(k))];
  return JSON.stringify(found);
}`;
    const report = await grade(
      lab.checks(({ step, check }) => {
        step(1, () => {
          check('reach', 'Asks the learner what they can see', ({ probe, note }) => note(String(probe.label())));
        });
      }),
      { 'probe.ts': snooping },
    );
    expect(result(report, 'reach').message).toBe('["undefined","undefined","undefined",[]]');
  });
});

describe('a result without its details', () => {
  it('drops figures with the calls, state and output, and keeps the verdict and message', () => {
    const full: CheckResult = {
      id: 'a', title: 'A', step: 1, status: 'fail', score: 0, maxScore: 1, visibility: 'public', message: 'Lost 3 records.', durationMs: 4,
      trace: [], traceOmitted: 2, state: { s3: {} }, output: 'hi', figures: [figureFromSpec(SHARD_TABLE)], figuresOmitted: 1,
    };
    expect(withoutDetails(full)).toEqual({ id: 'a', title: 'A', step: 1, status: 'fail', score: 0, maxScore: 1, visibility: 'public', message: 'Lost 3 records.', durationMs: 4 });
  });
});

describe('figureFromSpec', () => {
  it('cuts a table past 100 rows and 12 columns, and says so', () => {
    const columns = Array.from({ length: 15 }, (_, i) => `c${i}`);
    const rows = Array.from({ length: 350 }, (_, r) => columns.map((_, c) => r * 100 + c));
    const figure = figureFromSpec({ kind: 'table', title: 'Wide and long', columns, rows }) as TableFigure;
    expect(figure.columns).toHaveLength(12);
    expect(figure.rows).toHaveLength(100);
    expect(figure.rows[99]).toHaveLength(12);
    expect(figure.cut).toBe('Cut to keep the report small: shows the first 12 of 15 columns; the first 100 of 350 rows.');
  });

  it('keeps a series to 2,000 points and 6 significant digits, gaps for whatever is not a finite number', () => {
    const values = Array.from({ length: 2880 }, (_, i) => i / 3);
    const figure = figureFromSpec({
      kind: 'series',
      title: 'Two days',
      x: { label: 'minute' },
      series: [
        { name: 'a', unit: 'ms', values },
        { name: 'b', unit: '', axis: 'right', values: [1, null, NaN, Infinity, '7' as never, 123456.789, 2 ** 40] },
      ],
    }) as SeriesFigure;
    expect(figure.x).toEqual({ label: 'minute', start: 0, step: 1 });
    expect(figure.series[0]!.values).toHaveLength(2000);
    expect(figure.series[0]!.values.slice(0, 3)).toEqual([0, 0.333333, 0.666667]);
    expect(figure.series[1]!.values).toEqual([1, null, null, null, null, 123457, 2 ** 40]);
    expect(figure.cut).toBe('Cut to keep the report small: shows the first 2,000 of 2,880 points.');
  });

  it('keeps both ends of a long event list, marking the gap', () => {
    const events = Array.from({ length: 500 }, (_, i) => ({ label: `event ${i + 1}` }));
    const figure = figureFromSpec({ kind: 'events', title: 'A long run', events }) as EventsFigure;
    expect(figure.events).toHaveLength(FIGURE_CAPS.events);
    expect(figure.events[149]!.label).toBe('event 150');
    expect(figure.events[150]).toEqual({ label: '… 301 events left out', status: 'info' });
    expect(figure.events[151]!.label).toBe('event 452');
    expect(figure.events.at(-1)!.label).toBe('event 500');
    expect(figure.cut).toBe('Cut to keep the report small: shows events 151–451 of 500.');
  });

  it('names what is wrong with a malformed figure, and where', () => {
    const wrong = (spec: unknown) => {
      try {
        figureFromSpec(spec as FigureSpec);
      } catch (error) {
        return `${(error as Error).name}: ${(error as Error).message}`;
      }
      return 'no error';
    };
    expect(wrong(undefined)).toBe("FigureError: show() takes a figure { kind: 'table' | 'series' | 'events', title, … }; it got undefined.");
    expect(wrong({ kind: 'pie', title: 'Shares' })).toBe("FigureError: show(): the figure 'Shares' has kind pie; use 'table', 'series' or 'events'.");
    expect(wrong({ kind: 'table', columns: ['a'], rows: [] })).toBe('FigureError: show(): the table needs a title.');
    const chart = (extra: object) => ({ kind: 'series', title: 'Day', x: { label: 'minute' }, series: [{ name: 'latency', unit: 'ms', values: [1] }], ...extra });
    expect(wrong(chart({ lines: [{ label: 'goal', value: 200, axis: 'right' }] }))).toBe(
      "FigureError: show(): the series 'Day' draws the line 'goal' on the right axis, where no series is: give it the series it belongs to.",
    );
    expect(wrong(chart({ lines: [{ label: 'goal', value: 200, series: 'latency p95' }] }))).toBe(
      "FigureError: show(): the series 'Day' draws the line 'goal' for the series 'latency p95', which it does not have: name one of 'latency'.",
    );
    expect(wrong(chart({ ranges: [{ label: 'over', from: 5, to: 5 }] }))).toBe('FigureError: show(): the series \'Day\' has range 1 from 5 to 5: a range ends after it starts.');
    expect(wrong({ ...chart({}), x: { label: 'minute', step: 0 } })).toBe("FigureError: show(): the series 'Day' needs x.step above 0; it got 0.");
    expect(wrong({ ...chart({}), series: [{ name: 'latency', values: [1] }] })).toBe(
      "FigureError: show(): the series 'Day' needs a unit for the series 'latency' ('ms', 'requests/min'; '' when it has none).",
    );
    expect(wrong({ kind: 'events', title: 'Run', events: [{ label: 'x', status: 'error' }] })).toBe(
      "FigureError: show(): the events 'Run' has event 1 with the status error; use 'ok', 'fail', 'info', 'warn'.",
    );
  });

  it('draws a line for a named series on that series’ axis', () => {
    const figure = figureFromSpec(latencyChart()) as SeriesFigure;
    expect(figure.lines).toEqual([{ label: 'latency goal', value: 200, axis: 'left', series: 'latency p95' }]);
    expect(figureFromSpec(dayChart())).toMatchObject({ ranges: [{ label: 'latency over the goal', from: 611, to: 620 }] });
  });
});

describe('spansWhere', () => {
  it('turns the points where a test holds into shaded [from, to) ranges, gaps ending a range', () => {
    const latency = [100, 250, 300, 120, null, 260, 270];
    expect(spansWhere(latency, (ms) => ms > 200, { label: 'over' })).toEqual([
      { label: 'over', from: 1, to: 3 },
      { label: 'over', from: 5, to: 7 },
    ]);
    expect(spansWhere(latency, (ms) => ms > 200, { label: 'over', start: 60, step: 5 })).toEqual([
      { label: 'over', from: 65, to: 75 },
      { label: 'over', from: 85, to: 95 },
    ]);
    expect(spansWhere([], () => true, { label: 'none' })).toEqual([]);
  });
});

describe('the report schema', () => {
  const base: Report = {
    schemaVersion: 1,
    lab: 'probe',
    status: 'pass',
    score: 1,
    maxScore: 1,
    durationMs: 1,
    engine: 'node',
    grader: 'whetstone@test',
    checks: [{ id: 'a', title: 'A', step: 1, status: 'pass', score: 1, maxScore: 1, visibility: 'public', message: '', durationMs: 1 }],
  };
  const withFigures = (figures: unknown[]) => ({ ...base, checks: [{ ...base.checks[0], figures }] });

  it('accepts every kind as the runtime writes it', () => {
    const figures = [SHARD_TABLE, dayChart(), latencyChart(), EXECUTION_EVENTS].map(figureFromSpec);
    expect(reportSchemaErrors(withFigures(figures))).toEqual([]);
  });

  it('refuses what the runtime never writes: an unknown kind, a table over its cap, a series without its axis', () => {
    expect(reportSchemaErrors(withFigures([{ kind: 'pie', title: 'Shares' }]))).not.toEqual([]);
    const long = figureFromSpec(SHARD_TABLE) as TableFigure;
    expect(reportSchemaErrors(withFigures([{ ...long, rows: Array.from({ length: 101 }, () => long.rows[0]) }]))).not.toEqual([]);
    const chart = figureFromSpec(latencyChart()) as SeriesFigure;
    const { axis: _axis, ...noAxis } = chart.series[0]!;
    expect(reportSchemaErrors(withFigures([{ ...chart, series: [noAxis] }]))).not.toEqual([]);
    expect(reportSchemaErrors(withFigures(Array.from({ length: 7 }, () => long)))).not.toEqual([]);
  });
});
