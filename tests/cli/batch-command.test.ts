// `whetstone grade --batch` as an instructor runs it: the real bin, real child processes, a class
// of mini-lab submissions (correct, wrong, broken, hanging, zipped) in a temp folder.

import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseCsv } from '../../cli/batch/csv.ts';
import type { BatchDocument } from '../../cli/batch/grades.ts';
import { reportSchemaErrors } from '../support/report-schema.ts';
import { BIN, ENV, KINDS, journalIds, makeClass, whetstone as cli } from './batch-classes.ts';
import type { Kind } from './batch-classes.ts';

const whetstone = (...args: string[]) => cli(args);
const solution = KINDS.correct;

describe('whetstone grade --batch', () => {
  const root = mkdtempSync(join(tmpdir(), 'whetstone-batch-'));
  const klass = join(root, 'class');
  const plan: Record<string, Kind> = {};
  for (let i = 1; i <= 12; i++) plan[`learner${i}`] = 'correct';
  Object.assign(plan, { sam: 'starter', sub: 'subtracts', syn: 'syntax', mex: 'missing-export', hang: 'hangs' });
  let doc: BatchDocument;

  beforeAll(async () => {
    makeClass(klass, plan);
    writeFileSync(join(klass, 'zipped.zip'), zipSync({ 'zipped/calc.ts': strToU8(solution) }));
    writeFileSync(join(klass, 'broken.zip'), 'not a zip');
    const result = await whetstone('grade', '--lab', 'mini', '--batch', klass, '--out', join(root, 'grades.json'));
    expect(result.code, result.stderr).toBe(0);
    doc = JSON.parse(readFileSync(join(root, 'grades.json'), 'utf8')) as BatchDocument;
  }, 120_000);

  it('writes one graded entry per learner, each report valid against the published schema', () => {
    const ids = [...Object.keys(plan), 'zipped', 'broken'];
    expect(doc.submissions.map((s) => s.id).sort()).toEqual(ids.sort());
    for (const s of doc.submissions.filter((s) => s.report)) expect(reportSchemaErrors(s.report), s.id).toEqual([]);
    const byId = Object.fromEntries(doc.submissions.map((s) => [s.id, s]));
    expect(byId.learner1!.report).toMatchObject({ status: 'pass', score: 5 });
    expect(byId.zipped!.report).toMatchObject({ status: 'pass', score: 5 });
    expect(byId.sub!.report!.checks.filter((c) => c.status !== 'pass').map((c) => c.id)).toEqual(['adds', 'adds-negatives', 'adds-large']);
    expect(byId.syn!.report!.error).toMatchObject({ kind: 'syntax', file: 'calc.ts' });
    expect(byId.mex!.report!.error).toMatchObject({ kind: 'missing-export' });
    expect(byId.broken!.error).toMatchObject({ kind: 'unreadable' });
    expect(byId.broken!.error!.message).toContain('not a readable zip');
    // The hanging learner loses the check that hangs, and only that one.
    const hang = byId.hang!.report!;
    expect(hang.checks.find((c) => c.id === 'squares')!.status).toBe('timeout');
    expect(hang.score).toBe(4);
  });

  it('puts the summary and the item analysis in the JSON', () => {
    expect(doc).toMatchObject({ kind: 'whetstone-batch', lab: 'mini', shard: 'all', seed: 1, hidden: true });
    expect(doc.summary).toMatchObject({ submissions: 19, pass: 13, fail: 3, error: 3 });
    const adds = doc.itemAnalysis.checks.find((c) => c.id === 'adds')!;
    expect(adds).toMatchObject({ graded: 16, passed: 14 });
    expect(doc.itemAnalysis.notLoaded).toEqual({ syntax: 1, 'missing-export': 1, unreadable: 1 });
    // One learner, one message: the message is the template.
    expect(adds.causes.map((c) => c.template)).toEqual(['add(2, 3): expected -1 to be 5 // Object.is equality']);
    expect(adds.causes[0]!.learners).toEqual(['sub']);
    expect(adds.notAttempted).toEqual({ count: 1, learners: ['sam'] });
  });

  it('prints the item analysis and says where the grades went', async () => {
    // Everybody is in the journal now: the rerun grades nobody and prints the same summary.
    const again = await whetstone('grade', '--lab', 'mini', '--batch', klass, '--out', join(root, 'grades.json'));
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('Graded 0');
    expect(again.stdout).toContain('18 already graded, taken from the journal');
    expect(again.stdout).toMatch(/adds-negatives\s+88% 14\/16/);
    expect(again.stdout).toContain('squares');
    expect(again.stdout).toContain(`Wrote ${join(root, 'grades.json')} (19 rows, JSON)`);
    expect(again.stderr).toContain('Grading 1 submission (18 already graded, from the journal).');
  });

  it('regrades a learner whose files changed since, and nobody else', async () => {
    const changed = join(root, 'changed');
    makeClass(changed, { a: 'correct', b: 'correct', c: 'correct' });
    const out = join(root, 'changed.csv');
    await whetstone('grade', '--lab', 'mini', '--batch', changed, '--out', out);
    writeFileSync(join(changed, 'b', 'calc.ts'), KINDS.subtracts!);
    const again = await whetstone('grade', '--lab', 'mini', '--batch', changed, '--out', out);
    expect(again.stdout).toContain('Graded 1');
    expect(again.stderr).toContain('[1/1] b: 2/5 fail');
    expect(parseCsv(readFileSync(out, 'utf8')).slice(1).map((r) => r.slice(0, 5))).toEqual([
      ['a', '5', '5', '100', 'pass'],
      ['b', '2', '5', '40', 'fail'],
      ['c', '5', '5', '100', 'pass'],
    ]);
  });

  it('splits the class into shards by learner id and merges them back into the same grades', async () => {
    const parts = await Promise.all(
      ['1/2', '2/2'].map((s, i) => whetstone('grade', '--lab', 'mini', '--batch', klass, '--shard', s, '--jobs', '1', '--out', join(root, `shard-${i + 1}.json`))),
    );
    for (const p of parts) expect(p.code, p.stderr).toBe(0);
    const shards = [1, 2].map((i) => JSON.parse(readFileSync(join(root, `shard-${i}.json`), 'utf8')) as BatchDocument);
    expect(shards.map((s) => s.shard)).toEqual(['1/2', '2/2']);
    expect(shards[0]!.submissions.length).toBeGreaterThan(0);
    expect(shards[1]!.submissions.length).toBeGreaterThan(0);
    const merged = await whetstone('merge', '--out', join(root, 'all.csv'), join(root, 'shard-1.json'), join(root, 'shard-2.json'));
    expect(merged.code, merged.stderr).toBe(0);
    const rows = parseCsv(readFileSync(join(root, 'all.csv'), 'utf8'));
    expect(rows[0]).toEqual([
      'id', 'score', 'max', 'percent', 'status', 'error_kind',
      'adds (max 1)', 'adds-negatives (max 1)', 'squares (max 1)', 'fresh-module (max 1)', 'adds-large (hidden, max 1)', 'error_message',
    ]);
    const scores = Object.fromEntries(rows.slice(1).map((r) => [r[0], r[1]]));
    expect(scores).toEqual(Object.fromEntries(doc.submissions.map((s) => [s.id, s.report && !s.report.error ? String(s.report.score) : ''])));
  }, 120_000);

  it('refuses to merge part of a class, saying why before anything else, unless asked with --partial', async () => {
    // Runs after the shards above: shard-1.json and shard-2.json exist.
    const half = await whetstone('merge', '--out', join(root, 'half.csv'), join(root, 'shard-1.json'));
    expect(half.code).toBe(2);
    expect(half.stdout).toBe('');
    expect(half.stderr.trim().split('\n')).toHaveLength(1);
    expect(half.stderr).toMatch(/^whetstone: Not merging: shard 2\/2 is missing, so the merged grades would cover only part of the class\. Nothing was written\./);
    expect(half.stderr).toContain('or pass --partial to write the part anyway');
    expect(existsSync(join(root, 'half.csv'))).toBe(false);

    // A shard whose run did not finish is refused the same way, naming who is missing.
    const unfinished = { ...(JSON.parse(readFileSync(join(root, 'shard-2.json'), 'utf8')) as BatchDocument), notGraded: ['zed'] };
    writeFileSync(join(root, 'shard-2.json.partial'), JSON.stringify(unfinished));
    const early = await whetstone('merge', '--out', join(root, 'early.csv'), join(root, 'shard-1.json'), join(root, 'shard-2.json.partial'));
    expect(early.code).toBe(2);
    expect(early.stderr).toContain(`${join(root, 'shard-2.json.partial')} is not finished (1 learner not graded yet: zed)`);
    expect(existsSync(join(root, 'early.csv'))).toBe(false);

    const asked = await whetstone('merge', '--partial', '--gradebook', 'canvas', '--out', join(root, 'half.json'), join(root, 'shard-1.json'));
    expect(asked.code, asked.stderr).toBe(0);
    expect(asked.stderr).toMatch(/^Partial merge, as asked \(--partial\): shard 2\/2 is missing\./);
    expect(asked.stdout).toContain('Item analysis');
    const written = JSON.parse(readFileSync(join(root, 'half.json'), 'utf8')) as BatchDocument;
    expect(written.missingShards).toEqual(['2/2']);
    expect(written.submissions.map((s) => s.id)).toEqual((JSON.parse(readFileSync(join(root, 'shard-1.json'), 'utf8')) as BatchDocument).submissions.map((s) => s.id));
    // No gradebook from part of a class: an import would leave the rest looking ungraded.
    expect(existsSync(join(root, 'half.canvas.csv'))).toBe(false);
  });

  it('says in one line what is wrong with the flags', async () => {
    const cases: [string[], RegExp][] = [
      [['--batch', klass], /Missing --out: where to write the grades/],
      [['--batch', klass, '--out', 'grades.txt'], /--out grades\.txt: name it grades\.csv .* or grades\.json/],
      [['--batch', klass, '--out', 'g.csv', '--jobs', '0'], /--jobs 0: use a whole number from 1 to 256/],
      [['--batch', klass, '--out', 'g.csv', '--shard', '3/2'], /--shard 3\/2: use i\/n with 1 ≤ i ≤ n/],
      [['--batch', klass, '--out', 'g.csv', '--format', 'junit'], /--format junit is for one submission/],
      [['--batch', klass, '--out', 'g.csv', '--gradebook', 'blackboard'], /--gradebook blackboard: use canvas, moodle or both \(--gradebook canvas,moodle\)/],
      [['--batch', klass, '--out', 'g.csv', '--assignment', 'Week 3'], /--assignment names the points column of a gradebook file; add --gradebook canvas or moodle/],
      [['--batch', klass, '--out', 'g.json', '--shard', '1/2', '--gradebook', 'canvas'], /--gradebook with --shard: .*whetstone merge --out all\.csv --gradebook canvas shard-\*\.json/],
      [['--batch', join(root, 'nope'), '--out', 'g.csv'], /does not exist/],
      [['--batch', klass, '--out', 'g.csv', klass], /With --batch, the submissions come from/],
    ];
    for (const [args, message] of cases) {
      const result = await whetstone('grade', '--lab', 'mini', ...args);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(result.stderr, args.join(' ')).toMatch(message);
    }
  });
});

describe('an interrupted batch', () => {
  /** Start a batch, wait until `after` learners are journaled, then send `signal`. */
  async function interrupt(dir: string, out: string, signal: NodeJS.Signals, after: number) {
    const child = spawn(process.execPath, [BIN, 'grade', '--lab', 'mini', '--batch', dir, '--out', out, '--jobs', '1'], { env: ENV });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code, sig) => resolve(code ?? (sig ? -1 : null))));
    const journal = `${out}.journal.jsonl`;
    const deadline = Date.now() + 60_000;
    while (journalIds(journal).length < after && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    const atKill = journalIds(journal).length;
    child.kill(signal);
    const code = await exited;
    return { code, stderr, atKill, journal };
  }

  it('loses nothing graded when killed outright, and the rerun grades only the rest', async () => {
    const root = mkdtempSync(join(tmpdir(), 'whetstone-kill-'));
    const plan: Record<string, Kind> = {};
    for (let i = 1; i <= 16; i++) plan[`s${i}`] = i % 5 ? 'correct' : 'subtracts';
    makeClass(join(root, 'class'), plan);
    const out = join(root, 'grades.csv');
    const killed = await interrupt(join(root, 'class'), out, 'SIGKILL', 4);
    expect(killed.atKill).toBeGreaterThanOrEqual(4);
    expect(killed.atKill).toBeLessThan(16);
    const before = journalIds(killed.journal);
    expect(before.length).toBeGreaterThanOrEqual(killed.atKill);
    expect(existsSync(out)).toBe(false);
    const rerun = await whetstone('grade', '--lab', 'mini', '--batch', join(root, 'class'), '--out', out);
    expect(rerun.code, rerun.stderr).toBe(0);
    const after = journalIds(killed.journal);
    // Nobody graded twice: the rerun appended exactly the learners the journal did not hold.
    expect(after.slice(0, before.length)).toEqual(before);
    expect(new Set(after).size).toBe(after.length);
    expect(after.sort()).toEqual(Object.keys(plan).sort());
    expect(rerun.stdout).toContain(`Graded ${16 - before.length} `);
    expect(rerun.stdout).toContain(`${before.length} already graded, taken from the journal`);
    const rows = parseCsv(readFileSync(out, 'utf8')).slice(1);
    expect(rows).toHaveLength(16);
    expect(rows.filter((r) => r[4] === 'fail').map((r) => r[0])).toEqual(['s5', 's10', 's15']);
  }, 90_000);

  it('on Ctrl-C writes what is graded to <out>.partial, never to --out, says how to resume, and exits 130', async () => {
    const root = mkdtempSync(join(tmpdir(), 'whetstone-sigint-'));
    const plan: Record<string, Kind> = {};
    for (let i = 1; i <= 9; i++) plan[`s${i}`] = 'correct';
    makeClass(join(root, 'class'), plan);
    const out = join(root, 'grades.csv');
    const stopped = await interrupt(join(root, 'class'), out, 'SIGINT', 3);
    expect(stopped.code).toBe(130);
    expect(stopped.stderr).toContain('Ctrl-C: stopping.');
    expect(stopped.stderr).toMatch(/Interrupted: \d+ learners? not graded yet/);
    expect(stopped.stderr).toContain(`whetstone grade --lab mini --batch ${join(root, 'class')} --out ${out} --jobs 1`);
    expect(stopped.stderr).toContain(`The grades so far are in ${out}.partial; ${out} is written once everyone is graded.`);
    const graded = journalIds(stopped.journal);
    expect(existsSync(out)).toBe(false);
    expect(parseCsv(readFileSync(`${out}.partial`, 'utf8')).slice(1).map((r) => r[0]).sort()).toEqual([...graded].sort());
    const rerun = await whetstone('grade', '--lab', 'mini', '--batch', join(root, 'class'), '--out', out);
    expect(rerun.code, rerun.stderr).toBe(0);
    expect(rerun.stdout).toContain(`Graded ${9 - graded.length} `);
    expect(parseCsv(readFileSync(out, 'utf8')).slice(1)).toHaveLength(9);
    // The finished grades supersede the partial ones.
    expect(existsSync(`${out}.partial`)).toBe(false);
  }, 90_000);
});
