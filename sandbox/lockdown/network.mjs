// What learner code finds where the network would be, in every host (the Node child, the
// WebContainer runner, the browser Worker): one behaviour and the same words everywhere, so a
// report never depends on the engine that ran it.
//
// Plain JavaScript with no imports, for Node and browsers alike: the Node child imports it as it
// is; the browser hosts' session scripts are bundled with it (sandbox/session-scripts.ts).
// @ts-check

export const NETWORK_REFUSAL = 'Network access is not available while grading.';

/**
 * A function that refuses, in the words every host uses.
 * @param {string} what
 */
export function refuse(what) {
  return function refused() {
    throw new Error(`${what} is not available while grading.`);
  };
}

// Taken now, before learner code runs, so replacing the globals later changes nothing here.
const rejected = Promise.reject.bind(Promise);
const FetchError = TypeError;
const Reason = Error;

/**
 * `fetch` as it behaves with no network: it returns a promise that rejects with TypeError
 * "fetch failed" (Node's words), never throws, so code that fires `fetch(url).catch(…)` still
 * loads and a learner's own offline handling runs as it would. The cause says why.
 * @param {unknown} [_input]
 * @param {unknown} [_init]
 * @returns {Promise<never>}
 */
export function offlineFetch(_input, _init) {
  return rejected(new FetchError('fetch failed', { cause: new Reason(NETWORK_REFUSAL) }));
}
Object.defineProperty(offlineFetch, 'name', { value: 'fetch' });
