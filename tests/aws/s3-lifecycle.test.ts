// S3 Lifecycle on the fake S3, through the real S3Client: the configuration operations with the
// validation S3 applies (each case from the S3 API Reference — PutBucketLifecycleConfiguration,
// LifecycleRule, LifecycleExpiration, Transition — or the user guide's "Examples of S3 Lifecycle
// configurations", read 2026-11-30), then what the rules do at midnight UTC, reads of archived
// objects and RestoreObject, and the bill's minimum durations.

import {
  DeleteBucketLifecycleCommand,
  GetBucketLifecycleConfigurationCommand,
  GetObjectCommand,
  PutBucketLifecycleConfigurationCommand,
  RestoreObjectCommand,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import type { LifecycleRule, S3Client } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { createAwsEnv, simulatedClock } from '../../grader/aws/env.ts';
import type { AwsEnv } from '../../grader/aws/env.ts';
import { FakeS3, S3Bill, US_EAST_1 } from '../../grader/aws/s3.ts';
import type { LifecycleEvent } from '../../grader/aws/s3.ts';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const START = Date.UTC(2014, 0, 15, 10, 30);

function world(start = START): { env: AwsEnv; s3: FakeS3; client: S3Client } {
  const env = createAwsEnv({ seed: 1, clock: simulatedClock(start) });
  const s3 = new FakeS3(env);
  s3.createBucket('lake');
  return { env, s3, client: s3.client() };
}

async function refusal(client: S3Client, Rules: LifecycleRule[]): Promise<{ name: string; message: string; status?: number }> {
  try {
    await client.send(new PutBucketLifecycleConfigurationCommand({ Bucket: 'lake', LifecycleConfiguration: { Rules } }));
  } catch (error) {
    if (!(error instanceof S3ServiceException)) throw error;
    return { name: error.name, message: error.message, status: error.$metadata.httpStatusCode };
  }
  throw new Error('S3 accepted the configuration');
}

const rule = (r: Partial<LifecycleRule>): LifecycleRule => ({ ID: 'r', Status: 'Enabled', Filter: { Prefix: 'logs/' }, ...r });

describe('PutBucketLifecycleConfiguration accepts the user guide’s examples', () => {
  const examples: [string, LifecycleRule[]][] = [
    ['tax/: to GLACIER after a year, deleted after ten', [{ ID: 'Transition and Expiration Rule', Filter: { Prefix: 'tax/' }, Status: 'Enabled', Transitions: [{ Days: 365, StorageClass: 'GLACIER' }], Expiration: { Days: 3650 } }]],
    ['tiering down: STANDARD_IA at 30, GLACIER at 90, deleted at 365', [{ ID: 'example-id', Filter: { Prefix: 'logs/' }, Status: 'Enabled', Transitions: [{ Days: 30, StorageClass: 'STANDARD_IA' }, { Days: 90, StorageClass: 'GLACIER' }], Expiration: { Days: 365 } }]],
    ['And: a prefix and a tag', [{ ID: 'r', Status: 'Enabled', Filter: { And: { Prefix: 'tax/', Tags: [{ Key: 'key1', Value: 'value1' }] } }, Transitions: [{ Days: 365, StorageClass: 'GLACIER' }] }]],
    ['abort multipart uploads after 7 days', [{ ID: 'sample-rule', Status: 'Enabled', Filter: { Prefix: 'SomeKeyPrefix/' }, AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 } }]],
    ['expired object delete markers, and noncurrent versions after 30 days', [{ ID: 'ExampleRule', Status: 'Enabled', Filter: { Prefix: 'logs/' }, Expiration: { ExpiredObjectDeleteMarker: true }, NoncurrentVersionExpiration: { NoncurrentDays: 30 } }]],
    ['objects smaller than 128 KB transitioned by a size filter', [{ ID: 'Allow small object transitions', Status: 'Enabled', Filter: { ObjectSizeGreaterThan: 1 }, Transitions: [{ Days: 365, StorageClass: 'GLACIER_IR' }] }]],
    ['keep 5 newer noncurrent versions', [{ ID: 'r', Status: 'Enabled', Filter: { Prefix: '' }, NoncurrentVersionExpiration: { NoncurrentDays: 30, NewerNoncurrentVersions: 5 } }]],
  ];
  it.each(examples)('%s', async (_name, Rules) => {
    const { client } = world();
    await client.send(new PutBucketLifecycleConfigurationCommand({ Bucket: 'lake', LifecycleConfiguration: { Rules } }));
    const got = await client.send(new GetBucketLifecycleConfigurationCommand({ Bucket: 'lake' }));
    expect(got.Rules?.map((r) => r.ID)).toEqual(Rules.map((r) => r.ID));
    expect(got.TransitionDefaultMinimumObjectSize).toBe('all_storage_classes_128K');
  });
});

describe('PutBucketLifecycleConfiguration refuses what S3 refuses', () => {
  it('a transition to STANDARD_IA or ONEZONE_IA before day 30', async () => {
    const { client } = world();
    for (const StorageClass of ['STANDARD_IA', 'ONEZONE_IA'] as const) {
      expect(await refusal(client, [rule({ Transitions: [{ Days: 29, StorageClass }] })])).toEqual({
        name: 'InvalidArgument',
        message: `'Days' in Transition action must be greater than or equal to 30 for storageClass '${StorageClass}'`,
        status: 400,
      });
    }
  });

  it('an Expiration not later than a transition of the rule', async () => {
    const { client } = world();
    const got = await refusal(client, [rule({ Transitions: [{ Days: 90, StorageClass: 'GLACIER' }], Expiration: { Days: 60 } })]);
    expect(got.name).toBe('InvalidArgument');
    expect(got.message).toBe("'Days' in the Expiration action for filter '(prefix=logs/)' must be greater than 'Days' in the Transition action");
  });

  it('ExpiredObjectDeleteMarker together with Days', async () => {
    const { client } = world();
    const got = await refusal(client, [rule({ Expiration: { Days: 30, ExpiredObjectDeleteMarker: true } })]);
    expect(got).toMatchObject({ name: 'InvalidArgument', message: 'ExpiredObjectDeleteMarker cannot be specified with Days or Date in a Lifecycle Expiration Policy.' });
  });

  it('AbortIncompleteMultipartUpload on a rule filtered by tags', async () => {
    const { client } = world();
    const got = await refusal(client, [{ ID: 'r', Status: 'Enabled', Filter: { Tag: { Key: 'team', Value: 'ml' } }, AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 } }]);
    expect(got).toMatchObject({ name: 'InvalidRequest', message: 'AbortIncompleteMultipartUpload cannot be specified with Tags.' });
  });

  it('Days of 0 in an Expiration ("a non-zero positive integer")', async () => {
    const { client } = world();
    expect((await refusal(client, [rule({ Expiration: { Days: 0 } })])).name).toBe('InvalidArgument');
  });

  it('two rules with one ID, an ID over 255 characters, over 1,000 rules', async () => {
    const { client } = world();
    expect(await refusal(client, [rule({ Expiration: { Days: 1 } }), rule({ Filter: { Prefix: 'tmp/' }, Expiration: { Days: 1 } })])).toMatchObject({
      name: 'InvalidArgument',
      message: 'Rule ID must be unique. Found same ID for more than one rule',
    });
    expect((await refusal(client, [rule({ ID: 'x'.repeat(256), Expiration: { Days: 1 } })])).message).toBe('ID length should not exceed allowed limit of 255');
    const many = Array.from({ length: 1001 }, (_, i) => rule({ ID: `r${i}`, Filter: { Prefix: `p${i}/` }, Expiration: { Days: 1 } }));
    expect((await refusal(client, many)).message).toBe('The number of lifecycle rules must not exceed the allowed limit of 1000 rules.');
  });

  it('a Filter with two conditions outside And, and a rule with neither Filter nor Prefix', async () => {
    const { client } = world();
    expect((await refusal(client, [rule({ Filter: { Prefix: 'a/', ObjectSizeGreaterThan: 10 }, Expiration: { Days: 1 } })])).name).toBe('MalformedXML');
    expect((await refusal(client, [{ ID: 'r', Status: 'Enabled', Expiration: { Days: 1 } }])).name).toBe('MalformedXML');
  });

  it('a refused configuration leaves the one before it in place', async () => {
    const { client } = world();
    await client.send(new PutBucketLifecycleConfigurationCommand({ Bucket: 'lake', LifecycleConfiguration: { Rules: [rule({ ID: 'keep', Expiration: { Days: 10 } })] } }));
    await refusal(client, [rule({ Transitions: [{ Days: 1, StorageClass: 'STANDARD_IA' }] })]);
    const got = await client.send(new GetBucketLifecycleConfigurationCommand({ Bucket: 'lake' }));
    expect(got.Rules?.map((r) => r.ID)).toEqual(['keep']);
  });
});

describe('GetBucketLifecycleConfiguration and DeleteBucketLifecycle', () => {
  it('a bucket without a configuration answers NoSuchLifecycleConfiguration (404), also after a delete', async () => {
    const { client } = world();
    const get = () => client.send(new GetBucketLifecycleConfigurationCommand({ Bucket: 'lake' }));
    await expect(get()).rejects.toMatchObject({ name: 'NoSuchLifecycleConfiguration', $metadata: { httpStatusCode: 404 } });
    await client.send(new PutBucketLifecycleConfigurationCommand({ Bucket: 'lake', LifecycleConfiguration: { Rules: [rule({ Expiration: { Days: 1 } })] } }));
    await client.send(new DeleteBucketLifecycleCommand({ Bucket: 'lake' }));
    await expect(get()).rejects.toMatchObject({ name: 'NoSuchLifecycleConfiguration' });
  });
});

describe('S3 Lifecycle at midnight UTC', () => {
  it('counts days from creation, rounded to the next midnight: created 2014-01-15 10:30, 3 days → 2014-01-19 00:00 (user guide)', () => {
    const { s3 } = world();
    s3.setLifecycle('lake', { Rules: [rule({ Expiration: { Days: 3 } })] });
    s3.putObject('lake', 'logs/a.json', 'x'.repeat(10));
    s3.advanceTime(Date.UTC(2014, 0, 18, 23, 59) - START);
    expect(s3.getObject('lake', 'logs/a.json')).toBeDefined();
    s3.advanceTime(2 * 60_000);
    expect(s3.getObject('lake', 'logs/a.json')).toBeUndefined();
  });

  it('skips objects under 128 KB unless the rule filters on size', () => {
    const { s3 } = world();
    s3.setLifecycle('lake', { Rules: [rule({ Transitions: [{ Days: 1, StorageClass: 'GLACIER' }] }), { ID: 'small', Status: 'Enabled', Filter: { And: { Prefix: 'tiny/', ObjectSizeGreaterThan: 0 } }, Transitions: [{ Days: 1, StorageClass: 'GLACIER' }] }] });
    s3.putObject('lake', 'logs/small.json', { size: 100 * 1024 });
    s3.putObject('lake', 'logs/big.bin', { size: 128 * 1024 });
    s3.putObject('lake', 'tiny/small.json', { size: 100 * 1024 });
    const events: LifecycleEvent[] = [];
    s3.advanceTime(3 * DAY, (e) => events.push(e));
    expect(s3.getObject('lake', 'logs/small.json')?.storageClass).toBe('STANDARD');
    expect(s3.getObject('lake', 'logs/big.bin')?.storageClass).toBe('GLACIER');
    expect(s3.getObject('lake', 'tiny/small.json')?.storageClass).toBe('GLACIER');
    expect(events.some((e) => e.kind === 'transition-skipped' && e.key === 'logs/small.json')).toBe(true);
  });

  it('keeps NewerNoncurrentVersions noncurrent versions whatever their age', () => {
    const { s3 } = world();
    s3.setVersioning('lake', 'Enabled');
    s3.setLifecycle('lake', { Rules: [rule({ NoncurrentVersionExpiration: { NoncurrentDays: 3, NewerNoncurrentVersions: 2 } })] });
    for (let i = 0; i < 6; i++) {
      s3.putObject('lake', 'logs/ckpt', { size: 10 });
      s3.advanceTime(HOUR);
    }
    s3.advanceTime(10 * DAY);
    expect(s3.versions('lake', 'logs/ckpt')).toHaveLength(3);
  });

  it('reads of GLACIER objects fail with InvalidObjectState until a restore is done (hours of simulated time)', async () => {
    const { s3, client } = world();
    s3.setLifecycle('lake', { Rules: [rule({ Transitions: [{ Days: 0, StorageClass: 'GLACIER' }] })] });
    s3.putObject('lake', 'logs/old.bin', { size: 1024 * 1024 });
    s3.advanceTime(DAY);
    await expect(client.send(new GetObjectCommand({ Bucket: 'lake', Key: 'logs/old.bin' }))).rejects.toMatchObject({ name: 'InvalidObjectState', $metadata: { httpStatusCode: 403 } });
    await client.send(new RestoreObjectCommand({ Bucket: 'lake', Key: 'logs/old.bin', RestoreRequest: { Days: 1, GlacierJobParameters: { Tier: 'Standard' } } }));
    await expect(client.send(new GetObjectCommand({ Bucket: 'lake', Key: 'logs/old.bin' }))).rejects.toMatchObject({ name: 'InvalidObjectState' });
    s3.advanceTime(5 * HOUR);
    const got = await client.send(new GetObjectCommand({ Bucket: 'lake', Key: 'logs/old.bin' }));
    expect(got.StorageClass).toBe('GLACIER');
  });
});

describe('the bill', () => {
  it('bills an object deleted from STANDARD_IA after 10 days for the 30-day minimum', () => {
    const { s3 } = world(Date.UTC(2026, 0, 1));
    const bill = new S3Bill(s3, { from: new Date(Date.UTC(2026, 0, 1)), prices: US_EAST_1 });
    s3.setLifecycle('lake', { Rules: [rule({ Transitions: [{ Days: 30, StorageClass: 'STANDARD_IA' }], Expiration: { Days: 40 } })] });
    s3.putObject('lake', 'logs/a.bin', { size: 1024 ** 3 });
    s3.advanceTime(60 * DAY);
    const summary = bill.close(new Date(Date.UTC(2026, 2, 2)));
    const ia = summary.lines.filter((l) => l.item.includes('STANDARD_IA') && l.unit === 'GB-month').reduce((s, l) => s + l.quantity, 0);
    // In STANDARD_IA from Jan 31 to Feb 10 (1 day of January, 9 of February), then the 20 days
    // the minimum still asks for, billed in February: GB-months are per calendar month.
    expect(ia).toBeCloseTo(1 / 31 + 29 / 28, 6);
    expect(summary.lines.find((l) => l.item === 'early deletion STANDARD_IA')?.quantity).toBeCloseTo(20 / 28, 6);
  });
});
