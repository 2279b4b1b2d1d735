// The fake Application Auto Scaling as a learner's code sees it through the real
// ApplicationAutoScalingClient, held to the API Reference: scalable targets of resources that
// exist, in the shape their dimension requires; Min and Max on a new target, Min ≤ Max;
// policies only on registered targets, with a metric the dimension supports; paging with
// opaque tokens; errors as the SDK's own classes.

import {
  ApplicationAutoScalingClient,
  ApplicationAutoScalingServiceException,
  DeleteScalingPolicyCommand,
  DeregisterScalableTargetCommand,
  DescribeScalableTargetsCommand,
  DescribeScalingPoliciesCommand,
  InvalidNextTokenException,
  LimitExceededException,
  ObjectNotFoundException,
  PutScalingPolicyCommand,
  RegisterScalableTargetCommand,
  ValidationException,
} from '@aws-sdk/client-application-auto-scaling';
import type { PutScalingPolicyCommandInput, RegisterScalableTargetCommandInput } from '@aws-sdk/client-application-auto-scaling';
import { describe, expect, it } from 'vitest';
import { FakeApplicationAutoScaling, MAX_POLICIES_PER_TARGET } from '../../grader/aws/application-auto-scaling.ts';
import { Faults, createAwsEnv } from '../../grader/aws/env.ts';

const RESOURCE = 'endpoint/recs/variant/AllTraffic';
const DIMENSION = 'sagemaker:variant:DesiredInstanceCount';

function world() {
  const env = createAwsEnv({ seed: 1 });
  const aas = new FakeApplicationAutoScaling(env);
  aas.addSageMakerVariant({ endpointName: 'recs', variantName: 'AllTraffic', instanceType: 'ml.c5.xlarge', instanceCount: 1 });
  return { env, aas, client: aas.client() };
}

const register = (overrides: Partial<RegisterScalableTargetCommandInput> = {}): RegisterScalableTargetCommandInput => ({
  ServiceNamespace: 'sagemaker',
  ResourceId: RESOURCE,
  ScalableDimension: DIMENSION,
  MinCapacity: 1,
  MaxCapacity: 4,
  ...overrides,
});

const policy = (overrides: Partial<PutScalingPolicyCommandInput> = {}): PutScalingPolicyCommandInput => ({
  PolicyName: 'invocations',
  ServiceNamespace: 'sagemaker',
  ResourceId: RESOURCE,
  ScalableDimension: DIMENSION,
  PolicyType: 'TargetTrackingScaling',
  TargetTrackingScalingPolicyConfiguration: {
    TargetValue: 1200,
    PredefinedMetricSpecification: { PredefinedMetricType: 'SageMakerVariantInvocationsPerInstance' },
    ScaleOutCooldown: 60,
    ScaleInCooldown: 600,
  },
  ...overrides,
});

type AwsError = Error & { $metadata: { httpStatusCode: number }; $fault: string };

async function refusal(promise: Promise<unknown>): Promise<AwsError> {
  try {
    await promise;
  } catch (error) {
    return error as AwsError;
  }
  throw new Error('expected Application Auto Scaling to refuse the request');
}

describe('RegisterScalableTarget', () => {
  it('registers a SageMaker variant and answers with the target ARN; Describe shows it with the service-linked role', async () => {
    const { client, aas, env } = world();
    const out = await client.send(new RegisterScalableTargetCommand(register()));
    expect(out.ScalableTargetARN).toMatch(/^arn:aws:application-autoscaling:us-east-1:111122223333:scalable-target\/[0-9a-f]+$/);
    const { ScalableTargets } = await client.send(new DescribeScalableTargetsCommand({ ServiceNamespace: 'sagemaker' }));
    expect(ScalableTargets).toMatchObject([
      {
        ResourceId: RESOURCE,
        ScalableDimension: DIMENSION,
        MinCapacity: 1,
        MaxCapacity: 4,
        RoleARN: 'arn:aws:iam::111122223333:role/aws-service-role/sagemaker.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_SageMakerEndpoint',
        SuspendedState: { DynamicScalingInSuspended: false, DynamicScalingOutSuspended: false, ScheduledScalingSuspended: false },
      },
    ]);
    expect(aas.target('sagemaker', RESOURCE, DIMENSION)).toMatchObject({ minCapacity: 1, maxCapacity: 4 });
    expect(env.trace.calls('application-autoscaling', 'RegisterScalableTarget')).toMatchObject([{ outcome: 'ok', httpStatusCode: 200 }]);
  });

  it('refuses a resource ID that is not shaped endpoint/<name>/variant/<name>, or a dimension of another namespace, in AWS\'s words', async () => {
    const { client } = world();
    for (const bad of [
      register({ ResourceId: 'recs/AllTraffic' }),
      register({ ResourceId: 'endpoint/recs' }),
      register({ ResourceId: 'variant/AllTraffic' }),
      register({ ScalableDimension: 'ecs:service:DesiredCount' }),
    ]) {
      const error = await refusal(client.send(new RegisterScalableTargetCommand(bad)));
      expect(error).toBeInstanceOf(ValidationException);
      expect(error.message).toBe('Unsupported service namespace, resource type or scalable dimension');
      expect(error.$metadata.httpStatusCode).toBe(400);
    }
  });

  it('refuses a variant that does not exist', async () => {
    const { client } = world();
    const error = await refusal(client.send(new RegisterScalableTargetCommand(register({ ResourceId: 'endpoint/recs/variant/Canary' }))));
    expect(error).toBeInstanceOf(ValidationException);
    expect(error.message).toContain('endpoint/recs/variant/Canary');
  });

  it('needs MinCapacity and MaxCapacity for a new target, not for an update, which changes only what it names', async () => {
    const { client, aas } = world();
    const error = await refusal(client.send(new RegisterScalableTargetCommand(register({ MaxCapacity: undefined }))));
    expect(error.message).toMatch(/MinCapacity and MaxCapacity are required when registering a new scalable target/);
    await client.send(new RegisterScalableTargetCommand(register()));
    await client.send(new RegisterScalableTargetCommand(register({ MinCapacity: undefined, MaxCapacity: 9 })));
    expect(aas.target('sagemaker', RESOURCE, DIMENSION)).toMatchObject({ minCapacity: 1, maxCapacity: 9 });
  });

  it('refuses Min above Max, also when an update would leave them so', async () => {
    const { client } = world();
    expect((await refusal(client.send(new RegisterScalableTargetCommand(register({ MinCapacity: 5, MaxCapacity: 2 }))))).message).toMatch(
      /Minimum capacity \(5\) cannot be greater than maximum capacity \(2\)/,
    );
    await client.send(new RegisterScalableTargetCommand(register({ MinCapacity: 2, MaxCapacity: 4 })));
    expect((await refusal(client.send(new RegisterScalableTargetCommand(register({ MinCapacity: undefined, MaxCapacity: 1 }))))).message).toMatch(
      /cannot be greater than maximum capacity \(1\)/,
    );
  });

  it('accepts MinCapacity 0 on a SageMaker variant, as the API reference allows', async () => {
    const { client, aas } = world();
    await client.send(new RegisterScalableTargetCommand(register({ MinCapacity: 0 })));
    expect(aas.target('sagemaker', RESOURCE, DIMENSION)?.minCapacity).toBe(0);
  });

  it('refuses a variant on a burstable instance', async () => {
    const { client, aas } = world();
    aas.addSageMakerVariant({ endpointName: 'dev', variantName: 'AllTraffic', instanceType: 'ml.t2.medium', instanceCount: 1 });
    const error = await refusal(client.send(new RegisterScalableTargetCommand(register({ ResourceId: 'endpoint/dev/variant/AllTraffic' }))));
    expect(error.message).toMatch(/burstable instance type ml\.t2\.medium/);
  });

  it('validates members as the service model declares them: enums, required members, integers', async () => {
    const { client } = world();
    const error = await refusal(
      client.send(new RegisterScalableTargetCommand({ ServiceNamespace: 'SageMaker' as never, ResourceId: RESOURCE, ScalableDimension: undefined as never, MinCapacity: 1, MaxCapacity: 2 })),
    );
    expect(error.name).toBe('ValidationException');
    expect(error.message).toMatch(/^2 validation errors detected: Value 'SageMaker' at 'serviceNamespace' failed to satisfy constraint: Member must satisfy enum value set: \[/);
    expect(error.message).toContain("Value null at 'scalableDimension' failed to satisfy constraint: Member must not be null");
    const fractional = await refusal(client.send(new RegisterScalableTargetCommand(register({ MaxCapacity: 2.5 }))));
    expect(fractional.name).toBe('SerializationException');
  });
});

describe('PutScalingPolicy', () => {
  it('refuses a policy on a target that is not registered, with ObjectNotFoundException in AWS\'s words', async () => {
    const { client } = world();
    const error = await refusal(client.send(new PutScalingPolicyCommand(policy())));
    expect(error).toBeInstanceOf(ObjectNotFoundException);
    expect(error.message).toBe(`No scalable target registered for service namespace: sagemaker, resource ID: ${RESOURCE}, scalable dimension: ${DIMENSION}`);
  });

  it('creates a target tracking policy and answers with its ARN and the two alarms AWS creates', async () => {
    const { client, aas } = world();
    await client.send(new RegisterScalableTargetCommand(register()));
    const out = await client.send(new PutScalingPolicyCommand(policy()));
    expect(out.PolicyARN).toMatch(/^arn:aws:autoscaling:us-east-1:111122223333:scalingPolicy:[0-9a-f-]{36}:resource\/sagemaker\/endpoint\/recs\/variant\/AllTraffic:policyName\/invocations$/);
    expect(out.Alarms?.map((a) => a.AlarmName)).toEqual([
      expect.stringMatching(/^TargetTracking-endpoint\/recs\/variant\/AllTraffic-AlarmHigh-/),
      expect.stringMatching(/^TargetTracking-endpoint\/recs\/variant\/AllTraffic-AlarmLow-/),
    ]);
    expect(aas.policies()).toMatchObject([{ policyName: 'invocations', policyType: 'TargetTrackingScaling', targetTracking: { TargetValue: 1200, ScaleInCooldown: 600 } }]);
  });

  it('replaces a policy of the same name, keeping its ARN', async () => {
    const { client, aas } = world();
    await client.send(new RegisterScalableTargetCommand(register()));
    const first = await client.send(new PutScalingPolicyCommand(policy()));
    const second = await client.send(
      new PutScalingPolicyCommand(policy({ TargetTrackingScalingPolicyConfiguration: { TargetValue: 900, PredefinedMetricSpecification: { PredefinedMetricType: 'SageMakerVariantInvocationsPerInstance' } } })),
    );
    expect(second.PolicyARN).toBe(first.PolicyARN);
    expect(aas.policies().map((p) => p.targetTracking?.TargetValue)).toEqual([900]);
  });

  it('refuses a predefined metric the SageMaker variant dimension does not support', async () => {
    const { client } = world();
    await client.send(new RegisterScalableTargetCommand(register()));
    const error = await refusal(
      client.send(new PutScalingPolicyCommand(policy({ TargetTrackingScalingPolicyConfiguration: { TargetValue: 70, PredefinedMetricSpecification: { PredefinedMetricType: 'ECSServiceAverageCPUUtilization' } } }))),
    );
    expect(error.message).toBe(
      'Scalable dimension sagemaker:variant:DesiredInstanceCount only supports the following predefined metric types: SageMakerVariantInvocationsPerInstance, SageMakerVariantConcurrentRequestsPerModelHighResolution',
    );
  });

  it('needs the configuration of its type, one metric (not both, not none), and a TargetValue', async () => {
    const { client } = world();
    await client.send(new RegisterScalableTargetCommand(register()));
    expect((await refusal(client.send(new PutScalingPolicyCommand(policy({ TargetTrackingScalingPolicyConfiguration: undefined }))))).message).toMatch(
      /TargetTrackingScalingPolicyConfiguration is required/,
    );
    expect((await refusal(client.send(new PutScalingPolicyCommand(policy({ TargetTrackingScalingPolicyConfiguration: { TargetValue: 5 } }))))).message).toMatch(
      /needs a PredefinedMetricSpecification or a CustomizedMetricSpecification/,
    );
    const both = policy({
      TargetTrackingScalingPolicyConfiguration: {
        TargetValue: 5,
        PredefinedMetricSpecification: { PredefinedMetricType: 'SageMakerVariantInvocationsPerInstance' },
        CustomizedMetricSpecification: { MetricName: 'CPUUtilization', Namespace: '/aws/sagemaker/Endpoints', Statistic: 'Average' },
      },
    });
    expect((await refusal(client.send(new PutScalingPolicyCommand(both)))).message).toMatch(/not both/);
    const noTarget = await refusal(
      client.send(new PutScalingPolicyCommand(policy({ TargetTrackingScalingPolicyConfiguration: { PredefinedMetricSpecification: { PredefinedMetricType: 'SageMakerVariantInvocationsPerInstance' } } as never }))),
    );
    expect(noTarget.message).toBe("1 validation error detected: Value null at 'targetTrackingScalingPolicyConfiguration.targetValue' failed to satisfy constraint: Member must not be null");
    expect((await refusal(client.send(new PutScalingPolicyCommand(policy({ PolicyType: undefined }))))).message).toMatch(/PolicyType is required/);
  });

  it(`allows ${MAX_POLICIES_PER_TARGET} policies per target, then LimitExceededException`, async () => {
    const { client } = world();
    await client.send(new RegisterScalableTargetCommand(register()));
    for (let i = 0; i < MAX_POLICIES_PER_TARGET; i++) await client.send(new PutScalingPolicyCommand(policy({ PolicyName: `p-${i}` })));
    const error = await refusal(client.send(new PutScalingPolicyCommand(policy({ PolicyName: 'one-too-many' }))));
    expect(error).toBeInstanceOf(LimitExceededException);
    // Replacing an existing one is not a new policy.
    await client.send(new PutScalingPolicyCommand(policy({ PolicyName: 'p-0' })));
  });
});

describe('Describe, delete, deregister', () => {
  it('pages policies 10 at a time by default, with tokens bound to their query', async () => {
    const { client } = world();
    await client.send(new RegisterScalableTargetCommand(register()));
    for (let i = 0; i < 12; i++) await client.send(new PutScalingPolicyCommand(policy({ PolicyName: `p-${String(i).padStart(2, '0')}` })));
    const first = await client.send(new DescribeScalingPoliciesCommand({ ServiceNamespace: 'sagemaker', ResourceId: RESOURCE }));
    expect(first.ScalingPolicies).toHaveLength(10);
    expect(first.NextToken).toBeTypeOf('string');
    const second = await client.send(new DescribeScalingPoliciesCommand({ ServiceNamespace: 'sagemaker', ResourceId: RESOURCE, NextToken: first.NextToken }));
    expect(second.ScalingPolicies?.map((p) => p.PolicyName)).toEqual(['p-10', 'p-11']);
    expect(second.NextToken).toBeUndefined();
    const replayed = await refusal(client.send(new DescribeScalingPoliciesCommand({ ServiceNamespace: 'sagemaker', NextToken: first.NextToken })));
    expect(replayed).toBeInstanceOf(InvalidNextTokenException);
    const tooMany = await refusal(client.send(new DescribeScalingPoliciesCommand({ ServiceNamespace: 'sagemaker', MaxResults: 11 })));
    expect(tooMany.message).toContain("Value '11' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 10");
  });

  it('deregistering a target deletes its policies; deleting what is not there is ObjectNotFoundException', async () => {
    const { client, aas } = world();
    await client.send(new RegisterScalableTargetCommand(register()));
    await client.send(new PutScalingPolicyCommand(policy()));
    await client.send(new DeregisterScalableTargetCommand({ ServiceNamespace: 'sagemaker', ResourceId: RESOURCE, ScalableDimension: DIMENSION }));
    expect(aas.targets()).toEqual([]);
    expect(aas.policies()).toEqual([]);
    const gone = await refusal(client.send(new DeregisterScalableTargetCommand({ ServiceNamespace: 'sagemaker', ResourceId: RESOURCE, ScalableDimension: DIMENSION })));
    expect(gone).toBeInstanceOf(ObjectNotFoundException);
    const noPolicy = await refusal(
      client.send(new DeleteScalingPolicyCommand({ PolicyName: 'invocations', ServiceNamespace: 'sagemaker', ResourceId: RESOURCE, ScalableDimension: DIMENSION })),
    );
    expect(noPolicy).toBeInstanceOf(ObjectNotFoundException);
  });
});

describe('errors and faults', () => {
  it('injected faults reach the learner as the SDK would build them', async () => {
    const { client, env } = world();
    env.faults.add({ service: 'application-autoscaling', operation: 'RegisterScalableTarget', fault: { name: 'ConcurrentUpdateException', httpStatusCode: 400 } });
    env.faults.add({ service: 'application-autoscaling', operation: 'PutScalingPolicy', fault: Faults.internalError });
    const concurrent = await refusal(client.send(new RegisterScalableTargetCommand(register())));
    expect(concurrent.name).toBe('ConcurrentUpdateException');
    expect(concurrent).toBeInstanceOf(ApplicationAutoScalingServiceException);
    await client.send(new RegisterScalableTargetCommand(register()));
    const internal = await refusal(client.send(new PutScalingPolicyCommand(policy())));
    expect(internal.$fault).toBe('server');
    expect(internal.$metadata.httpStatusCode).toBe(500);
  });

  it('a client the learner builds joins the check\'s world', async () => {
    const { aas } = world();
    await new ApplicationAutoScalingClient({ region: 'us-east-1' }).send(new RegisterScalableTargetCommand(register()));
    expect(aas.targets()).toHaveLength(1);
  });
});
