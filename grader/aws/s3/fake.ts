// The fake S3: an in-memory model of buckets and objects behind a real S3Client, as strict as
// S3 itself (LABS.md, "Fidelity"). Learners carry what they learn here to real AWS, so where S3
// is unkind (1,000 keys a page, opaque tokens, byte-order listings, `Contents` absent from an
// empty page, HEAD errors without a code) the fake is unkind in the same way.
//
//   const s3 = new FakeS3(env);
//   s3.createBucket('lake');
//   s3.putObject('lake', 'raw/a.jsonl', '{"id":1}\n');
//   await ingestBatch(s3.client(), 'lake', 'b1', events);   // the learner's code
//   s3.keys('lake', 'raw/');                                 // what it left behind
//
// Response and error shapes were checked against @aws-sdk/client-s3 3.1175 deserialising S3's
// documented XML answers (2026-11-25); S3 behaviour from the S3 API Reference of the same date.

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
import type { CommonPrefix, _Object } from '@aws-sdk/client-s3';
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
import { ContinuationTokens, MAX_KEYS_PER_PAGE, listEntry, listPage } from './listing.ts';
import type { ListPosition } from './listing.ts';
import { S3Model } from './model.ts';
import type { S3Bucket, S3Operation, StoredObject } from './model.ts';

/** DeleteObjects accepts at most this many keys per request (S3 API Reference, DeleteObjects, 2026-11-25). */
export const MAX_DELETE_KEYS = 1000;
/** Keys shown per bucket in a report's state before the rest is counted instead. */
export const SNAPSHOT_KEYS_PER_BUCKET = 200;

/** The URL path members of bucket and object operations: the SDK refuses to send without them. */
const BUCKET_LABEL = ['Bucket'] as const;
const OBJECT_LABELS = ['Bucket', 'Key'] as const;

const DEFAULT_CONTENT_TYPE = 'application/octet-stream'; // what SDK 3.1175 sends for a Body without ContentType

/** What the SDK checks before sending, after the HTTP labels (each operation's httpLabels): URI encoding, the body's type. */
function validateRequest(operation: string, input: Record<string, unknown>): void {
  const bucket = input.Bucket;
  if (typeof bucket === 'string' && bucket.includes('/')) {
    throw new NotSentError(`Bucket name shouldn't contain '/', received '${bucket}'`, 'InvalidBucketName');
  }
  // The SDK percent-encodes these with encodeURIComponent, which throws on a lone surrogate.
  for (const member of ['Key', 'Prefix', 'Delimiter', 'StartAfter', 'Marker', 'CopySource']) {
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

export class FakeS3 extends FakeAwsService<S3Client, S3Model> {
  readonly #model: S3Model;
  readonly #tokens: ContinuationTokens;

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
      doc: 'Stores an object (string, bytes, Blob or stream body; keys ≤ 1,024 bytes); MD5 ETag; If-None-Match: * and If-Match conditions; Content-Length must match the body.',
    });
    this.on(GetObjectCommand, (input, call) => this.#getObjectCall(input, call), {
      httpLabels: OBJECT_LABELS,
      doc: 'Returns an object with the SDK stream body (transformToString…); Range requests (206, 416 InvalidRange); If-Match; NoSuchKey, NoSuchBucket.',
      output: ['ContentLength', 'ContentRange'],
    });
    this.on(
      HeadObjectCommand,
      (input, call) => {
        const object = this.#model.object(input.Bucket!, input.Key!, call);
        return {
          AcceptRanges: 'bytes',
          LastModified: object.lastModified,
          ContentLength: object.size,
          ETag: object.etag,
          ContentType: object.contentType,
          ServerSideEncryption: 'AES256' as const,
          Metadata: { ...object.metadata },
        };
      },
      {
        httpLabels: OBJECT_LABELS,
        doc: "An object's metadata without its body; a missing key is NotFound (HEAD answers carry no error code).",
        output: ['ContentLength'],
      },
    );
    this.on(
      DeleteObjectCommand,
      (input, call) => {
        const bucket = this.#model.bucket(input.Bucket!, call, { key: input.Key });
        // Deleting a key that is not there succeeds: S3 deletes are idempotent.
        bucket.delete(input.Key!);
        return { $metadata: { httpStatusCode: 204 } };
      },
      { httpLabels: OBJECT_LABELS, doc: 'Deletes a key (204), also when it is not there: S3 deletes are idempotent.' },
    );
    this.on(DeleteObjectsCommand, (input, call) => this.#deleteObjectsCall(input, call), {
      httpLabels: BUCKET_LABEL,
      doc: 'Deletes 1 to 1,000 keys (more is MalformedXML); keys denied by denyAccess come back in Errors; Quiet mode lists only failures.',
      output: (o) => ({ Deleted: outputList(o.Deleted, (d) => d.Key), Errors: outputList(o.Errors, (e) => ({ Key: e.Key, Code: e.Code })) }),
    });
    this.on(CopyObjectCommand, (input, call) => this.#copyObjectCall(input, call), {
      httpLabels: OBJECT_LABELS,
      doc: "Copies an object (URL-encoded 'bucket/key' source); metadata copied or REPLACEd; copying onto itself unchanged is InvalidRequest.",
    });
    this.on(ListObjectsV2Command, (input, call) => this.#listObjectsV2Call(input, call), {
      httpLabels: BUCKET_LABEL,
      doc: 'Lists ≤ 1,000 keys a page (MaxKeys honoured) in UTF-8 byte order; Prefix, Delimiter/CommonPrefixes counted in KeyCount, StartAfter; opaque ContinuationTokens bound to the bucket.',
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

  /** Seed an object directly (not traced). */
  putObject(
    bucket: string,
    key: string,
    body: string | Uint8Array,
    options: { lastModified?: Date; contentType?: string; metadata?: Record<string, string> } = {},
  ): void {
    const target = this.#seedBucket(bucket, 'putObject');
    const bytes = typeof body === 'string' ? utf8(body) : body.slice();
    this.#model.put(target, key, bytes, {
      contentType: options.contentType ?? DEFAULT_CONTENT_TYPE,
      metadata: options.metadata ?? {},
      lastModified: options.lastModified,
    });
  }

  /** Inspect (not traced): the object's body as UTF-8, undefined when absent. */
  getObjectText(bucket: string, key: string): string | undefined {
    const object = this.#model.find(bucket)?.object(key);
    return object ? new TextDecoder().decode(object.body) : undefined;
  }

  /** Inspect (not traced): the stored object, undefined when absent. */
  getObject(bucket: string, key: string): StoredObject | undefined {
    const object = this.#model.find(bucket)?.object(key);
    return object ? { ...object, body: object.body.slice(), metadata: { ...object.metadata } } : undefined;
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

  objects(bucket: string): { key: string; size: number; etag: string; lastModified: Date; body: Uint8Array }[] {
    const target = this.#seedBucket(bucket, 'objects');
    return target.sortedKeys().map((key) => {
      const o = target.object(key)!;
      return { key: o.key, size: o.size, etag: o.etag, lastModified: o.lastModified, body: o.body.slice() };
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
    });
    return { ETag: object.etag, ServerSideEncryption: 'AES256' as const };
  }

  #getObjectCall(input: GetObjectCommand['input'], call: Call) {
    const object = this.#model.object(input.Bucket!, input.Key!, call);
    if (input.IfMatch !== undefined && unquote(input.IfMatch) !== unquote(object.etag)) throw this.#preconditionFailed('If-Match', call);
    const base = {
      AcceptRanges: 'bytes',
      LastModified: object.lastModified,
      ETag: object.etag,
      ContentType: object.contentType,
      ServerSideEncryption: 'AES256' as const,
      Metadata: { ...object.metadata },
    };
    const range = input.Range === undefined ? undefined : parseRange(input.Range, object.size);
    if (range === 'unsatisfiable') {
      throw this.error('InvalidRange', 'The requested range is not satisfiable', call, {
        httpStatusCode: 416,
        fields: { RangeRequested: input.Range, ActualObjectSize: String(object.size) },
      });
    }
    if (range) {
      const part = object.body.subarray(range.start, range.end + 1);
      return {
        ...base,
        Body: sdkStreamBody(part),
        ContentLength: part.length,
        ContentRange: `bytes ${range.start}-${range.end}/${object.size}`,
        $metadata: { httpStatusCode: 206 },
      };
    }
    return { ...base, Body: sdkStreamBody(object.body), ContentLength: object.size };
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
    const deleted: { Key: string }[] = [];
    const errors: { Key: string; Code: string; Message: string }[] = [];
    for (const { Key } of objects) {
      const key = Key!;
      if (this.#model.isDenied(bucket.name, 'DeleteObjects', key) || this.#model.isDenied(bucket.name, 'DeleteObject', key)) {
        errors.push({ Key: key, Code: 'AccessDenied', Message: 'Access Denied' });
        continue;
      }
      bucket.delete(key);
      deleted.push({ Key: key });
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
    const replace = input.MetadataDirective === 'REPLACE';
    if (source.bucket === target.name && source.key === key && !replace) {
      throw this.error(
        'InvalidRequest',
        "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.",
        call,
      );
    }
    const object = this.#model.put(target, key, from.body.slice(), {
      contentType: replace ? (input.ContentType ?? DEFAULT_CONTENT_TYPE) : from.contentType,
      metadata: replace ? lowerCaseKeys(input.Metadata) : { ...from.metadata },
    });
    return {
      CopyObjectResult: { ETag: object.etag, LastModified: object.lastModified },
      ServerSideEncryption: 'AES256' as const,
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
