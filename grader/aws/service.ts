// FakeAwsService: how a fake AWS service is written, the built-in ones and a lab's own alike.
// It owns the plumbing (FakeEndpoint: a real SDK client routed to this world, the check's
// trace, fault injection) and gives an operation what it needs to answer as AWS does: the
// service's model, SDK-shaped errors and AWS's validation.
//
//   class FakeSns extends FakeAwsService<SNSClient> {
//     readonly published: { topicArn: string; message: string }[] = [];
//     constructor(env: AwsEnv) {
//       super(env, { service: 'sns', clientClass: SNSClient, exceptionBase: SNSServiceException,
//                    exceptions: { NotFound: NotFoundException }, validationErrorCode: 'ValidationError' });
//       this.on(PublishCommand, (input, call) => {
//         this.checkShape(input, { Message: { type: 'string', required: true } }, call);
//         …
//         return { MessageId: … };
//       }, { doc: 'Publishes to a topic; messages up to 256 KiB', output: ['MessageId'] });
//     }
//   }
//
// A lab adds an operation to an existing fake the same way, from outside: every fake is a
// FakeAwsService, and `on` hands the handler the fake's model (FakeS3's is an S3Model):
//
//   s3.on(PutBucketLifecycleConfigurationCommand, (input, call, model) => {
//     model.bucket(input.Bucket!, call).configuration.set('lifecycle', input.LifecycleConfiguration);
//     return {};
//   }, { doc: 'Stores the lifecycle rules of a bucket' });
//
// An operation a lab adds can only add: `on` refuses to replace one the fake answers, so no
// lab changes shared behaviour blind. One other labs could use belongs in grader/aws/.

import type { AwsEnv, FakeService, InjectedFault } from './env.ts';
import { serviceError } from './errors.ts';
import type { ExceptionClass } from './errors.ts';
import { FakeEndpoint, operationName } from './mock.ts';
import type { Answer, Call, ClientClass, CommandClass, FakeEndpointOptions, InputOf, OperationDoc, OperationSpec, OutputOf, SdkClient } from './mock.ts';
import { RequestValidationError, checkShape } from './validation.ts';
import type { Shape } from './validation.ts';

export interface FakeAwsServiceOptions<C extends SdkClient> {
  /** The service's name in traces and fault rules (env.faults.add({ service })), e.g. 'sns'. */
  service: string;
  /** The SDK client class learners use, e.g. SNSClient from @aws-sdk/client-sns. */
  clientClass: ClientClass<C>;
  /** The service's base exception (SNSServiceException): unmodeled error codes are built from it. */
  exceptionBase: ExceptionClass;
  /**
   * Error codes the SDK models as their own classes, by the code AWS sends: { NotFound:
   * NotFoundException }. `instanceof` then holds as with the real SDK.
   */
  exceptions?: Readonly<Record<string, ExceptionClass>>;
  /**
   * The code AWS uses for a request that breaks the model's constraints: 'ValidationException'
   * (JSON protocols: SageMaker, Kinesis, Glue, Step Functions…; the default) or
   * 'ValidationError' (query protocol: IAM, SNS).
   */
  validationErrorCode?: string;
  /** Client-side checks the SDK makes before sending (see FakeEndpointOptions.validate). */
  validate?: FakeEndpointOptions<C>['validate'];
  /** The input as the trace should show it (see FakeEndpointOptions.summarise). */
  summarise?: FakeEndpointOptions<C>['summarise'];
  /** Config for the clients the fake hands out (e.g. IAM's fixed us-east-1). */
  clientConfig?: () => Record<string, unknown>;
  /** When true (default), the learner's own `new …Client({})` joins this world at its first call. */
  claimAmbient?: boolean;
}

/** How an operation answers: the request, the call (operation, request id), the fake's model. */
export type ServiceOperation<K extends CommandClass, M> = (
  input: InputOf<K>,
  call: Call,
  model: M,
) => Answer<OutputOf<K>> | Promise<Answer<OutputOf<K>>>;

export interface ErrorOptions {
  /** Default 400. */
  httpStatusCode?: number;
  /** Members of the service's error body, copied onto the exception (Code, BucketName…). */
  fields?: Record<string, unknown>;
}

/**
 * A fake AWS service: subclass it, declare operations with `on`, keep the service's state in
 * fields, and give seeding and inspection methods to checks (they are not traced). `M` is what
 * operations receive as their model: the fake itself unless the subclass overrides `model`.
 */
export class FakeAwsService<C extends SdkClient, M = unknown> implements FakeService {
  readonly serviceName: string;
  readonly env: AwsEnv;
  readonly #endpoint: FakeEndpoint<C>;
  readonly #options: FakeAwsServiceOptions<C>;

  constructor(env: AwsEnv, options: FakeAwsServiceOptions<C>) {
    this.env = env;
    this.serviceName = options.service;
    this.#options = options;
    this.#endpoint = new FakeEndpoint({
      service: options.service,
      clientClass: options.clientClass,
      env,
      faultError: (fault, call) => this.faultError(fault, call),
      ...(options.validate ? { validate: options.validate } : {}),
      ...(options.summarise ? { summarise: options.summarise } : {}),
      ...(options.clientConfig ? { clientConfig: options.clientConfig } : {}),
      ...(options.claimAmbient !== undefined ? { claimAmbient: options.claimAmbient } : {}),
    });
  }

  /** What operations receive as their third argument. The fake itself unless a subclass says otherwise. */
  protected get model(): M {
    return this as unknown as M;
  }

  /**
   * Answer `command` with `run`, documented by `spec.doc` (the table of operations lists it) and
   * traced with the response fields `spec.output` names. Throws if the fake already answers it.
   */
  on<K extends CommandClass>(command: K, run: ServiceOperation<K, M>, spec: OperationSpec<K>): this {
    const operation = operationName(command);
    if (this.#endpoint.answers(operation)) {
      throw new Error(
        `The fake ${this.serviceName} already answers ${operation}: a lab may add operations, not replace one every lab shares. ` +
          'If its behaviour must change for everyone, change it in grader/aws/ (and its tests).',
      );
    }
    if (typeof spec?.doc !== 'string' || !spec.doc.trim()) {
      throw new Error(`${this.serviceName} ${operation}: say in one line what the operation models ({ doc: '…' }); the table of operations lists it.`);
    }
    this.#endpoint.on(command, (input, call) => run(input, call, this.model), spec);
    return this;
  }

  /** The operations this fake answers, each with its one-line description. */
  get operations(): OperationDoc[] {
    return this.#endpoint.operationDocs;
  }

  /** A real SDK client whose calls land in this world (and are traced). */
  client(config: Record<string, unknown> = {}): C {
    return this.#endpoint.client(config);
  }

  /** Make clients nobody routed yet (the learner's own `new …Client({})`) join this world. */
  claimAmbient(): void {
    this.#endpoint.claimAmbient();
  }

  /**
   * The exception AWS's answer `code` becomes in the SDK (the rule in errors.ts): the modeled
   * class when `exceptions` names one, else the service's base exception named `code`; with
   * `$metadata` (status, this call's request id) and `$fault`.
   */
  error(code: string, message: string, call: Call, options: ErrorOptions = {}): Error {
    return serviceError(this.#options.exceptions?.[code] ?? code, {
      base: this.#options.exceptionBase,
      message,
      httpStatusCode: options.httpStatusCode ?? 400,
      requestId: call.requestId,
      ...(options.fields ? { fields: options.fields } : {}),
    });
  }

  /** The error an injected fault raises: by default `error(fault.name, …)` with the fault's status. */
  protected faultError(fault: InjectedFault, call: Call): Error {
    return this.error(fault.name, fault.message ?? fault.name, call, { httpStatusCode: fault.httpStatusCode });
  }

  /**
   * Refuse `input` as the service would when it breaks `shape` (validation.ts): one
   * validation error listing every broken constraint, or SerializationException for a member
   * of the wrong type.
   */
  checkShape(input: unknown, shape: Shape, call: Call): void {
    try {
      checkShape(input, shape);
    } catch (error) {
      if (!(error instanceof RequestValidationError)) throw error;
      const code = error.code === 'ValidationException' ? (this.#options.validationErrorCode ?? 'ValidationException') : error.code;
      throw this.error(code, error.message, call);
    }
  }

  /** The fake's state for the report ("what your code left behind"). Override it. */
  snapshot(): unknown {
    return {};
  }
}
