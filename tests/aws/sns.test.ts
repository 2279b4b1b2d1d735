// The fake SNS through the real SNSClient: Publish to a topic the lab created, with SNS's limits
// and its query-protocol errors (Amazon SNS API Reference, Publish, read 2026-11-30).

import { InvalidParameterException, NotFoundException, PublishCommand } from '@aws-sdk/client-sns';
import { describe, expect, it } from 'vitest';
import { createAwsEnv } from '../../grader/aws/env.ts';
import { FakeSns } from '../../grader/aws/sns.ts';

function world() {
  const env = createAwsEnv({ seed: 1 });
  const sns = new FakeSns(env);
  return { sns, topic: sns.createTopic('ml-pipeline-events'), client: sns.client() };
}

describe('FakeSns', () => {
  it('publishes to a topic and answers a MessageId', async () => {
    const { sns, topic, client } = world();
    const out = await client.send(new PublishCommand({ TopicArn: topic, Subject: 'Model deployed', Message: 'churn is live' }));
    expect(out.MessageId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(sns.published(topic)).toEqual([expect.objectContaining({ subject: 'Model deployed', message: 'churn is live', messageId: out.MessageId })]);
  });

  it('answers NotFound (404) for a topic that does not exist', async () => {
    const { client } = world();
    const error = await client.send(new PublishCommand({ TopicArn: 'arn:aws:sns:us-east-1:111122223333:nope', Message: 'x' })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotFoundException);
    expect((error as { $metadata: { httpStatusCode: number } }).$metadata.httpStatusCode).toBe(404);
  });

  it('refuses a message over 256 KB, a Subject of 100 characters or with a line break, and no target', async () => {
    const { topic, client } = world();
    await expect(client.send(new PublishCommand({ TopicArn: topic, Message: 'x'.repeat(262_145) }))).rejects.toBeInstanceOf(InvalidParameterException);
    await expect(client.send(new PublishCommand({ TopicArn: topic, Message: 'x', Subject: 's'.repeat(100) }))).rejects.toBeInstanceOf(InvalidParameterException);
    await expect(client.send(new PublishCommand({ TopicArn: topic, Message: 'x', Subject: 'two\nlines' }))).rejects.toBeInstanceOf(InvalidParameterException);
    await expect(client.send(new PublishCommand({ Message: 'x' }))).rejects.toBeInstanceOf(InvalidParameterException);
    await expect(client.send(new PublishCommand({ TopicArn: topic, Message: 'x'.repeat(262_144) }))).resolves.toMatchObject({ MessageId: expect.any(String) });
  });

  it('needs a default entry when MessageStructure is json', async () => {
    const { topic, client } = world();
    await expect(client.send(new PublishCommand({ TopicArn: topic, MessageStructure: 'json', Message: '{"email":"x"}' }))).rejects.toThrow(/No default entry/);
    await expect(client.send(new PublishCommand({ TopicArn: topic, MessageStructure: 'json', Message: '{"default":"x"}' }))).resolves.toBeDefined();
  });
});
