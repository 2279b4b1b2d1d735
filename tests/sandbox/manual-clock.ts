// A clock for the supervisor whose time moves only when a test moves it. Host tests grade with
// it so that no time limit can run out because the machine is busy: a session is then ended by
// what the test is about (a flood, a crash, a cancel), or by a time limit the test lets run out
// on purpose, never by how long a process took to start. No runtime imports, so
// the Chromium tests can bundle it into their page.

import type { Clock } from '../../sandbox/supervisor.ts';

interface Timer {
  at: number;
  callback: () => void;
}

export class ManualClock implements Clock {
  #now = 0;
  #nextId = 1;
  readonly #timers = new Map<number, Timer>();

  now(): number {
    return this.#now;
  }

  setTimeout(callback: () => void, ms: number): number {
    const id = this.#nextId++;
    this.#timers.set(id, { at: this.#now + Math.max(0, ms), callback });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.#timers.delete(handle as number);
  }

  /** Timers armed and not yet fired or cleared. */
  get pending(): number {
    return this.#timers.size;
  }

  /** Let `ms` pass: every timer due by then fires, earliest first. */
  advance(ms: number): void {
    const until = this.#now + ms;
    for (let due = this.#earliest(); due && due[1].at <= until; due = this.#earliest()) {
      this.#timers.delete(due[0]);
      this.#now = due[1].at;
      due[1].callback();
    }
    this.#now = until;
  }

  /** Let time run until the earliest timer fires (none: nothing happens). */
  runNext(): void {
    const due = this.#earliest();
    if (due) this.advance(due[1].at - this.#now);
  }

  /**
   * `runNext()` as a task of its own, as a real timer fires: never inside the callback that
   * asked for it (e.g. while the supervisor is still handling the message that armed the timer).
   */
  runNextSoon(): void {
    setTimeout(() => this.runNext(), 0);
  }

  #earliest(): [number, Timer] | undefined {
    let earliest: [number, Timer] | undefined;
    for (const entry of this.#timers) if (!earliest || entry[1].at < earliest[1].at) earliest = entry;
    return earliest;
  }
}

/**
 * How the host tests let time pass: a clock that stands still except while one of the checks
 * named is running, which then runs out of time at once. Any other limit (loading, the total,
 * the silence between checks, a check that is merely slow on a busy machine) cannot run out, so
 * a session ends only by what the test is about.
 */
export function timeRunsOutOnlyFor(neverEnding: readonly string[] = []): {
  clock: ManualClock;
  onCheckStart: (check: { id: string }) => void;
} {
  const clock = new ManualClock();
  return {
    clock,
    onCheckStart: (check) => {
      if (neverEnding.includes(check.id)) clock.runNextSoon();
    },
  };
}
