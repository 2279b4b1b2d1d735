// The endpoint-autoscaling lab proves itself: `whetstone check` passes (the solution gets full
// marks in four time zones, the starter none, every anti-solution fails exactly the checks its
// patch lists, every alternative gets full marks), every failure says what was expected and what
// the code did, and the day is shown as a picture. The simulator is specified here on small days
// built for each rule of step 4; the public cases are the ones the steps quote.

import { describe, expect, it } from 'vitest';
import type { SeriesFigure } from '../../grader/report.ts';
import { seededRandom } from '../../grader/aws/env.ts';
import {
  DEFAULT_COOLDOWN_SECONDS,
  PROVISIONING_MINUTES,
  p90LatencyMs,
  serviceRateOf,
  simulateDay,
} from '../../labs/endpoint-autoscaling/capacity-simulator.ts';
import type { DayScenario, ScalingConfiguration } from '../../labs/endpoint-autoscaling/capacity-simulator.ts';
import { HOURLY_USD, PRICES_AS_OF } from '../../labs/endpoint-autoscaling/prices.ts';
import { maxCapacityRange, referenceTarget } from '../../labs/endpoint-autoscaling/reference.ts';
import { decide } from '../../labs/endpoint-autoscaling/sagemaker-options.ts';
import {
  HOPELESS_LOAD_TEST,
  RECS_DAY,
  RECS_ENDPOINT,
  RECS_LOAD_TEST,
  TRICKY_LOAD_TEST,
  WORKLOADS,
  seededDays,
  seededLoadTests,
  seededWorkloads,
} from '../../labs/endpoint-autoscaling/scenarios.ts';
import { loadTest } from '../../labs/endpoint-autoscaling/traffic.ts';
import { labVariants } from '../support/grade.ts';
import { gradingOf, labCheck } from '../support/lab-check.ts';

const LAB = 'endpoint-autoscaling';
const alternatives = labVariants(LAB, 'alternatives');
const wrong = labVariants(LAB, 'wrong');

describe('endpoint-autoscaling grading', () => {
  const check = labCheck(LAB);

  it('does not pass the starter', () => {
    const report = gradingOf(check(), 'starter');
    expect(report.score).toBe(0);
    expect(report.checks.find((c) => c.id === 'option-real-time')!.message).toMatch(/Not implemented yet: deploymentOption/);
  });

  it('has the anti-solutions the issue lists, and alternatives in other styles', () => {
    expect(alternatives.map((a) => a.name).sort()).toEqual(['rules-table-and-sdk-enums', 'stale-policies-and-headroom']);
    expect(wrong.map((w) => w.name)).toEqual(
      expect.arrayContaining([
        'per-second-target',
        'no-safety-factor',
        'min-capacity-zero',
        'max-below-peak',
        'policy-before-target',
        'short-scale-in-cooldown',
        'serverless-ignores-limits',
        'real-time-for-datasets',
        'real-time-for-large-payloads',
      ]),
    );
  });

  it('fails each anti-solution naming the function or call, and what it gave', () => {
    const subject = /^(For workload '|For the load test of |After configureAutoScaling\(|configureAutoScaling\(aas, |The policy |On )/;
    for (const variant of wrong) {
      for (const c of gradingOf(check(), `wrong/${variant.name}`).checks.filter((r) => r.status !== 'pass')) {
        expect(c.status, `${variant.name} ${c.id}: ${c.message}`).toBe('fail');
        expect(c.message, `${variant.name} ${c.id}`).toMatch(subject);
        expect(c.message, `${variant.name} ${c.id}`).toMatch(/returned|threw|is \d|has |holds|had a p90|used [\d.,]+ instance-hours|MinCapacity is|MaxCapacity is/);
      }
    }
  });

  it('blames the per-second target for the bill, and the missing safety factor for the bursts', () => {
    const perSecond = gradingOf(check(), 'wrong/per-second-target').checks.find((c) => c.id === 'target-per-minute')!;
    expect(perSecond.message).toMatch(/returned 20\.3, .* 40\.6 × 0\.5 × 60 = 1,218 .* requests per second\. SageMakerVariantInvocationsPerInstance counts invocations per instance per minute/);
    const day = gradingOf(check(), 'wrong/no-safety-factor').checks.find((c) => c.id === 'day-latency')!;
    expect(day.message).toMatch(/^On the recommendations API .*: \d+ minutes had a p90 above 250 ms .* Your policy tracked 2,436 invocations per instance per minute; the load test gives 1,218\./);
  });

  it("shows the learner's day as a chart: latency against the goal, instances in service and traffic per minute", () => {
    const chartOf = (subject: string) => {
      const result = gradingOf(check(), subject).checks.find((c) => c.id === 'day-latency')!;
      expect(result.figures, subject).toHaveLength(1);
      return result.figures![0] as SeriesFigure;
    };
    const solution = chartOf('solution');
    expect(solution.kind).toBe('series');
    expect(solution.series.map((s) => [s.name, s.axis, s.values.length])).toEqual([
      ['p90 latency', 'left', 1440],
      ['instances in service', 'right', 1440],
      ['traffic (instances needed)', 'right', 1440],
    ]);
    expect(solution.lines).toEqual([{ label: 'latency goal', value: 250, axis: 'left', series: 'p90 latency' }]);
    expect(solution.ranges ?? []).toEqual([]);
    const wrongDay = chartOf('wrong/no-safety-factor');
    expect(wrongDay.ranges!.length).toBeGreaterThan(0);
    expect(wrongDay.ranges!.every((r) => r.label === 'over the goal' && r.to > r.from)).toBe(true);
    // The failing check's own count of minutes over the goal is what the chart shades.
    const over = wrongDay.ranges!.reduce((sum, r) => sum + (r.to - r.from), 0);
    const message = gradingOf(check(), 'wrong/no-safety-factor').checks.find((c) => c.id === 'day-latency')!.message!;
    expect(message).toContain(`${over} minutes had a p90 above 250 ms`);
  });
});

describe('endpoint-autoscaling cases', () => {
  it('decides every public workload by the rule its check names', () => {
    const option = (w: keyof typeof WORKLOADS) => decide(WORKLOADS[w]).option;
    expect(['productRecs', 'fraudScoring', 'internalChatbot'].map((w) => option(w as keyof typeof WORKLOADS))).toEqual(['real-time', 'real-time', 'real-time']);
    expect(option('hrFormClassifier')).toBe('serverless');
    expect([option('receiptOcr'), option('visualSearch'), option('medicalImaging')]).toEqual(['real-time', 'real-time', 'asynchronous']);
    expect([option('videoModeration'), option('contractSummaries'), option('scannedArchive')]).toEqual(['asynchronous', 'asynchronous', 'asynchronous']);
    expect([option('nightlyChurn'), option('nightlyEmbeddings')]).toEqual(['batch-transform', 'batch-transform']);
    expect([option('genomeVariants'), option('satelliteMosaic')]).toEqual(['none', 'none']);
  });

  it('holds limits inclusive: 6 MB and 60 s fit real-time, 4 MB fits serverless', () => {
    const w = { name: 'edge', traffic: 'intermittent', latency: 'interactive', coldStartOk: true, gpu: false } as const;
    expect(decide({ ...w, payloadMB: 4, processingSeconds: 60 }).option).toBe('serverless');
    expect(decide({ ...w, payloadMB: 6, processingSeconds: 60 }).option).toBe('real-time');
    expect(decide({ ...w, payloadMB: 6.01, processingSeconds: 60 }).option).toBe('asynchronous');
    expect(decide({ ...w, payloadMB: 1024, processingSeconds: 3600 }).option).toBe('asynchronous');
    expect(decide({ ...w, payloadMB: 1024, processingSeconds: 3601 }).option).toBe('none');
  });

  it('draws hidden workloads that reach every option whatever the seed', () => {
    for (const seed of [1, 2, 3, 17, 99]) {
      const options = new Set(seededWorkloads(seed).map((w) => decide(w).option));
      expect([...options].sort(), `seed ${seed}`).toEqual(['asynchronous', 'batch-transform', 'none', 'real-time', 'serverless']);
    }
    expect(seededWorkloads(5)).toEqual(seededWorkloads(5));
  });

  it('computes the targets the steps quote', () => {
    expect(referenceTarget(RECS_LOAD_TEST)).toBeCloseTo(1218, 9);
    expect(referenceTarget(TRICKY_LOAD_TEST)).toBeCloseTo(504, 9); // 14 req/s: 18 lost requests, 16 was over the goal
    expect(referenceTarget(HOPELESS_LOAD_TEST)).toBeUndefined();
    expect(RECS_ENDPOINT.limits.targetInvocationsPerInstance).toBe(1218);
    expect(maxCapacityRange(RECS_ENDPOINT.limits)).toEqual({ low: 20, high: 40 }); // 24,000 / 1,218 = 19.7
  });

  it('draws hidden load tests with a load-shedding point and one that nothing passes', () => {
    for (const seed of [1, 4, 9]) {
      const tests = seededLoadTests(seed);
      expect(tests.slice(0, 3).every((t) => referenceTarget(t) !== undefined), `seed ${seed}`).toBe(true);
      const shedding = tests[2]!;
      expect(shedding.points.some((p) => p.errorRate > 0 && p.p90LatencyMs <= shedding.latencyGoalMs && p.requestsPerSecond > Math.max(...shedding.points.filter((q) => q.errorRate === 0 && q.p90LatencyMs <= shedding.latencyGoalMs).map((q) => q.requestsPerSecond)))).toBe(true);
      expect(referenceTarget(tests[3]!)).toBeUndefined();
    }
  });

  it('dates its prices', () => {
    expect(PRICES_AS_OF).toBe('2026-11-30');
    expect(HOURLY_USD['ml.c5.xlarge']).toBe(0.204);
    expect(RECS_DAY.scenario.pricePerHourUsd).toBe(0.204);
  });
});

/** A day of `minutes` minutes whose traffic is `perMinute(t)` requests, on the recs load test. */
function day(perMinute: (t: number) => number, minutes: number, initialInstances: number): DayScenario {
  return {
    name: 'test day',
    instanceType: 'ml.c5.xlarge',
    pricePerHourUsd: 0.204,
    latencyGoalMs: 250,
    loadTest: RECS_LOAD_TEST,
    traffic: Array.from({ length: minutes }, (_, t) => perMinute(t)),
    initialInstances,
  };
}

const policy = (scaleInCooldownSeconds = 600, scaleOutCooldownSeconds = 60) => ({
  targetValue: 1000,
  scaleOutCooldownSeconds,
  scaleInCooldownSeconds,
  disableScaleIn: false,
});

describe('endpoint-autoscaling simulator', () => {
  it('fits one instance to the load test: the queueing model gives back the measured p90s', () => {
    const test = loadTest(seededRandom(3), { instanceType: 'ml.c5.xlarge', serviceRate: 40, latencyGoalMs: 200, safetyFactor: 0.5 });
    const mu = serviceRateOf(test);
    expect(mu).toBeGreaterThan(39);
    expect(mu).toBeLessThan(41);
    for (const p of test.points.filter((q) => q.errorRate === 0)) {
      expect(Math.abs(p90LatencyMs(mu, p.requestsPerSecond) - p.p90LatencyMs) / p.p90LatencyMs, `${p.requestsPerSecond} req/s`).toBeLessThan(0.15);
    }
  });

  it('scales out after 3 minutes above the target, and the new instances serve 6 minutes later', () => {
    // 2 instances at 800 a minute each, then 1,500 each from minute 10: above the 1,000 target.
    const config: ScalingConfiguration = { minCapacity: 2, maxCapacity: 10, policy: policy() };
    const run = simulateDay(day((t) => (t < 10 ? 1600 : 3000), 40, 2), config);
    const out = run.activities.find((a) => a.kind === 'out')!;
    expect(out).toMatchObject({ minute: 12, from: 2, to: 3 }); // datapoints at 10, 11, 12; ⌈2 × 1500 / 1000⌉
    expect(out.inServiceAt).toBe(12 + 1 + PROVISIONING_MINUTES);
    expect(run.minutes[18]!).toMatchObject({ inService: 2, desired: 3 });
    expect(run.minutes[19]!).toMatchObject({ inService: 3, desired: 3 });
  });

  it('never scales beyond MaxCapacity, and the minutes past saturation are over the goal', () => {
    const run = simulateDay(day(() => 12_000, 60, 2), { minCapacity: 2, maxCapacity: 3, policy: policy() });
    expect(Math.max(...run.minutes.map((m) => m.inService))).toBe(3);
    expect(run.minutes.at(-1)!.overGoal).toBe(true); // 4,000 a minute per instance: 67 req/s past μ ≈ 52
  });

  it('scales in only after 15 minutes below 90% of the target, gradually, and waits out the cooldown', () => {
    // 10 instances carrying 3,000 a minute: 300 each, far below 900.
    const run = simulateDay(day(() => 3000, 60, 10), { minCapacity: 1, maxCapacity: 10, policy: policy(600) });
    const ins = run.activities.filter((a) => a.kind === 'in');
    expect(ins[0]).toMatchObject({ minute: 14, from: 10, to: 7 }); // needs 3: removes half of 7, rounded down
    expect(ins[1]!.minute).toBeGreaterThanOrEqual(14 + 1 + 10);
  });

  it('does not scale in on minutes without requests (no datapoint), nor below MinCapacity', () => {
    const silent = simulateDay(day(() => 0, 120, 4), { minCapacity: 1, maxCapacity: 10, policy: policy() });
    expect(silent.activities).toEqual([]);
    const floor = simulateDay(day(() => 100, 240, 4), { minCapacity: 2, maxCapacity: 10, policy: policy(60) });
    expect(Math.min(...floor.minutes.map((m) => m.inService))).toBe(2);
  });

  it('takes the default cooldowns of 300 s when the policy sets none, and charges every instance-minute', () => {
    expect(DEFAULT_COOLDOWN_SECONDS).toBe(300);
    const run = simulateDay(day(() => 1000, 120, 3), { minCapacity: 3, maxCapacity: 3, policy: policy() });
    expect(run.instanceHours).toBe(6);
    expect(run.costUsd).toBe(1.22); // 6 h × $0.204
  });

  it('flaps with a short scale-in cooldown where a long one holds, on the public day', () => {
    const target = referenceTarget(RECS_DAY.scenario.loadTest)!;
    const config = (scaleIn: number): ScalingConfiguration => ({ minCapacity: 2, maxCapacity: 20, policy: { ...policy(scaleIn), targetValue: target } });
    const short = simulateDay(RECS_DAY.scenario, config(60));
    const long = simulateDay(RECS_DAY.scenario, config(600));
    expect(short.flaps.length).toBeGreaterThan(long.flaps.length);
    expect(short.minutesOverGoal).toBeGreaterThan(2);
    expect(long.minutesOverGoal).toBe(0);
  });

  it('plays the same day for the same seed', () => {
    const [a] = seededDays(11);
    const [b] = seededDays(11);
    expect(a!.scenario.traffic).toEqual(b!.scenario.traffic);
    const target = referenceTarget(a!.scenario.loadTest)!;
    const config: ScalingConfiguration = { minCapacity: 1, maxCapacity: 40, policy: { ...policy(), targetValue: target } };
    expect(simulateDay(a!.scenario, config)).toEqual(simulateDay(b!.scenario, config));
    expect(seededDays(12)[0]!.scenario.traffic).not.toEqual(a!.scenario.traffic);
  });
});
