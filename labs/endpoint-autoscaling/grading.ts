// How the endpoint-autoscaling checks judge the learner's serving.ts: each helper runs one rule
// of the steps and, when it does not hold, fails with what was expected and what the code did —
// the workload, the load test's point, the request sent to Application Auto Scaling, the minute
// of the simulated day — and the likely cause when the pattern is recognisable.

import { count, describe, describeThrown, expectThrows, fail, isNotImplemented, list, spansWhere } from 'whetstone/checks';
import type { SeriesSpec } from 'whetstone/checks';
import { SAGEMAKER_VARIANT_DIMENSION, sageMakerVariantResourceId } from 'whetstone/aws/application-auto-scaling';
import type { PolicyRecord, TargetRecord } from 'whetstone/aws/application-auto-scaling';
import type { Context } from './checks.ts';
import type { LoadTest, ScalingLimits, Workload } from './starter/serving.ts';
import { DEFAULT_COOLDOWN_SECONDS, PROVISIONING_MINUTES, SCALE_OUT_DATAPOINTS, simulateDay } from './capacity-simulator.ts';
import type { DayRun, ScalingConfiguration } from './capacity-simulator.ts';
import { decide, describeWorkload, explainOption } from './sagemaker-options.ts';
import {
  COOLDOWNS,
  DAY_BUDGET,
  expectedMinCapacity,
  maxCapacityRange,
  maxRps,
  metGoal,
  peakInstances,
  referenceTarget,
  summarise,
  targetAccepted,
} from './reference.ts';
import type { DayCase, EndpointCase } from './scenarios.ts';

const METRIC = 'SageMakerVariantInvocationsPerInstance';
const number = (n: number, digits = 2) => Number(n.toFixed(digits)).toLocaleString('en-US', { maximumFractionDigits: digits });

/** 0 → '00:00', 1231 → '20:31'. */
export function timeOfDay(minute: number): string {
  return `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
}

// ---------------------------------------------------------------------------------------------
// Step 1: deploymentOption.

/** Every workload's option must follow step 1's rules; fails on the first wrong one, counting the others. */
export async function expectOptions({ serving, submission }: Context, workloads: readonly Workload[]): Promise<void> {
  const problems: string[] = [];
  for (const workload of workloads) {
    const decision = decide(workload);
    if (decision.option === 'none') {
      await expectThrows(() => serving.deploymentOption(structuredClone(workload)), {
        when: `For workload ${describeWorkload(workload)}`,
        call: 'deploymentOption',
        naming: { value: workload.name, what: 'the workload' },
        because: `No SageMaker option serves it: ${decision.because}. Throw an Error that names the workload, so the plan shows which one needs splitting.`,
      });
      continue;
    }
    let got: unknown;
    try {
      got = await serving.deploymentOption(structuredClone(workload));
    } catch (error) {
      if (isNotImplemented(error)) throw error;
      problems.push(`For workload ${describeWorkload(workload)}, deploymentOption threw ${describeThrown(error, submission.files)}; it is '${decision.option}': ${decision.because}.`);
      continue;
    }
    const problem = explainOption(workload, got);
    if (problem) problems.push(problem);
  }
  if (problems.length) {
    const more = problems.length - 1;
    fail(problems[0]! + (more ? ` (${count(more, 'more workload')} of ${workloads.length} ${more === 1 ? 'is' : 'are'} wrong too.)` : ''));
  }
}

// ---------------------------------------------------------------------------------------------
// Step 2: targetInvocations.

function describePoint(p: LoadTest['points'][number]): string {
  return `${number(p.requestsPerSecond)} requests/s (p90 ${p.p90LatencyMs.toLocaleString('en-US')} ms${p.errorRate ? `, ${number(p.errorRate * 100, 1)}% errors` : ''})`;
}

/** What a wrong target looks like, when it looks like something. */
function diagnoseTarget(loadTest: LoadTest, got: number, expected: number): string | undefined {
  const best = maxRps(loadTest)!;
  const sf = loadTest.safetyFactor;
  const near = (a: number, b: number) => Math.abs(a - b) <= Math.max(1e-6, Math.abs(b) * 1e-6) || (a < b && a >= Math.floor(b) - 1e-9);
  if (near(got, expected / 60)) {
    return `That is ${number(best)} × ${sf}: requests per second. SageMakerVariantInvocationsPerInstance counts invocations per instance per minute, so multiply by 60; a per-second target is 60 times too low and keeps the endpoint at MaxCapacity all day.`;
  }
  if (near(got, best * 60)) {
    return `That is ${number(best)} × 60, the tested rate with no safety factor: the instances would run at the edge of the goal, and the first burst pushes them past it. Multiply by the safetyFactor (${sf}).`;
  }
  if (near(got, best * sf)) return undefined;
  if (got > expected && got <= Math.ceil(expected) + 1e-9) {
    return `That is ${number(expected)} rounded up: a target above the safe rate. Leave it as it is or round it down.`;
  }
  for (const p of loadTest.points) {
    if (p.requestsPerSecond === best) continue;
    if (near(got, p.requestsPerSecond * sf * 60) || near(got, p.requestsPerSecond * sf)) {
      const why = metGoal(p, loadTest)
        ? `it met the goal, but ${number(best)} requests/s did too, and the target comes from the highest rate that did`
        : p.errorRate > 0
          ? 'requests failed at that rate: a point with errors did not meet the goal, whatever its latency'
          : `its p90 is above the ${loadTest.latencyGoalMs} ms goal`;
      return `It is computed from the point at ${describePoint(p)}, but ${why}.`;
    }
  }
  return undefined;
}

/** targetInvocations must give MAX_RPS × safetyFactor × 60, or throw naming the instance type when no point passed. */
export async function expectTarget({ serving, submission }: Context, loadTest: LoadTest): Promise<void> {
  const expected = referenceTarget(loadTest);
  const label = `For the load test of ${loadTest.instanceType} (goal p90 ≤ ${loadTest.latencyGoalMs} ms, safety factor ${loadTest.safetyFactor}, ${count(loadTest.points.length, 'point')})`;
  if (expected === undefined) {
    await expectThrows(() => serving.targetInvocations(structuredClone(loadTest)), {
      when: label,
      call: 'targetInvocations',
      naming: { value: loadTest.instanceType, what: 'the instance type' },
      because: `No point met the goal (${list(loadTest.points.map(describePoint), 3)}): this instance type cannot serve the model within it at any rate. Throw an Error that names it, so nobody scales an endpoint that can never meet its goal.`,
    });
    return;
  }
  let got: unknown;
  try {
    got = await serving.targetInvocations(structuredClone(loadTest));
  } catch (error) {
    if (isNotImplemented(error)) throw error;
    fail(`${label}, targetInvocations threw ${describeThrown(error, submission.files)}; the target is ${number(expected)}.`);
  }
  const best = maxRps(loadTest)!;
  const recipe = `the highest rate that met the goal is ${number(best)} requests/s, so the target is ${number(best)} × ${loadTest.safetyFactor} × 60 = ${number(expected)} invocations per instance per minute`;
  if (typeof got !== 'number' || !Number.isFinite(got)) fail(`${label}, targetInvocations returned ${describe(got)}, not a number: ${recipe}.`);
  if (targetAccepted(got, expected)) return;
  const why = diagnoseTarget(loadTest, got, expected);
  fail(`${label}, targetInvocations returned ${number(got)}, but ${recipe}.${why ? ` ${why}` : ''}`);
}

// ---------------------------------------------------------------------------------------------
// Step 3: configureAutoScaling.

export interface Configured {
  resourceId: string;
  target?: TargetRecord;
  policies: PolicyRecord[];
}

/** Calls the AWS made, for messages: 'RegisterScalableTarget (ValidationException), PutScalingPolicy'. */
function callsMade({ env }: Context): string {
  const calls = env.trace.calls('application-autoscaling');
  if (!calls.length) return 'no Application Auto Scaling request';
  return list(calls.map((c) => (c.outcome && c.outcome !== 'ok' ? `${c.operation} (${c.outcome})` : c.operation)), 5);
}

function awsHint(error: unknown): string {
  const name = error instanceof Error ? error.name : '';
  if (name === 'ObjectNotFoundException') return ' A scaling policy applies to a registered scalable target: send RegisterScalableTarget first, and PutScalingPolicy once it has answered.';
  if (name === 'ValidationException') return ' Application Auto Scaling refused the request: read its message, it names the member.';
  return '';
}

/** Run the learner's configureAutoScaling on a fresh variant and read back what AAS holds for it. */
export async function configure(ctx: Context, c: EndpointCase, limits: ScalingLimits = c.limits): Promise<Configured> {
  const { fake, aas, serving, submission } = ctx;
  const resourceId = sageMakerVariantResourceId(c.endpointName, c.variantName);
  // The variant exists (SageMaker created it); declaring it again changes nothing registered.
  fake.addSageMakerVariant({ endpointName: c.endpointName, variantName: c.variantName, instanceType: c.instanceType, instanceCount: c.instanceCount });
  try {
    await serving.configureAutoScaling(aas, c.endpointName, c.variantName, { ...limits });
  } catch (error) {
    if (isNotImplemented(error)) throw error;
    fail(
      `${call(c, limits)} threw ${describeThrown(error, submission.files)} after ${callsMade(ctx)}.${awsHint(error)}`,
    );
  }
  return {
    resourceId,
    target: fake.target('sagemaker', resourceId, SAGEMAKER_VARIANT_DIMENSION),
    policies: fake.policies({ namespace: 'sagemaker', resourceId, dimension: SAGEMAKER_VARIANT_DIMENSION }),
  };
}

function call(c: EndpointCase, limits: ScalingLimits = c.limits): string {
  return `configureAutoScaling(aas, '${c.endpointName}', '${c.variantName}', { targetInvocationsPerInstance: ${limits.targetInvocationsPerInstance}, peakRequestsPerSecond: ${limits.peakRequestsPerSecond}, minInstances: ${limits.minInstances} })`;
}

/** The registered target, or a failure that says what was registered instead. */
function registered(ctx: Context, c: EndpointCase, configured: Configured, limits: ScalingLimits = c.limits): TargetRecord {
  if (configured.target) return configured.target;
  const others = ctx.fake.targets();
  const instead = others.length ? ` It holds ${list(others.map((t) => `${t.resourceId} (${t.scalableDimension})`))} instead.` : '';
  fail(
    `After ${call(c, limits)}, Application Auto Scaling holds no scalable target for ServiceNamespace 'sagemaker', ResourceId '${configured.resourceId}', ScalableDimension '${SAGEMAKER_VARIANT_DIMENSION}'.${instead} Your code sent ${callsMade(ctx)}. Register the variant with RegisterScalableTargetCommand.`,
  );
}

export async function expectRegistered(ctx: Context, c: EndpointCase): Promise<void> {
  registered(ctx, c, await configure(ctx, c));
}

export async function expectMinCapacity(ctx: Context, cases: readonly EndpointCase[]): Promise<void> {
  for (const c of cases) {
    const target = registered(ctx, c, await configure(ctx, c));
    const expected = expectedMinCapacity(c.limits);
    if (target.minCapacity === expected) continue;
    const why =
      target.minCapacity === 0
        ? `A real-time variant with no instance answers no request, and target tracking cannot bring one back: SageMakerVariantInvocationsPerInstance has no datapoint without an instance (scaling out from zero takes a step scaling policy, and minutes of failed requests). Keep at least 1; for traffic that may wait while an instance starts, step 1's asynchronous option scales to zero.`
        : target.minCapacity < expected
          ? `The team asked for at least ${c.limits.minInstances} (instances in more than one Availability Zone): MinCapacity is that floor.`
          : `MinCapacity is the floor the team asked for${c.limits.minInstances === 0 ? ', and 1 when it asked for 0' : ''}: every instance above it is paid for all night.`;
    fail(`After ${call(c)}, the variant's MinCapacity is ${target.minCapacity}; it must be ${expected}. ${why}`);
  }
}

export async function expectMaxCapacity(ctx: Context, cases: readonly EndpointCase[]): Promise<void> {
  for (const c of cases) {
    const target = registered(ctx, c, await configure(ctx, c));
    const { low, high } = maxCapacityRange(c.limits);
    if (target.maxCapacity >= low && target.maxCapacity <= high) continue;
    const n = peakInstances(c.limits);
    const need = `the forecast peak of ${c.limits.peakRequestsPerSecond} requests/s is ${c.limits.peakRequestsPerSecond * 60} invocations a minute, which at ${c.limits.targetInvocationsPerInstance} per instance needs ⌈${number((c.limits.peakRequestsPerSecond * 60) / c.limits.targetInvocationsPerInstance)}⌉ = ${n} instances`;
    if (target.maxCapacity < low) {
      fail(`After ${call(c)}, the variant's MaxCapacity is ${target.maxCapacity}, but ${need}${low > n ? ` (and Max may not be below MinCapacity, ${low})` : ''}: with less, the peak runs above the target, and a burst on top of it past the goal. Round up.`);
    }
    fail(`After ${call(c)}, the variant's MaxCapacity is ${target.maxCapacity}: ${need}. Keep Max at most twice that (${high}): MaxCapacity is also the ceiling on the bill when a client misbehaves.`);
  }
}

/** The target tracking policy on the variant's invocations, or a failure that says what there is instead. */
function trackingPolicy(ctx: Context, c: EndpointCase, configured: Configured): PolicyRecord {
  const policies = configured.policies;
  const tracking = policies.filter((p) => p.policyType === 'TargetTrackingScaling' && p.targetTracking?.PredefinedMetricSpecification?.PredefinedMetricType === METRIC);
  if (tracking.length === 1) return tracking[0]!;
  if (tracking.length > 1) {
    fail(`After ${call(c)}, the variant has ${count(tracking.length, 'target tracking policy', 'target tracking policies')} on ${METRIC} (${list(tracking.map((p) => p.policyName))}): keep one, so there is one target to reason about.`);
  }
  const what = policies.length
    ? `it has ${list(policies.map((p) => `${p.policyName} (${p.policyType}${p.targetTracking ? `, metric ${p.targetTracking.PredefinedMetricSpecification?.PredefinedMetricType ?? 'customized'}` : ''})`))}`
    : 'it has no scaling policy';
  fail(`After ${call(c)}, ${what}; your code sent ${callsMade(ctx)}. Attach a policy with PutScalingPolicyCommand: PolicyType 'TargetTrackingScaling', PredefinedMetricSpecification { PredefinedMetricType: '${METRIC}' }.`);
}

export async function expectPolicy(ctx: Context, c: EndpointCase): Promise<void> {
  const policy = trackingPolicy(ctx, c, await configure(ctx, c));
  const value = policy.targetTracking!.TargetValue!;
  const expected = c.limits.targetInvocationsPerInstance;
  if (value === expected) return;
  const hint = Math.abs(value - expected / 60) < 1e-6 ? ' (divided by 60: the metric and the target are both per minute already)' : Math.abs(value - expected * 60) < 1e-6 ? ' (multiplied by 60: targetInvocationsPerInstance is per minute already)' : '';
  fail(`After ${call(c)}, the policy ${policy.policyName} has TargetValue ${value}${hint}; it must be targetInvocationsPerInstance, ${expected}: the target step 2 computed from the load test.`);
}

export async function expectUpdated(ctx: Context, c: EndpointCase): Promise<void> {
  await configure(ctx, c);
  const next: ScalingLimits = {
    targetInvocationsPerInstance: Math.round(c.limits.targetInvocationsPerInstance * 0.8),
    peakRequestsPerSecond: Math.round(c.limits.peakRequestsPerSecond * 1.5),
    minInstances: c.limits.minInstances + 1,
  };
  const configured = await configure(ctx, c, next);
  const target = registered(ctx, c, configured, next);
  const policies = configured.policies;
  if (policies.length > 1) {
    fail(
      `After ${call(c)} and then ${call(c, next)}, the variant has ${count(policies.length, 'scaling policy', 'scaling policies')} (${list(policies.map((p) => p.policyName))}). Each run must replace the policy, not add one: give it a fixed PolicyName, and PutScalingPolicy replaces the policy of that name (there is room for at most 50 a target, and every extra one also scales the variant).`,
    );
  }
  const policy = trackingPolicy(ctx, c, configured);
  const expectMin = expectedMinCapacity(next);
  const { low, high } = maxCapacityRange(next);
  const problems: string[] = [];
  if (target.minCapacity !== expectMin) problems.push(`MinCapacity is ${target.minCapacity}, not ${expectMin}`);
  if (target.maxCapacity < low || target.maxCapacity > high) problems.push(`MaxCapacity is ${target.maxCapacity}, not between ${low} and ${high}`);
  if (policy.targetTracking!.TargetValue !== next.targetInvocationsPerInstance) problems.push(`the TargetValue is ${policy.targetTracking!.TargetValue}, not ${next.targetInvocationsPerInstance}`);
  if (problems.length) fail(`After ${call(c)} and then ${call(c, next)}, ${problems.join('; ')}: the second run must leave the second limits in force.`);
}

// ---------------------------------------------------------------------------------------------
// Step 4: cooldowns and the day.

/** What AAS holds for the variant, as the simulator needs it; a failure when there is nothing to simulate. */
export function scalingConfiguration(ctx: Context, c: EndpointCase | DayCase['endpoint'], configured: Configured, limits: ScalingLimits): ScalingConfiguration {
  const endpoint = { ...c, limits } as EndpointCase;
  const target = registered(ctx, endpoint, configured, limits);
  const policy = trackingPolicy(ctx, endpoint, configured).targetTracking!;
  return {
    minCapacity: target.minCapacity,
    maxCapacity: target.maxCapacity,
    policy: {
      targetValue: policy.TargetValue!,
      scaleOutCooldownSeconds: policy.ScaleOutCooldown ?? DEFAULT_COOLDOWN_SECONDS,
      scaleInCooldownSeconds: policy.ScaleInCooldown ?? DEFAULT_COOLDOWN_SECONDS,
      disableScaleIn: policy.DisableScaleIn ?? false,
    },
  };
}

function flapNote(run: DayRun): string {
  const ins = run.activities.filter((a) => a.kind === 'in').length;
  return `${count(ins, 'scale-in')}, ${run.flaps.length} of them bought back by a scale-out within 15 minutes`;
}

export async function expectCooldowns(ctx: Context, c: EndpointCase, day: DayCase): Promise<void> {
  const configured = await configure(ctx, c);
  const config = scalingConfiguration(ctx, c, configured, c.limits);
  const { scaleInCooldownSeconds: scaleIn, scaleOutCooldownSeconds: scaleOut } = config.policy!;
  const policy = configured.policies.find((p) => p.targetTracking)!;
  const said = (value: number | undefined, effective: number) => (value === undefined ? `not set (the default, ${effective} s)` : `${effective} s`);
  if (scaleIn < COOLDOWNS.minScaleInSeconds) {
    // The same day with the learner's policy, then with the cooldown the rule asks for.
    const dayLimits: ScalingLimits = { ...day.forecast, targetInvocationsPerInstance: referenceTarget(day.scenario.loadTest)! };
    const asIs = { ...config, minCapacity: expectedMinCapacity(dayLimits), maxCapacity: maxCapacityRange(dayLimits).low, policy: { ...config.policy!, targetValue: dayLimits.targetInvocationsPerInstance } };
    const mine = simulateDay(day.scenario, asIs);
    const ruled = simulateDay(day.scenario, { ...asIs, policy: { ...asIs.policy, scaleInCooldownSeconds: COOLDOWNS.minScaleInSeconds } });
    fail(
      `The policy ${policy.policyName}'s ScaleInCooldown is ${said(policy.targetTracking!.ScaleInCooldown, scaleIn)}; it must be at least ${COOLDOWNS.minScaleInSeconds} s. An instance removed takes ${SCALE_OUT_DATAPOINTS} minutes of alarm and ${PROVISIONING_MINUTES} of provisioning to come back, so scale in no faster than you can scale out again. On ${day.story}, this cooldown made ${flapNote(mine)}, and ${count(mine.minutesOverGoal, 'minute')} over the goal; at ${COOLDOWNS.minScaleInSeconds} s: ${flapNote(ruled)}, ${count(ruled.minutesOverGoal, 'minute')} over the goal.`,
    );
  }
  if (scaleOut > COOLDOWNS.maxScaleOutSeconds) {
    fail(
      `The policy ${policy.policyName}'s ScaleOutCooldown is ${scaleOut} s; keep it at most ${COOLDOWNS.maxScaleOutSeconds} s. Its only job is to stop Application Auto Scaling adding the same capacity twice, and SageMaker already counts the instances in flight: a long one can only hold back the next step of a growing burst.`,
    );
  }
  if (config.policy!.disableScaleIn) {
    fail(`The policy ${policy.policyName} has DisableScaleIn true: the variant would keep its busiest hour's instances all night. Let the policy scale in, slowly (the cooldown).`);
  }
}

/** Latency above this many times the goal is drawn at it, so the goal line stays readable. */
const LATENCY_CLIP = 4;

/**
 * The day as a picture: per minute, the traffic (as the instances it needs at the load test's
 * target, so it shares an axis with the instances in service), the instances in service, and
 * the p90 latency against the goal, the minutes over it shaded.
 */
export function dayFigure(day: DayCase, run: DayRun, reference: number): SeriesSpec {
  const goal = day.scenario.latencyGoalMs;
  const ceiling = LATENCY_CLIP * goal;
  const latency = run.minutes.map((m) => (m.requests === 0 ? null : m.latencyMs === null ? ceiling : Math.min(m.latencyMs, ceiling)));
  return {
    kind: 'series',
    title: `Your day: ${day.name}`,
    caption: `Per simulated minute, on ${day.story}: p90 latency (left axis; failed requests and latency above ${LATENCY_CLIP}× the goal drawn at ${number(ceiling, 0)} ms), instances in service, and the traffic as the instances it needs at the load test's target of ${number(reference)} invocations per instance per minute (right axis).`,
    x: { label: 'minute of the day', unit: 'min', start: 0, step: 1 },
    series: [
      { name: 'p90 latency', unit: 'ms', values: latency },
      { name: 'instances in service', unit: 'instances', axis: 'right', values: run.minutes.map((m) => m.inService) },
      { name: 'traffic (instances needed)', unit: 'instances', axis: 'right', values: run.minutes.map((m) => Math.round((m.requests / reference) * 100) / 100) },
    ],
    lines: [{ label: 'latency goal', value: goal, series: 'p90 latency' }],
    ranges: spansWhere(run.minutes.map((m) => (m.overGoal ? 1 : 0)), (over) => over === 1, { label: 'over the goal' }),
  };
}

/**
 * A day on the simulator with the learner's whole pipeline: their target from the day's load
 * test, their configuration on the day's variant, then minute by minute, judged on the budgets
 * named (the day's figures are noted either way).
 */
export async function expectDay(ctx: Context, day: DayCase, budgets: readonly ('latency' | 'cost')[]): Promise<DayRun> {
  const { serving, submission } = ctx;
  const test = day.scenario.loadTest;
  let target: unknown;
  try {
    target = await serving.targetInvocations(structuredClone(test));
  } catch (error) {
    if (isNotImplemented(error)) throw error;
    fail(`On ${day.story}: targetInvocations threw ${describeThrown(error, submission.files)} for its load test, so there is no target to scale on (step 2).`);
  }
  if (typeof target !== 'number' || !Number.isFinite(target) || target <= 0) {
    fail(`On ${day.story}: targetInvocations returned ${describe(target)} for its load test, not a positive number to scale on (step 2).`);
  }
  const limits: ScalingLimits = { ...day.forecast, targetInvocationsPerInstance: target };
  const endpoint: EndpointCase = { ...day.endpoint, limits };
  const configured = await configure(ctx, endpoint, limits);
  const config = scalingConfiguration(ctx, endpoint, configured, limits);
  const run = simulateDay(day.scenario, config);
  const floor = expectedMinCapacity(limits);
  const s = summarise(run, floor);
  const reference = referenceTarget(test)!;
  const figures = `${count(s.minutesOverGoal, 'minute')} over the ${day.scenario.latencyGoalMs} ms goal; ${number(s.instanceHours, 1)} instance-hours ($${number(s.costUsd)} at $${day.scenario.pricePerHourUsd}/h), ${number(s.instanceHours / s.idealInstanceHours)}× a perfect scaler's ${number(s.idealInstanceHours, 1)}; ${s.scaleOuts} scale-outs, ${s.scaleIns} scale-ins (${s.flaps} bought back within 15 minutes); at most ${s.peakInService} instances in service`;
  ctx.note(`Your day: ${figures}.`);
  // One picture per day: the latency check shows it (the public cost check plays the same day).
  if (budgets.includes('latency')) ctx.show(dayFigure(day, run, reference));
  const targetNote =
    Math.abs(target - reference) > Math.max(1, reference * 1e-6) ? ` Your policy tracked ${number(target)} invocations per instance per minute; the load test gives ${number(reference)}.` : '';
  if (budgets.includes('latency') && s.minutesOverGoal > DAY_BUDGET.minutesOverGoal) {
    const over = run.minutes.filter((m) => m.overGoal);
    const worst = over.reduce((a, m) => ((m.latencyMs ?? Infinity) > (a.latencyMs ?? Infinity) ? m : a), over[0]!);
    const atMax = over.filter((m) => m.inService >= config.maxCapacity).length;
    // A target off the load test explains the day on its own; otherwise, what the day shows.
    const cause = targetNote
      ? ''
      : atMax > over.length / 2
        ? ` In ${atMax} of those minutes every instance MaxCapacity allows (${config.maxCapacity}) was in service.`
        : run.flaps.length > s.scaleOuts / 2
          ? ` Instances removed between bursts had to be bought back: ${flapNote(run)} (scale-in cooldown ${config.policy!.scaleInCooldownSeconds} s).`
          : '';
    fail(
      `On ${day.story}: ${count(s.minutesOverGoal, 'minute')} had a p90 above ${day.scenario.latencyGoalMs} ms (at most ${DAY_BUDGET.minutesOverGoal} allowed), the first at ${timeOfDay(over[0]!.minute)}; the worst at ${timeOfDay(worst.minute)}: ${worst.requests.toLocaleString('en-US')} requests on ${count(worst.inService, 'instance')}, p90 ${worst.latencyMs === null ? 'none (no instance)' : `${worst.latencyMs.toLocaleString('en-US')} ms`}${worst.failed ? `, ${worst.failed.toLocaleString('en-US')} failed` : ''}.${cause}${targetNote}`,
    );
  }
  if (budgets.includes('cost') && s.instanceHours > DAY_BUDGET.instanceHoursRatio * s.idealInstanceHours) {
    fail(
      `On ${day.story}: your endpoint used ${number(s.instanceHours, 1)} instance-hours ($${number(s.costUsd)}), ${number(s.instanceHours / s.idealInstanceHours)}× the ${number(s.idealInstanceHours, 1)} a perfect scaler would use at the load test's target (at most ${DAY_BUDGET.instanceHoursRatio}×); up to ${s.peakInService} instances were in service.${targetNote}`,
    );
  }
  return run;
}

