// Errors the fakes throw, one rule for all of them (docs/fakes.md, "Errors"):
//
// - An answer from an AWS service is the exception the SDK would build from it (serviceError):
//   the service's modeled class where the SDK has one (`instanceof NoSuchKey` holds), else the
//   service's base exception (S3ServiceException…) named with the AWS error code, as the SDK
//   does for codes its model does not list. Always `name`, `message`, `$fault` ('client' below
//   500, 'server' from 500), `$metadata` { httpStatusCode, requestId, extendedRequestId, cfId,
//   attempts: 1, totalRetryDelay: 0 }, plus the members the service's error body carries
//   (Code, BucketName, Key…). Injected faults are built the same way.
// - A request the SDK refuses to send (a missing HTTP label…) is a NotSentError: a plain Error,
//   as the SDK throws, traced as 'NotSent'.
// - An HTTP answer that comes from no SDK service client (the EC2 instance metadata service) is
//   an HttpResponseError: `name`, `message`, `statusCode` (what @smithy/credential-provider-imds
//   sets on its errors) and `$metadata.httpStatusCode` (what @aws-sdk/ec2-metadata-service sets),
//   so code written against either SDK helper reads the status where it expects it.
//   (Both read in their sources, 2026-11-30: @smithy/credential-provider-imds 4.5
//   remoteProvider/httpRequest.js; aws-sdk-js-v3 packages/ec2-metadata-service MetadataService.ts.)

/** HTTP details of an answer, as the SDK reports them in `$metadata`. */
export interface ResponseMetadata {
  httpStatusCode: number;
  requestId?: string;
  extendedRequestId?: string;
  cfId?: string;
  attempts: number;
  totalRetryDelay: number;
}

/** The base class every service's exceptions extend (S3ServiceException…), or a modeled one (NoSuchKey…). */
export type ExceptionClass = new (options: never) => Error;

export interface ServiceErrorOptions {
  message: string;
  httpStatusCode: number;
  /** Defaults from the status: 5xx is 'server', the rest 'client' (the SDK's own rule). */
  fault?: 'client' | 'server';
  /** The error name when `type` is a base class (S3ServiceException) or absent. */
  name?: string;
  requestId?: string;
  extendedRequestId?: string;
  /** Members the service's error body carries, copied onto the exception (Code, Key, BucketName…). */
  fields?: Record<string, unknown>;
  /** The class to build unmodeled errors from (e.g. S3ServiceException) when `type` is a name. */
  base?: ExceptionClass;
}

/**
 * An exception like the one the SDK throws for this answer: the modeled class when there is one
 * (`instanceof NoSuchKey` holds), else the service's base exception with `name` set, as the SDK
 * does for error codes its model does not list (SlowDown, InvalidArgument…). Either way it has
 * `name`, `message`, `$fault` and `$metadata.httpStatusCode`.
 */
export function serviceError(type: ExceptionClass | string, options: ServiceErrorOptions): Error {
  const $fault = options.fault ?? (options.httpStatusCode >= 500 ? 'server' : 'client');
  const $metadata: ResponseMetadata = {
    httpStatusCode: options.httpStatusCode,
    requestId: options.requestId,
    extendedRequestId: options.extendedRequestId,
    cfId: undefined,
    attempts: 1,
    totalRetryDelay: 0,
  };
  let error: Error;
  if (typeof type === 'string' || options.name) {
    const name = options.name ?? (type as string);
    const Base = typeof type === 'function' ? type : options.base;
    error = Base
      ? new Base({ name, $fault, $metadata, message: options.message } as never)
      : Object.assign(new Error(options.message), { name, $fault, $metadata });
    if (error.name !== name) Object.defineProperty(error, 'name', { value: name, writable: true, enumerable: true, configurable: true });
  } else {
    error = new type({ $fault, $metadata, message: options.message } as never);
  }
  // Modeled classes set these in their own constructors; set them for certain either way.
  Object.assign(error, { $fault, $metadata });
  for (const [key, value] of Object.entries(options.fields ?? {})) {
    if (value !== undefined) (error as unknown as Record<string, unknown>)[key] = value;
  }
  error.message = options.message;
  return error;
}

/** An error the SDK raises on the client, before any request is sent (a missing HTTP label…). */
export class NotSentError extends Error {
  constructor(message: string, name = 'Error') {
    super(message);
    // The SDK throws plain Errors here; keep that name so learner code sees the same thing.
    Object.defineProperty(this, 'name', { value: name, writable: true, enumerable: false, configurable: true });
  }
}

/**
 * What the SDK says when a member that goes into the request's URL path (an HTTP label, e.g.
 * S3's Bucket and Key) is missing or empty: it refuses to send. Throws a NotSentError.
 */
export function requireHttpLabel(input: Record<string, unknown>, member: string): void {
  const value = input[member];
  if (value === undefined || value === null) {
    throw new NotSentError(`No value provided for input HTTP label: ${member}.`);
  }
  if (typeof value !== 'string') {
    throw new NotSentError(`${member} must be a string; it was ${typeof value} (${String(value)}).`);
  }
  if (value === '') throw new NotSentError(`Empty value provided for input HTTP label: ${member}.`);
}

/** An HTTP error answer from an endpoint that is not an SDK service client (the instance metadata service). */
export class HttpResponseError extends Error {
  readonly statusCode: number;
  readonly $fault: 'client' | 'server';
  readonly $metadata: { httpStatusCode: number };

  constructor(statusCode: number, message: string, name = 'HttpResponseError') {
    super(message);
    Object.defineProperty(this, 'name', { value: name, writable: true, enumerable: false, configurable: true });
    this.statusCode = statusCode;
    this.$fault = statusCode >= 500 ? 'server' : 'client';
    this.$metadata = { httpStatusCode: statusCode };
  }
}
