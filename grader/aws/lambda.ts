// A fake AWS Lambda: functions are JavaScript handlers a lab registers (untraced), and Invoke
// runs them as Lambda runs a Node.js function: the payload is JSON in, JSON out; a handler that
// throws is a function error (StatusCode 200, FunctionError 'Unhandled', the error as the
// payload), not an API error; Event invocations are accepted with 202 and run later.
//
//   const lambda = new FakeLambda(env);
//   lambda.createFunction('evaluate-model', (event) => ({ accuracy: 0.93 }));
//   const out = await lambda.client().send(new InvokeCommand({ FunctionName: 'evaluate-model', Payload: '{"k":1}' }));
//   JSON.parse(out.Payload.transformToString());   // { accuracy: 0.93 }
//
// Facts (Lambda API Reference, Invoke, read 2026-11-30):
// - FunctionName: a name, an ARN or a partial ARN ('123456789012:function:name'), with an
//   optional qualifier; 1–256 characters, a bare name at most 64; pattern
//   (arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\d{1}:)?(\d{12}:)?(function:)?([a-zA-Z0-9-_\.]+)(:(\$LATEST(\.PUBLISHED)?|[a-zA-Z0-9-_]+))?
// - InvocationType RequestResponse (default, 200), Event (202), DryRun (204).
// - "For synchronous invocations, the maximum payload size is 6 MB. For asynchronous
//   invocations, the maximum payload size is 1 MB." Larger: RequestTooLargeException (413).
// - A payload that is not JSON: InvalidRequestContentException (400) "Could not parse request
//   body into json".
// - An unknown function: ResourceNotFoundException (404) "Function not found: <arn>".
// - A function error: X-Amz-Function-Error 'Unhandled' and the runtime's error object as the
//   payload; Node.js runtimes write {"errorType","errorMessage","trace"} (Lambda Developer
//   Guide, "Lambda function errors in Node.js", read 2026-11-30).

import {
  InvalidRequestContentException,
  InvokeCommand,
  LambdaClient,
  LambdaServiceException,
  RequestTooLargeException,
  ResourceNotFoundException,
  ServiceException,
  TooManyRequestsException,
} from '@aws-sdk/client-lambda';
import type { InvokeCommandInput, InvokeCommandOutput } from '@aws-sdk/client-lambda';
import { Uint8ArrayBlobAdapter } from '@smithy/core/serde';
import { utf8 } from './bytes.ts';
import type { AwsEnv } from './env.ts';
import type { ExceptionClass } from './errors.ts';
import type { Answer, Call } from './mock.ts';
import { byteSummary } from './mock.ts';
import { FakeAwsService } from './service.ts';
import { Constraints } from './validation.ts';

export const FUNCTION_NAME =
  /^(arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\d{1}:)?(\d{12}:)?(function:)?([a-zA-Z0-9-_.]+)(:(\$LATEST(\.PUBLISHED)?|[a-zA-Z0-9-_]+))?$/;
const FUNCTION_NAME_TEXT =
  '(arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?([a-zA-Z0-9-_\\.]+)(:(\\$LATEST(\\.PUBLISHED)?|[a-zA-Z0-9-_]+))?';
/** 6 MB (6,291,456 bytes) for RequestResponse, 1 MB for Event invocations. */
export const MAX_SYNC_PAYLOAD_BYTES = 6 * 1024 * 1024;
export const MAX_ASYNC_PAYLOAD_BYTES = 1024 * 1024;

/** What a handler receives besides the event: enough for a function to know who it is and when. */
export interface LambdaContext {
  functionName: string;
  functionArn: string;
  awsRequestId: string;
  /** The simulated time of the invocation. */
  now: Date;
}

/** A function's code: the parsed JSON event in, a JSON value (or a promise of one) out. Throwing is a function error. */
export type LambdaHandler = (event: unknown, context: LambdaContext) => unknown;

export interface Invocation {
  functionName: string;
  event: unknown;
  invocationType: 'RequestResponse' | 'Event';
  at: Date;
  /** What the function returned, or the error it threw (as the payload Lambda sends back). */
  outcome: InvocationOutcome;
}

export type InvocationOutcome = { result: unknown } | { error: FunctionErrorPayload };

export interface FunctionErrorPayload {
  errorType: string;
  errorMessage: string;
  trace: string[];
}

interface LambdaFunction {
  name: string;
  arn: string;
  handler: LambdaHandler;
}

/** The payload a Node.js runtime returns for an error the handler did not catch. */
export function functionErrorPayload(error: unknown): FunctionErrorPayload {
  if (error instanceof Error) {
    const errorType = error.name || 'Error';
    return { errorType, errorMessage: String(error.message), trace: [`${errorType}: ${error.message}`] };
  }
  return { errorType: 'Error', errorMessage: String(error), trace: [] };
}

export class FakeLambda extends FakeAwsService<LambdaClient, FakeLambda> {
  readonly #functions = new Map<string, LambdaFunction>();
  readonly #invocations: Invocation[] = [];

  constructor(env: AwsEnv) {
    super(env, {
      service: 'lambda',
      clientClass: LambdaClient,
      exceptionBase: LambdaServiceException as unknown as ExceptionClass,
      exceptions: {
        InvalidRequestContentException: InvalidRequestContentException as unknown as ExceptionClass,
        RequestTooLargeException: RequestTooLargeException as unknown as ExceptionClass,
        ResourceNotFoundException: ResourceNotFoundException as unknown as ExceptionClass,
        ServiceException: ServiceException as unknown as ExceptionClass,
        TooManyRequestsException: TooManyRequestsException as unknown as ExceptionClass,
      },
      summarise: (_operation, input) => {
        const payload = input.Payload;
        if (payload instanceof Uint8Array && payload.byteLength > 512) return { ...input, Payload: byteSummary(payload.byteLength) };
        if (payload instanceof Uint8Array) return { ...input, Payload: new TextDecoder().decode(payload) };
        return input;
      },
    });
    this.on(InvokeCommand, (input, call) => this.#invoke(input, call), {
      doc:
        'Runs a registered handler: JSON payload in and out (≤ 6 MB synchronous, ≤ 1 MB Event); a thrown error is a function error (200, FunctionError Unhandled, {errorType, errorMessage, trace}); Event answers 202 and runs later; DryRun 204; names, ARNs and partial ARNs.',
      output: ['StatusCode', 'FunctionError'],
      httpLabels: ['FunctionName'],
    });
  }

  /** Deploy a function (seeding, not traced). Returns its ARN. */
  createFunction(name: string, handler: LambdaHandler): string {
    if (!/^[a-zA-Z0-9-_]{1,64}$/.test(name)) throw new Error(`FakeLambda.createFunction: '${name}' is not a Lambda function name (1–64 of a-z, A-Z, 0-9, - and _).`);
    const arn = `arn:aws:lambda:${this.env.region}:${this.env.accountId}:function:${name}`;
    this.#functions.set(name, { name, arn, handler });
    return arn;
  }

  /** Every invocation so far, oldest first (not traced). */
  invocations(functionName?: string): Invocation[] {
    return this.#invocations.filter((i) => functionName === undefined || i.functionName === functionName);
  }

  override snapshot(): { functions: Record<string, { invocations: number; errors: number }> } {
    const functions: Record<string, { invocations: number; errors: number }> = {};
    for (const name of this.#functions.keys()) {
      const mine = this.invocations(name);
      if (mine.length) functions[name] = { invocations: mine.length, errors: mine.filter((i) => 'error' in i.outcome).length };
    }
    return { functions };
  }

  /** The function `FunctionName` names, or ResourceNotFoundException as Lambda answers. */
  #find(functionName: string, call: Call): LambdaFunction {
    const match = FUNCTION_NAME.exec(functionName);
    const name = match?.[10];
    const region = match?.[3]?.slice(0, -1);
    const account = match?.[8]?.slice(0, -1);
    const fn = name === undefined ? undefined : this.#functions.get(name);
    if (!fn || (region !== undefined && region !== this.env.region) || (account !== undefined && account !== this.env.accountId)) {
      const arn = functionName.startsWith('arn:') ? functionName : `arn:aws:lambda:${this.env.region}:${this.env.accountId}:function:${name ?? functionName}`;
      throw this.error('ResourceNotFoundException', `Function not found: ${arn}`, call, { httpStatusCode: 404, fields: { Type: 'User' } });
    }
    return fn;
  }

  async #invoke(input: InvokeCommandInput, call: Call): Promise<Answer<InvokeCommandOutput>> {
    const c = new Constraints((code, message) => this.error(code, message, call));
    if (c.required('functionName', input.FunctionName)) {
      c.string('functionName', input.FunctionName, { min: 1, max: 256, pattern: FUNCTION_NAME, patternText: FUNCTION_NAME_TEXT });
    }
    c.oneOf('invocationType', input.InvocationType, ['Event', 'RequestResponse', 'DryRun']);
    c.throwIfAny();
    const fn = this.#find(input.FunctionName!, call);
    const type = input.InvocationType ?? 'RequestResponse';
    const bytes = payloadBytes(input.Payload);
    const limit = type === 'Event' ? MAX_ASYNC_PAYLOAD_BYTES : MAX_SYNC_PAYLOAD_BYTES;
    if (bytes.byteLength > limit) {
      throw this.error('RequestTooLargeException', `Request must be smaller than ${limit} bytes for the InvokeFunction operation`, call, {
        httpStatusCode: 413,
        fields: { Type: 'User' },
      });
    }
    let event: unknown = {};
    if (bytes.byteLength) {
      try {
        event = JSON.parse(new TextDecoder().decode(bytes));
      } catch {
        throw this.error('InvalidRequestContentException', 'Could not parse request body into json: Could not parse payload into json', call, {
          fields: { Type: 'User' },
        });
      }
    }
    if (type === 'DryRun') return { StatusCode: 204 };
    const context: LambdaContext = { functionName: fn.name, functionArn: fn.arn, awsRequestId: call.requestId, now: this.env.clock.now() };
    if (type === 'Event') {
      // Lambda queues the event and answers at once; the function runs after the call returns.
      queueMicrotask(() => void this.#run(fn, event, context, 'Event'));
      return { StatusCode: 202 };
    }
    const outcome = await this.#run(fn, event, context, 'RequestResponse');
    if ('error' in outcome) {
      return { StatusCode: 200, FunctionError: 'Unhandled', ExecutedVersion: '$LATEST', Payload: Uint8ArrayBlobAdapter.fromString(JSON.stringify(outcome.error)) };
    }
    // A handler that returns undefined answers the JSON null, as the Node.js runtime does.
    const json = JSON.stringify(outcome.result === undefined ? null : outcome.result);
    return { StatusCode: 200, ExecutedVersion: '$LATEST', Payload: Uint8ArrayBlobAdapter.fromString(json) };
  }

  async #run(fn: LambdaFunction, event: unknown, context: LambdaContext, invocationType: Invocation['invocationType']): Promise<InvocationOutcome> {
    let outcome: InvocationOutcome;
    try {
      outcome = { result: structuredClone(await fn.handler(structuredClone(event), context)) };
    } catch (error) {
      outcome = { error: functionErrorPayload(error) };
    }
    this.#invocations.push({ functionName: fn.name, event, invocationType, at: context.now, outcome });
    return outcome;
  }
}

function payloadBytes(payload: unknown): Uint8Array {
  if (payload === undefined || payload === null) return new Uint8Array(0);
  if (typeof payload === 'string') return utf8(payload);
  if (payload instanceof Uint8Array) return payload;
  if (ArrayBuffer.isView(payload)) return new Uint8Array(payload.buffer, payload.byteOffset, payload.byteLength);
  if (payload instanceof ArrayBuffer) return new Uint8Array(payload);
  throw new TypeError(`Invoke's Payload must be a string or bytes (e.g. JSON.stringify(event)); it got ${typeof payload}.`);
}
