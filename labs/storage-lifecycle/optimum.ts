// The reference optimum the issue asks the solution's bill to be compared with: for each data
// zone of the platform's bucket, a search over lifecycle plans — stay in STANDARD, or one or two
// transitions (any class S3 can move to, on a grid of days from the zone's hot phase on) — each
// run through the same two simulated years as the checks, keeping only plans S3 accepts under
// which every read answers and the zone keeps its data as long as it says. The cheapest billed
// year per zone, summed, is the optimum; the solution's configuration is billed the same way.
//
//   node labs/storage-lifecycle/optimum.ts      (about a minute; prints both figures)
//
// Not imported by the checks (it takes far longer than a check may).

import type { LifecycleRule, TransitionStorageClass } from '@aws-sdk/client-s3';
import { canTransition, lifecycleProblem } from 'whetstone/aws/s3';
import * as solution from './solution/lifecycle.ts';
import { HOT_READERS, PLATFORM } from './platform.ts';
import { PRICES } from './prices.ts';
import type { DataZone } from './starter/lifecycle.ts';
import { simulateYear } from './year.ts';

const TARGETS: readonly TransitionStorageClass[] = ['INTELLIGENT_TIERING', 'STANDARD_IA', 'ONEZONE_IA', 'GLACIER_IR', 'GLACIER', 'DEEP_ARCHIVE'];

function zoneCost(zone: DataZone, rules: readonly LifecycleRule[]): number | undefined {
  if (lifecycleProblem({ Rules: [...rules] })) return undefined;
  const year = simulateYear({ layout: PLATFORM, rules, zones: [zone.prefix], housekeeping: false, readers: HOT_READERS });
  if (year.readFailures.length || year.retention.length) return undefined;
  return year.bill.byGroup[zone.prefix] ?? 0;
}

function plans(zone: DataZone): LifecycleRule[] {
  const end = zone.keepDays ?? Infinity;
  const days = [...new Set([0, 1, 3, 7, 14, zone.hotDays, 30, 45, 60, 90, 120, 180, 270, 365].filter((d) => d < end))].sort((a, b) => a - b);
  // Waterfalls of two transitions on a coarser grid: the hot phase's end, 30, 90 and 180 days.
  const coarse = [...new Set([zone.hotDays, 30, 90, 180].filter((d) => d < end))];
  const expire = zone.keepDays === null ? {} : { Expiration: { Days: zone.keepDays }, NoncurrentVersionExpiration: { NoncurrentDays: 1 } };
  const base = { ID: 'zone', Status: 'Enabled' as const, Filter: { Prefix: zone.prefix }, ...expire };
  const out: LifecycleRule[] = [base];
  for (const c1 of TARGETS) {
    for (const d1 of days) {
      out.push({ ...base, Transitions: [{ Days: d1, StorageClass: c1 }] });
      if (!coarse.includes(d1)) continue;
      for (const c2 of TARGETS) {
        if (!canTransition(c1, c2) || c2 === c1) continue;
        for (const d2 of coarse) if (d2 > d1) out.push({ ...base, Transitions: [{ Days: d1, StorageClass: c1 }, { Days: d2, StorageClass: c2 }] });
      }
    }
  }
  return out;
}

export function searchOptimum(): { zones: { prefix: string; optimum: number; plan: LifecycleRule; solution: number }[]; optimum: number; solution: number; tried: number } {
  const mine = solution.lifecycleConfiguration(PLATFORM, PRICES).Rules ?? [];
  let tried = 0;
  const zones = PLATFORM.zones.map((zone) => {
    let best: { cost: number; plan: LifecycleRule } | undefined;
    for (const plan of plans(zone)) {
      tried++;
      const cost = zoneCost(zone, [plan]);
      if (cost !== undefined && (!best || cost < best.cost)) best = { cost, plan };
    }
    const own = zoneCost(zone, mine);
    return { prefix: zone.prefix, optimum: best!.cost, plan: best!.plan, solution: own ?? NaN };
  });
  return { zones, optimum: zones.reduce((s, z) => s + z.optimum, 0), solution: zones.reduce((s, z) => s + z.solution, 0), tried };
}

if (import.meta.main) {
  const t0 = performance.now();
  const result = searchOptimum();
  for (const z of result.zones) {
    console.log(`${z.prefix.padEnd(12)} optimum $${z.optimum.toFixed(2).padStart(9)}  solution $${z.solution.toFixed(2).padStart(9)}  (${((z.solution / z.optimum - 1) * 100).toFixed(2)}%)  best plan: ${JSON.stringify(z.plan.Transitions ?? 'stay in STANDARD')}`);
  }
  console.log(`all zones    optimum $${result.optimum.toFixed(2)}  solution $${result.solution.toFixed(2)}  (${((result.solution / result.optimum - 1) * 100).toFixed(2)}%), ${result.tried} plans simulated in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
}
