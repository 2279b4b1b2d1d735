// Gradings in these tests run while time stands still (manual-clock.ts), so only what a test is
// about ends a session. A test that fails by its own time limit would then leave a grading
// process looping for good (an `unshare` wrapper outlives the test worker): each test's gradings
// are cancelled when it ends, which kills their processes.

import { afterEach } from 'vitest';

/** Call once per test file; the function it returns gives the signal for the running test's gradings. */
export function cancelledAfterEachTest(): () => AbortSignal {
  let controller = new AbortController();
  afterEach(() => {
    controller.abort();
    controller = new AbortController();
  });
  return () => controller.signal;
}
