// The fake S3, as labs import it (`whetstone/aws/s3`). The pieces live in s3/: keys.ts (byte
// order, bucket names), bodies.ts (what PutObject takes and GetObject gives), listing.ts (pages
// and continuation tokens), headers.ts (ranges, conditions, copy sources), model.ts (buckets,
// object versions, uploads, access rules, S3's errors), storage-classes.ts (classes, the
// transition waterfall, billing terms), versions.ts (versioning operations), restore.ts
// (archived objects), lifecycle.ts (lifecycle configuration and the midnight engine), prices.ts
// (a dated us-east-1 price list), bill.ts (what a simulation costs) and fake.ts (FakeS3).

export { utf8 } from './bytes.ts';
export { hex, md5 } from './md5.ts';
export { FakeS3, MAX_DELETE_KEYS, MAX_OBJECT_TAGS, SNAPSHOT_KEYS_PER_BUCKET } from './s3/fake.ts';
export type { SeedObjectOptions } from './s3/fake.ts';
export { sdkStreamBody } from './s3/bodies.ts';
export { MAX_KEY_BYTES, bucketNameProblem, compareUtf8 } from './s3/keys.ts';
export { ContinuationTokens, MAX_KEYS_PER_PAGE } from './s3/listing.ts';
export type { ListPosition } from './s3/listing.ts';
export { S3Bucket, S3Model, isDeleteMarker, unreadable, wholeSeconds, withState } from './s3/model.ts';
export type {
  Access,
  DeleteMarker,
  MultipartUpload,
  ObjectAttributes,
  ObjectVersion,
  RemovalCause,
  RestoreState,
  S3Event,
  S3Operation,
  SizedBody,
  StoredObject,
  VersioningStatus,
} from './s3/model.ts';
export {
  ARCHIVED,
  CLASS_TERMS,
  COLDNESS,
  DEFAULT_TRANSITION_MINIMUM_BYTES,
  INTELLIGENT_TIERING_MINIMUM_BYTES,
  RESTORE_HOURS,
  STORAGE_CLASSES,
  THIRTY_DAY_CLASSES,
  TRANSITION_STORAGE_CLASSES,
  canTransition,
  isStorageClass,
} from './s3/storage-classes.ts';
export type { ClassTerms, RestoreTier, StorageClass } from './s3/storage-classes.ts';
export {
  LifecycleConfigurationError,
  MAX_LIFECYCLE_RULES,
  MAX_RULE_ID_LENGTH,
  compileLifecycle,
  dueAfter,
  lifecycleProblem,
  runLifecycle,
} from './s3/lifecycle.ts';
export type { CompiledRule, LifecycleConfiguration, LifecycleEvent, LifecycleProblem, TransitionMinimumSize } from './s3/lifecycle.ts';
export { restoreHeader, startRestore } from './s3/restore.ts';
export type { RestoreOutcome } from './s3/restore.ts';
export { BYTES_PER_GB, US_EAST_1 } from './s3/prices.ts';
export type { S3PriceList, StorageTier } from './s3/prices.ts';
export { S3Bill, billableBytes } from './s3/bill.ts';
export type { BillLine, BillOptions, BillSummary, ObservableS3 } from './s3/bill.ts';
