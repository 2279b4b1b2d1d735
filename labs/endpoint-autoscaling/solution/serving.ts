// Reference solution: the SageMaker deployment option from the documented limits, the target
// from the load test, and a target tracking policy on a registered variant.
import { PutScalingPolicyCommand, RegisterScalableTargetCommand } from '@aws-sdk/client-application-auto-scaling';
import type { ApplicationAutoScalingClient } from '@aws-sdk/client-application-auto-scaling';

export type DeploymentOption = 'real-time' | 'serverless' | 'asynchronous' | 'batch-transform';

export interface Workload {
  name: string;
  traffic: 'steady' | 'unpredictable' | 'intermittent' | 'dataset';
  latency: 'interactive' | 'minutes';
  payloadMB: number;
  processingSeconds: number;
  coldStartOk: boolean;
  gpu: boolean;
}

// SageMaker's limits for one request (step 1 cites the pages).
const REAL_TIME = { payloadMB: 6, seconds: 60 };
const SERVERLESS = { payloadMB: 4, seconds: 60 };
const ASYNCHRONOUS = { payloadMB: 1024, seconds: 3600 };

export function deploymentOption(workload: Workload): DeploymentOption {
  // A whole dataset on a schedule: nobody waits on one record, and nothing runs in between.
  if (workload.traffic === 'dataset') return 'batch-transform';
  const { payloadMB, processingSeconds } = workload;
  if (payloadMB > ASYNCHRONOUS.payloadMB || processingSeconds > ASYNCHRONOUS.seconds) {
    throw new Error(`Workload '${workload.name}' exceeds every endpoint's limits (${payloadMB} MB, ${processingSeconds} s per request): split the requests or score them in a batch transform job.`);
  }
  // Too big or too slow for a synchronous answer: queue it.
  if (payloadMB > REAL_TIME.payloadMB || processingSeconds > REAL_TIME.seconds) return 'asynchronous';
  if (workload.traffic === 'intermittent') {
    const fitsServerless = payloadMB <= SERVERLESS.payloadMB && processingSeconds <= SERVERLESS.seconds && !workload.gpu;
    if (fitsServerless && workload.coldStartOk) return 'serverless';
    // Idle stretches, and the answer may come later: an asynchronous endpoint scales to zero.
    if (workload.latency === 'minutes') return 'asynchronous';
  }
  return 'real-time';
}

export interface LoadTestPoint {
  requestsPerSecond: number;
  p90LatencyMs: number;
  errorRate: number;
}

export interface LoadTest {
  instanceType: string;
  latencyGoalMs: number;
  safetyFactor: number;
  points: LoadTestPoint[];
}

export function targetInvocations(loadTest: LoadTest): number {
  let maxRps = 0;
  for (const point of loadTest.points) {
    const metGoal = point.p90LatencyMs <= loadTest.latencyGoalMs && point.errorRate === 0;
    if (metGoal && point.requestsPerSecond > maxRps) maxRps = point.requestsPerSecond;
  }
  if (maxRps === 0) throw new Error(`No point of the load test of ${loadTest.instanceType} met the ${loadTest.latencyGoalMs} ms goal.`);
  // The metric counts invocations per instance per minute.
  return maxRps * loadTest.safetyFactor * 60;
}

export interface ScalingLimits {
  targetInvocationsPerInstance: number;
  peakRequestsPerSecond: number;
  minInstances: number;
}

const NAMESPACE = 'sagemaker';
const DIMENSION = 'sagemaker:variant:DesiredInstanceCount';

export async function configureAutoScaling(
  aas: ApplicationAutoScalingClient,
  endpointName: string,
  variantName: string,
  limits: ScalingLimits,
): Promise<void> {
  const resourceId = `endpoint/${endpointName}/variant/${variantName}`;
  // A real-time variant always keeps one instance: target tracking cannot scale out from zero.
  const minCapacity = Math.max(1, limits.minInstances);
  const peakInstances = Math.ceil((limits.peakRequestsPerSecond * 60) / limits.targetInvocationsPerInstance);
  const maxCapacity = Math.max(minCapacity, peakInstances);

  // The target first: a policy needs a registered target.
  await aas.send(
    new RegisterScalableTargetCommand({
      ServiceNamespace: NAMESPACE,
      ResourceId: resourceId,
      ScalableDimension: DIMENSION,
      MinCapacity: minCapacity,
      MaxCapacity: maxCapacity,
    }),
  );
  await aas.send(
    new PutScalingPolicyCommand({
      PolicyName: `${endpointName}-${variantName}-invocations`,
      ServiceNamespace: NAMESPACE,
      ResourceId: resourceId,
      ScalableDimension: DIMENSION,
      PolicyType: 'TargetTrackingScaling',
      TargetTrackingScalingPolicyConfiguration: {
        TargetValue: limits.targetInvocationsPerInstance,
        PredefinedMetricSpecification: { PredefinedMetricType: 'SageMakerVariantInvocationsPerInstance' },
        ScaleOutCooldown: 60,
        // Removing an instance is cheap to undo only slowly (3 minutes of alarm, 6 of provisioning).
        ScaleInCooldown: 600,
      },
    }),
  );
}
