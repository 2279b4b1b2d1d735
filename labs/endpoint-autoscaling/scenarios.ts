// The cases the checks put to the learner's code. Public ones are fixed (the steps show them);
// hidden ones are drawn from the seed, so passing means following the rules.

import { between, pick } from 'whetstone/checks';
import type { Random } from 'whetstone/checks';
import { seededRandom } from 'whetstone/aws/env';
import type { LoadTest, ScalingLimits, Workload } from './starter/serving.ts';
import type { DayScenario } from './capacity-simulator.ts';
import { hourlyPrice } from './prices.ts';
import { maxRps, referenceTarget } from './reference.ts';
import { dayOfTraffic, loadTest } from './traffic.ts';
import type { DayShape } from './traffic.ts';

// ---------------------------------------------------------------------------------------------
// Step 1: workloads.

const base = { latency: 'interactive', coldStartOk: false, gpu: false } as const;

export const WORKLOADS = {
  productRecs: { ...base, name: 'product-recs', traffic: 'unpredictable', payloadMB: 0.02, processingSeconds: 0.05 },
  fraudScoring: { ...base, name: 'fraud-scoring', traffic: 'steady', payloadMB: 0.005, processingSeconds: 0.02 },
  internalChatbot: { ...base, name: 'internal-chatbot', traffic: 'intermittent', payloadMB: 0.01, processingSeconds: 2 },
  hrFormClassifier: { ...base, name: 'hr-form-classifier', traffic: 'intermittent', payloadMB: 1.5, processingSeconds: 4, coldStartOk: true },
  receiptOcr: { ...base, name: 'receipt-ocr', traffic: 'intermittent', payloadMB: 5, processingSeconds: 3, coldStartOk: true },
  visualSearch: { ...base, name: 'visual-search', traffic: 'intermittent', payloadMB: 0.5, processingSeconds: 0.3, coldStartOk: true, gpu: true },
  videoModeration: { ...base, name: 'video-moderation', traffic: 'unpredictable', payloadMB: 350, processingSeconds: 240, latency: 'minutes' },
  contractSummaries: { ...base, name: 'contract-summaries', traffic: 'intermittent', payloadMB: 2, processingSeconds: 420, latency: 'minutes' },
  scannedArchive: { ...base, name: 'scanned-archive', traffic: 'steady', payloadMB: 40, processingSeconds: 20 },
  medicalImaging: { ...base, name: 'medical-imaging', traffic: 'intermittent', payloadMB: 3, processingSeconds: 30, latency: 'minutes', coldStartOk: true, gpu: true },
  nightlyChurn: { ...base, name: 'nightly-churn', traffic: 'dataset', payloadMB: 0.001, processingSeconds: 0.01, latency: 'minutes' },
  nightlyEmbeddings: { ...base, name: 'nightly-embeddings', traffic: 'dataset', payloadMB: 0.2, processingSeconds: 0.5, gpu: true, latency: 'minutes' },
  genomeVariants: { ...base, name: 'genome-variants', traffic: 'intermittent', payloadMB: 2400, processingSeconds: 1800, latency: 'minutes' },
  satelliteMosaic: { ...base, name: 'satellite-mosaic', traffic: 'steady', payloadMB: 80, processingSeconds: 5400, latency: 'minutes' },
} satisfies Record<string, Workload>;

const bool = (random: Random) => random() < 0.5;

/**
 * One workload per rule of step 1, and per way out of serverless, with values drawn on and
 * around each limit (4, 6 and 1,024 MB; 60 and 3,600 s, inclusive) and every attribute the rule
 * does not look at drawn freely: code that follows the rules passes whatever the draw, code that
 * skips one fails whatever the draw.
 */
const WORKLOAD_KINDS: readonly ((random: Random) => Omit<Workload, 'name'>)[] = [
  // A dataset, whatever its records look like: batch transform.
  (r) => ({ traffic: 'dataset', latency: pick(r, ['interactive', 'minutes'] as const), payloadMB: pick(r, [0.001, 0.5, 8, 30]), processingSeconds: pick(r, [0.01, 2, 90]), coldStartOk: bool(r), gpu: bool(r) }),
  // Beyond asynchronous inference: an Error.
  (r) => ({ traffic: pick(r, ['steady', 'unpredictable', 'intermittent'] as const), latency: 'minutes', payloadMB: pick(r, [1025, 1500, 4096]), processingSeconds: pick(r, [10, 600]), coldStartOk: bool(r), gpu: bool(r) }),
  (r) => ({ traffic: pick(r, ['steady', 'unpredictable', 'intermittent'] as const), latency: 'minutes', payloadMB: pick(r, [0.5, 20]), processingSeconds: pick(r, [3601, 5400, 7200]), coldStartOk: bool(r), gpu: bool(r) }),
  // Beyond real-time: asynchronous, whatever the traffic and the callers.
  (r) => ({ traffic: pick(r, ['steady', 'unpredictable', 'intermittent'] as const), latency: pick(r, ['interactive', 'minutes'] as const), payloadMB: pick(r, [6.1, 20, 500, 1024]), processingSeconds: pick(r, [1, 30, 60]), coldStartOk: bool(r), gpu: bool(r) }),
  (r) => ({ traffic: pick(r, ['steady', 'unpredictable', 'intermittent'] as const), latency: 'interactive', payloadMB: pick(r, [0.2, 3, 6]), processingSeconds: pick(r, [61, 300, 3600]), coldStartOk: bool(r), gpu: bool(r) }),
  // Idle stretches, cold starts accepted, fits serverless (limits inclusive): serverless, for
  // callers who wait and for answers that may.
  (r) => ({ traffic: 'intermittent', latency: 'interactive', payloadMB: pick(r, [0.01, 1, 3.9, 4]), processingSeconds: pick(r, [0.05, 5, 59, 60]), coldStartOk: true, gpu: false }),
  (r) => ({ traffic: 'intermittent', latency: 'minutes', payloadMB: pick(r, [0.01, 1, 3.9, 4]), processingSeconds: pick(r, [0.05, 5, 59, 60]), coldStartOk: true, gpu: false }),
  // Out of serverless by payload (4–6 MB), by GPU, by cold starts: real-time for callers who wait…
  (r) => ({ traffic: 'intermittent', latency: 'interactive', payloadMB: pick(r, [4.1, 5, 6]), processingSeconds: pick(r, [0.5, 20]), coldStartOk: true, gpu: bool(r) }),
  (r) => ({ traffic: 'intermittent', latency: 'interactive', payloadMB: pick(r, [0.05, 2]), processingSeconds: pick(r, [0.2, 10]), coldStartOk: true, gpu: true }),
  (r) => ({ traffic: 'intermittent', latency: 'interactive', payloadMB: pick(r, [0.05, 2]), processingSeconds: pick(r, [0.2, 10]), coldStartOk: false, gpu: false }),
  // …and asynchronous for answers that may wait.
  (r) => ({ traffic: 'intermittent', latency: 'minutes', payloadMB: pick(r, [4.5, 6]), processingSeconds: pick(r, [1, 45]), coldStartOk: true, gpu: bool(r) }),
  (r) => ({ traffic: 'intermittent', latency: 'minutes', payloadMB: pick(r, [0.1, 2]), processingSeconds: pick(r, [1, 45]), coldStartOk: bool(r), gpu: true }),
  // Steady or unpredictable, fits real-time (limits inclusive): real-time.
  (r) => ({ traffic: pick(r, ['steady', 'unpredictable'] as const), latency: pick(r, ['interactive', 'minutes'] as const), payloadMB: pick(r, [0.01, 3, 6]), processingSeconds: pick(r, [0.05, 30, 60]), coldStartOk: bool(r), gpu: bool(r) }),
];

/** Every kind of WORKLOAD_KINDS once, in an order drawn from the seed. */
export function seededWorkloads(seed: number): Workload[] {
  const random = seededRandom(seed ^ 0x1e57);
  const drawn = WORKLOAD_KINDS.map((kind) => kind(random));
  for (let i = drawn.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [drawn[i], drawn[j]] = [drawn[j]!, drawn[i]!];
  }
  return drawn.map((w, i) => ({ name: `hidden-workload-${i + 1}`, ...w }));
}

// ---------------------------------------------------------------------------------------------
// Step 2: load tests.

/** The public load test of ml.c5.xlarge serving the recommendations model (also the public day's). */
export const RECS_LOAD_TEST: LoadTest = loadTest(seededRandom(2024), {
  instanceType: 'ml.c5.xlarge',
  serviceRate: 52,
  latencyGoalMs: 250,
  safetyFactor: 0.5,
});

/**
 * A load test whose rows are out of order, where a faster rate than the best passing one kept
 * its latency but lost requests, and where latency wobbles (a later point below the goal).
 */
export const TRICKY_LOAD_TEST: LoadTest = {
  instanceType: 'ml.g5.xlarge',
  latencyGoalMs: 400,
  safetyFactor: 0.6,
  points: [
    { requestsPerSecond: 14, p90LatencyMs: 310, errorRate: 0 },
    { requestsPerSecond: 4, p90LatencyMs: 180, errorRate: 0 },
    { requestsPerSecond: 18, p90LatencyMs: 395, errorRate: 0.02 },
    { requestsPerSecond: 8, p90LatencyMs: 210, errorRate: 0 },
    { requestsPerSecond: 16, p90LatencyMs: 460, errorRate: 0 },
    { requestsPerSecond: 12, p90LatencyMs: 265, errorRate: 0 },
    { requestsPerSecond: 20, p90LatencyMs: 60_000, errorRate: 0.31 },
  ],
};

/** No rate met the goal: the instance type is too small for the model. */
export const HOPELESS_LOAD_TEST: LoadTest = {
  instanceType: 'ml.m5.large',
  latencyGoalMs: 100,
  safetyFactor: 0.5,
  points: [
    { requestsPerSecond: 2, p90LatencyMs: 140, errorRate: 0 },
    { requestsPerSecond: 5, p90LatencyMs: 210, errorRate: 0 },
    { requestsPerSecond: 9, p90LatencyMs: 900, errorRate: 0.05 },
  ],
};

/**
 * Four load tests from the seed, rows in the order the tester's workers finished: two plain
 * ones, one of a model server that sheds load (past its best rate it answers fast, but with
 * errors), and one of an instance too small for the goal at any rate.
 */
export function seededLoadTests(seed: number): LoadTest[] {
  const random = seededRandom(seed ^ 0x10ad);
  const fractions = [0.1, 0.25, 0.4, 0.55, 0.65, 0.72, 0.8, 0.86, 0.9, 0.94, 0.98, 1.1];
  const tests = [0, 1, 2].map(() =>
    loadTest(random, {
      instanceType: pick(random, ['ml.c5.xlarge', 'ml.m5.xlarge', 'ml.g4dn.xlarge', 'ml.g5.xlarge']),
      serviceRate: between(random, 20, 120),
      latencyGoalMs: pick(random, [150, 200, 300, 500]),
      safetyFactor: pick(random, [0.4, 0.45, 0.5, 0.6, 0.7]),
      fractions,
    }),
  );
  const shedding = tests[2]!;
  const best = maxRps(shedding)!;
  shedding.points.push({
    requestsPerSecond: Math.round(best * 1.04 * 10) / 10 + 0.1,
    p90LatencyMs: Math.round(shedding.latencyGoalMs * (0.6 + random() * 0.3)),
    errorRate: Math.round((0.005 + random() * 0.04) * 1000) / 1000,
  });
  tests.push(
    loadTest(random, {
      instanceType: pick(random, ['ml.t2.medium', 'ml.m5.large', 'ml.c5.large']),
      serviceRate: between(random, 3, 6),
      latencyGoalMs: pick(random, [100, 150]),
      safetyFactor: 0.5,
      fractions,
    }),
  );
  return tests.map((test) => {
    const points = [...test.points];
    for (let i = points.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [points[i], points[j]] = [points[j]!, points[i]!];
    }
    return { ...test, points };
  });
}

// ---------------------------------------------------------------------------------------------
// Steps 3–4: endpoints and days.

export interface EndpointCase {
  endpointName: string;
  variantName: string;
  instanceType: string;
  instanceCount: number;
  limits: ScalingLimits;
}

/** Step 3's public endpoint: the recommendations API, 2 instances kept for availability. */
export const RECS_ENDPOINT: EndpointCase = {
  endpointName: 'recs-api',
  variantName: 'AllTraffic',
  instanceType: 'ml.c5.xlarge',
  instanceCount: 2,
  limits: { targetInvocationsPerInstance: 1218, peakRequestsPerSecond: 400, minInstances: 2 },
};

/** The team asks for zero instances at night on a real-time variant. */
export const NIGHT_ZERO_ENDPOINT: EndpointCase = {
  endpointName: 'search-ranker',
  variantName: 'blue',
  instanceType: 'ml.m5.xlarge',
  instanceCount: 1,
  limits: { targetInvocationsPerInstance: 2100, peakRequestsPerSecond: 180, minInstances: 0 },
};

export interface DayCase {
  name: string;
  /** One sentence for messages: what the endpoint serves. */
  story: string;
  endpoint: Omit<EndpointCase, 'limits'>;
  /** The forecast and the team's floor (the target comes from the learner's targetInvocations). */
  forecast: Omit<ScalingLimits, 'targetInvocationsPerInstance'>;
  scenario: DayScenario;
}

function dayCase(
  random: Random,
  options: {
    name: string;
    story: string;
    endpointName: string;
    variantName: string;
    instanceType: string;
    serviceRate: number;
    latencyGoalMs: number;
    safetyFactor: number;
    minInstances: number;
    shape: DayShape;
    /** Evening pushes: every `every` minutes, each `minutes` long. */
    campaign?: { from: number; to: number; every: number; minutes: number };
  },
): DayCase {
  const test = loadTest(random, { instanceType: options.instanceType, serviceRate: options.serviceRate, latencyGoalMs: options.latencyGoalMs, safetyFactor: options.safetyFactor });
  const shape = { ...options.shape };
  if (options.campaign) {
    // Each push takes the endpoint 25% past the rate at which it still meets the goal when
    // instances run at the target: more than the safety factor can absorb on the capacity of
    // a quiet moment, not more than what a scale-out left behind can.
    const atGoal = options.serviceRate - Math.LN10 / (options.latencyGoalMs / 1000);
    const factor = (1.25 * atGoal) / (options.safetyFactor * maxRps(test)!);
    shape.campaign = { ...options.campaign, extra: factor - 1 };
  }
  const day = dayOfTraffic(random, shape);
  const target = referenceTarget(test)!;
  const initial = Math.max(1, options.minInstances, Math.ceil(day.traffic[0]! / target));
  return {
    name: options.name,
    story: options.story,
    endpoint: { endpointName: options.endpointName, variantName: options.variantName, instanceType: options.instanceType, instanceCount: initial },
    forecast: { peakRequestsPerSecond: options.shape.peakRps, minInstances: options.minInstances },
    scenario: {
      name: options.name,
      instanceType: options.instanceType,
      pricePerHourUsd: hourlyPrice(options.instanceType),
      latencyGoalMs: options.latencyGoalMs,
      loadTest: test,
      traffic: day.traffic,
      initialInstances: initial,
    },
  };
}

/** Bursts a day throws at the endpoint that its safety factor should absorb. */
function absorbableBursts(safetyFactor: number, count: number): DayShape['bursts'] {
  const most = 0.7 * (1 / safetyFactor - 1);
  return { count, extra: [0.3 * most, most], minutes: [4, 15], to: 18 * 60 };
}

/** The public day: the recommendations API, with an evening push campaign every half hour. */
export const RECS_DAY: DayCase = dayCase(seededRandom(2024), {
  name: 'recs-api day',
  story: 'the recommendations API (ml.c5.xlarge, p90 goal 250 ms) on a day with an evening push campaign',
  endpointName: 'recs-api',
  variantName: 'AllTraffic',
  instanceType: 'ml.c5.xlarge',
  serviceRate: 52,
  latencyGoalMs: 250,
  safetyFactor: 0.5,
  minInstances: 2,
  shape: {
    peakRps: 400,
    nightShare: 0.1,
    bursts: absorbableBursts(0.5, 8),
    jitter: 0.06,
  },
  campaign: { from: 20 * 60, to: 23 * 60, every: 30, minutes: 8 },
});

/** Hidden days: a GPU model with other numbers, and a real-time variant whose team asked for zero at night. */
export function seededDays(seed: number): DayCase[] {
  const random = seededRandom(seed ^ 0xda7);
  const gpuSafety = pick(random, [0.45, 0.5, 0.55]);
  const gpu = dayCase(random, {
    name: 'image-tagging day',
    story: 'an image-tagging model on ml.g5.xlarge on a day with a flash sale in the evening',
    endpointName: `image-tagging-${between(random, 2, 9)}`,
    variantName: 'gpu',
    instanceType: 'ml.g5.xlarge',
    serviceRate: between(random, 12, 18),
    latencyGoalMs: pick(random, [400, 500, 600]),
    safetyFactor: gpuSafety,
    minInstances: 1,
    shape: {
      peakRps: between(random, 60, 150),
      nightShare: 0.08 + random() * 0.07,
      bursts: absorbableBursts(gpuSafety, between(random, 6, 10)),
      jitter: 0.05,
    },
    campaign: { from: 20 * 60, to: 23 * 60, every: 30, minutes: between(random, 6, 9) },
  });
  const quiet = dayCase(random, {
    name: 'fraud-scoring day',
    story: 'a fraud-scoring model on ml.m5.xlarge whose team asked for no instance at night; payments stop 02:00–04:30',
    endpointName: 'fraud-scoring',
    variantName: `v${between(random, 2, 7)}`,
    instanceType: 'ml.m5.xlarge',
    serviceRate: between(random, 60, 90),
    latencyGoalMs: pick(random, [150, 200]),
    safetyFactor: 0.5,
    minInstances: 0,
    shape: {
      peakRps: between(random, 200, 500),
      nightShare: 0.05,
      bursts: absorbableBursts(0.5, between(random, 6, 10)),
      jitter: 0.06,
      silent: [120, 270],
    },
    campaign: { from: 20 * 60, to: 23 * 60, every: 30, minutes: between(random, 6, 9) },
  });
  return [gpu, quiet];
}
