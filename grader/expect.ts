// A standalone `expect` with Vitest's matchers and diffs, for checks. Built on @vitest/expect
// so it runs in Node, a WebContainer and a browser Worker alike (no test runner needed).

import {
  ASYMMETRIC_MATCHERS_OBJECT,
  JestAsymmetricMatchers,
  JestChaiExpect,
  JestExtend,
  chai,
  getState,
  setState,
} from '@vitest/expect';
import type { ExpectStatic } from '@vitest/expect';

let installed = false;

export function createExpect(): ExpectStatic {
  if (!installed) {
    chai.use(JestExtend);
    chai.use(JestChaiExpect);
    chai.use(JestAsymmetricMatchers);
    installed = true;
  }
  const expect = ((value: unknown, message?: string) => {
    const { assertionCalls } = getState(expect);
    setState({ assertionCalls: assertionCalls + 1 }, expect);
    return chai.expect(value, message);
  }) as unknown as ExpectStatic;
  Object.assign(expect, chai.expect);
  Object.assign(expect, (globalThis as Record<PropertyKey, unknown>)[ASYMMETRIC_MATCHERS_OBJECT]);
  expect.getState = () => getState(expect);
  expect.setState = (state) => setState(state, expect);
  setState(
    {
      assertionCalls: 0,
      isExpectingAssertions: false,
      isExpectingAssertionsError: null,
      expectedAssertionsNumber: null,
      expectedAssertionsNumberErrorGen: null,
    },
    expect,
  );
  expect.extend = (matchers) => (chai.expect as unknown as { extend(e: ExpectStatic, m: unknown): void }).extend(expect, matchers);
  return expect;
}

/** True for the errors `expect` throws, as opposed to a bug in the code under test. */
export function isAssertionError(error: unknown): boolean {
  return error instanceof Error && (error.name === 'AssertionError' || error instanceof chai.AssertionError);
}
