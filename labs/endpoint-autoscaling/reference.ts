// The rules of steps 2–4 as the checks apply them: the target a load test gives, the capacity
// a forecast needs, the cooldowns, and what a good day looks like. Each is computed from the
// case at hand (the load test, the limits, the day), never from a table of answers.

import type { LoadTest, LoadTestPoint, ScalingLimits } from './starter/serving.ts';
import type { DayRun, DayScenario } from './capacity-simulator.ts';

/** A point met the goal when its p90 is within the goal and nothing failed. */
export function metGoal(point: LoadTestPoint, loadTest: LoadTest): boolean {
  return point.p90LatencyMs <= loadTest.latencyGoalMs && point.errorRate === 0;
}

/** The highest rate that met the goal; undefined when none did. */
export function maxRps(loadTest: LoadTest): number | undefined {
  const passing = loadTest.points.filter((p) => metGoal(p, loadTest)).map((p) => p.requestsPerSecond);
  return passing.length ? Math.max(...passing) : undefined;
}

/**
 * SageMakerVariantInvocationsPerInstance = MAX_RPS × SAFETY_FACTOR × 60 (SageMaker Developer
 * Guide, "Load testing your auto scaling configuration", read 2026-11-30: the metric is per
 * minute, "multiply by 60 to convert from RPS to invocations-per-minute").
 */
export function referenceTarget(loadTest: LoadTest): number | undefined {
  const rps = maxRps(loadTest);
  return rps === undefined ? undefined : rps * loadTest.safetyFactor * 60;
}

/** A learner's target is right when it is the exact value or rounded down to a whole number. */
export function targetAccepted(got: number, expected: number): boolean {
  return got <= expected + 1e-9 * expected && got >= Math.floor(expected) - 1e-9;
}

/** Instances the forecast peak needs at the target. */
export function peakInstances(limits: ScalingLimits): number {
  return Math.ceil((limits.peakRequestsPerSecond * 60) / limits.targetInvocationsPerInstance - 1e-9);
}

export function expectedMinCapacity(limits: ScalingLimits): number {
  return Math.max(1, limits.minInstances);
}

/** MaxCapacity: at least the peak's instances (and Min), at most twice as many. */
export function maxCapacityRange(limits: ScalingLimits): { low: number; high: number } {
  const min = expectedMinCapacity(limits);
  const n = peakInstances(limits);
  return { low: Math.max(min, n), high: Math.max(min, 2 * n) };
}

export const COOLDOWNS = {
  /** At least the time it takes to get an instance back: 3 minutes of alarm and 6 of provisioning, rounded up. */
  minScaleInSeconds: 600,
  /** At most the default: scale out as soon as the metric says so. */
  maxScaleOutSeconds: 300,
} as const;

export const DAY_BUDGET = {
  /** Minutes of the day whose p90 may exceed the goal. */
  minutesOverGoal: 2,
  /** Instance-hours, as a multiple of what a perfect scaler at the right target would use. */
  instanceHoursRatio: 1.5,
} as const;

/**
 * The instance-hours of a perfect scaler: every minute exactly the instances that minute's
 * requests need at the target the load test gives, never fewer than the floor.
 */
export function idealInstanceHours(scenario: DayScenario, target: number, floor: number): number {
  let minutes = 0;
  for (const requests of scenario.traffic) minutes += Math.max(floor, Math.ceil(requests / target));
  return minutes / 60;
}

export interface DaySummary {
  minutesOverGoal: number;
  instanceHours: number;
  idealInstanceHours: number;
  costUsd: number;
  scaleOuts: number;
  scaleIns: number;
  flaps: number;
  peakInService: number;
}

export function summarise(run: DayRun, floor: number): DaySummary {
  const target = referenceTarget(run.scenario.loadTest)!;
  return {
    minutesOverGoal: run.minutesOverGoal,
    instanceHours: Math.round(run.instanceHours * 10) / 10,
    idealInstanceHours: Math.round(idealInstanceHours(run.scenario, target, floor) * 10) / 10,
    costUsd: run.costUsd,
    scaleOuts: run.activities.filter((a) => a.kind === 'out').length,
    scaleIns: run.activities.filter((a) => a.kind === 'in').length,
    flaps: run.flaps.length,
    peakInService: Math.max(...run.minutes.map((m) => m.inService)),
  };
}
