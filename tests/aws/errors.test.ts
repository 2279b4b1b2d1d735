// One rule for every error a fake throws (grader/aws/errors.ts, docs/fakes.md "Errors"): the
// service's exception class as the SDK builds it, with name, message, $fault and $metadata
// (httpStatusCode, requestId); injected faults the same way; HTTP answers from outside the
// SDK's service clients with statusCode and $metadata.httpStatusCode.

import { DescribeInstanceTypesCommand, EC2ServiceException } from '@aws-sdk/client-ec2';
import { IAMServiceException, InvalidInputException, SimulateCustomPolicyCommand } from '@aws-sdk/client-iam';
import { KinesisServiceException, PutRecordsCommand, ResourceNotFoundException } from '@aws-sdk/client-kinesis';
import { GetProductsCommand, NotFoundException, PricingServiceException } from '@aws-sdk/client-pricing';
import { GetObjectCommand, NoSuchKey, S3ServiceException } from '@aws-sdk/client-s3';
import { DescribeTrainingJobCommand, SageMakerServiceException } from '@aws-sdk/client-sagemaker';
import { describe, expect, it } from 'vitest';
import { FakeEc2 } from '../../grader/aws/ec2.ts';
import { createAwsEnv } from '../../grader/aws/env.ts';
import type { AwsEnv, InjectedFault } from '../../grader/aws/env.ts';
import { HttpResponseError } from '../../grader/aws/errors.ts';
import { FakeIAM } from '../../grader/aws/iam.ts';
import { FakeKinesis } from '../../grader/aws/kinesis.ts';
import { FakePricing } from '../../grader/aws/pricing.ts';
import { FakeS3 } from '../../grader/aws/s3.ts';
import { FakeSageMaker } from '../../grader/aws/sagemaker.ts';
import { INSTANCE_ACTION_PATH, MetadataHttpError, SpotSimulator } from '../../labs/spot-checkpointing/spot-simulator.ts';

interface Case {
  service: string;
  base: abstract new (...args: never[]) => Error;
  /** A world, and a call that AWS answers with an error. */
  failing(env: AwsEnv): { send(): Promise<unknown>; operation: string; modeled?: abstract new (...args: never[]) => Error; name: string; status: number };
}

const CASES: Case[] = [
  {
    service: 's3',
    base: S3ServiceException,
    failing: (env) => {
      const s3 = new FakeS3(env);
      s3.createBucket('lake');
      return { send: () => s3.client().send(new GetObjectCommand({ Bucket: 'lake', Key: 'missing' })), operation: 'GetObject', modeled: NoSuchKey, name: 'NoSuchKey', status: 404 };
    },
  },
  {
    service: 'ec2',
    base: EC2ServiceException,
    failing: (env) => {
      const ec2 = new FakeEc2(env, { instanceTypes: [] });
      return { send: () => ec2.client().send(new DescribeInstanceTypesCommand({ MaxResults: 1 })), operation: 'DescribeInstanceTypes', name: 'InvalidParameterValue', status: 400 };
    },
  },
  {
    service: 'pricing',
    base: PricingServiceException,
    failing: (env) => {
      const pricing = new FakePricing(env, { products: [] });
      return { send: () => pricing.client().send(new GetProductsCommand({ ServiceCode: 'AmazonEC2' })), operation: 'GetProducts', modeled: NotFoundException, name: 'NotFoundException', status: 400 };
    },
  },
  {
    service: 'sagemaker',
    base: SageMakerServiceException,
    failing: (env) => {
      const sagemaker = new FakeSageMaker(env);
      return { send: () => sagemaker.client().send(new DescribeTrainingJobCommand({ TrainingJobName: 'nope' })), operation: 'DescribeTrainingJob', name: 'ValidationException', status: 400 };
    },
  },
  {
    service: 'iam',
    base: IAMServiceException,
    failing: (env) => {
      const iam = new FakeIAM(env);
      return {
        send: () => iam.client().send(new SimulateCustomPolicyCommand({ PolicyInputList: ['not json'], ActionNames: ['s3:GetObject'] })),
        operation: 'SimulateCustomPolicy',
        modeled: InvalidInputException,
        name: 'InvalidInputException',
        status: 400,
      };
    },
  },
  {
    service: 'kinesis',
    base: KinesisServiceException,
    failing: (env) => {
      const kinesis = new FakeKinesis(env);
      const Records = [{ PartitionKey: 'u-1', Data: new Uint8Array(2) }];
      return { send: () => kinesis.client().send(new PutRecordsCommand({ StreamName: 'clicks', Records })), operation: 'PutRecords', modeled: ResourceNotFoundException, name: 'ResourceNotFoundException', status: 400 };
    },
  },
];

async function rejection(promise: Promise<unknown>): Promise<Error & Record<string, unknown>> {
  try {
    await promise;
  } catch (error) {
    return error as Error & Record<string, unknown>;
  }
  throw new Error('expected the call to fail, but it succeeded');
}

/** The rule, checked field by field. */
function expectSdkShaped(error: Error & Record<string, unknown>, expected: { base: Case['base']; name: string; status: number; fault: 'client' | 'server' }): void {
  expect(error).toBeInstanceOf(expected.base);
  expect(error.name).toBe(expected.name);
  expect(error.message).toEqual(expect.any(String));
  expect(error.message.length).toBeGreaterThan(0);
  expect(error.$fault).toBe(expected.fault);
  expect(error.$metadata).toEqual({
    httpStatusCode: expected.status,
    requestId: expect.stringMatching(/^[0-9A-F]{16}$/),
    extendedRequestId: error.$metadata && (error.$metadata as { extendedRequestId?: string }).extendedRequestId,
    cfId: undefined,
    attempts: 1,
    totalRetryDelay: 0,
  });
}

describe.each(CASES)('errors of the fake $service', ({ service, base, failing }) => {
  it('an answer from the service is its SDK exception, with name, message, $fault and $metadata', async () => {
    const env = createAwsEnv({ seed: 1 });
    const call = failing(env);
    const error = await rejection(call.send());
    expectSdkShaped(error, { base, name: call.name, status: call.status, fault: 'client' });
    if (call.modeled) expect(error).toBeInstanceOf(call.modeled);
    expect(env.trace.entries.at(-1)).toMatchObject({ service, operation: call.operation, outcome: call.name, httpStatusCode: call.status });
  });

  it('an injected fault is built the same way, as a 5xx server fault', async () => {
    const env = createAwsEnv({ seed: 1 });
    const fault: InjectedFault = { name: 'InternalFailure', httpStatusCode: 500, message: 'We encountered an internal error.' };
    const call = failing(env);
    env.faults.add({ service, operation: call.operation, fault });
    const error = await rejection(call.send());
    expectSdkShaped(error, { base, name: 'InternalFailure', status: 500, fault: 'server' });
    expect(error.message).toBe('We encountered an internal error.');
  });
});

describe('HTTP errors from outside the SDK’s service clients', () => {
  it('carry statusCode (as @smithy/credential-provider-imds sets it) and $metadata.httpStatusCode (as @aws-sdk/ec2-metadata-service does)', () => {
    const error = new HttpResponseError(404, '404 Not Found: GET /latest/meta-data/spot/instance-action');
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({ name: 'HttpResponseError', statusCode: 404, $fault: 'client', $metadata: { httpStatusCode: 404 } });
  });

  it('the Spot simulator’s instance metadata 404 follows the rule', async () => {
    const env = createAwsEnv({ seed: 1 });
    const scenario = { name: 'no-notice', totalEpochs: 1, epochSeconds: 60, interruptions: [], bucket: 'ckpt-bucket', checkpointPrefix: 'checkpoints/job-1/', seed: 1 };
    const sim = new SpotSimulator({ env, s3: new FakeS3(env), scenario });
    let seen: unknown;
    await sim.run(async (training) => {
      try {
        await training.metadata(INSTANCE_ACTION_PATH);
      } catch (error) {
        seen = error;
      }
      return training.trainEpoch(training.initialState());
    });
    expect(seen).toBeInstanceOf(MetadataHttpError);
    expect(seen).toBeInstanceOf(HttpResponseError);
    expect(seen).toMatchObject({ name: 'MetadataHttpError', statusCode: 404, status: 404, $fault: 'client', $metadata: { httpStatusCode: 404 } });
  });
});
