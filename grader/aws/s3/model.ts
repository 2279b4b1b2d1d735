// The fake S3's model: buckets, their objects (every version of them, each in a storage class),
// incomplete multipart uploads, the access rules checks lay down, and S3's errors. FakeS3's
// operations answer from it, and so does an operation a lab adds
// (`s3.on(Command, (input, call, model) => …)`), so both refuse a missing bucket, a denied key
// or a missing object in the very words S3 uses.
//
//   const bucket = model.bucket(input.Bucket!, call);      // AccessDenied / NoSuchBucket, as S3 answers
//   bucket.configuration.set('tagging', tags);            // a bucket's own settings, by name
//   bucket.keys('logs/');                                 // keys in S3's order
//   throw model.error('NoSuchTagSet', 'The TagSet does not exist', call, { httpStatusCode: 404 });
//
// Versioning follows the S3 User Guide, "How S3 Versioning works" (read 2026-11-30): in a bucket
// whose versioning is Enabled every write adds a version and a delete without a version ID adds a
// delete marker; the version it hid becomes noncurrent. In a bucket whose versioning is
// Suspended, writes and deletes replace the 'null' version. A bucket never versioned keeps one
// version per key, with version ID 'null'.
//
// Every change that costs money (an object stored, read, restored, moved to another class or
// removed; an upload started or aborted) is announced to observers (`observe`), which is how
// the bill (bill.ts) follows a simulation without the model knowing about prices.
//
// Error shapes were checked against @aws-sdk/client-s3 3.1175 deserialising S3's documented
// XML answers (2026-11-25).

import {
  AccessDenied,
  BucketAlreadyOwnedByYou,
  InvalidObjectState,
  InvalidRequest,
  NoSuchBucket,
  NoSuchKey,
  NoSuchUpload,
  NotFound,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import type { AwsEnv } from '../env.ts';
import { concat, toBase64, utf8 } from '../bytes.ts';
import { serviceError } from '../errors.ts';
import type { ExceptionClass } from '../errors.ts';
import { hex, md5 } from '../md5.ts';
import type { Call } from '../mock.ts';
import type { ErrorOptions } from '../service.ts';
import { bucketNameProblem, compareUtf8 } from './keys.ts';
import { ARCHIVED } from './storage-classes.ts';
import type { RestoreTier, StorageClass } from './storage-classes.ts';

/** The operations FakeS3 answers itself; labs may add others (and deny them by name). */
export type S3Operation =
  | 'CreateBucket'
  | 'HeadBucket'
  | 'ListBuckets'
  | 'PutObject'
  | 'GetObject'
  | 'HeadObject'
  | 'DeleteObject'
  | 'DeleteObjects'
  | 'CopyObject'
  | 'ListObjectsV2'
  | 'ListObjects'
  | 'RestoreObject'
  | 'PutBucketVersioning'
  | 'GetBucketVersioning'
  | 'PutBucketLifecycleConfiguration'
  | 'GetBucketLifecycleConfiguration'
  | 'DeleteBucketLifecycle';

/** A restore of an archived object: the temporary copy is readable from `readyAt` until `expiresAt`. */
export interface RestoreState {
  tier: RestoreTier;
  days: number;
  requestedAt: Date;
  readyAt: Date;
  /** Completion plus `days`, rounded up to midnight UTC (S3 User Guide, "Restoring an archived object"). */
  expiresAt: Date;
}

export interface StoredObject {
  key: string;
  size: number;
  /** Quoted MD5 hex, as S3 gives it for single-part uploads: '"5d41402abc4b2a76b9719d911017c592"'. */
  etag: string;
  lastModified: Date;
  body: Uint8Array;
  contentType: string;
  metadata: Record<string, string>;
  storageClass: StorageClass;
  /** When the object entered its storage class: its creation, or its last lifecycle transition. */
  classSince: Date;
  /** 'null' unless it was written while the bucket's versioning was Enabled. */
  versionId: string;
  tags: Readonly<Record<string, string>>;
  restore: RestoreState | undefined;
}

/** A delete marker: a version with no data that hides the versions beneath it. */
export interface DeleteMarker {
  key: string;
  versionId: string;
  lastModified: Date;
  isDeleteMarker: true;
}

/** One version of a key, newest first in `S3Bucket.versions(key)`. */
export interface ObjectVersion {
  entry: StoredObject | DeleteMarker;
  /** When a newer version took its place; undefined for the current version. */
  noncurrentSince: Date | undefined;
}

export function isDeleteMarker(entry: StoredObject | DeleteMarker): entry is DeleteMarker {
  return (entry as DeleteMarker).isDeleteMarker === true;
}

/** An incomplete multipart upload: its parts are stored (and billed) until it completes or is aborted. */
export interface MultipartUpload {
  uploadId: string;
  key: string;
  initiated: Date;
  /** The bytes of the parts uploaded so far. */
  bytes: number;
  storageClass: StorageClass;
}

/** What an object is written with, besides its key and bytes. */
export interface ObjectAttributes {
  contentType: string;
  metadata: Record<string, string>;
  /** S3 keeps whole seconds; default: now on the world's clock. */
  lastModified?: Date | undefined;
  storageClass?: StorageClass | undefined;
  tags?: Readonly<Record<string, string>> | undefined;
}

/** A body given by its size only: for simulations that store terabytes nobody reads back. */
export interface SizedBody {
  size: number;
}

export type VersioningStatus = 'Enabled' | 'Suspended';

/** Why a version stopped existing. */
export type RemovalCause = 'request' | 'overwrite' | 'lifecycle';

/** What observers of the model hear: every change that costs money. */
export type S3Event =
  | { kind: 'stored'; bucket: string; object: StoredObject; at: Date }
  | { kind: 'read'; bucket: string; object: StoredObject; bytes: number; at: Date }
  | { kind: 'restore-requested'; bucket: string; object: StoredObject; restore: RestoreState; extended: boolean; at: Date }
  | { kind: 'transitioned'; bucket: string; before: StoredObject; after: StoredObject; at: Date }
  | { kind: 'removed'; bucket: string; object: StoredObject; cause: RemovalCause; at: Date }
  | { kind: 'upload-started'; bucket: string; upload: MultipartUpload; at: Date }
  | { kind: 'upload-aborted'; bucket: string; upload: MultipartUpload; at: Date };

/** Error codes the SDK models as their own classes (`instanceof NoSuchKey`); the rest are S3ServiceException. */
const MODELED: Record<string, ExceptionClass> = {
  AccessDenied,
  BucketAlreadyOwnedByYou,
  InvalidObjectState,
  InvalidRequest,
  NoSuchBucket,
  NoSuchKey,
  NoSuchUpload,
  NotFound,
};

/** S3 keeps only whole seconds of Last-Modified. */
export function wholeSeconds(date: Date): Date {
  return new Date(Math.floor(date.getTime() / 1000) * 1000);
}

/**
 * A stored object. ETag and body are worked out when first asked for: checks and simulations
 * seed thousands of objects nobody lists or reads, and a sized body is never materialised
 * unless someone reads it. Stored bodies are never mutated (every way in and out copies them),
 * so the answers are the same whenever they are computed.
 */
function storedObject(fields: Omit<StoredObject, 'etag' | 'body'>, body: Uint8Array | SizedBody): StoredObject {
  let bytes = body instanceof Uint8Array ? body : undefined;
  let etag: string | undefined;
  const object = {
    ...fields,
    get body(): Uint8Array {
      // A sized body reads as that many zero bytes, like a file of holes.
      return (bytes ??= new Uint8Array(fields.size));
    },
    get etag(): string {
      return (etag ??= body instanceof Uint8Array ? `"${hex(md5(body))}"` : `"${hex(md5(utf8(`sized:${fields.size}`)))}"`);
    },
  };
  return object;
}

/** The same object in another state (class, restore): no copy of its bytes, its lazy fields shared. */
export function withState(object: StoredObject, changes: Partial<Pick<StoredObject, 'storageClass' | 'classSince' | 'restore'>>): StoredObject {
  const copy = Object.defineProperties({}, Object.getOwnPropertyDescriptors(object)) as StoredObject;
  return Object.assign(copy, changes);
}

/** One bucket: every version of its keys (the current ones in S3's order on demand), its uploads and configuration. */
export class S3Bucket {
  readonly name: string;
  readonly created: Date;
  /**
   * Bucket-level configuration that operations keep, by name: e.g. 'lifecycle' for
   * PutBucketLifecycleConfiguration. Not traced, not in the report's state.
   */
  readonly configuration = new Map<string, unknown>();
  /** Versioning status; undefined for a bucket whose versioning was never enabled. */
  versioning: VersioningStatus | undefined;
  /** The current version of each key that is an object (not a delete marker): what listings show. */
  readonly #current = new Map<string, StoredObject>();
  /** Every version of each key, newest first; only kept for keys with more than their current object. */
  readonly #history = new Map<string, ObjectVersion[]>();
  readonly #uploads = new Map<string, MultipartUpload>();
  /** Keys in byte order, rebuilt lazily after a key is added or removed. */
  #sorted: string[] | undefined;
  readonly #model: S3Model;

  constructor(name: string, created: Date, model: S3Model) {
    this.name = name;
    this.created = wholeSeconds(created);
    this.#model = model;
  }

  /** How many keys have a current object. */
  get size(): number {
    return this.#current.size;
  }

  /** The current object of a key (shared, not copied: never change it). */
  object(key: string): StoredObject | undefined {
    return this.#current.get(key);
  }

  /** Every key with a current object, in S3's order (UTF-8 bytes); the array is shared: do not change it. */
  sortedKeys(): readonly string[] {
    this.#sorted ??= [...this.#current.keys()].sort(compareUtf8);
    return this.#sorted;
  }

  /** Keys, optionally under a prefix, in S3's order (a copy). */
  keys(prefix = ''): string[] {
    const keys = this.sortedKeys();
    return prefix ? keys.filter((k) => k.startsWith(prefix)) : [...keys];
  }

  /** Every version of a key, newest first: the current one (object or delete marker), then the noncurrent ones. */
  versions(key: string): readonly ObjectVersion[] {
    const history = this.#history.get(key);
    if (history) return history;
    const current = this.#current.get(key);
    return current ? [{ entry: current, noncurrentSince: undefined }] : [];
  }

  /** Keys that have any version at all (current, noncurrent or a delete marker), unordered. */
  *versionedKeys(): Iterable<string> {
    yield* this.#history.keys();
    for (const key of this.#current.keys()) if (!this.#history.has(key)) yield key;
  }

  /** One version of a key by its version ID. */
  version(key: string, versionId: string): ObjectVersion | undefined {
    return this.versions(key).find((v) => v.entry.versionId === versionId);
  }

  /** Store `body` under `key` as S3 does on a successful write, under the bucket's versioning. */
  put(key: string, body: Uint8Array | SizedBody, attributes: ObjectAttributes & { lastModified: Date }): StoredObject {
    const at = wholeSeconds(attributes.lastModified);
    const size = body instanceof Uint8Array ? body.length : body.size;
    const object = storedObject(
      {
        key,
        size,
        lastModified: at,
        contentType: attributes.contentType,
        metadata: attributes.metadata,
        storageClass: attributes.storageClass ?? 'STANDARD',
        classSince: at,
        versionId: this.versioning === 'Enabled' ? this.#model.nextVersionId() : 'null',
        tags: { ...(attributes.tags ?? {}) },
        restore: undefined,
      },
      body,
    );
    this.#push(key, object, at);
    this.#model.emit({ kind: 'stored', bucket: this.name, object, at });
    return object;
  }

  /**
   * DELETE without a version ID, as S3 answers it: the object goes in a bucket never versioned;
   * otherwise a delete marker becomes the current version (with ID 'null' when versioning is
   * Suspended). Returns the marker, if one was added.
   */
  deleteCurrent(key: string, at: Date, cause: RemovalCause = 'request'): DeleteMarker | undefined {
    if (this.versioning === undefined) {
      const current = this.#current.get(key);
      if (current) this.#remove(key, current.versionId, at, cause);
      return undefined;
    }
    const marker: DeleteMarker = {
      key,
      versionId: this.versioning === 'Enabled' ? this.#model.nextVersionId() : 'null',
      lastModified: wholeSeconds(at),
      isDeleteMarker: true,
    };
    this.#push(key, marker, wholeSeconds(at));
    return marker;
  }

  /** Remove one version for good (DELETE with a version ID, or lifecycle); the next newest becomes current if it was. */
  deleteVersion(key: string, versionId: string, at: Date, cause: RemovalCause = 'request'): ObjectVersion | undefined {
    return this.#remove(key, versionId, at, cause);
  }

  /** Put a version's new state (a transition, a restore) in place of the old one; same key, same version ID. */
  replace(updated: StoredObject): void {
    const history = this.#history.get(updated.key);
    if (history) {
      const i = history.findIndex((v) => v.entry.versionId === updated.versionId);
      if (i < 0) throw new Error(`S3Bucket.replace: ${updated.key} has no version ${updated.versionId}`);
      history[i] = { entry: updated, noncurrentSince: history[i]!.noncurrentSince };
    }
    if (this.#current.get(updated.key)?.versionId === updated.versionId) this.#current.set(updated.key, updated);
  }

  /** Remove a key's current object for good, as a bucket never versioned does; false when it was not there. */
  delete(key: string): boolean {
    const current = this.#current.get(key);
    if (!current) return false;
    this.#remove(key, current.versionId, this.#model.env.clock.now(), 'request');
    return true;
  }

  // ----- multipart uploads ---------------------------------------------------------------------

  startUpload(key: string, options: { initiated: Date; bytes: number; storageClass?: StorageClass }): MultipartUpload {
    const upload: MultipartUpload = {
      uploadId: this.#model.nextUploadId(),
      key,
      initiated: wholeSeconds(options.initiated),
      bytes: options.bytes,
      storageClass: options.storageClass ?? 'STANDARD',
    };
    this.#uploads.set(upload.uploadId, upload);
    this.#model.emit({ kind: 'upload-started', bucket: this.name, upload, at: upload.initiated });
    return upload;
  }

  /** Incomplete uploads, oldest first. */
  uploads(): MultipartUpload[] {
    return [...this.#uploads.values()].sort((a, b) => a.initiated.getTime() - b.initiated.getTime() || compareUtf8(a.key, b.key));
  }

  abortUpload(uploadId: string, at: Date): MultipartUpload | undefined {
    const upload = this.#uploads.get(uploadId);
    if (!upload) return undefined;
    this.#uploads.delete(uploadId);
    this.#model.emit({ kind: 'upload-aborted', bucket: this.name, upload, at });
    return upload;
  }

  // ----- internals -----------------------------------------------------------------------------

  /** A new current version of `key`: what it replaces goes, or becomes noncurrent, by the versioning status. */
  #push(key: string, entry: StoredObject | DeleteMarker, at: Date): void {
    const previous = this.versions(key);
    let kept: ObjectVersion[];
    if (this.versioning === undefined) {
      // One version per key: a write replaces the object for good.
      for (const v of previous) if (!isDeleteMarker(v.entry)) this.#model.emit({ kind: 'removed', bucket: this.name, object: v.entry, cause: 'overwrite', at });
      kept = [];
    } else {
      // A 'null' version is replaced by a new 'null' one (Suspended); every other version stays, noncurrent.
      kept = [];
      for (const v of previous) {
        if (entry.versionId === 'null' && v.entry.versionId === 'null') {
          if (!isDeleteMarker(v.entry)) this.#model.emit({ kind: 'removed', bucket: this.name, object: v.entry, cause: 'overwrite', at });
          continue;
        }
        kept.push(v.noncurrentSince ? v : { entry: v.entry, noncurrentSince: at });
      }
    }
    const versions = [{ entry, noncurrentSince: undefined }, ...kept];
    this.#store(key, versions);
  }

  #remove(key: string, versionId: string, at: Date, cause: RemovalCause): ObjectVersion | undefined {
    const versions = [...this.versions(key)];
    const i = versions.findIndex((v) => v.entry.versionId === versionId);
    if (i < 0) return undefined;
    const [removed] = versions.splice(i, 1);
    if (i === 0 && versions[0]) versions[0] = { entry: versions[0].entry, noncurrentSince: undefined };
    if (!isDeleteMarker(removed!.entry)) this.#model.emit({ kind: 'removed', bucket: this.name, object: removed!.entry, cause, at });
    this.#store(key, versions);
    return removed;
  }

  #store(key: string, versions: ObjectVersion[]): void {
    const head = versions[0]?.entry;
    const hadCurrent = this.#current.has(key);
    if (head && !isDeleteMarker(head)) this.#current.set(key, head);
    else this.#current.delete(key);
    // A new key, or one gone: the next list sorts again. (Splicing each key into place measured
    // slower: a compaction writes and deletes a thousand keys between two lists.)
    if (hadCurrent !== this.#current.has(key)) this.#sorted = undefined;
    if (versions.length > 1 || (head && isDeleteMarker(head))) this.#history.set(key, versions);
    else this.#history.delete(key);
  }
}

interface AccessRule {
  bucket: string;
  prefix: string | undefined;
  operations: readonly string[] | undefined;
}

/** Which calls an access check is about: the call's own operation unless said otherwise. */
export interface Access {
  /** The operation whose permission is checked (default: the call's), e.g. 'GetObject' for a copy's source. */
  operation?: string;
  /** The object key the call touches. */
  key?: string | undefined;
  /** The Prefix of a listing (IAM's s3:prefix condition). */
  listPrefix?: string;
}

/** Why an object cannot be read now, in S3's terms; undefined when it can. */
export function unreadable(object: StoredObject, now: Date): 'InvalidObjectState' | undefined {
  if (!ARCHIVED.has(object.storageClass)) return undefined;
  const restore = object.restore;
  if (restore && restore.readyAt <= now && now < restore.expiresAt) return undefined;
  return 'InvalidObjectState';
}

export class S3Model {
  readonly env: AwsEnv;
  readonly #buckets = new Map<string, S3Bucket>();
  readonly #denied: AccessRule[] = [];
  readonly #observers = new Set<(event: S3Event) => void>();
  #versions = 0;
  #uploads = 0;

  constructor(env: AwsEnv) {
    this.env = env;
  }

  // ----- buckets -----------------------------------------------------------------------------

  /** Create a bucket (a no-op when it exists). Throws an Error for a name S3 would refuse. */
  createBucket(name: string): S3Bucket {
    const problem = bucketNameProblem(name);
    if (problem) throw new Error(`FakeS3.createBucket('${name}'): a bucket name ${problem} (S3 bucket naming rules).`);
    let bucket = this.#buckets.get(name);
    if (!bucket) {
      bucket = new S3Bucket(name, this.env.clock.now(), this);
      this.#buckets.set(name, bucket);
    }
    return bucket;
  }

  /** A bucket by name for inspection (no access check, no error); undefined when absent. */
  find(name: string): S3Bucket | undefined {
    return this.#buckets.get(name);
  }

  /** Bucket names in S3's order. */
  bucketNames(): string[] {
    return [...this.#buckets.keys()].sort(compareUtf8);
  }

  /**
   * The bucket a call names, as S3 answers: AccessDenied (403) when a denyAccess rule covers
   * the call (its operation, or `access.operation`, and key or listing prefix), NoSuchBucket
   * (404) when it does not exist.
   */
  bucket(name: string, call: Call, access: Access = {}): S3Bucket {
    if (this.isDenied(name, access.operation ?? call.operation, access.key, access.listPrefix)) throw this.accessDenied(call);
    return this.existingBucket(name, call);
  }

  /** The bucket a call names, without an access check: NoSuchBucket (404) when absent. */
  existingBucket(name: string, call: Call): S3Bucket {
    const bucket = this.#buckets.get(name);
    if (!bucket) throw this.error('NoSuchBucket', 'The specified bucket does not exist', call, { httpStatusCode: 404, fields: { BucketName: name } });
    return bucket;
  }

  /** The object a call names: `bucket`'s errors, then NoSuchKey (404). */
  object(bucketName: string, key: string, call: Call, access: Access = {}): StoredObject {
    const bucket = this.bucket(bucketName, call, { ...access, key });
    const object = bucket.object(key);
    if (!object) throw this.error('NoSuchKey', 'The specified key does not exist.', call, { httpStatusCode: 404, fields: { Key: key } });
    return object;
  }

  /** Write an object now (on the world's clock unless `lastModified` says otherwise). */
  put(bucket: S3Bucket, key: string, body: Uint8Array | SizedBody, attributes: ObjectAttributes): StoredObject {
    return bucket.put(key, body, { ...attributes, lastModified: attributes.lastModified ?? this.env.clock.now() });
  }

  /** A read of the object's data: observers are told (a GET is billed whether it is ranged or whole). */
  recordRead(bucket: S3Bucket, object: StoredObject, bytes: number): void {
    this.emit({ kind: 'read', bucket: bucket.name, object, bytes, at: this.env.clock.now() });
  }

  // ----- versions and uploads ------------------------------------------------------------------

  /** A new version ID: 32 URL-safe characters like S3's, from a counter so runs repeat exactly. */
  nextVersionId(): string {
    this.#versions += 1;
    const digest = md5(utf8(`version:${this.env.accountId}:${this.#versions}`));
    return toBase64(concat(digest, md5(digest)))
      .replace(/\+/g, '.')
      .replace(/\//g, '_')
      .slice(0, 32);
  }

  nextUploadId(): string {
    this.#uploads += 1;
    return toBase64(concat(md5(utf8(`upload:${this.#uploads}`)), md5(utf8(`upload:${this.#uploads}:2`)))).replace(/[+/=]/g, '');
  }

  // ----- observers -----------------------------------------------------------------------------

  /** Hear every change that costs money; returns a function that stops listening. */
  observe(observer: (event: S3Event) => void): () => void {
    this.#observers.add(observer);
    return () => this.#observers.delete(observer);
  }

  emit(event: S3Event): void {
    for (const observer of this.#observers) observer(event);
  }

  // ----- access ------------------------------------------------------------------------------

  deny(bucket: string, prefix: string | undefined, operations: readonly string[] | undefined): void {
    this.#denied.push({ bucket, prefix: prefix || undefined, operations });
  }

  allowAll(): void {
    this.#denied.length = 0;
  }

  /** Whether a denyAccess rule covers this operation on this bucket (and key, or listing prefix). */
  isDenied(bucket: string, operation: string, key: string | undefined, listPrefix?: string): boolean {
    return this.#denied.some((rule) => {
      if (rule.bucket !== bucket) return false;
      if (rule.operations && !rule.operations.includes(operation)) return false;
      if (rule.prefix === undefined) return true;
      if (key !== undefined) return key.startsWith(rule.prefix);
      if (listPrefix !== undefined) return listPrefix.startsWith(rule.prefix);
      return false;
    });
  }

  // ----- errors ------------------------------------------------------------------------------

  /** The account's canonical user ID (64 hex digits), as listings' Owner.ID shows it. */
  canonicalId(): string {
    return hex(md5(utf8(`canonical:${this.env.accountId}`))).repeat(2);
  }

  /**
   * S3's answer `code` as the SDK raises it: the modeled class where there is one (NoSuchKey…),
   * else S3ServiceException named `code`; Code, RequestId and HostId copied from the error body,
   * and `$metadata.extendedRequestId` (x-amz-id-2). HEAD answers carry no body, so there the SDK
   * never learns the code: 404 is NotFound, anything else an 'Unknown' S3ServiceException, both
   * with the message 'UnknownError'.
   */
  error(code: string, message: string, call: Call, options: ErrorOptions = {}): Error {
    const httpStatusCode = options.httpStatusCode ?? 400;
    // S3's x-amz-id-2: 76 base64 characters; derived from the request id so runs repeat exactly.
    const hostId = toBase64(concat(...[1, 2, 3].map((n) => md5(utf8(`host:${n}:${call.requestId}`)))).slice(0, 57));
    if (call.operation === 'HeadObject' || call.operation === 'HeadBucket') {
      return serviceError(httpStatusCode === 404 ? NotFound : 'Unknown', {
        base: S3ServiceException,
        message: 'UnknownError',
        httpStatusCode,
        requestId: call.requestId,
        extendedRequestId: hostId,
      });
    }
    return serviceError(MODELED[code] ?? code, {
      base: S3ServiceException,
      message,
      httpStatusCode,
      requestId: call.requestId,
      extendedRequestId: hostId,
      fields: { Code: code, ...options.fields, RequestId: call.requestId, HostId: hostId },
    });
  }

  accessDenied(call: Call): Error {
    return this.error('AccessDenied', 'Access Denied', call, { httpStatusCode: 403 });
  }
}
