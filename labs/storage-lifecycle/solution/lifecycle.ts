// A year of ML data for the least money, without losing a read. Each function is one step of
// the lab; the types below are the contract the checks call you with.
// The imports are the SDK pieces step 5 needs; use them, or remove the ones you don't.
import { GetBucketLifecycleConfigurationCommand, PutBucketLifecycleConfigurationCommand, S3ServiceException } from '@aws-sdk/client-s3';
import type { BucketLifecycleConfiguration, LifecycleRule, S3Client, TransitionStorageClass } from '@aws-sdk/client-s3';

export type StorageClass = 'STANDARD' | 'INTELLIGENT_TIERING' | 'STANDARD_IA' | 'ONEZONE_IA' | 'GLACIER_IR' | 'GLACIER' | 'DEEP_ARCHIVE';

/** What S3 charges for one storage class, and the terms that come with it. 1 GB = 1,024³ bytes. */
export interface ClassPrices {
  storagePerGbMonth: number; // $ per GB-month (Intelligent-Tiering: its Frequent Access tier)
  entryPer1000: number; // $ per 1,000 requests that bring an object into the class: a PUT into STANDARD, a lifecycle transition into the others
  getPer1000: number; // $ per 1,000 GET requests
  retrievalPerGb: number; // $ per GB read (STANDARD_IA, ONEZONE_IA, GLACIER_IR) or restored (GLACIER, DEEP_ARCHIVE); 0 otherwise
  restorePer1000: number; // $ per 1,000 restore requests (GLACIER, DEEP_ARCHIVE); 0 otherwise
  monitoringPer1000: number; // $ per 1,000 objects a month (INTELLIGENT_TIERING, objects of 128 KiB or more); 0 otherwise
  minimumDays: number; // minimum storage duration: an object that leaves earlier is billed the remaining days
  minimumBillableKiB: number; // a smaller object is billed as this size
  overheadKiB: number; // billed per object at this class's price, on top of its size
  overheadStandardKiB: number; // billed per object at STANDARD's price
  firstByteHours: number; // how long a read waits for its first byte: 0 means milliseconds
}

export interface PriceTable {
  region: string; // e.g. 'us-east-1'
  asOf: string; // when the prices were read, 'YYYY-MM-DD'
  classes: Record<StorageClass, ClassPrices>;
}

/** What you know about some objects that will stay in one storage class. */
export interface StorageNeed {
  objects: number; // how many objects
  objectKiB: number; // the size of each, in KiB (1 KiB = 1,024 bytes)
  days: number; // how many days they stay in the class
  readsPerMonth: number; // how many times a month each object is read (0.5: every other month); a month is 30 days
  readWithinHours: number; // how long a read may wait for its first byte: 0 means at once
  recreatable: boolean; // if lost, the data can be rebuilt from elsewhere
  accessKnown: boolean; // false: nobody can say how often it will be read
}

/** A prefix of the bucket where one kind of data lands, one object after another, every day. */
export interface DataZone {
  prefix: string; // e.g. 'raw/' (always ends with '/')
  what: string; // what lives there, for people
  objectKiB: number; // the size of each object, in KiB
  objectsPerDay: number; // how many objects land each day
  hotDays: number; // objects younger than this are read often and at once: they stay in STANDARD
  coldReadsPerMonth: number; // from hotDays on, each object is read this often…
  coldReadWithinHours: number; // …and such a read may wait this long for its first byte (0: at once)
  recreatable: boolean; // if lost, the data can be rebuilt from elsewhere
  keepDays: number | null; // objects are deleted when this many days old; null: kept forever
}

/** Training checkpoints: every run overwrites one key, `<prefix><run>/latest.ckpt`, in the versioned bucket. */
export interface CheckpointZone {
  prefix: string; // e.g. 'checkpoints/'
  keepPrevious: number; // keep this many checkpoints before the newest of each run, whatever their age
  previousDays: number; // older checkpoints are deleted this many days after a newer one replaced them
}

/** Model artifacts: every release overwrites `<prefix><model>/model.tar.gz` in the versioned bucket. */
export interface ModelZone {
  prefix: string; // e.g. 'models/'
  rollbackDays: number; // a replaced model stays available this many days, then goes
}

/** The ML bucket: versioned, with its data zones, checkpoints, models, and multipart uploads anywhere. */
export interface BucketLayout {
  zones: DataZone[];
  checkpoints: CheckpointZone;
  models: ModelZone;
  abortUploadsAfterDays: number; // incomplete multipart uploads are aborted this many days after they start
}

const KIB_PER_GB = 1024 * 1024;
const DAYS_PER_MONTH = 30;
/** S3 moves objects of at least 128 KiB only (the default since September 2024); Intelligent-Tiering monitors those only. */
const SMALLEST_MOVED_KIB = 128;
/** Lifecycle refuses transitions to these before day 30. */
const AFTER_30_DAYS: readonly StorageClass[] = ['STANDARD_IA', 'ONEZONE_IA'];
const CLASSES: readonly StorageClass[] = ['STANDARD', 'INTELLIGENT_TIERING', 'STANDARD_IA', 'ONEZONE_IA', 'GLACIER_IR', 'GLACIER', 'DEEP_ARCHIVE'];

/** Step 1: what `need.objects` objects cost, in dollars, for `need.days` days in `storageClass`. */
export function stayCost(need: StorageNeed, storageClass: StorageClass, prices: PriceTable): number {
  const p = prices.classes[storageClass];
  const months = need.days / DAYS_PER_MONTH;
  // An object that leaves before the minimum duration is billed the rest anyway.
  const billedMonths = Math.max(need.days, p.minimumDays) / DAYS_PER_MONTH;
  const objectGb = (Math.max(need.objectKiB, p.minimumBillableKiB) + p.overheadKiB) / KIB_PER_GB;
  const overheadGb = p.overheadStandardKiB / KIB_PER_GB;
  const entry = (need.objects * p.entryPer1000) / 1000;
  const storage = need.objects * (objectGb * p.storagePerGbMonth + overheadGb * prices.classes.STANDARD.storagePerGbMonth) * billedMonths;
  const monitoring = need.objectKiB >= SMALLEST_MOVED_KIB ? (need.objects * p.monitoringPer1000 * months) / 1000 : 0;
  const perRead = p.getPer1000 / 1000 + p.restorePer1000 / 1000 + (need.objectKiB / KIB_PER_GB) * p.retrievalPerGb;
  const reads = need.objects * need.readsPerMonth * months * perRead;
  return entry + storage + monitoring + reads;
}

/** Whether the need allows a class: reads answer in time, and one-zone storage only for data that can be rebuilt. */
function allowed(need: StorageNeed, storageClass: StorageClass, prices: PriceTable): boolean {
  if (storageClass === 'INTELLIGENT_TIERING') return false;
  if (prices.classes[storageClass].firstByteHours > need.readWithinHours) return false;
  return storageClass !== 'ONEZONE_IA' || need.recreatable;
}

/** Step 2: the cheapest class whose reads and durability the need allows. */
export function storageClassFor(need: StorageNeed, prices: PriceTable): StorageClass {
  if (!need.accessKnown) return need.objectKiB < SMALLEST_MOVED_KIB ? 'STANDARD' : 'INTELLIGENT_TIERING';
  let best: StorageClass = 'STANDARD';
  let bestCost = stayCost(need, 'STANDARD', prices);
  for (const storageClass of CLASSES) {
    if (!allowed(need, storageClass, prices)) continue;
    const cost = stayCost(need, storageClass, prices);
    if (cost < bestCost) [best, bestCost] = [storageClass, cost];
  }
  return best;
}

/** The cold phase of a zone's objects, `days` long, as step 1 prices it. */
function coldNeed(zone: DataZone, days: number): StorageNeed {
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

/** Step 3: stay in STANDARD, or move when the zone turns cold (IA classes: not before day 30) — whichever costs least. */
function zonePlan(zone: DataZone, prices: PriceTable): { storageClass: StorageClass; day: number } | undefined {
  if (zone.objectKiB < SMALLEST_MOVED_KIB) return undefined;
  const start = zone.hotDays;
  const end = zone.keepDays ?? zone.hotDays + 365;
  if (end <= start) return undefined;
  let best: { storageClass: StorageClass; day: number } | undefined;
  let bestCost = stayCost(coldNeed(zone, end - start), 'STANDARD', prices);
  for (const storageClass of CLASSES) {
    if (storageClass === 'STANDARD' || !allowed(coldNeed(zone, end - start), storageClass, prices)) continue;
    const day = AFTER_30_DAYS.includes(storageClass) ? Math.max(start, 30) : start;
    if (day >= end) continue;
    const waiting = day > start ? stayCost(coldNeed(zone, day - start), 'STANDARD', prices) : 0;
    const cost = waiting + stayCost(coldNeed(zone, end - day), storageClass, prices);
    if (cost < bestCost) [best, bestCost] = [{ storageClass, day }, cost];
  }
  return best;
}

/** Steps 3 and 4: the bucket's lifecycle configuration, one rule per zone and the housekeeping rules. */
export function lifecycleConfiguration(layout: BucketLayout, prices: PriceTable): BucketLifecycleConfiguration {
  const rules: LifecycleRule[] = [];
  for (const zone of layout.zones) {
    const plan = zonePlan(zone, prices);
    if (!plan && zone.keepDays === null) continue;
    rules.push({
      ID: zone.prefix.slice(0, -1),
      Status: 'Enabled',
      Filter: { Prefix: zone.prefix },
      ...(plan ? { Transitions: [{ Days: plan.day, StorageClass: plan.storageClass as TransitionStorageClass }] } : {}),
      // Versioned bucket: expiring leaves a delete marker over a noncurrent version, which goes the day after.
      ...(zone.keepDays !== null ? { Expiration: { Days: zone.keepDays }, NoncurrentVersionExpiration: { NoncurrentDays: 1 } } : {}),
    });
  }
  rules.push(
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
  );
  return { Rules: rules };
}

/** Step 5: put the configuration on the bucket, keeping other teams' rules, and return the rules S3 then holds. */
export async function applyLifecycle(s3: S3Client, bucket: string, configuration: BucketLifecycleConfiguration): Promise<LifecycleRule[]> {
  const mine = new Set((configuration.Rules ?? []).map((rule) => rule.ID));
  let theirs: LifecycleRule[] = [];
  try {
    const current = await s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: bucket }));
    theirs = (current.Rules ?? []).filter((rule) => !mine.has(rule.ID));
  } catch (error) {
    // A bucket without a configuration answers NoSuchLifecycleConfiguration: nothing to keep.
    if (!(error instanceof S3ServiceException && error.name === 'NoSuchLifecycleConfiguration')) throw error;
  }
  try {
    await s3.send(new PutBucketLifecycleConfigurationCommand({ Bucket: bucket, LifecycleConfiguration: { Rules: [...theirs, ...(configuration.Rules ?? [])] } }));
  } catch (error) {
    throw new Error(`S3 refused the lifecycle configuration of ${bucket}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const stored = await s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: bucket }));
  return stored.Rules ?? [];
}
