// A year of ML data for the least money, without losing a read. Each function is one step of
// the lab; the types below are the contract the checks call you with.
// The imports are the SDK pieces step 5 needs; use them, or remove the ones you don't.
import { GetBucketLifecycleConfigurationCommand, PutBucketLifecycleConfigurationCommand, S3ServiceException } from '@aws-sdk/client-s3';
import type { BucketLifecycleConfiguration, LifecycleRule, S3Client } from '@aws-sdk/client-s3';

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

/** Step 1: what `need.objects` objects cost, in dollars, for `need.days` days in `storageClass`. */
export function stayCost(need: StorageNeed, storageClass: StorageClass, prices: PriceTable): number {
  throw new Error(`Not implemented yet: stayCost (step 1), called for ${need.objects} objects in ${storageClass}`);
}

/** Step 2: the cheapest class whose reads and durability the need allows. */
export function storageClassFor(need: StorageNeed, prices: PriceTable): StorageClass {
  throw new Error(`Not implemented yet: storageClassFor (step 2), called for ${need.objects} objects of ${need.objectKiB} KiB`);
}

/** Steps 3 and 4: the bucket's lifecycle configuration, one rule per zone and the housekeeping rules. */
export function lifecycleConfiguration(layout: BucketLayout, prices: PriceTable): BucketLifecycleConfiguration {
  throw new Error(`Not implemented yet: lifecycleConfiguration (step 3), called for ${layout.zones.length} zones`);
}

/** Step 5: put the configuration on the bucket, keeping other teams' rules, and return the rules S3 then holds. */
export async function applyLifecycle(s3: S3Client, bucket: string, configuration: BucketLifecycleConfiguration): Promise<LifecycleRule[]> {
  throw new Error(`Not implemented yet: applyLifecycle (step 5), called for bucket ${bucket}`);
}
