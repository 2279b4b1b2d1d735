// S3's storage classes as the fake needs them: which exist, which a lifecycle transition may move
// an object between (the "waterfall"), which are archived (read only after a restore), how long
// a restore takes, and the billing terms every class carries (minimum duration, minimum billable
// size, per-object overhead). Prices are not here: they live, dated, in prices.ts.
//
// Sources, read 2026-11-30:
// - S3 User Guide, "Understanding and managing Amazon S3 storage classes" and "Transitioning
//   objects using Amazon S3 Lifecycle" (supported and unsupported transitions, the 128 KB
//   default, "Constraints and considerations for transitions"), as mirrored by the AWS
//   documentation proxies in the search corpus.
// - @aws-sdk/client-s3 3.1175 model documentation: StorageClass and TransitionStorageClass
//   enums; RestoreObject ("Standard retrievals typically finish within 3–5 hours for objects
//   stored in the S3 Glacier Flexible Retrieval storage class … within 12 hours for … S3 Glacier
//   Deep Archive"; "Bulk … within 5–12 hours … within 48 hours"; Expedited "within 1–5 minutes",
//   "not available for objects stored in the S3 Glacier Deep Archive storage class");
//   GetObject ("Object is archived and inaccessible until restored").
// - aws.amazon.com/s3/pricing, storage classes' footnotes: minimum storage durations (30 days
//   Standard-IA and One Zone-IA, 90 Glacier Instant Retrieval and Flexible Retrieval, 180 Deep
//   Archive), minimum billable object size 128 KB (Standard-IA, One Zone-IA, Glacier Instant
//   Retrieval), 40 KB per archived object in Glacier Flexible Retrieval and Deep Archive (32 KB
//   at the class's rate, 8 KB at S3 Standard's).

/** The storage classes a general purpose bucket's objects are in (the lab-relevant subset of the SDK's StorageClass). */
export const STORAGE_CLASSES = [
  'STANDARD',
  'INTELLIGENT_TIERING',
  'STANDARD_IA',
  'ONEZONE_IA',
  'GLACIER_IR',
  'GLACIER',
  'DEEP_ARCHIVE',
] as const;

export type StorageClass = (typeof STORAGE_CLASSES)[number];

/** What PutObject and CopyObject accept as x-amz-storage-class (the SDK's StorageClass enum, 3.1175). */
export const WRITABLE_STORAGE_CLASSES: readonly string[] = [
  ...STORAGE_CLASSES,
  'REDUCED_REDUNDANCY',
  'OUTPOSTS',
  'SNOW',
  'EXPRESS_ONEZONE',
  'FSX_OPENZFS',
  'FSX_ONTAP',
];

/** What a lifecycle Transition may name (the SDK's TransitionStorageClass enum, 3.1175). */
export const TRANSITION_STORAGE_CLASSES: readonly StorageClass[] = [
  'GLACIER',
  'STANDARD_IA',
  'ONEZONE_IA',
  'INTELLIGENT_TIERING',
  'DEEP_ARCHIVE',
  'GLACIER_IR',
];

export function isStorageClass(value: unknown): value is StorageClass {
  return typeof value === 'string' && (STORAGE_CLASSES as readonly string[]).includes(value);
}

/**
 * Where lifecycle may move an object from each class ("Supported transitions"): down the
 * waterfall only. Nothing goes back to STANDARD; Intelligent-Tiering never to Standard-IA; One
 * Zone-IA only to the Glacier classes that are not Instant Retrieval; Deep Archive nowhere.
 */
const TRANSITIONS: Readonly<Record<StorageClass, readonly StorageClass[]>> = {
  STANDARD: ['INTELLIGENT_TIERING', 'STANDARD_IA', 'ONEZONE_IA', 'GLACIER_IR', 'GLACIER', 'DEEP_ARCHIVE'],
  STANDARD_IA: ['INTELLIGENT_TIERING', 'ONEZONE_IA', 'GLACIER_IR', 'GLACIER', 'DEEP_ARCHIVE'],
  INTELLIGENT_TIERING: ['ONEZONE_IA', 'GLACIER_IR', 'GLACIER', 'DEEP_ARCHIVE'],
  ONEZONE_IA: ['GLACIER', 'DEEP_ARCHIVE'],
  GLACIER_IR: ['GLACIER', 'DEEP_ARCHIVE'],
  GLACIER: ['DEEP_ARCHIVE'],
  DEEP_ARCHIVE: [],
};

export function canTransition(from: StorageClass, to: StorageClass): boolean {
  return TRANSITIONS[from].includes(to);
}

/** How cold a class is: when one object is due for several transitions, S3 takes the coldest. */
export const COLDNESS: Readonly<Record<StorageClass, number>> = {
  STANDARD: 0,
  STANDARD_IA: 1,
  INTELLIGENT_TIERING: 2,
  ONEZONE_IA: 3,
  GLACIER_IR: 4,
  GLACIER: 5,
  DEEP_ARCHIVE: 6,
};

/** Classes whose objects cannot be read until restored (GetObject answers InvalidObjectState). */
export const ARCHIVED: ReadonlySet<StorageClass> = new Set<StorageClass>(['GLACIER', 'DEEP_ARCHIVE']);

/** Classes S3 refuses lifecycle transitions into before an object is 30 days old. */
export const THIRTY_DAY_CLASSES: ReadonlySet<StorageClass> = new Set<StorageClass>(['STANDARD_IA', 'ONEZONE_IA']);

export type RestoreTier = 'Expedited' | 'Standard' | 'Bulk';

/** How long a restore takes: the documented upper bound of each tier (RestoreObject, SDK 3.1175). */
export const RESTORE_HOURS: Readonly<Record<'GLACIER' | 'DEEP_ARCHIVE', Partial<Record<RestoreTier, number>>>> = {
  GLACIER: { Expedited: 5 / 60, Standard: 5, Bulk: 12 },
  DEEP_ARCHIVE: { Standard: 12, Bulk: 48 },
};

/** The billing terms of a class (aws.amazon.com/s3/pricing footnotes, read 2026-11-30). */
export interface ClassTerms {
  /** Deleting, overwriting or transitioning earlier bills the remaining days. */
  minimumDays: number;
  /** Smaller objects are billed as this many bytes. */
  minimumBillableBytes: number;
  /** Bytes per object billed at the class's own rate on top of its size (archive index). */
  overheadBytes: number;
  /** Bytes per object billed at S3 Standard's rate (the object's name and metadata kept in S3). */
  overheadStandardBytes: number;
}

const KB = 1024;

export const CLASS_TERMS: Readonly<Record<StorageClass, ClassTerms>> = {
  STANDARD: { minimumDays: 0, minimumBillableBytes: 0, overheadBytes: 0, overheadStandardBytes: 0 },
  // Objects under 128 KB are not monitored and stay in the Frequent Access tier (pricing footnote).
  INTELLIGENT_TIERING: { minimumDays: 0, minimumBillableBytes: 0, overheadBytes: 0, overheadStandardBytes: 0 },
  STANDARD_IA: { minimumDays: 30, minimumBillableBytes: 128 * KB, overheadBytes: 0, overheadStandardBytes: 0 },
  ONEZONE_IA: { minimumDays: 30, minimumBillableBytes: 128 * KB, overheadBytes: 0, overheadStandardBytes: 0 },
  GLACIER_IR: { minimumDays: 90, minimumBillableBytes: 128 * KB, overheadBytes: 0, overheadStandardBytes: 0 },
  GLACIER: { minimumDays: 90, minimumBillableBytes: 0, overheadBytes: 32 * KB, overheadStandardBytes: 8 * KB },
  DEEP_ARCHIVE: { minimumDays: 180, minimumBillableBytes: 0, overheadBytes: 32 * KB, overheadStandardBytes: 8 * KB },
};

/**
 * "Objects smaller than 128 KB will not transition by default to any storage class"
 * (lifecycle-transition-general-considerations; the default since September 2024).
 */
export const DEFAULT_TRANSITION_MINIMUM_BYTES = 128 * KB;

/** Intelligent-Tiering monitors (and charges monitoring for) objects of at least this size only. */
export const INTELLIGENT_TIERING_MINIMUM_BYTES = 128 * KB;
