// The parsed lab `whetstone grade` keeps in the cache: the very lab readLab gives, read again
// once a file readLab reads has changed, and never a way around the parser's errors.

import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readLabCached } from '../../catalog/lab-cache.ts';
import { LabError, readLab } from '../../catalog/labs.ts';
import { REPO_ROOT } from '../../catalog/paths.ts';

const MINI = join(REPO_ROOT, 'tests', 'fixtures', 'labs', 'mini');

function copies(): { labsDir: string; cacheDir: string; lab: string } {
  const labsDir = mkdtempSync(join(tmpdir(), 'whetstone-lab-cache-'));
  cpSync(MINI, join(labsDir, 'mini'), { recursive: true });
  return { labsDir, cacheDir: mkdtempSync(join(tmpdir(), 'whetstone-lab-cache-store-')), lab: join(labsDir, 'mini') };
}

function retitle(file: string, from: string, to: string): void {
  const text = readFileSync(file, 'utf8');
  expect(text).toContain(from);
  writeFileSync(file, text.replace(from, to));
}

describe('a cached lab', () => {
  it('is the lab readLab parses, the first time and from the cache', async () => {
    const { labsDir, cacheDir } = copies();
    const parsed = readLab('mini', labsDir);
    expect(await readLabCached('mini', labsDir, cacheDir)).toEqual(parsed);
    expect(await readLabCached('mini', labsDir, cacheDir)).toEqual(parsed);
  });

  it('is read again once lab.md or a step changes', async () => {
    const { labsDir, cacheDir, lab } = copies();
    await readLabCached('mini', labsDir, cacheDir);
    retitle(join(lab, 'lab.md'), 'Mini lab for grader tests', 'Tiny lab for grader tests');
    expect((await readLabCached('mini', labsDir, cacheDir)).manifest.title).toBe('Tiny lab for grader tests');
    const step = join(lab, 'steps', '01-add.md');
    const title = readLab('mini', labsDir).steps[0]!.title;
    retitle(step, title, `${title}, again`);
    expect((await readLabCached('mini', labsDir, cacheDir)).steps[0]!.title).toBe(`${title}, again`);
  });

  it('gives the parser\'s error for a lab that broke after it was cached, and for an unknown one', async () => {
    const { labsDir, cacheDir, lab } = copies();
    await readLabCached('mini', labsDir, cacheDir);
    rmSync(join(lab, 'checks.ts'));
    await expect(readLabCached('mini', labsDir, cacheDir)).rejects.toThrow(LabError);
    await expect(readLabCached('mini', labsDir, cacheDir)).rejects.toThrow(/checks\.ts is missing/);
    await expect(readLabCached('nope', labsDir, cacheDir)).rejects.toThrow(/Unknown lab 'nope'/);
  });
});
