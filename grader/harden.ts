// Freezing the realm before learner code runs, so the code under test cannot rewrite what the
// grader relies on: `Array.prototype.includes = () => true`, a replaced `JSON.stringify`, a
// patched `S3Client.prototype.send` or `Promise`. Hosts call it once per process (or Worker),
// after the lab bundle has loaded and every client mock is installed.
//
// Freezing prototypes breaks the common pattern `instance.name = 'X'` when the prototype has
// a `name` data property (the "override mistake"); like SES, we turn those few properties into
// accessors whose setter defines an own property on the instance instead.

const OVERRIDABLE: Record<string, readonly string[]> = {
  'Object.prototype': ['constructor', 'hasOwnProperty', 'isPrototypeOf', 'propertyIsEnumerable', 'toLocaleString', 'toString', 'valueOf'],
  'Array.prototype': ['constructor', 'toString', 'push', 'concat', 'join', 'toLocaleString'],
  'Function.prototype': ['constructor', 'bind', 'apply', 'call', 'toString'],
  'Error.prototype': ['constructor', 'message', 'name', 'toString'],
  'TypeError.prototype': ['constructor', 'message', 'name'],
  'RangeError.prototype': ['constructor', 'message', 'name'],
  'SyntaxError.prototype': ['constructor', 'message', 'name'],
  'ReferenceError.prototype': ['constructor', 'message', 'name'],
  'Promise.prototype': ['constructor', 'then', 'catch', 'finally'],
  'Symbol.prototype': ['constructor', 'toString'],
  'RegExp.prototype': ['constructor', 'toString'],
  'Date.prototype': ['constructor', 'toString', 'toJSON'],
};

/**
 * Language intrinsics and the host globals the grader itself calls. Not fetch's Headers, Request
 * and Response: the grader never calls them, and in Node reading their descriptor loads the
 * whole HTTP client (undici, ~40 ms of every grading process).
 */
const GLOBALS = [
  'Object', 'Function', 'Array', 'Number', 'Boolean', 'String', 'Symbol', 'BigInt', 'Date', 'Promise', 'RegExp',
  'Error', 'AggregateError', 'EvalError', 'RangeError', 'ReferenceError', 'SyntaxError', 'TypeError', 'URIError',
  'JSON', 'Math', 'Reflect', 'Proxy', 'Intl', 'Map', 'Set', 'WeakMap', 'WeakSet', 'WeakRef', 'FinalizationRegistry',
  'ArrayBuffer', 'SharedArrayBuffer', 'DataView', 'Atomics', 'Int8Array', 'Uint8Array', 'Uint8ClampedArray',
  'Int16Array', 'Uint16Array', 'Int32Array', 'Uint32Array', 'Float32Array', 'Float64Array', 'BigInt64Array',
  'BigUint64Array', 'Iterator', 'parseInt', 'parseFloat', 'isNaN', 'isFinite', 'encodeURIComponent',
  'decodeURIComponent', 'encodeURI', 'decodeURI', 'escape', 'unescape',
  'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'queueMicrotask', 'structuredClone',
  'TextEncoder', 'TextDecoder', 'URL', 'URLSearchParams', 'performance', 'atob', 'btoa', 'AbortController',
  'AbortSignal', 'Blob', 'ReadableStream', 'WritableStream', 'TransformStream', 'EventTarget', 'Event',
];

type Walkable = object | ((...args: never[]) => unknown);

function tameOverrides(root: Record<string, unknown>): void {
  for (const [path, names] of Object.entries(OVERRIDABLE)) {
    const [ctor] = path.split('.');
    const proto = (root[ctor!] as { prototype?: object } | undefined)?.prototype;
    if (!proto) continue;
    for (const name of names) {
      const desc = Object.getOwnPropertyDescriptor(proto, name);
      if (!desc || !('value' in desc) || !desc.configurable) continue;
      const value: unknown = desc.value;
      Object.defineProperty(proto, name, {
        configurable: false,
        enumerable: desc.enumerable ?? false,
        get() {
          return value;
        },
        set(this: object, next: unknown) {
          if (this === proto) throw new TypeError(`Cannot assign to read only property '${name}' of a frozen prototype`);
          Object.defineProperty(this, name, { value: next, writable: true, enumerable: true, configurable: true });
        },
      });
    }
  }
}

export function deepFreeze(root: unknown, seen: WeakSet<object> = new WeakSet()): void {
  const stack: unknown[] = [root];
  while (stack.length) {
    const value = stack.pop();
    if ((typeof value !== 'object' && typeof value !== 'function') || value === null) continue;
    const object = value as Walkable;
    if (seen.has(object)) continue;
    seen.add(object);
    try {
      Object.freeze(object);
    } catch {
      // Some host objects (module namespaces under construction) refuse; their members still get walked.
    }
    stack.push(Object.getPrototypeOf(object));
    for (const key of Reflect.ownKeys(object)) {
      let desc: PropertyDescriptor | undefined;
      try {
        desc = Object.getOwnPropertyDescriptor(object, key);
      } catch {
        continue;
      }
      if (!desc) continue;
      if ('value' in desc) stack.push(desc.value);
      else stack.push(desc.get, desc.set);
    }
  }
}

export function hardenRealm(options: { modules: Readonly<Record<string, object>> }): void {
  const root = globalThis as unknown as Record<string, unknown>;
  tameOverrides(root);
  const seen = new WeakSet<object>();
  for (const name of GLOBALS) {
    const desc = Object.getOwnPropertyDescriptor(root, name);
    if (!desc) continue;
    if ('value' in desc) deepFreeze(desc.value, seen);
    else deepFreeze([desc.get, desc.set], seen);
    if (desc.configurable) {
      Object.defineProperty(root, name, 'value' in desc ? { writable: false, configurable: false } : { configurable: false });
    }
  }
  for (const module of Object.values(options.modules)) {
    // Bundled module namespaces export through getters: freeze what they return (the SDK
    // classes themselves), not only the getter functions.
    for (const key of Object.keys(module)) deepFreeze((module as Record<string, unknown>)[key], seen);
    deepFreeze(module, seen);
  }
}
