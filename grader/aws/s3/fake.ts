// The fake S3: an in-memory model of buckets and objects behind a real S3Client, as strict as
// S3 itself (LABS.md, "Fidelity"). Learners carry what they learn here to real AWS, so where S3
// is unkind (1,000 keys a page, opaque tokens, byte-order listings, `Contents` absent from an
// empty page, HEAD errors without a code, archived objects that answer InvalidObjectState until
// restored) the fake is unkind in the same way.
//
//   const s3 = new FakeS3(env);
//   s3.createBucket('lake');
//   s3.putObject('lake', 'raw/a.jsonl', '{"id":1}\n');
//   await ingestBatch(s3.client(), 'lake', 'b1', events);   // the learner's code
//   s3.keys('lake', 'raw/');                                 // what it left behind
//
// Objects live in storage classes (storage-classes.ts); a bucket may be versioned (versions.ts),
// may carry a lifecycle configuration that S3 applies at every midnight UTC (lifecycle.ts; the
// world's clock moves with `advanceTime`), and archived objects are read after a RestoreObject
// (restore.ts).
//
// Response and error shapes were checked against @aws-sdk/client-s3 3.1175 deserialising S3's
// documented XML answers (2026-11-25); S3 behaviour from the S3 API Reference of the same date;
// storage classes and versions from the S3 API Reference and User Guide (2026-11-30).

import {
  CopyObjectCommand,
  CreateBucketCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListBucketsCommand,
  ListObjectsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import type { CommonPrefix, LifecycleRule, _Object } from '@aws-sdk/client-s3';
import type { AwsEnv } from '../env.ts';
import { utf8 } from '../bytes.ts';
import { NotSentError } from '../errors.ts';
import { outputList } from '../mock.ts';
import type { Call } from '../mock.ts';
import { FakeAwsService } from '../service.ts';
import type { ErrorOptions } from '../service.ts';
import { bodyKind, describeBody, readBody, sdkStreamBody, summariseInput } from './bodies.ts';
import { lowerCaseKeys, parseCopySource, parseRange, unquote } from './headers.ts';
import { LONE_SURROGATE, MAX_KEY_BYTES, bucketNameProblem } from './keys.ts';
import { LifecycleConfigurationError, addLifecycleOperations, lifecycleProblem, runLifecycle } from './lifecycle.ts';
import type { LifecycleConfiguration, LifecycleEvent } from './lifecycle.ts';
import { ContinuationTokens, MAX_KEYS_PER_PAGE, listEntry, listPage } from './listing.ts';
import type { ListPosition } from './listing.ts';
import { S3Model, isDeleteMarker, unreadable } from './model.ts';
import type { MultipartUpload, ObjectVersion, S3Bucket, S3Event, S3Operation, SizedBody, StoredObject, VersioningStatus } from './model.ts';
import { addRestoreOperations, restoreHeader, startRestore } from './restore.ts';
import type { RestoreOutcome } from './restore.ts';
import { STORAGE_CLASSES, WRITABLE_STORAGE_CLASSES, isStorageClass } from './storage-classes.ts';
import type { RestoreTier, StorageClass } from './storage-classes.ts';
import { addVersioningOperations } from './versions.ts';

/** DeleteObjects accepts at most this many keys per request (S3 API Reference, DeleteObjects, 2026-11-25). */
export const MAX_DELETE_KEYS = 1000;
/** Keys shown per bucket in a report's state before the rest is counted instead. */
export const SNAPSHOT_KEYS_PER_BUCKET = 200;
/** "You can associate up to 10 tags with an object" (S3 User Guide, "Categorizing your storage using tags", 2026-11-30). */
export const MAX_OBJECT_TAGS = 10;

/** The URL path members of bucket and object operations: the SDK refuses to send without them. */
const BUCKET_LABEL = ['Bucket'] as const;
const OBJECT_LABELS = ['Bucket', 'Key'] as const;

const DEFAULT_CONTENT_TYPE = 'application/octet-stream'; // what SDK 3.1175 sends for a Body without ContentType
const DAY_MS = 86_400_000;

/** What the SDK checks before sending, after the HTTP labels (each operation's httpLabels): URI encoding, the body's type. */
function validateRequest(operation: string, input: Record<string, unknown>): void {
  const bucket = input.Bucket;
  if (typeof bucket === 'string' && bucket.includes('/')) {
    throw new NotSentError(`Bucket name shouldn't contain '/', received '${bucket}'`, 'InvalidBucketName');
  }
  // The SDK percent-encodes these with encodeURIComponent, which throws on a lone surrogate.
  for (const member of ['Key', 'Prefix', 'Delimiter', 'StartAfter', 'Marker', 'CopySource', 'KeyMarker']) {
    const value = input[member];
    if (typeof value === 'string' && LONE_SURROGATE.test(value)) throw new URIError('URI malformed');
  }
  if (operation === 'PutObject' && bodyKind(input.Body) === undefined) {
    throw new NotSentError(
      `PutObject Body must be a string, a Uint8Array, a Blob or a stream; it was ${describeBody(input.Body)}. ` +
        'Serialise it first (e.g. JSON.stringify). The AWS SDK fails here with "Unable to calculate hash for flowing readable stream".',
    );
  }
}

// What the trace shows of S3's answers: what a learner's code must act on (paging fields, the
// keys a listing returned, what was deleted or refused, how much was read), not ETags or echoes.
const keysOf = (objects: readonly _Object[] | undefined) => outputList(objects, (o) => o.Key);
const prefixesOf = (prefixes: readonly CommonPrefix[] | undefined) => outputList(prefixes, (p) => p.Prefix);

/** 'a=1&b=two' (the x-amz-tagging header) as tags; undefined when it is not a query string S3 reads. */
function parseTagging(tagging: string): Record<string, string> | undefined {
  const tags: Record<string, string> = {};
  if (!tagging) return tags;
  try {
    for (const pair of tagging.split('&')) {
      const eq = pair.indexOf('=');
      const decode = (part: string) => decodeURIComponent(part.replace(/\+/g, ' '));
      const key = decode(eq < 0 ? pair : pair.slice(0, eq));
      if (!key || key in tags) return undefined;
      tags[key] = eq < 0 ? '' : decode(pair.slice(eq + 1));
    }
  } catch {
    return undefined;
  }
  return tags;
}

/** Seeding options of an object (FakeS3.putObject). */
export interface SeedObjectOptions {
  lastModified?: Date;
  contentType?: string;
  metadata?: Record<string, string>;
  storageClass?: StorageClass;
  tags?: Record<string, string>;
}

export class FakeS3 extends FakeAwsService<S3Client, S3Model> {
  readonly #model: S3Model;
  readonly #tokens: ContinuationTokens;
  /** Up to when S3 Lifecycle has run: its last midnight. */
  #lifecycleRanTo: number;

  constructor(env: AwsEnv) {
    const model = new S3Model(env);
    super(env, {
      service: 's3',
      clientClass: S3Client,
      exceptionBase: S3ServiceException,
      validate: validateRequest,
      summarise: (operation, input) => summariseInput(input),
    });
    this.#model = model;
    this.#tokens = new ContinuationTokens(`whetstone-s3:${env.accountId}`);
    this.#lifecycleRanTo = Math.floor(env.clock.now().getTime() / DAY_MS) * DAY_MS;

    this.on(CreateBucketCommand, (input, call) => this.#createBucketCall(input.Bucket!, call), {
      httpLabels: BUCKET_LABEL,
      doc: 'Creates a bucket; S3 naming rules (InvalidBucketName); in us-east-1 re-creating your own bucket succeeds, elsewhere BucketAlreadyOwnedByYou.',
    });
    this.on(
      HeadBucketCommand,
      (input, call) => {
        this.#model.bucket(input.Bucket!, call);
        return { BucketRegion: env.region, AccessPointAlias: false };
      },
      {
        httpLabels: BUCKET_LABEL,
        doc: 'Whether a bucket exists and may be accessed; errors without a code (NotFound, 403 Unknown), as HEAD answers have no body.',
      },
    );
    this.on(
      ListBucketsCommand,
      () => ({
        Buckets: this.#model.bucketNames().map((name) => {
          const bucket = this.#model.find(name)!;
          return { Name: bucket.name, CreationDate: bucket.created, BucketRegion: env.region };
        }),
        Owner: { ID: this.#model.canonicalId() },
      }),
      { doc: "The account's buckets in UTF-8 byte order, with their creation dates.", output: (o) => ({ Buckets: o.Buckets?.map((b) => b.Name) }) },
    );
    this.on(PutObjectCommand, (input, call) => this.#putObjectCall(input, call), {
      httpLabels: OBJECT_LABELS,
      doc: 'Stores an object (string, bytes, Blob or stream body; keys ≤ 1,024 bytes) in a StorageClass (InvalidStorageClass), with Tagging (≤ 10 tags); MD5 ETag; a new version in a versioned bucket; If-None-Match: * and If-Match; Content-Length must match the body.',
      output: ['VersionId'],
    });
    this.on(GetObjectCommand, (input, call) => this.#getObjectCall(input, call), {
      httpLabels: OBJECT_LABELS,
      doc: 'Returns an object (or a VersionId) with the SDK stream body (transformToString…); Range (206, 416 InvalidRange); If-Match; InvalidObjectState (403) for GLACIER and DEEP_ARCHIVE objects not restored; NoSuchKey behind a delete marker.',
      output: ['ContentLength', 'ContentRange', 'StorageClass', 'Restore'],
    });
    this.on(HeadObjectCommand, (input, call) => this.#headObjectCall(input, call), {
      httpLabels: OBJECT_LABELS,
      doc: "An object's metadata without its body, archived ones included: StorageClass, Restore (ongoing-request, expiry-date), VersionId; a missing key is NotFound (HEAD answers carry no error code).",
      output: ['ContentLength', 'StorageClass', 'Restore'],
    });
    this.on(DeleteObjectCommand, (input, call) => this.#deleteObjectCall(input, call), {
      httpLabels: OBJECT_LABELS,
      doc: 'Deletes a key (204), also when it is not there; in a versioned bucket adds a delete marker, or removes the VersionId given for good.',
      output: ['DeleteMarker', 'VersionId'],
    });
    this.on(DeleteObjectsCommand, (input, call) => this.#deleteObjectsCall(input, call), {
      httpLabels: BUCKET_LABEL,
      doc: 'Deletes 1 to 1,000 keys or versions (more is MalformedXML); keys denied by denyAccess come back in Errors; Quiet mode lists only failures.',
      output: (o) => ({ Deleted: outputList(o.Deleted, (d) => d.Key), Errors: outputList(o.Errors, (e) => ({ Key: e.Key, Code: e.Code })) }),
    });
    this.on(CopyObjectCommand, (input, call) => this.#copyObjectCall(input, call), {
      httpLabels: OBJECT_LABELS,
      doc: "Copies an object (URL-encoded 'bucket/key' source) into a StorageClass; metadata copied or REPLACEd; an archived source must be restored first (InvalidObjectState); copying onto itself unchanged is InvalidRequest.",
    });
    this.on(ListObjectsV2Command, (input, call) => this.#listObjectsV2Call(input, call), {
      httpLabels: BUCKET_LABEL,
      doc: 'Lists ≤ 1,000 keys a page (MaxKeys honoured) in UTF-8 byte order with their StorageClass; Prefix, Delimiter/CommonPrefixes counted in KeyCount, StartAfter; opaque ContinuationTokens bound to the bucket.',
      output: (o) => ({
        KeyCount: o.KeyCount,
        IsTruncated: o.IsTruncated,
        ContinuationToken: o.ContinuationToken,
        NextContinuationToken: o.NextContinuationToken,
        Contents: keysOf(o.Contents),
        CommonPrefixes: prefixesOf(o.CommonPrefixes),
      }),
    });
    this.on(ListObjectsCommand, (input, call) => this.#listObjectsV1Call(input, call), {
      httpLabels: BUCKET_LABEL,
      doc: 'The original listing: ≤ 1,000 keys a page, Marker; NextMarker only with a Delimiter (else the last key is the next marker).',
      output: (o) => ({
        IsTruncated: o.IsTruncated,
        Marker: o.Marker,
        NextMarker: o.NextMarker,
        Contents: keysOf(o.Contents),
        CommonPrefixes: prefixesOf(o.CommonPrefixes),
      }),
    });
    addRestoreOperations(this);
    addVersioningOperations(this);
    addLifecycleOperations(this);
  }

  /** Buckets, objects, access rules and S3's errors: what operations (and a lab's own) answer from. */
  protected override get model(): S3Model {
    return this.#model;
  }

  /** S3's answer `code` as the SDK raises it (see S3Model.error). */
  override error(code: string, message: string, call: Call, options: ErrorOptions = {}): Error {
    return this.#model.error(code, message, call, options);
  }

  // ----- seeding and inspection (not traced) -------------------------------------------------

  createBucket(name: string): void {
    this.#model.createBucket(name);
  }

  /**
   * Seed an object directly (not traced). `{ size }` stands for a body of that many bytes that is
   * never held in memory unless read: simulations store terabytes nobody reads back.
   */
  putObject(bucket: string, key: string, body: string | Uint8Array | SizedBody, options: SeedObjectOptions = {}): StoredObject {
    const target = this.#seedBucket(bucket, 'putObject');
    const bytes = typeof body === 'string' ? utf8(body) : body instanceof Uint8Array ? body.slice() : { size: body.size };
    if (options.storageClass !== undefined && !isStorageClass(options.storageClass)) {
      throw new Error(`FakeS3.putObject: '${String(options.storageClass)}' is not a storage class the fake models (${STORAGE_CLASSES.join(', ')}).`);
    }
    return this.#model.put(target, key, bytes, {
      contentType: options.contentType ?? DEFAULT_CONTENT_TYPE,
      metadata: options.metadata ?? {},
      lastModified: options.lastModified,
      storageClass: options.storageClass,
      tags: options.tags,
    });
  }

  /** Seed a delete (not traced): a delete marker in a versioned bucket, the object gone in another. */
  deleteObject(bucket: string, key: string): void {
    this.#seedBucket(bucket, 'deleteObject').deleteCurrent(key, this.env.clock.now());
  }

  /** Seed versioning (not traced). A bucket once versioned can be Suspended, never unversioned again. */
  setVersioning(bucket: string, status: VersioningStatus): void {
    this.#seedBucket(bucket, 'setVersioning').versioning = status;
  }

  /** Seed (not traced) an incomplete multipart upload whose parts hold `bytes`. */
  startMultipartUpload(bucket: string, key: string, options: { bytes: number; initiated?: Date }): MultipartUpload {
    return this.#seedBucket(bucket, 'startMultipartUpload').startUpload(key, {
      bytes: options.bytes,
      initiated: options.initiated ?? this.env.clock.now(),
    });
  }

  /** Inspect (not traced): a bucket's incomplete multipart uploads, oldest first. */
  multipartUploads(bucket: string): MultipartUpload[] {
    return this.#seedBucket(bucket, 'multipartUploads').uploads();
  }

  /**
   * Set a bucket's lifecycle configuration (not traced), validated as PutBucketLifecycleConfiguration
   * validates it: a configuration S3 would refuse throws a LifecycleConfigurationError with S3's code
   * and message.
   */
  setLifecycle(bucket: string, configuration: LifecycleConfiguration): void {
    const target = this.#seedBucket(bucket, 'setLifecycle');
    const problem = lifecycleProblem(configuration);
    if (problem) throw new LifecycleConfigurationError(problem.code, problem.message);
    target.configuration.set('lifecycle', structuredClone(configuration));
  }

  /** Inspect (not traced): the bucket's lifecycle rules, undefined when it has none. */
  lifecycleRules(bucket: string): LifecycleRule[] | undefined {
    const stored = this.#seedBucket(bucket, 'lifecycleRules').configuration.get('lifecycle') as LifecycleConfiguration | undefined;
    return stored ? structuredClone(stored.Rules) : undefined;
  }

  /**
   * Let simulated time pass: the world's clock moves `ms` forward, and S3 Lifecycle runs at every
   * midnight UTC on the way, as S3 runs it once a day (lifecycle.ts). `onEvent` hears what it did.
   */
  advanceTime(ms: number, onEvent?: (event: LifecycleEvent) => void): void {
    const end = this.env.clock.now().getTime() + ms;
    for (let midnight = this.#lifecycleRanTo + DAY_MS; midnight <= end; midnight += DAY_MS) {
      this.env.clock.advance(midnight - this.env.clock.now().getTime());
      for (const name of this.#model.bucketNames()) runLifecycle(this.#model, this.#model.find(name)!, new Date(midnight), onEvent);
      this.#lifecycleRanTo = midnight;
    }
    this.env.clock.advance(end - this.env.clock.now().getTime());
  }

  /** Hear every change that costs money (objects stored, read, restored, transitioned, removed; uploads). */
  observe(observer: (event: S3Event) => void): () => void {
    return this.#model.observe(observer);
  }

  /**
   * Read an object's data as a GetObject would (not traced): InvalidObjectState for an archived
   * object that is not restored, NoSuchKey when absent. A successful read is observed (billed).
   */
  readObject(bucket: string, key: string, versionId?: string): { ok: true; object: StoredObject } | { ok: false; code: 'NoSuchKey' | 'InvalidObjectState' } {
    const target = this.#seedBucket(bucket, 'readObject');
    const entry = versionId === undefined ? target.object(key) : target.version(key, versionId)?.entry;
    if (!entry || isDeleteMarker(entry)) return { ok: false, code: 'NoSuchKey' };
    if (unreadable(entry, this.env.clock.now())) return { ok: false, code: 'InvalidObjectState' };
    this.#model.recordRead(target, entry, entry.size);
    return { ok: true, object: entry };
  }

  /** Ask for a restore as RestoreObject would (not traced). */
  restoreObject(bucket: string, key: string, options: { days: number; tier?: RestoreTier }): RestoreOutcome {
    const target = this.#seedBucket(bucket, 'restoreObject');
    const object = target.object(key);
    if (!object) return { kind: 'refused', code: 'NoSuchKey' };
    return startRestore(this.#model, target, object, { days: options.days, tier: options.tier ?? 'Standard' });
  }

  /** Inspect (not traced): the object's body as UTF-8, undefined when absent. */
  getObjectText(bucket: string, key: string): string | undefined {
    const object = this.#model.find(bucket)?.object(key);
    return object ? new TextDecoder().decode(object.body) : undefined;
  }

  /** Inspect (not traced): the stored object (its current version), undefined when absent. */
  getObject(bucket: string, key: string): StoredObject | undefined {
    const object = this.#model.find(bucket)?.object(key);
    return object ? { ...object, body: object.body.slice(), metadata: { ...object.metadata } } : undefined;
  }

  /** Inspect (not traced): every version of a key, newest first (the current one, then noncurrent ones and delete markers). */
  versions(bucket: string, key: string): readonly ObjectVersion[] {
    return this.#seedBucket(bucket, 'versions').versions(key);
  }

  /** Inspect (not traced): a bucket's model (its objects and `configuration`), undefined when absent. */
  bucket(name: string): S3Bucket | undefined {
    return this.#model.find(name);
  }

  hasBucket(name: string): boolean {
    return this.#model.find(name) !== undefined;
  }

  bucketNames(): string[] {
    return this.#model.bucketNames();
  }

  /** Keys in the bucket, optionally under a prefix, in S3's order (UTF-8 byte order). */
  keys(bucket: string, prefix = ''): string[] {
    return this.#seedBucket(bucket, 'keys').keys(prefix);
  }

  objects(bucket: string): { key: string; size: number; etag: string; lastModified: Date; body: Uint8Array; storageClass: StorageClass }[] {
    const target = this.#seedBucket(bucket, 'objects');
    return target.sortedKeys().map((key) => {
      const o = target.object(key)!;
      return { key: o.key, size: o.size, etag: o.etag, lastModified: o.lastModified, body: o.body.slice(), storageClass: o.storageClass };
    });
  }

  /**
   * Make calls on a bucket (optionally only keys under a prefix, optionally only some
   * operations) fail with AccessDenied (403), as an IAM deny would. Listing is denied when the
   * request's Prefix lies under the denied prefix (IAM's s3:prefix condition); DeleteObjects
   * reports denied keys in `Errors`. Operations a lab adds are denied by their name too.
   */
  denyAccess(bucket: string, prefix?: string, options: { operations?: readonly (S3Operation | (string & {}))[] } = {}): void {
    this.#model.deny(bucket, prefix, options.operations);
  }

  /** Lift every denyAccess rule. */
  allowAll(): void {
    this.#model.allowAll();
  }

  /**
   * `{ buckets: { name: keys[] } }` for the report. Buckets with more than
   * SNAPSHOT_KEYS_PER_BUCKET keys show the first ones and count the rest in `omittedKeys`.
   */
  override snapshot(): { buckets: Record<string, string[]>; omittedKeys?: Record<string, number> } {
    const buckets: Record<string, string[]> = {};
    const omitted: Record<string, number> = {};
    for (const name of this.bucketNames()) {
      const keys = this.#model.find(name)!.sortedKeys();
      buckets[name] = keys.slice(0, SNAPSHOT_KEYS_PER_BUCKET);
      if (keys.length > SNAPSHOT_KEYS_PER_BUCKET) omitted[name] = keys.length - SNAPSHOT_KEYS_PER_BUCKET;
    }
    return Object.keys(omitted).length ? { buckets, omittedKeys: omitted } : { buckets };
  }

  #seedBucket(name: string, method: string): S3Bucket {
    const bucket = this.#model.find(name);
    if (!bucket) {
      throw new Error(`FakeS3.${method}: there is no bucket '${name}'; create it first with createBucket('${name}').`);
    }
    return bucket;
  }

  #checkKeyLength(key: string, call: Call): void {
    const size = utf8(key).length;
    if (size > MAX_KEY_BYTES) {
      throw this.error('KeyTooLongError', 'Your key is too long', call, { fields: { Size: size, MaxSizeAllowed: MAX_KEY_BYTES } });
    }
  }

  #preconditionFailed(condition: string, call: Call): Error {
    return this.error('PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', call, {
      httpStatusCode: 412,
      fields: { Condition: condition },
    });
  }

  /** x-amz-storage-class as S3 reads it: InvalidStorageClass for a name S3 does not know. */
  #storageClass(value: unknown, call: Call): StorageClass | undefined {
    if (value === undefined) return undefined;
    if (isStorageClass(value)) return value;
    if (typeof value === 'string' && WRITABLE_STORAGE_CLASSES.includes(value)) {
      throw new Error(`The fake S3 does not model the storage class ${value} (it models ${STORAGE_CLASSES.join(', ')}).`);
    }
    throw this.error('InvalidStorageClass', 'The storage class you specified is not valid', call, { fields: { StorageClassRequested: String(value) } });
  }

  #tags(tagging: unknown, call: Call): Record<string, string> | undefined {
    if (tagging === undefined) return undefined;
    const tags = typeof tagging === 'string' ? parseTagging(tagging) : undefined;
    if (!tags) throw this.error('InvalidArgument', 'The header \'x-amz-tagging\' shall be encoded as UTF-8 then URLEncoded URL query parameters without tag name duplicates.', call);
    if (Object.keys(tags).length > MAX_OBJECT_TAGS) throw this.error('BadRequest', 'Object tags cannot be greater than 10', call);
    return tags;
  }

  /** The version a GET or HEAD asks for: NoSuchKey behind a delete marker, NoSuchVersion, 405 for a marker's own ID. */
  #requestedObject(bucketName: string, key: string, versionId: string | undefined, call: Call): { bucket: S3Bucket; object: StoredObject } {
    const bucket = this.#model.bucket(bucketName, call, { key });
    if (versionId === undefined) {
      const object = bucket.object(key);
      if (!object) throw this.error('NoSuchKey', 'The specified key does not exist.', call, { httpStatusCode: 404, fields: { Key: key } });
      return { bucket, object };
    }
    const version = bucket.version(key, versionId)?.entry;
    if (!version) {
      throw this.error('NoSuchVersion', 'The specified version does not exist.', call, { httpStatusCode: 404, fields: { Key: key, VersionId: versionId } });
    }
    if (isDeleteMarker(version)) {
      throw this.error('MethodNotAllowed', 'The specified method is not allowed against this resource.', call, {
        httpStatusCode: 405,
        fields: { Method: call.operation === 'HeadObject' ? 'HEAD' : 'GET', ResourceType: 'DeleteMarker' },
      });
    }
    return { bucket, object: version };
  }

  /** What GET and HEAD answer about any object: class (absent for STANDARD, as S3 omits it), restore, version. */
  #objectHeaders(bucket: S3Bucket, object: StoredObject) {
    const restore = restoreHeader(object, this.env.clock.now());
    return {
      AcceptRanges: 'bytes',
      LastModified: object.lastModified,
      ContentLength: object.size,
      ETag: object.etag,
      ContentType: object.contentType,
      ServerSideEncryption: 'AES256' as const,
      Metadata: { ...object.metadata },
      ...(object.storageClass !== 'STANDARD' ? { StorageClass: object.storageClass } : {}),
      ...(restore ? { Restore: restore } : {}),
      ...(bucket.versioning !== undefined ? { VersionId: object.versionId } : {}),
    };
  }

  // ----- operations --------------------------------------------------------------------------

  #createBucketCall(name: string, call: Call) {
    if (this.#model.isDenied(name, 'CreateBucket', undefined)) throw this.#model.accessDenied(call);
    if (bucketNameProblem(name)) {
      throw this.error('InvalidBucketName', 'The specified bucket is not valid.', call, { fields: { BucketName: name } });
    }
    if (this.#model.find(name) && this.env.region !== 'us-east-1') {
      // us-east-1 answers 200 to re-creating a bucket you own (a legacy of the original region).
      throw this.error('BucketAlreadyOwnedByYou', 'Your previous request to create the named bucket succeeded and you already own it.', call, {
        httpStatusCode: 409,
        fields: { BucketName: name },
      });
    }
    this.createBucket(name);
    return { Location: this.env.region === 'us-east-1' ? `/${name}` : `http://${name}.s3.amazonaws.com/` };
  }

  async #putObjectCall(input: PutObjectCommand['input'], call: Call) {
    const bucket = this.#model.bucket(input.Bucket!, call, { key: input.Key });
    const key = input.Key!;
    this.#checkKeyLength(key, call);
    const storageClass = this.#storageClass(input.StorageClass, call);
    const tags = this.#tags(input.Tagging, call);
    const existing = bucket.object(key);
    if (input.IfNoneMatch === '*' && existing) throw this.#preconditionFailed('If-None-Match', call);
    if (input.IfMatch !== undefined) {
      if (!existing) throw this.error('NoSuchKey', 'The specified key does not exist.', call, { httpStatusCode: 404, fields: { Key: key } });
      if (unquote(input.IfMatch) !== unquote(existing.etag)) throw this.#preconditionFailed('If-Match', call);
    }
    const body = await readBody(input.Body);
    if (input.ContentLength !== undefined && input.ContentLength !== body.length) {
      // The SDK sends the ContentLength it is given; S3 then waits for bytes that never come or cuts the body.
      throw this.error(
        input.ContentLength > body.length ? 'IncompleteBody' : 'BadDigest',
        input.ContentLength > body.length
          ? 'You did not provide the number of bytes specified by the Content-Length HTTP header.'
          : 'The Content-MD5 or checksum value that you specified did not match what the server received.',
        call,
      );
    }
    const object = this.#model.put(bucket, key, body, {
      contentType: input.ContentType ?? DEFAULT_CONTENT_TYPE,
      metadata: lowerCaseKeys(input.Metadata),
      storageClass,
      tags,
    });
    return {
      ETag: object.etag,
      ServerSideEncryption: 'AES256' as const,
      ...(bucket.versioning !== undefined ? { VersionId: object.versionId } : {}),
    };
  }

  #getObjectCall(input: GetObjectCommand['input'], call: Call) {
    const { bucket, object } = this.#requestedObject(input.Bucket!, input.Key!, input.VersionId, call);
    if (input.IfMatch !== undefined && unquote(input.IfMatch) !== unquote(object.etag)) throw this.#preconditionFailed('If-Match', call);
    if (unreadable(object, this.env.clock.now())) {
      // "Object is archived and inaccessible until restored" (GetObject, SDK 3.1175): S3's message
      // and the class it names, as its error body carries them.
      throw this.error('InvalidObjectState', "The operation is not valid for the object's storage class", call, {
        httpStatusCode: 403,
        fields: { StorageClass: object.storageClass },
      });
    }
    const base = this.#objectHeaders(bucket, object);
    const range = input.Range === undefined ? undefined : parseRange(input.Range, object.size);
    if (range === 'unsatisfiable') {
      throw this.error('InvalidRange', 'The requested range is not satisfiable', call, {
        httpStatusCode: 416,
        fields: { RangeRequested: input.Range, ActualObjectSize: String(object.size) },
      });
    }
    if (range) {
      const part = object.body.subarray(range.start, range.end + 1);
      this.#model.recordRead(bucket, object, part.length);
      return {
        ...base,
        Body: sdkStreamBody(part),
        ContentLength: part.length,
        ContentRange: `bytes ${range.start}-${range.end}/${object.size}`,
        $metadata: { httpStatusCode: 206 },
      };
    }
    this.#model.recordRead(bucket, object, object.size);
    return { ...base, Body: sdkStreamBody(object.body) };
  }

  #headObjectCall(input: HeadObjectCommand['input'], call: Call) {
    const { bucket, object } = this.#requestedObject(input.Bucket!, input.Key!, input.VersionId, call);
    return this.#objectHeaders(bucket, object);
  }

  #deleteObjectCall(input: DeleteObjectCommand['input'], call: Call) {
    const bucket = this.#model.bucket(input.Bucket!, call, { key: input.Key });
    const key = input.Key!;
    const now = this.env.clock.now();
    if (input.VersionId !== undefined) {
      // A version removed for good; deleting one that is not there succeeds too.
      const removed = bucket.deleteVersion(key, input.VersionId, now);
      return {
        VersionId: input.VersionId,
        ...(removed && isDeleteMarker(removed.entry) ? { DeleteMarker: true } : {}),
        $metadata: { httpStatusCode: 204 },
      };
    }
    // Deleting a key that is not there succeeds: S3 deletes are idempotent.
    const marker = bucket.deleteCurrent(key, now);
    return { ...(marker ? { DeleteMarker: true, VersionId: marker.versionId } : {}), $metadata: { httpStatusCode: 204 } };
  }

  #deleteObjectsCall(input: DeleteObjectsCommand['input'], call: Call) {
    // Permission to delete is checked per key (s3:DeleteObject): denied keys come back in Errors.
    const bucket = this.#model.existingBucket(input.Bucket!, call);
    const objects = input.Delete?.Objects;
    if (
      !Array.isArray(objects) ||
      objects.length === 0 ||
      objects.length > MAX_DELETE_KEYS ||
      objects.some((o) => typeof o?.Key !== 'string')
    ) {
      // S3 checks the request body against its schema (1 to 1,000 <Object> elements, each with a <Key>).
      throw this.error('MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema', call);
    }
    const deleted: { Key: string; VersionId?: string; DeleteMarker?: boolean; DeleteMarkerVersionId?: string }[] = [];
    const errors: { Key: string; Code: string; Message: string }[] = [];
    const now = this.env.clock.now();
    for (const { Key, VersionId } of objects) {
      const key = Key!;
      if (this.#model.isDenied(bucket.name, 'DeleteObjects', key) || this.#model.isDenied(bucket.name, 'DeleteObject', key)) {
        errors.push({ Key: key, Code: 'AccessDenied', Message: 'Access Denied' });
        continue;
      }
      if (VersionId !== undefined) {
        const removed = bucket.deleteVersion(key, VersionId, now);
        deleted.push({ Key: key, VersionId, ...(removed && isDeleteMarker(removed.entry) ? { DeleteMarker: true, DeleteMarkerVersionId: VersionId } : {}) });
        continue;
      }
      const marker = bucket.deleteCurrent(key, now);
      deleted.push(marker ? { Key: key, DeleteMarker: true, DeleteMarkerVersionId: marker.versionId } : { Key: key });
    }
    // Quiet mode reports only failures; empty lists are absent from S3's answer, so `undefined` here.
    return {
      ...(deleted.length && !input.Delete?.Quiet ? { Deleted: deleted } : {}),
      ...(errors.length ? { Errors: errors } : {}),
    };
  }

  #copyObjectCall(input: CopyObjectCommand['input'], call: Call) {
    const source = parseCopySource(input.CopySource);
    if (!source) {
      throw this.error('InvalidArgument', 'Copy Source must mention the source bucket and key: sourcebucket/sourcekey', call, {
        fields: { ArgumentName: 'x-amz-copy-source', ArgumentValue: input.CopySource },
      });
    }
    if (this.#model.isDenied(source.bucket, 'CopyObject', source.key) || this.#model.isDenied(input.Bucket!, 'CopyObject', input.Key)) {
      throw this.#model.accessDenied(call);
    }
    const from = this.#model.object(source.bucket, source.key, call, { operation: 'GetObject' });
    const target = this.#model.bucket(input.Bucket!, call, { operation: 'PutObject', key: input.Key });
    const key = input.Key!;
    this.#checkKeyLength(key, call);
    const storageClass = this.#storageClass(input.StorageClass, call);
    const replace = input.MetadataDirective === 'REPLACE';
    if (source.bucket === target.name && source.key === key && !replace && (storageClass ?? 'STANDARD') === from.storageClass) {
      throw this.error(
        'InvalidRequest',
        "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.",
        call,
      );
    }
    if (unreadable(from, this.env.clock.now())) {
      // An archived object is copied from its restored copy only (S3 User Guide, "Working with archived objects").
      throw this.error('InvalidObjectState', "The operation is not valid for the object's storage class", call, {
        httpStatusCode: 403,
        fields: { StorageClass: from.storageClass },
      });
    }
    this.#model.recordRead(this.#model.find(source.bucket)!, from, from.size);
    const object = this.#model.put(target, key, from.body.slice(), {
      contentType: replace ? (input.ContentType ?? DEFAULT_CONTENT_TYPE) : from.contentType,
      metadata: replace ? lowerCaseKeys(input.Metadata) : { ...from.metadata },
      storageClass,
      tags: input.TaggingDirective === 'REPLACE' ? this.#tags(input.Tagging ?? '', call) : from.tags,
    });
    return {
      CopyObjectResult: { ETag: object.etag, LastModified: object.lastModified },
      ServerSideEncryption: 'AES256' as const,
      ...(target.versioning !== undefined ? { VersionId: object.versionId } : {}),
    };
  }

  #maxKeys(value: unknown, call: Call): number {
    if (value === undefined) return MAX_KEYS_PER_PAGE;
    const n = Number(value);
    if (!Number.isInteger(n) || n < 0 || n > 2147483647) {
      throw this.error('InvalidArgument', 'Argument maxKeys must be an integer between 0 and 2147483647', call, {
        fields: { ArgumentName: 'maxKeys', ArgumentValue: String(value) },
      });
    }
    return Math.min(n, MAX_KEYS_PER_PAGE);
  }

  #listObjectsV2Call(input: ListObjectsV2Command['input'], call: Call) {
    const prefix = input.Prefix ?? '';
    const bucket = this.#model.bucket(input.Bucket!, call, { listPrefix: prefix });
    const limit = this.#maxKeys(input.MaxKeys, call);
    let start: ListPosition | undefined;
    // An empty token is no token (S3 echoes it back and lists from the start).
    if (input.ContinuationToken) {
      start = this.#tokens.decode(input.ContinuationToken);
      if (!start || start.bucket !== bucket.name) {
        throw this.error('InvalidArgument', 'The continuation token provided is incorrect', call, {
          fields: { ArgumentName: 'continuation-token' },
        });
      }
    } else if (input.StartAfter) {
      start = { bucket: bucket.name, kind: 'key', marker: input.StartAfter };
    }
    const page = listPage(bucket, { prefix, delimiter: input.Delimiter || undefined, after: start, limit });
    return {
      IsTruncated: page.truncated,
      ...(page.contents.length
        ? {
            Contents: page.contents.map((o) =>
              input.FetchOwner ? { ...listEntry(o), Owner: { ID: this.#model.canonicalId() } } : listEntry(o),
            ),
          }
        : {}),
      Name: bucket.name,
      Prefix: prefix,
      ...(input.Delimiter ? { Delimiter: input.Delimiter } : {}),
      MaxKeys: input.MaxKeys === undefined ? MAX_KEYS_PER_PAGE : Number(input.MaxKeys),
      ...(page.commonPrefixes.length ? { CommonPrefixes: page.commonPrefixes.map((p): CommonPrefix => ({ Prefix: p })) } : {}),
      KeyCount: page.contents.length + page.commonPrefixes.length,
      ...(input.ContinuationToken !== undefined ? { ContinuationToken: input.ContinuationToken } : {}),
      ...(page.truncated && page.last ? { NextContinuationToken: this.#tokens.encode({ bucket: bucket.name, ...page.last }) } : {}),
      ...(input.StartAfter !== undefined ? { StartAfter: input.StartAfter } : {}),
    };
  }

  #listObjectsV1Call(input: ListObjectsCommand['input'], call: Call) {
    const prefix = input.Prefix ?? '';
    const bucket = this.#model.bucket(input.Bucket!, call, { listPrefix: prefix });
    const limit = this.#maxKeys(input.MaxKeys, call);
    const delimiter = input.Delimiter || undefined;
    const marker = input.Marker ?? '';
    // A marker that is a common prefix (a NextMarker of an earlier page) skips everything under it.
    const rolledUp =
      delimiter !== undefined &&
      marker.startsWith(prefix) &&
      marker.endsWith(delimiter) &&
      marker.indexOf(delimiter, prefix.length) === marker.length - delimiter.length;
    const after: ListPosition | undefined = marker
      ? { bucket: bucket.name, kind: rolledUp ? 'prefix' : 'key', marker }
      : undefined;
    const page = listPage(bucket, { prefix, delimiter, after, limit });
    const owner = { ID: this.#model.canonicalId() };
    return {
      IsTruncated: page.truncated,
      Marker: marker,
      // S3 sends NextMarker only when a Delimiter was given; without one, the last key is the next marker.
      ...(page.truncated && delimiter && page.last ? { NextMarker: page.last.marker } : {}),
      ...(page.contents.length ? { Contents: page.contents.map((o) => ({ ...listEntry(o), Owner: owner })) } : {}),
      Name: bucket.name,
      Prefix: prefix,
      ...(delimiter ? { Delimiter: delimiter } : {}),
      MaxKeys: input.MaxKeys === undefined ? MAX_KEYS_PER_PAGE : Number(input.MaxKeys),
      ...(page.commonPrefixes.length ? { CommonPrefixes: page.commonPrefixes.map((p): CommonPrefix => ({ Prefix: p })) } : {}),
    };
  }
}
