// The Worker host's session script: one grading session per Worker, the browser sibling of
// sandbox/node/child.mjs. A classic Worker: what is served (e.g. /grader/worker.js) is this file
// bundled with what it imports from ../lockdown/ into one script (sandbox/session-scripts.ts).
//
// 1. The page sends { bundleUrl | bundleCode } with a MessagePort. The Worker loads the lab
//    bundle and freezes the realm at once, so a Worker can be loaded before it is needed.
// 2. The request ({ request }: the learner's files and the run's nonce) arrives on that port;
//    the run starts, and every result goes back on the port.
// Only this script holds the port: whatever learner code posts with the Worker's own
// postMessage reaches a channel the page ignores. Results also carry the nonce
// (grader/protocol.ts), which learner code never sees.
//
// Control messages (not envelopes) tell the page what the Worker cannot say by dying:
//   { control: 'closed' }            learner code called close(): the page gets no event otherwise
//   { control: 'fatal', detail }     the session itself failed (bundle missing, bad request)
//   { control: 'finished' }          the run returned
//
// Plain JavaScript, checked by tsc through JSDoc.
// @ts-check

import { offlineFetch, refuse } from '../lockdown/network.mjs';

/**
 * @typedef {{ files: Record<string, string>, only?: string[], seed: number, nonce: string }} RunRequest
 * @typedef {{ harden(): void, run(request: RunRequest, emit: (message: unknown) => void): Promise<void> }} Runtime
 * @typedef {{ bundleUrl?: string, bundleCode?: string }} LoadMessage
 * @typedef {{ close(): void, importScripts(...urls: string[]): void, whetstoneLab?: Runtime,
 *   addEventListener(type: string, listener: (event: any) => void, options?: { once?: boolean }): void }} SessionScope
 */

const scope = /** @type {SessionScope} */ (/** @type {unknown} */ (self));

/**
 * Take away what learner code could use to reach the network, other workers or saved work.
 * fetch answers as it does offline and the rest refuse, as in the Node hosts (../lockdown/).
 */
function lockScope() {
  const network = refuse('Network access');
  Object.defineProperty(scope, 'fetch', { value: offlineFetch, writable: false, configurable: false });
  for (const name of ['XMLHttpRequest', 'WebSocket', 'EventSource', 'WebTransport', 'importScripts']) {
    if (name in scope) Object.defineProperty(scope, name, { value: network, writable: false, configurable: false });
  }
  for (const name of ['Worker', 'SharedWorker', 'indexedDB', 'caches']) {
    if (name in scope) Object.defineProperty(scope, name, { value: undefined, writable: false, configurable: false });
  }
}

/** @param {LoadMessage} data */
function loadRuntime(data) {
  if (typeof data.bundleUrl === 'string') {
    try {
      scope.importScripts(data.bundleUrl);
    } catch (error) {
      throw new Error(`could not load the lab's grader bundle from ${data.bundleUrl} (${error instanceof Error ? error.message : String(error)})`);
    }
  } else if (typeof data.bundleCode === 'string') {
    (0, eval)(data.bundleCode);
  } else {
    throw new Error('the page sent neither bundleUrl nor bundleCode');
  }
  const runtime = scope.whetstoneLab;
  if (!runtime) throw new Error('the lab bundle did not define whetstoneLab');
  delete scope.whetstoneLab;
  return runtime;
}

/** @param {MessageEvent<LoadMessage>} event */
function onLoad(event) {
  const port = event.ports[0];
  if (!port) return;
  // Bound now, before learner code could replace MessagePort.prototype.postMessage.
  /** @type {(message: unknown) => void} */
  const send = port.postMessage.bind(port);

  /** @param {unknown} error */
  const fatal = (error) => send({ control: 'fatal', detail: error instanceof Error ? error.message : String(error) });

  // close() ends a Worker without any event on the page's side: report it first.
  const closeWorker = scope.close.bind(scope);
  Object.defineProperty(scope, 'close', {
    value: function close() {
      send({ control: 'closed' });
      closeWorker();
    },
    writable: false,
    configurable: false,
  });
  // Like the Node host: a learner's stray async throw or rejection does not end the session;
  // the check that started it already has its verdict (or will time out).
  scope.addEventListener('error', (/** @type {Event} */ e) => e.preventDefault());
  scope.addEventListener('unhandledrejection', (/** @type {Event} */ e) => e.preventDefault());

  /** @type {Runtime} */
  let runtime;
  try {
    runtime = loadRuntime(event.data || {});
    lockScope();
    runtime.harden();
  } catch (error) {
    fatal(error);
    return;
  }
  port.onmessage = (/** @type {MessageEvent<{ request?: RunRequest }>} */ message) => {
    port.onmessage = null;
    const request = message.data && message.data.request;
    if (!request || typeof request.nonce !== 'string') {
      fatal(new Error('the page sent no grading request'));
      return;
    }
    runtime.run(request, send).then(() => send({ control: 'finished' }), fatal);
  };
}

scope.addEventListener('message', onLoad, { once: true });
