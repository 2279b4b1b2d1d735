// The ML platform's bucket: its zones as the steps describe them (fixed, for the public checks),
// the other teams' prefixes that share it, and bucket layouts drawn from a seed for the hidden
// checks: other prefixes, sizes, reads and retention, so that following the rules passes and
// matching the examples does not.

import { between, pick, shuffle } from 'whetstone/checks';
import type { Random } from 'whetstone/checks';
import { planZone, zoneOptions } from './reference.ts';
import type { BucketLayout, DataZone, PriceTable } from './starter/lifecycle.ts';

export const BUCKET = 'acme-ml-data';

/** The ML platform's bucket, as lab.md and the steps describe it. */
export const PLATFORM: BucketLayout = {
  zones: [
    {
      prefix: 'raw/',
      what: 'events and images as they landed; the source systems keep them 7 days, so this is the only copy',
      objectKiB: 8192,
      objectsPerDay: 300,
      hotDays: 3,
      coldReadsPerMonth: 1 / 6,
      coldReadWithinHours: 12,
      recreatable: false,
      keepDays: null,
    },
    {
      prefix: 'processed/',
      what: 'cleaned Parquet; the weekly training job reads the last 90 days of it',
      objectKiB: 65536,
      objectsPerDay: 40,
      hotDays: 90,
      coldReadsPerMonth: 1 / 3,
      coldReadWithinHours: 5,
      recreatable: true,
      keepDays: 400,
    },
    {
      prefix: 'features/',
      what: 'feature tables; the daily training job reads the last 10 days, the monthly retraining all of them',
      objectKiB: 32768,
      objectsPerDay: 120,
      hotDays: 10,
      coldReadsPerMonth: 1,
      coldReadWithinHours: 0,
      recreatable: true,
      keepDays: 180,
    },
    {
      prefix: 'scratch/',
      what: 'evaluation outputs, kept 45 days for audits',
      objectKiB: 262144,
      objectsPerDay: 12,
      hotDays: 14,
      coldReadsPerMonth: 0.5,
      coldReadWithinHours: 0,
      recreatable: false,
      keepDays: 45,
    },
    {
      prefix: 'logs/',
      what: 'training metrics, one small JSON file per logging step',
      objectKiB: 16,
      objectsPerDay: 40_000,
      hotDays: 7,
      coldReadsPerMonth: 1 / 12,
      coldReadWithinHours: 12,
      recreatable: false,
      keepDays: 90,
    },
  ],
  checkpoints: { prefix: 'checkpoints/', keepPrevious: 2, previousDays: 3 },
  models: { prefix: 'models/', rollbackDays: 30 },
  abortUploadsAfterDays: 7,
};

/** Prefixes other teams own in the bucket: no rule of yours may touch them. */
export const NEIGHBOURS = ['raw-archive/'];

/** Who reads each public zone while it is hot, for messages and the simulation (daily unless said). */
export const HOT_READERS: Readonly<Record<string, { name: string; everyDays: number }>> = {
  'raw/': { name: 'the nightly ETL', everyDays: 1 },
  'processed/': { name: 'the weekly training job', everyDays: 7 },
  'features/': { name: 'the daily training job', everyDays: 1 },
  'scratch/': { name: 'the evaluation notebooks', everyDays: 1 },
  'logs/': { name: 'the training dashboards', everyDays: 1 },
};

// ---------------------------------------------------------------------------------------------
// Seeded layouts for the hidden checks.

const PREFIXES = ['landing/', 'bronze/', 'silver/', 'gold/', 'embeddings/', 'eval/', 'tmp/', 'audio/', 'images/', 'labels/', 'clickstream/', 'telemetry/'];

/** One data zone drawn from the seed; its plan is clear (the best option beats the next by 5%). */
function drawZone(random: Random, prefix: string, prices: PriceTable): DataZone {
  for (let attempt = 0; attempt < 200; attempt++) {
    const small = random() < 0.2;
    const forever = random() < 0.25;
    const hotDays = pick(random, [0, 1, 3, 7, 10, 14, 21, 30, 45, 60, 90]);
    const zone: DataZone = {
      prefix,
      what: `the ${prefix.slice(0, -1)} zone`,
      objectKiB: small ? pick(random, [4, 12, 24, 48, 96]) : pick(random, [256, 1024, 4096, 16384, 65536, 262144]),
      objectsPerDay: small ? between(random, 2, 60) * 1000 : between(random, 5, 400),
      hotDays,
      coldReadsPerMonth: pick(random, [0, 1 / 12, 1 / 6, 1 / 3, 0.5, 1, 2]),
      coldReadWithinHours: pick(random, [0, 0, 5, 12, 24]),
      recreatable: random() < 0.5,
      keepDays: forever ? null : hotDays + pick(random, [20, 31, 45, 60, 120, 200, 300, 500]),
    };
    const options = zoneOptions(zone, prices);
    const [best, next] = options;
    if (!best) continue;
    if (next && next.cost < best.cost * 1.05) continue;
    const plan = planZone(zone, prices);
    const standard = options.find((o) => o.storageClass === 'STANDARD')!;
    // A transition must save clearly; staying must be clearly right when it is.
    if (plan.transition && best.cost > standard.cost * 0.95) continue;
    return zone;
  }
  throw new Error(`No clear zone drawn for ${prefix}`);
}

/** A bucket layout drawn from the seed: 4 data zones, one with a neighbour prefix that starts like it. */
export function seededLayout(random: Random, prices: PriceTable): { layout: BucketLayout; neighbours: string[]; readers: Record<string, { name: string; everyDays: number }> } {
  const prefixes = shuffle(random, PREFIXES).slice(0, 4);
  const zones = prefixes.map((prefix) => drawZone(random, prefix, prices));
  const readers: Record<string, { name: string; everyDays: number }> = {};
  for (const zone of zones) readers[zone.prefix] = { name: `the ${zone.prefix.slice(0, -1)} jobs`, everyDays: pick(random, [1, 1, 2, 7]) };
  const shadowed = pick(random, zones).prefix.slice(0, -1);
  return {
    layout: {
      zones,
      checkpoints: { prefix: pick(random, ['ckpt/', 'training-checkpoints/', 'checkpoints/']), keepPrevious: between(random, 1, 4), previousDays: between(random, 1, 10) },
      models: { prefix: pick(random, ['models/', 'model-registry/', 'artifacts/']), rollbackDays: pick(random, [7, 14, 30, 60]) },
      abortUploadsAfterDays: pick(random, [2, 3, 5, 7, 10, 14]),
    },
    neighbours: [`${shadowed}-archive/`],
    readers,
  };
}
