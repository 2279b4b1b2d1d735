// The plumbing every fake AWS service shares: a client class's `send` is replaced once per realm,
// and each call is routed to the world that owns the client.
//
//   const api = new FakeEndpoint({ service: 'ec2', clientClass: EC2Client, env, faultError });
//   api.on(DescribeInstanceTypesCommand, (input) => ({ InstanceTypes: [...] }));
//   const ec2 = api.client(); // a real EC2Client whose calls land in this world, traced
//
// Why routing rather than one mock per world: the runtime installs the mocks while it builds
// its first world, then freezes the realm (grader/harden.ts), so no check may re-stub a
// prototype. A client the fake hands out is routed by identity (a WeakMap, so finished worlds
// can be collected); a client the learner builds with `new S3Client({})` joins the newest world
// of that service (the current check's) at its first call, and stays in it.
//
// The SDK's middleware does not run under the mock (no serialisation, no validation of HTTP
// labels, no retries), so a fake checks what the SDK would have refused to send, via
// `validate`, and answers everything else as the service would.
//
// Until 2026-11 this was aws-sdk-client-mock's sinon stub. We used none of its matching (one
// callsFake routed everything), and it cost every grading process ~40% of its bundle (sinon and
// its fake server, 1,418 → 681 KB), ~100 ms of start-up and a recorded call (arguments, `this`)
// per request; replacing `send` ourselves is the few lines below.
//
// This is plumbing: a fake service is written as a FakeAwsService (service.ts), which builds
// one of these and adds the model, the errors and validation a service needs.

import { keepAliveSupport } from '@smithy/fetch-http-handler';
import type { AwsEnv, InjectedFault } from './env.ts';
import { requireHttpLabel } from './errors.ts';
import type { ResponseMetadata } from './errors.ts';
import { toPlainData } from '../plain-data.ts';

// Where they were first defined; errors.ts is their home now.
export { NotSentError, serviceError } from './errors.ts';
export type { ExceptionClass, ResponseMetadata, ServiceErrorOptions } from './errors.ts';

/** What every SDK v3 client has; enough for routing. */
export interface SdkClient {
  send(command: never, ...rest: never[]): Promise<unknown>;
}

/** An SDK v3 client class, e.g. S3Client. */
export type ClientClass<C extends SdkClient = SdkClient> = new (config: never) => C;

/** A command instance as the client receives it. */
export interface SdkCommand {
  readonly input: object;
  /** Smithy's operation schema: `[kind, namespace, operationName, …]` in SDK releases since 2025. */
  readonly schema?: unknown;
}

type CommandInstance = {
  readonly input: object;
  resolveMiddleware(...args: never[]): (...args: never[]) => Promise<{ output: unknown }>;
};

/** A command class, e.g. PutObjectCommand. */
export type CommandClass = abstract new (...args: never[]) => CommandInstance;

export type InputOf<C extends CommandClass> = InstanceType<C>['input'];
export type OutputOf<C extends CommandClass> =
  InstanceType<C> extends { resolveMiddleware(...args: never[]): (...args: never[]) => Promise<{ output: infer O }> }
    ? O
    : never;

/** What an operation returns: the SDK output without `$metadata`, which the endpoint fills in. */
export type Answer<O> = Omit<O, '$metadata'> & { $metadata?: Partial<ResponseMetadata> };

export interface Call {
  /** The operation name as AWS spells it, e.g. 'PutObject'. */
  operation: string;
  /** The client instance the learner called. */
  client: object;
  /** The request id this answer (or error) carries. */
  requestId: string;
}

export type OperationHandler<C extends CommandClass> = (
  input: InputOf<C>,
  call: Call,
) => Answer<OutputOf<C>> | Promise<Answer<OutputOf<C>>>;

/** How a routed client's call is answered. Always asynchronous, as a real `send` is. */
export type CommandHandler = (command: SdkCommand, client: object) => Promise<unknown>;

// Every client the browser build of the SDK makes starts a FetchHttpHandler, whose first
// construction probes `"keepalive" in new Request(…)`. Under the fakes no request is ever sent,
// and in Node that probe alone loads the whole HTTP client (undici, ~40 ms of every grading
// process), so the answer is given: both browsers and Node's Request have keepalive.
keepAliveSupport.supported ??= true;

// ---------------------------------------------------------------------------------------------
// Routing: one stub per client class per realm.

interface Router {
  stub: unknown;
  owners: WeakMap<object, CommandHandler>;
  ambient: CommandHandler | undefined;
  ambientService: string;
}

// Realm-wide by nature: the prototype being stubbed is realm-wide. Keyed by class so that
// every service gets its own router and nothing else is shared.
const routers = new WeakMap<ClientClass, Router>();

function clientClassName(clientClass: ClientClass): string {
  return clientClass.name || 'the AWS client';
}

function dispatch(router: Router, clientClass: ClientClass, self: object, command: unknown): Promise<unknown> {
  let handler = router.owners.get(self);
  if (!handler && router.ambient) {
    // An unrouted client joins the newest world at its first call and stays there, so a call
    // a check left running (a missing await) cannot land in the next check's world.
    handler = router.ambient;
    router.owners.set(self, handler);
  }
  if (!handler) {
    return Promise.reject(
      new Error(
        `${clientClassName(clientClass)}.send() was called but no fake ${router.ambientService || 'AWS'} world exists yet: ` +
          'create the fake (e.g. new FakeS3(env)) before the code under test sends requests.',
      ),
    );
  }
  if (!command || typeof command !== 'object' || !('input' in command)) {
    // The SDK fails deep in its middleware on a non-command; say what is wrong instead.
    return Promise.reject(
      new TypeError(
        `${clientClassName(clientClass)}.send() expects a command, e.g. send(new PutObjectCommand({ … })); it got ${describeValue(command)}.`,
      ),
    );
  }
  try {
    return handler(command as SdkCommand, self);
  } catch (error) {
    return Promise.reject(error);
  }
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object that is not a command (did you forget `new …Command(…)`?)';
  return `a ${typeof value}`;
}

/**
 * Stub `clientClass.prototype.send` (once per realm; later calls are no-ops). Call it before
 * the realm is frozen; constructing a FakeEndpoint does.
 */
export function installMock(clientClass: ClientClass, service = ''): void {
  const existing = routers.get(clientClass);
  const prototype = clientClass.prototype as { send: unknown };
  if (existing && prototype.send === existing.stub) return;
  const router: Router = existing ?? { stub: undefined, owners: new WeakMap(), ambient: undefined, ambientService: service };
  // A method, as the SDK's own `send` is (no prototype, not a constructor); `this` is the client
  // the learner called, which finds the owning world.
  const { send } = {
    send(this: object, command: unknown, ...rest: unknown[]) {
      const answer = dispatch(router, clientClass, this, command);
      // send(command, callback) and send(command, options, callback): the SDK's callback form.
      const callback = rest.findLast((arg) => typeof arg === 'function') as
        | ((error: unknown, result?: unknown) => void)
        | undefined;
      if (!callback) return answer;
      answer.then(
        (result) => callback(null, result),
        (error: unknown) => callback(error),
      );
      return undefined;
    },
  };
  Object.defineProperty(prototype, 'send', { value: send, writable: true, enumerable: false, configurable: true });
  router.stub = send;
  routers.set(clientClass, router);
}

function routerFor(clientClass: ClientClass, service: string): Router {
  installMock(clientClass, service);
  return routers.get(clientClass)!;
}

/** Calls on `client` go to `handler` (the world that handed the client out). */
export function routeClient(clientClass: ClientClass, client: object, handler: CommandHandler): void {
  routerFor(clientClass, '').owners.set(client, handler);
}

/**
 * Clients nobody routed (the learner's own `new S3Client({})`) that have not called yet go to
 * `handler` from now on: the newest world of a service claims them.
 */
export function setAmbient(clientClass: ClientClass, handler: CommandHandler, service = ''): void {
  const router = routerFor(clientClass, service);
  router.ambient = handler;
  if (service) router.ambientService = service;
}

const operationNames = new WeakMap<object, string>();

/** The operation a command class or instance stands for, e.g. 'PutObject'; robust to minified class names. */
export function operationName(command: CommandClass | SdkCommand): string {
  const commandClass = typeof command === 'function' ? command : (command.constructor as object);
  const known = operationNames.get(commandClass);
  if (known) return known;
  const instance =
    typeof command === 'function'
      ? (new (command as unknown as new (input: object) => SdkCommand)({}) as SdkCommand)
      : command;
  const schema = instance.schema;
  const name =
    Array.isArray(schema) && typeof schema[2] === 'string'
      ? schema[2]
      : ((instance.constructor as { name?: string }).name ?? '').replace(/Command$/, '') || 'UnknownOperation';
  operationNames.set(commandClass, name);
  return name;
}

// ---------------------------------------------------------------------------------------------
// FakeEndpoint: the per-world half every fake service builds on.

export interface FakeEndpointOptions<C extends SdkClient> {
  /** The service name in traces and fault plans, e.g. 's3'. */
  service: string;
  clientClass: ClientClass<C>;
  env: AwsEnv;
  /** The error AWS returns for an injected fault (typically serviceError(base, …)). */
  faultError: (fault: InjectedFault, call: Call) => Error;
  /**
   * Client-side checks the SDK makes before sending (HTTP labels, URI encoding). Throw a
   * NotSentError: the call is traced as 'NotSent' and never reaches faults or the service.
   */
  validate?: (operation: string, input: Record<string, unknown>) => void;
  /** The input as the trace should show it (e.g. request bodies summarised). Default: as sent. */
  summarise?: (operation: string, input: Record<string, unknown>) => unknown;
  /** Config for clients the endpoint hands out (region, credentials: never real ones). */
  clientConfig?: () => Record<string, unknown>;
  /** When true (default), clients nobody routed belong to this endpoint from its creation on. */
  claimAmbient?: boolean;
}

/** The trace outcome of a call the SDK refused to send. */
export const NOT_SENT = 'NotSent';

/**
 * Which response fields a traced call shows (the ones a learner's code must act on: NextToken,
 * IsTruncated, KeyCount, FailedRecordCount…): their names, or a function that picks and shapes
 * them. Long arrays and strings are cut (TRACE_OUTPUT_LIMITS) so reports stay small.
 */
export type OutputSummary<O> =
  | readonly (keyof O & string)[]
  | ((output: O) => Record<string, unknown> | undefined);

export interface OperationSpec<K extends CommandClass> {
  /** One line for the table of operations (docs/fakes.md): what it models, which limits it honours. */
  doc: string;
  /** The response fields the trace shows; none when absent. */
  output?: OutputSummary<OutputOf<K>>;
  /**
   * Members the SDK puts in the request's URL path (REST protocols: S3's Bucket and Key,
   * Lambda's FunctionName…): missing or empty, the SDK refuses to send (NotSentError).
   */
  httpLabels?: readonly (keyof InputOf<K> & string)[];
}

/** An operation as the table of operations lists it. */
export interface OperationDoc {
  operation: string;
  doc: string;
}

/** How much of a response a trace entry keeps: a report holds up to 100 entries per check. */
export const TRACE_OUTPUT_LIMITS = { items: 5, characters: 200, depth: 4 } as const;

/** Lists outputList already cut: compactOutput keeps them as they are. */
const CUT_LISTS = new WeakSet<readonly unknown[]>();

/**
 * The first TRACE_OUTPUT_LIMITS.items of a response list, each shaped by `pick`, then '… N more':
 * for output summaries of long lists (a 1,000-key page), without shaping every item.
 */
export function outputList<T>(items: readonly T[] | undefined, pick: (item: T) => unknown): unknown[] | undefined {
  if (!items) return undefined;
  const shown: unknown[] = items.slice(0, TRACE_OUTPUT_LIMITS.items).map(pick);
  if (items.length > shown.length) shown.push(`… ${items.length - shown.length} more`);
  CUT_LISTS.add(shown);
  return shown;
}

/** A response summary cut to TRACE_OUTPUT_LIMITS, as plain data. */
export function compactOutput(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') {
    return value.length > TRACE_OUTPUT_LIMITS.characters ? `${value.slice(0, TRACE_OUTPUT_LIMITS.characters)}…` : value;
  }
  if (value === null || typeof value !== 'object' || value instanceof Date || ArrayBuffer.isView(value)) return toPlainData(value);
  if (depth >= TRACE_OUTPUT_LIMITS.depth) return Array.isArray(value) ? '[array]' : '[object]';
  if (Array.isArray(value)) {
    if (CUT_LISTS.has(value)) return value.map((item) => compactOutput(item, depth + 1));
    const shown = value.slice(0, TRACE_OUTPUT_LIMITS.items).map((item) => compactOutput(item, depth + 1));
    if (value.length > shown.length) shown.push(`… ${value.length - shown.length} more`);
    return shown;
  }
  if (value instanceof String) return compactOutput(String(value), depth);
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    const compact = compactOutput(item, depth + 1);
    if (compact !== undefined) out[key] = compact;
  }
  return out;
}

function summariseOutput(summary: OutputSummary<never>, output: Record<string, unknown>): Record<string, unknown> | undefined {
  let picked: Record<string, unknown> | undefined;
  if (typeof summary === 'function') {
    picked = (summary as (output: Record<string, unknown>) => Record<string, unknown> | undefined)(output);
  } else {
    picked = {};
    for (const field of summary as readonly string[]) if (output[field] !== undefined) picked[field] = output[field];
  }
  const compact = picked && (compactOutput(picked) as Record<string, unknown>);
  return compact && Object.keys(compact).length ? compact : undefined;
}

interface Operation {
  run: (input: never, call: Call) => unknown;
  doc: string | undefined;
  output: OutputSummary<never> | undefined;
  httpLabels: readonly string[];
}

export class FakeEndpoint<C extends SdkClient> {
  readonly service: string;
  readonly env: AwsEnv;
  readonly #options: FakeEndpointOptions<C>;
  readonly #operations = new Map<string, Operation>();
  readonly #handler: CommandHandler;
  #requests = 0;

  constructor(options: FakeEndpointOptions<C>) {
    this.#options = options;
    this.service = options.service;
    this.env = options.env;
    this.#handler = (command, client) => this.#handle(command, client);
    installMock(options.clientClass, options.service);
    if (options.claimAmbient ?? true) this.claimAmbient();
  }

  /** Answer `command` with `run`; `spec` documents it and says what the trace shows of its answers. */
  on<K extends CommandClass>(command: K, run: OperationHandler<K>, spec?: Partial<OperationSpec<K>>): this {
    this.#operations.set(operationName(command), {
      run: run as (input: never, call: Call) => unknown,
      doc: spec?.doc,
      output: spec?.output as OutputSummary<never> | undefined,
      httpLabels: spec?.httpLabels ?? [],
    });
    return this;
  }

  /** Whether this endpoint answers an operation (as AWS names it, e.g. 'PutObject'). */
  answers(operation: string): boolean {
    return this.#operations.has(operation);
  }

  /** Operations this endpoint answers, as AWS names them. */
  get operations(): string[] {
    return [...this.#operations.keys()];
  }

  /** Each operation with the line that documents it ('' when it has none). */
  get operationDocs(): OperationDoc[] {
    return [...this.#operations].map(([operation, { doc }]) => ({ operation, doc: doc ?? '' }));
  }

  /** A real client of the SDK whose calls land in this world (and are traced). */
  client(config: Record<string, unknown> = {}): C {
    const Client = this.#options.clientClass as unknown as new (config: Record<string, unknown>) => C;
    const client = new Client({
      region: this.env.region,
      // Static dummies: the SDK never looks for real credentials, and nothing is signed or sent.
      credentials: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' },
      ...(this.#options.clientConfig?.() ?? {}),
      ...config,
    });
    routeClient(this.#options.clientClass, client, this.#handler);
    return client;
  }

  /** Make clients nobody routed (the learner's own `new S3Client({})`) join this world at their first call. */
  claimAmbient(): void {
    setAmbient(this.#options.clientClass, this.#handler, this.service);
  }

  /** A deterministic request id (never from env.random: calls must not shift a lab's fixtures). */
  nextRequestId(): string {
    this.#requests += 1;
    let h = 0x9e3779b9 ^ this.#requests;
    let id = '';
    for (let i = 0; i < 4; i++) {
      h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d) ^ Math.imul(i + 1, 0x297a2d39);
      id += ((h >>> 0) & 0xffff).toString(16).toUpperCase().padStart(4, '0');
    }
    return id;
  }

  async #handle(command: SdkCommand, client: object): Promise<unknown> {
    const operation = operationName(command);
    const input = (command.input ?? {}) as Record<string, unknown>;
    const recorded = this.#traceInput(operation, input);
    const record = (outcome: string, httpStatusCode: number, output?: Record<string, unknown>) =>
      this.env.trace.record({
        service: this.service,
        operation,
        input: recorded,
        outcome,
        httpStatusCode,
        ...(output !== undefined ? { output } : {}),
      });

    const known = this.#operations.get(operation);
    try {
      for (const member of known?.httpLabels ?? []) requireHttpLabel(input, member);
      this.#options.validate?.(operation, input);
    } catch (error) {
      record(NOT_SENT, 0);
      throw error;
    }
    const call: Call = { operation, client, requestId: this.nextRequestId() };
    try {
      if (!known) {
        throw new Error(
          `The fake ${this.service} does not implement ${operation} yet (it answers ${this.operations.join(', ')}). ` +
            'If your lab needs it, ask for it; learners should not see this message.',
        );
      }
      const fault = this.env.faults.take(this.service, operation, input);
      if (fault) throw this.#options.faultError(fault, call);
      const answer = (await known.run(input as never, call)) as Record<string, unknown> & { $metadata?: Partial<ResponseMetadata> };
      const $metadata: ResponseMetadata = {
        httpStatusCode: 200,
        requestId: call.requestId,
        extendedRequestId: undefined,
        cfId: undefined,
        attempts: 1,
        totalRetryDelay: 0,
        ...answer.$metadata,
      };
      record('ok', $metadata.httpStatusCode, known.output ? this.#traceOutput(known.output, answer) : undefined);
      return { ...answer, $metadata };
    } catch (error) {
      const meta = (error as { $metadata?: { httpStatusCode?: number } }).$metadata;
      record(meta ? (error as Error).name : 'Error', meta?.httpStatusCode ?? 0);
      throw error;
    }
  }

  #traceInput(operation: string, input: Record<string, unknown>): unknown {
    // Copy now: learners reuse and mutate parameter objects, and the trace is read after the check.
    const summarised = this.#options.summarise ? this.#options.summarise(operation, input) : input;
    return toPlainData(summarised);
  }

  #traceOutput(summary: OutputSummary<never>, answer: Record<string, unknown>): Record<string, unknown> | undefined {
    // A summary is a courtesy to the learner: a fake's summariser that throws must not fail the call.
    try {
      return summariseOutput(summary, answer);
    } catch {
      return undefined;
    }
  }
}

/** '<2,048 bytes>': how traces show a request body too long to be worth reading. */
export function byteSummary(byteLength: number): string {
  return `<${BYTE_COUNT.format(byteLength)} bytes>`;
}

// What byteLength.toLocaleString('en-US') formats with, made once: traces summarise many bodies.
const BYTE_COUNT = new Intl.NumberFormat('en-US');
