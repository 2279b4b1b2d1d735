// A day of one SageMaker real-time endpoint variant, minute by minute: requests arrive, the
// instances in service answer them (a queueing model calibrated by the load test), and
// Application Auto Scaling's target tracking adds and removes instances the way the User Guide
// describes it. Pure and deterministic: the same scenario and configuration give the same day.
//
// The model, stated in the lab's steps (04-a-day-of-traffic.md) so a learner can reason with it:
// - The metric. SageMakerVariantInvocationsPerInstance is the minute's invocations divided by
//   the instances in service ("1/numberOfInstances is sent as the value on each request",
//   SageMaker API Reference, ScalingPolicyMetric, read 2026-11-30). A minute without a request
//   has no datapoint.
// - The alarms target tracking creates: AlarmHigh when the metric is above the target for 3
//   datapoints within 3 minutes, AlarmLow when it is below 90% of the target for 15 datapoints
//   within 15 minutes (the alarms AAS created for a SageMaker variant, quoted in
//   repost.aws/questions/QUf450Wsd9RROGGOIwaolN9w: "> 1500 for 3 datapoints within 3 minutes",
//   "< 1350 for 15 datapoints within 15 minutes"; the User Guide: scale-in only once the metric
//   is "usually more than 10% lower" than the target). No scale-in without data: "A target
//   tracking scaling policy does not scale in when the state of the alarm is INSUFFICIENT_DATA".
// - The adjustment: proportional to the metric, ceil(in service × metric / target), within
//   [MinCapacity, MaxCapacity] (User Guide: "adds or removes capacity as required to keep the
//   metric at, or close to, the specified target value"; rounding up, "acts conservatively").
// - Scale-out: new instances serve only once in service, PROVISIONING_MINUTES after the
//   activity starts (SageMaker: "the provisioning process takes several minutes"); while the
//   endpoint is updating no other scaling activity starts (UpdateEndpointWeightsAndCapacities
//   is refused on an endpoint that is not InService). The scale-out cooldown runs from the
//   moment the activity completes; during it only a larger scale-out happens (API Reference,
//   TargetTrackingScalingPolicyConfiguration).
// - Scale-in: "Application Auto Scaling scales out proportionally to the metric as fast as it
//   can, but scales in more gradually" (User Guide, target tracking considerations) without
//   saying how gradually; here a scale-in removes at most half of the instances the metric says
//   are not needed (at least one), at once. The next scale-in waits for ScaleInCooldown; a
//   scale-out during the scale-in cooldown happens immediately and ends it (API Reference).
// - Latency: each instance is an M/M/1 queue with service rate μ fitted to the load test
//   (p90 = ln 10 / (μ − λ)); past saturation a backlog builds and waits; a request that would
//   wait past the 60-second limit of InvokeEndpoint fails. With no instance, every request fails.

import type { LoadTest } from './starter/serving.ts';

export const SCALE_OUT_DATAPOINTS = 3;
export const SCALE_IN_DATAPOINTS = 15;
export const SCALE_IN_THRESHOLD = 0.9;
/** How long a new instance takes to come into service in this lab's endpoint. */
export const PROVISIONING_MINUTES = 6;
/** "A customer's model containers must respond to requests within 60 seconds" (SageMaker API Reference, InvokeEndpoint, read 2026-11-30). */
export const INVOCATION_TIMEOUT_SECONDS = 60;
/** AAS defaults for SageMaker endpoint variants: 300 s each (API Reference, TargetTrackingScalingPolicyConfiguration, read 2026-11-30). */
export const DEFAULT_COOLDOWN_SECONDS = 300;
const LN10 = Math.log(10);

/** What Application Auto Scaling holds for the variant after the learner's code ran. */
export interface ScalingConfiguration {
  minCapacity: number;
  maxCapacity: number;
  /** The target tracking policy on SageMakerVariantInvocationsPerInstance; none: capacity stays put. */
  policy?: {
    targetValue: number;
    scaleOutCooldownSeconds: number;
    scaleInCooldownSeconds: number;
    disableScaleIn: boolean;
  };
}

export interface DayScenario {
  name: string;
  instanceType: string;
  pricePerHourUsd: number;
  /** p90 latency goal, ms. */
  latencyGoalMs: number;
  loadTest: LoadTest;
  /** Requests per minute to the whole variant, one entry per minute of the day. */
  traffic: readonly number[];
  /** Instances in service when the day starts (then clamped into [Min, Max]). */
  initialInstances: number;
}

export interface MinuteRecord {
  minute: number;
  requests: number;
  inService: number;
  /** Desired capacity: in service plus those being provisioned. */
  desired: number;
  /** p90 latency of the minute's requests, ms; null when no instance answered. */
  latencyMs: number | null;
  failed: number;
  overGoal: boolean;
  /** The InvocationsPerInstance datapoint; null when missing. */
  metric: number | null;
}

export interface ScalingActivity {
  minute: number;
  kind: 'out' | 'in';
  from: number;
  to: number;
  /** Minute the new instances came into service (scale-out). */
  inServiceAt?: number;
}

export interface DayRun {
  scenario: DayScenario;
  configuration: ScalingConfiguration;
  /** μ fitted to the load test: requests per second one instance completes when busy. */
  serviceRate: number;
  minutes: MinuteRecord[];
  activities: ScalingActivity[];
  minutesOverGoal: number;
  failedRequests: number;
  instanceHours: number;
  costUsd: number;
  /** Scale-ins followed within 15 minutes by a scale-out: capacity removed and bought back. */
  flaps: ScalingActivity[];
}

/**
 * μ of one instance from a load test: each point below saturation gives μ = λ + ln 10 / p90
 * (M/M/1); the median of those is robust to the tester's noise.
 */
export function serviceRateOf(loadTest: LoadTest): number {
  const estimates = loadTest.points
    .filter((p) => p.errorRate === 0 && p.p90LatencyMs > 0 && p.requestsPerSecond > 0)
    .map((p) => p.requestsPerSecond + LN10 / (p.p90LatencyMs / 1000))
    .sort((a, b) => a - b);
  if (!estimates.length) throw new Error(`The load test of ${loadTest.instanceType} has no point without errors to calibrate the latency model with.`);
  const mid = Math.floor(estimates.length / 2);
  return estimates.length % 2 ? estimates[mid]! : (estimates[mid - 1]! + estimates[mid]!) / 2;
}

/** p90 latency (ms) of one instance serving `rps` requests per second with nothing queued. */
export function p90LatencyMs(serviceRate: number, rps: number): number {
  const utilisation = Math.min(rps / serviceRate, 0.99);
  return (LN10 / (serviceRate * (1 - utilisation))) * 1000;
}

export function simulateDay(scenario: DayScenario, configuration: ScalingConfiguration): DayRun {
  const mu = serviceRateOf(scenario.loadTest);
  const { minCapacity: min, maxCapacity: max, policy } = configuration;
  const clamp = (n: number) => Math.min(max, Math.max(min, n));

  let inService = clamp(scenario.initialInstances);
  let desired = inService;
  let pending: { count: number; at: number } | undefined;
  let backlog = 0;
  let scaleOutCooldownUntil = -Infinity;
  let scaleInCooldownUntil = -Infinity;
  const datapoints: (number | null)[] = [];
  const minutes: MinuteRecord[] = [];
  const activities: ScalingActivity[] = [];
  let instanceMinutes = 0;

  for (let t = 0; t < scenario.traffic.length; t++) {
    if (pending && pending.at <= t) {
      inService += pending.count;
      const done = activities[activities.length - 1]!;
      done.inServiceAt = t;
      if (policy) scaleOutCooldownUntil = t + policy.scaleOutCooldownSeconds / 60;
      pending = undefined;
    }
    const requests = Math.max(0, Math.round(scenario.traffic[t]!));
    instanceMinutes += desired;

    // Serve the minute.
    let latencyMs: number | null = null;
    let failed = 0;
    if (inService === 0) {
      failed = requests + backlog;
      backlog = 0;
    } else {
      const capacity = mu * 60 * inService;
      const offered = requests + backlog;
      const served = Math.min(offered, capacity);
      let left = offered - served;
      // Whoever would wait past the invocation timeout is answered with an error.
      const maxQueue = mu * INVOCATION_TIMEOUT_SECONDS * inService;
      if (left > maxQueue) {
        failed = Math.round(left - maxQueue);
        left = maxQueue;
      }
      const waitSeconds = (backlog + left) / 2 / (mu * inService);
      latencyMs = Math.round(p90LatencyMs(mu, requests / 60 / inService) + waitSeconds * 1000);
      backlog = left;
    }
    const metric = inService > 0 && requests > 0 ? requests / inService : null;
    datapoints.push(metric);
    minutes.push({
      minute: t,
      requests,
      inService,
      desired,
      latencyMs,
      failed,
      overGoal: requests > 0 && (failed > 0 || latencyMs === null || latencyMs > scenario.latencyGoalMs),
      metric,
    });

    // Target tracking acts on the alarms at the end of the minute.
    if (!policy || pending) continue;
    const target = policy.targetValue;
    const recent = (n: number) => (datapoints.length >= n ? datapoints.slice(-n) : undefined);
    const high = recent(SCALE_OUT_DATAPOINTS)?.every((m) => m !== null && m > target) ?? false;
    const low = recent(SCALE_IN_DATAPOINTS)?.every((m) => m !== null && m < SCALE_IN_THRESHOLD * target) ?? false;
    if (high && metric !== null) {
      const wanted = clamp(Math.ceil((inService * metric) / target));
      // During the scale-out cooldown only a larger scale-out happens; the capacity already
      // added counts as desired capacity (it is: `desired` includes it).
      const blocked = t < scaleOutCooldownUntil && wanted <= desired;
      if (wanted > desired && !blocked) {
        activities.push({ minute: t, kind: 'out', from: desired, to: wanted });
        pending = { count: wanted - inService, at: t + 1 + PROVISIONING_MINUTES };
        desired = wanted;
        scaleInCooldownUntil = -Infinity; // a scale-out ends the scale-in cooldown
      }
    } else if (low && metric !== null && !policy.disableScaleIn && t >= scaleInCooldownUntil) {
      const needed = clamp(Math.ceil((inService * metric) / target));
      // Scale-in is gradual: at most half of the instances the metric says are not needed.
      const wanted = inService - Math.max(1, Math.floor((inService - needed) / 2));
      if (needed < inService) {
        activities.push({ minute: t, kind: 'in', from: inService, to: wanted });
        inService = wanted;
        desired = wanted;
        scaleInCooldownUntil = t + 1 + policy.scaleInCooldownSeconds / 60;
      }
    }
  }

  const flaps = activities.filter((a, i) => a.kind === 'in' && activities.slice(i + 1).some((b) => b.kind === 'out' && b.minute - a.minute <= 15));
  const instanceHours = instanceMinutes / 60;
  return {
    scenario,
    configuration,
    serviceRate: mu,
    minutes,
    activities,
    minutesOverGoal: minutes.filter((m) => m.overGoal).length,
    failedRequests: minutes.reduce((sum, m) => sum + m.failed, 0),
    instanceHours,
    costUsd: Math.round(instanceHours * scenario.pricePerHourUsd * 100) / 100,
    flaps,
  };
}
