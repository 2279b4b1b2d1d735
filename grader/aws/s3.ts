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
  AccessDenied,
  BucketAlreadyOwnedByYou,
  CopyObjectCommand,
  CreateBucketCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  InvalidRequest,
  ListBucketsCommand,
  ListObjectsCommand,
  ListObjectsV2Command,
  NoSuchBucket,
  NoSuchKey,
  NotFound,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import type { GetObjectCommandOutput, _Object, CommonPrefix } from '@aws-sdk/client-s3';
import type { AwsEnv, FakeService, InjectedFault } from './env.ts';
import { FakeEndpoint, NotSentError, byteSummary, serviceError } from './mock.ts';
import type { Call, ExceptionClass } from './mock.ts';

/** S3 caps every listing page here, whatever MaxKeys asks for. */
export const MAX_KEYS_PER_PAGE = 1000;
/** DeleteObjects accepts at most this many keys per request. */
export const MAX_DELETE_KEYS = 1000;
/** Object keys are at most 1,024 bytes of UTF-8. */
export const MAX_KEY_BYTES = 1024;
/** Keys shown per bucket in a report's state before the rest is counted instead. */
export const SNAPSHOT_KEYS_PER_BUCKET = 200;

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

interface Bucket {
  name: string;
  created: Date;
  objects: Map<string, StoredObject>;
  /** Keys in byte order, rebuilt lazily after a key is added or removed. */
  sorted: string[] | undefined;
}

interface AccessRule {
  bucket: string;
  prefix: string | undefined;
  operations: readonly S3Operation[] | undefined;
}

// ---------------------------------------------------------------------------------------------
// Pure pieces: UTF-8, byte order, MD5, the continuation token codec.

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function utf8(text: string): Uint8Array {
  return encoder.encode(text);
}

/**
 * S3 lists keys in the order of their UTF-8 bytes. JavaScript compares UTF-16 code units,
 * which agrees except when one side is a surrogate (a character above U+FFFF) and the other
 * lies in U+E000–U+FFFF; there the surrogate must sort last, as its UTF-8 lead byte (F0) is
 * above theirs (EE, EF). `localeCompare` is wrong in many more ways ('B' < 'a' in S3).
 */
export function compareUtf8(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    if (x >= 0xd800 && y >= 0xd800) return rank(x) - rank(y);
    return x - y;
  }
  return a.length - b.length;
}

function rank(unit: number): number {
  return unit >= 0xe000 ? unit - 0x800 : unit + 0x2000;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

const MD5_SHIFTS = [7, 12, 17, 22, 5, 9, 14, 20, 4, 11, 16, 23, 6, 10, 15, 21];
const MD5_K = Array.from({ length: 64 }, (_, i) => Math.floor(Math.abs(Math.sin(i + 1)) * 2 ** 32) >>> 0);

/** MD5 (RFC 1321) of some bytes, as 16 bytes. Pure: the grader has no node:crypto in the browser. */
export function md5(bytes: Uint8Array): Uint8Array {
  const bitLength = bytes.length * 8;
  const padded = new Uint8Array((((bytes.length + 8) >>> 6) + 1) * 64);
  padded.set(bytes);
  padded[bytes.length] = 0x80;
  const view = new DataView(padded.buffer);
  view.setUint32(padded.length - 8, bitLength >>> 0, true);
  view.setUint32(padded.length - 4, Math.floor(bitLength / 2 ** 32), true);
  let a0 = 0x67452301;
  let b0 = 0xefcdab89;
  let c0 = 0x98badcfe;
  let d0 = 0x10325476;
  const m = new Uint32Array(16);
  for (let offset = 0; offset < padded.length; offset += 64) {
    for (let j = 0; j < 16; j++) m[j] = view.getUint32(offset + j * 4, true);
    let a = a0;
    let b = b0;
    let c = c0;
    let d = d0;
    for (let i = 0; i < 64; i++) {
      let f: number;
      let g: number;
      if (i < 16) {
        f = (b & c) | (~b & d);
        g = i;
      } else if (i < 32) {
        f = (d & b) | (~d & c);
        g = (5 * i + 1) % 16;
      } else if (i < 48) {
        f = b ^ c ^ d;
        g = (3 * i + 5) % 16;
      } else {
        f = c ^ (b | ~d);
        g = (7 * i) % 16;
      }
      const shift = MD5_SHIFTS[(i >>> 4) * 4 + (i % 4)]!;
      const sum = (a + f + MD5_K[i]! + m[g]!) | 0;
      a = d;
      d = c;
      c = b;
      b = (b + ((sum << shift) | (sum >>> (32 - shift)))) | 0;
    }
    a0 = (a0 + a) | 0;
    b0 = (b0 + b) | 0;
    c0 = (c0 + c) | 0;
    d0 = (d0 + d) | 0;
  }
  const out = new Uint8Array(16);
  const outView = new DataView(out.buffer);
  [a0, b0, c0, d0].forEach((word, i) => outView.setUint32(i * 4, word, true));
  return out;
}

const HEX_DIGITS = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));

export function hex(bytes: Uint8Array): string {
  let text = '';
  for (let i = 0; i < bytes.length; i++) text += HEX_DIGITS[bytes[i]!];
  return text;
}

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

function fromBase64(text: string): Uint8Array | undefined {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0) return undefined;
  try {
    return Uint8Array.from(atob(text), (ch) => ch.charCodeAt(0));
  } catch {
    return undefined;
  }
}

/** Where the next page starts: after a key, or after every key under a common prefix. */
interface ListPosition {
  bucket: string;
  kind: 'key' | 'prefix';
  marker: string;
}

const TOKEN_VERSION = 1;
const TOKEN_MAC_BYTES = 8;

/**
 * Continuation tokens are opaque, as S3's are: the position is masked and sealed with a MAC,
 * so code that builds, edits or reuses a token across buckets gets S3's InvalidArgument rather
 * than a listing that quietly works here and fails there.
 */
export class ContinuationTokens {
  readonly #secret: Uint8Array;

  constructor(secret: string) {
    this.#secret = utf8(secret);
  }

  encode(position: ListPosition): string {
    const payload = utf8(`${position.bucket}\n${position.kind}\n${position.marker}`);
    const masked = this.#mask(payload);
    const mac = this.#mac(payload);
    const token = new Uint8Array(1 + masked.length + TOKEN_MAC_BYTES);
    token[0] = TOKEN_VERSION;
    token.set(masked, 1);
    token.set(mac, 1 + masked.length);
    return toBase64(token);
  }

  decode(token: string): ListPosition | undefined {
    const bytes = fromBase64(token);
    if (!bytes || bytes.length < 1 + TOKEN_MAC_BYTES || bytes[0] !== TOKEN_VERSION) return undefined;
    const payload = this.#mask(bytes.subarray(1, bytes.length - TOKEN_MAC_BYTES));
    const mac = this.#mac(payload);
    const given = bytes.subarray(bytes.length - TOKEN_MAC_BYTES);
    if (!mac.every((byte, i) => byte === given[i])) return undefined;
    const [bucket, kind, ...rest] = decoder.decode(payload).split('\n');
    if (bucket === undefined || (kind !== 'key' && kind !== 'prefix')) return undefined;
    return { bucket, kind, marker: rest.join('\n') };
  }

  #mask(bytes: Uint8Array): Uint8Array {
    const out = new Uint8Array(bytes.length);
    let block: Uint8Array = new Uint8Array(0);
    for (let i = 0; i < bytes.length; i++) {
      if (i % 16 === 0) block = md5(concat(this.#secret, utf8(`:mask:${i / 16}`)));
      out[i] = bytes[i]! ^ block[i % 16]!;
    }
    return out;
  }

  #mac(payload: Uint8Array): Uint8Array {
    return md5(concat(this.#secret, utf8(':mac:'), payload)).subarray(0, TOKEN_MAC_BYTES);
  }
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** Bucket naming rules for general purpose buckets (S3 User Guide, "Bucket naming rules", 2026-11-25). */
export function bucketNameProblem(name: string): string | undefined {
  if (name.length < 3 || name.length > 63) return 'must be 3 to 63 characters long';
  if (!/^[a-z0-9.-]+$/.test(name)) return 'may contain only lower-case letters, digits, dots and hyphens';
  if (!/^[a-z0-9].*[a-z0-9]$/.test(name)) return 'must begin and end with a letter or digit';
  if (name.includes('..')) return 'must not contain two adjacent dots';
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(name)) return 'must not look like an IP address';
  for (const prefix of ['xn--', 'sthree-', 'amzn-s3-demo-']) {
    if (name.startsWith(prefix)) return `must not start with '${prefix}'`;
  }
  for (const suffix of ['-s3alias', '--ol-s3', '.mrap', '--x-s3', '--table-s3']) {
    if (name.endsWith(suffix)) return `must not end with '${suffix}'`;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Bodies: what PutObject accepts, what GetObject returns.

type BodyKind = 'empty' | 'string' | 'bytes' | 'blob' | 'web-stream' | 'async-iterable';

function bodyKind(body: unknown): BodyKind | undefined {
  if (body === undefined || body === null) return 'empty';
  if (typeof body === 'string') return 'string';
  if (body instanceof Uint8Array || ArrayBuffer.isView(body) || body instanceof ArrayBuffer) return 'bytes';
  if (typeof body !== 'object') return undefined;
  if (typeof (body as Blob).arrayBuffer === 'function' && typeof (body as Blob).size === 'number') return 'blob';
  if (typeof (body as ReadableStream).getReader === 'function') return 'web-stream';
  if (typeof (body as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function') return 'async-iterable';
  return undefined;
}

function chunkBytes(chunk: unknown): Uint8Array {
  if (typeof chunk === 'string') return utf8(chunk);
  if (chunk instanceof Uint8Array) return chunk;
  if (ArrayBuffer.isView(chunk)) return new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  if (chunk instanceof ArrayBuffer) return new Uint8Array(chunk);
  throw new TypeError(`A PutObject Body stream yielded ${typeof chunk}; streams must yield strings or bytes.`);
}

async function readBody(body: unknown): Promise<Uint8Array> {
  switch (bodyKind(body)) {
    case 'empty':
      return new Uint8Array(0);
    case 'string':
      return utf8(body as string);
    case 'bytes':
      return chunkBytes(body).slice();
    case 'blob':
      return new Uint8Array(await (body as Blob).arrayBuffer());
    case 'web-stream': {
      const reader = (body as ReadableStream<unknown>).getReader();
      const chunks: Uint8Array[] = [];
      for (let r = await reader.read(); !r.done; r = await reader.read()) chunks.push(chunkBytes(r.value));
      return concat(...chunks);
    }
    case 'async-iterable': {
      const chunks: Uint8Array[] = [];
      for await (const chunk of body as AsyncIterable<unknown>) chunks.push(chunkBytes(chunk));
      return concat(...chunks);
    }
    default:
      throw new TypeError('unreachable: PutObject Body was validated before sending');
  }
}

type SdkBody = NonNullable<GetObjectCommandOutput['Body']>;

/**
 * A GetObject Body as the SDK gives it in a browser: a ReadableStream with the SDK's mixin
 * (transformToString, transformToByteArray, transformToWebStream), each usable once, as there.
 * One shape in every host, so a submission gets the same grade in Node and in the browser.
 */
export function sdkStreamBody(bytes: Uint8Array): SdkBody {
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      if (bytes.length) controller.enqueue(bytes.slice());
      controller.close();
    },
  });
  let transformed = false;
  const claim = () => {
    if (transformed) throw new Error('The stream has already been transformed.');
    transformed = true;
  };
  const transformToByteArray = async (): Promise<Uint8Array> => {
    claim();
    const reader = stream.getReader();
    const chunks: Uint8Array[] = [];
    for (let r = await reader.read(); !r.done; r = await reader.read()) chunks.push(r.value);
    return concat(...chunks);
  };
  return Object.assign(stream, {
    transformToByteArray,
    transformToString: async (encoding?: string): Promise<string> => {
      const data = await transformToByteArray();
      if (encoding === 'base64') return toBase64(data);
      if (encoding === 'hex') return hex(data);
      return new TextDecoder(encoding === undefined || encoding === 'utf8' ? 'utf-8' : encoding).decode(data);
    },
    transformToWebStream: () => {
      claim();
      return stream;
    },
  }) as unknown as SdkBody;
}

function describeBody(body: unknown): string {
  if (Array.isArray(body)) return 'an array';
  if (typeof body === 'object') return 'a plain object';
  return `a ${typeof body}`;
}

// ---------------------------------------------------------------------------------------------
// The fake.

const KEY_OPERATIONS = new Set<S3Operation>(['PutObject', 'GetObject', 'HeadObject', 'DeleteObject', 'CopyObject']);
const BUCKET_OPERATIONS = new Set<S3Operation>([
  ...KEY_OPERATIONS,
  'CreateBucket',
  'HeadBucket',
  'DeleteObjects',
  'ListObjectsV2',
  'ListObjects',
]);

/** Error codes the SDK models as their own classes (`instanceof NoSuchKey`); the rest are S3ServiceException. */
const MODELED: Record<string, ExceptionClass> = {
  AccessDenied,
  BucketAlreadyOwnedByYou,
  InvalidRequest,
  NoSuchBucket,
  NoSuchKey,
  NotFound,
};

const DEFAULT_CONTENT_TYPE = 'application/octet-stream'; // what SDK 3.1175 sends for a Body without ContentType

export class FakeS3 implements FakeService {
  readonly serviceName = 's3';
  readonly env: AwsEnv;
  readonly #buckets = new Map<string, Bucket>();
  readonly #denied: AccessRule[] = [];
  readonly #tokens: ContinuationTokens;
  readonly #endpoint: FakeEndpoint<S3Client>;

  constructor(env: AwsEnv) {
    this.env = env;
    this.#tokens = new ContinuationTokens(`whetstone-s3:${env.accountId}`);
    this.#endpoint = new FakeEndpoint({
      service: 's3',
      clientClass: S3Client,
      env,
      validate: (operation, input) => this.#validate(operation as S3Operation, input),
      summarise: (operation, input) => summariseInput(input),
      faultError: (fault, call) => this.#faultError(fault, call),
    });
    const api = this.#endpoint;
    api.on(CreateBucketCommand, (input, call) => this.#createBucketCall(input.Bucket!, call));
    api.on(HeadBucketCommand, (input, call) => {
      this.#bucket(input.Bucket!, 'HeadBucket', call);
      return { BucketRegion: env.region, AccessPointAlias: false };
    });
    api.on(ListBucketsCommand, () => ({
      Buckets: [...this.#buckets.values()]
        .sort((a, b) => compareUtf8(a.name, b.name))
        .map((b) => ({ Name: b.name, CreationDate: b.created, BucketRegion: env.region })),
      Owner: { ID: this.#canonicalId() },
    }));
    api.on(PutObjectCommand, (input, call) => this.#putObjectCall(input, call));
    api.on(GetObjectCommand, (input, call) => this.#getObjectCall(input, call));
    api.on(HeadObjectCommand, (input, call) => {
      const object = this.#object(input.Bucket!, input.Key!, 'HeadObject', call);
      return {
        AcceptRanges: 'bytes',
        LastModified: object.lastModified,
        ContentLength: object.size,
        ETag: object.etag,
        ContentType: object.contentType,
        ServerSideEncryption: 'AES256' as const,
        Metadata: { ...object.metadata },
      };
    });
    api.on(DeleteObjectCommand, (input, call) => {
      const bucket = this.#bucket(input.Bucket!, 'DeleteObject', call, input.Key);
      // Deleting a key that is not there succeeds: S3 deletes are idempotent.
      this.#remove(bucket, input.Key!);
      return { $metadata: { httpStatusCode: 204 } };
    });
    api.on(DeleteObjectsCommand, (input, call) => this.#deleteObjectsCall(input, call));
    api.on(CopyObjectCommand, (input, call) => this.#copyObjectCall(input, call));
    api.on(ListObjectsV2Command, (input, call) => this.#listObjectsV2Call(input, call));
    api.on(ListObjectsCommand, (input, call) => this.#listObjectsV1Call(input, call));
  }

  /** A real S3Client whose calls land in THIS world (and are traced). */
  client(config: Record<string, unknown> = {}): S3Client {
    return this.#endpoint.client(config);
  }

  /** Make clients nobody routed yet (the learner's own `new S3Client({})`) join this world at their first call. */
  claimAmbient(): void {
    this.#endpoint.claimAmbient();
  }

  // ----- seeding and inspection (not traced) -------------------------------------------------

  createBucket(name: string): void {
    const problem = bucketNameProblem(name);
    if (problem) throw new Error(`FakeS3.createBucket('${name}'): a bucket name ${problem} (S3 bucket naming rules).`);
    if (!this.#buckets.has(name)) {
      this.#buckets.set(name, { name, created: wholeSeconds(this.env.clock.now()), objects: new Map(), sorted: undefined });
    }
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
    this.#store(target, key, bytes, {
      contentType: options.contentType ?? DEFAULT_CONTENT_TYPE,
      metadata: options.metadata ?? {},
      lastModified: options.lastModified,
    });
  }

  /** Inspect (not traced): the object's body as UTF-8, undefined when absent. */
  getObjectText(bucket: string, key: string): string | undefined {
    const object = this.#buckets.get(bucket)?.objects.get(key);
    return object ? decoder.decode(object.body) : undefined;
  }

  /** Inspect (not traced): the stored object, undefined when absent. */
  getObject(bucket: string, key: string): StoredObject | undefined {
    const object = this.#buckets.get(bucket)?.objects.get(key);
    return object ? { ...object, body: object.body.slice(), metadata: { ...object.metadata } } : undefined;
  }

  hasBucket(name: string): boolean {
    return this.#buckets.has(name);
  }

  bucketNames(): string[] {
    return [...this.#buckets.keys()].sort(compareUtf8);
  }

  /** Keys in the bucket, optionally under a prefix, in S3's order (UTF-8 byte order). */
  keys(bucket: string, prefix = ''): string[] {
    const keys = sortedKeys(this.#seedBucket(bucket, 'keys'));
    return prefix ? keys.filter((k) => k.startsWith(prefix)) : [...keys];
  }

  objects(bucket: string): { key: string; size: number; etag: string; lastModified: Date; body: Uint8Array }[] {
    const target = this.#seedBucket(bucket, 'objects');
    return sortedKeys(target).map((key) => {
      const o = target.objects.get(key)!;
      return { key: o.key, size: o.size, etag: o.etag, lastModified: o.lastModified, body: o.body.slice() };
    });
  }

  /**
   * Make calls on a bucket (optionally only keys under a prefix, optionally only some
   * operations) fail with AccessDenied (403), as an IAM deny would. Listing is denied when the
   * request's Prefix lies under the denied prefix (IAM's s3:prefix condition); DeleteObjects
   * reports denied keys in `Errors`.
   */
  denyAccess(bucket: string, prefix?: string, options: { operations?: readonly S3Operation[] } = {}): void {
    this.#denied.push({ bucket, prefix: prefix || undefined, operations: options.operations });
  }

  /** Lift every denyAccess rule. */
  allowAll(): void {
    this.#denied.length = 0;
  }

  /**
   * `{ buckets: { name: keys[] } }` for the report. Buckets with more than
   * SNAPSHOT_KEYS_PER_BUCKET keys show the first ones and count the rest in `omittedKeys`.
   */
  snapshot(): { buckets: Record<string, string[]>; omittedKeys?: Record<string, number> } {
    const buckets: Record<string, string[]> = {};
    const omitted: Record<string, number> = {};
    for (const name of this.bucketNames()) {
      const keys = sortedKeys(this.#buckets.get(name)!);
      buckets[name] = keys.slice(0, SNAPSHOT_KEYS_PER_BUCKET);
      if (keys.length > SNAPSHOT_KEYS_PER_BUCKET) omitted[name] = keys.length - SNAPSHOT_KEYS_PER_BUCKET;
    }
    return Object.keys(omitted).length ? { buckets, omittedKeys: omitted } : { buckets };
  }

  // ----- the model ---------------------------------------------------------------------------

  #seedBucket(name: string, method: string): Bucket {
    const bucket = this.#buckets.get(name);
    if (!bucket) {
      throw new Error(`FakeS3.${method}: there is no bucket '${name}'; create it first with createBucket('${name}').`);
    }
    return bucket;
  }

  #store(
    bucket: Bucket,
    key: string,
    body: Uint8Array,
    options: { contentType: string; metadata: Record<string, string>; lastModified?: Date | undefined },
  ): StoredObject {
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
      lastModified: wholeSeconds(options.lastModified ?? this.env.clock.now()),
      body,
      contentType: options.contentType,
      metadata: options.metadata,
    };
    // A new key: the next list sorts again. (Splicing each key into place measured slower: a
    // compaction writes and deletes a thousand keys between two lists.)
    if (!bucket.objects.has(key)) bucket.sorted = undefined;
    bucket.objects.set(key, object);
    return object;
  }

  #remove(bucket: Bucket, key: string): void {
    if (bucket.objects.delete(key)) bucket.sorted = undefined;
  }

  #canonicalId(): string {
    return hex(md5(utf8(`canonical:${this.env.accountId}`))).repeat(2);
  }

  // ----- errors ------------------------------------------------------------------------------

  #error(
    code: string,
    httpStatusCode: number,
    message: string,
    call: Call,
    fields: Record<string, unknown> = {},
  ): Error {
    // S3's x-amz-id-2: 76 base64 characters; derived from the request id so runs repeat exactly.
    const hostId = toBase64(concat(...[1, 2, 3].map((n) => md5(utf8(`host:${n}:${call.requestId}`)))).slice(0, 57));
    if (call.operation === 'HeadObject' || call.operation === 'HeadBucket') {
      // A HEAD answer has no body, so the SDK never learns the code: 404 becomes NotFound,
      // anything else an S3ServiceException named 'Unknown', both with message 'UnknownError'.
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
      fields: { Code: code, ...fields, RequestId: call.requestId, HostId: hostId },
    });
  }

  #faultError(fault: InjectedFault, call: Call): Error {
    return this.#error(fault.name, fault.httpStatusCode, fault.message ?? fault.name, call);
  }

  #accessDenied(call: Call): Error {
    return this.#error('AccessDenied', 403, 'Access Denied', call);
  }

  #isDenied(bucket: string, operation: S3Operation, key: string | undefined, listPrefix?: string): boolean {
    return this.#denied.some((rule) => {
      if (rule.bucket !== bucket) return false;
      if (rule.operations && !rule.operations.includes(operation)) return false;
      if (rule.prefix === undefined) return true;
      if (key !== undefined) return key.startsWith(rule.prefix);
      if (listPrefix !== undefined) return listPrefix.startsWith(rule.prefix);
      return false;
    });
  }

  /** The bucket a call names, after access checks; NoSuchBucket when absent. */
  #bucket(name: string, operation: S3Operation, call: Call, key?: string, listPrefix?: string): Bucket {
    if (this.#isDenied(name, operation, key, listPrefix)) throw this.#accessDenied(call);
    return this.#existingBucket(name, call);
  }

  #existingBucket(name: string, call: Call): Bucket {
    const bucket = this.#buckets.get(name);
    if (!bucket) {
      throw this.#error('NoSuchBucket', 404, 'The specified bucket does not exist', call, { BucketName: name });
    }
    return bucket;
  }

  #object(bucketName: string, key: string, operation: S3Operation, call: Call): StoredObject {
    const bucket = this.#bucket(bucketName, operation, call, key);
    const object = bucket.objects.get(key);
    if (!object) throw this.#error('NoSuchKey', 404, 'The specified key does not exist.', call, { Key: key });
    return object;
  }

  #checkKeyLength(key: string, call: Call): void {
    const size = utf8(key).length;
    if (size > MAX_KEY_BYTES) {
      throw this.#error('KeyTooLongError', 400, 'Your key is too long', call, { Size: size, MaxSizeAllowed: MAX_KEY_BYTES });
    }
  }

  // ----- what the SDK checks before sending ---------------------------------------------------

  #validate(operation: S3Operation, input: Record<string, unknown>): void {
    if (BUCKET_OPERATIONS.has(operation)) requireLabel(input, 'Bucket');
    if (KEY_OPERATIONS.has(operation)) requireLabel(input, 'Key');
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

  // ----- operations --------------------------------------------------------------------------

  #createBucketCall(name: string, call: Call) {
    if (this.#isDenied(name, 'CreateBucket', undefined)) throw this.#accessDenied(call);
    if (bucketNameProblem(name)) {
      throw this.#error('InvalidBucketName', 400, 'The specified bucket is not valid.', call, { BucketName: name });
    }
    if (this.#buckets.has(name) && this.env.region !== 'us-east-1') {
      // us-east-1 answers 200 to re-creating a bucket you own (a legacy of the original region).
      throw this.#error(
        'BucketAlreadyOwnedByYou',
        409,
        'Your previous request to create the named bucket succeeded and you already own it.',
        call,
        { BucketName: name },
      );
    }
    this.createBucket(name);
    return { Location: this.env.region === 'us-east-1' ? `/${name}` : `http://${name}.s3.amazonaws.com/` };
  }

  async #putObjectCall(input: PutObjectCommand['input'], call: Call) {
    const bucket = this.#bucket(input.Bucket!, 'PutObject', call, input.Key);
    const key = input.Key!;
    this.#checkKeyLength(key, call);
    const existing = bucket.objects.get(key);
    if (input.IfNoneMatch === '*' && existing) {
      throw this.#error('PreconditionFailed', 412, 'At least one of the pre-conditions you specified did not hold', call, {
        Condition: 'If-None-Match',
      });
    }
    if (input.IfMatch !== undefined) {
      if (!existing) throw this.#error('NoSuchKey', 404, 'The specified key does not exist.', call, { Key: key });
      if (unquote(input.IfMatch) !== unquote(existing.etag)) {
        throw this.#error('PreconditionFailed', 412, 'At least one of the pre-conditions you specified did not hold', call, {
          Condition: 'If-Match',
        });
      }
    }
    const body = await readBody(input.Body);
    if (input.ContentLength !== undefined && input.ContentLength !== body.length) {
      // The SDK sends the ContentLength it is given; S3 then waits for bytes that never come or cuts the body.
      throw this.#error(
        input.ContentLength > body.length ? 'IncompleteBody' : 'BadDigest',
        400,
        input.ContentLength > body.length
          ? 'You did not provide the number of bytes specified by the Content-Length HTTP header.'
          : 'The Content-MD5 or checksum value that you specified did not match what the server received.',
        call,
      );
    }
    const object = this.#store(bucket, key, body, {
      contentType: input.ContentType ?? DEFAULT_CONTENT_TYPE,
      metadata: lowerCaseKeys(input.Metadata),
    });
    return { ETag: object.etag, ServerSideEncryption: 'AES256' as const };
  }

  #getObjectCall(input: GetObjectCommand['input'], call: Call) {
    const object = this.#object(input.Bucket!, input.Key!, 'GetObject', call);
    if (input.IfMatch !== undefined && unquote(input.IfMatch) !== unquote(object.etag)) {
      throw this.#error('PreconditionFailed', 412, 'At least one of the pre-conditions you specified did not hold', call, {
        Condition: 'If-Match',
      });
    }
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
      throw this.#error('InvalidRange', 416, 'The requested range is not satisfiable', call, {
        RangeRequested: input.Range,
        ActualObjectSize: String(object.size),
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
    const bucket = this.#existingBucket(input.Bucket!, call);
    const objects = input.Delete?.Objects;
    if (
      !Array.isArray(objects) ||
      objects.length === 0 ||
      objects.length > MAX_DELETE_KEYS ||
      objects.some((o) => typeof o?.Key !== 'string')
    ) {
      // S3 checks the request body against its schema (1 to 1,000 <Object> elements, each with a <Key>).
      throw this.#error(
        'MalformedXML',
        400,
        'The XML you provided was not well-formed or did not validate against our published schema',
        call,
      );
    }
    const deleted: { Key: string }[] = [];
    const errors: { Key: string; Code: string; Message: string }[] = [];
    for (const { Key } of objects) {
      const key = Key!;
      if (this.#isDenied(bucket.name, 'DeleteObjects', key) || this.#isDenied(bucket.name, 'DeleteObject', key)) {
        errors.push({ Key: key, Code: 'AccessDenied', Message: 'Access Denied' });
        continue;
      }
      this.#remove(bucket, key);
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
      throw this.#error('InvalidArgument', 400, 'Copy Source must mention the source bucket and key: sourcebucket/sourcekey', call, {
        ArgumentName: 'x-amz-copy-source',
        ArgumentValue: input.CopySource,
      });
    }
    if (this.#isDenied(source.bucket, 'CopyObject', source.key) || this.#isDenied(input.Bucket!, 'CopyObject', input.Key)) {
      throw this.#accessDenied(call);
    }
    const from = this.#object(source.bucket, source.key, 'GetObject', call);
    const target = this.#bucket(input.Bucket!, 'PutObject', call, input.Key);
    const key = input.Key!;
    this.#checkKeyLength(key, call);
    const replace = input.MetadataDirective === 'REPLACE';
    if (source.bucket === target.name && source.key === key && !replace) {
      throw this.#error(
        'InvalidRequest',
        400,
        "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.",
        call,
      );
    }
    const object = this.#store(target, key, from.body.slice(), {
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
      throw this.#error('InvalidArgument', 400, 'Argument maxKeys must be an integer between 0 and 2147483647', call, {
        ArgumentName: 'maxKeys',
        ArgumentValue: String(value),
      });
    }
    return Math.min(n, MAX_KEYS_PER_PAGE);
  }

  #listObjectsV2Call(input: ListObjectsV2Command['input'], call: Call) {
    const prefix = input.Prefix ?? '';
    const bucket = this.#bucket(input.Bucket!, 'ListObjectsV2', call, undefined, prefix);
    const limit = this.#maxKeys(input.MaxKeys, call);
    let start: ListPosition | undefined;
    // An empty token is no token (S3 echoes it back and lists from the start).
    if (input.ContinuationToken) {
      start = this.#tokens.decode(input.ContinuationToken);
      if (!start || start.bucket !== bucket.name) {
        throw this.#error('InvalidArgument', 400, 'The continuation token provided is incorrect', call, {
          ArgumentName: 'continuation-token',
        });
      }
    } else if (input.StartAfter) {
      start = { bucket: bucket.name, kind: 'key', marker: input.StartAfter };
    }
    const page = listPage(bucket, { prefix, delimiter: input.Delimiter || undefined, after: start, limit });
    return {
      IsTruncated: page.truncated,
      ...(page.contents.length
        ? { Contents: page.contents.map((o) => (input.FetchOwner ? { ...listEntry(o), Owner: { ID: this.#canonicalId() } } : listEntry(o))) }
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
    const bucket = this.#bucket(input.Bucket!, 'ListObjects', call, undefined, prefix);
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
    const owner = { ID: this.#canonicalId() };
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

// ---------------------------------------------------------------------------------------------
// Listing: one page of a bucket, the core both ListObjects versions share.

interface Page {
  contents: StoredObject[];
  commonPrefixes: string[];
  truncated: boolean;
  /** The last entry returned, where the next page starts. */
  last: Omit<ListPosition, 'bucket'> | undefined;
}

function sortedKeys(bucket: Bucket): string[] {
  bucket.sorted ??= [...bucket.objects.keys()].sort(compareUtf8);
  return bucket.sorted;
}

/** The first index whose key sorts after `marker`. */
function indexAfter(keys: readonly string[], marker: string): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareUtf8(keys[mid]!, marker) <= 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function listPage(
  bucket: Bucket,
  options: { prefix: string; delimiter: string | undefined; after: ListPosition | undefined; limit: number },
): Page {
  const { prefix, delimiter, after, limit } = options;
  const keys = sortedKeys(bucket);
  const page: Page = { contents: [], commonPrefixes: [], truncated: false, last: undefined };
  // S3 answers MaxKeys=0 with an empty, untruncated page.
  if (limit === 0) return page;
  // Keys under a prefix are one contiguous run of the sorted keys: start at the later of its
  // beginning and the marker, stop at its end.
  let i = lowerBound(keys, prefix);
  if (after?.marker) i = Math.max(i, indexAfter(keys, after.marker));
  const skipUnder = after?.kind === 'prefix' ? after.marker : undefined;
  let count = 0;
  for (; i < keys.length; i++) {
    const key = keys[i]!;
    if (!key.startsWith(prefix)) break;
    if (skipUnder !== undefined && key.startsWith(skipUnder)) continue;
    const cut = delimiter === undefined ? -1 : key.indexOf(delimiter, prefix.length);
    if (cut >= 0) {
      const common = key.slice(0, cut + delimiter!.length);
      if (common === page.last?.marker && page.last.kind === 'prefix') continue;
      if (count === limit) {
        page.truncated = true;
        break;
      }
      page.commonPrefixes.push(common);
      page.last = { kind: 'prefix', marker: common };
    } else {
      if (count === limit) {
        page.truncated = true;
        break;
      }
      page.contents.push(bucket.objects.get(key)!);
      page.last = { kind: 'key', marker: key };
    }
    count += 1;
  }
  return page;
}

function lowerBound(keys: readonly string[], value: string): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareUtf8(keys[mid]!, value) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function listEntry(object: StoredObject): _Object {
  return {
    Key: object.key,
    LastModified: object.lastModified,
    ETag: object.etag,
    Size: object.size,
    StorageClass: 'STANDARD',
  };
}

// ---------------------------------------------------------------------------------------------
// Small parsers.

function requireLabel(input: Record<string, unknown>, member: 'Bucket' | 'Key'): void {
  const value = input[member];
  if (value === undefined || value === null) {
    throw new NotSentError(`No value provided for input HTTP label: ${member}.`);
  }
  if (typeof value !== 'string') {
    throw new NotSentError(`${member} must be a string; it was ${typeof value} (${String(value)}).`);
  }
  if (value === '') throw new NotSentError(`Empty value provided for input HTTP label: ${member}.`);
}

/** S3 keeps only whole seconds of Last-Modified. */
function wholeSeconds(date: Date): Date {
  return new Date(Math.floor(date.getTime() / 1000) * 1000);
}

function unquote(etag: string): string {
  return etag.replace(/^W\//, '').replace(/^"|"$/g, '');
}

function lowerCaseKeys(metadata: Record<string, string> | undefined): Record<string, string> {
  // S3 stores user metadata under lower-cased names (they travel as x-amz-meta-* headers).
  return Object.fromEntries(Object.entries(metadata ?? {}).map(([k, v]) => [k.toLowerCase(), String(v)]));
}

/** 'bytes=0-9', 'bytes=10-', 'bytes=-5'. S3 ignores what it cannot parse and serves the whole object. */
function parseRange(header: string, size: number): { start: number; end: number } | 'unsatisfiable' | undefined {
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return undefined;
  if (m[1] === '') {
    const suffix = Number(m[2]);
    if (suffix === 0 || size === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(m[1]);
  const end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  if (m[2] !== '' && Number(m[2]) < start) return undefined;
  if (start >= size) return 'unsatisfiable';
  return { start, end };
}

/**
 * 'bucket/key', optionally with a leading '/' and '?versionId=…'. S3 URL-decodes it, so a raw
 * '+' reads as a space and a key with '%' or '+' must be encodeURIComponent-ed, as on AWS.
 */
function parseCopySource(source: string | undefined): { bucket: string; key: string } | undefined {
  if (!source) return undefined;
  const path = source.replace(/^\//, '').replace(/\?versionId=.*$/, '');
  const slash = path.indexOf('/');
  if (slash <= 0 || slash === path.length - 1) return undefined;
  try {
    const decode = (part: string) => decodeURIComponent(part.replace(/\+/g, ' '));
    return { bucket: decode(path.slice(0, slash)), key: decode(path.slice(slash + 1)) };
  } catch {
    return undefined;
  }
}

const SHORT_BODY = 200;

/** The request as the trace shows it: bodies summarised unless short text. */
function summariseInput(input: Record<string, unknown>): Record<string, unknown> {
  if (!('Body' in input)) return input;
  const body = input.Body;
  let shown: unknown;
  if (typeof body === 'string') shown = body.length <= SHORT_BODY ? body : byteSummary(utf8(body).length);
  else if (body instanceof Uint8Array || ArrayBuffer.isView(body)) shown = byteSummary(body.byteLength);
  else if (body instanceof ArrayBuffer) shown = byteSummary(body.byteLength);
  else if (body && typeof body === 'object' && typeof (body as Blob).size === 'number') shown = byteSummary((body as Blob).size);
  else if (body === undefined || body === null) shown = body;
  else shown = bodyKind(body) ? '<stream>' : describeBody(body);
  return { ...input, Body: shown };
}
