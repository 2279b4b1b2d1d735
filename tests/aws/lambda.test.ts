// The fake Lambda through the real LambdaClient: Invoke runs a registered handler, JSON in and
// out; a thrown error is a function error, not an API error; names, ARNs and partial ARNs; the
// payload limits (Lambda API Reference, Invoke, read 2026-11-30).

import { InvalidRequestContentException, InvokeCommand, RequestTooLargeException, ResourceNotFoundException } from '@aws-sdk/client-lambda';
import { describe, expect, it } from 'vitest';
import { createAwsEnv } from '../../grader/aws/env.ts';
import { FakeLambda } from '../../grader/aws/lambda.ts';

function world() {
  const env = createAwsEnv({ seed: 1 });
  const lambda = new FakeLambda(env);
  const arn = lambda.createFunction('evaluate', (event) => ({ got: event, accuracy: 0.9 }));
  lambda.createFunction('broken', () => {
    throw new TypeError('no model');
  });
  return { lambda, arn, client: lambda.client() };
}

const text = (payload: { transformToString(): string } | undefined) => JSON.parse(payload!.transformToString()) as unknown;

describe('FakeLambda', () => {
  it('invokes by name, ARN and partial ARN, JSON in and out', async () => {
    const { client, arn } = world();
    for (const FunctionName of ['evaluate', arn, '111122223333:function:evaluate', `${arn}:$LATEST`]) {
      const out = await client.send(new InvokeCommand({ FunctionName, Payload: JSON.stringify({ k: 1 }) }));
      expect(out.StatusCode, FunctionName).toBe(200);
      expect(text(out.Payload)).toEqual({ got: { k: 1 }, accuracy: 0.9 });
    }
  });

  it('answers a thrown error as a function error: 200, FunctionError Unhandled, errorType and errorMessage', async () => {
    const { client, lambda } = world();
    const out = await client.send(new InvokeCommand({ FunctionName: 'broken', Payload: '{}' }));
    expect(out).toMatchObject({ StatusCode: 200, FunctionError: 'Unhandled' });
    expect(text(out.Payload)).toMatchObject({ errorType: 'TypeError', errorMessage: 'no model' });
    expect(lambda.invocations('broken')).toHaveLength(1);
  });

  it('refuses an unknown function (404), a function of another account, a payload that is not JSON, and one over 6 MB', async () => {
    const { client } = world();
    await expect(client.send(new InvokeCommand({ FunctionName: 'nope' }))).rejects.toBeInstanceOf(ResourceNotFoundException);
    await expect(client.send(new InvokeCommand({ FunctionName: 'arn:aws:lambda:us-east-1:999999999999:function:evaluate' }))).rejects.toBeInstanceOf(ResourceNotFoundException);
    await expect(client.send(new InvokeCommand({ FunctionName: 'evaluate', Payload: '{oops' }))).rejects.toBeInstanceOf(InvalidRequestContentException);
    const big = JSON.stringify('x'.repeat(6 * 1024 * 1024));
    await expect(client.send(new InvokeCommand({ FunctionName: 'evaluate', Payload: big }))).rejects.toBeInstanceOf(RequestTooLargeException);
  });

  it('accepts an Event invocation with 202 and runs it after the call returns', async () => {
    const { client, lambda } = world();
    const out = await client.send(new InvokeCommand({ FunctionName: 'evaluate', InvocationType: 'Event', Payload: '{}' }));
    expect(out.StatusCode).toBe(202);
    await Promise.resolve();
    expect(lambda.invocations('evaluate')).toEqual([expect.objectContaining({ invocationType: 'Event' })]);
  });
});
