// The learner's work in the browser, without a browser: saving and restoring files, progress,
// hints and settings over a Storage; exported zips the CLI grades as they are; imports that
// follow the CLI's rules; step progress from reports.

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { readSubmission } from '../../cli/submission-input.ts';
import type { CheckResult, Report } from '../../grader/report.ts';
import { describeProgress, progressOf, stepsDone } from '../../src/client/progress.ts';
import { sessionBootMemory } from '../../src/client/grading.ts';
import { DEFAULT_SETTINGS, filesDigest, hasSavedFiles, labProgress, loadSettings, openSavedWork, saveSettings } from '../../src/client/saved-work.ts';
import { SubmissionZipError, exportFileName, exportSubmission, importSubmission } from '../../src/client/submission-zip.ts';

/** localStorage's interface over a Map, with a switch to make it refuse writes (a full quota). */
function memoryStorage(): Storage & { full: boolean } {
  const map = new Map<string, string>();
  return {
    full: false,
    get length() {
      return map.size;
    },
    clear: () => map.clear(),
    getItem: (key) => map.get(key) ?? null,
    key: (i) => [...map.keys()][i] ?? null,
    removeItem: (key) => void map.delete(key),
    setItem(key, value) {
      if (this.full) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      map.set(key, String(value));
    },
  };
}

const result = (step: number, status: CheckResult['status']): Pick<CheckResult, 'step' | 'status'> => ({ step, status });

describe('saved work', () => {
  it('restores every file as last saved, per lab', () => {
    const storage = memoryStorage();
    const work = openSavedWork(storage, 's3-partitioning');
    expect(work.file('partition.ts')).toBeUndefined();
    expect(work.saveFile('partition.ts', 'export const a = 1;')).toBe(true);
    expect(work.saveFile('partition.ts', 'export const a = 2;')).toBe(true);
    // A new page load opens the same storage.
    expect(openSavedWork(storage, 's3-partitioning').file('partition.ts')).toBe('export const a = 2;');
    expect(openSavedWork(storage, 'iam-scoping').file('partition.ts')).toBeUndefined();
    expect(hasSavedFiles(storage, 's3-partitioning')).toBe(true);
    expect(hasSavedFiles(storage, 'iam-scoping')).toBe(false);
  });

  it('says when the browser refuses to store, instead of pretending', () => {
    const storage = memoryStorage();
    const work = openSavedWork(storage, 'lab');
    storage.full = true;
    expect(work.saveFile('a.ts', 'x')).toBe(false);
    expect(openSavedWork(undefined, 'lab').saveFile('a.ts', 'x')).toBe(false);
    expect(openSavedWork(undefined, 'lab').file('a.ts')).toBeUndefined();
  });

  it('forgets files on reset, and keeps hints and progress', () => {
    const storage = memoryStorage();
    const work = openSavedWork(storage, 'lab');
    work.saveFile('a.ts', 'mine');
    work.setHintsShown(2, 3);
    work.saveProgress({ stepsDone: [1], steps: 3, score: 2, maxScore: 5, ranAt: '2026-01-01T00:00:00.000Z' });
    work.clearFiles(['a.ts']);
    expect(work.file('a.ts')).toBeUndefined();
    expect(work.hintsShown(2)).toBe(3);
    expect(work.hintsShown(1)).toBe(0);
    expect(labProgress(storage, 'lab')?.stepsDone).toEqual([1]);
  });

  it('keeps the last report with when it ran; when storage is too full for its details, its verdicts alone', () => {
    const storage = memoryStorage();
    const work = openSavedWork(storage, 'lab');
    expect(work.lastRun()).toBeUndefined();
    const check = { id: 'a', title: 'A', step: 1, status: 'fail', score: 0, maxScore: 1, visibility: 'public', message: 'Expected 2, got 3.', durationMs: 4 } as const;
    const report: Report = {
      schemaVersion: 1,
      lab: 'lab',
      status: 'fail',
      score: 0,
      maxScore: 1,
      checks: [{ ...check, trace: [{ service: 's3', operation: 'PutObject', input: { Key: 'k' }, outcome: 'ok', httpStatusCode: 200 }], state: { s3: { buckets: {} } }, output: 'hi' }],
      durationMs: 12,
      engine: 'worker',
      grader: 'test',
    };
    const run = { report, ranAt: '2026-03-01T12:00:00.000Z', tookMs: 812, filesDigest: filesDigest({ 'a.ts': 'x' }) };
    expect(work.saveRun(run)).toBe(true);
    expect(openSavedWork(storage, 'lab').lastRun()).toEqual(run);
    expect(openSavedWork(storage, 'other').lastRun()).toBeUndefined();

    // A quota that refuses the whole report takes the verdicts and messages without calls, state or output.
    const setItem = storage.setItem.bind(storage);
    storage.setItem = (key, value) => {
      if (value.length > 400) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      setItem(key, value);
    };
    expect(work.saveRun({ ...run, tookMs: 900 })).toBe(true);
    expect(work.lastRun()).toEqual({ ...run, tookMs: 900, slim: true, report: { ...report, checks: [check] } });
    storage.setItem('whetstone:v1:lab:lab:last-run', '{"report":7}');
    expect(work.lastRun()).toBeUndefined();
  });

  it('tells whether the files changed since a run, by a digest of names and texts', () => {
    expect(filesDigest({ 'a.ts': 'x', 'b.ts': 'y' })).toBe(filesDigest({ 'b.ts': 'y', 'a.ts': 'x' }));
    expect(filesDigest({ 'a.ts': 'x' })).not.toBe(filesDigest({ 'a.ts': 'x ' }));
    expect(filesDigest({ 'a.ts': 'xy' })).not.toBe(filesDigest({ 'a.tsx': 'y' }));
    expect(filesDigest({})).toMatch(/^[0-9a-f]{8}$/);
  });

  it('remembers a failed WebContainer boot for the tab, and forgets nothing it could not store', () => {
    const session = memoryStorage();
    expect(sessionBootMemory(session).recall()).toBeUndefined();
    sessionBootMemory(session).remember('WebContainer boot timed out after 20 s');
    expect(sessionBootMemory(session).recall()).toBe('WebContainer boot timed out after 20 s');
    session.full = true;
    expect(() => sessionBootMemory(session).remember('again')).not.toThrow();
    expect(sessionBootMemory(undefined).recall()).toBeUndefined();
  });

  it('reads settings defensively', () => {
    const storage = memoryStorage();
    expect(loadSettings(storage)).toEqual(DEFAULT_SETTINGS);
    expect(loadSettings(storage, true).editor).toBe('plain');
    saveSettings(storage, { engine: 'worker', editor: 'plain', bootTimeoutMs: 5000 });
    expect(loadSettings(storage)).toEqual({ engine: 'worker', editor: 'plain', bootTimeoutMs: 5000 });
    saveSettings(storage, { engine: 'auto', editor: 'code', bootTimeoutMs: 5000 });
    expect(loadSettings(storage, true).editor).toBe('code');
    storage.setItem('whetstone:v1:settings', '{"engine":"quantum","bootTimeoutMs":-1}');
    expect(loadSettings(storage)).toEqual(DEFAULT_SETTINGS);
    storage.setItem('whetstone:v1:settings', 'not json');
    expect(loadSettings(storage)).toEqual(DEFAULT_SETTINGS);
  });
});

describe('progress', () => {
  it('a step is done when it has checks and all of them passed', () => {
    expect(stepsDone([result(1, 'pass'), result(1, 'pass'), result(2, 'pass'), result(2, 'fail'), result(3, 'timeout')])).toEqual([1]);
    expect(stepsDone([result(2, 'pass'), result(1, 'pass')])).toEqual([1, 2]);
    expect(stepsDone([])).toEqual([]);
  });

  it('a submission that could not be loaded completes no step', () => {
    const report = {
      schemaVersion: 1,
      lab: 'lab',
      status: 'error',
      score: 0,
      maxScore: 1,
      checks: [{ id: 'a', title: 'A', step: 1, status: 'pass', score: 1, maxScore: 1, visibility: 'public', message: '', durationMs: 1 }],
      error: { kind: 'syntax', message: 'Unexpected token' },
      durationMs: 1,
      engine: 'worker',
      grader: 'test',
    } satisfies Report;
    expect(progressOf(report, 3, new Date(0)).stepsDone).toEqual([]);
  });

  it('describes progress for the catalog', () => {
    expect(describeProgress(undefined, false)).toBe('Not started');
    expect(describeProgress(undefined, true)).toBe('Started');
    expect(describeProgress({ stepsDone: [1, 2], steps: 5, score: 1, maxScore: 2, ranAt: '' }, true)).toBe('2 of 5 steps done');
    expect(describeProgress({ stepsDone: [1, 2, 3], steps: 3, score: 2, maxScore: 2, ranAt: '' }, true)).toBe('All 3 steps done');
  });
});

describe('submission zips', () => {
  const now = new Date('2026-03-01T12:00:00Z');
  const files = { 'partition.ts': "export const where = 'raw/';\n", 'helpers.ts': 'export {};\n' };

  it('export: the learner files at the top plus whetstone.json, which the CLI grades as it is', () => {
    const zip = exportSubmission('s3-partitioning', files, now);
    expect(exportFileName('s3-partitioning', now)).toBe('s3-partitioning-2026-03-01.zip');
    const dir = mkdtempSync(join(tmpdir(), 'whetstone-zip-'));
    const path = join(dir, 'ada.zip');
    writeFileSync(path, zip);
    expect(readSubmission(path)).toEqual({ id: 'ada', files });
    const imported = importSubmission(zip, ['partition.ts', 'helpers.ts']);
    expect(imported).toEqual({ files, lab: 's3-partitioning', ignored: [], missing: [] });
  });

  it('import: files inside one folder, other files ignored, missing ones reported', () => {
    const zip = zipSync({
      'ada/partition.ts': strToU8('export const x = 1;\n'),
      'ada/notes.md': strToU8('# notes'),
      'ada/other.ts': strToU8('export {};'),
      '__MACOSX/ada/._partition.ts': strToU8('junk'),
    });
    expect(importSubmission(zip, ['partition.ts', 'helpers.ts'])).toEqual({
      files: { 'partition.ts': 'export const x = 1;\n' },
      ignored: ['other.ts'],
      missing: ['helpers.ts'],
    });
  });

  it('import: says what is wrong with a zip that is not a submission of this lab', () => {
    expect(() => importSubmission(strToU8('not a zip'), ['partition.ts'])).toThrow(SubmissionZipError);
    expect(() => importSubmission(zipSync({ 'policies.ts': strToU8('export {};') }), ['partition.ts'])).toThrow(
      "This zip holds policies.ts, but this lab's files are partition.ts. Is it from another lab?",
    );
    expect(() => importSubmission(zipSync({ 'a/b/partition.ts': strToU8('x') }), ['partition.ts'])).toThrow(/none of this lab's files/);
  });
});
