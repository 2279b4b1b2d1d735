// Serve a model within its latency goal, for the least money. Each function is one step of
// the lab; the imports are the SDK pieces step 3 needs.
import { PutScalingPolicyCommand, RegisterScalableTargetCommand } from '@aws-sdk/client-application-auto-scaling';
import type { ApplicationAutoScalingClient } from '@aws-sdk/client-application-auto-scaling';

export type DeploymentOption = 'real-time' | 'serverless' | 'asynchronous' | 'batch-transform';

export interface Workload {
  name: string;
  /** How requests come: all day ('steady'), in bursts nobody can predict ('unpredictable'),
   *  with idle stretches of minutes to hours ('intermittent'), or as a whole dataset to score
   *  on a schedule ('dataset'). */
  traffic: 'steady' | 'unpredictable' | 'intermittent' | 'dataset';
  /** 'interactive': the caller waits for the answer; 'minutes': the answer can come later. */
  latency: 'interactive' | 'minutes';
  /** The largest request (or record), in MB. */
  payloadMB: number;
  /** The model's time to answer one request, in seconds. */
  processingSeconds: number;
  /** Callers accept a few seconds more on the first request after an idle stretch. */
  coldStartOk: boolean;
  /** The model needs a GPU. */
  gpu: boolean;
}

/** Step 1: where this workload should run. */
export function deploymentOption(workload: Workload): DeploymentOption {
  throw new Error(`Not implemented yet: deploymentOption (step 1), called for workload ${workload.name}`);
}

export interface LoadTestPoint {
  /** Requests per second the tester sent to one instance. */
  requestsPerSecond: number;
  /** 90th-percentile latency at that rate, ms. */
  p90LatencyMs: number;
  /** Share of requests that failed, 0 to 1. */
  errorRate: number;
}

export interface LoadTest {
  instanceType: string;
  /** The p90 latency the model must keep, ms. */
  latencyGoalMs: number;
  /** The share of the tested rate the team lets an instance run at, e.g. 0.5. */
  safetyFactor: number;
  /** One instance, rate rising; in any order. */
  points: LoadTestPoint[];
}

/** Step 2: the target for SageMakerVariantInvocationsPerInstance (invocations per instance per minute). */
export function targetInvocations(loadTest: LoadTest): number {
  throw new Error(`Not implemented yet: targetInvocations (step 2), called for ${loadTest.instanceType}`);
}

export interface ScalingLimits {
  /** What targetInvocations returned: invocations per instance per minute. */
  targetInvocationsPerInstance: number;
  /** The busiest rate the forecast expects for the whole variant, requests per second. */
  peakRequestsPerSecond: number;
  /** The fewest instances the team asks for (0: as few as possible). */
  minInstances: number;
}

/** Steps 3 and 4: register the variant with Application Auto Scaling and attach a target tracking policy. */
export async function configureAutoScaling(
  aas: ApplicationAutoScalingClient,
  endpointName: string,
  variantName: string,
  limits: ScalingLimits,
): Promise<void> {
  throw new Error(`Not implemented yet: configureAutoScaling (step 3), called for endpoint ${endpointName}, variant ${variantName}`);
}
