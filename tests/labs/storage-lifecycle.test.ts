// The storage-lifecycle lab proves itself: `whetstone check` passes (the solution gets full
// marks, the starter none, every anti-solution fails exactly the checks its patch lists, the
// alternatives full marks), its messages say what was expected and what the code did, and the
// simulator and the reference reasoning behave as the steps say S3 and its bill behave.

import { describe, expect, it } from 'vitest';
import { lifecycleProblem } from '../../grader/aws/s3.ts';
import { seededRandom } from '../../grader/aws/env.ts';
import { NEEDS } from '../../labs/storage-lifecycle/fixtures.ts';
import { HOT_READERS, NEIGHBOURS, PLATFORM, seededLayout } from '../../labs/storage-lifecycle/platform.ts';
import { PRICES, otherPriceList, priceTable } from '../../labs/storage-lifecycle/prices.ts';
import { classFor, costParts, planZone, referenceRules } from '../../labs/storage-lifecycle/reference.ts';
import { LANDING_EVERY, simulateYear } from '../../labs/storage-lifecycle/year.ts';
import { labVariants } from '../support/grade.ts';
import { gradingOf, labCheck } from '../support/lab-check.ts';

const LAB = 'storage-lifecycle';
const wrong = labVariants(LAB, 'wrong');

describe('storage-lifecycle grading', () => {
  const check = labCheck(LAB);

  it('does not pass the starter', () => {
    const report = gradingOf(check(), 'starter');
    expect(report.score).toBe(0);
    expect(report.checks.find((c) => c.id === 'stay-cost-standard')!.message).toMatch(/Not implemented yet/);
  });

  it('has the anti-solutions the issue lists', () => {
    expect(wrong.map((w) => w.name)).toEqual(
      expect.arrayContaining([
        'ia-before-30-days',
        'prefix-without-slash',
        'expires-raw',
        'archives-weekly-training-data',
        'no-minimum-duration',
        'transitions-tiny-objects',
        'no-abort-uploads',
        'expires-every-checkpoint',
      ]),
    );
  });

  it("puts S3's refusal, the neighbour's key and the failed read in the learner's messages", () => {
    const message = (variant: string, id: string) => gradingOf(check(), `wrong/${variant}`).checks.find((c) => c.id === id)!.message ?? '';
    expect(message('ia-before-30-days', 'accepted-by-s3')).toMatch(/InvalidArgument: 'Days' in Transition action must be greater than or equal to 30 for storageClass 'ONEZONE_IA'/);
    expect(message('prefix-without-slash', 'own-prefixes-only')).toMatch(/raw-archive\/2024\/audit-0\.parquet, another team's object/);
    expect(message('archives-weekly-training-data', 'reads-answer')).toMatch(/the weekly training job read processed\/.* InvalidObjectState .* read at once for their first 90 days/);
    expect(message('no-minimum-duration', 'stay-cost-minimums')).toMatch(/That is the cost without the minimum storage duration\./);
    expect(message('expires-raw', 'retention')).toMatch(/raw\/ is kept forever/);
  });
});

describe('storage-lifecycle reference and simulator', () => {
  it('prices the step 1 example term by term', () => {
    expect(costParts(NEEDS.tenDaysInIa, 'STANDARD_IA', PRICES)).toEqual({ entry: 0.02, storage: 0.1953125, monitoring: 0, reads: 0.026375, total: 0.2416875 });
  });

  it('picks the classes step 2 names', () => {
    expect(classFor(NEEDS.auditInstant, PRICES)).toBe('GLACIER_IR');
    expect(classFor(NEEDS.auditFiveHours, PRICES)).toBe('GLACIER');
    expect(classFor(NEEDS.rebuildableShards, PRICES)).toBe('ONEZONE_IA');
    expect(classFor(NEEDS.monthlyReports, PRICES)).toBe('STANDARD_IA');
    expect(classFor(NEEDS.tinyUnknown, PRICES)).toBe('STANDARD');
  });

  it('plans the platform as step 3 describes it', () => {
    const plans = Object.fromEntries(PLATFORM.zones.map((z) => [z.prefix, planZone(z, PRICES).transition]));
    expect(plans).toEqual({
      'raw/': { day: 3, storageClass: 'GLACIER' },
      'processed/': { day: 90, storageClass: 'GLACIER' },
      'features/': { day: 30, storageClass: 'ONEZONE_IA' },
      'scratch/': undefined,
      'logs/': undefined,
    });
  });

  it('gives a configuration S3 accepts, under which two years go by without a failed read, a lost object or a leftover', () => {
    const rules = referenceRules(PLATFORM, PRICES);
    expect(lifecycleProblem({ Rules: rules })).toBeUndefined();
    const year = simulateYear({ layout: PLATFORM, rules, neighbours: NEIGHBOURS, readers: HOT_READERS });
    expect({ ...year, bill: undefined, transitions: undefined }).toEqual({
      bill: undefined,
      transitions: undefined,
      readFailures: [],
      retention: [],
      neighbourEvents: [],
      checkpoints: [],
      models: [],
      uploads: [],
      resumes: [],
    });
    // raw/ lands 300 objects a day, one simulated object a week: every landing moved once.
    const raw = year.transitions.find((t) => t.rule === 'raw')!;
    expect(raw.moved % (300 * LANDING_EVERY)).toBe(0);
    expect(year.bill.byGroup['raw/']).toBeGreaterThan(0);
  });

  it('bills a zone more when its objects leave a class before the minimum duration', () => {
    const scratch = PLATFORM.zones.find((z) => z.prefix === 'scratch/')!;
    const bill = (rules: Parameters<typeof simulateYear>[0]['rules']) =>
      simulateYear({ layout: PLATFORM, rules, zones: ['scratch/'], housekeeping: false, readers: HOT_READERS }).bill.byGroup['scratch/']!;
    const expire = { Expiration: { Days: scratch.keepDays! }, NoncurrentVersionExpiration: { NoncurrentDays: 1 } };
    const stay = bill([{ ID: 's', Status: 'Enabled', Filter: { Prefix: 'scratch/' }, ...expire }]);
    const ia = bill([{ ID: 's', Status: 'Enabled', Filter: { Prefix: 'scratch/' }, Transitions: [{ Days: 30, StorageClass: 'STANDARD_IA' }], ...expire }]);
    expect(ia).toBeGreaterThan(stay);
  });

  it('draws hidden buckets whose every zone has a clear plan, the same for the same seed', () => {
    const draw = (seed: number) => {
      const random = seededRandom(seed);
      const prices = priceTable(otherPriceList(random));
      return seededLayout(random, prices);
    };
    expect(draw(7)).toEqual(draw(7));
    for (const seed of [1, 2, 3]) {
      const { layout, neighbours } = draw(seed);
      expect(layout.zones).toHaveLength(4);
      expect(neighbours[0]).toMatch(/-archive\/$/);
      expect(layout.zones.some((z) => neighbours[0]!.startsWith(z.prefix.slice(0, -1)))).toBe(true);
    }
  });
});
