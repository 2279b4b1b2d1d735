// The Worker host, page side: each grading session is a fresh Worker running worker.js (the
// browser sibling of sandbox/node/host.ts). The supervisor stops an endless loop by killing
// the session, which terminates the Worker — the only way to stop code that never yields.
//
// What a Worker cannot do that the Node host does: cap memory (a runaway allocation can take
// the tab down) or fix the time zone (learner code sees the browser's). The check time limits
// still stop a loop that allocates forever, usually long before memory runs out.

import type { RunRequest } from '../../grader/protocol.ts';
import type { ExitInfo, Transport, TransportHandlers, TransportSession } from '../supervisor.ts';

export interface WorkerTransportOptions {
  /** Where the site serves sandbox/worker/worker.js, e.g. /grader/worker.js. */
  workerUrl: string | URL;
  /** The lab's browser bundle: a URL the Worker loads with importScripts (absolute), or its code. */
  bundle: { url: string } | { code: string };
  /** Tests may count or wrap Workers. */
  createWorker?: (url: string | URL) => Worker;
}

/** What worker.js says on its private port besides the session's envelopes. */
type Control = { control: 'closed' } | { control: 'fatal'; detail?: string } | { control: 'finished' };

function isControl(data: unknown): data is Control {
  return typeof data === 'object' && data !== null && typeof (data as { control?: unknown }).control === 'string';
}

export function workerTransport(options: WorkerTransportOptions): Transport {
  const createWorker = options.createWorker ?? ((url: string | URL) => new Worker(url, { name: 'whetstone-grader' }));
  const bundle = 'url' in options.bundle ? { bundleUrl: options.bundle.url } : { bundleCode: options.bundle.code };

  return {
    start(handlers: TransportHandlers): TransportSession {
      const worker = createWorker(options.workerUrl);
      // Results come back on this channel only; the Worker's own postMessage, which learner
      // code can call, reaches nothing that listens.
      const channel = new MessageChannel();
      let over = false;

      const stop = () => {
        over = true;
        worker.terminate();
        channel.port1.close();
      };
      const end = (info: ExitInfo) => {
        if (over) return;
        stop();
        handlers.exit(info);
      };

      channel.port1.onmessage = (event: MessageEvent) => {
        if (over) return;
        const data: unknown = event.data;
        if (!isControl(data)) {
          handlers.message(data);
          return;
        }
        switch (data.control) {
          case 'closed':
            end({ kind: 'crash', detail: 'your code called close(), which ends the grading Worker' });
            break;
          case 'fatal':
            end({ kind: 'crash', code: 70, detail: data.detail ?? 'the grading Worker failed' });
            break;
          case 'finished':
            end({ kind: 'exit', code: 0 });
            break;
        }
      };
      worker.onerror = (event: ErrorEvent) => {
        // worker.js keeps learner errors to itself, so this is the script failing to load.
        event.preventDefault();
        const where = String(options.workerUrl);
        end({
          kind: 'crash',
          detail: event.message
            ? `the grading Worker failed to start (${event.message})`
            : `the grading Worker could not be loaded from ${where}`,
        });
      };

      return {
        send(request: RunRequest) {
          if (over) return;
          worker.postMessage({ ...bundle, request }, [channel.port2]);
        },
        kill: stop,
      };
    },
  };
}
