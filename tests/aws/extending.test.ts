// The public way to grow the fake AWS world, used from outside grader/aws as a lab would use it:
// an operation added to FakeS3, and a small new service (SNS Publish) written on
// FakeAwsService. Both must be traced in the check's trace, honour the check's fault plan and
// throw the SDK's own exception classes, exactly as the built-in operations do.

import {
  GetBucketTaggingCommand,
  GetObjectCommand,
  NoSuchBucket,
  PutBucketTaggingCommand,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import type { Tag } from '@aws-sdk/client-s3';
import {
  InvalidParameterException,
  NotFoundException,
  PublishCommand,
  SNSClient,
  SNSServiceException,
  ThrottledException,
} from '@aws-sdk/client-sns';
import { describe, expect, it } from 'vitest';
import { Faults, createAwsEnv } from 'whetstone/aws/env';
import type { AwsEnv } from 'whetstone/aws/env';
import { FakeS3 } from 'whetstone/aws/s3';
import type { S3Model } from 'whetstone/aws/s3';
import { FakeAwsService } from 'whetstone/aws/service';
import type { Call } from 'whetstone/aws/mock';

async function rejection(promise: Promise<unknown>): Promise<Error & Record<string, unknown>> {
  try {
    await promise;
  } catch (error) {
    return error as Error & Record<string, unknown>;
  }
  throw new Error('expected the call to fail, but it succeeded');
}

const metadata = (error: Record<string, unknown>) => error.$metadata as { httpStatusCode: number; requestId: string };

// ---------------------------------------------------------------------------------------------
// An operation added to FakeS3, as a lab would add one the fake does not answer.

/** Bucket tagging on FakeS3 (S3 API Reference, Put/GetBucketTagging, read 2026-11-30). */
function withTagging(s3: FakeS3): FakeS3 {
  return s3
    .on(
      PutBucketTaggingCommand,
      (input, call, model: S3Model) => {
        const bucket = model.bucket(input.Bucket!, call);
        const tags = input.Tagging?.TagSet ?? [];
        // "You can associate up to 50 tags with a bucket" (S3 User Guide, "Using cost allocation S3 bucket tags", read 2026-11-30).
        if (tags.length > 50) throw model.error('InvalidTag', 'Cannot exceed 50 tags', call);
        bucket.configuration.set('tagging', structuredClone(tags));
        return { $metadata: { httpStatusCode: 204 } };
      },
      { doc: 'Stores a bucket’s tags (at most 50).', httpLabels: ['Bucket'] },
    )
    .on(
      GetBucketTaggingCommand,
      (input, call, model: S3Model) => {
        const tags = model.bucket(input.Bucket!, call).configuration.get('tagging') as Tag[] | undefined;
        if (!tags) {
          throw model.error('NoSuchTagSet', 'The TagSet does not exist', call, {
            httpStatusCode: 404,
            fields: { BucketName: input.Bucket },
          });
        }
        return { TagSet: structuredClone(tags) };
      },
      {
        doc: 'Returns a bucket’s tags; NoSuchTagSet (404) when it has none.',
        httpLabels: ['Bucket'],
        output: (o) => ({ TagSet: o.TagSet?.map((t) => t.Key) }),
      },
    );
}

const team: Tag = { Key: 'team', Value: 'ml-platform' };

function lakeWorld(): { env: AwsEnv; s3: FakeS3 } {
  const env = createAwsEnv({ seed: 1 });
  const s3 = withTagging(new FakeS3(env));
  s3.createBucket('lake');
  return { env, s3 };
}

describe('an operation a lab adds to FakeS3', () => {
  it('answers through the real S3Client, reaches the bucket model, and is traced with its response fields', async () => {
    const { env, s3 } = lakeWorld();
    const client = s3.client();
    await client.send(new PutBucketTaggingCommand({ Bucket: 'lake', Tagging: { TagSet: [team] } }));
    const got = await client.send(new GetBucketTaggingCommand({ Bucket: 'lake' }));
    expect(got.TagSet).toEqual([team]);
    expect(got.$metadata).toMatchObject({ httpStatusCode: 200 });
    expect(s3.bucket('lake')!.configuration.get('tagging')).toEqual([team]);
    expect(env.trace.entries.map(({ atMs: _, ...e }) => e)).toEqual([
      {
        service: 's3',
        operation: 'PutBucketTagging',
        input: { Bucket: 'lake', Tagging: { TagSet: [team] } },
        outcome: 'ok',
        httpStatusCode: 204,
      },
      { service: 's3', operation: 'GetBucketTagging', input: { Bucket: 'lake' }, outcome: 'ok', httpStatusCode: 200, output: { TagSet: ['team'] } },
    ]);
  });

  it('fails as S3 fails: the modeled NoSuchBucket, an unmodeled code on S3ServiceException, AccessDenied from denyAccess', async () => {
    const { env, s3 } = lakeWorld();
    const client = s3.client();
    const noBucket = await rejection(client.send(new GetBucketTaggingCommand({ Bucket: 'missing' })));
    expect(noBucket).toBeInstanceOf(NoSuchBucket);
    expect(noBucket).toMatchObject({ name: 'NoSuchBucket', $fault: 'client', BucketName: 'missing' });
    expect(metadata(noBucket).httpStatusCode).toBe(404);

    const none = await rejection(client.send(new GetBucketTaggingCommand({ Bucket: 'lake' })));
    expect(none).toBeInstanceOf(S3ServiceException);
    expect(none).toMatchObject({ name: 'NoSuchTagSet', Code: 'NoSuchTagSet', message: 'The TagSet does not exist' });
    expect(metadata(none)).toMatchObject({ httpStatusCode: 404, requestId: expect.stringMatching(/^[0-9A-F]{16}$/) });

    s3.denyAccess('lake', undefined, { operations: ['PutBucketTagging'] });
    const denied = await rejection(client.send(new PutBucketTaggingCommand({ Bucket: 'lake', Tagging: { TagSet: [] } })));
    expect(denied).toMatchObject({ name: 'AccessDenied', message: 'Access Denied' });
    expect(metadata(denied).httpStatusCode).toBe(403);
    expect(env.trace.entries.map((e) => [e.operation, e.outcome, e.httpStatusCode])).toEqual([
      ['GetBucketTagging', 'NoSuchBucket', 404],
      ['GetBucketTagging', 'NoSuchTagSet', 404],
      ['PutBucketTagging', 'AccessDenied', 403],
    ]);
  });

  it('honours the check’s fault plan and the SDK’s client-side refusal of a missing HTTP label', async () => {
    const { env, s3 } = lakeWorld();
    env.faults.add({ service: 's3', operation: 'PutBucketTagging', fault: Faults.throttling });
    const client = s3.client();
    const put = () => client.send(new PutBucketTaggingCommand({ Bucket: 'lake', Tagging: { TagSet: [team] } }));
    const throttled = await rejection(put());
    expect(throttled).toBeInstanceOf(S3ServiceException);
    expect(throttled).toMatchObject({ name: 'SlowDown', $fault: 'server' });
    expect(metadata(throttled).httpStatusCode).toBe(503);
    expect(s3.bucket('lake')!.configuration.has('tagging')).toBe(false);
    await put();
    expect(s3.bucket('lake')!.configuration.has('tagging')).toBe(true);

    const unlabelled = await rejection(client.send(new GetBucketTaggingCommand({} as never)));
    expect(unlabelled.message).toBe('No value provided for input HTTP label: Bucket.');
    expect(env.trace.entries.map((e) => e.outcome)).toEqual(['SlowDown', 'ok', 'NotSent']);
  });

  it('cannot replace an operation the fake answers, and must say what it models', () => {
    const { s3 } = lakeWorld();
    expect(() => s3.on(GetObjectCommand, () => ({}), { doc: 'mine' })).toThrow(
      /already answers GetObject: a lab may add operations, not replace one every lab shares/,
    );
    const s3Again = new FakeS3(createAwsEnv({ seed: 2 }));
    expect(() => s3Again.on(GetBucketTaggingCommand, () => ({ TagSet: [] }), { doc: ' ' })).toThrow(/say in one line what the operation models/);
    expect(s3.operations.map((o) => o.operation)).toContain('PutBucketTagging');
    expect(s3.operations.find((o) => o.operation === 'GetBucketTagging')?.doc).toMatch(/NoSuchTagSet/);
  });
});

// ---------------------------------------------------------------------------------------------
// A new service: SNS Publish on FakeAwsService, as pipeline-orchestration would write it.

/**
 * Publish's default limit: "By default, a message can be at most 256 KiB in size (262,144 bytes, not
 * 262,144 characters)"; a topic's MaximumMessageSize may raise it to 1 MiB, which this fake does not
 * model (@aws-sdk/client-sns 3.1169, PublishInput.Message documentation, read 2026-11-30).
 */
const MAX_MESSAGE_BYTES = 262_144;

class FakeSns extends FakeAwsService<SNSClient> {
  readonly published: { topicArn: string; message: string; subject?: string }[] = [];
  readonly #topics = new Set<string>();

  constructor(env: AwsEnv) {
    super(env, {
      service: 'sns',
      clientClass: SNSClient,
      exceptionBase: SNSServiceException,
      // SNS (a query-protocol service) sends these codes; the SDK models them as these classes.
      exceptions: { InvalidParameter: InvalidParameterException, NotFound: NotFoundException, Throttled: ThrottledException },
      validationErrorCode: 'ValidationError',
    });
    this.on(PublishCommand, (input, call) => this.#publish(input, call), {
      doc: 'Publishes a message (≤ 256 KiB of UTF-8) to an existing topic.',
      output: ['MessageId'],
    });
  }

  createTopic(name: string): string {
    const arn = `arn:aws:sns:${this.env.region}:${this.env.accountId}:${name}`;
    this.#topics.add(arn);
    return arn;
  }

  override snapshot(): unknown {
    return { published: this.published.length };
  }

  // Wording of SNS's answers as AWS SDKs report them in public issues (read 2026-11-30): "Invalid
  // parameter: TopicArn or TargetArn Reason: no value for required parameter" (sul-dlss/dlme#432);
  // "Invalid parameter: Message too long", code InvalidParameter (wellcomecollection/platform#1460);
  // "Topic does not exist", code NotFound (404, the PublishCommand documentation's NotFoundException);
  // "1 validation error detected: Value null at 'message' …" for a missing Message, code
  // ValidationError, as query-protocol services answer.
  #publish(input: PublishCommand['input'], call: Call) {
    this.checkShape(input, { Message: { type: 'string', required: true }, Subject: { type: 'string', max: 100 } }, call);
    if (!input.TopicArn && !input.TargetArn && !input.PhoneNumber) {
      throw this.error('InvalidParameter', 'Invalid parameter: TopicArn or TargetArn Reason: no value for required parameter', call);
    }
    if (new TextEncoder().encode(input.Message!).length > MAX_MESSAGE_BYTES) {
      throw this.error('InvalidParameter', 'Invalid parameter: Message too long', call);
    }
    if (input.TopicArn && !this.#topics.has(input.TopicArn)) {
      throw this.error('NotFound', 'Topic does not exist', call, { httpStatusCode: 404 });
    }
    this.published.push({ topicArn: input.TopicArn!, message: input.Message!, ...(input.Subject ? { subject: input.Subject } : {}) });
    return { MessageId: `00000000-0000-4000-8000-${String(this.published.length).padStart(12, '0')}` };
  }
}

describe('a new fake service on FakeAwsService', () => {
  it('answers the learner’s own client, traced with the response fields it declared', async () => {
    const env = createAwsEnv({ seed: 1 });
    const sns = new FakeSns(env);
    const topic = sns.createTopic('training-done');
    const learners = new SNSClient({ region: 'us-east-1' });
    const out = await learners.send(new PublishCommand({ TopicArn: topic, Message: 'model v7 trained', Subject: 'done' }));
    expect(out.MessageId).toBe('00000000-0000-4000-8000-000000000001');
    expect(out.$metadata).toMatchObject({ httpStatusCode: 200, attempts: 1 });
    expect(sns.published).toEqual([{ topicArn: topic, message: 'model v7 trained', subject: 'done' }]);
    expect(env.trace.entries.map(({ atMs: _, ...e }) => e)).toEqual([
      {
        service: 'sns',
        operation: 'Publish',
        input: { TopicArn: topic, Message: 'model v7 trained', Subject: 'done' },
        outcome: 'ok',
        httpStatusCode: 200,
        output: { MessageId: '00000000-0000-4000-8000-000000000001' },
      },
    ]);
    expect(sns.operations).toEqual([{ operation: 'Publish', doc: 'Publishes a message (≤ 256 KiB of UTF-8) to an existing topic.' }]);
  });

  it('throws the SDK’s modeled classes, or SNSServiceException for codes it does not model, with $metadata', async () => {
    const env = createAwsEnv({ seed: 1 });
    const sns = new FakeSns(env);
    const client = sns.client();
    const missing = await rejection(client.send(new PublishCommand({ TopicArn: 'arn:aws:sns:us-east-1:111122223333:nope', Message: 'x' })));
    expect(missing).toBeInstanceOf(NotFoundException);
    expect(missing).toMatchObject({ name: 'NotFoundException', message: 'Topic does not exist', $fault: 'client' });
    expect(metadata(missing)).toMatchObject({ httpStatusCode: 404, requestId: expect.stringMatching(/^[0-9A-F]{16}$/) });

    const nowhere = await rejection(client.send(new PublishCommand({ Message: 'x' })));
    expect(nowhere).toBeInstanceOf(InvalidParameterException);
    expect(nowhere.message).toBe('Invalid parameter: TopicArn or TargetArn Reason: no value for required parameter');

    const tooLong = await rejection(client.send(new PublishCommand({ TopicArn: sns.createTopic('t'), Message: 'é'.repeat(MAX_MESSAGE_BYTES / 2 + 1) })));
    expect(tooLong).toBeInstanceOf(InvalidParameterException);
    expect(tooLong.message).toBe('Invalid parameter: Message too long');
  });

  it('refuses a request that breaks the model in AWS’s own validation wording', async () => {
    const env = createAwsEnv({ seed: 1 });
    const sns = new FakeSns(env);
    const error = await rejection(sns.client().send(new PublishCommand({ TopicArn: sns.createTopic('t'), Subject: 's'.repeat(101) } as never)));
    expect(error).toBeInstanceOf(SNSServiceException);
    expect(error.name).toBe('ValidationError');
    expect(error.message).toBe(
      "2 validation errors detected: Value null at 'message' failed to satisfy constraint: Member must not be null; " +
        `Value '${'s'.repeat(101)}' at 'subject' failed to satisfy constraint: Member must have length less than or equal to 100`,
    );
    expect(env.trace.entries[0]).toMatchObject({ operation: 'Publish', outcome: 'ValidationError', httpStatusCode: 400 });
  });

  it('honours injected faults: the modeled ThrottledException, then the call goes through', async () => {
    const env = createAwsEnv({ seed: 1 });
    env.faults.add({ service: 'sns', operation: 'Publish', fault: { name: 'Throttled', httpStatusCode: 429, message: 'Rate exceeded' } });
    const sns = new FakeSns(env);
    const client = sns.client();
    const topic = sns.createTopic('t');
    const throttled = await rejection(client.send(new PublishCommand({ TopicArn: topic, Message: 'x' })));
    expect(throttled).toBeInstanceOf(ThrottledException);
    expect(throttled).toMatchObject({ name: 'ThrottledException', message: 'Rate exceeded', $fault: 'client' });
    expect(metadata(throttled).httpStatusCode).toBe(429);
    expect(sns.published).toEqual([]);
    await client.send(new PublishCommand({ TopicArn: topic, Message: 'x' }));
    expect(sns.published).toHaveLength(1);
    expect(env.trace.entries.map((e) => [e.outcome, e.httpStatusCode])).toEqual([
      ['ThrottledException', 429],
      ['ok', 200],
    ]);
  });
});
