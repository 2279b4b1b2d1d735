// The s3-partitioning lab proves itself: `whetstone check` passes (the solution gets full marks in
// four time zones, the starter none, every anti-solution fails exactly the checks its patch lists
// and every alternative gets full marks), every anti-solution's failures are sentences, and the
// verdicts hold under a second seed, because the hidden fixtures vary with the seed.

// The real hosts run learner code in the lab's time zone (America/Los_Angeles); the in-process
// runtime inherits the test process's zone, so set it before any Date is made.
process.env.TZ = 'America/Los_Angeles';

import { describe, expect, it } from 'vitest';
import { readLab } from '../../catalog/labs.ts';
import { solutionFiles } from '../../catalog/variants.ts';
import { seededRandom } from '../../grader/aws/env.ts';
import type { Report } from '../../grader/report.ts';
import { describeChecks, gradeFiles, labVariants } from '../support/grade.ts';
import { gradingOf, labCheck } from '../support/lab-check.ts';
import { trickyTimestamp, utcDay } from '../../labs/s3-partitioning/fixtures.ts';

const LAB = 's3-partitioning';
// `whetstone check` grades with seed 1; every verdict must also hold with this one.
const SECOND_SEED = 20261125;
const alternatives = labVariants(LAB, 'alternatives');
const wrongs = labVariants(LAB, 'wrong');

/** A plausible mistake deserves a sentence, not a crash or a bare assertion. */
function expectSentences(report: Report, where: string): void {
  for (const check of report.checks.filter((c) => c.status !== 'pass')) {
    expect(check.status, `${where} ${check.id}: ${check.message}`).toBe('fail');
    expect(check.message.length, `${where} ${check.id}`).toBeGreaterThan(60);
    expect(check.message).not.toMatch(/expected .* to (be|equal)/);
  }
}

describe('s3-partitioning', () => {
  const check = labCheck(LAB);

  it('gives the reference solution full marks with at least five hidden checks', () => {
    const report = gradingOf(check(), 'solution');
    expect(report.score).toBe(report.maxScore);
    expect(report.checks.filter((c) => c.visibility === 'hidden').length).toBeGreaterThanOrEqual(5);
  });

  it('gives the starter no marks, but loads it', () => {
    const report = gradingOf(check(), 'starter');
    expect(report.error).toBeUndefined();
    expect(describeChecks(report, (c) => c.status === 'pass')).toEqual([]);
  });

  it('has at least three alternative solutions and twelve anti-solutions', () => {
    expect(alternatives.length).toBeGreaterThanOrEqual(3);
    expect(wrongs.length).toBeGreaterThanOrEqual(12);
  });

  it('fails every anti-solution with sentences', () => {
    for (const wrong of wrongs) expectSentences(gradingOf(check(), `wrong/${wrong.name}`), wrong.name);
  });
});

describe(`s3-partitioning with seed ${SECOND_SEED}`, () => {
  it('gives the reference solution full marks', async () => {
    const report = await gradeFiles(LAB, solutionFiles(readLab(LAB)), { seed: SECOND_SEED });
    expect(describeChecks(report, (c) => c.status !== 'pass')).toEqual([]);
  });

  for (const alternative of alternatives) {
    it(`gives alternatives/${alternative.name} full marks`, async () => {
      const report = await gradeFiles(LAB, alternative.files, { seed: SECOND_SEED });
      expect(describeChecks(report, (c) => c.status !== 'pass')).toEqual([]);
    });
  }

  for (const wrong of wrongs) {
    it(`fails wrong/${wrong.name} on exactly its listed checks`, async () => {
      const report = await gradeFiles(LAB, wrong.files, { seed: SECOND_SEED });
      expect(report.error).toBeUndefined();
      expect(report.checks.filter((c) => c.status !== 'pass').map((c) => c.id).sort()).toEqual([...(wrong.fails ?? [])].sort());
      expectSentences(report, wrong.name);
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
