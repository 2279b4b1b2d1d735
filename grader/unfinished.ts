// Telling an unfinished step from a wrong one. Starters stub every export with
// `throw new Error('Not implemented yet: …')`; a check that meets that error — thrown through
// it, or caught and judged ("it should throw an Error naming the timestamp") — must say the
// step is not done yet, not that the learner's message is wrong. The runtime watches every
// function of the learner's modules for that error, so no check has to remember to.

import { learnerLocation } from './submission.ts';

const NOT_IMPLEMENTED = /^Not implemented yet\b/;

/** The starter's stub error: an Error whose message starts with "Not implemented yet". */
export function isNotImplemented(error: unknown): error is Error {
  if (!(error instanceof Error)) return false;
  try {
    return typeof error.message === 'string' && NOT_IMPLEMENTED.test(error.message);
  } catch {
    return false;
  }
}

/** Where a check met the starter's stub: which export threw it (when known) and the error. */
export interface Unfinished {
  exportName?: string;
  error: Error;
}

/** The learner-facing sentence for a check that met an unfinished step. */
export function unfinishedMessage(unfinished: Unfinished, files: Readonly<Record<string, string>>): string {
  const where = learnerLocation(unfinished.error, files);
  const thrown = `${unfinished.error.message}${where ? ` (${where.file}:${where.line}:${where.column})` : ''}`;
  return unfinished.exportName
    ? `Not done yet: ${unfinished.exportName} is still the starter's stub, which throws ${thrown}. Write it, then run the checks again.`
    : `Not done yet: your code still throws the starter's ${thrown}. Write that part, then run the checks again.`;
}

// Bound once: a learner cannot reach these through a promise they return.
const then = Promise.prototype.then;

/**
 * The learner's module exports as the checks see them: the same values, with each function
 * reporting a "Not implemented yet" error it throws or rejects with to `seen` (then passing it
 * on unchanged). Live bindings stay live; a function is wrapped once, so identities hold.
 */
export function watchModule<T extends object>(exports: T, seen: (unfinished: Unfinished) => void): T {
  const wrapped = new WeakMap<object, unknown>();
  const watch = (exportName: string, fn: (...args: unknown[]) => unknown): unknown => {
    const report = (error: unknown) => {
      if (isNotImplemented(error)) seen({ exportName, error });
    };
    return new Proxy(fn, {
      apply(target, thisArg, args) {
        let result: unknown;
        try {
          result = Reflect.apply(target, thisArg, args);
        } catch (error) {
          report(error);
          throw error;
        }
        // A side branch on the learner's promise: the promise returned is theirs, untouched.
        if (result instanceof Promise) then.call(result, undefined, report);
        return result;
      },
      construct(target, args, newTarget) {
        try {
          return Reflect.construct(target, args, newTarget);
        } catch (error) {
          report(error);
          throw error;
        }
      },
    });
  };
  return new Proxy(exports, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== 'function' || typeof property !== 'string') return value;
      // A proxy must return a frozen property's own value (e.g. exports the learner froze).
      const own = Reflect.getOwnPropertyDescriptor(target, property);
      if (own && !own.configurable && !own.writable && !own.get) return value;
      let proxy = wrapped.get(value);
      if (!proxy) {
        proxy = watch(property, value as (...args: unknown[]) => unknown);
        wrapped.set(value, proxy);
      }
      return proxy;
    },
  });
}
