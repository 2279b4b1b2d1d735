// The grader's own reasoning, exactly as the steps state it, written independently of any
// submission: what a stay costs (step 1), which class a need calls for (step 2), which plan each
// data zone gets and the rules that carry it out (steps 3 and 4). Checks compare the learner's
// answers and bills with these, and explain the difference term by term.

import type { LifecycleRule, TransitionStorageClass } from '@aws-sdk/client-s3';
import type { BucketLayout, DataZone, PriceTable, StorageClass, StorageNeed } from './starter/lifecycle.ts';

export const CLASSES: readonly StorageClass[] = ['STANDARD', 'INTELLIGENT_TIERING', 'STANDARD_IA', 'ONEZONE_IA', 'GLACIER_IR', 'GLACIER', 'DEEP_ARCHIVE'];
/** Lifecycle refuses transitions into these before day 30. */
export const THIRTY_DAY: ReadonlySet<StorageClass> = new Set<StorageClass>(['STANDARD_IA', 'ONEZONE_IA']);
/** Intelligent-Tiering monitors (and tiers) objects of at least this size only. */
export const MONITORED_KIB = 128;
/** A month, for prices per month: 30 days. */
export const DAYS_PER_MONTH = 30;
/** Data kept forever is priced over a year of its cold phase. */
export const FOREVER_DAYS = 365;

const KIB_PER_GB = 1024 * 1024;

/** Each term of a stay's cost, in dollars: what messages name when the learner's total differs. */
export interface CostParts {
  entry: number;
  storage: number;
  monitoring: number;
  reads: number;
  total: number;
}

/** Step 1's formula, term by term. */
export function costParts(need: StorageNeed, cls: StorageClass, prices: PriceTable): CostParts {
  const p = prices.classes[cls];
  const standard = prices.classes.STANDARD;
  const months = need.days / DAYS_PER_MONTH;
  const billedMonths = Math.max(need.days, p.minimumDays) / DAYS_PER_MONTH;
  const perObjectGb = (Math.max(need.objectKiB, p.minimumBillableKiB) + p.overheadKiB) / KIB_PER_GB;
  const entry = (need.objects * p.entryPer1000) / 1000;
  const storage =
    need.objects * (perObjectGb * p.storagePerGbMonth + (p.overheadStandardKiB / KIB_PER_GB) * standard.storagePerGbMonth) * billedMonths;
  const monitoring = need.objectKiB >= MONITORED_KIB ? ((need.objects * p.monitoringPer1000) / 1000) * months : 0;
  const perRead = p.getPer1000 / 1000 + p.restorePer1000 / 1000 + (need.objectKiB / KIB_PER_GB) * p.retrievalPerGb;
  const reads = need.objects * need.readsPerMonth * months * perRead;
  return { entry, storage, monitoring, reads, total: entry + storage + monitoring + reads };
}

export function stayCost(need: StorageNeed, cls: StorageClass, prices: PriceTable): number {
  return costParts(need, cls, prices).total;
}

/** Why a class is out for a need, or undefined when it may hold the data. */
export function disallowed(need: StorageNeed, cls: StorageClass, prices: PriceTable): string | undefined {
  if (cls === 'INTELLIGENT_TIERING') return 'Intelligent-Tiering is for access nobody can predict';
  const wait = prices.classes[cls].firstByteHours;
  if (wait > need.readWithinHours) {
    return need.readWithinHours === 0
      ? `a read must answer at once, and ${cls} answers only after a restore of up to ${wait} hours`
      : `a read may wait ${need.readWithinHours} h, and a ${cls} restore takes up to ${wait} h`;
  }
  if (cls === 'ONEZONE_IA' && !need.recreatable) return 'ONEZONE_IA keeps one Availability Zone’s copy, and this data cannot be recreated';
  return undefined;
}

/** The classes step 2's constraints allow, cheapest first (ties in CLASSES order). */
export function rankedClasses(need: StorageNeed, prices: PriceTable): { cls: StorageClass; cost: number }[] {
  return CLASSES.filter((cls) => disallowed(need, cls, prices) === undefined)
    .map((cls) => ({ cls, cost: stayCost(need, cls, prices) }))
    .sort((a, b) => a.cost - b.cost || CLASSES.indexOf(a.cls) - CLASSES.indexOf(b.cls));
}

/** Step 2: Intelligent-Tiering when the access is unknown (STANDARD under 128 KiB), else the cheapest allowed class. */
export function classFor(need: StorageNeed, prices: PriceTable): StorageClass {
  if (!need.accessKnown) return need.objectKiB < MONITORED_KIB ? 'STANDARD' : 'INTELLIGENT_TIERING';
  return rankedClasses(need, prices)[0]!.cls;
}

/** Classes as good as the best (within a hundredth of a percent): any of them is a right answer. */
export function acceptableClasses(need: StorageNeed, prices: PriceTable): StorageClass[] {
  if (!need.accessKnown) return [classFor(need, prices)];
  const ranked = rankedClasses(need, prices);
  const best = ranked[0]!.cost;
  return ranked.filter((r) => r.cost <= best * 1.0001 + 1e-12).map((r) => r.cls);
}

// ---------------------------------------------------------------------------------------------
// Step 3: one plan per data zone.

/** What objects of a zone cost for `days` of its cold phase. */
export function coldNeed(zone: DataZone, days: number): StorageNeed {
  return {
    objects: zone.objectsPerDay,
    objectKiB: zone.objectKiB,
    days,
    readsPerMonth: zone.coldReadsPerMonth,
    readWithinHours: zone.coldReadWithinHours,
    recreatable: zone.recreatable,
    accessKnown: true,
  };
}

export interface ZonePlan {
  zone: DataZone;
  /** Undefined: the zone stays in STANDARD. */
  transition: { day: number; storageClass: StorageClass } | undefined;
  expireDay: number | undefined;
  /** One day's objects over their cold phase, by step 1's formula. */
  coldCost: number;
}

/** Where a zone's cold phase ends: its deletion, or a year after it starts for data kept forever. */
export function coldEnd(zone: DataZone): number {
  return zone.keepDays ?? zone.hotDays + FOREVER_DAYS;
}

/**
 * Every plan step 3 weighs for a zone: stay in STANDARD, or move on the cold phase's first day
 * (STANDARD_IA and ONEZONE_IA: not before day 30) to a class its cold reads allow; each with its
 * cost over the cold phase, cheapest first.
 */
export function zoneOptions(zone: DataZone, prices: PriceTable): { storageClass: StorageClass; day: number; cost: number }[] {
  const start = zone.hotDays;
  const end = coldEnd(zone);
  const options: { storageClass: StorageClass; day: number; cost: number }[] = [];
  if (end <= start) return [{ storageClass: 'STANDARD', day: start, cost: 0 }];
  options.push({ storageClass: 'STANDARD', day: start, cost: stayCost(coldNeed(zone, end - start), 'STANDARD', prices) });
  // S3 does not move objects under 128 KiB (the default since September 2024): such a zone stays.
  if (zone.objectKiB < MONITORED_KIB) return options;
  for (const cls of CLASSES) {
    if (cls === 'STANDARD' || disallowed(coldNeed(zone, end - start), cls, prices)) continue;
    const day = THIRTY_DAY.has(cls) ? Math.max(start, 30) : start;
    if (day >= end) continue;
    const before = day > start ? stayCost(coldNeed(zone, day - start), 'STANDARD', prices) : 0;
    options.push({ storageClass: cls, day, cost: before + stayCost(coldNeed(zone, end - day), cls, prices) });
  }
  return options.sort((a, b) => a.cost - b.cost || CLASSES.indexOf(a.storageClass) - CLASSES.indexOf(b.storageClass));
}

export function planZone(zone: DataZone, prices: PriceTable): ZonePlan {
  const best = zoneOptions(zone, prices)[0]!;
  return {
    zone,
    transition: best.storageClass === 'STANDARD' ? undefined : { day: best.day, storageClass: best.storageClass },
    expireDay: zone.keepDays ?? undefined,
    coldCost: best.cost,
  };
}

/** 'raw/' → 'raw': rule IDs of the reference configuration. */
export function zoneId(prefix: string): string {
  return prefix.replace(/\/$/, '').replace(/[^A-Za-z0-9-]+/g, '-');
}

/** The rule carrying a zone's plan out, or undefined when the zone needs none. */
export function zoneRule(plan: ZonePlan): LifecycleRule | undefined {
  if (!plan.transition && plan.expireDay === undefined) return undefined;
  return {
    ID: zoneId(plan.zone.prefix),
    Status: 'Enabled',
    Filter: { Prefix: plan.zone.prefix },
    ...(plan.transition ? { Transitions: [{ Days: plan.transition.day, StorageClass: plan.transition.storageClass as TransitionStorageClass }] } : {}),
    // In a versioned bucket, Expiration hides the object behind a delete marker; the noncurrent version goes the next day.
    ...(plan.expireDay !== undefined ? { Expiration: { Days: plan.expireDay }, NoncurrentVersionExpiration: { NoncurrentDays: 1 } } : {}),
  };
}

/** Steps 3 and 4: the whole configuration the rules of the steps give. */
export function referenceRules(layout: BucketLayout, prices: PriceTable): LifecycleRule[] {
  const zones = layout.zones.map((zone) => zoneRule(planZone(zone, prices))).filter((rule) => rule !== undefined);
  return [
    ...zones,
    {
      ID: 'checkpoints',
      Status: 'Enabled',
      Filter: { Prefix: layout.checkpoints.prefix },
      NoncurrentVersionExpiration: { NoncurrentDays: layout.checkpoints.previousDays, NewerNoncurrentVersions: layout.checkpoints.keepPrevious },
    },
    {
      ID: 'models',
      Status: 'Enabled',
      Filter: { Prefix: layout.models.prefix },
      Expiration: { ExpiredObjectDeleteMarker: true },
      NoncurrentVersionExpiration: { NoncurrentDays: layout.models.rollbackDays },
    },
    { ID: 'abort-incomplete-uploads', Status: 'Enabled', Filter: {}, AbortIncompleteMultipartUpload: { DaysAfterInitiation: layout.abortUploadsAfterDays } },
  ];
}
