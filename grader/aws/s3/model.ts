// The fake S3's model: buckets, their objects, the access rules checks lay down, and S3's
// errors. FakeS3's operations answer from it, and so does an operation a lab adds
// (`s3.on(Command, (input, call, model) => …)`), so both refuse a missing bucket, a denied key
// or a missing object in the very words S3 uses.
//
//   const bucket = model.bucket(input.Bucket!, call);      // AccessDenied / NoSuchBucket, as S3 answers
//   bucket.configuration.set('lifecycle', rules);         // a bucket's own settings, by name
//   bucket.keys('logs/');                                 // keys in S3's order
//   throw model.error('NoSuchLifecycleConfiguration', 'The lifecycle configuration does not exist', call, { httpStatusCode: 404 });
//
// Error shapes were checked against @aws-sdk/client-s3 3.1175 deserialising S3's documented
// XML answers (2026-11-25).

import { AccessDenied, BucketAlreadyOwnedByYou, InvalidRequest, NoSuchBucket, NoSuchKey, NotFound, S3ServiceException } from '@aws-sdk/client-s3';
import type { AwsEnv } from '../env.ts';
import { concat, toBase64, utf8 } from '../bytes.ts';
import { serviceError } from '../errors.ts';
import type { ExceptionClass } from '../errors.ts';
import { hex, md5 } from '../md5.ts';
import type { Call } from '../mock.ts';
import type { ErrorOptions } from '../service.ts';
import { bucketNameProblem, compareUtf8 } from './keys.ts';

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
  | 'ListObjects';

export interface StoredObject {
  key: string;
  size: number;
  /** Quoted MD5 hex, as S3 gives it for single-part uploads: '"5d41402abc4b2a76b9719d911017c592"'. */
  etag: string;
  lastModified: Date;
  body: Uint8Array;
  contentType: string;
  metadata: Record<string, string>;
}

/** What an object is written with, besides its key and bytes. */
export interface ObjectAttributes {
  contentType: string;
  metadata: Record<string, string>;
  /** S3 keeps whole seconds; default: now on the world's clock. */
  lastModified?: Date | undefined;
}

/** Error codes the SDK models as their own classes (`instanceof NoSuchKey`); the rest are S3ServiceException. */
const MODELED: Record<string, ExceptionClass> = {
  AccessDenied,
  BucketAlreadyOwnedByYou,
  InvalidRequest,
  NoSuchBucket,
  NoSuchKey,
  NotFound,
};

/** S3 keeps only whole seconds of Last-Modified. */
export function wholeSeconds(date: Date): Date {
  return new Date(Math.floor(date.getTime() / 1000) * 1000);
}

/** One bucket: its objects (keys in S3's order on demand) and its configuration. */
export class S3Bucket {
  readonly name: string;
  readonly created: Date;
  /**
   * Bucket-level configuration that operations keep, by name: e.g. 'lifecycle' for
   * PutBucketLifecycleConfiguration. Not traced, not in the report's state.
   */
  readonly configuration = new Map<string, unknown>();
  readonly #objects = new Map<string, StoredObject>();
  /** Keys in byte order, rebuilt lazily after a key is added or removed. */
  #sorted: string[] | undefined;

  constructor(name: string, created: Date) {
    this.name = name;
    this.created = wholeSeconds(created);
  }

  /** How many objects the bucket holds. */
  get size(): number {
    return this.#objects.size;
  }

  /** The stored object (shared, not copied: never change it; `put` a new one). */
  object(key: string): StoredObject | undefined {
    return this.#objects.get(key);
  }

  /** Every key in S3's order (UTF-8 bytes); the array is shared: do not change it. */
  sortedKeys(): readonly string[] {
    this.#sorted ??= [...this.#objects.keys()].sort(compareUtf8);
    return this.#sorted;
  }

  /** Keys, optionally under a prefix, in S3's order (a copy). */
  keys(prefix = ''): string[] {
    const keys = this.sortedKeys();
    return prefix ? keys.filter((k) => k.startsWith(prefix)) : [...keys];
  }

  /** Store `body` under `key` (replacing what was there), as S3 does on a successful write. */
  put(key: string, body: Uint8Array, attributes: ObjectAttributes & { lastModified: Date }): StoredObject {
    // The ETag is the body's MD5, worked out when first asked for: checks seed thousands of
    // objects a learner never lists or reads. Stored bodies are never mutated (every way in and
    // out copies them), so the answer is the same whenever it is computed.
    let etag: string | undefined;
    const object: StoredObject = {
      key,
      size: body.length,
      get etag() {
        return (etag ??= `"${hex(md5(body))}"`);
      },
      lastModified: wholeSeconds(attributes.lastModified),
      body,
      contentType: attributes.contentType,
      metadata: attributes.metadata,
    };
    // A new key: the next list sorts again. (Splicing each key into place measured slower: a
    // compaction writes and deletes a thousand keys between two lists.)
    if (!this.#objects.has(key)) this.#sorted = undefined;
    this.#objects.set(key, object);
    return object;
  }

  /** Remove a key; false when it was not there. */
  delete(key: string): boolean {
    if (!this.#objects.delete(key)) return false;
    this.#sorted = undefined;
    return true;
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

export class S3Model {
  readonly env: AwsEnv;
  readonly #buckets = new Map<string, S3Bucket>();
  readonly #denied: AccessRule[] = [];

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
      bucket = new S3Bucket(name, this.env.clock.now());
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
  put(bucket: S3Bucket, key: string, body: Uint8Array, attributes: ObjectAttributes): StoredObject {
    return bucket.put(key, body, { ...attributes, lastModified: attributes.lastModified ?? this.env.clock.now() });
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
