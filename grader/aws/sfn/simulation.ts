// Simulated time for state machine executions: a training job that takes an hour, an approval
// that comes the next morning and a retry's backoff all pass on the check's clock in no real time.
//
// Whatever waits (a task for its job, a callback for its token, a retry for its backoff) asks
// for a waiter, which resolves when something wakes it (a task token answered) or when
// simulated time reaches its deadline. `advance(until)` moves the clock from timer to timer,
// and before each move lets every promise that can settle settle (one macrotask turn: the
// interpreter, the fakes and the SDK mock settle through promises only). So everything that
// happens at one instant happens before the clock moves on, in the same order on every run.

import type { Clock } from '../env.ts';

export type WaitOutcome<T> = { woken: T } | { timedOut: true } | { cancelled: string };

export interface Waiter<T> {
  readonly promise: Promise<WaitOutcome<T>>;
  /** Resume whoever waits with `value`; false when nobody waits any more. */
  wake(value: T): boolean;
  readonly settled: boolean;
}

interface Timer {
  at: number;
  seq: number;
  fire(): void;
}

/** One macrotask turn: every microtask queued so far, and those they queue, has run. */
function settlePromises(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

export class SimulatedTime {
  readonly #clock: Clock;
  readonly #timers: Timer[] = [];
  readonly #waiters = new Set<{ cancel(reason: string): void }>();
  #seq = 0;

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  /** Milliseconds since the epoch, on the simulated clock. */
  now(): number {
    return this.#clock.now().getTime();
  }

  /** A waiter that resolves when woken, or with { timedOut } once the clock reaches `deadline` (ms; undefined: never). */
  wait<T>(deadline?: number): Waiter<T> {
    let settle!: (outcome: WaitOutcome<T>) => void;
    const promise = new Promise<WaitOutcome<T>>((resolve) => (settle = resolve));
    let settled = false;
    let timer: Timer | undefined;
    const handle = { cancel: (reason: string) => void finish({ cancelled: reason }) };
    const finish = (outcome: WaitOutcome<T>): boolean => {
      if (settled) return false;
      settled = true;
      this.#waiters.delete(handle);
      if (timer) this.#unschedule(timer);
      settle(outcome);
      return true;
    };
    this.#waiters.add(handle);
    if (deadline !== undefined) timer = this.#schedule(Math.max(deadline, this.now()), () => void finish({ timedOut: true }));
    return {
      promise,
      wake: (value: T) => finish({ woken: value }),
      get settled() {
        return settled;
      },
    };
  }

  /** Wait until the clock reaches `at` (or the simulation is cancelled). */
  sleepUntil(at: number): Promise<WaitOutcome<never>> {
    return this.wait<never>(at).promise;
  }

  /** Run `callback` when the clock reaches `at`: someone outside the executions acting (an approver answering). */
  at(at: number, callback: () => void): void {
    this.#schedule(Math.max(at, this.now()), callback);
  }

  /** Move the clock forward timer by timer, to `until` at the latest. */
  async advance(until: number): Promise<void> {
    for (;;) {
      await settlePromises();
      const next = this.#timers[0];
      if (!next || next.at > until) {
        if (until > this.now()) this.#clock.advance(until - this.now());
        return;
      }
      this.#timers.shift();
      if (next.at > this.now()) this.#clock.advance(next.at - this.now());
      next.fire();
    }
  }

  /**
   * Move the clock forward timer by timer until `done()` holds (checked whenever everything that
   * can happen at the current instant has happened) or the clock reaches `until`.
   */
  async advanceUntil(until: number, done: () => boolean): Promise<void> {
    for (;;) {
      await settlePromises();
      if (done()) return;
      const next = this.#timers[0];
      if (!next || next.at > until) {
        if (until > this.now()) this.#clock.advance(until - this.now());
        await settlePromises();
        return;
      }
      this.#timers.shift();
      if (next.at > this.now()) this.#clock.advance(next.at - this.now());
      next.fire();
    }
  }

  /** Whether anything is still scheduled. */
  get idle(): boolean {
    return this.#timers.length === 0;
  }

  /** Resume everyone waiting with { cancelled }: the simulation stops here. */
  async cancelAll(reason: string): Promise<void> {
    for (const waiter of [...this.#waiters]) waiter.cancel(reason);
    this.#timers.length = 0;
    await settlePromises();
  }

  #schedule(at: number, fire: () => void): Timer {
    const timer = { at, seq: this.#seq++, fire };
    let i = this.#timers.length;
    while (i > 0 && this.#timers[i - 1]!.at > at) i--;
    this.#timers.splice(i, 0, timer);
    return timer;
  }

  #unschedule(timer: Timer): void {
    const i = this.#timers.indexOf(timer);
    if (i >= 0) this.#timers.splice(i, 1);
  }
}
