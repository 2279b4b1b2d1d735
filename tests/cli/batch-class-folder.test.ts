// What an instructor's class folder can get wrong, and what `whetstone grade --batch` does about
// it before and while grading: two entries for one learner, submissions it cannot grade (each
// said why, in the terminal), and a class graded against the wrong lab.

import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../catalog/labs.ts';
import { parseCsv } from '../../cli/batch/csv.ts';
import { ENV, KINDS, exportZip, makeClass, whetstone } from './batch-classes.ts';

describe('a class folder with two entries for one learner', () => {
  it('is refused before anything is graded, naming both entries of every clash', async () => {
    const root = mkdtempSync(join(tmpdir(), 'whetstone-clash-'));
    const klass = join(root, 'class');
    makeClass(klass, { ada: 'correct', Kim: 'correct', lee: 'subtracts', bob: 'correct' });
    exportZip(klass, 'kim', { 'calc.ts': KINDS.correct });
    exportZip(klass, 'KIM', { 'calc.ts': KINDS.starter });
    exportZip(klass, 'lee', { 'calc.ts': KINDS.correct });
    const out = join(root, 'grades.csv');
    const result = await whetstone(['grade', '--lab', 'mini', '--batch', klass, '--out', out]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`whetstone: ${klass} holds submissions that would be the same learner; nothing was graded.`);
    expect(result.stderr).toContain('  KIM.zip, Kim/ and kim.zip: their names differ only in case, and an LMS or a Mac or Windows unzip takes them for one learner.');
    expect(result.stderr).toContain('  lee/ and lee.zip: both are learner lee (a zip unzips to a folder of its name).');
    expect(result.stderr).toContain('Keep one submission per learner (rename or remove the others), then grade again.');
    // Nothing graded, nothing written: not even a journal.
    expect(readdirSync(root)).toEqual(['class']);
  });
});

describe('submissions that cannot be graded', () => {
  it('are listed in the terminal with the reason of each, as the progress goes and at the end', async () => {
    const root = mkdtempSync(join(tmpdir(), 'whetstone-reasons-'));
    const klass = join(root, 'class');
    makeClass(klass, { ada: 'correct', bob: 'correct', cy: 'subtracts', syn: 'syntax', mex: 'missing-export' });
    writeFileSync(join(klass, 'broken.zip'), 'not a zip');
    mkdirSync(join(klass, 'empty'));
    writeFileSync(join(klass, 'empty', 'notes.txt'), 'my answers are in the other folder');
    const out = join(root, 'grades.csv');
    const result = await whetstone(['grade', '--lab', 'mini', '--batch', klass, '--out', out]);
    expect(result.code, result.stderr).toBe(0);
    const end = result.stdout.slice(result.stdout.indexOf('Could not grade'));
    expect(end).toMatch(/^Could not grade 4 learners \(no points; an empty cell in a gradebook\):\n/);
    expect(end).toMatch(/\n {2}broken: unreadable — \S*broken\.zip is not a readable zip/);
    expect(end).toMatch(/\n {2}empty: unreadable — \S*empty holds no \.ts files/);
    expect(end).toMatch(/\n {2}mex: missing-export — .*slowSquare/);
    expect(end).toMatch(/\n {2}syn: syntax — calc\.ts:2:\d+: /);
    expect(result.stderr).toMatch(/\] broken: not graded \(unreadable\): \S*broken\.zip is not a readable zip/);
    expect(result.stderr).toMatch(/\] syn: not graded \(syntax\): calc\.ts:2:\d+: /);
    // The same reasons, row by row, in the grades.
    const rows = parseCsv(readFileSync(out, 'utf8'));
    const reasons = Object.fromEntries(rows.slice(1).map((r) => [r[0], [r[1], r[5]]]));
    expect(reasons).toEqual({
      ada: ['5', ''],
      bob: ['5', ''],
      broken: ['', 'unreadable'],
      cy: ['2', ''],
      empty: ['', 'unreadable'],
      mex: ['', 'missing-export'],
      syn: ['', 'syntax'],
    });
  });
});

describe('a class graded against the wrong lab', () => {
  // A labs folder holding the mini lab and s3-partitioning, so that the grader can say which lab
  // the submissions belong to.
  const labs = mkdtempSync(join(tmpdir(), 'whetstone-labs-'));
  symlinkSync(join(REPO_ROOT, 'tests', 'fixtures', 'labs', 'mini'), join(labs, 'mini'));
  symlinkSync(join(REPO_ROOT, 'labs', 's3-partitioning'), join(labs, 's3-partitioning'));
  const env = { ...ENV, WHETSTONE_LABS_DIR: labs };
  const partition = readFileSync(join(REPO_ROOT, 'labs', 's3-partitioning', 'solution', 'partition.ts'), 'utf8');

  function s3Class(dir: string): void {
    for (let i = 1; i <= 6; i++) {
      mkdirSync(join(dir, `s${i}`), { recursive: true });
      writeFileSync(join(dir, `s${i}`, 'partition.ts'), partition);
    }
    exportZip(dir, 'z1', { 'partition.ts': partition }, 's3-partitioning');
    exportZip(dir, 'z2', { 'partition.ts': partition }, 's3-partitioning');
    makeClass(dir, { mini: 'correct' });
  }

  it('stops after the first submissions fail to load alike, asks whether --lab is right, names the lab, and writes nothing', async () => {
    const root = mkdtempSync(join(tmpdir(), 'whetstone-wrong-lab-'));
    s3Class(join(root, 'class'));
    const out = join(root, 'grades.csv');
    // Last week's grades: a wrong --lab must not overwrite them.
    writeFileSync(out, 'id,score\r\nada,5\r\n');
    const result = await whetstone(['grade', '--lab', 'mini', '--batch', join(root, 'class'), '--out', out], env);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/Stopped after the first 9 submissions: 8 of them could not be graded, all for the same kind of reason \(forbidden-import\)\. s\d, for example:/);
    expect(result.stderr).toContain("partition.ts:7: cannot import '@aws-sdk/client-s3'");
    expect(result.stderr).toContain('Is --lab mini right? These submissions hold partition.ts, the learner file of --lab s3-partitioning.');
    expect(result.stderr).toContain(`Nothing was written to ${out}. If it is right, run the same command with --force to grade everyone anyway.`);
    expect(result.stdout).toBe('');
    expect(readFileSync(out, 'utf8')).toBe('id,score\r\nada,5\r\n');
    expect(existsSync(`${out}.partial`)).toBe(false);
  });

  it('goes on with --force', async () => {
    const root = mkdtempSync(join(tmpdir(), 'whetstone-wrong-lab-'));
    s3Class(join(root, 'class'));
    const out = join(root, 'grades.csv');
    const result = await whetstone(['grade', '--lab', 'mini', '--batch', join(root, 'class'), '--out', out, '--force'], env);
    expect(result.code, result.stderr).toBe(0);
    const rows = parseCsv(readFileSync(out, 'utf8')).slice(1);
    expect(rows.map((r) => [r[0], r[5]])).toEqual([
      ['mini', ''],
      ['s1', 'forbidden-import'],
      ['s2', 'forbidden-import'],
      ['s3', 'forbidden-import'],
      ['s4', 'forbidden-import'],
      ['s5', 'forbidden-import'],
      ['s6', 'forbidden-import'],
      ['z1', 'forbidden-import'],
      ['z2', 'forbidden-import'],
    ]);
  });
});
