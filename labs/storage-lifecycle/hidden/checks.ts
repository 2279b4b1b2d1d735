// Hidden checks of storage-lifecycle (CLI only): needs, prices and buckets the learner never
// sees, drawn from the run's seed, so passing means following the steps' rules, not matching
// the examples (or this year's us-east-1 prices).

import { between, pick } from 'whetstone/checks';
import type { Random } from 'whetstone/checks';
import { seededRandom } from 'whetstone/aws/env';
import { lab } from '../checks.ts';
import { expectCheapestPlan, expectClasses, expectOnlyOwnPrefixes, expectReadsAnswer, expectRetention, expectSmallObjectsStay, expectStayCosts } from '../grading.ts';
import type { BucketCase } from '../grading.ts';
import { seededLayout } from '../platform.ts';
import { otherPriceList, priceTable } from '../prices.ts';
import { CLASSES, rankedClasses } from '../reference.ts';
import type { PriceTable, StorageNeed } from '../starter/lifecycle.ts';

function drawNeed(random: Random): StorageNeed {
  return {
    objects: between(random, 1, 500) * 100,
    objectKiB: pick(random, [8, 64, 128, 512, 4096, 65_536, 1_048_576]),
    days: pick(random, [5, 20, 31, 45, 75, 120, 200, 365, 1000]),
    readsPerMonth: pick(random, [0, 1 / 12, 1 / 6, 0.5, 1, 3, 10]),
    readWithinHours: pick(random, [0, 0, 4, 6, 12, 24, 72]),
    recreatable: random() < 0.5,
    accessKnown: random() < 0.85,
  };
}

/** Needs whose best class beats the next by 1%, so a right answer is not a rounding accident. */
function clearNeeds(random: Random, prices: PriceTable, n: number): StorageNeed[] {
  const out: StorageNeed[] = [];
  for (let i = 0; out.length < n && i < 500; i++) {
    const need = drawNeed(random);
    const [a, b] = rankedClasses(need, prices);
    if (!need.accessKnown || !b || b.cost > a!.cost * 1.01) out.push(need);
  }
  return out;
}

function seededBucket(seed: number): BucketCase {
  const random = seededRandom(seed);
  const priceList = otherPriceList(random);
  const prices = priceTable(priceList);
  const { layout, neighbours, readers } = seededLayout(random, prices);
  return { layout, prices, neighbours, readers, priceList };
}

const YEARS = { timeoutMs: 30_000 };

export default lab.checks(({ step, check }) => {
  step(1, () => {
    check('hidden-stay-costs', "Unseen needs in every class, at another region's prices", (ctx) => {
      const random = seededRandom(ctx.seed);
      const prices = priceTable(otherPriceList(random));
      expectStayCosts(ctx, Array.from({ length: 8 }, () => ({ need: drawNeed(random), storageClass: pick(random, CLASSES), prices })));
    });
  });

  step(2, () => {
    check('hidden-classes', "Unseen needs at another region's prices", (ctx) => {
      const random = seededRandom(ctx.seed ^ 0x2545f491);
      const prices = priceTable(otherPriceList(random));
      expectClasses(ctx, clearNeeds(random, prices, 10), prices);
    });
  });

  step(3, () => {
    check('hidden-bucket-safe', 'An unseen bucket: own prefixes only, every read answers, retention kept', (ctx) => {
      const bucket = seededBucket(ctx.seed);
      expectOnlyOwnPrefixes(ctx, bucket);
      expectReadsAnswer(ctx, bucket);
      expectRetention(ctx, bucket);
    }, YEARS);
    check('hidden-bucket-cost', 'An unseen bucket: no skipped transitions, each zone as cheap as the plan', (ctx) => {
      const bucket = seededBucket(ctx.seed);
      expectSmallObjectsStay(ctx, bucket);
      expectCheapestPlan(ctx, bucket);
    }, YEARS);
  });
});
