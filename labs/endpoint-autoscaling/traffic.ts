// Days of traffic and the load tests of the instances that serve them, drawn from a seed: the
// same seed gives the same day, to the request. A day is a daily curve (quiet night, morning
// ramp, busy afternoon, evening decline), minute-to-minute jitter, and bursts nobody scheduled.

import type { Random } from 'whetstone/checks';
import type { LoadTest, LoadTestPoint } from './starter/serving.ts';

export const MINUTES_PER_DAY = 1440;
const LN10 = Math.log(10);

export interface DayShape {
  /** The busiest the daily curve gets, requests per second (before bursts and jitter). */
  peakRps: number;
  /** Night traffic as a share of the peak. */
  nightShare: number;
  /** Bursts: how many, how much above the curve (0.5 = +50%), how long (minutes). */
  bursts: { count: number; extra: [number, number]; minutes: [number, number]; from?: number; to?: number };
  /** Standard deviation of the minute-to-minute jitter (0.08 = ±8%). */
  jitter: number;
  /** Minutes with no request at all, e.g. a nightly maintenance window. */
  silent?: [number, number];
  /** A campaign: a push notification every `every` minutes from `from` to `to`, each a spike of `minutes` at +`extra`. */
  campaign?: { from: number; to: number; every: number; minutes: number; extra: number };
}

/** The daily curve at minute t, 0..1: night, ramp 06:00–13:00, plateau to 16:00, decline to midnight. */
function dailyCurve(t: number, nightShare: number): number {
  const h = t / 60;
  let shape: number;
  if (h < 6) shape = 0;
  else if (h < 13) shape = (1 - Math.cos((Math.PI * (h - 6)) / 7)) / 2;
  else if (h < 16) shape = 1;
  else shape = (1 + Math.cos((Math.PI * (h - 16)) / 8)) / 2;
  return nightShare + (1 - nightShare) * shape;
}

/** A standard normal deviate (Box–Muller) from the seeded source. */
function gaussian(random: Random): number {
  const u = Math.max(random(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

export interface Burst {
  start: number;
  minutes: number;
  extra: number;
}

export interface Day {
  /** Requests per minute, whole variant. */
  traffic: number[];
  bursts: Burst[];
}

export function dayOfTraffic(random: Random, shape: DayShape): Day {
  const bursts: Burst[] = [];
  const from = shape.bursts.from ?? 7 * 60;
  const to = shape.bursts.to ?? 22 * 60;
  for (let i = 0; i < shape.bursts.count; i++) {
    const minutes = Math.round(shape.bursts.minutes[0] + random() * (shape.bursts.minutes[1] - shape.bursts.minutes[0]));
    const start = Math.round(from + random() * (to - from - minutes));
    const extra = shape.bursts.extra[0] + random() * (shape.bursts.extra[1] - shape.bursts.extra[0]);
    bursts.push({ start, minutes, extra });
  }
  const c = shape.campaign;
  // The campaign's first push goes to a test segment, half the audience; then everyone.
  if (c) for (let start = c.from; start + c.minutes <= c.to; start += c.every) bursts.push({ start, minutes: c.minutes, extra: start === c.from ? c.extra / 2 : c.extra });
  bursts.sort((a, b) => a.start - b.start);
  const traffic: number[] = [];
  let drift = 0;
  for (let t = 0; t < MINUTES_PER_DAY; t++) {
    // AR(1) jitter: neighbouring minutes look alike, as real traffic does.
    drift = 0.6 * drift + 0.8 * shape.jitter * gaussian(random);
    // Bursts that overlap do not add up: the larger one is the traffic.
    let burst = 0;
    for (const b of bursts) {
      if (t >= b.start && t < b.start + b.minutes) {
        // One minute of ramp each side.
        const edge = t === b.start || t === b.start + b.minutes - 1 ? 0.5 : 1;
        burst = Math.max(burst, b.extra * edge);
      }
    }
    const factor = 1 + drift + burst;
    const silent = shape.silent && t >= shape.silent[0] && t < shape.silent[1];
    traffic.push(silent ? 0 : Math.max(0, Math.round(shape.peakRps * 60 * dailyCurve(t, shape.nightShare) * factor)));
  }
  return { traffic, bursts };
}

/**
 * A load test of one instance whose service rate is `serviceRate` requests per second: the
 * tester sends rising rates, each point's p90 from the M/M/1 model with a little measurement
 * noise; past saturation, requests time out.
 */
export function loadTest(random: Random, options: { instanceType: string; serviceRate: number; latencyGoalMs: number; safetyFactor: number; fractions?: readonly number[] }): LoadTest {
  const fractions = options.fractions ?? [0.15, 0.3, 0.45, 0.6, 0.7, 0.78, 0.84, 0.9, 0.95, 1.05];
  const points: LoadTestPoint[] = fractions.map((f) => {
    const rps = Math.round(options.serviceRate * f * 10) / 10;
    if (rps >= options.serviceRate) {
      return { requestsPerSecond: rps, p90LatencyMs: 60_000, errorRate: Math.round(((rps - options.serviceRate) / rps) * 1000) / 1000 };
    }
    const noise = 1 + (random() - 0.5) * 0.04;
    return { requestsPerSecond: rps, p90LatencyMs: Math.round((LN10 / (options.serviceRate - rps)) * 1000 * noise), errorRate: 0 };
  });
  return { instanceType: options.instanceType, latencyGoalMs: options.latencyGoalMs, safetyFactor: options.safetyFactor, points };
}
