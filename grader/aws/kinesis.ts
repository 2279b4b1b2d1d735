// A fake Kinesis Data Streams (provisioned mode): shards that own ranges of the 128-bit hash-key
// space, records placed by the MD5 of their partition key, sequence numbers that grow per shard,
// and the per-shard limits in simulated time, as strict as the service:
//
//   const kinesis = new FakeKinesis(env, { latencyMs: { PutRecords: 25, GetRecords: 25 } });
//   kinesis.createStream('clicks', { shardCount: 4 });
//   await putAll(kinesis.client(), 'clicks', events, clock);     // the learner's code
//   kinesis.records('clicks');                                    // what the stream holds
//
// What it models, and where AWS says so (all read 2026-11-30):
// - API Reference, PutRecords (the model documentation of @aws-sdk/client-kinesis 3.1143, which
//   carries the 2025 changes): "Each PutRecords request can support up to 500 records. Each record
//   in the request can be as large as 10 MiB, up to a limit of 10 MiB for the entire request,
//   including partition keys. Each shard can support writes up to 1,000 records per second, up to
//   a maximum data write total of 1 MB per second." A record is its data blob plus its partition
//   key, and may be at most the stream's maximum record size: UpdateMaxRecordSize, "a value
//   between 1024 and 10240 KiB (1 to 10 MiB)"; CreateStream defaults it to 1 MiB ("Each data
//   record can be up to 1 MiB in size by default", GetRecords).
// - Partial failures: the response has one result per request entry, in order; a failed entry
//   carries ErrorCode ProvisionedThroughputExceededException ("Rate exceeded for shard
//   shardId-000000000000 in stream demo under account 1683282299.", as answered in
//   crccheck/kinesis-streams' wiki "putRecords failures") or InternalFailure ("Internal Service
//   Failure", PutRecordsResultEntry); "A single record failure does not stop the processing of
//   subsequent records." PutRecord throws ProvisionedThroughputExceededException instead.
// - The request-level size errors are InvalidArgumentException for the whole request, as
//   Kinesis answered "Records size exceeds 5 MB limit" before the 2025 change
//   (aws/amazon-kinesis-streams-for-fluent-bit#21); the fake says 10 MB, today's limit. Its
//   message for one record over the stream's maximum is its own, in that form.
// - Shape limits (botocore data/kinesis/2013-12-02/service-2.json, commit cd92077, and the
//   current 10 MiB data blob): Records 1–500 entries; PartitionKey 1–256 characters; HashKey
//   0|([1-9]\d{0,38}); StreamName 1–128, [a-zA-Z0-9_.-]+; ShardIterator 1–512; GetRecords Limit
//   1–10,000; ListShards MaxResults 1–10,000. Broken ones are one ValidationException listing
//   them all ("1 validation error detected: Value … at 'records' failed to satisfy constraint:
//   …"), as JSON-protocol services answer.
// - Placement: "An MD5 hash function is used to map partition keys to 128-bit integer values";
//   ExplicitHashKey overrides it. A provisioned stream's shards split the key space evenly.
// - Reads (GetRecords): "Each shard can read up to 2 MiB per second", "The maximum number of
//   records that can be returned per call is 10,000", "The maximum size of data that GetRecords
//   can return is 10 MiB. If a call returns this amount of data, subsequent calls made within the
//   next 5 seconds throw ProvisionedThroughputExceededException", "a limit of five transactions
//   per second per shard"; MillisBehindLatest "zero indicates that record processing is caught
//   up". Throttled reads say "Rate exceeded for Shard - <account>/<stream>/<shardId>"
//   (risingwavelabs/risingwave#7453).
// - GetShardIterator: "A shard iterator expires 5 minutes after it is returned"; ExpiredIterator
//   says "Iterator expired. The iterator was created at time … while right now it is … which is
//   further in the future than the tolerated delay of 300000 milliseconds." (awslabs/amazon-
//   kinesis-client#701); "five transactions per second per account per open shard";
//   InvalidArgumentException "Must either specify (1) AT_SEQUENCE_NUMBER or AFTER_SEQUENCE_NUMBER
//   and StartingSequenceNumber or (2) TRIM_HORIZON or LATEST and no StartingSequenceNumber. …"
//   (akkadotnet/Alpakka#160) and "Invalid StartingSequenceNumber. It encodes shardId-…, while it
//   was used in a call to a shard with shardId-…" (awslabs/amazon-kinesis-client#391).
// - "By default, data records are accessible for 24 hours from the time that they are added to a
//   stream" (PutRecords). Unknown streams: ResourceNotFoundException "Stream x under account
//   111122223333 not found." (spring-cloud-stream-binder-aws-kinesis#118).
//
// Modelling choices the documentation leaves open: write limits are a token bucket per shard
// holding one second of each limit (1,000 records, 1 MiB — or the stream's maximum record size,
// if larger, so a large record can be written at all); read bytes are a bucket holding one
// second of reads (2 MiB) that a call may overdraw: a shard is read only while the bucket is not
// in debt, so a 10 MiB answer blocks the shard for 4 s after a pause and 5 s when it was read
// continuously; call rates are sliding one-second windows of served calls. Calls take the simulated time `latencyMs` gives them (none by
// default); injected faults (env.faults) answer at once.

import {
  ExpiredIteratorException,
  ExpiredNextTokenException,
  GetRecordsCommand,
  GetShardIteratorCommand,
  InternalFailureException,
  InvalidArgumentException,
  KinesisClient,
  KinesisServiceException,
  ListShardsCommand,
  ProvisionedThroughputExceededException,
  PutRecordCommand,
  PutRecordsCommand,
  ResourceNotFoundException,
  ShardIteratorType,
  DescribeStreamSummaryCommand,
} from '@aws-sdk/client-kinesis';
import type {
  GetRecordsCommandInput,
  GetShardIteratorCommandInput,
  ListShardsCommandInput,
  PutRecordCommandInput,
  PutRecordsCommandInput,
  PutRecordsRequestEntry,
  PutRecordsResultEntry,
  Shard,
  _Record,
} from '@aws-sdk/client-kinesis';
import { utf8 } from './bytes.ts';
import type { AwsEnv } from './env.ts';
import { md5 } from './md5.ts';
import { byteSummary } from './mock.ts';
import type { Call } from './mock.ts';
import { PageTokens } from './paging.ts';
import { FakeAwsService } from './service.ts';
import type { MemberShape, Shape } from './validation.ts';

const MiB = 1024 * 1024;

/** The limits the fake enforces; each is cited in the header above. */
export const KINESIS_LIMITS = {
  putRecordsEntries: 500,
  putRecordsRequestBytes: 10 * MiB,
  /** The model's bound on one data blob, whatever the stream allows. */
  dataBlobBytes: 10 * MiB,
  maxRecordSizeKiB: { default: 1024, min: 1024, max: 10240 },
  partitionKeyCharacters: 256,
  shardWriteRecordsPerSecond: 1000,
  shardWriteBytesPerSecond: MiB,
  shardReadBytesPerSecond: 2 * MiB,
  shardReadCallsPerSecond: 5,
  getRecordsMaxRecords: 10_000,
  getRecordsMaxBytes: 10 * MiB,
  getShardIteratorCallsPerSecond: 5,
  iteratorLifetimeMs: 300_000,
  listShardsTokenLifetimeMs: 300_000,
  retentionHours: 24,
} as const;

/** The largest hash key: 2^128 − 1. */
export const MAX_HASH_KEY = (1n << 128n) - 1n;

type Operation = 'PutRecord' | 'PutRecords' | 'GetShardIterator' | 'GetRecords' | 'ListShards' | 'DescribeStreamSummary';

export interface FakeKinesisOptions {
  /** Simulated milliseconds each call takes (the clock moves before it is answered). */
  latencyMs?: Partial<Record<Operation, number>>;
}

export interface StreamOptions {
  shardCount: number;
  /** 1,024–10,240 KiB; 1,024 by default. */
  maxRecordSizeKiB?: number;
  /** 24 by default. */
  retentionHours?: number;
}

/** A record as checks read it back (untraced). */
export interface StoredRecord {
  shardId: string;
  sequenceNumber: string;
  partitionKey: string;
  explicitHashKey?: string;
  data: Uint8Array;
  arrivedAt: Date;
  /** Data plus partition key, in bytes: what the limits count. */
  bytes: number;
  /** The write attempt (see `writes`) that stored it; 0 for records seeded by a check. */
  writeId: number;
}

/** One PutRecords or PutRecord call, as the stream saw it. */
export interface WriteAttempt {
  id: number;
  at: Date;
  operation: 'PutRecords' | 'PutRecord';
  stream: string;
  /** Entries in the request, and their data plus partition keys in bytes. */
  entries: number;
  bytes: number;
  accepted: number;
  throttled: number;
  internalFailures: number;
  /** The error the call answered with, if it threw (validation, unknown stream, an injected failure). */
  error?: string;
  /** The call stored its accepted records, then failed as a whole (failAfterWrite). */
  wroteThenFailed: boolean;
}

/** Per shard, what writers and readers met: for reports and checks. */
export interface ShardActivity {
  shardId: string;
  startingHashKey: bigint;
  endingHashKey: bigint;
  records: number;
  bytes: number;
  throttledEntries: number;
  internalFailures: number;
  readCalls: number;
  throttledReads: number;
}

export type EntryFaultCode = 'InternalFailure' | 'ProvisionedThroughputExceededException';

/** Entries of PutRecords (and PutRecord calls) that fail with `code` instead of being written. */
export interface EntryFaultRule {
  code: EntryFaultCode;
  stream?: string;
  shardId?: string;
  /** Only entries this accepts (their partition key, data and the shard they map to). */
  when?: (entry: { partitionKey: string; data: Uint8Array; shardId: string }) => boolean;
  /** Active until this moment of the simulated clock (default: always). */
  until?: Date;
  /** Let this many matching entries through first (default 0). */
  after?: number;
  /** How many matching entries fail (default: all). */
  times?: number;
}

/** PutRecords/PutRecord calls that store what they can, then fail as a whole with InternalFailureException (500). */
export interface WriteThenFailRule {
  stream?: string;
  after?: number;
  times?: number;
}

/** GetRecords calls that answer no records though more follow (as at a trim horizon or after a reshard). */
export interface EmptyReadRule {
  stream?: string;
  shardId?: string;
  after?: number;
  times?: number;
}

/**
 * Where a shard keeps its records' bytes: 1 MiB chunks that records are copied into and viewed
 * from, so a stream of small records costs a few buffers, not one per record. Chunks are never
 * moved or overwritten, so a view stays valid.
 */
class ByteArena {
  static readonly CHUNK = 1024 * 1024;
  #chunk = new Uint8Array(0);
  #used = 0;

  /** A copy of `bytes` that the caller can no longer change. */
  keep(bytes: Uint8Array): Uint8Array {
    if (bytes.byteLength > ByteArena.CHUNK / 4) return bytes.slice();
    if (this.#used + bytes.byteLength > this.#chunk.byteLength) {
      this.#chunk = new Uint8Array(ByteArena.CHUNK);
      this.#used = 0;
    }
    const view = this.#chunk.subarray(this.#used, this.#used + bytes.byteLength);
    view.set(bytes);
    this.#used += bytes.byteLength;
    return view;
  }
}

/** Copies of many records' bytes in one fresh buffer: what one GetRecords answer hands out. */
function copiesInOneBuffer(parts: readonly Uint8Array[]): Uint8Array[] {
  let total = 0;
  for (const part of parts) total += part.byteLength;
  const buffer = new Uint8Array(total);
  let offset = 0;
  return parts.map((part) => {
    const view = buffer.subarray(offset, offset + part.byteLength);
    view.set(part);
    offset += part.byteLength;
    return view;
  });
}

interface Bucket {
  records: number;
  bytes: number;
  at: number;
}

class ShardState {
  readonly id: string;
  readonly index: number;
  readonly startingHashKey: bigint;
  readonly endingHashKey: bigint;
  readonly stream: StreamState;
  readonly records: StoredRecord[] = [];
  readonly arena = new ByteArena();
  readonly write: Bucket;
  readonly read: { bytes: number; at: number };
  readonly readCalls: number[] = [];
  readonly iteratorCalls: number[] = [];
  /** Grows with every record; a safe integer, printed as 40 digits in sequence numbers. */
  counter: number;
  readonly startingSequenceNumber: string;
  throttledEntries = 0;
  internalFailures = 0;
  servedReads = 0;
  throttledReads = 0;
  bytes = 0;

  constructor(index: number, range: [bigint, bigint], stream: StreamState, now: number) {
    this.index = index;
    [this.startingHashKey, this.endingHashKey] = range;
    this.stream = stream;
    this.id = `shardId-${String(index).padStart(12, '0')}`;
    this.write = { records: KINESIS_LIMITS.shardWriteRecordsPerSecond, bytes: stream.writeCapacityBytes, at: now };
    this.read = { bytes: KINESIS_LIMITS.shardReadBytesPerSecond, at: now };
    // Sequence numbers of different shards share nothing but their format; counters start apart.
    this.counter = 10_000_000_000 + index * 7_919_000_000;
    this.startingSequenceNumber = stream.sequenceNumber(index, this.counter);
  }
}

class StreamState {
  readonly name: string;
  /** Ten digits that sequence numbers and iterators of this stream carry. */
  readonly epoch: string;
  readonly createdAt: number;
  readonly maxRecordSizeKiB: number;
  readonly retentionHours: number;
  readonly arn: string;
  readonly writeCapacityBytes: number;
  readonly shards: ShardState[];

  constructor(name: string, epoch: string, createdAt: number, options: Required<StreamOptions>, env: AwsEnv) {
    this.name = name;
    this.epoch = epoch;
    this.createdAt = createdAt;
    this.maxRecordSizeKiB = options.maxRecordSizeKiB;
    this.retentionHours = options.retentionHours;
    this.arn = `arn:aws:kinesis:${env.region}:${env.accountId}:stream/${name}`;
    this.writeCapacityBytes = Math.max(KINESIS_LIMITS.shardWriteBytesPerSecond, options.maxRecordSizeKiB * 1024);
    const space = MAX_HASH_KEY + 1n;
    const n = BigInt(options.shardCount);
    this.shards = Array.from({ length: options.shardCount }, (_, i) => {
      const range: [bigint, bigint] = [(space * BigInt(i)) / n, (space * BigInt(i + 1)) / n - 1n];
      return new ShardState(i, range, this, createdAt);
    });
  }

  get maxRecordBytes(): number {
    return this.maxRecordSizeKiB * 1024;
  }

  /** '49' + the stream's epoch (10 digits) + the shard (4) + a counter (40): 56 digits, ordered within a shard. */
  sequenceNumber(shardIndex: number, counter: number): string {
    return `49${this.epoch}${String(shardIndex).padStart(4, '0')}${String(counter).padStart(40, '0')}`;
  }

  shardFor(hash: bigint): ShardState {
    for (const shard of this.shards) if (hash >= shard.startingHashKey && hash <= shard.endingHashKey) return shard;
    return this.shards[this.shards.length - 1]!;
  }
}

/** A decoded sequence number of this fake's format. */
interface SequencePosition {
  epoch: string;
  shardIndex: number;
  counter: bigint;
}

function parseSequenceNumber(text: string): SequencePosition | undefined {
  const match = /^49(\d{10})(\d{4})(\d{40})$/.exec(text);
  return match ? { epoch: match[1]!, shardIndex: Number(match[2]), counter: BigInt(match[3]!) } : undefined;
}

/** UTF-8 length of a string without encoding it (partition keys are measured on every entry). */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

function sequenceCounter(record: StoredRecord): bigint {
  return BigInt(record.sequenceNumber.slice(16));
}

/** The bytes of a data blob as the SDK would send them (strings as UTF-8), or undefined if it is not one. */
function blobBytes(value: unknown): Uint8Array | undefined {
  if (value instanceof Uint8Array) return value;
  if (typeof value === 'string') return utf8(value);
  if (ArrayBuffer.isView(value)) return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  return undefined;
}

const STREAM_NAME: MemberShape = { type: 'string', min: 1, max: 128, pattern: /^[a-zA-Z0-9_.-]+$/, patternText: '[a-zA-Z0-9_.-]+' };
const STREAM_ARN: MemberShape = { type: 'string', min: 1, max: 2048, pattern: /^arn:aws.*:kinesis:.*:\d{12}:stream\/\S+$/, patternText: 'arn:aws.*:kinesis:.*:\\d{12}:stream/\\S+' };
const HASH_KEY_PATTERN = /^(0|[1-9]\d{0,38})$/;
const HASH_KEY: MemberShape = { type: 'string', pattern: HASH_KEY_PATTERN, patternText: '0|([1-9]\\d{0,38})' };
const SEQUENCE_NUMBER: MemberShape = { type: 'string', pattern: /^(0|[1-9]\d{0,128})$/, patternText: '0|([1-9]\\d{0,128})' };
const SHARD_ID: MemberShape = { type: 'string', min: 1, max: 128, pattern: /^[a-zA-Z0-9_.-]+$/, patternText: '[a-zA-Z0-9_.-]+' };
const PARTITION_KEY: MemberShape = { type: 'string', min: 1, max: KINESIS_LIMITS.partitionKeyCharacters };
const DATA: MemberShape = { type: 'blob', max: KINESIS_LIMITS.dataBlobBytes };

const STREAM_MEMBERS: Shape = { StreamName: STREAM_NAME, StreamARN: STREAM_ARN };

const PUT_RECORDS_SHAPE: Shape = {
  ...STREAM_MEMBERS,
  Records: {
    type: 'list',
    required: true,
    min: 1,
    max: KINESIS_LIMITS.putRecordsEntries,
    member: {
      type: 'structure',
      members: { Data: { ...DATA, required: true }, PartitionKey: { ...PARTITION_KEY, required: true }, ExplicitHashKey: HASH_KEY },
    },
  },
};

const PUT_RECORD_SHAPE: Shape = {
  ...STREAM_MEMBERS,
  Data: { ...DATA, required: true },
  PartitionKey: { ...PARTITION_KEY, required: true },
  ExplicitHashKey: HASH_KEY,
  SequenceNumberForOrdering: SEQUENCE_NUMBER,
};

const ITERATOR_TYPES = Object.values(ShardIteratorType) as string[];

const GET_SHARD_ITERATOR_SHAPE: Shape = {
  ...STREAM_MEMBERS,
  ShardId: { ...SHARD_ID, required: true },
  ShardIteratorType: { type: 'string', required: true, enum: ITERATOR_TYPES },
  StartingSequenceNumber: SEQUENCE_NUMBER,
  Timestamp: { type: 'timestamp' },
};

const GET_RECORDS_SHAPE: Shape = {
  StreamARN: STREAM_ARN,
  ShardIterator: { type: 'string', required: true, min: 1, max: 512 },
  Limit: { type: 'integer', min: 1, max: KINESIS_LIMITS.getRecordsMaxRecords },
};

const LIST_SHARDS_SHAPE: Shape = {
  ...STREAM_MEMBERS,
  NextToken: { type: 'string', min: 1, max: 1_048_576 },
  ExclusiveStartShardId: SHARD_ID,
  MaxResults: { type: 'integer', min: 1, max: 10_000 },
};

/** 'Sun Oct 10 05:17:11 UTC 2021': how the service prints times in ExpiredIteratorException (Java's Date.toString in UTC). */
export function javaUtcDate(ms: number): string {
  const d = new Date(ms);
  const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const two = (n: number) => String(n).padStart(2, '0');
  return `${days[d.getUTCDay()]} ${months[d.getUTCMonth()]} ${two(d.getUTCDate())} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} UTC ${d.getUTCFullYear()}`;
}

interface Counted<R> {
  rule: R;
  seen: number;
  fired: number;
}

function takes<R extends { after?: number; times?: number }>(entry: Counted<R>): boolean {
  entry.seen += 1;
  if (entry.seen <= (entry.rule.after ?? 0)) return false;
  if (entry.fired >= (entry.rule.times ?? Infinity)) return false;
  entry.fired += 1;
  return true;
}

export class FakeKinesis extends FakeAwsService<KinesisClient> {
  readonly #streams = new Map<string, StreamState>();
  readonly #hashes = new Map<string, bigint>();
  readonly #latency: Partial<Record<Operation, number>>;
  readonly #writes: WriteAttempt[] = [];
  readonly #entryFaults: Counted<EntryFaultRule>[] = [];
  readonly #writeThenFail: Counted<WriteThenFailRule>[] = [];
  readonly #emptyReads: Counted<EmptyReadRule>[] = [];
  readonly #iterators: PageTokens;
  readonly #listTokens: PageTokens;

  constructor(env: AwsEnv, options: FakeKinesisOptions = {}) {
    super(env, {
      service: 'kinesis',
      clientClass: KinesisClient,
      exceptionBase: KinesisServiceException,
      exceptions: {
        ExpiredIteratorException,
        ExpiredNextTokenException,
        InternalFailureException,
        InvalidArgumentException,
        ProvisionedThroughputExceededException,
        ResourceNotFoundException,
      },
      summarise: (operation, input) => summariseInput(operation, input),
    });
    this.#latency = options.latencyMs ?? {};
    this.#iterators = new PageTokens(`whetstone-kinesis-iterator:${env.accountId}`);
    this.#listTokens = new PageTokens(`whetstone-kinesis-shards:${env.accountId}`);

    this.on(PutRecordsCommand, (input, call) => this.#putRecords(input, call), {
      doc:
        "Writes 1–500 records (each data + key ≤ the stream's MaxRecordSize, 1 MiB by default; ≤ 10 MiB a request: InvalidArgumentException) to the shard owning the MD5 of each key or its ExplicitHashKey; per shard 1,000 records/s and 1 MiB/s in simulated time, the excess failing entry by entry (ProvisionedThroughputExceededException), with FailedRecordCount.",
      output: (o) => ({ FailedRecordCount: o.FailedRecordCount, ErrorCodes: errorCounts(o.Records) }),
    });
    this.on(PutRecordCommand, (input, call) => this.#putRecord(input, call), {
      doc: 'Writes one record under the same limits; a throttled record throws ProvisionedThroughputExceededException.',
      output: ['ShardId', 'SequenceNumber'],
    });
    this.on(GetShardIteratorCommand, (input, call) => this.#getShardIterator(input, call), {
      doc: 'TRIM_HORIZON (oldest record within retention, 24 h by default), LATEST, AT_/AFTER_SEQUENCE_NUMBER (of that shard), AT_TIMESTAMP; iterators expire after 5 minutes; 5 calls/s per shard.',
      output: (o) => ({ ShardIterator: clipIterator(o.ShardIterator) }),
    });
    this.on(GetRecordsCommand, (input, call) => this.#getRecords(input, call), {
      doc: 'Up to Limit (≤ 10,000) records and 10 MiB in shard order, NextShardIterator, MillisBehindLatest (0 when caught up); per shard 5 calls/s and 2 MiB/s (a 10 MiB answer blocks the shard 4–5 s): ProvisionedThroughputExceededException; ExpiredIteratorException after 5 minutes.',
      output: (o) => ({
        Records: `<${(o.Records ?? []).length} records>`,
        ...(o.Records?.length ? { LastSequenceNumber: o.Records.at(-1)!.SequenceNumber } : {}),
        MillisBehindLatest: o.MillisBehindLatest,
        NextShardIterator: clipIterator(o.NextShardIterator),
      }),
    });
    this.on(ListShardsCommand, (input, call) => this.#listShards(input, call), {
      doc: 'The shards with their hash-key and sequence-number ranges; MaxResults 1–10,000 (default 1,000); NextToken good for 300 s, never with StreamName.',
      output: (o) => ({ Shards: (o.Shards ?? []).map((s) => s.ShardId), NextToken: o.NextToken ? '<token>' : undefined }),
    });
    this.on(DescribeStreamSummaryCommand, (input, call) => this.#describeStreamSummary(input, call), {
      doc: 'Status, mode (PROVISIONED), open shard count, retention and MaxRecordSizeInKiB of a stream.',
      output: (o) => ({
        OpenShardCount: o.StreamDescriptionSummary?.OpenShardCount,
        MaxRecordSizeInKiB: o.StreamDescriptionSummary?.MaxRecordSizeInKiB,
        RetentionPeriodHours: o.StreamDescriptionSummary?.RetentionPeriodHours,
      }),
    });
  }

  // ----- seeding and inspection, for checks (not traced) ---------------------------------------

  /** A provisioned, ACTIVE stream whose shards split the hash-key space evenly. */
  createStream(name: string, options: StreamOptions): void {
    if (this.#streams.has(name)) throw new Error(`FakeKinesis.createStream: stream ${name} exists already.`);
    if (!/^[a-zA-Z0-9_.-]{1,128}$/.test(name)) throw new Error(`FakeKinesis.createStream: '${name}' is not a stream name (1–128 of a-z A-Z 0-9 _ . -).`);
    if (!Number.isInteger(options.shardCount) || options.shardCount < 1 || options.shardCount > 9999) {
      throw new Error(`FakeKinesis.createStream: shardCount must be a whole number from 1 to 9,999, not ${options.shardCount}.`);
    }
    const { min, max, default: fallback } = KINESIS_LIMITS.maxRecordSizeKiB;
    const kib = options.maxRecordSizeKiB ?? fallback;
    if (!Number.isInteger(kib) || kib < min || kib > max) throw new Error(`FakeKinesis.createStream: maxRecordSizeKiB must be ${min}–${max}, not ${kib}.`);
    const now = this.env.clock.now().getTime();
    const epoch = String(Math.floor(now / 1000) + this.#streams.size).padStart(10, '0').slice(-10);
    const retentionHours = options.retentionHours ?? KINESIS_LIMITS.retentionHours;
    this.#streams.set(name, new StreamState(name, epoch, now, { shardCount: options.shardCount, maxRecordSizeKiB: kib, retentionHours }, this.env));
  }

  streamNames(): string[] {
    return [...this.#streams.keys()];
  }

  streamArn(name: string): string {
    return this.#stream(name).arn;
  }

  /** The shard a partition key (or explicit hash key) maps to, as PutRecords would place it. */
  shardFor(stream: string, partitionKey: string, explicitHashKey?: string): string {
    return this.#stream(stream).shardFor(explicitHashKey !== undefined ? BigInt(explicitHashKey) : this.hashOf(partitionKey)).id;
  }

  /** The 128-bit hash of a partition key: MD5 of its UTF-8 bytes, read as a big-endian number. */
  hashOf(partitionKey: string): bigint {
    let hash = this.#hashes.get(partitionKey);
    if (hash === undefined) {
      let value = 0n;
      for (const byte of md5(utf8(partitionKey))) value = (value << 8n) | BigInt(byte);
      hash = value;
      this.#hashes.set(partitionKey, hash);
    }
    return hash;
  }

  /** The records a stream holds (one shard's, or all shards' in shard order), retention aside. */
  records(stream: string, shardId?: string): StoredRecord[] {
    const shards = this.#stream(stream).shards.filter((s) => shardId === undefined || s.id === shardId);
    return shards.flatMap((s) => s.records);
  }

  /** Per shard: its range, what it holds and what writers and readers met. */
  activity(stream: string): ShardActivity[] {
    return this.#stream(stream).shards.map((s) => ({
      shardId: s.id,
      startingHashKey: s.startingHashKey,
      endingHashKey: s.endingHashKey,
      records: s.records.length,
      bytes: s.bytes,
      throttledEntries: s.throttledEntries,
      internalFailures: s.internalFailures,
      readCalls: s.servedReads,
      throttledReads: s.throttledReads,
    }));
  }

  /** Every PutRecords and PutRecord call, in order. */
  get writes(): readonly WriteAttempt[] {
    return this.#writes;
  }

  /**
   * Records put straight into the stream (not traced, not throttled), e.g. what producers wrote
   * before the check. `at` defaults to now and must not go back in time on a shard.
   */
  seed(stream: string, records: readonly { partitionKey: string; data: Uint8Array | string; explicitHashKey?: string; at?: Date }[]): StoredRecord[] {
    const state = this.#stream(stream);
    return records.map((r) => {
      const shard = state.shardFor(r.explicitHashKey !== undefined ? BigInt(r.explicitHashKey) : this.hashOf(r.partitionKey));
      const at = r.at?.getTime() ?? this.env.clock.now().getTime();
      const last = shard.records.at(-1);
      if (last && last.arrivedAt.getTime() > at) throw new Error(`FakeKinesis.seed: records of ${shard.id} must be seeded in time order.`);
      return this.#append(shard, r.partitionKey, r.explicitHashKey, shard.arena.keep(blobBytes(r.data)!), at, 0);
    });
  }

  failEntries(rule: EntryFaultRule): this {
    this.#entryFaults.push({ rule, seen: 0, fired: 0 });
    return this;
  }

  failAfterWrite(rule: WriteThenFailRule = {}): this {
    this.#writeThenFail.push({ rule: { times: 1, ...rule }, seen: 0, fired: 0 });
    return this;
  }

  emptyReads(rule: EmptyReadRule): this {
    this.#emptyReads.push({ rule: { times: 1, ...rule }, seen: 0, fired: 0 });
    return this;
  }

  override snapshot(): unknown {
    const streams: Record<string, unknown> = {};
    for (const stream of this.#streams.values()) {
      streams[stream.name] = { shards: stream.shards.map((s) => `${s.id}: ${s.records.length} records`) };
    }
    return { streams };
  }

  // ----- operations ----------------------------------------------------------------------------

  #now(): number {
    return this.env.clock.now().getTime();
  }

  #spend(operation: Operation): void {
    const ms = this.#latency[operation];
    if (ms) this.env.clock.advance(ms);
  }

  #stream(name: string): StreamState {
    const stream = this.#streams.get(name);
    if (!stream) throw new Error(`FakeKinesis: no stream ${name} (create it with createStream first).`);
    return stream;
  }

  /** The stream a request names by StreamName and/or StreamARN, as Kinesis resolves it. */
  #resolve(input: { StreamName?: string; StreamARN?: string }, call: Call): StreamState {
    const byArn = input.StreamARN !== undefined ? /:stream\/(.+)$/.exec(input.StreamARN)?.[1] : undefined;
    if (input.StreamName === undefined && input.StreamARN === undefined) {
      throw this.error('InvalidArgumentException', 'Either StreamName or StreamARN must be provided.', call);
    }
    if (input.StreamName !== undefined && byArn !== undefined && byArn !== input.StreamName) {
      throw this.error('InvalidArgumentException', `StreamARN ${input.StreamARN} and StreamName ${input.StreamName} refer to different streams.`, call);
    }
    const name = input.StreamName ?? byArn ?? '';
    const stream = this.#streams.get(name);
    const arnMatches = input.StreamARN === undefined || (stream !== undefined && input.StreamARN === stream.arn);
    if (!stream || !arnMatches) {
      throw this.error('ResourceNotFoundException', `Stream ${name} under account ${this.env.accountId} not found.`, call);
    }
    return stream;
  }

  #shard(stream: StreamState, shardId: string, call: Call): ShardState {
    const shard = stream.shards.find((s) => s.id === shardId);
    if (!shard) {
      throw this.error('ResourceNotFoundException', `Shard ${shardId} in stream ${stream.name} under account ${this.env.accountId} does not exist`, call);
    }
    return shard;
  }

  #trimmedBefore(stream: StreamState): number {
    return this.#now() - stream.retentionHours * 3_600_000;
  }

  #append(shard: ShardState, partitionKey: string, explicitHashKey: string | undefined, data: Uint8Array, at: number, writeId: number): StoredRecord {
    shard.counter += 1 + ((shard.records.length * 37) % 113);
    const record: StoredRecord = {
      shardId: shard.id,
      sequenceNumber: shard.stream.sequenceNumber(shard.index, shard.counter),
      partitionKey,
      ...(explicitHashKey !== undefined ? { explicitHashKey } : {}),
      data,
      arrivedAt: new Date(at),
      bytes: data.byteLength + utf8Length(partitionKey),
      writeId,
    };
    shard.records.push(record);
    shard.bytes += record.bytes;
    return record;
  }

  /** Whether the shard's write bucket has room for a record of `bytes` now; takes it if so. */
  #admit(shard: ShardState, bytes: number, now: number): boolean {
    const bucket = shard.write;
    const elapsed = Math.max(0, now - bucket.at) / 1000;
    bucket.records = Math.min(KINESIS_LIMITS.shardWriteRecordsPerSecond, bucket.records + elapsed * KINESIS_LIMITS.shardWriteRecordsPerSecond);
    bucket.bytes = Math.min(shard.stream.writeCapacityBytes, bucket.bytes + elapsed * KINESIS_LIMITS.shardWriteBytesPerSecond);
    bucket.at = now;
    if (bucket.records < 1 || bucket.bytes < bytes) return false;
    bucket.records -= 1;
    bucket.bytes -= bytes;
    return true;
  }

  #entryFault(stream: StreamState, shard: ShardState, partitionKey: string, data: Uint8Array): EntryFaultCode | undefined {
    const now = this.#now();
    for (const entry of this.#entryFaults) {
      const { rule } = entry;
      if (rule.stream !== undefined && rule.stream !== stream.name) continue;
      if (rule.shardId !== undefined && rule.shardId !== shard.id) continue;
      if (rule.until !== undefined && now >= rule.until.getTime()) continue;
      if (rule.when && !rule.when({ partitionKey, data, shardId: shard.id })) continue;
      if (takes(entry)) return rule.code;
    }
    return undefined;
  }

  #failsAfterWrite(stream: StreamState): boolean {
    for (const entry of this.#writeThenFail) {
      if (entry.rule.stream !== undefined && entry.rule.stream !== stream.name) continue;
      if (takes(entry)) return true;
    }
    return false;
  }

  /** Entries checked the quick way; the full shape check (and its message) only when one is wrong. */
  #checkEntries(input: PutRecordsCommandInput, call: Call): { partitionKey: string; data: Uint8Array; explicitHashKey?: string }[] {
    const records = input.Records as unknown;
    const ok =
      Array.isArray(records) &&
      records.length >= 1 &&
      records.length <= KINESIS_LIMITS.putRecordsEntries &&
      records.every((r: PutRecordsRequestEntry) => {
        if (!r || typeof r !== 'object') return false;
        const data = blobBytes(r.Data);
        const key = r.PartitionKey;
        return (
          data !== undefined &&
          data.byteLength <= KINESIS_LIMITS.dataBlobBytes &&
          typeof key === 'string' &&
          key.length >= 1 &&
          key.length <= KINESIS_LIMITS.partitionKeyCharacters &&
          (r.ExplicitHashKey === undefined || (typeof r.ExplicitHashKey === 'string' && HASH_KEY_PATTERN.test(r.ExplicitHashKey)))
        );
      });
    this.checkShape(input, ok ? STREAM_MEMBERS : PUT_RECORDS_SHAPE, call);
    return (records as PutRecordsRequestEntry[]).map((r) => ({
      partitionKey: r.PartitionKey!,
      data: blobBytes(r.Data)!,
      ...(r.ExplicitHashKey !== undefined ? { explicitHashKey: r.ExplicitHashKey } : {}),
    }));
  }

  #hashFor(explicitHashKey: string | undefined, partitionKey: string, call: Call): bigint {
    if (explicitHashKey === undefined) return this.hashOf(partitionKey);
    const value = BigInt(explicitHashKey);
    if (value > MAX_HASH_KEY) {
      throw this.error('InvalidArgumentException', `Invalid ExplicitHashKey. ExplicitHashKey must be in the range: [0, 2^128-1]. Specified value was ${explicitHashKey}`, call);
    }
    return value;
  }

  /** A write call's entry in the writes log, after its simulated latency has passed. */
  #startWrite(operation: WriteAttempt['operation'], input: { StreamName?: string; StreamARN?: string }, entries: number): WriteAttempt {
    this.#spend(operation);
    const attempt: WriteAttempt = {
      id: this.#writes.length + 1,
      at: new Date(this.#now()),
      operation,
      stream: input.StreamName ?? input.StreamARN ?? '',
      entries,
      bytes: 0,
      accepted: 0,
      throttled: 0,
      internalFailures: 0,
      wroteThenFailed: false,
    };
    this.#writes.push(attempt);
    return attempt;
  }

  #putRecords(input: PutRecordsCommandInput, call: Call) {
    const attempt = this.#startWrite('PutRecords', input, Array.isArray(input.Records) ? input.Records.length : 0);
    try {
      const entries = this.#checkEntries(input, call);
      const stream = this.#resolve(input, call);
      attempt.stream = stream.name;
      let total = 0;
      const hashes = entries.map((e) => {
        const bytes = e.data.byteLength + utf8Length(e.partitionKey);
        total += bytes;
        if (bytes > stream.maxRecordBytes) {
          throw this.error(
            'InvalidArgumentException',
            `Record size ${bytes} bytes (data plus partition key) exceeds the maximum record size of ${stream.maxRecordSizeKiB} KiB for stream ${stream.name}.`,
            call,
          );
        }
        return this.#hashFor(e.explicitHashKey, e.partitionKey, call);
      });
      attempt.bytes = total;
      if (total > KINESIS_LIMITS.putRecordsRequestBytes) throw this.error('InvalidArgumentException', 'Records size exceeds 10 MB limit', call);
      const now = this.#now();
      let failed = 0;
      const results: PutRecordsResultEntry[] = entries.map((e, i) => {
        const shard = stream.shardFor(hashes[i]!);
        const bytes = e.data.byteLength + utf8Length(e.partitionKey);
        const fault = this.#entryFault(stream, shard, e.partitionKey, e.data);
        if (fault === 'InternalFailure') {
          failed++;
          attempt.internalFailures++;
          shard.internalFailures++;
          return { ErrorCode: 'InternalFailure', ErrorMessage: 'Internal Service Failure' };
        }
        if (fault || !this.#admit(shard, bytes, now)) {
          failed++;
          attempt.throttled++;
          shard.throttledEntries++;
          return { ErrorCode: 'ProvisionedThroughputExceededException', ErrorMessage: `Rate exceeded for shard ${shard.id} in stream ${stream.name} under account ${this.env.accountId}.` };
        }
        const record = this.#append(shard, e.partitionKey, e.explicitHashKey, shard.arena.keep(e.data), now, attempt.id);
        attempt.accepted++;
        return { SequenceNumber: record.sequenceNumber, ShardId: shard.id };
      });
      if (this.#failsAfterWrite(stream)) {
        attempt.wroteThenFailed = true;
        throw this.error('InternalFailureException', 'Internal Service Failure', call, { httpStatusCode: 500 });
      }
      return { FailedRecordCount: failed, Records: results, EncryptionType: 'NONE' as const };
    } catch (error) {
      attempt.error = (error as Error).name;
      throw error;
    }
  }

  #putRecord(input: PutRecordCommandInput, call: Call) {
    const attempt = this.#startWrite('PutRecord', input, 1);
    try {
      this.checkShape(input, PUT_RECORD_SHAPE, call);
      const stream = this.#resolve(input, call);
      attempt.stream = stream.name;
      const data = blobBytes(input.Data)!;
      const key = input.PartitionKey!;
      const bytes = data.byteLength + utf8Length(key);
      attempt.bytes = bytes;
      if (bytes > stream.maxRecordBytes) {
        throw this.error('InvalidArgumentException', `Record size ${bytes} bytes (data plus partition key) exceeds the maximum record size of ${stream.maxRecordSizeKiB} KiB for stream ${stream.name}.`, call);
      }
      const shard = stream.shardFor(this.#hashFor(input.ExplicitHashKey, key, call));
      const fault = this.#entryFault(stream, shard, key, data);
      if (fault === 'InternalFailure') {
        attempt.internalFailures++;
        shard.internalFailures++;
        throw this.error('InternalFailureException', 'Internal Service Failure', call, { httpStatusCode: 500 });
      }
      if (fault || !this.#admit(shard, bytes, this.#now())) {
        attempt.throttled++;
        shard.throttledEntries++;
        throw this.error('ProvisionedThroughputExceededException', `Rate exceeded for shard ${shard.id} in stream ${stream.name} under account ${this.env.accountId}.`, call);
      }
      const record = this.#append(shard, key, input.ExplicitHashKey, shard.arena.keep(data), this.#now(), attempt.id);
      attempt.accepted++;
      if (this.#failsAfterWrite(stream)) {
        attempt.wroteThenFailed = true;
        throw this.error('InternalFailureException', 'Internal Service Failure', call, { httpStatusCode: 500 });
      }
      return { ShardId: shard.id, SequenceNumber: record.sequenceNumber, EncryptionType: 'NONE' as const };
    } catch (error) {
      attempt.error = (error as Error).name;
      throw error;
    }
  }

  /** Calls served in the last second, after dropping older ones; true when another is allowed. */
  #withinRate(calls: number[], now: number, perSecond: number): boolean {
    while (calls.length && calls[0]! <= now - 1000) calls.shift();
    return calls.length < perSecond;
  }

  #iterator(shard: ShardState, position: number): string {
    return this.#iterators.seal(`${shard.stream.epoch}|${shard.index}|${position}|${this.#now()}`);
  }

  #getShardIterator(input: GetShardIteratorCommandInput, call: Call) {
    this.#spend('GetShardIterator');
    this.checkShape(input, GET_SHARD_ITERATOR_SHAPE, call);
    const stream = this.#resolve(input, call);
    const shard = this.#shard(stream, input.ShardId!, call);
    const type = input.ShardIteratorType!;
    const bySequence = type === 'AT_SEQUENCE_NUMBER' || type === 'AFTER_SEQUENCE_NUMBER';
    if (bySequence !== (input.StartingSequenceNumber !== undefined)) {
      throw this.error(
        'InvalidArgumentException',
        `Must either specify (1) AT_SEQUENCE_NUMBER or AFTER_SEQUENCE_NUMBER and StartingSequenceNumber or (2) TRIM_HORIZON or LATEST and no StartingSequenceNumber. Request specified ${type} and ${input.StartingSequenceNumber === undefined ? 'no StartingSequenceNumber' : `StartingSequenceNumber ${input.StartingSequenceNumber}`}.`,
        call,
      );
    }
    if (type === 'AT_TIMESTAMP' && input.Timestamp === undefined) {
      throw this.error('InvalidArgumentException', 'The timestampInMillis parameter cannot be null for AT_TIMESTAMP ShardIteratorType', call);
    }
    const now = this.#now();
    if (!this.#withinRate(shard.iteratorCalls, now, KINESIS_LIMITS.getShardIteratorCallsPerSecond)) {
      throw this.error('ProvisionedThroughputExceededException', `Rate exceeded for shard ${shard.id} in stream ${stream.name} under account ${this.env.accountId}.`, call);
    }
    shard.iteratorCalls.push(now);
    let position: number;
    if (type === 'LATEST') position = shard.records.length;
    else if (type === 'TRIM_HORIZON') position = 0;
    else if (type === 'AT_TIMESTAMP') {
      const at = new Date(input.Timestamp as Date | number | string).getTime();
      position = shard.records.findIndex((r) => r.arrivedAt.getTime() >= at);
      if (position < 0) position = shard.records.length;
    } else {
      const text = input.StartingSequenceNumber!;
      const parsed = parseSequenceNumber(text);
      if (!parsed || parsed.epoch !== stream.epoch) {
        throw this.error(
          'InvalidArgumentException',
          `StartingSequenceNumber ${text} used in GetShardIterator on shard ${shard.id} in stream ${stream.name} under account ${this.env.accountId} is invalid because it did not come from this stream.`,
          call,
        );
      }
      if (parsed.shardIndex !== shard.index) {
        const other = `shardId-${String(parsed.shardIndex).padStart(12, '0')}`;
        throw this.error('InvalidArgumentException', `Invalid StartingSequenceNumber. It encodes ${other}, while it was used in a call to a shard with ${shard.id}`, call);
      }
      const after = type === 'AFTER_SEQUENCE_NUMBER';
      position = shard.records.findIndex((r) => (after ? sequenceCounter(r) > parsed.counter : sequenceCounter(r) >= parsed.counter));
      if (position < 0) position = shard.records.length;
    }
    return { ShardIterator: this.#iterator(shard, position) };
  }

  #getRecords(input: GetRecordsCommandInput, call: Call) {
    this.#spend('GetRecords');
    this.checkShape(input, GET_RECORDS_SHAPE, call);
    const opened = this.#iterators.open(input.ShardIterator!);
    const [epoch, shardIndex, positionText, createdText] = opened?.split('|') ?? [];
    const stream = [...this.#streams.values()].find((s) => s.epoch === epoch);
    const shard = stream?.shards[Number(shardIndex)];
    if (!stream || !shard || positionText === undefined || createdText === undefined) {
      throw this.error('InvalidArgumentException', 'Invalid ShardIterator.', call);
    }
    if (input.StreamARN !== undefined && input.StreamARN !== stream.arn) {
      throw this.error('InvalidArgumentException', `The ShardIterator does not belong to stream ${input.StreamARN}.`, call);
    }
    const now = this.#now();
    const created = Number(createdText);
    if (now - created > KINESIS_LIMITS.iteratorLifetimeMs) {
      throw this.error(
        'ExpiredIteratorException',
        `Iterator expired. The iterator was created at time ${javaUtcDate(created)} while right now it is ${javaUtcDate(now)} which is further in the future than the tolerated delay of ${KINESIS_LIMITS.iteratorLifetimeMs} milliseconds.`,
        call,
      );
    }
    const rate = KINESIS_LIMITS.shardReadBytesPerSecond;
    shard.read.bytes = Math.min(rate, shard.read.bytes + (Math.max(0, now - shard.read.at) / 1000) * rate);
    shard.read.at = now;
    if (shard.read.bytes < 0 || !this.#withinRate(shard.readCalls, now, KINESIS_LIMITS.shardReadCallsPerSecond)) {
      shard.throttledReads++;
      throw this.error('ProvisionedThroughputExceededException', `Rate exceeded for Shard - ${this.env.accountId}/${stream.name}/${shard.id}`, call);
    }
    shard.readCalls.push(now);
    shard.servedReads++;
    let position = Number(positionText);
    const horizon = this.#trimmedBefore(stream);
    while (position < shard.records.length && shard.records[position]!.arrivedAt.getTime() < horizon) position++;
    const behind = (at: number) => (at < shard.records.length ? Math.max(1, now - shard.records[at]!.arrivedAt.getTime()) : 0);
    if (position < shard.records.length && this.#takesEmptyRead(stream, shard)) {
      return { Records: [], NextShardIterator: this.#iterator(shard, position), MillisBehindLatest: behind(position) };
    }
    const limit = Math.min(input.Limit ?? KINESIS_LIMITS.getRecordsMaxRecords, KINESIS_LIMITS.getRecordsMaxRecords);
    const served: StoredRecord[] = [];
    let bytes = 0;
    while (position < shard.records.length && served.length < limit) {
      const record = shard.records[position]!;
      if (served.length && bytes + record.bytes > KINESIS_LIMITS.getRecordsMaxBytes) break;
      bytes += record.bytes;
      served.push(record);
      position++;
    }
    const data = copiesInOneBuffer(served.map((r) => r.data));
    const records: _Record[] = served.map((record, i) => ({
      SequenceNumber: record.sequenceNumber,
      ApproximateArrivalTimestamp: new Date(record.arrivedAt.getTime()),
      Data: data[i]!,
      PartitionKey: record.partitionKey,
      EncryptionType: 'NONE',
    }));
    shard.read.bytes -= bytes;
    return { Records: records, NextShardIterator: this.#iterator(shard, position), MillisBehindLatest: behind(position) };
  }

  #takesEmptyRead(stream: StreamState, shard: ShardState): boolean {
    for (const entry of this.#emptyReads) {
      if (entry.rule.stream !== undefined && entry.rule.stream !== stream.name) continue;
      if (entry.rule.shardId !== undefined && entry.rule.shardId !== shard.id) continue;
      if (takes(entry)) return true;
    }
    return false;
  }

  #listShards(input: ListShardsCommandInput, call: Call) {
    this.#spend('ListShards');
    this.checkShape(input, LIST_SHARDS_SHAPE, call);
    let stream: StreamState;
    let offset = 0;
    if (input.NextToken !== undefined) {
      if (input.StreamName !== undefined || input.ExclusiveStartShardId !== undefined) {
        throw this.error('InvalidArgumentException', 'NextToken cannot be provided together with StreamName or ExclusiveStartShardId.', call);
      }
      const [name, from, issued] = this.#listTokens.open(input.NextToken)?.split('|') ?? [];
      const found = name === undefined ? undefined : this.#streams.get(name);
      if (!found || from === undefined || issued === undefined) throw this.error('InvalidArgumentException', 'Invalid NextToken.', call);
      if (this.#now() - Number(issued) > KINESIS_LIMITS.listShardsTokenLifetimeMs) {
        throw this.error('ExpiredNextTokenException', 'The NextToken has expired. Tokens are valid for 300 seconds.', call);
      }
      stream = found;
      offset = Number(from);
    } else {
      stream = this.#resolve(input, call);
      if (input.ExclusiveStartShardId !== undefined) {
        const i = stream.shards.findIndex((s) => s.id === input.ExclusiveStartShardId);
        offset = i < 0 ? stream.shards.filter((s) => s.id < input.ExclusiveStartShardId!).length : i + 1;
      }
    }
    const max = input.MaxResults ?? 1000;
    const page = stream.shards.slice(offset, offset + max);
    const next = offset + page.length;
    const shards: Shard[] = page.map((s) => ({
      ShardId: s.id,
      HashKeyRange: { StartingHashKey: s.startingHashKey.toString(), EndingHashKey: s.endingHashKey.toString() },
      SequenceNumberRange: { StartingSequenceNumber: s.startingSequenceNumber },
    }));
    return {
      Shards: shards,
      ...(next < stream.shards.length ? { NextToken: this.#listTokens.seal(`${stream.name}|${next}|${this.#now()}`) } : {}),
    };
  }

  #describeStreamSummary(input: { StreamName?: string; StreamARN?: string }, call: Call) {
    this.#spend('DescribeStreamSummary');
    this.checkShape(input, STREAM_MEMBERS, call);
    const stream = this.#resolve(input, call);
    return {
      StreamDescriptionSummary: {
        StreamName: stream.name,
        StreamARN: stream.arn,
        StreamStatus: 'ACTIVE' as const,
        StreamModeDetails: { StreamMode: 'PROVISIONED' as const },
        RetentionPeriodHours: stream.retentionHours,
        StreamCreationTimestamp: new Date(stream.createdAt),
        EnhancedMonitoring: [{ ShardLevelMetrics: [] }],
        EncryptionType: 'NONE' as const,
        OpenShardCount: stream.shards.length,
        ConsumerCount: 0,
        MaxRecordSizeInKiB: stream.maxRecordSizeKiB,
      },
    };
  }
}

function clipIterator(iterator: string | undefined): string | undefined {
  return iterator === undefined ? undefined : `${iterator.slice(0, 12)}…`;
}

function errorCounts(results: readonly PutRecordsResultEntry[] | undefined): Record<string, number> | undefined {
  const counts: Record<string, number> = {};
  for (const r of results ?? []) if (r.ErrorCode) counts[r.ErrorCode] = (counts[r.ErrorCode] ?? 0) + 1;
  return Object.keys(counts).length ? counts : undefined;
}

/** Requests as traces show them: record lists and data blobs as counts of bytes. */
function summariseInput(operation: string, input: Record<string, unknown>): unknown {
  if (operation === 'PutRecords' && Array.isArray(input.Records)) {
    let bytes = 0;
    for (const r of input.Records as PutRecordsRequestEntry[]) {
      const data = blobBytes(r?.Data);
      bytes += (data?.byteLength ?? 0) + (typeof r?.PartitionKey === 'string' ? utf8Length(r.PartitionKey) : 0);
    }
    const n = input.Records.length;
    return { ...input, Records: `<${n.toLocaleString('en-US')} record${n === 1 ? '' : 's'}, ${byteSummary(bytes).slice(1, -1)}>` };
  }
  if (operation === 'PutRecord') {
    const data = blobBytes(input.Data);
    return { ...input, Data: data ? byteSummary(data.byteLength) : input.Data };
  }
  if (operation === 'GetRecords' && typeof input.ShardIterator === 'string') return { ...input, ShardIterator: clipIterator(input.ShardIterator) };
  return input;
}
