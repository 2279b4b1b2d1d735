// The world of the streaming-ingest checks: a fake Kinesis whose calls take simulated time, and
// the clock the learner's putAll and readShard get, on which their waits pass at once.
//
// How time passes (the steps teach exactly this): one simulated clock, env.clock. It moves only
// when the learner's code waits (clock.sleep) or calls Kinesis, each call taking the time in
// CALL_MS. Calls made in parallel still take their time one after another. Nothing really
// waits, so a minute of retries costs milliseconds of grading.
//
// Environment-agnostic (runs in the browser bundle): no node: imports, time from env.clock.

import type { AwsEnv } from 'whetstone/aws/env';
import { seededRandom } from 'whetstone/aws/env';
import { FakeKinesis } from 'whetstone/aws/kinesis';
import type { Clock } from './starter/stream.ts';

export type { Clock };

/** Simulated milliseconds one call takes: a PutRecords of 500 records costs 25 ms here. */
export const CALL_MS = { PutRecords: 25, PutRecord: 10, GetRecords: 25, GetShardIterator: 10, ListShards: 10, DescribeStreamSummary: 10 } as const;

/** A run that is still going after this much simulated time has lost its way (a loop that never gives up). */
export const RUNAWAY_MS = 10 * 60_000;

export function createWorld(env: AwsEnv): { kinesis: FakeKinesis } {
  return { kinesis: new FakeKinesis(env, { latencyMs: CALL_MS }) };
}

/** What the clock raises once a run has gone on for RUNAWAY_MS: the check turns it into a message. */
export class RunawayRun extends Error {
  override name = 'RunawayRun';
}

export interface Wait {
  /** Simulated ms since the clock was handed out. */
  at: number;
  ms: number;
}

/**
 * The clock a check hands to the learner's code: now() is the world's simulated time in ms,
 * sleep(ms) moves it on and resolves at once, random() is seeded (jitter that replays). Records
 * every wait, for the checks on backoff.
 */
export class SimulatedClock implements Clock {
  readonly waits: Wait[] = [];
  readonly #env: AwsEnv;
  readonly #random: () => number;
  readonly #start: number;

  constructor(env: AwsEnv, seed: number) {
    this.#env = env;
    this.#random = seededRandom(seed);
    this.#start = env.clock.now().getTime();
    // Methods as own, bound properties: learner code may pass clock.sleep around on its own.
    this.now = this.now.bind(this);
    this.sleep = this.sleep.bind(this);
    this.random = this.random.bind(this);
  }

  now(): number {
    return this.#env.clock.now().getTime();
  }

  /** Simulated ms since this clock was handed out. */
  get elapsedMs(): number {
    return this.now() - this.#start;
  }

  sleep(ms: number): Promise<void> {
    if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0) {
      return Promise.reject(new TypeError(`clock.sleep(${String(ms)}): the wait must be a number of milliseconds, 0 or more.`));
    }
    if (this.elapsedMs + ms > RUNAWAY_MS) {
      return Promise.reject(new RunawayRun(`clock.sleep(${ms}) at ${Math.round(this.elapsedMs / 1000)} s: the check stopped this run after ${RUNAWAY_MS / 60_000} minutes of simulated time.`));
    }
    this.waits.push({ at: this.elapsedMs, ms });
    this.#env.clock.advance(ms);
    return Promise.resolve();
  }

  random(): number {
    return this.#random();
  }
}
