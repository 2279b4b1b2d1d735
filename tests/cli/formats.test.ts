// Single-report formats for other tools: JUnit XML (CI dashboards) must be well-formed XML a
// parser accepts, with counts that add up; Gradescope's results.json must have the shape of the
// autograder specification (gradescope-autograders.readthedocs.io, "Output format", read
// 2026-11-25): score, execution_time (seconds), output, visibility, stdout_visibility, and tests
// with score, max_score, status passed|failed, name, number, output, visibility.

import { describe, expect, it } from 'vitest';
import { formatGradescope, formatJunit, formatText } from '../../cli/formats.ts';
import { figureFromSpec } from '../../grader/figures.ts';
import type { CheckResult, Report } from '../../grader/report.ts';
import { EXECUTION_EVENTS, SHARD_TABLE, latencyChart } from '../support/figure-samples.ts';

interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decode(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|\w+);|&/gi, (whole, entity: string | undefined) => {
    if (!entity) throw new Error(`A bare & in XML text: …${text.slice(0, 40)}…`);
    if (entity.startsWith('#x')) return String.fromCodePoint(parseInt(entity.slice(2), 16));
    if (entity.startsWith('#')) return String.fromCodePoint(Number(entity.slice(1)));
    if (!(entity in ENTITIES)) throw new Error(`Unknown entity ${whole}`);
    return ENTITIES[entity]!;
  });
}

/** A strict little XML parser: balanced tags, quoted attributes, known entities, one root. */
function parseXml(source: string): XmlElement {
  const text = source.replace(/^<\?xml[^?]*\?>\s*/, '');
  const root: XmlElement = { name: '#document', attributes: {}, children: [], text: '' };
  const stack = [root];
  const token = /<(\/?)([A-Za-z_][\w.-]*)((?:\s+[A-Za-z_][\w.-]*\s*=\s*"[^"<]*")*)\s*(\/?)>|([^<]+)/gy;
  let m: RegExpExecArray | null;
  let at = 0;
  while (at < text.length) {
    token.lastIndex = at;
    m = token.exec(text);
    if (!m) throw new Error(`Not XML at offset ${at}: ${text.slice(at, at + 60)}`);
    at = token.lastIndex;
    const [, closing, name, attrs, selfClosing, chars] = m;
    const top = stack[stack.length - 1]!;
    if (chars !== undefined) {
      top.text += decode(chars);
    } else if (closing) {
      if (top.name !== name) throw new Error(`</${name}> closes <${top.name}>`);
      stack.pop();
    } else {
      const attributes: Record<string, string> = {};
      for (const a of attrs!.matchAll(/([A-Za-z_][\w.-]*)\s*=\s*"([^"]*)"/g)) {
        if (a[1]! in attributes) throw new Error(`Attribute ${a[1]} twice on <${name}>`);
        attributes[a[1]!] = decode(a[2]!);
      }
      const element: XmlElement = { name: name!, attributes, children: [], text: '' };
      top.children.push(element);
      if (!selfClosing) stack.push(element);
    }
  }
  if (stack.length !== 1) throw new Error(`<${stack[stack.length - 1]!.name}> is never closed`);
  if (root.children.length !== 1 || root.text.trim()) throw new Error('An XML document has exactly one root element');
  return root.children[0]!;
}

function result(id: string, status: CheckResult['status'], extra: Partial<CheckResult> = {}): CheckResult {
  return {
    id,
    title: `title of ${id}`,
    step: 1,
    status,
    score: status === 'pass' ? 1 : 0,
    maxScore: 1,
    visibility: 'public',
    message: status === 'pass' ? '' : `${id} went wrong`,
    durationMs: 12,
    ...extra,
  };
}

const report: Report = {
  schemaVersion: 1,
  lab: 's3-partitioning',
  status: 'fail',
  score: 3.5,
  maxScore: 7,
  checks: [
    result('prefix-utc-day', 'pass', { maxScore: 2, score: 2 }),
    result('ingest-one-object', 'fail', {
      step: 2,
      message: 'Batch "b-1" wrote 3 objects <one per event> & should write 1 — see raw/web/year=2024/…\u0007',
    }),
    result('list-past-1000', 'timeout', { step: 3, message: 'Did not finish within 2 s.' }),
    result('compact-seeded', 'error', { step: 5, visibility: 'hidden', message: 'Your code threw TypeError: x is undefined (partition.ts:40:3).' }),
    result('read-half', 'pass', { step: 4, maxScore: 3, score: 1.5 }),
  ],
  durationMs: 2345,
  engine: 'node',
  grader: 'whetstone@0.1.0',
};

describe('JUnit XML', () => {
  it('is well-formed, counts failures and errors, and keeps messages intact', () => {
    const suites = parseXml(formatJunit(report));
    expect(suites.name).toBe('testsuites');
    expect(suites.attributes).toMatchObject({ tests: '5', failures: '1', errors: '2', time: '2.345' });
    const [suite] = suites.children;
    expect(suite!.name).toBe('testsuite');
    expect(suite!.attributes).toMatchObject({ name: 's3-partitioning', tests: '5', failures: '1', errors: '2' });
    const cases = suite!.children.filter((c) => c.name === 'testcase');
    expect(cases.map((c) => c.attributes.name)).toEqual([
      'prefix-utc-day: title of prefix-utc-day',
      'ingest-one-object: title of ingest-one-object',
      'list-past-1000: title of list-past-1000',
      'compact-seeded: title of compact-seeded',
      'read-half: title of read-half',
    ]);
    expect(cases[0]!.children).toEqual([]);
    const failure = cases[1]!.children[0]!;
    expect(failure.name).toBe('failure');
    // Markup characters survive as text; a control character XML cannot hold is dropped.
    expect(failure.text).toBe('Batch "b-1" wrote 3 objects <one per event> & should write 1 — see raw/web/year=2024/…');
    expect(failure.attributes.message).toBe(failure.text);
    expect(cases[2]!.children[0]).toMatchObject({ name: 'error', attributes: { type: 'timeout' } });
    expect(cases[3]!.children[0]).toMatchObject({ name: 'error', attributes: { type: 'error' } });
    expect(cases[1]!.attributes.classname).toBe('s3-partitioning.step2');
  });

  it('carries a submission that could not be loaded as system-err, with every check in error', () => {
    const broken: Report = {
      ...report,
      status: 'error',
      score: 0,
      error: { kind: 'syntax', message: 'Unexpected token (partition.ts:3:1) <here>', file: 'partition.ts', line: 3 },
      checks: report.checks.map((c) => ({ ...c, status: 'error', score: 0, message: 'Not graded: the submission could not be loaded.' })),
    };
    const suite = parseXml(formatJunit(broken)).children[0]!;
    expect(suite.attributes).toMatchObject({ failures: '0', errors: '5' });
    expect(suite.children.find((c) => c.name === 'system-err')!.text).toBe('syntax: Unexpected token (partition.ts:3:1) <here>');
  });

  it('rejects what is not XML (the parser itself can fail)', () => {
    expect(() => parseXml('<a><b></a></b>')).toThrow('</a> closes <b>');
    expect(() => parseXml('<a x="1" x="2"/>')).toThrow('twice');
    expect(() => parseXml('<a>fish & chips</a>')).toThrow('bare &');
  });
});

describe('Gradescope results.json', () => {
  const VISIBILITIES = ['hidden', 'after_due_date', 'after_published', 'visible'];
  const FORMATS = ['text', 'html', 'simple_format', 'md', 'ansi'];

  it('has the shape of the autograder specification', () => {
    const results = JSON.parse(formatGradescope(report)) as Record<string, unknown> & { tests: Record<string, unknown>[] };
    expect(Object.keys(results).sort()).toEqual(['execution_time', 'output', 'output_format', 'score', 'stdout_visibility', 'tests', 'visibility'].sort());
    expect(results.score).toBe(3.5);
    expect(results.execution_time).toBe(2);
    expect(Number.isInteger(results.execution_time)).toBe(true);
    expect(VISIBILITIES).toContain(results.visibility);
    expect(VISIBILITIES).toContain(results.stdout_visibility);
    expect(FORMATS).toContain(results.output_format);
    expect(results.tests).toHaveLength(5);
    for (const t of results.tests) {
      expect(typeof t.name).toBe('string');
      expect(typeof t.number).toBe('string');
      expect(typeof t.score).toBe('number');
      expect(typeof t.max_score).toBe('number');
      expect(['passed', 'failed']).toContain(t.status);
      expect(VISIBILITIES).toContain(t.visibility);
      expect(FORMATS).toContain(t.output_format);
    }
    // The per-test scores add up to the total, so Gradescope shows the same grade.
    expect(results.tests.reduce((a, t) => a + (t.score as number), 0)).toBe(results.score);
    expect(results.tests[1]).toMatchObject({ name: 'Step 2: title of ingest-one-object', number: '2.ingest-one-object', status: 'failed', max_score: 1 });
    expect(results.tests[1]!.output).toContain('wrote 3 objects');
    expect(results.tests[3]).toMatchObject({ status: 'failed', visibility: 'after_published' });
    expect(results.tests[4]).toMatchObject({ status: 'passed', score: 1.5, max_score: 3, output: '' });
  });

  it('says why in the top-level output when the submission could not be graded', () => {
    const results = JSON.parse(formatGradescope({ ...report, status: 'error', score: 0, error: { kind: 'missing-export', message: 'partition.ts does not export readRange.' } }));
    expect(results.output).toBe('Could not grade (missing-export): partition.ts does not export readRange.');
  });
});

describe('text', () => {
  it('marks a step not done yet apart from a mistake', () => {
    const unfinished = { ...report, checks: [result('compact-seeded', 'error', { step: 5, unfinished: true, message: 'Not done yet: compactPartition still throws …' }), report.checks[1]!] };
    const lines = formatText(unfinished).split('\n');
    expect(lines.find((l) => l.includes('compact-seeded'))).toMatch(/^ {2}○ /);
    expect(lines.find((l) => l.includes('ingest-one-object'))).toMatch(/^ {2}✗ /);
  });
});

describe('figures', () => {
  const [table, chart, events] = [SHARD_TABLE, latencyChart(), EXECUTION_EVENTS].map(figureFromSpec);
  const withFigures: Report = {
    ...report,
    checks: [
      result('no-loss', 'pass', { figures: [table!] }),
      result('latency-goal', 'fail', { step: 2, message: 'Latency was over the goal in 9 minutes.', figures: [chart!], figuresOmitted: 2 }),
      result('glue-retry', 'pass', { step: 3, figures: [events!] }),
    ],
  };

  it('print in the text format under their check, passed or not: tables aligned, events numbered, charts summed up', () => {
    const text = formatText(withFigures, { width: 100 });
    expect(text).toContain(
      [
        '  ✓ title of no-loss no-loss',
        '      Table: Your producer, shard by shard',
        '      Throttled entries are retried; a duplicate is a record the stream holds twice.',
        '        Shard                 Records sent  Duplicates  Lost  Throttled  Time (s)',
        '        ────────────────────  ────────────  ──────────  ────  ─────────  ────────',
        '        shardId-000000000000        12,480           0     0        311      14.2',
        '        shardId-000000000001        12,502           0     0        297      14.6',
        '        shardId-000000000002        25,018          12     0      4,960     61.75',
        '        shardId-000000000003',
      ].join('\n'),
    );
    expect(text).toContain(
      [
        '      Latency was over the goal in 9 minutes.',
        '      Chart: Latency against the goal',
        '        minute: 0 min to 1,439 min, 1,440 points',
        '        latency p95 (ms, left axis): 41 to 1,643.1, 6 gaps; over latency goal (200 ms) in 9 of 1,440',
        '          points, at minute 611–619',
        '        instances in service (instances, right axis): 2 to 9',
        '        shaded, over the goal: 1 stretch, 9 min in all',
        '      (2 more figures left out)',
      ].join('\n'),
    );
    expect(text).toContain(
      [
        '      Events: Scenario: Glue throttled once',
        '        1. · [0.0 s] ExecutionStarted',
        '        2. ✓ [0.0 s] TaskStateEntered ValidateData',
        '        3. ✓ [0.4 s] TaskStateEntered FeatureEngineering',
        '        4. ✗ [0.5 s] TaskFailed FeatureEngineering — Glue.ThrottlingException: Rate exceeded',
      ].join('\n'),
    );
  });

  it('say where a chart never crosses its line, and where it does, however many times', () => {
    const values = Array.from({ length: 100 }, (_, i) => (i % 10 === 0 ? 300 : 100));
    const spiky = figureFromSpec({ kind: 'series', title: 'Spikes', x: { label: 'second', unit: 's', start: 10, step: 0.5 }, series: [{ name: 'p95', unit: 'ms', values }], lines: [{ label: 'goal', value: 200 }] });
    const calm = figureFromSpec({ kind: 'series', title: 'Calm', x: { label: 'second' }, series: [{ name: 'p95', unit: 'ms', values: [1, 2] }], lines: [{ label: 'goal', value: 200 }] });
    const text = formatText({ ...report, checks: [result('a', 'pass', { figures: [spiky, calm] })] }, { width: 120 });
    expect(text).toContain('p95 (ms): 100 to 300; over goal (200 ms) in 10 of 100 points, at second 10, 15, 20, 25 and 6 more');
    expect(text).toContain('p95 (ms): 1 to 2; never over goal (200 ms)');
  });

  it('travel in JUnit as the test case’s system-out, and in Gradescope’s output, short', () => {
    const suite = parseXml(formatJunit(withFigures)).children[0]!;
    const cases = suite.children.filter((c) => c.name === 'testcase');
    expect(cases[0]!.children.map((c) => c.name)).toEqual(['system-out']);
    expect(cases[0]!.children[0]!.text).toContain('  shardId-000000000002        25,018          12     0      4,960     61.75');
    expect(cases[1]!.children.map((c) => c.name)).toEqual(['failure', 'system-out']);
    expect(cases[1]!.children[1]!.text).toContain('over latency goal (200 ms) in 9 of 1,440');
    expect(cases[1]!.children[1]!.text).toContain('(2 more figures left out)');

    const tests = (JSON.parse(formatGradescope(withFigures)) as { tests: { output: string; status: string }[] }).tests;
    expect(tests[0]!.status).toBe('passed');
    expect(tests[0]!.output.startsWith('Table: Your producer, shard by shard')).toBe(true);
    expect(tests[1]!.output.startsWith('Latency was over the goal in 9 minutes.\n\nChart: Latency against the goal')).toBe(true);
    expect(tests[2]!.output).toContain('4. ✗ [0.5 s] TaskFailed FeatureEngineering');
  });

  it('are cut to 20 rows in the short form, saying how many more the JSON holds', () => {
    const rows = Array.from({ length: 60 }, (_, i) => [`shard-${i}`, i]);
    const long = figureFromSpec({ kind: 'table', title: 'Sixty shards', columns: ['shard', 'records'], rows });
    const output = (JSON.parse(formatGradescope({ ...report, checks: [result('a', 'pass', { figures: [long] })] })) as { tests: { output: string }[] }).tests[0]!.output;
    expect(output).toContain('shard-19');
    expect(output).not.toContain('shard-20');
    expect(output).toContain('… 40 more rows in the JSON report');
  });
});
