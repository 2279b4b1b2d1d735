// The fake SageMaker as a learner's code sees it through the real SageMakerClient: requests
// refused exactly when the service would refuse them, with its error names and meaning, and
// training jobs whose life (and bill) follows the simulated clock.

import {
  CreateTrainingJobCommand,
  DescribeTrainingJobCommand,
  ResourceInUse,
  SageMakerClient,
  SageMakerServiceException,
  StopTrainingJobCommand,
} from '@aws-sdk/client-sagemaker';
import type { CreateTrainingJobCommandInput } from '@aws-sdk/client-sagemaker';
import * as esbuild from 'esbuild';
import { describe, expect, it } from 'vitest';
import { createAwsEnv } from '../../grader/aws/env.ts';
import { FakeSageMaker, validateCreateTrainingJob } from '../../grader/aws/sagemaker.ts';

function spotRequest(overrides: Partial<CreateTrainingJobCommandInput> = {}): CreateTrainingJobCommandInput {
  return {
    TrainingJobName: 'resnet-42',
    RoleArn: 'arn:aws:iam::111122223333:role/SageMakerExecution',
    AlgorithmSpecification: { TrainingImage: '111122223333.dkr.ecr.us-east-1.amazonaws.com/train:1', TrainingInputMode: 'File' },
    ResourceConfig: { InstanceType: 'ml.g5.xlarge', InstanceCount: 1, VolumeSizeInGB: 50 },
    OutputDataConfig: { S3OutputPath: 's3://acme-ml-training/output/' },
    EnableManagedSpotTraining: true,
    StoppingCondition: { MaxRuntimeInSeconds: 7200, MaxWaitTimeInSeconds: 14400 },
    CheckpointConfig: { S3Uri: 's3://acme-ml-training/checkpoints/resnet-42/', LocalPath: '/opt/ml/checkpoints' },
    ...overrides,
  };
}

function world(seed = 1) {
  const env = createAwsEnv({ seed });
  const sagemaker = new FakeSageMaker(env);
  return { env, sagemaker, client: sagemaker.client() };
}

async function refusal(client: SageMakerClient, request: CreateTrainingJobCommandInput): Promise<Error & { $metadata: { httpStatusCode: number } }> {
  try {
    await client.send(new CreateTrainingJobCommand(request));
  } catch (error) {
    return error as Error & { $metadata: { httpStatusCode: number } };
  }
  throw new Error('expected SageMaker to refuse the request');
}

describe('CreateTrainingJob validation', () => {
  it('accepts a complete managed Spot request and returns the job ARN', async () => {
    const { client, env } = world();
    const out = await client.send(new CreateTrainingJobCommand(spotRequest()));
    expect(out.TrainingJobArn).toBe('arn:aws:sagemaker:us-east-1:111122223333:training-job/resnet-42');
    expect(out.$metadata.httpStatusCode).toBe(200);
    expect(env.trace.calls('sagemaker', 'CreateTrainingJob')).toMatchObject([{ outcome: 'ok', httpStatusCode: 200 }]);
  });

  it('refuses MaxWaitTimeInSeconds below MaxRuntimeInSeconds with a ValidationException', async () => {
    const { client, env } = world();
    const error = await refusal(client, spotRequest({ StoppingCondition: { MaxRuntimeInSeconds: 7200, MaxWaitTimeInSeconds: 3600 } }));
    expect(error).toBeInstanceOf(SageMakerServiceException);
    expect(error.name).toBe('ValidationException');
    expect(error.$metadata.httpStatusCode).toBe(400);
    expect(error.message).toMatch(/^Invalid MaxWaitTimeInSeconds\. It must be present and be greater than or equal to MaxRuntimeInSeconds/);
    expect(env.trace.calls('sagemaker')).toMatchObject([{ outcome: 'ValidationException', httpStatusCode: 400 }]);
  });

  it('accepts MaxWait equal to MaxRuntime, and refuses managed Spot without MaxWait', async () => {
    const { client } = world();
    await client.send(new CreateTrainingJobCommand(spotRequest({ StoppingCondition: { MaxRuntimeInSeconds: 3600, MaxWaitTimeInSeconds: 3600 } })));
    const error = await refusal(client, spotRequest({ TrainingJobName: 'other', StoppingCondition: { MaxRuntimeInSeconds: 3600 } }));
    expect(error.message).toContain('It must be present');
  });

  it('refuses MaxWaitTimeInSeconds on a job that is not managed Spot, in the service\'s own words', async () => {
    const { client } = world();
    const error = await refusal(client, spotRequest({ EnableManagedSpotTraining: undefined }));
    expect(error.message).toBe('Invalid MaxWaitTimeInSeconds. It is only supported when EnableManagedSpotTraining is set to true');
  });

  it('reports every structural problem at once, as AWS does, with member paths and constraints', async () => {
    const { client } = world();
    const error = await refusal(client, spotRequest({ TrainingJobName: 'my_job', RoleArn: undefined, ResourceConfig: { InstanceType: 'g5.xlarge' as never, InstanceCount: 1, VolumeSizeInGB: 0 } }));
    expect(error.name).toBe('ValidationException');
    expect(error.message).toMatch(/^4 validation errors detected: /);
    expect(error.message).toContain("Value 'my_job' at 'trainingJobName' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}");
    expect(error.message).toContain("Value null at 'roleArn' failed to satisfy constraint: Member must not be null");
    expect(error.message).toContain("Value 'g5.xlarge' at 'resourceConfig.instanceType' failed to satisfy constraint: Member must satisfy enum value set: [");
    expect(error.message).toContain("Value '0' at 'resourceConfig.volumeSizeInGB' failed to satisfy constraint: Member must have value greater than or equal to 1");
  });

  it.each([
    ['a name of 64 characters', { TrainingJobName: 'a'.repeat(64) }, "at 'trainingJobName' failed to satisfy constraint: Member must have length less than or equal to 63"],
    ['a name ending in a hyphen', { TrainingJobName: 'resnet-' }, "at 'trainingJobName' failed to satisfy constraint: Member must satisfy regular expression pattern"],
    ['a role that is not a role ARN', { RoleArn: 'arn:aws:iam::111122223333:user/alice' }, "at 'roleArn' failed to satisfy constraint: Member must satisfy regular expression pattern"],
    ['a checkpoint URI that is not s3:// or https://', { CheckpointConfig: { S3Uri: 'acme-ml-training/checkpoints/' } }, "at 'checkpointConfig.s3Uri' failed to satisfy constraint"],
    ['an output path that is not a URI', { OutputDataConfig: { S3OutputPath: 'output/' } }, "at 'outputDataConfig.s3OutputPath' failed to satisfy constraint"],
    ['no input mode', { AlgorithmSpecification: { TrainingImage: 'img' } as never }, "Value null at 'algorithmSpecification.trainingInputMode' failed to satisfy constraint: Member must not be null"],
    ['an unknown input mode', { AlgorithmSpecification: { TrainingImage: 'img', TrainingInputMode: 'Stream' as never } }, 'Member must satisfy enum value set: [FastFile, File, Pipe]'],
    ['no volume size', { ResourceConfig: { InstanceType: 'ml.g5.xlarge', InstanceCount: 1 } }, "Value null at 'resourceConfig.volumeSizeInGB'"],
    ['no stopping condition', { StoppingCondition: undefined }, "Value null at 'stoppingCondition' failed to satisfy constraint: Member must not be null"],
    ['a zero runtime', { StoppingCondition: { MaxRuntimeInSeconds: 0, MaxWaitTimeInSeconds: 10 } }, "at 'stoppingCondition.maxRuntimeInSeconds' failed to satisfy constraint: Member must have value greater than or equal to 1"],
    ['neither image nor algorithm name', { AlgorithmSpecification: { TrainingInputMode: 'File' } }, 'Either AlgorithmName or TrainingImage must be specified'],
    ['no instance count', { ResourceConfig: { InstanceType: 'ml.g5.xlarge', VolumeSizeInGB: 10 } }, 'InstanceCount must be at least 1'],
    ['more than 28 days of runtime', { StoppingCondition: { MaxRuntimeInSeconds: 28 * 86400 + 1, MaxWaitTimeInSeconds: 60 * 86400 } }, 'It must be less than or equal to 2419200 seconds'],
  ] as [string, Partial<CreateTrainingJobCommandInput>, string][])('refuses %s', async (_what, overrides, expected) => {
    const { client } = world();
    const error = await refusal(client, spotRequest(overrides));
    expect(error.name).toBe('ValidationException');
    expect(error.message).toContain(expected);
  });

  it('answers a fractional number of seconds as the JSON protocol does: a SerializationException', () => {
    expect(() => validateCreateTrainingJob(spotRequest({ StoppingCondition: { MaxRuntimeInSeconds: 360.5, MaxWaitTimeInSeconds: 720 } }))).toThrow(
      expect.objectContaining({ code: 'SerializationException' }),
    );
  });

  it('refuses a second job with the same name (case-insensitively) with ResourceInUse', async () => {
    const { client } = world();
    await client.send(new CreateTrainingJobCommand(spotRequest()));
    const error = await refusal(client, spotRequest({ TrainingJobName: 'ResNet-42' }));
    expect(error).toBeInstanceOf(ResourceInUse);
    expect(error.name).toBe('ResourceInUse');
    expect(error.message).toContain('a training job with this name already exists (arn:aws:sagemaker:us-east-1:111122223333:training-job/resnet-42)');
  });

  it('keeps its own copy of the request: changing the object afterwards changes nothing', async () => {
    const { client, sagemaker } = world();
    const request = spotRequest();
    await client.send(new CreateTrainingJobCommand(request));
    request.StoppingCondition!.MaxRuntimeInSeconds = 1;
    expect(sagemaker.job('resnet-42')!.request.StoppingCondition!.MaxRuntimeInSeconds).toBe(7200);
  });
});

describe('DescribeTrainingJob', () => {
  it('answers an unknown job with ValidationException "Requested resource not found."', async () => {
    const { client } = world();
    await expect(client.send(new DescribeTrainingJobCommand({ TrainingJobName: 'nope' }))).rejects.toMatchObject({
      name: 'ValidationException',
      message: 'Requested resource not found.',
      $metadata: { httpStatusCode: 400 },
    });
  });

  it('follows the simulated clock: InProgress, then Completed with training and billable time', async () => {
    const { client, env } = world();
    await client.send(new CreateTrainingJobCommand(spotRequest()));
    const early = await client.send(new DescribeTrainingJobCommand({ TrainingJobName: 'resnet-42' }));
    expect(early).toMatchObject({ TrainingJobStatus: 'InProgress', SecondaryStatus: 'Starting', EnableManagedSpotTraining: true });
    expect(early.TrainingTimeInSeconds).toBeUndefined();
    env.clock.advance(6 * 3600_000);
    const done = await client.send(new DescribeTrainingJobCommand({ TrainingJobName: 'resnet-42' }));
    expect(done.TrainingJobStatus).toBe('Completed');
    expect(done.SecondaryStatusTransitions!.map((t) => t.Status)).toEqual([
      'Starting', 'Downloading', 'Training', 'Interrupted', 'Restarting', 'Downloading', 'Training', 'Uploading', 'Completed',
    ]);
    // Managed Spot: billed for less than it trained, the saving SageMaker's formula reports.
    expect(done.TrainingTimeInSeconds).toBe(4320);
    expect(done.BillableTimeInSeconds).toBe(1296);
    expect(done.ModelArtifacts!.S3ModelArtifacts).toBe('s3://acme-ml-training/output/resnet-42/output/model.tar.gz');
    expect(done.CheckpointConfig).toEqual({ S3Uri: 's3://acme-ml-training/checkpoints/resnet-42/', LocalPath: '/opt/ml/checkpoints' });
  });

  it('bills on-demand jobs for every second they train', async () => {
    const { client, env } = world();
    await client.send(new CreateTrainingJobCommand(spotRequest({ EnableManagedSpotTraining: false, StoppingCondition: { MaxRuntimeInSeconds: 7200 } })));
    env.clock.advance(6 * 3600_000);
    const done = await client.send(new DescribeTrainingJobCommand({ TrainingJobName: 'resnet-42' }));
    expect(done.TrainingJobStatus).toBe('Completed');
    expect(done.BillableTimeInSeconds).toBe(done.TrainingTimeInSeconds);
    expect(done.SecondaryStatusTransitions!.some((t) => t.Status === 'Interrupted')).toBe(false);
  });

  it('without CheckpointConfig a reclaimed Spot job starts over, and can run out of MaxRuntime', async () => {
    const { client, env } = world();
    await client.send(new CreateTrainingJobCommand(spotRequest({ CheckpointConfig: undefined, StoppingCondition: { MaxRuntimeInSeconds: 5400, MaxWaitTimeInSeconds: 10800 } })));
    env.clock.advance(6 * 3600_000);
    const done = await client.send(new DescribeTrainingJobCommand({ TrainingJobName: 'resnet-42' }));
    expect(done).toMatchObject({ TrainingJobStatus: 'Stopped', SecondaryStatus: 'MaxRuntimeExceeded', TrainingTimeInSeconds: 5400 });
    expect(done.FailureReason).toContain('MaxRuntimeInSeconds (5400 s)');
  });

  it('stops a Spot job that cannot finish within MaxWaitTimeInSeconds', async () => {
    const env = createAwsEnv({ seed: 1 });
    const client = new FakeSageMaker(env, { plan: () => ({ spotCapacityWaitSeconds: 4000 }) }).client();
    await client.send(new CreateTrainingJobCommand(spotRequest({ StoppingCondition: { MaxRuntimeInSeconds: 3600, MaxWaitTimeInSeconds: 3600 } })));
    env.clock.advance(6 * 3600_000);
    const done = await client.send(new DescribeTrainingJobCommand({ TrainingJobName: 'resnet-42' }));
    expect(done).toMatchObject({ TrainingJobStatus: 'Stopped', SecondaryStatus: 'MaxWaitTimeExceeded' });
  });

  it('ends a job that fails as Failed with its FailureReason, at the time the plan says', async () => {
    const env = createAwsEnv({ seed: 1 });
    const sagemaker = new FakeSageMaker(env, { plan: () => ({ failure: { afterTrainingSeconds: 600, reason: 'AlgorithmError: label column not found' } }) });
    const client = sagemaker.client();
    await client.send(new CreateTrainingJobCommand(spotRequest({ EnableManagedSpotTraining: false, StoppingCondition: { MaxRuntimeInSeconds: 7200 } })));
    const end = sagemaker.jobEnd('resnet-42')!;
    env.clock.advance(end.getTime() - env.clock.now().getTime() - 1000);
    expect((await client.send(new DescribeTrainingJobCommand({ TrainingJobName: 'resnet-42' }))).TrainingJobStatus).toBe('InProgress');
    env.clock.advance(1000);
    const done = await client.send(new DescribeTrainingJobCommand({ TrainingJobName: 'resnet-42' }));
    expect(done).toMatchObject({ TrainingJobStatus: 'Failed', FailureReason: 'AlgorithmError: label column not found' });
    expect(done.ModelArtifacts?.S3ModelArtifacts).toBeUndefined();
  });
});

describe('StopTrainingJob', () => {
  it('stops a job in progress, and refuses one that has ended', async () => {
    const { client, env } = world();
    await client.send(new CreateTrainingJobCommand(spotRequest()));
    env.clock.advance(600_000);
    await client.send(new StopTrainingJobCommand({ TrainingJobName: 'resnet-42' }));
    env.clock.advance(60_000);
    const stopped = await client.send(new DescribeTrainingJobCommand({ TrainingJobName: 'resnet-42' }));
    expect(stopped).toMatchObject({ TrainingJobStatus: 'Stopped', SecondaryStatus: 'Stopped' });
    await expect(client.send(new StopTrainingJobCommand({ TrainingJobName: 'resnet-42' }))).rejects.toMatchObject({ name: 'ValidationException' });
  });
});

describe('worlds and the browser', () => {
  it('keeps two worlds apart, and a client the learner builds lands in the newest world', async () => {
    const first = world();
    await first.client.send(new CreateTrainingJobCommand(spotRequest()));
    const second = world();
    await second.client.send(new CreateTrainingJobCommand(spotRequest()));
    const own = new SageMakerClient({ region: 'us-east-1' });
    await own.send(new CreateTrainingJobCommand(spotRequest({ TrainingJobName: 'mine' })));
    expect(first.sagemaker.jobs().map((j) => j.name)).toEqual(['resnet-42']);
    expect(second.sagemaker.jobs().map((j) => j.name)).toEqual(['resnet-42', 'mine']);
  });

  it('bundles for the browser with no Node-only dependency', async () => {
    const result = await esbuild.build({
      entryPoints: ['grader/aws/sagemaker.ts'],
      bundle: true,
      platform: 'browser',
      format: 'esm',
      write: false,
      logLevel: 'silent',
    });
    expect(result.errors).toEqual([]);
    expect(result.outputFiles[0]!.text).not.toMatch(/from ["']node:/);
  });
});
