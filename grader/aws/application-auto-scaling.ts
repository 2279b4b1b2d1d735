// A fake Application Auto Scaling behind a real ApplicationAutoScalingClient: scalable targets
// and scaling policies kept as the service keeps them, refused when the service refuses them.
// It records configuration; it does not scale anything by itself. What a policy would do over
// a day of traffic is a simulation the lab that needs it runs on the recorded configuration.
//
//   const aas = new FakeApplicationAutoScaling(env);
//   aas.addSageMakerVariant({ endpointName: 'recs', variantName: 'AllTraffic', instanceType: 'ml.c5.xlarge', instanceCount: 2 });
//   await aas.client().send(new RegisterScalableTargetCommand({ ServiceNamespace: 'sagemaker',
//     ResourceId: 'endpoint/recs/variant/AllTraffic', ScalableDimension: 'sagemaker:variant:DesiredInstanceCount',
//     MinCapacity: 1, MaxCapacity: 8 }));
//   aas.target('sagemaker', 'endpoint/recs/variant/AllTraffic', 'sagemaker:variant:DesiredInstanceCount');
//
// Where AWS is unkind the fake is too:
// - A resource must exist to be registered, and the resource ID must have the shape the
//   scalable dimension's resource type has (a SageMaker variant is endpoint/<name>/variant/<name>);
//   otherwise ValidationException "Unsupported service namespace, resource type or scalable
//   dimension". Checks declare the resources that exist (addSageMakerVariant, addResource).
// - A new scalable target needs MinCapacity and MaxCapacity, Min ≤ Max; registering again changes
//   only what the request names. SageMaker endpoint variants accept MinCapacity 0 (the API
//   reference lists them among the resources whose minimum is 0, "strongly recommended" above 0),
//   so the fake accepts it too: what 0 does to a real-time variant is the lab's lesson, not an error.
// - Variants on burstable instances (ml.t2, ml.t3…) cannot be registered.
// - PutScalingPolicy needs a registered target (ObjectNotFoundException otherwise), the policy
//   type's configuration, one metric (predefined or customized, not both) and a predefined metric
//   the dimension supports; it replaces a policy of the same name; 50 policies per target.
//   A target tracking policy answers with the two CloudWatch alarms AWS creates for it.
// - DeregisterScalableTarget deletes the target's policies; Describe* page with opaque tokens
//   (MaxResults 1–50 for targets, 1–10 for policies).
//
// Sources (read 2026-11-30):
// - Shapes, enums, requiredness, MaxResults ranges, the MinCapacity-0 list and "required when
//   registering a new scalable target": @aws-sdk/client-application-auto-scaling 3.1141 model
//   docs (RegisterScalableTargetRequest, PutScalingPolicyRequest, Describe*Request), which
//   repeat the API Reference. Lengths: API Reference, ResourceId and RoleARN 1–1600,
//   PolicyName 1–256 matching \p{Print}+.
// - Resource ID shapes per resource type: API Reference, RegisterScalableTarget, ResourceId.
// - Quota of 50 scaling policies per scalable target: Application Auto Scaling User Guide,
//   "Service quotas".
// - Burstable instances: SageMaker Developer Guide, "Configure model auto scaling with the
//   console" (registration checks the variant is not on a burstable instance such as T2).
// - Min ≥ 1 and ≤ Max as the SageMaker guide states it ("Register a model"); the service-linked
//   role AWSServiceRoleForApplicationAutoScaling_SageMakerEndpoint (User Guide, "Amazon SageMaker
//   AI and Application Auto Scaling").
// - Wordings quoted from AWS answers: "Unsupported service namespace, resource type or scalable
//   dimension" (a ValidationException quoted from a live account in a public run log, 2026-09-26,
//   and by moto); "No scalable target registered for service namespace: ecs, resource ID: …,
//   scalable dimension: ecs:service:DesiredCount" (ObjectNotFoundException, AWS CLI output quoted
//   in cloudposse and classmethod write-ups); "Scalable dimension sagemaker:variant:Desired
//   ProvisionedConcurrency only supports the following predefined metric types: …"
//   (aws/aws-cdk#29065). The other messages keep AWS's style and the documented meaning; their
//   exact wording was not found published.

import {
  ApplicationAutoScalingClient,
  ApplicationAutoScalingServiceException,
  ConcurrentUpdateException,
  DeleteScalingPolicyCommand,
  DeregisterScalableTargetCommand,
  DescribeScalableTargetsCommand,
  DescribeScalingPoliciesCommand,
  FailedResourceAccessException,
  InternalServiceException,
  InvalidNextTokenException,
  LimitExceededException,
  MetricType,
  ObjectNotFoundException,
  PolicyType,
  PutScalingPolicyCommand,
  RegisterScalableTargetCommand,
  ScalableDimension,
  ServiceNamespace,
  ValidationException,
} from '@aws-sdk/client-application-auto-scaling';
import type {
  Alarm,
  PutScalingPolicyCommandInput,
  RegisterScalableTargetCommandInput,
  ScalableTarget,
  ScalingPolicy,
  StepScalingPolicyConfiguration,
  SuspendedState,
  TargetTrackingScalingPolicyConfiguration,
} from '@aws-sdk/client-application-auto-scaling';
import type { AwsEnv } from './env.ts';
import type { ExceptionClass } from './errors.ts';
import type { Call } from './mock.ts';
import { outputList } from './mock.ts';
import { PageTokens, fingerprint } from './paging.ts';
import { FakeAwsService } from './service.ts';
import type { MemberShape, Shape } from './validation.ts';

export const NAMESPACES = Object.values(ServiceNamespace) as ServiceNamespace[];
export const DIMENSIONS = Object.values(ScalableDimension) as ScalableDimension[];
const POLICY_TYPES = Object.values(PolicyType) as string[];
const METRIC_TYPES = Object.values(MetricType) as string[];

/** The SageMaker variant's scalable dimension and its resource ID. */
export const SAGEMAKER_VARIANT_DIMENSION = 'sagemaker:variant:DesiredInstanceCount';
export const sageMakerVariantResourceId = (endpointName: string, variantName: string) => `endpoint/${endpointName}/variant/${variantName}`;

/** "Maximum number of scaling policies per scalable target: 50" (User Guide, Service quotas). */
export const MAX_POLICIES_PER_TARGET = 50;
export const DESCRIBE_TARGETS_PAGE = { min: 1, max: 50, default: 50 } as const;
export const DESCRIBE_POLICIES_PAGE = { min: 1, max: 10, default: 10 } as const;

// The shape of a resource ID for each scalable dimension (API Reference, RegisterScalableTarget).
const RESOURCE_ID: Record<ScalableDimension, RegExp> = {
  'appstream:fleet:DesiredCapacity': /^fleet\/[^/]+$/,
  'cassandra:table:ReadCapacityUnits': /^keyspace\/[^/]+\/table\/[^/]+$/,
  'cassandra:table:WriteCapacityUnits': /^keyspace\/[^/]+\/table\/[^/]+$/,
  'comprehend:document-classifier-endpoint:DesiredInferenceUnits': /^arn:aws[a-z-]*:comprehend:[^:]+:\d{12}:document-classifier-endpoint\/.+$/,
  'comprehend:entity-recognizer-endpoint:DesiredInferenceUnits': /^arn:aws[a-z-]*:comprehend:[^:]+:\d{12}:entity-recognizer-endpoint\/.+$/,
  'custom-resource:ResourceType:Property': /^.+$/,
  'dynamodb:index:ReadCapacityUnits': /^table\/[^/]+\/index\/[^/]+$/,
  'dynamodb:index:WriteCapacityUnits': /^table\/[^/]+\/index\/[^/]+$/,
  'dynamodb:table:ReadCapacityUnits': /^table\/[^/]+$/,
  'dynamodb:table:WriteCapacityUnits': /^table\/[^/]+$/,
  'ec2:spot-fleet-request:TargetCapacity': /^spot-fleet-request\/[^/]+$/,
  'ecs:service:DesiredCount': /^service\/[^/]+\/[^/]+$/,
  'elasticmapreduce:instancegroup:InstanceCount': /^instancegroup\/[^/]+\/[^/]+$/,
  'elasticache:cache-cluster:Nodes': /^cache-cluster\/[^/]+$/,
  'elasticache:replication-group:NodeGroups': /^replication-group\/[^/]+$/,
  'elasticache:replication-group:Replicas': /^replication-group\/[^/]+$/,
  'kafka:broker-storage:VolumeSize': /^arn:aws[a-z-]*:kafka:[^:]+:\d{12}:cluster\/.+$/,
  'lambda:function:ProvisionedConcurrency': /^function:[^:]+:(?!\$LATEST$)[^:]+$/,
  'neptune:cluster:ReadReplicaCount': /^cluster:[^:/]+$/,
  'rds:cluster:ReadReplicaCount': /^cluster:[^:/]+$/,
  'sagemaker:inference-component:DesiredCopyCount': /^inference-component\/[^/]+$/,
  'sagemaker:variant:DesiredInstanceCount': /^endpoint\/[^/]+\/variant\/[^/]+$/,
  'sagemaker:variant:DesiredProvisionedConcurrency': /^endpoint\/[^/]+\/variant\/[^/]+$/,
  'workspaces:workspacespool:DesiredUserSessions': /^workspacespool\/[^/]+$/,
};

// The predefined metrics each SageMaker dimension tracks (the MetricType enum's SageMaker
// members, by resource type); other namespaces' metrics are matched by their service prefix.
const SAGEMAKER_METRICS: Partial<Record<ScalableDimension, readonly string[]>> = {
  'sagemaker:variant:DesiredInstanceCount': ['SageMakerVariantInvocationsPerInstance', 'SageMakerVariantConcurrentRequestsPerModelHighResolution'],
  'sagemaker:variant:DesiredProvisionedConcurrency': ['SageMakerVariantProvisionedConcurrencyUtilization'],
  'sagemaker:inference-component:DesiredCopyCount': [
    'SageMakerInferenceComponentInvocationsPerCopy',
    'SageMakerInferenceComponentConcurrentRequestsPerCopyHighResolution',
  ],
};
const METRIC_PREFIX: Record<string, string> = {
  appstream: 'AppStream', cassandra: 'Cassandra', comprehend: 'Comprehend', dynamodb: 'DynamoDB', ec2: 'EC2SpotFleet',
  ecs: 'ECSService', elasticache: 'ElastiCache', kafka: 'Kafka', lambda: 'Lambda', neptune: 'Neptune', rds: 'RDS', workspaces: 'WorkSpaces',
};

function metricsFor(dimension: ScalableDimension): readonly string[] {
  const sagemaker = SAGEMAKER_METRICS[dimension];
  if (sagemaker) return sagemaker;
  const prefix = METRIC_PREFIX[dimension.split(':')[0]!];
  const own = prefix ? METRIC_TYPES.filter((m) => m.startsWith(prefix)) : [];
  // Load balancer request counts apply to resources behind a load balancer.
  return dimension === 'ecs:service:DesiredCount' || dimension === 'ec2:spot-fleet-request:TargetCapacity' ? [...own, 'ALBRequestCountPerTarget'] : own;
}

/** A resource that exists and can be registered for scaling on one dimension. */
export interface ScalableResource {
  serviceNamespace: ServiceNamespace;
  resourceId: string;
  scalableDimension: ScalableDimension;
  /** The capacity it has now (a SageMaker variant: its instance count). */
  capacity: number;
  /** Why AWS refuses to register it, as AWS says it; undefined when it can be. */
  refusal?: string;
}

export interface SageMakerVariant {
  endpointName: string;
  variantName: string;
  instanceType: string;
  instanceCount: number;
}

/** A registered scalable target, as the fake keeps it. */
export interface TargetRecord {
  serviceNamespace: ServiceNamespace;
  resourceId: string;
  scalableDimension: ScalableDimension;
  minCapacity: number;
  maxCapacity: number;
  roleArn: string;
  suspendedState: SuspendedState;
  arn: string;
  createdAt: Date;
}

/** A scaling policy, as the fake keeps it (configurations copied at call time). */
export interface PolicyRecord {
  policyName: string;
  serviceNamespace: ServiceNamespace;
  resourceId: string;
  scalableDimension: ScalableDimension;
  policyType: PolicyType;
  arn: string;
  targetTracking?: TargetTrackingScalingPolicyConfiguration;
  stepScaling?: StepScalingPolicyConfiguration;
  alarms: Alarm[];
  createdAt: Date;
}

const key = (namespace: string, resourceId: string, dimension: string) => `${namespace}|${resourceId}|${dimension}`;

// ---------------------------------------------------------------------------------------------
// Request shapes, as the service model declares them.

const NAMESPACE: MemberShape = { type: 'string', required: true, enum: NAMESPACES };
const RESOURCE: MemberShape = { type: 'string', required: true, min: 1, max: 1600 };
const DIMENSION: MemberShape = { type: 'string', required: true, enum: DIMENSIONS };

const REGISTER_SHAPE: Shape = {
  ServiceNamespace: NAMESPACE,
  ResourceId: RESOURCE,
  ScalableDimension: DIMENSION,
  MinCapacity: { type: 'integer' },
  MaxCapacity: { type: 'integer' },
  RoleARN: { type: 'string', min: 1, max: 1600 },
  SuspendedState: {
    type: 'structure',
    members: { DynamicScalingInSuspended: { type: 'boolean' }, DynamicScalingOutSuspended: { type: 'boolean' }, ScheduledScalingSuspended: { type: 'boolean' } },
  },
  Tags: { type: 'map', value: { type: 'string', max: 256 }, key: { min: 1, max: 128 }, min: 1, max: 200 },
};

const METRIC_DIMENSIONS: MemberShape = {
  type: 'list',
  member: { type: 'structure', members: { Name: { type: 'string', required: true }, Value: { type: 'string', required: true } } },
};

const TARGET_TRACKING_SHAPE: MemberShape = {
  type: 'structure',
  members: {
    TargetValue: { type: 'double', required: true },
    PredefinedMetricSpecification: {
      type: 'structure',
      members: { PredefinedMetricType: { type: 'string', required: true, enum: METRIC_TYPES }, ResourceLabel: { type: 'string', min: 1, max: 1023 } },
    },
    CustomizedMetricSpecification: {
      type: 'structure',
      members: {
        MetricName: { type: 'string' },
        Namespace: { type: 'string' },
        Dimensions: METRIC_DIMENSIONS,
        Statistic: { type: 'string', enum: ['Average', 'Minimum', 'Maximum', 'SampleCount', 'Sum'] },
        Unit: { type: 'string' },
        Metrics: { type: 'list', member: { type: 'structure', members: { Id: { type: 'string', required: true, min: 1, max: 255 } } } },
      },
    },
    ScaleOutCooldown: { type: 'integer' },
    ScaleInCooldown: { type: 'integer' },
    DisableScaleIn: { type: 'boolean' },
  },
};

const STEP_SCALING_SHAPE: MemberShape = {
  type: 'structure',
  members: {
    AdjustmentType: { type: 'string', enum: ['ChangeInCapacity', 'ExactCapacity', 'PercentChangeInCapacity'] },
    StepAdjustments: {
      type: 'list',
      max: 20, // "Maximum number of step adjustments per step scaling policy: 20" (User Guide, Service quotas)
      member: {
        type: 'structure',
        members: { MetricIntervalLowerBound: { type: 'double' }, MetricIntervalUpperBound: { type: 'double' }, ScalingAdjustment: { type: 'integer', required: true } },
      },
    },
    MinAdjustmentMagnitude: { type: 'integer' },
    Cooldown: { type: 'integer' },
    MetricAggregationType: { type: 'string', enum: ['Average', 'Minimum', 'Maximum'] },
  },
};

const PUT_POLICY_SHAPE: Shape = {
  PolicyName: { type: 'string', required: true, min: 1, max: 256, pattern: /^\P{Cc}+$/u, patternText: '\\p{Print}+' },
  ServiceNamespace: NAMESPACE,
  ResourceId: RESOURCE,
  ScalableDimension: DIMENSION,
  PolicyType: { type: 'string', enum: POLICY_TYPES },
  TargetTrackingScalingPolicyConfiguration: TARGET_TRACKING_SHAPE,
  StepScalingPolicyConfiguration: STEP_SCALING_SHAPE,
};

const TARGET_KEY_SHAPE: Shape = { ServiceNamespace: NAMESPACE, ResourceId: RESOURCE, ScalableDimension: DIMENSION };

// ---------------------------------------------------------------------------------------------

export class FakeApplicationAutoScaling extends FakeAwsService<ApplicationAutoScalingClient, FakeApplicationAutoScaling> {
  readonly #resources = new Map<string, ScalableResource>();
  readonly #targets = new Map<string, TargetRecord>();
  readonly #policies = new Map<string, PolicyRecord>();
  readonly #tokens: PageTokens;
  #ids = 0;

  constructor(env: AwsEnv) {
    super(env, {
      service: 'application-autoscaling',
      clientClass: ApplicationAutoScalingClient,
      exceptionBase: ApplicationAutoScalingServiceException as unknown as ExceptionClass,
      exceptions: {
        ValidationException: ValidationException as unknown as ExceptionClass,
        ObjectNotFoundException: ObjectNotFoundException as unknown as ExceptionClass,
        LimitExceededException: LimitExceededException as unknown as ExceptionClass,
        InvalidNextTokenException: InvalidNextTokenException as unknown as ExceptionClass,
        ConcurrentUpdateException: ConcurrentUpdateException as unknown as ExceptionClass,
        FailedResourceAccessException: FailedResourceAccessException as unknown as ExceptionClass,
        InternalServiceException: InternalServiceException as unknown as ExceptionClass,
      },
    });
    this.#tokens = new PageTokens(`whetstone-application-autoscaling:${env.accountId}`);
    this.on(RegisterScalableTargetCommand, (input, call) => this.#register(input, call), {
      doc:
        'Registers or updates a scalable target of a resource that exists (resource ID shaped as its dimension requires: `endpoint/<name>/variant/<name>` for SageMaker); Min and Max required when new, Min ≤ Max; no burstable SageMaker instances.',
      output: ['ScalableTargetARN'],
    });
    this.on(PutScalingPolicyCommand, (input, call) => this.#putPolicy(input, call), {
      doc:
        'Creates or replaces a policy on a registered target (ObjectNotFoundException otherwise): the policy type’s configuration, one metric the dimension supports; target tracking answers with its AlarmHigh/AlarmLow alarms; 50 policies per target.',
      output: (o) => ({ PolicyARN: o.PolicyARN, Alarms: outputList(o.Alarms, (a) => a.AlarmName) }),
    });
    this.on(DescribeScalableTargetsCommand, (input, call) => this.#describeTargets(input, call), {
      doc: 'The namespace’s scalable targets, filtered by ResourceIds (≤ 50) and ScalableDimension; MaxResults 1–50 with an opaque NextToken.',
      output: (o) => ({ ScalableTargets: outputList(o.ScalableTargets, (t) => ({ ResourceId: t.ResourceId, MinCapacity: t.MinCapacity, MaxCapacity: t.MaxCapacity })), NextToken: o.NextToken }),
    });
    this.on(DescribeScalingPoliciesCommand, (input, call) => this.#describePolicies(input, call), {
      doc: 'The namespace’s scaling policies, filtered by PolicyNames, ResourceId and ScalableDimension; MaxResults 1–10 with an opaque NextToken.',
      output: (o) => ({ ScalingPolicies: outputList(o.ScalingPolicies, (p) => ({ PolicyName: p.PolicyName, PolicyType: p.PolicyType })), NextToken: o.NextToken }),
    });
    this.on(DeleteScalingPolicyCommand, (input, call) => this.#deletePolicy(input, call), {
      doc: 'Deletes a policy (ObjectNotFoundException when there is none of that name on the target).',
    });
    this.on(DeregisterScalableTargetCommand, (input, call) => this.#deregister(input, call), {
      doc: 'Deregisters a target and deletes its scaling policies (ObjectNotFoundException when not registered).',
    });
  }

  // -------------------------------------------------------------------------------------------
  // Seeding and inspection, for checks (not traced).

  /** Declare a resource that exists, so it can be registered. */
  addResource(resource: ScalableResource): this {
    this.#resources.set(key(resource.serviceNamespace, resource.resourceId, resource.scalableDimension), { ...resource });
    return this;
  }

  /** Declare a SageMaker endpoint's production variant (instance-based). */
  addSageMakerVariant(variant: SageMakerVariant): this {
    const burstable = /^ml\.t\d/.test(variant.instanceType);
    return this.addResource({
      serviceNamespace: 'sagemaker',
      resourceId: sageMakerVariantResourceId(variant.endpointName, variant.variantName),
      scalableDimension: SAGEMAKER_VARIANT_DIMENSION,
      capacity: variant.instanceCount,
      ...(burstable
        ? { refusal: `Automatic scaling is not supported for burstable instance type ${variant.instanceType} of variant ${variant.variantName} on endpoint ${variant.endpointName}.` }
        : {}),
    });
  }

  target(namespace: string, resourceId: string, dimension: string): TargetRecord | undefined {
    const t = this.#targets.get(key(namespace, resourceId, dimension));
    return t && structuredClone(t);
  }

  targets(): TargetRecord[] {
    return [...this.#targets.values()].map((t) => structuredClone(t));
  }

  /** Policies in creation order; of one target when given. */
  policies(filter: { namespace?: string; resourceId?: string; dimension?: string } = {}): PolicyRecord[] {
    return [...this.#policies.values()]
      .filter((p) => (!filter.namespace || p.serviceNamespace === filter.namespace) && (!filter.resourceId || p.resourceId === filter.resourceId) && (!filter.dimension || p.scalableDimension === filter.dimension))
      .map((p) => structuredClone(p));
  }

  override snapshot(): { scalableTargets: Record<string, { min: number; max: number }>; scalingPolicies: Record<string, unknown> } {
    const scalableTargets: Record<string, { min: number; max: number }> = {};
    for (const t of this.#targets.values()) scalableTargets[t.resourceId] = { min: t.minCapacity, max: t.maxCapacity };
    const scalingPolicies: Record<string, unknown> = {};
    for (const p of this.#policies.values()) {
      const tt = p.targetTracking;
      scalingPolicies[`${p.resourceId} ${p.policyName}`] = tt
        ? {
            type: p.policyType,
            metric: tt.PredefinedMetricSpecification?.PredefinedMetricType ?? 'customized',
            target: tt.TargetValue,
            scaleOutCooldown: tt.ScaleOutCooldown ?? null,
            scaleInCooldown: tt.ScaleInCooldown ?? null,
            ...(tt.DisableScaleIn ? { disableScaleIn: true } : {}),
          }
        : { type: p.policyType };
    }
    return { scalableTargets, scalingPolicies };
  }

  // -------------------------------------------------------------------------------------------
  // Operations.

  #invalid(message: string, call: Call): Error {
    return this.error('ValidationException', message, call);
  }

  #id(): string {
    // Deterministic, UUID-shaped, from the world's counter (never Math.random).
    const n = ++this.#ids;
    const hex = ['a', 'b', 'c', 'd'].map((part) => fingerprint(`${this.env.accountId}:${n}:${part}`)).join('');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
  }

  /** The resource behind a namespace, ID and dimension, after the checks AWS makes. */
  #resource(namespace: ServiceNamespace, resourceId: string, dimension: ScalableDimension, call: Call): ScalableResource {
    const unsupported = () => this.#invalid('Unsupported service namespace, resource type or scalable dimension', call);
    if (dimension.split(':')[0] !== namespace || !RESOURCE_ID[dimension].test(resourceId)) throw unsupported();
    const resource = this.#resources.get(key(namespace, resourceId, dimension));
    if (!resource) {
      throw this.#invalid(
        namespace === 'sagemaker' && dimension === SAGEMAKER_VARIANT_DIMENSION
          ? `SageMaker endpoint variant doesn't exist: ${resourceId}`
          : `The resource ${resourceId} doesn't exist in service namespace ${namespace}`,
        call,
      );
    }
    return resource;
  }

  #register(input: RegisterScalableTargetCommandInput, call: Call) {
    this.checkShape(input, REGISTER_SHAPE, call);
    const namespace = input.ServiceNamespace!;
    const dimension = input.ScalableDimension!;
    const resourceId = input.ResourceId!;
    const resource = this.#resource(namespace, resourceId, dimension, call);
    if (resource.refusal) throw this.#invalid(resource.refusal, call);
    const k = key(namespace, resourceId, dimension);
    const existing = this.#targets.get(k);
    if (!existing && (input.MinCapacity === undefined || input.MaxCapacity === undefined)) {
      throw this.#invalid('MinCapacity and MaxCapacity are required when registering a new scalable target', call);
    }
    const min = input.MinCapacity ?? existing!.minCapacity;
    const max = input.MaxCapacity ?? existing!.maxCapacity;
    if (min < 0) throw this.#invalid(`Minimum capacity ${min} is below the minimum value ${resourceId} accepts: 0`, call);
    if (max < 0) throw this.#invalid(`Maximum capacity ${max} is below the minimum value ${resourceId} accepts: 0`, call);
    if (min > max) throw this.#invalid(`Minimum capacity (${min}) cannot be greater than maximum capacity (${max})`, call);
    const role =
      namespace === 'sagemaker'
        ? `arn:aws:iam::${this.env.accountId}:role/aws-service-role/sagemaker.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_SageMakerEndpoint`
        : `arn:aws:iam::${this.env.accountId}:role/aws-service-role/${namespace}.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling`;
    const target: TargetRecord = existing ?? {
      serviceNamespace: namespace,
      resourceId,
      scalableDimension: dimension,
      minCapacity: min,
      maxCapacity: max,
      roleArn: input.RoleARN ?? role,
      suspendedState: { DynamicScalingInSuspended: false, DynamicScalingOutSuspended: false, ScheduledScalingSuspended: false },
      arn: `arn:aws:application-autoscaling:${this.env.region}:${this.env.accountId}:scalable-target/${this.#id().replace(/-/g, '').slice(0, 28)}`,
      createdAt: this.env.clock.now(),
    };
    target.minCapacity = min;
    target.maxCapacity = max;
    if (input.RoleARN) target.roleArn = input.RoleARN;
    if (input.SuspendedState) target.suspendedState = { ...target.suspendedState, ...input.SuspendedState };
    // "If the specified resource is active, RegisterScalableTarget changes its current capacity to
    // a value inside the range" (API Reference, RegisterScalableTarget).
    resource.capacity = Math.min(max, Math.max(min, resource.capacity));
    this.#targets.set(k, target);
    return { ScalableTargetARN: target.arn };
  }

  #putPolicy(input: PutScalingPolicyCommandInput, call: Call) {
    this.checkShape(input, PUT_POLICY_SHAPE, call);
    const namespace = input.ServiceNamespace!;
    const dimension = input.ScalableDimension!;
    const resourceId = input.ResourceId!;
    if (dimension.split(':')[0] !== namespace || !RESOURCE_ID[dimension].test(resourceId)) {
      throw this.#invalid('Unsupported service namespace, resource type or scalable dimension', call);
    }
    const k = key(namespace, resourceId, dimension);
    if (!this.#targets.has(k)) {
      throw this.error(
        'ObjectNotFoundException',
        `No scalable target registered for service namespace: ${namespace}, resource ID: ${resourceId}, scalable dimension: ${dimension}`,
        call,
      );
    }
    const name = input.PolicyName!;
    const policyKey = `${k}|${name}`;
    const existing = this.#policies.get(policyKey);
    const type = (input.PolicyType ?? existing?.policyType) as PolicyType | undefined;
    if (!type) throw this.#invalid('PolicyType is required when creating a scaling policy', call);
    let targetTracking: TargetTrackingScalingPolicyConfiguration | undefined;
    let stepScaling: StepScalingPolicyConfiguration | undefined;
    if (type === 'TargetTrackingScaling') {
      if (namespace === 'elasticmapreduce') throw this.#invalid('Target tracking scaling policies are not supported for Amazon EMR', call);
      const config = input.TargetTrackingScalingPolicyConfiguration ?? existing?.targetTracking;
      if (!config) throw this.#invalid('TargetTrackingScalingPolicyConfiguration is required for a policy of type TargetTrackingScaling', call);
      const predefined = config.PredefinedMetricSpecification;
      const customized = config.CustomizedMetricSpecification;
      if (predefined && customized) {
        throw this.#invalid('Specify either a PredefinedMetricSpecification or a CustomizedMetricSpecification, not both', call);
      }
      if (!predefined && !customized) {
        throw this.#invalid('A target tracking scaling policy needs a PredefinedMetricSpecification or a CustomizedMetricSpecification', call);
      }
      const supported = metricsFor(dimension);
      if (predefined && !supported.includes(predefined.PredefinedMetricType!)) {
        throw this.#invalid(`Scalable dimension ${dimension} only supports the following predefined metric types: ${supported.join(', ')}`, call);
      }
      targetTracking = structuredClone(config);
    } else if (type === 'StepScaling') {
      const config = input.StepScalingPolicyConfiguration ?? existing?.stepScaling;
      if (!config) throw this.#invalid('StepScalingPolicyConfiguration is required for a policy of type StepScaling', call);
      stepScaling = structuredClone(config);
    } else {
      throw this.#invalid(`Policy type ${type} is not supported for service namespace ${namespace}: predictive scaling is only supported for Amazon ECS`, call);
    }
    const onTarget = [...this.#policies.values()].filter((p) => key(p.serviceNamespace, p.resourceId, p.scalableDimension) === k);
    if (!existing && onTarget.length >= MAX_POLICIES_PER_TARGET) {
      throw this.error('LimitExceededException', `The maximum number of scaling policies per scalable target (${MAX_POLICIES_PER_TARGET}) has been reached for ${resourceId}`, call);
    }
    const id = existing ? existing.arn.split(':')[6]! : this.#id();
    const arn = existing?.arn ?? `arn:aws:autoscaling:${this.env.region}:${this.env.accountId}:scalingPolicy:${id}:resource/${namespace}/${resourceId}:policyName/${name}`;
    const alarmName = (kind: string) => `TargetTracking-${resourceId}-${kind}-${id}`;
    const alarms: Alarm[] =
      type === 'TargetTrackingScaling'
        ? ['AlarmHigh', 'AlarmLow'].map((kind) => ({
            AlarmName: alarmName(kind),
            AlarmARN: `arn:aws:cloudwatch:${this.env.region}:${this.env.accountId}:alarm:${alarmName(kind)}`,
          }))
        : [];
    const policy: PolicyRecord = {
      policyName: name,
      serviceNamespace: namespace,
      resourceId,
      scalableDimension: dimension,
      policyType: type,
      arn,
      ...(targetTracking ? { targetTracking } : {}),
      ...(stepScaling ? { stepScaling } : {}),
      alarms,
      createdAt: existing?.createdAt ?? this.env.clock.now(),
    };
    this.#policies.set(policyKey, policy);
    return { PolicyARN: arn, Alarms: structuredClone(alarms) };
  }

  #page<T>(items: T[], query: string, input: { MaxResults?: number; NextToken?: string }, limits: { min: number; max: number; default: number }, call: Call): { page: T[]; NextToken?: string } {
    const size = input.MaxResults ?? limits.default;
    let offset = 0;
    if (input.NextToken !== undefined) {
      const decoded = this.#tokens.decode(query, String(input.NextToken));
      if (decoded === undefined) throw this.error('InvalidNextTokenException', 'The next token supplied was invalid.', call);
      offset = decoded;
    }
    const next = offset + size;
    return { page: items.slice(offset, next), ...(next < items.length ? { NextToken: this.#tokens.encode(query, next) } : {}) };
  }

  #describeTargets(input: DescribeScalableTargetsCommand['input'], call: Call) {
    this.checkShape(
      input,
      {
        ServiceNamespace: NAMESPACE,
        ResourceIds: { type: 'list', member: { type: 'string', min: 1, max: 1600 }, max: 50 },
        ScalableDimension: { type: 'string', enum: DIMENSIONS },
        MaxResults: { type: 'integer', min: DESCRIBE_TARGETS_PAGE.min, max: DESCRIBE_TARGETS_PAGE.max },
        NextToken: { type: 'string', max: 2048 },
      },
      call,
    );
    const ids = input.ResourceIds ?? [];
    const matching = [...this.#targets.values()].filter(
      (t) => t.serviceNamespace === input.ServiceNamespace && (!ids.length || ids.includes(t.resourceId)) && (!input.ScalableDimension || t.scalableDimension === input.ScalableDimension),
    );
    const query = JSON.stringify([input.ServiceNamespace, ids, input.ScalableDimension ?? null]);
    const { page, NextToken } = this.#page(matching, query, input, DESCRIBE_TARGETS_PAGE, call);
    const ScalableTargets: ScalableTarget[] = page.map((t) => ({
      ServiceNamespace: t.serviceNamespace,
      ResourceId: t.resourceId,
      ScalableDimension: t.scalableDimension,
      MinCapacity: t.minCapacity,
      MaxCapacity: t.maxCapacity,
      RoleARN: t.roleArn,
      CreationTime: new Date(t.createdAt),
      SuspendedState: { ...t.suspendedState },
      ScalableTargetARN: t.arn,
    }));
    return { ScalableTargets, ...(NextToken ? { NextToken } : {}) };
  }

  #describePolicies(input: DescribeScalingPoliciesCommand['input'], call: Call) {
    this.checkShape(
      input,
      {
        ServiceNamespace: NAMESPACE,
        PolicyNames: { type: 'list', member: { type: 'string', min: 1, max: 1600 }, max: 50 },
        ResourceId: { type: 'string', min: 1, max: 1600 },
        ScalableDimension: { type: 'string', enum: DIMENSIONS },
        MaxResults: { type: 'integer', min: DESCRIBE_POLICIES_PAGE.min, max: DESCRIBE_POLICIES_PAGE.max },
        NextToken: { type: 'string', max: 2048 },
      },
      call,
    );
    const names = input.PolicyNames ?? [];
    const matching = [...this.#policies.values()].filter(
      (p) =>
        p.serviceNamespace === input.ServiceNamespace &&
        (!names.length || names.includes(p.policyName)) &&
        (!input.ResourceId || p.resourceId === input.ResourceId) &&
        (!input.ScalableDimension || p.scalableDimension === input.ScalableDimension),
    );
    const query = JSON.stringify([input.ServiceNamespace, names, input.ResourceId ?? null, input.ScalableDimension ?? null]);
    const { page, NextToken } = this.#page(matching, query, input, DESCRIBE_POLICIES_PAGE, call);
    const ScalingPolicies: ScalingPolicy[] = page.map((p) => ({
      PolicyARN: p.arn,
      PolicyName: p.policyName,
      ServiceNamespace: p.serviceNamespace,
      ResourceId: p.resourceId,
      ScalableDimension: p.scalableDimension,
      PolicyType: p.policyType,
      ...(p.targetTracking ? { TargetTrackingScalingPolicyConfiguration: structuredClone(p.targetTracking) } : {}),
      ...(p.stepScaling ? { StepScalingPolicyConfiguration: structuredClone(p.stepScaling) } : {}),
      Alarms: structuredClone(p.alarms),
      CreationTime: new Date(p.createdAt),
    }));
    return { ScalingPolicies, ...(NextToken ? { NextToken } : {}) };
  }

  #deletePolicy(input: DeleteScalingPolicyCommand['input'], call: Call) {
    this.checkShape(input, { ...TARGET_KEY_SHAPE, PolicyName: { type: 'string', required: true, min: 1, max: 1600 } }, call);
    const k = key(input.ServiceNamespace!, input.ResourceId!, input.ScalableDimension!);
    if (!this.#policies.delete(`${k}|${input.PolicyName}`)) {
      throw this.error(
        'ObjectNotFoundException',
        `No scaling policy found for service namespace: ${input.ServiceNamespace}, resource ID: ${input.ResourceId}, scalable dimension: ${input.ScalableDimension}, policy name: ${input.PolicyName}`,
        call,
      );
    }
    return {};
  }

  #deregister(input: DeregisterScalableTargetCommand['input'], call: Call) {
    this.checkShape(input, TARGET_KEY_SHAPE, call);
    const k = key(input.ServiceNamespace!, input.ResourceId!, input.ScalableDimension!);
    if (!this.#targets.delete(k)) {
      throw this.error(
        'ObjectNotFoundException',
        `No scalable target registered for service namespace: ${input.ServiceNamespace}, resource ID: ${input.ResourceId}, scalable dimension: ${input.ScalableDimension}`,
        call,
      );
    }
    // Deregistering a scalable target deletes the scaling policies associated with it (API Reference, DeregisterScalableTarget).
    for (const [policyKey, p] of this.#policies) {
      if (key(p.serviceNamespace, p.resourceId, p.scalableDimension) === k) this.#policies.delete(policyKey);
    }
    return {};
  }
}
