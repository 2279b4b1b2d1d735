// What every fake AWS service shares inside one check: the call trace, the simulated clock,
// a seeded random source and the fault plan. One AwsEnv per check, so nothing leaks between
// checks and every run with the same seed is the same run.

import type { TraceEntry } from '../report.ts';

export interface Clock {
  now(): Date;
  /** Move simulated time forward (fakes that model waiting use it; real time never passes). */
  advance(ms: number): void;
}

export function simulatedClock(start = Date.parse('2024-03-01T12:00:00Z')): Clock {
  let t = start;
  return {
    now: () => new Date(t),
    advance: (ms) => {
      t += ms;
    },
  };
}

/** mulberry32: tiny, fast, good enough to vary fixtures by seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class Trace {
  readonly entries: TraceEntry[] = [];
  #start: number;
  #clock: Clock;

  constructor(clock: Clock) {
    this.#clock = clock;
    this.#start = clock.now().getTime();
  }

  record(entry: Omit<TraceEntry, 'atMs'>): void {
    this.entries.push({ ...entry, atMs: this.#clock.now().getTime() - this.#start });
  }

  /** Calls of one operation, for checks: `trace.calls('s3', 'GetObject')`. */
  calls(service: string, operation?: string): TraceEntry[] {
    return this.entries.filter((e) => e.service === service && (!operation || e.operation === operation));
  }
}

/** An error a fake should raise instead of answering: AWS's name and HTTP status. */
export interface InjectedFault {
  name: string;
  httpStatusCode: number;
  message?: string;
}

export interface FaultRule {
  service: string;
  operation: string;
  /** Only calls whose input matches (default: every call of the operation). */
  when?: (input: Record<string, unknown>) => boolean;
  /** How many matching calls fail (default 1); Infinity for all of them. */
  times?: number;
  /** Let this many matching calls through first (default 0). */
  after?: number;
  fault: InjectedFault;
}

export const Faults = {
  throttling: { name: 'SlowDown', httpStatusCode: 503, message: 'Please reduce your request rate.' },
  internalError: {
    name: 'InternalError',
    httpStatusCode: 500,
    message: 'We encountered an internal error. Please try again.',
  },
  serviceUnavailable: { name: 'ServiceUnavailable', httpStatusCode: 503, message: 'Service is unavailable.' },
} as const satisfies Record<string, InjectedFault>;

export class FaultPlan {
  #rules: { rule: FaultRule; seen: number; fired: number }[] = [];

  add(rule: FaultRule): this {
    this.#rules.push({ rule, seen: 0, fired: 0 });
    return this;
  }

  /** The fault for this call, if a rule says so; counts the call either way. */
  take(service: string, operation: string, input: Record<string, unknown>): InjectedFault | undefined {
    for (const r of this.#rules) {
      if (r.rule.service !== service || r.rule.operation !== operation) continue;
      if (r.rule.when && !r.rule.when(input)) continue;
      r.seen += 1;
      if (r.seen <= (r.rule.after ?? 0)) continue;
      if (r.fired >= (r.rule.times ?? 1)) continue;
      r.fired += 1;
      return r.rule.fault;
    }
    return undefined;
  }
}

export interface AwsEnv {
  trace: Trace;
  clock: Clock;
  random: () => number;
  faults: FaultPlan;
  region: string;
  accountId: string;
}

export function createAwsEnv(options: { seed: number; clock?: Clock }): AwsEnv {
  const clock = options.clock ?? simulatedClock();
  return {
    trace: new Trace(clock),
    clock,
    random: seededRandom(options.seed),
    faults: new FaultPlan(),
    region: 'us-east-1',
    accountId: '111122223333',
  };
}

/** A fake service contributes its resulting state to the report ("what your code left behind"). */
export interface FakeService {
  readonly serviceName: string;
  snapshot(): unknown;
}
