// The Worker host, page side: each grading session is a fresh Worker running worker.js (the
// browser sibling of sandbox/node/host.ts). The supervisor stops an endless loop by killing
// the session, which terminates the Worker — the only way to stop code that never yields.
//
// Loading a lab bundle the size of the AWS SDK takes a Worker a few hundred milliseconds, so
// one Worker is kept loaded ahead of time (`warm()`): "Run checks" then costs only the checks.
// The next one starts loading as soon as a session takes the waiting one, alongside the run,
// so a re-run right after a run does not wait for a load either.
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

export interface WorkerTransport extends Transport {
  /** Start loading a Worker now, so the next session need not wait for it. */
  warm(): void;
  /** Terminate the Worker kept waiting (when the page no longer grades). */
  dispose(): void;
}

/** What worker.js says on its private port besides the session's envelopes. */
type Control = { control: 'closed' } | { control: 'fatal'; detail?: string } | { control: 'finished' };

function isControl(data: unknown): data is Control {
  return typeof data === 'object' && data !== null && typeof (data as { control?: unknown }).control === 'string';
}

/** A Worker that has been sent the bundle and waits for a request; events wait for a session. */
interface LoadingWorker {
  attach(handlers: TransportHandlers): TransportSession;
  terminate(): void;
}

export function workerTransport(options: WorkerTransportOptions): WorkerTransport {
  const createWorker = options.createWorker ?? ((url: string | URL) => new Worker(url, { name: 'whetstone-grader' }));
  const bundle = 'url' in options.bundle ? { bundleUrl: options.bundle.url } : { bundleCode: options.bundle.code };
  let spare: LoadingWorker | undefined;
  let disposed = false;

  function load(onEnd: () => void): LoadingWorker {
    const worker = createWorker(options.workerUrl);
    // Results come back on this channel only; the Worker's own postMessage, which learner
    // code can call, reaches nothing that listens.
    const channel = new MessageChannel();
    let handlers: TransportHandlers | undefined;
    let over = false;
    const early: ({ message: unknown } | { exit: ExitInfo })[] = [];

    const stop = () => {
      if (over) return;
      over = true;
      worker.terminate();
      channel.port1.close();
      onEnd();
    };
    const end = (info: ExitInfo) => {
      if (over) return;
      if (!handlers) {
        early.push({ exit: info });
        return;
      }
      stop();
      handlers.exit(info);
    };
    const receive = (data: unknown) => {
      if (over) return;
      if (!handlers) {
        early.push({ message: data });
        return;
      }
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

    channel.port1.onmessage = (event: MessageEvent) => receive(event.data);
    worker.onerror = (event: ErrorEvent) => {
      // worker.js keeps learner errors to itself, so this is the script failing to load.
      event.preventDefault();
      end({
        kind: 'crash',
        detail: event.message
          ? `the grading Worker failed to start (${event.message})`
          : `the grading Worker could not be loaded from ${String(options.workerUrl)}`,
      });
    };
    worker.postMessage(bundle, [channel.port2]);

    return {
      attach(attached) {
        handlers = attached;
        for (const item of early.splice(0)) {
          if ('exit' in item) end(item.exit);
          else receive(item.message);
        }
        return {
          send(request: RunRequest) {
            if (!over) channel.port1.postMessage({ request });
          },
          kill: stop,
        };
      },
      terminate: () => {
        over = true;
        worker.terminate();
        channel.port1.close();
      },
    };
  }

  const warm = () => {
    if (spare || disposed) return;
    try {
      spare = load(warm);
    } catch {
      // No Worker to be had now (e.g. a bad URL): start() will say so in the report.
    }
  };

  return {
    start(handlers: TransportHandlers): TransportSession {
      const loading = spare ?? load(warm);
      spare = undefined;
      warm();
      return loading.attach(handlers);
    },
    warm,
    dispose() {
      disposed = true;
      spare?.terminate();
      spare = undefined;
    },
  };
}
