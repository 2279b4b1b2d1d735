// The pieces of batch grading, without child processes: CSV, shards, the journal, the pool,
// item analysis, progress and a whole batch run driven by a fake grader.

import { appendFileSync, closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { csvField, parseCsv, toCsv } from '../../cli/batch/csv.ts';
import { batchDocument, batchHead, gradesCsv } from '../../cli/batch/grades.ts';
import type { BatchDocument, Outcome } from '../../cli/batch/grades.ts';
import { analyseItems, formatItemAnalysis, messagePattern } from '../../cli/batch/item-analysis.ts';
import { Journal, fingerprint, readJournal, readJournalEntry } from '../../cli/batch/journal.ts';
import { writeBatchJson } from '../../cli/batch/json-output.ts';
import { MergeError, mergeDocuments } from '../../cli/batch/merge.ts';
import { runPool } from '../../cli/batch/pool.ts';
import { barProgress, formatDuration, lineProgress, renderBar } from '../../cli/batch/progress.ts';
import { runBatch } from '../../cli/batch/run.ts';
import type { RunBatchOptions } from '../../cli/batch/run.ts';
import { inShard, parseShard, shardOf } from '../../cli/batch/shard.ts';
import { findSubmissions } from '../../cli/batch/submissions.ts';
import { SubmissionInputError } from '../../cli/submission-input.ts';
import { UsageError } from '../../cli/usage.ts';
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

  it('writes one row per learner, one score column per check (hidden too), and empty cells when nothing ran', () => {
    const outcomes: Outcome[] = [
      { id: 'ada', report: report({}) },
      { id: 'bob', report: report({ squares: 'fail' }) },
      { id: 'cy', report: report({}, { kind: 'syntax', message: 'calc.ts:3:1: Unexpected token.', file: 'calc.ts', line: 3 }) },
      { id: 'dee', input: { kind: 'unreadable', message: 'dee.zip is not a readable zip' } },
    ];
    const rows = parseCsv(gradesCsv(CHECKS, outcomes));
    expect(rows[0]).toEqual(['id', 'score', 'max', 'percent', 'status', 'error_kind', 'adds', 'squares', 'adds-large', 'error_message']);
    expect(rows[1]).toEqual(['ada', '4', '4', '100', 'pass', '', '1', '2', '1', '']);
    expect(rows[2]).toEqual(['bob', '2', '4', '50', 'fail', '', '1', '0', '1', '']);
    expect(rows[3]).toEqual(['cy', '0', '4', '0', 'error', 'syntax', '', '', '', 'calc.ts:3:1: Unexpected token.']);
    expect(rows[4]).toEqual(['dee', '0', '4', '0', 'error', 'unreadable', '', '', '', 'dee.zip is not a readable zip']);
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

describe('item analysis', () => {
  it('groups messages that differ only in numbers, dates and ids', () => {
    expect(messagePattern('add(-2, -3) should be -5; your code returned 1.')).toBe(messagePattern('add(-7, -1) should be -8; your code returned 6.'));
    expect(messagePattern('Event e-7f3a at 2024-01-15T23:30:00-08:00 went to day=15')).toBe('Event <id> at <time> went to day=N');
    expect(messagePattern('Your code threw Error: boom (calc.ts:12:5).')).toBe('Your code threw Error: boom (calc.ts:N:N).');
    expect(messagePattern('S3 and EC2 stay as they are')).toBe('S3 and EC2 stay as they are');
  });

  it('counts pass rates over submissions that loaded, with the most common failures first', () => {
    const reports = [
      report({}),
      report({ squares: ['fail', 'square(3) should be 9; got 6'] }),
      report({ squares: ['fail', 'square(4) should be 16; got 8'] }),
      report({ squares: ['timeout', 'Did not finish within 2 s.'], adds: 'fail' }),
      report({}, { kind: 'syntax', message: 'Unexpected token' }),
    ];
    const analysis = analyseItems(CHECKS, reports, 2);
    expect(analysis).toMatchObject({ submissions: 7, loaded: 4, notLoaded: { syntax: 1, unreadable: 2 } });
    const squares = analysis.checks.find((c) => c.id === 'squares')!;
    expect(squares).toMatchObject({ graded: 4, passed: 1, passRate: 0.25, statuses: { pass: 1, fail: 2, error: 0, timeout: 1 } });
    expect(squares.topFailures[0]).toEqual({ pattern: 'square(N) should be N; got N', count: 2, example: 'square(3) should be 9; got 6' });
    expect(analysis.checks.find((c) => c.id === 'adds-large')).toMatchObject({ passRate: 1, discrimination: null });
    // Learners who pass `adds` also pass more of the rest: it discriminates positively.
    expect(analysis.checks.find((c) => c.id === 'adds')!.discrimination).toBeGreaterThan(0);
    const text = formatItemAnalysis(analysis);
    expect(text).toContain('4 of 7 submissions loaded');
    expect(text).toContain('1 syntax, 2 unreadable');
    expect(text).toMatch(/squares\s+25% 1\/4/);
    expect(text).toContain('2× square(N) should be N; got N');
    expect(text).toContain('adds-large (hidden)');
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
    expect(lines).toEqual(['Grading 2 submissions (5 already graded, from the journal).', '[1/2] ada: 2/4 fail', '[2/2] bob: error (unreadable)']);
  });
});

describe('submissions folder', () => {
  it('takes every sub-folder and .zip as one learner, in a human order, and flags two with one id', () => {
    const dir = mkdtempSync(join(tmpdir(), 'whetstone-subs-'));
    for (const name of ['learner10', 'learner2', 'ada', '.git']) mkdirSync(join(dir, name));
    writeFileSync(join(dir, 'bob.zip'), '');
    writeFileSync(join(dir, 'ada.zip'), '');
    writeFileSync(join(dir, 'grades.csv'), '');
    writeFileSync(join(dir, '.DS_Store'), '');
    const entries = findSubmissions(dir);
    expect(entries.map((e) => e.id)).toEqual(['ada', 'bob', 'learner2', 'learner10']);
    expect(entries[0]!.problem).toMatch(/Two submissions are named ada .*keep one of them/);
    expect(() => findSubmissions(join(dir, 'nope'))).toThrow(SubmissionInputError);
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
      force: false,
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
    await runBatch(options({ force: true }));
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
    expect(readJournal(options().journalPath).entries.size).toBe(3);
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

  it('refuses a learner in two shards and shards graded with different checks', () => {
    expect(() => mergeDocuments([{ file: 'a.json', doc: doc('1/2', ['s1']) }, { file: 'b.json', doc: doc('2/2', ['s1']) }])).toThrow(
      /Learner s1 is in both a\.json and b\.json/,
    );
    expect(() => mergeDocuments([{ file: 'a.json', doc: doc('1/2', ['s1']) }, { file: 'b.json', doc: doc('2/2', ['s2'], CHECKS.slice(0, 2)) }])).toThrow(MergeError);
  });
});
