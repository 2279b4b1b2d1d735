// The fake S3, as labs import it (`whetstone/aws/s3`). The pieces live in s3/: keys.ts (byte
// order, bucket names), bodies.ts (what PutObject takes and GetObject gives), listing.ts (pages
// and continuation tokens), headers.ts (ranges, conditions, copy sources), model.ts (buckets,
// objects, access rules, S3's errors) and fake.ts (FakeS3 and its operations).

export { utf8 } from './bytes.ts';
export { hex, md5 } from './md5.ts';
export { FakeS3, MAX_DELETE_KEYS, SNAPSHOT_KEYS_PER_BUCKET } from './s3/fake.ts';
export { sdkStreamBody } from './s3/bodies.ts';
export { MAX_KEY_BYTES, bucketNameProblem, compareUtf8 } from './s3/keys.ts';
export { ContinuationTokens, MAX_KEYS_PER_PAGE } from './s3/listing.ts';
export type { ListPosition } from './s3/listing.ts';
export { S3Bucket, S3Model, wholeSeconds } from './s3/model.ts';
export type { Access, ObjectAttributes, S3Operation, StoredObject } from './s3/model.ts';
