// The s3-partitioning lab proves itself: the reference solution and every alternative get full
// marks, the starter does not, and every anti-solution in wrong/ fails exactly the checks its
// expect.json names, each with a message rather than a crash.

// The real hosts run learner code in the lab's time zone (America/Los_Angeles); the in-process
// runtime inherits the test process's zone, so set it before any Date is made.
process.env.TZ = 'America/Los_Angeles';

import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LABS_DIR } from '../../catalog/labs.ts';
import { describeChecks, gradeDir, labVariants } from '../support/grade.ts';
import { seededRandom } from '../../grader/aws/env.ts';
import { trickyTimestamp, utcDay } from '../../labs/s3-partitioning/fixtures.ts';

const LAB = 's3-partitioning';
const dir = (...parts: string[]) => join(LABS_DIR, LAB, ...parts);
// Hidden fixtures vary with the seed; every verdict below must hold for each of these.
const SEEDS = [1, 20261125];

describe('s3-partitioning', () => {
  it.each(SEEDS)('gives the reference solution full marks, hidden checks included (seed %i)', async (seed) => {
    const report = await gradeDir(LAB, dir('solution'), { seed });
    expect(describeChecks(report, (c) => c.status !== 'pass')).toEqual([]);
    expect(report.score).toBe(report.maxScore);
    expect(report.checks.filter((c) => c.visibility === 'hidden').length).toBeGreaterThanOrEqual(5);
  });

  it('gives the starter no marks, but loads it', async () => {
    const report = await gradeDir(LAB, dir('starter'));
    expect(report.error).toBeUndefined();
    expect(describeChecks(report, (c) => c.status === 'pass')).toEqual([]);
  });

  const alternatives = labVariants(LAB, 'alternatives');
  it('has at least three alternative solutions', () => expect(alternatives.length).toBeGreaterThanOrEqual(3));
  for (const alternative of alternatives) {
    it.each(SEEDS)(`gives alternatives/${alternative.name} full marks (seed %i)`, async (seed) => {
      const report = await gradeDir(LAB, alternative.dir, { seed });
      expect(describeChecks(report, (c) => c.status !== 'pass')).toEqual([]);
    });
  }

  const wrongs = labVariants(LAB, 'wrong');
  it('has at least twelve anti-solutions, each with an expectation', () => {
    expect(wrongs.length).toBeGreaterThanOrEqual(12);
    expect(wrongs.filter((w) => !w.expectation?.fails.length).map((w) => w.name)).toEqual([]);
  });
  for (const wrong of wrongs) {
    it.each(SEEDS)(`fails wrong/${wrong.name} on exactly its listed checks (seed %i)`, async (seed) => {
      const report = await gradeDir(LAB, wrong.dir, { seed });
      expect(report.error).toBeUndefined();
      const failing = report.checks.filter((c) => c.status !== 'pass');
      expect(failing.map((c) => c.id).sort()).toEqual([...(wrong.expectation?.fails ?? [])].sort());
      // A plausible mistake deserves a sentence, not a crash or a bare assertion.
      for (const check of failing) {
        expect(check.status, `${check.id}: ${check.message}`).toBe('fail');
        expect(check.message.length, check.id).toBeGreaterThan(60);
        expect(check.message).not.toMatch(/expected .* to (be|equal)/);
      }
    });
  }
});

describe('s3-partitioning fixtures', () => {
  const dayIn = (zone: string, timestamp: string) =>
    new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(timestamp));

  it('makes timestamps whose written and local days differ from the UTC day on the side asked for', () => {
    const random = seededRandom(7);
    for (let i = 0; i < 200; i++) {
      const day = `2024-0${1 + (i % 9)}-1${i % 10}`;
      const west = trickyTimestamp(random, day, 'west');
      const east = trickyTimestamp(random, day, 'east');
      const plain = trickyTimestamp(random, day, 'plain');
      expect([utcDay(west), utcDay(east), utcDay(plain)]).toEqual([day, day, day]);
      expect(west.slice(0, 10) < day && dayIn('America/Los_Angeles', west) < day, west).toBe(true);
      expect(east.slice(0, 10) > day && dayIn('Asia/Tokyo', east) > day, east).toBe(true);
      expect([plain.slice(0, 10), dayIn('America/Los_Angeles', plain), dayIn('Asia/Tokyo', plain)], plain).toEqual([day, day, day]);
    }
  });
});
