// The pieces of batch grading, without child processes: CSV, shards, the journal, the pool,
// item analysis, progress and a whole batch run driven by a fake grader.

import { appendFileSync, closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { csvField, parseCsv, toCsv } from '../../cli/batch/csv.ts';
import { batchDocument, batchHead, gradesCsv } from '../../cli/batch/grades.ts';
import type { BatchDocument, Outcome } from '../../cli/batch/grades.ts';
import { OTHER_MESSAGES, groupCauses, templateOf } from '../../cli/batch/causes.ts';
import { canvasCsv, gradebookPath, moodleCsv } from '../../cli/batch/gradebook.ts';
import { analyseItems, formatItemAnalysis, wrap } from '../../cli/batch/item-analysis.ts';
import { Journal, fingerprint, readJournal, readJournalEntry } from '../../cli/batch/journal.ts';
import { writeBatchJson } from '../../cli/batch/json-output.ts';
import { MergeError, mergeDocuments } from '../../cli/batch/merge.ts';
import { runPool } from '../../cli/batch/pool.ts';
import { barProgress, formatDuration, lineProgress, renderBar } from '../../cli/batch/progress.ts';
import { runBatch } from '../../cli/batch/run.ts';
import type { RunBatchOptions } from '../../cli/batch/run.ts';
import { sanityStop } from '../../cli/batch/sanity.ts';
import { inShard, parseShard, shardOf } from '../../cli/batch/shard.ts';
import { findSubmissions } from '../../cli/batch/submissions.ts';
import { SubmissionInputError } from '../../cli/submission-input.ts';
import { UsageError } from '../../cli/usage.ts';
import { CheckDefinitionError, CheckFailure } from '../../grader/checks.ts';
import type { CheckInfo, CheckResult, Report } from '../../grader/report.ts';

const CHECKS: CheckInfo[] = [
  { id: 'adds', title: 'add(2, 3) is 5', step: 1, maxScore: 1, visibility: 'public' },
  { id: 'squares', title: 'squares', step: 1, maxScore: 2, visibility: 'public' },
  { id: 'adds-large', title: 'add past 2^31', step: 1, maxScore: 1, visibility: 'hidden' },
];

function report(verdicts: Record<string, CheckResult['status'] | [CheckResult['status'], string]>, error?: Report['error']): Report {
  const checks = CHECKS.map((c): CheckResult => {
    const v = verdicts[c.id] ?? 'pass';
    const [status, message] = Array.isArray(v) ? v : [v, v === 'pass' ? '' : `${c.id} went wrong`];
    return { ...c, status, score: status === 'pass' && !error ? c.maxScore : 0, message, durationMs: 1 };
  });
  const score = checks.reduce((a, c) => a + c.score, 0);
  return {
    schemaVersion: 1,
    lab: 'mini',
    status: error ? 'error' : checks.every((c) => c.status === 'pass') ? 'pass' : 'fail',
    score,
    maxScore: 4,
    checks,
    ...(error ? { error } : {}),
    durationMs: 10,
    engine: 'node',
    grader: 'whetstone@test',
  };
}

describe('CSV', () => {
  it('quotes fields as RFC 4180 says and round-trips through the parser', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a, b')).toBe('"a, b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField(undefined)).toBe('');
    expect(csvField(12.5)).toBe('12.5');
    const text = toCsv(['id', 'message'], [['ada', 'expected "5", got 4\r\nsee calc.ts:2'], ['bob', undefined]]);
    expect(text.endsWith('\r\n')).toBe(true);
    expect(parseCsv(text)).toEqual([
      ['id', 'message'],
      ['ada', 'expected "5", got 4\r\nsee calc.ts:2'],
      ['bob', ''],
    ]);
  });

  it('defuses text cells a spreadsheet would run as a formula, not numbers', () => {
    expect(csvField('=HYPERLINK("http://evil")')).toBe(`"'=HYPERLINK(""http://evil"")"`);
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvField('-1+1')).toBe("'-1+1");
    expect(csvField(-1)).toBe('-1');
  });

  it('writes one row per learner, one score column per check named with its maximum (hidden ones marked), and no score when nothing could be graded', () => {
    const outcomes: Outcome[] = [
      { id: 'ada', report: report({}) },
      { id: 'bob', report: report({ squares: 'fail' }) },
      { id: 'cy', report: report({}, { kind: 'syntax', message: 'calc.ts:3:1: Unexpected token.', file: 'calc.ts', line: 3 }) },
      { id: 'dee', input: { kind: 'unreadable', message: 'dee.zip is not a readable zip' } },
    ];
    const rows = parseCsv(gradesCsv(CHECKS, outcomes));
    expect(rows[0]).toEqual(['id', 'score', 'max', 'percent', 'status', 'error_kind', 'adds (max 1)', 'squares (max 2)', 'adds-large (hidden, max 1)', 'error_message']);
    expect(rows[1]).toEqual(['ada', '4', '4', '100', 'pass', '', '1', '2', '1', '']);
    expect(rows[2]).toEqual(['bob', '2', '4', '50', 'fail', '', '1', '0', '1', '']);
    expect(rows[3]).toEqual(['cy', '', '4', '', 'error', 'syntax', '', '', '', 'calc.ts:3:1: Unexpected token.']);
    expect(rows[4]).toEqual(['dee', '', '4', '', 'error', 'unreadable', '', '', '', 'dee.zip is not a readable zip']);
  });
});

describe('gradebook files', () => {
  const outcomes: Outcome[] = [
    { id: 'ada', report: report({}) },
    { id: 'bob', report: report({ squares: 'fail', adds: 'fail', 'adds-large': 'fail' }) },
    { id: 'cy', report: report({}, { kind: 'syntax', message: 'Unexpected token.' }) },
    { id: 'dee', input: { kind: 'unreadable', message: 'dee.zip is not a readable zip' } },
  ];

  it('Canvas: its header, a Points Possible row with the maximum, the learner id as SIS Login ID, an empty cell for who could not be graded', () => {
    expect(parseCsv(canvasCsv({ assignment: 'Week 3: calc (4521)', maxScore: 4, outcomes }))).toEqual([
      ['Student', 'ID', 'SIS User ID', 'SIS Login ID', 'Section', 'Week 3: calc (4521)'],
      ['Points Possible', '', '', '', '', '4'],
      ['ada', '', '', 'ada', '', '4'],
      ['bob', '', '', 'bob', '', '0'],
      ['cy', '', '', 'cy', '', ''],
      ['dee', '', '', 'dee', '', ''],
    ]);
  });

  it('Moodle: one identity column, one points column that states the maximum, no extra rows (a row Moodle cannot map stops its import)', () => {
    expect(parseCsv(moodleCsv({ assignment: 'calc lab', maxScore: 4, outcomes }))).toEqual([
      ['Username', 'calc lab (max 4)'],
      ['ada', '4'],
      ['bob', '0'],
      ['cy', ''],
      ['dee', ''],
    ]);
  });

  it('names the files after --out', () => {
    expect(gradebookPath('out/grades.csv', 'canvas')).toBe('out/grades.canvas.csv');
    expect(gradebookPath('all.json', 'moodle')).toBe('all.moodle.csv');
    expect(gradebookPath('v1.2/grades', 'canvas')).toBe('v1.2/grades.canvas.csv');
  });
});

describe('shards', () => {
  it('parses i/n and says how when it cannot', () => {
    expect(parseShard('2/4')).toEqual({ index: 2, count: 4 });
    for (const bad of ['0/4', '5/4', '1/0', 'a/b', '2', '1-4']) expect(() => parseShard(bad), bad).toThrow(UsageError);
    expect(() => parseShard('0/4')).toThrow('use i/n with 1 ≤ i ≤ n');
  });

  it('puts every learner in exactly one shard, by id, in any listing order, roughly evenly', () => {
    const ids = Array.from({ length: 2000 }, (_, i) => `learner-${i}`);
    const sizes = [1, 2, 3, 4].map((i) => ids.filter((id) => inShard(id, { index: i, count: 4 })).length);
    expect(sizes.reduce((a, b) => a + b)).toBe(2000);
    for (const size of sizes) expect(size).toBeGreaterThan(400);
    expect(ids.map((id) => shardOf(id, 4))).toEqual([...ids].reverse().map((id) => shardOf(id, 4)).reverse());
    // Pinned: a shard must not move between versions, or resumed CI matrices would regrade.
    expect(['ada', 'bob', 'cy', 'learner-7'].map((id) => shardOf(id, 8))).toEqual([6, 1, 6, 8]);
    expect(shardOf('ada', 1)).toBe(1);
  });
});

describe('failure causes', () => {
  const failures = (messages: Record<string, string>, code?: string) => Object.entries(messages).map(([learner, message]) => ({ learner, message, ...(code ? { code } : {}) }));

  it('groups the messages of one template, whatever values they name, and shows the template with … where they differ', () => {
    const { causes } = groupCauses(
      failures({
        ada: 'Expected the keys raw/web/day=16/b1.jsonl, raw/web/day=17/b1.jsonl; your code wrote raw/web/day=15/b1.jsonl.',
        bob: 'Expected the keys raw/web/day=16/b1.jsonl, raw/web/day=17/b1.jsonl; your code wrote raw/web/day=15/b1.jsonl, raw/web/day=16/b1.jsonl, raw/web/day=17/b1.jsonl.',
        cy: 'Expected the keys raw/web/day=16/b1.jsonl, raw/web/day=17/b1.jsonl; your code wrote raw/web/day=15/b1.jsonl.',
        dee: 'Your code sent 12 PutObject requests for 2 partitions: write each partition object once, with all of its events.',
        eve: 'Your code sent 1,204 PutObject requests for 2 partitions: write each partition object once, with all of its events.',
      }),
    );
    expect(causes.map((c) => [c.count, c.learners])).toEqual([
      [3, ['ada', 'bob', 'cy']],
      [2, ['dee', 'eve']],
    ]);
    expect(causes[0]!.template).toBe('Expected the keys raw/web/day=16/b1.jsonl, raw/web/day=17/b1.jsonl; your code wrote raw/web/day=15/b1.jsonl…');
    expect(causes[1]!.template).toBe('Your code sent … PutObject requests for 2 partitions: write each partition object once, with all of its events.');
    // Every distinct full message is kept, with who got it.
    expect(causes[0]!.messages.map((m) => m.learners)).toEqual([['ada', 'cy'], ['bob']]);
    expect(causes[1]!.messages.map((m) => m.text)).toContain('Your code sent 1,204 PutObject requests for 2 partitions: write each partition object once, with all of its events.');
  });

  it("keeps the values a check fixes itself, which digit masking would hide ('step 2', '-5')", () => {
    expect(templateOf(['add(-2, -3) should be -5; your code returned 1.', 'add(-2, -3) should be -5; your code returned -1.'])).toBe('add(-2, -3) should be -5; your code returned ….');
    expect(templateOf(['Step 2 needs one object per partition.'])).toBe('Step 2 needs one object per partition.');
  });

  it('puts the starter\'s "Not implemented yet" in one count of its own, whatever the check made of it', () => {
    const { notAttempted, causes } = groupCauses(
      failures({
        ada: 'Your code threw Error: Not implemented yet: add (calc.ts:2:9).',
        bob: "For the timestamp 'yesterday', partitionPrefix threw \"Not implemented yet: partitionPrefix (step 1)\", which does not name the timestamp.",
        cy: 'add(2, 3) should be 5; your code returned 6.',
      }),
    );
    expect(notAttempted).toEqual({ count: 2, learners: ['ada', 'bob'] });
    expect(causes.map((c) => c.learners)).toEqual([['cy']]);
  });

  it('groups by the code a check gives, however different the messages', () => {
    const { causes } = groupCauses([
      ...failures({ ada: 'One PutObject per event: 12 requests for 2 partitions.', bob: 'You wrote each event as its own object (raw/web/e-1.json, raw/web/e-2.json).' }, 'one-object-per-event'),
      ...failures({ cy: 'One PutObject per event: 12 requests for 2 partitions.' }),
    ]);
    expect(causes.map((c) => [c.code, c.learners])).toEqual([
      ['one-object-per-event', ['ada', 'bob']],
      [undefined, ['cy']],
    ]);
  });

  it("takes a check's code only as lower-case words joined by hyphens; another is the author's mistake, named", () => {
    expect(new CheckFailure('add(1, 2) returned -1', { code: 'subtracts-instead' }).code).toBe('subtracts-instead');
    expect(new CheckFailure('add(1, 2) returned -1').code).toBeUndefined();
    for (const code of ['Subtracts', 'one object', '', 'x'.repeat(65)]) {
      expect(() => new CheckFailure('m', { code }), code).toThrow(CheckDefinitionError);
    }
    expect(() => new CheckFailure('m', { code: 'One Object' })).toThrow(`fail(…, { code: "One Object" }): a code is lower-case words joined by hyphens`);
  });

  it('lumps the messages past the hundredth cause together rather than comparing every message with every other', () => {
    // 120 messages that share no word: 100 causes, then one catch-all of the other 20.
    const words = (i: number) => Array.from({ length: 4 }, (_, k) => `w${i}x${k}`).join(' ');
    const { causes } = groupCauses(Array.from({ length: 120 }, (_, i) => ({ learner: `l${i}`, message: words(i) })));
    expect(causes).toHaveLength(101);
    const other = causes.find((c) => c.template === OTHER_MESSAGES)!;
    expect(other).toMatchObject({ count: 20, moreMessages: 10 });
    expect(other.messages).toHaveLength(10);
  });

  it('tells messages of different templates apart', () => {
    const { causes } = groupCauses(
      failures({
        ada: "For workload 'etl' you chose m5.xlarge on demand at $140.16 a month, but c6i.large on Spot costs $31.02.",
        bob: "For workload 'etl' you chose m5.xlarge on demand at $140.16 a month, but c6i.large on Spot costs $29.90.",
        cy: "For workload 'etl' your code threw TypeError: Cannot read properties of undefined (reading 'PriceList').",
      }),
    );
    expect(causes.map((c) => c.learners)).toEqual([['ada', 'bob'], ['cy']]);
  });
});

describe('item analysis', () => {
  it('counts pass rates over submissions that loaded, with causes, their learners and not attempted apart', () => {
    const graded = [
      { id: 'ada', report: report({}) },
      { id: 'bob', report: report({ squares: ['fail', 'square(3) should be 9; got 6'] }) },
      { id: 'cy', report: report({ squares: ['fail', 'square(3) should be 9; got 8'] }) },
      { id: 'dee', report: report({ squares: ['error', 'Your code threw Error: Not implemented yet: square'], adds: 'fail' }) },
      { id: 'eve', report: report({}, { kind: 'syntax', message: 'Unexpected token' }) },
      { id: 'fay', unreadable: 'unreadable' as const },
      { id: 'gus', unreadable: 'unreadable' as const },
    ];
    const analysis = analyseItems(CHECKS, graded);
    expect(analysis).toMatchObject({ submissions: 7, loaded: 4, notLoaded: { syntax: 1, unreadable: 2 } });
    const squares = analysis.checks.find((c) => c.id === 'squares')!;
    expect(squares).toMatchObject({ graded: 4, passed: 1, passRate: 0.25, maxScore: 2, statuses: { pass: 1, fail: 2, error: 1, timeout: 0 } });
    expect(squares.notAttempted).toEqual({ count: 1, learners: ['dee'] });
    expect(squares.causes).toEqual([
      {
        template: 'square(3) should be 9; got …',
        count: 2,
        learners: ['bob', 'cy'],
        messages: [
          { text: 'square(3) should be 9; got 6', learners: ['bob'] },
          { text: 'square(3) should be 9; got 8', learners: ['cy'] },
        ],
        moreMessages: 0,
      },
    ]);
    expect(analysis.checks.find((c) => c.id === 'adds-large')).toMatchObject({ passRate: 1, discrimination: null, causes: [] });
    // Learners who pass `adds` also pass more of the rest: it discriminates positively.
    expect(analysis.checks.find((c) => c.id === 'adds')!.discrimination).toBeGreaterThan(0);
    const text = formatItemAnalysis(analysis, 100, 'grades.json');
    expect(text).toContain('4 of 7 submissions loaded');
    expect(text).toContain('1 syntax, 2 unreadable');
    expect(text).toMatch(/squares\s+25% 1\/4/);
    expect(text).toContain('2× square(3) should be 9; got …');
    expect(text).toContain('bob, cy');
    expect(analysis.notAttempted).toEqual([{ step: 1, learners: ['dee'] }]);
    expect(text).toContain('  step 1: 1 learner (dee)');
    expect(text).toContain('adds-large (hidden)');
    expect(text).toContain('full message and learner: grades.json');
  });

  it('says once, by step, who left which steps unattempted', () => {
    const checks: CheckInfo[] = [1, 2, 3, 4].map((step) => ({ id: `c${step}`, title: `c${step}`, step, maxScore: 1, visibility: 'public' }));
    const result = (step: number, status: CheckResult['status'], message = ''): CheckResult => ({ ...checks[step - 1]!, status, score: status === 'pass' ? 1 : 0, message, durationMs: 1 });
    const learner = (id: string, unattempted: number[]): { id: string; report: Report } => {
      const results = checks.map((c) => (unattempted.includes(c.step) ? result(c.step, 'error', `Your code threw Error: Not implemented yet: step ${c.step}`) : result(c.step, 'pass')));
      return { id, report: { ...report({}), checks: results, status: unattempted.length ? 'fail' : 'pass', score: 4 - unattempted.length } };
    };
    const analysis = analyseItems(checks, [learner('ada', [2, 3, 4]), learner('bob', [2, 3, 4]), learner('cy', [4]), learner('dee', [])]);
    expect(analysis.notAttempted).toEqual([
      { step: 2, learners: ['ada', 'bob'] },
      { step: 3, learners: ['ada', 'bob'] },
      { step: 4, learners: ['ada', 'bob', 'cy'] },
    ]);
    const text = formatItemAnalysis(analysis);
    expect(text).toContain('  steps 2–3: 2 learners (ada, bob)\n  step 4: 3 learners (ada, bob, cy)\n');
    expect(analysis.checks.every((c) => c.causes.length === 0)).toBe(true);
  });

  it('wraps long messages instead of cutting them, and names few learners then how many more', () => {
    const message = `The merged object holds ${'raw/web/day=16/b1.jsonl '.repeat(8)}twice.`;
    const graded = Array.from({ length: 9 }, (_, i) => ({ id: `learner${i + 1}`, report: report({ adds: ['fail', message] }) }));
    const text = formatItemAnalysis(analyseItems(CHECKS, graded), 60);
    expect(text).toContain('9× The merged object holds raw/web/day=16/b1.jsonl');
    expect(text).toContain('twice.');
    expect(text).toContain('learner1, learner2, learner3, learner4, learner5, learner6 and 3 more');
    expect(wrap('a '.repeat(50), 10, 2)).toEqual(['a a a a a', 'a a a a …']);
  });
});

describe('journal', () => {
  it('keeps the newest entry per learner and ignores half a line left by a crash', () => {
    const dir = mkdtempSync(join(tmpdir(), 'whetstone-journal-'));
    const path = join(dir, 'grades.csv.journal.jsonl');
    const journal = new Journal(path, { fresh: true, validBytes: 0 });
    journal.append({ id: 'ada', fingerprint: 'f1', report: report({ adds: 'fail' }) });
    journal.append({ id: 'bob', fingerprint: 'f2', report: report({}) });
    journal.append({ id: 'ada', fingerprint: 'f3', report: report({}) });
    journal.close();
    appendFileSync(path, '{"id":"cy","fingerprint":"f4","rep');
    const read = readJournal(path);
    expect([...read.entries.keys()]).toEqual(['ada', 'bob']);
    expect(read.entries.get('ada')!.fingerprint).toBe('f3');
    // Appending cuts the half line off first, so the file stays one JSON object per line.
    const again = new Journal(path, { fresh: false, validBytes: read.validBytes });
    again.append({ id: 'cy', fingerprint: 'f5', report: report({}) });
    again.close();
    expect(readFileSync(path, 'utf8').trim().split('\n').map((l) => JSON.parse(l).id)).toEqual(['ada', 'bob', 'ada', 'cy']);
  });

  it('remembers where each full report lies, keeps slim ones in memory, and the JSON output copies the full ones', () => {
    const dir = mkdtempSync(join(tmpdir(), 'whetstone-journal-'));
    const path = join(dir, 'grades.json.journal.jsonl');
    const full = report({ adds: 'fail' });
    full.checks[0]!.trace = [{ service: 's3', operation: 'ListObjectsV2', input: {}, outcome: 'ok', httpStatusCode: 200 }];
    full.checks[0]!.state = { s3: { buckets: {} } };
    const journal = new Journal(path, { fresh: true, validBytes: 0 });
    journal.append({ id: 'bob', fingerprint: 'f0', report: report({}) });
    const ref = journal.append({ id: 'ada', fingerprint: 'f1', report: full });
    journal.close();
    const read = readJournal(path);
    expect(read.entries.get('ada')!.ref).toEqual(ref);
    expect(read.entries.get('ada')!.report.checks[0]).not.toHaveProperty('trace');
    expect(read.entries.get('ada')!.report.checks[0]).not.toHaveProperty('state');
    const fd = openSync(path, 'r');
    const out = join(dir, 'grades.json');
    const head = batchHead({ lab: 'mini', grader: 'whetstone@test', shard: 'all', seed: 1, hidden: true, checks: CHECKS, outcomes: [{ id: 'ada', report: read.entries.get('ada')!.report }] });
    writeBatchJson(out, head, [readJournalEntry(fd, ref), JSON.stringify({ id: 'cy', error: { kind: 'unreadable', message: 'x' } })]);
    closeSync(fd);
    const written = JSON.parse(readFileSync(out, 'utf8')) as BatchDocument;
    expect(written).toMatchObject({ kind: 'whetstone-batch', lab: 'mini', summary: { submissions: 1 } });
    expect(written.submissions.map((s) => s.id)).toEqual(['ada', 'cy']);
    expect(written.submissions[0]!.report!.checks[0]!.trace).toHaveLength(1);
    writeBatchJson(out, head, []);
    expect(JSON.parse(readFileSync(out, 'utf8')).submissions).toEqual([]);
  });

  it('fingerprints the files, the grader build and the seed, not the order of the files', () => {
    const a = fingerprint({ 'a.ts': '1', 'b.ts': '2' }, 'bundle', 1);
    expect(fingerprint({ 'b.ts': '2', 'a.ts': '1' }, 'bundle', 1)).toBe(a);
    expect(fingerprint({ 'a.ts': '1', 'b.ts': '3' }, 'bundle', 1)).not.toBe(a);
    expect(fingerprint({ 'a.ts': '1', 'b.ts': '2' }, 'other', 1)).not.toBe(a);
    expect(fingerprint({ 'a.ts': '1', 'b.ts': '2' }, 'bundle', 2)).not.toBe(a);
  });
});

describe('pool', () => {
  it('runs at most `jobs` at once and survives tasks that reject', async () => {
    let running = 0;
    let peak = 0;
    const failed: number[] = [];
    const done: number[] = [];
    await runPool(
      Array.from({ length: 12 }, (_, i) => i),
      async (i) => {
        running += 1;
        peak = Math.max(peak, running);
        await new Promise((r) => setTimeout(r, 2));
        running -= 1;
        if (i % 4 === 0) throw new Error(`task ${i}`);
        done.push(i);
      },
      { jobs: 3, onError: (i) => failed.push(i) },
    );
    expect(peak).toBe(3);
    expect(failed.sort((a, b) => a - b)).toEqual([0, 4, 8]);
    expect(done).toHaveLength(9);
  });

  it('starts nothing new once aborted', async () => {
    const controller = new AbortController();
    const started: number[] = [];
    await runPool(
      Array.from({ length: 10 }, (_, i) => i),
      async (i) => {
        started.push(i);
        if (i === 2) controller.abort();
        await new Promise((r) => setTimeout(r, 1));
      },
      { jobs: 2, signal: controller.signal },
    );
    expect(started.length).toBeLessThanOrEqual(4);
  });
});

describe('progress', () => {
  it('draws a bar that fits the terminal, with rate and ETA', () => {
    const line = renderBar({ done: 30, total: 120, pass: 20, fail: 8, error: 2, elapsedMs: 3000 }, 100);
    expect(line.length).toBeLessThanOrEqual(100);
    expect(line).toContain('30/120 · 10.0/s · ETA 9.0 s · 20 pass, 8 fail, 2 error');
    expect(line).toMatch(/^\[█+░+\]/);
    expect(renderBar({ done: 0, total: 5, pass: 0, fail: 0, error: 0, elapsedMs: 0 }, 40).length).toBeLessThanOrEqual(40);
    // Narrow: the bar goes first, then the verdict counts; progress itself stays.
    expect(renderBar({ done: 3, total: 5, pass: 2, fail: 1, error: 0, elapsedMs: 1000 }, 50)).toBe('3/5 · 3.0/s · ETA 0.7 s · 2 pass, 1 fail, 0 error');
    expect(renderBar({ done: 3, total: 5, pass: 2, fail: 1, error: 0, elapsedMs: 1000 }, 30)).toBe('3/5 · 3.0/s · ETA 0.7 s');
    expect(formatDuration(75)).toBe('1 min 15 s');
    expect(formatDuration(3 * 3600 + 60)).toBe('3 h 01 min');
  });

  it('redraws the bar in place, even on a terminal that reports no width', () => {
    const writes: string[] = [];
    let t = 0;
    const progress = barProgress((raw) => writes.push(raw), 0, () => (t += 200));
    progress.start(2, 0);
    progress.update({ id: 'ada', report: report({}) });
    progress.update({ id: 'bob', report: report({ adds: 'fail' }) });
    progress.stop();
    expect(writes.every((w) => w.startsWith('\r\x1b[2K'))).toBe(true);
    expect(writes.at(-2)).toContain('2/2');
    expect(writes.at(-2)).toContain('1 pass, 1 fail, 0 error');
    expect(writes.at(-1)).toBe('\r\x1b[2K');
  });

  it('prints one plain line per learner when not on a terminal', () => {
    const lines: string[] = [];
    const progress = lineProgress((l) => lines.push(l));
    progress.start(2, 5);
    progress.update({ id: 'ada', report: report({ squares: 'fail' }) });
    progress.update({ id: 'bob', input: { kind: 'unreadable', message: 'x' } });
    expect(lines).toEqual(['Grading 2 submissions (5 already graded, from the journal).', '[1/2] ada: 2/4 fail', '[2/2] bob: not graded (unreadable): x']);
  });
});

describe('submissions folder', () => {
  it('takes every sub-folder and .zip as one learner, in a human order', () => {
    const dir = mkdtempSync(join(tmpdir(), 'whetstone-subs-'));
    for (const name of ['learner10', 'learner2', 'ada', '.git']) mkdirSync(join(dir, name));
    writeFileSync(join(dir, 'bob.zip'), '');
    writeFileSync(join(dir, 'grades.csv'), '');
    writeFileSync(join(dir, '.DS_Store'), '');
    expect(findSubmissions(dir).map((e) => e.id)).toEqual(['ada', 'bob', 'learner2', 'learner10']);
    expect(() => findSubmissions(join(dir, 'nope'))).toThrow(SubmissionInputError);
  });

  it('refuses, naming both entries, two submissions one learner id would stand for: same name, case, or Unicode spelling', () => {
    const dir = mkdtempSync(join(tmpdir(), 'whetstone-subs-'));
    for (const name of ['ada', 'Kim', 'Zo\u00eb', 'Zoe\u0308']) mkdirSync(join(dir, name));
    for (const name of ['ada.zip', 'kim.zip', 'bob.zip']) writeFileSync(join(dir, name), '');
    let error: unknown;
    try {
      findSubmissions(dir);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SubmissionInputError);
    const lines = (error as Error).message.split('\n');
    expect(lines[0]).toContain('nothing was graded');
    expect(lines).toContain('  ada/ and ada.zip: both are learner ada (a zip unzips to a folder of its name).');
    expect(lines).toContain('  Kim/ and kim.zip: their names differ only in case, and an LMS or a Mac or Windows unzip takes them for one learner.');
    expect(lines.find((l) => l.includes('Unicode'))).toMatch(/^  Zo.+\/ and Zo.+\/: they are one name in two Unicode spellings/);
    expect(lines.at(-1)).toContain('Keep one submission per learner');
  });
});

describe('a batch run', () => {
  function setup(count: number) {
    const dir = mkdtempSync(join(tmpdir(), 'whetstone-run-'));
    const entries = Array.from({ length: count }, (_, i) => ({ id: `s${i + 1}`, path: join(dir, `s${i + 1}`) }));
    const graded: string[] = [];
    const base = {
      entries,
      journalPath: join(dir, 'grades.csv.journal.jsonl'),
      regrade: false,
      sanityStop: true,
      bundleHash: 'b1',
      seed: 1,
      jobs: 2,
      read: (path: string) => {
        if (path.endsWith('s3')) throw new SubmissionInputError(`${path} holds no .ts files.`);
        return { id: path, files: { 'calc.ts': `// ${path}` } };
      },
      grade: async (files: Record<string, string>) => {
        graded.push(files['calc.ts']!.split('/').pop()!);
        if (files['calc.ts']!.endsWith('s4')) throw new Error('spawn EAGAIN');
        return report(files['calc.ts']!.endsWith('s2') ? { adds: 'fail' } : {});
      },
    };
    return { dir, graded, options: (extra: Partial<RunBatchOptions> = {}): RunBatchOptions => ({ ...base, signal: new AbortController().signal, ...extra }) };
  }

  it('grades everyone once, keeps unreadable and failed gradings as rows, and resumes from the journal', async () => {
    const { graded, options } = setup(6);
    const first = await runBatch(options());
    expect(first.outcomes.map((o) => [o.id, o.report?.status ?? o.input?.kind])).toEqual([
      ['s1', 'pass'],
      ['s2', 'fail'],
      ['s3', 'unreadable'],
      ['s4', 'internal'],
      ['s5', 'pass'],
      ['s6', 'pass'],
    ]);
    expect(first).toMatchObject({ graded: 4, resumed: 0, interrupted: false });
    expect(first.outcomes.find((o) => o.id === 's4')!.input!.message).toContain("not the learner's fault");
    graded.length = 0;
    const second = await runBatch(options());
    // Only the grading that failed is tried again; the rest comes from the journal.
    expect(graded).toEqual(['s4']);
    expect(second).toMatchObject({ graded: 0, resumed: 4 });
    expect(second.outcomes).toHaveLength(6);
    graded.length = 0;
    await runBatch(options({ regrade: true }));
    expect(graded.sort()).toEqual(['s1', 's2', 's4', 's5', 's6']);
    graded.length = 0;
    await runBatch(options({ bundleHash: 'b2' }));
    expect(graded).toHaveLength(5);
  });

  it('on interrupt starts nothing new, keeps nothing cancelled, and says who is left', async () => {
    const { options } = setup(20);
    const controller = new AbortController();
    let calls = 0;
    const run = await runBatch(
      options({
        signal: controller.signal,
        grade: async () => {
          calls += 1;
          if (calls === 5) controller.abort();
          await new Promise((r) => setTimeout(r, 2));
          return report({});
        },
      }),
    );
    expect(run.interrupted).toBe(true);
    expect(run.graded).toBe(3);
    expect(run.graded + run.remaining.length + 1).toBe(20); // s3 is unreadable: a row, not remaining
    expect(run.stopped).toBeUndefined();
    expect(readJournal(options().journalPath).entries.size).toBe(3);
  });
});

describe('the sanity stop', () => {
  const forbidden = (id: string): Outcome => ({
    id,
    report: report({}, { kind: 'forbidden-import', message: "partition.ts:7: cannot import '@aws-sdk/client-s3'", file: 'partition.ts', line: 7 }),
  });
  const graded = (id: string): Outcome => ({ id, report: report({}) });

  it('stops when at least 3 in 4 of the first ten fail to load the same way, and not otherwise', () => {
    const ids = Array.from({ length: 10 }, (_, i) => `s${i + 1}`);
    const stop = sanityStop([...ids.slice(0, 8).map(forbidden), ...ids.slice(8).map(graded)], 40);
    expect(stop).toMatchObject({ kind: 'forbidden-import', sample: 10 });
    expect(stop!.alike.map((o) => o.id)).toEqual(ids.slice(0, 8));
    expect(sanityStop([...ids.slice(0, 7).map(forbidden), ...ids.slice(7).map(graded)], 40)).toBeUndefined();
    // Decided on the first ten only, once they are in.
    expect(sanityStop(ids.slice(0, 9).map(forbidden), 40)).toBeUndefined();
    expect(sanityStop([...ids.map(graded), ...ids.map(forbidden)], 40)).toBeUndefined();
    // A small class: the whole class is the sample, but two broken submissions are not "most".
    expect(sanityStop(ids.slice(0, 3).map(forbidden), 3)).toMatchObject({ sample: 3 });
    expect(sanityStop(ids.slice(0, 2).map(forbidden), 2)).toBeUndefined();
    // The grader failing is not the learners' doing, and a loaded machine can time everyone out.
    const internal = ids.map((id): Outcome => ({ id, input: { kind: 'internal', message: 'spawn EAGAIN' } }));
    expect(sanityStop(internal, 40)).toBeUndefined();
    const slow = ids.map((id): Outcome => ({ id, report: report({}, { kind: 'timeout', message: 'Your code did not finish loading within 5 s.' }) }));
    expect(sanityStop(slow, 40)).toBeUndefined();
    const unreadable = ids.map((id): Outcome => ({ id, input: { kind: 'unreadable', message: `${id} holds no .ts files.` } }));
    expect(sanityStop(unreadable, 40)).toMatchObject({ kind: 'unreadable' });
  });

  it('stops a run after its first ten, grading nobody after them; off, it grades everyone', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'whetstone-sanity-'));
    const entries = Array.from({ length: 30 }, (_, i) => ({ id: `s${i + 1}`, path: join(dir, `s${i + 1}`) }));
    let calls = 0;
    const options = (sanity: boolean, journal: string): RunBatchOptions => ({
      entries,
      journalPath: join(dir, journal),
      regrade: false,
      sanityStop: sanity,
      bundleHash: 'b1',
      seed: 1,
      jobs: 2,
      read: (path) => ({ id: path, files: { 'partition.ts': path } }),
      grade: async () => {
        calls += 1;
        await new Promise((r) => setTimeout(r, 1));
        return forbidden('x').report!;
      },
      signal: new AbortController().signal,
    });
    const stopped = await runBatch(options(true, 'a.jsonl'));
    expect(stopped.stopped).toMatchObject({ kind: 'forbidden-import', sample: 10 });
    expect(stopped.graded).toBe(10);
    expect(stopped.remaining).toHaveLength(20);
    expect(stopped.interrupted).toBe(false);
    expect(calls).toBeLessThanOrEqual(12);
    // The rerun finds the ten in the journal and stops before grading anyone.
    calls = 0;
    const again = await runBatch(options(true, 'a.jsonl'));
    expect(again).toMatchObject({ graded: 0, resumed: 10 });
    expect(again.stopped).toBeDefined();
    expect(calls).toBe(0);
    const forced = await runBatch(options(false, 'a.jsonl'));
    expect(forced.stopped).toBeUndefined();
    expect(forced).toMatchObject({ graded: 20, resumed: 10, remaining: [] });
  });
});

describe('merging shards', () => {
  const doc = (shard: string, ids: string[], checks = CHECKS) =>
    batchDocument({ lab: 'mini', grader: 'whetstone@test', shard, seed: 1, hidden: true, checks, outcomes: ids.map((id) => ({ id, report: report({}) })) });

  it('merges every learner once and recomputes the summary over the class', () => {
    const merged = mergeDocuments([
      { file: 'a.json', doc: doc('1/2', ['s1', 's3']) },
      { file: 'b.json', doc: doc('2/2', ['s2']) },
    ]);
    expect(merged.outcomes.map((o) => o.id)).toEqual(['s1', 's2', 's3']);
    expect(merged.head).toMatchObject({ shard: 'all', summary: { submissions: 3, pass: 3 } });
    expect(merged.missingShards).toEqual([]);
    expect(mergeDocuments([{ file: 'a.json', doc: doc('1/3', ['s1']) }]).missingShards).toEqual(['2/3', '3/3']);
  });

  it('says which learners an unfinished shard has not graded, and carries them into the merged document', () => {
    const unfinished = { ...doc('2/2', ['s2']), notGraded: ['s4', 's6'] };
    const merged = mergeDocuments([
      { file: 'a.json', doc: doc('1/2', ['s1']) },
      { file: 'b.json.partial', doc: unfinished },
    ]);
    expect(merged.notGraded).toEqual([
      { id: 's4', file: 'b.json.partial' },
      { id: 's6', file: 'b.json.partial' },
    ]);
    expect(merged.head.notGraded).toEqual(['s4', 's6']);
    expect(merged.missingShards).toEqual([]);
    expect(mergeDocuments([{ file: 'a.json', doc: doc('1/2', ['s1']) }]).head.missingShards).toEqual(['2/2']);
  });

  it('refuses a learner in two shards and shards graded with different checks', () => {
    expect(() => mergeDocuments([{ file: 'a.json', doc: doc('1/2', ['s1']) }, { file: 'b.json', doc: doc('2/2', ['s1']) }])).toThrow(
      /Learner s1 is in both a\.json and b\.json/,
    );
    expect(() => mergeDocuments([{ file: 'a.json', doc: doc('1/2', ['s1']) }, { file: 'b.json', doc: doc('2/2', ['s2'], CHECKS.slice(0, 2)) }])).toThrow(MergeError);
  });
});
