// The fake Kinesis, held to the Kinesis API Reference (PutRecords, PutRecord, GetShardIterator,
// GetRecords, ListShards, DescribeStreamSummary, read 2026-11-30 in @aws-sdk/client-kinesis
// 3.1143's model documentation) and the Developer Guide's quotas: every documented limit a
// producer or consumer can hit, and the errors AWS answers with, through the real KinesisClient.

import {
  DescribeStreamSummaryCommand,
  ExpiredIteratorException,
  GetRecordsCommand,
  GetShardIteratorCommand,
  InternalFailureException,
  InvalidArgumentException,
  KinesisServiceException,
  ListShardsCommand,
  ProvisionedThroughputExceededException,
  PutRecordCommand,
  PutRecordsCommand,
  ResourceNotFoundException,
} from '@aws-sdk/client-kinesis';
import type { KinesisClient, PutRecordsRequestEntry } from '@aws-sdk/client-kinesis';
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createAwsEnv } from '../../grader/aws/env.ts';
import { FakeKinesis, KINESIS_LIMITS, MAX_HASH_KEY, javaUtcDate } from '../../grader/aws/kinesis.ts';
import type { FakeKinesisOptions } from '../../grader/aws/kinesis.ts';

const MiB = 1024 * 1024;
const encoder = new TextEncoder();

function world(shardCount = 1, options: FakeKinesisOptions = {}, stream: { maxRecordSizeKiB?: number; retentionHours?: number } = {}) {
  const env = createAwsEnv({ seed: 1 });
  const fake = new FakeKinesis(env, options);
  fake.createStream('clicks', { shardCount, ...stream });
  return { env, fake, kinesis: fake.client() };
}

const entry = (partitionKey: string, data: string | Uint8Array = '{}'): PutRecordsRequestEntry => ({
  PartitionKey: partitionKey,
  Data: typeof data === 'string' ? encoder.encode(data) : data,
});

async function rejection(promise: Promise<unknown>): Promise<Error & { $fault?: string; $metadata?: { httpStatusCode?: number } }> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the call to fail');
}

async function iterator(kinesis: KinesisClient, type: string, extra: Record<string, unknown> = {}, shardId = 'shardId-000000000000'): Promise<string> {
  const answer = await kinesis.send(new GetShardIteratorCommand({ StreamName: 'clicks', ShardId: shardId, ShardIteratorType: type as 'LATEST', ...extra }));
  return answer.ShardIterator!;
}

describe('PutRecords: request limits', () => {
  it('takes 1 to 500 records; 501 or none is one ValidationException naming records', async () => {
    const { kinesis } = world();
    const ok = await kinesis.send(new PutRecordsCommand({ StreamName: 'clicks', Records: Array.from({ length: 500 }, (_, i) => entry(`u-${i}`)) }));
    expect(ok.Records).toHaveLength(500);
    const tooMany = await rejection(kinesis.send(new PutRecordsCommand({ StreamName: 'clicks', Records: Array.from({ length: 501 }, (_, i) => entry(`u-${i}`)) })));
    expect(tooMany.name).toBe('ValidationException');
    expect(tooMany.message).toBe("1 validation error detected: Value '[501 items]' at 'records' failed to satisfy constraint: Member must have length less than or equal to 500");
    const none = await rejection(kinesis.send(new PutRecordsCommand({ StreamName: 'clicks', Records: [] })));
    expect(none.message).toContain('Member must have length greater than or equal to 1');
  });

  it('refuses an empty partition key, or one over 256 characters, at its place in the request', async () => {
    const { kinesis } = world();
    const empty = await rejection(kinesis.send(new PutRecordsCommand({ StreamName: 'clicks', Records: [entry('a'), entry('')] })));
    expect(empty.name).toBe('ValidationException');
    expect(empty.message).toContain("at 'records.2.member.partitionKey' failed to satisfy constraint: Member must have length greater than or equal to 1");
    const long = await rejection(kinesis.send(new PutRecordsCommand({ StreamName: 'clicks', Records: [entry('k'.repeat(257))] })));
    expect(long.message).toContain('Member must have length less than or equal to 256');
    await expect(kinesis.send(new PutRecordsCommand({ StreamName: 'clicks', Records: [entry('k'.repeat(256))] }))).resolves.toMatchObject({ FailedRecordCount: 0 });
  });

  it("counts a record as data plus partition key against the stream's maximum record size (1 MiB by default)", async () => {
    const { kinesis, fake } = world();
    const key = 'user-7'; // 6 bytes
    const fits = new Uint8Array(MiB - 6);
    await expect(kinesis.send(new PutRecordsCommand({ StreamName: 'clicks', Records: [entry(key, fits)] }))).resolves.toMatchObject({ FailedRecordCount: 0 });
    const over = await rejection(kinesis.send(new PutRecordsCommand({ StreamName: 'clicks', Records: [entry('a'), entry(key, new Uint8Array(MiB - 5))] })));
    expect(over).toBeInstanceOf(InvalidArgumentException);
    expect(over.message).toContain('exceeds the maximum record size of 1024 KiB');
    // The whole request is refused: nothing of it was written.
    expect(fake.records('clicks')).toHaveLength(1);

    const large = world(1, {}, { maxRecordSizeKiB: 2048 });
    await expect(large.kinesis.send(new PutRecordsCommand({ StreamName: 'clicks', Records: [entry(key, new Uint8Array(MiB + 100))] }))).resolves.toMatchObject({ FailedRecordCount: 0 });
  });

  it('refuses a request over 10 MiB, partition keys included, as a whole', async () => {
    const { kinesis } = world(16, {}, { maxRecordSizeKiB: 10240 });
    const records = Array.from({ length: 10 }, (_, i) => entry(`k${i}`, new Uint8Array(MiB - 2)));
    await expect(kinesis.send(new PutRecordsCommand({ StreamName: 'clicks', Records: records }))).resolves.toBeDefined();
    const over = await rejection(kinesis.send(new PutRecordsCommand({ StreamName: 'clicks', Records: [...records, entry('x', '1')] })));
    expect(over).toBeInstanceOf(InvalidArgumentException);
    expect(over.message).toBe('Records size exceeds 10 MB limit');
  });

  it('answers an unknown stream with ResourceNotFoundException, and takes a stream by ARN', async () => {
    const { kinesis, fake, env } = world();
    const missing = await rejection(kinesis.send(new PutRecordsCommand({ StreamName: 'click', Records: [entry('a')] })));
    expect(missing).toBeInstanceOf(ResourceNotFoundException);
    expect(missing.message).toBe(`Stream click under account ${env.accountId} not found.`);
    expect(missing.$metadata?.httpStatusCode).toBe(400);
    await expect(kinesis.send(new PutRecordsCommand({ StreamARN: fake.streamArn('clicks'), Records: [entry('a')] }))).resolves.toMatchObject({ FailedRecordCount: 0 });
    const neither = await rejection(kinesis.send(new PutRecordsCommand({ Records: [entry('a')] })));
    expect(neither).toBeInstanceOf(InvalidArgumentException);
  });

  it('answers a data blob that is not bytes with SerializationException, as the JSON protocol does', async () => {
    const { kinesis } = world();
    const wrong = await rejection(kinesis.send(new PutRecordsCommand({ StreamName: 'clicks', Records: [{ PartitionKey: 'a', Data: { id: 1 } as never }] })));
    expect(wrong.name).toBe('SerializationException');
    // Strings are sent as their UTF-8 bytes, as the SDK's serializer does.
    await expect(kinesis.send(new PutRecordsCommand({ StreamName: 'clicks', Records: [{ PartitionKey: 'a', Data: 'é' as never }] }))).resolves.toMatchObject({ FailedRecordCount: 0 });
  });
});

describe('placement: shards own hash-key ranges', () => {
  it('splits the 128-bit key space evenly and lists it with ListShards', async () => {
    const { kinesis } = world(4);
    const { Shards } = await kinesis.send(new ListShardsCommand({ StreamName: 'clicks' }));
    expect(Shards!.map((s) => s.ShardId)).toEqual(['shardId-000000000000', 'shardId-000000000001', 'shardId-000000000002', 'shardId-000000000003']);
    expect(Shards![0]!.HashKeyRange).toEqual({ StartingHashKey: '0', EndingHashKey: String((1n << 126n) - 1n) });
    expect(Shards![3]!.HashKeyRange!.EndingHashKey).toBe(MAX_HASH_KEY.toString());
    for (let i = 1; i < 4; i++) expect(BigInt(Shards![i]!.HashKeyRange!.StartingHashKey!)).toBe(BigInt(Shards![i - 1]!.HashKeyRange!.EndingHashKey!) + 1n);
  });

  it("puts a record on the shard whose range holds the MD5 of its partition key, or its ExplicitHashKey", async () => {
    const { kinesis } = world(4);
    const keys = Array.from({ length: 40 }, (_, i) => `user-${i}`);
    const answer = await kinesis.send(new PutRecordsCommand({ StreamName: 'clicks', Records: keys.map((k) => entry(k)) }));
    const quarter = 1n << 126n;
    keys.forEach((key, i) => {
      const hash = BigInt(`0x${createHash('md5').update(key).digest('hex')}`);
      expect(answer.Records![i]!.ShardId, key).toBe(`shardId-00000000000${hash / quarter}`);
    });
    const explicit = await kinesis.send(new PutRecordsCommand({ StreamName: 'clicks', Records: [{ ...entry('any'), ExplicitHashKey: String(3n * quarter) }] }));
    expect(explicit.Records![0]!.ShardId).toBe('shardId-000000000003');
    const outside = await rejection(kinesis.send(new PutRecordsCommand({ StreamName: 'clicks', Records: [{ ...entry('any'), ExplicitHashKey: String(MAX_HASH_KEY + 1n) }] })));
    expect(outside).toBeInstanceOf(InvalidArgumentException);
  });

  it('gives sequence numbers that grow within a shard and keeps each shard in write order', async () => {
    const { kinesis, fake } = world(2);
    for (let round = 0; round < 3; round++) {
      await kinesis.send(new PutRecordsCommand({ StreamName: 'clicks', Records: Array.from({ length: 50 }, (_, i) => entry(`u-${i % 7}`, `${round}-${i}`)) }));
    }
    for (const shardId of ['shardId-000000000000', 'shardId-000000000001']) {
      const records = fake.records('clicks', shardId);
      expect(records.length).toBeGreaterThan(0);
      for (let i = 1; i < records.length; i++) expect(BigInt(records[i]!.sequenceNumber)).toBeGreaterThan(BigInt(records[i - 1]!.sequenceNumber));
    }
    const all = fake.records('clicks').map((r) => r.sequenceNumber);
    expect(new Set(all).size).toBe(150);
    for (const seq of all) expect(seq).toMatch(/^[1-9]\d{0,128}$/);
  });
});

describe('per-shard write limits, in simulated time', () => {
  it('takes 1,000 records a second on a shard and fails the rest entry by entry, which a second later go through', async () => {
    const { kinesis, env } = world(1);
    const batch = () => Array.from({ length: 500 }, (_, i) => entry(`u-${i}`));
    await kinesis.send(new PutRecordsCommand({ StreamName: 'clicks', Records: batch() }));
    await kinesis.send(new PutRecordsCommand({ StreamName: 'clicks', Records: batch() }));
    const third = await kinesis.send(new PutRecordsCommand({ StreamName: 'clicks', Records: batch() }));
    expect(third.FailedRecordCount).toBe(500);
    expect(third.Records![0]).toEqual({
      ErrorCode: 'ProvisionedThroughputExceededException',
      ErrorMessage: `Rate exceeded for shard shardId-000000000000 in stream clicks under account ${env.accountId}.`,
    });
    env.clock.advance(500);
    const half = await kinesis.send(new PutRecordsCommand({ StreamName: 'clicks', Records: batch() }));
    expect(half.FailedRecordCount).toBe(0);
    expect((await kinesis.send(new PutRecordsCommand({ StreamName: 'clicks', Records: batch() }))).FailedRecordCount).toBe(500);
  });

  it('takes 1 MiB a second on a shard, partition keys included; a failed entry does not stop the ones after it', async () => {
    const { kinesis } = world(1);
    const big = (i: number) => entry(`u-${i}`, new Uint8Array(200 * 1024));
    const answer = await kinesis.send(new PutRecordsCommand({ StreamName: 'clicks', Records: [0, 1, 2, 3, 4, 5].map(big).concat(entry('small', '{}')) }));
    // Five 200 KiB records (plus keys) fit in 1 MiB, the sixth does not, the small one after it does.
    expect(answer.Records!.map((r) => r.ErrorCode ?? 'ok')).toEqual(['ok', 'ok', 'ok', 'ok', 'ok', 'ProvisionedThroughputExceededException', 'ok']);
    expect(answer.FailedRecordCount).toBe(1);
  });

  it('keeps the shards of a stream apart: a hot shard throttles while the others write', async () => {
    const { kinesis, fake } = world(2);
    const hot = 'user-1';
    const other = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'].find((k) => fake.shardFor('clicks', k) !== fake.shardFor('clicks', hot))!;
    const records = [...Array.from({ length: 250 }, () => entry(hot)), ...Array.from({ length: 250 }, () => entry(other))];
    for (let i = 0; i < 4; i++) await kinesis.send(new PutRecordsCommand({ StreamName: 'clicks', Records: records.slice(0, 250) }));
    // The hot shard has taken its 1,000 records this second; the other shard has room.
    const answer = await kinesis.send(new PutRecordsCommand({ StreamName: 'clicks', Records: records }));
    expect(answer.Records!.slice(0, 250).filter((r) => r.ErrorCode).length).toBe(250);
    expect(answer.Records!.slice(250).filter((r) => r.ErrorCode).length).toBe(0);
    const activity = fake.activity('clicks');
    expect(activity.find((s) => s.shardId === fake.shardFor('clicks', hot))!.throttledEntries).toBe(250);
  });

  it('throws ProvisionedThroughputExceededException from PutRecord when the shard is full', async () => {
    const { kinesis } = world(1);
    await kinesis.send(new PutRecordsCommand({ StreamName: 'clicks', Records: Array.from({ length: 500 }, () => entry('a')) }));
    await kinesis.send(new PutRecordsCommand({ StreamName: 'clicks', Records: Array.from({ length: 500 }, () => entry('a')) }));
    const error = await rejection(kinesis.send(new PutRecordCommand({ StreamName: 'clicks', PartitionKey: 'a', Data: encoder.encode('{}') })));
    expect(error).toBeInstanceOf(ProvisionedThroughputExceededException);
    expect(error.$fault).toBe('client');
  });

  it('lets calls take the simulated time they are given', async () => {
    const { kinesis, env } = world(1, { latencyMs: { PutRecords: 25, GetRecords: 40 } });
    const t0 = env.clock.now().getTime();
    await kinesis.send(new PutRecordsCommand({ StreamName: 'clicks', Records: [entry('a')] }));
    expect(env.clock.now().getTime() - t0).toBe(25);
    await kinesis.send(new GetRecordsCommand({ ShardIterator: await iterator(kinesis, 'TRIM_HORIZON') }));
    expect(env.clock.now().getTime() - t0).toBe(65);
  });
});

describe('fault injection', () => {
  it('fails chosen entries with InternalFailure, "Internal Service Failure", and writes the others', async () => {
    const { kinesis, fake } = world(1);
    fake.failEntries({ code: 'InternalFailure', when: (e) => e.partitionKey === 'b', times: 1 });
    const answer = await kinesis.send(new PutRecordsCommand({ StreamName: 'clicks', Records: [entry('a'), entry('b'), entry('c'), entry('b')] }));
    expect(answer.FailedRecordCount).toBe(1);
    expect(answer.Records![1]).toEqual({ ErrorCode: 'InternalFailure', ErrorMessage: 'Internal Service Failure' });
    expect(answer.Records![3]!.SequenceNumber).toBeDefined();
    expect(fake.records('clicks').map((r) => r.partitionKey)).toEqual(['a', 'c', 'b']);
  });

  it('can fail a whole call after it wrote, so a retry of it duplicates', async () => {
    const { kinesis, fake } = world(1);
    fake.failAfterWrite({ after: 1 });
    await kinesis.send(new PutRecordsCommand({ StreamName: 'clicks', Records: [entry('a', '1')] }));
    const error = await rejection(kinesis.send(new PutRecordsCommand({ StreamName: 'clicks', Records: [entry('a', '2')] })));
    expect(error).toBeInstanceOf(InternalFailureException);
    expect(error.$fault).toBe('server');
    expect(error.$metadata?.httpStatusCode).toBe(500);
    expect(fake.records('clicks')).toHaveLength(2);
    expect(fake.writes.map((w) => [w.accepted, w.wroteThenFailed, w.error])).toEqual([[1, false, undefined], [1, true, 'InternalFailureException']]);
  });

  it('throttles entries on demand for a while, e.g. another producer saturating a shard', async () => {
    const { kinesis, fake, env } = world(1);
    fake.failEntries({ code: 'ProvisionedThroughputExceededException', until: new Date(env.clock.now().getTime() + 10_000) });
    expect((await kinesis.send(new PutRecordsCommand({ StreamName: 'clicks', Records: [entry('a')] }))).FailedRecordCount).toBe(1);
    env.clock.advance(10_000);
    expect((await kinesis.send(new PutRecordsCommand({ StreamName: 'clicks', Records: [entry('a')] }))).FailedRecordCount).toBe(0);
  });
});

describe('GetShardIterator', () => {
  async function seeded() {
    const w = world(2);
    await w.kinesis.send(new PutRecordsCommand({ StreamName: 'clicks', Records: Array.from({ length: 6 }, (_, i) => entry('a', String(i))) }));
    return { ...w, shardId: w.fake.shardFor('clicks', 'a'), records: w.fake.records('clicks', w.fake.shardFor('clicks', 'a')) };
  }
  const read = async (kinesis: KinesisClient, shardIterator: string) =>
    ((await kinesis.send(new GetRecordsCommand({ ShardIterator: shardIterator }))).Records ?? []).map((r) => new TextDecoder().decode(r.Data));

  it('starts at the oldest record (TRIM_HORIZON), after the newest (LATEST), at or after a sequence number', async () => {
    const { kinesis, shardId, records } = await seeded();
    expect(await read(kinesis, await iterator(kinesis, 'TRIM_HORIZON', {}, shardId))).toEqual(['0', '1', '2', '3', '4', '5']);
    expect(await read(kinesis, await iterator(kinesis, 'LATEST', {}, shardId))).toEqual([]);
    expect(await read(kinesis, await iterator(kinesis, 'AT_SEQUENCE_NUMBER', { StartingSequenceNumber: records[2]!.sequenceNumber }, shardId))).toEqual(['2', '3', '4', '5']);
    expect(await read(kinesis, await iterator(kinesis, 'AFTER_SEQUENCE_NUMBER', { StartingSequenceNumber: records[2]!.sequenceNumber }, shardId))).toEqual(['3', '4', '5']);
  });

  it('needs a StartingSequenceNumber exactly for AT_ and AFTER_SEQUENCE_NUMBER', async () => {
    const { kinesis, shardId, records } = await seeded();
    const missing = await rejection(kinesis.send(new GetShardIteratorCommand({ StreamName: 'clicks', ShardId: shardId, ShardIteratorType: 'AFTER_SEQUENCE_NUMBER' })));
    expect(missing).toBeInstanceOf(InvalidArgumentException);
    expect(missing.message).toBe(
      'Must either specify (1) AT_SEQUENCE_NUMBER or AFTER_SEQUENCE_NUMBER and StartingSequenceNumber or (2) TRIM_HORIZON or LATEST and no StartingSequenceNumber. Request specified AFTER_SEQUENCE_NUMBER and no StartingSequenceNumber.',
    );
    const extra = await rejection(
      kinesis.send(new GetShardIteratorCommand({ StreamName: 'clicks', ShardId: shardId, ShardIteratorType: 'LATEST', StartingSequenceNumber: records[0]!.sequenceNumber })),
    );
    expect(extra).toBeInstanceOf(InvalidArgumentException);
  });

  it("refuses a sequence number of another shard or stream, and a shard that does not exist", async () => {
    const { kinesis, shardId, records, env } = await seeded();
    const other = shardId === 'shardId-000000000000' ? 'shardId-000000000001' : 'shardId-000000000000';
    const wrongShard = await rejection(
      kinesis.send(new GetShardIteratorCommand({ StreamName: 'clicks', ShardId: other, ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', StartingSequenceNumber: records[0]!.sequenceNumber })),
    );
    expect(wrongShard.message).toBe(`Invalid StartingSequenceNumber. It encodes ${shardId}, while it was used in a call to a shard with ${other}`);
    const foreign = await rejection(
      kinesis.send(new GetShardIteratorCommand({ StreamName: 'clicks', ShardId: shardId, ShardIteratorType: 'AT_SEQUENCE_NUMBER', StartingSequenceNumber: '49590338271490256608559692538361571095921575989136588898' })),
    );
    expect(foreign.message).toContain('is invalid because it did not come from this stream');
    const noShard = await rejection(kinesis.send(new GetShardIteratorCommand({ StreamName: 'clicks', ShardId: 'shardId-000000000009', ShardIteratorType: 'LATEST' })));
    expect(noShard).toBeInstanceOf(ResourceNotFoundException);
    expect(noShard.message).toBe(`Shard shardId-000000000009 in stream clicks under account ${env.accountId} does not exist`);
  });

  it('answers five calls a second per shard and throttles the sixth', async () => {
    const { kinesis, env } = world(1);
    for (let i = 0; i < 5; i++) await iterator(kinesis, 'LATEST');
    expect(await rejection(iterator(kinesis, 'LATEST'))).toBeInstanceOf(ProvisionedThroughputExceededException);
    env.clock.advance(1000);
    await expect(iterator(kinesis, 'LATEST')).resolves.toBeTypeOf('string');
  });
});

describe('GetRecords', () => {
  it('returns at most 10,000 records a call, and MillisBehindLatest 0 only once caught up', async () => {
    const { kinesis, fake, env } = world(1);
    fake.seed('clicks', Array.from({ length: 12_000 }, (_, i) => ({ partitionKey: 'a', data: String(i) })));
    env.clock.advance(3000);
    const first = await kinesis.send(new GetRecordsCommand({ ShardIterator: await iterator(kinesis, 'TRIM_HORIZON') }));
    expect(first.Records).toHaveLength(10_000);
    expect(first.MillisBehindLatest).toBe(3000);
    const second = await kinesis.send(new GetRecordsCommand({ ShardIterator: first.NextShardIterator }));
    expect(second.Records).toHaveLength(2000);
    expect(second.MillisBehindLatest).toBe(0);
    const limited = await kinesis.send(new GetRecordsCommand({ ShardIterator: await iterator(kinesis, 'TRIM_HORIZON'), Limit: 7 }));
    expect(limited.Records).toHaveLength(7);
    const tooMany = await rejection(kinesis.send(new GetRecordsCommand({ ShardIterator: limited.NextShardIterator, Limit: 10_001 })));
    expect(tooMany.name).toBe('ValidationException');
    expect(tooMany.message).toContain("at 'limit' failed to satisfy constraint: Member must have value less than or equal to 10000");
  });

  it('answers five calls a second per shard and throttles the sixth', async () => {
    const { kinesis, fake, env } = world(1);
    fake.seed('clicks', [{ partitionKey: 'a', data: '1' }]);
    let shardIterator = await iterator(kinesis, 'TRIM_HORIZON');
    for (let i = 0; i < 5; i++) shardIterator = (await kinesis.send(new GetRecordsCommand({ ShardIterator: shardIterator }))).NextShardIterator!;
    const throttled = await rejection(kinesis.send(new GetRecordsCommand({ ShardIterator: shardIterator })));
    expect(throttled).toBeInstanceOf(ProvisionedThroughputExceededException);
    expect(throttled.message).toBe(`Rate exceeded for Shard - ${env.accountId}/clicks/shardId-000000000000`);
    env.clock.advance(1000);
    await expect(kinesis.send(new GetRecordsCommand({ ShardIterator: shardIterator }))).resolves.toBeDefined();
  });

  it('reads 2 MiB a second per shard: a call that returned 10 MiB keeps the shard busy 4 s after a pause, 5 s when read continuously', async () => {
    const { kinesis, fake, env } = world(1);
    const record = (i: number) => ({ partitionKey: 'a', data: new Uint8Array(512 * 1024 - 1 - String(i).length) });
    fake.seed('clicks', Array.from({ length: 45 }, (_, i) => record(i)));
    // An idle shard has one second of reads in hand: 10 MiB overdraws it by 8 MiB, repaid in 4 s.
    const first = await kinesis.send(new GetRecordsCommand({ ShardIterator: await iterator(kinesis, 'TRIM_HORIZON') }));
    expect(first.Records).toHaveLength(20); // 20 × 512 KiB = 10 MiB, the most one call returns
    env.clock.advance(3900);
    expect(await rejection(kinesis.send(new GetRecordsCommand({ ShardIterator: first.NextShardIterator })))).toBeInstanceOf(ProvisionedThroughputExceededException);
    env.clock.advance(100);
    const second = await kinesis.send(new GetRecordsCommand({ ShardIterator: first.NextShardIterator }));
    expect(second.Records).toHaveLength(20);
    // Read right after the debt was repaid, the next 10 MiB blocks it for the full 5 s.
    env.clock.advance(4900);
    expect(await rejection(kinesis.send(new GetRecordsCommand({ ShardIterator: second.NextShardIterator })))).toBeInstanceOf(ProvisionedThroughputExceededException);
    env.clock.advance(100);
    expect((await kinesis.send(new GetRecordsCommand({ ShardIterator: second.NextShardIterator }))).Records).toHaveLength(5);
  });

  it('refuses an iterator older than 5 minutes with ExpiredIteratorException, in the words AWS uses', async () => {
    const { kinesis, env } = world(1);
    const shardIterator = await iterator(kinesis, 'TRIM_HORIZON');
    const created = env.clock.now().getTime();
    env.clock.advance(300_000);
    await expect(kinesis.send(new GetRecordsCommand({ ShardIterator: shardIterator }))).resolves.toBeDefined();
    env.clock.advance(1);
    const expired = await rejection(kinesis.send(new GetRecordsCommand({ ShardIterator: shardIterator })));
    expect(expired).toBeInstanceOf(ExpiredIteratorException);
    expect(expired.message).toBe(
      `Iterator expired. The iterator was created at time ${javaUtcDate(created)} while right now it is ${javaUtcDate(created + 300_001)} which is further in the future than the tolerated delay of 300000 milliseconds.`,
    );
    expect(javaUtcDate(Date.parse('2021-10-10T05:17:11Z'))).toBe('Sun Oct 10 05:17:11 UTC 2021');
  });

  it('keeps records 24 hours: older ones are trimmed from TRIM_HORIZON', async () => {
    const { kinesis, fake, env } = world(1);
    const now = env.clock.now().getTime();
    fake.seed('clicks', [
      { partitionKey: 'a', data: 'old', at: new Date(now - 25 * 3_600_000) },
      { partitionKey: 'a', data: 'recent', at: new Date(now - 23 * 3_600_000) },
    ]);
    const answer = await kinesis.send(new GetRecordsCommand({ ShardIterator: await iterator(kinesis, 'TRIM_HORIZON') }));
    expect(answer.Records!.map((r) => new TextDecoder().decode(r.Data))).toEqual(['recent']);
  });

  it('can answer no records though more follow, with MillisBehindLatest above 0', async () => {
    const { kinesis, fake } = world(1);
    fake.seed('clicks', [{ partitionKey: 'a', data: '1' }]);
    fake.emptyReads({ times: 2 });
    let shardIterator = await iterator(kinesis, 'TRIM_HORIZON');
    const seen: [number, number][] = [];
    for (let i = 0; i < 3; i++) {
      const answer = await kinesis.send(new GetRecordsCommand({ ShardIterator: shardIterator }));
      seen.push([answer.Records!.length, answer.MillisBehindLatest! > 0 ? 1 : 0]);
      shardIterator = answer.NextShardIterator!;
    }
    expect(seen).toEqual([[0, 1], [0, 1], [1, 0]]);
  });

  it('refuses an iterator that is not one', async () => {
    const { kinesis } = world(1);
    const error = await rejection(kinesis.send(new GetRecordsCommand({ ShardIterator: 'AAAAAAAAAAFakeIterator' })));
    expect(error).toBeInstanceOf(InvalidArgumentException);
  });
});

describe('ListShards and DescribeStreamSummary', () => {
  it('pages shards with a NextToken that is good for 300 seconds and never goes with StreamName', async () => {
    const { kinesis, env } = world(5);
    const first = await kinesis.send(new ListShardsCommand({ StreamName: 'clicks', MaxResults: 2 }));
    expect(first.Shards!.map((s) => s.ShardId)).toEqual(['shardId-000000000000', 'shardId-000000000001']);
    const second = await kinesis.send(new ListShardsCommand({ NextToken: first.NextToken, MaxResults: 10 }));
    expect(second.Shards).toHaveLength(3);
    expect(second.NextToken).toBeUndefined();
    expect(await rejection(kinesis.send(new ListShardsCommand({ StreamName: 'clicks', NextToken: first.NextToken })))).toBeInstanceOf(InvalidArgumentException);
    env.clock.advance(300_001);
    expect((await rejection(kinesis.send(new ListShardsCommand({ NextToken: first.NextToken })))).name).toBe('ExpiredNextTokenException');
  });

  it("describes the stream's mode, shards, retention and maximum record size", async () => {
    const { kinesis, env } = world(3, {}, { maxRecordSizeKiB: 2048 });
    const { StreamDescriptionSummary: s } = await kinesis.send(new DescribeStreamSummaryCommand({ StreamName: 'clicks' }));
    expect(s).toMatchObject({
      StreamName: 'clicks',
      StreamARN: `arn:aws:kinesis:us-east-1:${env.accountId}:stream/clicks`,
      StreamStatus: 'ACTIVE',
      StreamModeDetails: { StreamMode: 'PROVISIONED' },
      OpenShardCount: 3,
      RetentionPeriodHours: 24,
      MaxRecordSizeInKiB: 2048,
    });
  });
});

describe('trace and errors', () => {
  it('shows a PutRecords request as counts, and the answer the producer must act on', async () => {
    const { kinesis, env } = world(1);
    await kinesis.send(new PutRecordsCommand({ StreamName: 'clicks', Records: Array.from({ length: 500 }, () => entry('a', 'x'.repeat(99))) }));
    await kinesis.send(new PutRecordsCommand({ StreamName: 'clicks', Records: Array.from({ length: 600 - 100 }, () => entry('a', 'x'.repeat(99))) }));
    await kinesis.send(new PutRecordsCommand({ StreamName: 'clicks', Records: Array.from({ length: 500 }, () => entry('a', 'x'.repeat(99))) }));
    const [first, , third] = env.trace.calls('kinesis', 'PutRecords');
    expect(first!.input).toEqual({ StreamName: 'clicks', Records: '<500 records, 50,000 bytes>' });
    expect(first!.output).toEqual({ FailedRecordCount: 0 });
    expect(third!.output).toEqual({ FailedRecordCount: 500, ErrorCodes: { ProvisionedThroughputExceededException: 500 } });
  });

  it("builds errors as the SDK does: the modeled class, or KinesisServiceException named with the code", async () => {
    const { kinesis } = world(1);
    const validation = await rejection(kinesis.send(new PutRecordsCommand({ StreamName: 'clicks', Records: [] })));
    expect(validation).toBeInstanceOf(KinesisServiceException);
    const missing = await rejection(kinesis.send(new PutRecordsCommand({ StreamName: 'gone', Records: [entry('a')] })));
    expect(missing).toBeInstanceOf(ResourceNotFoundException);
    expect(missing.$metadata).toMatchObject({ httpStatusCode: 400, attempts: 1 });
  });

  it('states the documented limits it enforces', () => {
    expect(KINESIS_LIMITS).toMatchObject({
      putRecordsEntries: 500,
      putRecordsRequestBytes: 10 * MiB,
      shardWriteRecordsPerSecond: 1000,
      shardWriteBytesPerSecond: MiB,
      shardReadBytesPerSecond: 2 * MiB,
      shardReadCallsPerSecond: 5,
      getRecordsMaxRecords: 10_000,
      iteratorLifetimeMs: 300_000,
      retentionHours: 24,
    });
  });
});
