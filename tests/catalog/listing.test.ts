// The listing `whetstone list` keeps in the cache: trusted only while no file it depends on has
// changed, so an edited lab is never listed as it was.

import { cpSync, mkdtempSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listingStamp, readListing, writeListing } from '../../catalog/listing.ts';
import { REPO_ROOT } from '../../catalog/paths.ts';

const MINI = join(REPO_ROOT, 'tests', 'fixtures', 'labs', 'mini');
const ROW = { id: 'mini', title: 'Mini lab for grader tests', steps: 1, checks: 5, hidden: 1 };

function labsCopy(): string {
  const labsDir = mkdtempSync(join(tmpdir(), 'whetstone-listing-'));
  cpSync(MINI, join(labsDir, 'mini'), { recursive: true });
  return labsDir;
}

describe('the cached listing', () => {
  it('gives back the rows kept under the same stamp', () => {
    const labsDir = labsCopy();
    const cacheDir = mkdtempSync(join(tmpdir(), 'whetstone-listing-cache-'));
    writeListing(listingStamp(labsDir), [ROW], cacheDir);
    expect(readListing(listingStamp(labsDir), cacheDir)).toEqual([ROW]);
  });

  it.each([
    ['a lab file is edited', (lab: string) => writeFileSync(join(lab, 'lab.md'), readFileSync(join(lab, 'lab.md'), 'utf8').replace('Mini lab', 'Tiny lab'))],
    ['a file is touched without a change of size', (lab: string) => utimesSync(join(lab, 'checks.ts'), new Date(), new Date(Date.now() + 5000))],
    ['a file is added', (lab: string) => writeFileSync(join(lab, 'steps', '02-more.md'), '---\ntitle: More\n---\n')],
  ])('is stale once %s', (_, edit) => {
    const labsDir = labsCopy();
    const cacheDir = mkdtempSync(join(tmpdir(), 'whetstone-listing-cache-'));
    writeListing(listingStamp(labsDir), [ROW], cacheDir);
    edit(join(labsDir, 'mini'));
    expect(readListing(listingStamp(labsDir), cacheDir)).toBeUndefined();
  });

  it('is another listing for another labs folder', () => {
    const cacheDir = mkdtempSync(join(tmpdir(), 'whetstone-listing-cache-'));
    writeListing(listingStamp(labsCopy()), [ROW], cacheDir);
    expect(readListing(listingStamp(labsCopy()), cacheDir)).toBeUndefined();
  });

  it('is only slower, never an error, when the cache cannot be written', () => {
    const notADir = join(mkdtempSync(join(tmpdir(), 'whetstone-listing-cache-')), 'file');
    writeFileSync(notADir, '');
    const stamp = listingStamp(labsCopy());
    expect(() => writeListing(stamp, [ROW], join(notADir, 'cache'))).not.toThrow();
    expect(readListing(stamp, join(notADir, 'cache'))).toBeUndefined();
  });
});
