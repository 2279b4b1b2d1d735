// How the fake Step Functions answers a Task state's Resource: the service integrations, each
// calling the lab's fake service through its real SDK client (so the calls are in the check's
// trace and the fake validates them as the service would), in the three patterns of the Step
// Functions Developer Guide, "Service integration patterns" (read 2026-11-30):
//
// - Request Response (arn:aws:states:::glue:startJobRun): call the API, continue with its answer.
// - Run a Job (.sync): call the API, then wait until the job ends; the task's output is the job
//   as described at the end (GetJobRun's JobRun, DescribeTrainingJob); a job that ends FAILED,
//   TIMEOUT or ERROR (Glue) or Failed or Stopped (SageMaker) fails the task with States.TaskFailed
//   and the description as the cause (LocalStack's state_task_service_glue.py does the same).
// - Wait for Callback (.waitForTaskToken): call the API with the task token in the parameters,
//   then wait for SendTaskSuccess/SendTaskFailure with that token (or a timeout).
//
// Which integration supports which pattern ("Integrating optimized services", read 2026-11-30):
// Lambda Invoke: RR, .waitForTaskToken; SNS Publish: RR, .waitForTaskToken; Glue StartJobRun:
// RR, .sync; SageMaker CreateTrainingJob: RR, .sync; and the older Lambda function ARN resource
// (its input is the payload, its output the function's result).
//
// Errors are named as Step Functions names them: a function error by its errorType; an API
// error as "<Service>.<Exception>", the exception class the AWS SDK for Java has for the error
// code, or the service's base exception when it has none (Glue.ConcurrentRunsExceededException,
// SageMaker.ResourceInUseException, SageMaker.AmazonSageMakerException for a ValidationException,
// Lambda.TooManyRequestsException…), with the cause "<message> (Service: AWSGlue; Status Code:
// 400; Error Code: <code>; Request ID: <id>; Proxy: null)" (LocalStack's
// state_task_service_lambda.py and _sns.py; AWS's own examples retry SageMaker.AmazonSageMakerException
// and SageMaker.ResourceLimitExceededException).

import { GetJobRunCommand, GlueServiceException, StartJobRunCommand } from '@aws-sdk/client-glue';
import { InvokeCommand, LambdaServiceException } from '@aws-sdk/client-lambda';
import { CreateTrainingJobCommand, DescribeTrainingJobCommand, SageMakerServiceException } from '@aws-sdk/client-sagemaker';
import { PublishCommand, SNSServiceException } from '@aws-sdk/client-sns';
import type { FakeGlue } from '../glue.ts';
import type { FakeLambda } from '../lambda.ts';
import type { FakeSageMaker } from '../sagemaker.ts';
import type { FakeSns } from '../sns.ts';
import { isTerminalJobRunState } from '../glue.ts';

/** The fakes a state machine's tasks may call. */
export interface ServiceFakes {
  lambda?: FakeLambda;
  glue?: FakeGlue;
  sagemaker?: FakeSageMaker;
  sns?: FakeSns;
}

export type IntegrationPattern = 'request-response' | 'sync' | 'callback';

/** A task failed with an error Retry and Catch can match: `error` is its name, `cause` its text. */
export class TaskFailure extends Error {
  readonly error: string;
  readonly cause: string;
  constructor(error: string, cause: string) {
    super(cause);
    this.error = error;
    this.cause = cause;
  }
}

/** An error that fails the execution outright (States.Runtime: Retry and Catch do not apply). */
export class ExecutionRuntimeError extends Error {
  readonly error: string;
  constructor(error: string, cause: string) {
    super(cause);
    this.error = error;
  }
}

/** What an integration may do while its task runs. */
export interface TaskRun {
  readonly state: string;
  readonly parameters: unknown;
  now(): number;
  /** Wait on the simulated clock until `at`; rejects when the task times out first. */
  sleepUntil(at: number): Promise<void>;
  /** Tokens this execution handed out that appear in `value` (the parameters sent). */
  tokensIn(value: unknown): string[];
  /** Wait until one of `tokens` is answered: SendTaskSuccess's output, or TaskFailure for SendTaskFailure. */
  waitForCallback(tokens: readonly string[]): Promise<unknown>;
  /** Record TaskSubmitted: the service accepted the request and the task now waits. */
  submitted(output: unknown): void;
}

export interface Integration {
  /** 'lambda', 'glue'…: for messages and history. */
  service: string;
  /** 'invoke', 'startJobRun'… */
  action: string;
  pattern: IntegrationPattern;
  run(task: TaskRun): Promise<unknown>;
}

/** The answer of an SDK call as Step Functions passes it on: no $metadata, timestamps as epoch milliseconds. */
export function asStateData(value: unknown): unknown {
  if (value instanceof Date) return value.getTime();
  if (Array.isArray(value)) return value.map(asStateData);
  if (value instanceof Uint8Array) return new TextDecoder().decode(value);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (k !== '$metadata' && v !== undefined) out[k] = asStateData(v);
    return out;
  }
  return value;
}

interface ServiceNaming {
  prefix: string;
  javaService: string;
  baseException: string;
  base: abstract new (...args: never[]) => Error;
}

const NAMING: Record<string, ServiceNaming> = {
  lambda: { prefix: 'Lambda', javaService: 'AWSLambda', baseException: 'AWSLambdaException', base: LambdaServiceException },
  glue: { prefix: 'Glue', javaService: 'AWSGlue', baseException: 'AWSGlueException', base: GlueServiceException },
  sagemaker: { prefix: 'SageMaker', javaService: 'AmazonSageMaker', baseException: 'AmazonSageMakerException', base: SageMakerServiceException },
  sns: { prefix: 'SNS', javaService: 'AmazonSNS', baseException: 'AmazonSNSException', base: SNSServiceException },
};

/** An SDK error from a fake service, as the task failure Step Functions reports. */
function serviceFailure(service: string, error: unknown): TaskFailure | ExecutionRuntimeError {
  const naming = NAMING[service]!;
  const e = error as Error & { $metadata?: { httpStatusCode?: number; requestId?: string } };
  if (!e || typeof e !== 'object' || !e.$metadata) {
    // The SDK refused to send it (a missing member, a body it cannot serialise): the parameters were unusable.
    return new ExecutionRuntimeError('States.Runtime', `The Parameters could not be used to start the Task: [${e instanceof Error ? e.message : String(error)}]`);
  }
  const code = e.name;
  const modeled = e.constructor !== naming.base;
  const exception = modeled ? (code.endsWith('Exception') ? code : `${code}Exception`) : naming.baseException;
  const cause = `${e.message} (Service: ${naming.javaService}; Status Code: ${e.$metadata.httpStatusCode}; Error Code: ${code}; Request ID: ${e.$metadata.requestId}; Proxy: null)`;
  return new TaskFailure(`${naming.prefix}.${exception}`, cause);
}

async function call<T>(service: string, send: () => Promise<T>): Promise<T> {
  try {
    return await send();
  } catch (error) {
    throw serviceFailure(service, error);
  }
}

const SDK_METADATA = (requestId: string | undefined) => ({
  SdkHttpMetadata: { HttpHeaders: { 'Content-Type': 'application/json' }, HttpStatusCode: 200 },
  SdkResponseMetadata: { RequestId: requestId },
});

/** The API members each integration passes on (Step Functions refuses any other field at run time). */
const MEMBERS: Record<string, readonly string[]> = {
  'lambda:invoke': ['ClientContext', 'FunctionName', 'InvocationType', 'Qualifier', 'Payload', 'LogType'],
  'sns:publish': ['Message', 'MessageAttributes', 'MessageStructure', 'MessageDeduplicationId', 'MessageGroupId', 'PhoneNumber', 'Subject', 'TargetArn', 'TopicArn'],
  'glue:startJobRun': ['JobName', 'JobRunQueuingEnabled', 'JobRunId', 'Arguments', 'AllocatedCapacity', 'Timeout', 'MaxCapacity', 'SecurityConfiguration', 'NotificationProperty', 'WorkerType', 'NumberOfWorkers', 'ExecutionClass', 'ExecutionRoleSessionPolicy'],
  'sagemaker:createTrainingJob': [
    'AlgorithmSpecification', 'CheckpointConfig', 'DebugHookConfig', 'DebugRuleConfigurations', 'EnableInterContainerTrafficEncryption',
    'EnableManagedSpotTraining', 'EnableNetworkIsolation', 'Environment', 'ExperimentConfig', 'HyperParameters', 'InfraCheckConfig',
    'InputDataConfig', 'OutputDataConfig', 'ProfilerConfig', 'ProfilerRuleConfigurations', 'RemoteDebugConfig', 'ResourceConfig',
    'RetryStrategy', 'RoleArn', 'SessionChainingConfig', 'StoppingCondition', 'Tags', 'TensorBoardOutputConfig', 'TrainingJobName', 'VpcConfig',
  ],
};

/** The parameters as an API request, or States.Runtime in Step Functions' words when they cannot be one. */
function request(task: TaskRun, api: string): Record<string, unknown> {
  const parameters = task.parameters;
  const shown = JSON.stringify(parameters ?? null);
  if (!parameters || typeof parameters !== 'object' || Array.isArray(parameters)) {
    throw new ExecutionRuntimeError(
      'States.Runtime',
      `An error occurred while executing the state '${task.state}'. The Parameters '${shown}' could not be used to start the Task: [The parameters of ${api} must be a JSON object]`,
    );
  }
  const unknown = Object.keys(parameters).filter((k) => !MEMBERS[api]!.includes(k));
  if (unknown.length) {
    throw new ExecutionRuntimeError(
      'States.Runtime',
      `An error occurred while executing the state '${task.state}'. The Parameters '${shown}' could not be used to start the Task: [${unknown
        .map((k) => `The field "${k}" is not supported by Step Functions`)
        .join(', ')}]`,
    );
  }
  return structuredClone(parameters) as Record<string, unknown>;
}

function lambdaPayloadText(payload: { transformToString(): string } | Uint8Array | undefined): string {
  if (!payload) return '';
  return payload instanceof Uint8Array ? new TextDecoder().decode(payload) : payload.transformToString();
}

function parsedPayload(text: string): unknown {
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** A function error as the task failure: the errorType names it, the payload is the cause. */
function functionFailure(text: string): TaskFailure {
  let errorType = 'Exception';
  try {
    const parsed = JSON.parse(text) as { errorType?: unknown };
    if (typeof parsed.errorType === 'string') errorType = parsed.errorType;
  } catch {
    // A payload that is not JSON still fails the task, under the generic name.
  }
  return new TaskFailure(errorType, text);
}

async function invokeLambda(fakes: ServiceFakes, task: TaskRun, input: Record<string, unknown>) {
  const lambda = fakes.lambda!;
  const { Payload, ...rest } = input;
  const out = await call('lambda', () =>
    lambda.client().send(new InvokeCommand({ ...(rest as object), ...(Payload !== undefined ? { Payload: JSON.stringify(Payload) } : {}) } as never)),
  );
  const text = lambdaPayloadText(out.Payload);
  if (out.FunctionError) throw functionFailure(text);
  return { out, payload: parsedPayload(text) };
}

type Resolved = Integration | { problem: string };

/**
 * The integration a Task state's Resource names, or why this fake cannot answer it (in the
 * words CreateStateMachine uses for a resource it does not recognise).
 */
export function resolveIntegration(resource: string, fakes: ServiceFakes): Resolved {
  const unrecognised = {
    problem: `The resource provided ${resource} is not recognized. The value is not a valid resource ARN, or the resource is not available in this region.`,
  };
  const legacy = /^arn:aws:lambda:([a-z0-9-]+):(\d{12}):function:([a-zA-Z0-9-_]+)(:[a-zA-Z0-9$_-]+)?$/.exec(resource);
  if (legacy) {
    if (!fakes.lambda) return { problem: `${resource}: this lab's fake world has no Lambda functions.` };
    return {
      service: 'lambda',
      action: 'invoke',
      pattern: 'request-response',
      run: async (task) => (await invokeLambda(fakes, task, { FunctionName: resource, Payload: task.parameters ?? null })).payload,
    };
  }
  const optimized = /^arn:aws:states:::([a-z-]+):([a-zA-Z]+)(\.sync|\.waitForTaskToken|\.sync:2)?$/.exec(resource);
  if (!optimized) {
    if (resource.startsWith('arn:aws:states:::aws-sdk:')) {
      return { problem: `${resource}: this fake answers the optimized integrations (lambda:invoke, sns:publish, glue:startJobRun, sagemaker:createTrainingJob), not AWS SDK integrations.` };
    }
    return unrecognised;
  }
  const service = optimized[1]!;
  const action = optimized[2]!;
  const suffix = optimized[3] ?? '';
  const patterns: Record<string, IntegrationPattern> = { '': 'request-response', '.sync': 'sync', '.waitForTaskToken': 'callback' };
  const pattern = patterns[suffix];
  const api = `${service}:${action}`;
  const supports: Record<string, readonly IntegrationPattern[]> = {
    'lambda:invoke': ['request-response', 'callback'],
    'sns:publish': ['request-response', 'callback'],
    'glue:startJobRun': ['request-response', 'sync'],
    'sagemaker:createTrainingJob': ['request-response', 'sync'],
  };
  if (!pattern || !supports[api]?.includes(pattern)) return unrecognised;
  const fake = fakes[service as keyof ServiceFakes];
  if (!fake) return { problem: `${resource}: this lab's fake world has no ${service} service.` };

  // Every integration sends the state's parameters as its request; `run` gets them resolved.
  const integration = (run: (task: TaskRun, input: Record<string, unknown>) => Promise<unknown>): Integration => ({
    service,
    action,
    pattern,
    run: (task) => run(task, request(task, api)),
  });
  // Request-response answers at once; .waitForTaskToken records the answer, then waits for the token.
  const answerOrWait = (task: TaskRun, input: Record<string, unknown>, answer: unknown): unknown => {
    if (pattern !== 'callback') return answer;
    task.submitted(answer);
    return task.waitForCallback(task.tokensIn(input));
  };

  switch (api) {
    case 'lambda:invoke':
      return integration(async (task, input) => {
        const { out, payload } = await invokeLambda(fakes, task, input);
        return answerOrWait(task, input, { ExecutedVersion: out.ExecutedVersion ?? '$LATEST', Payload: payload, ...SDK_METADATA(out.$metadata.requestId), StatusCode: out.StatusCode });
      });
    case 'sns:publish':
      return integration(async (task, input) => {
        // The optimized integration sends a JSON value as its text.
        if (input.Message !== undefined && typeof input.Message !== 'string') input.Message = JSON.stringify(input.Message);
        const out = await call('sns', () => fakes.sns!.client().send(new PublishCommand(input as never)));
        return answerOrWait(task, input, { MessageId: out.MessageId, ...SDK_METADATA(out.$metadata.requestId) });
      });
    case 'glue:startJobRun':
      return integration(async (task, input) => {
        const glue = fakes.glue!;
        const client = glue.client();
        const started = await call('glue', () => client.send(new StartJobRunCommand(input as never)));
        const jobName = String(input.JobName);
        if (pattern !== 'sync') return { JobRunId: started.JobRunId, ...SDK_METADATA(started.$metadata.requestId) };
        task.submitted({ JobRunId: started.JobRunId, JobName: jobName });
        const run = glue.runs(jobName).find((r) => r.id === started.JobRunId)!;
        await task.sleepUntil(glue.runEnd(run).getTime());
        const got = await call('glue', () => client.send(new GetJobRunCommand({ JobName: jobName, RunId: started.JobRunId })));
        const jobRun = asStateData({ ...got.JobRun, JobName: jobName }) as Record<string, unknown>;
        const state = String(jobRun.JobRunState);
        if (!isTerminalJobRunState(state) || ['FAILED', 'TIMEOUT', 'ERROR'].includes(state)) throw new TaskFailure('States.TaskFailed', JSON.stringify(jobRun));
        return jobRun;
      });
    case 'sagemaker:createTrainingJob':
      return integration(async (task, input) => {
        const sagemaker = fakes.sagemaker!;
        const client = sagemaker.client();
        const created = await call('sagemaker', () => client.send(new CreateTrainingJobCommand(input as never)));
        if (pattern !== 'sync') return { TrainingJobArn: created.TrainingJobArn, ...SDK_METADATA(created.$metadata.requestId) };
        const name = String(input.TrainingJobName);
        task.submitted({ TrainingJobArn: created.TrainingJobArn });
        await task.sleepUntil(sagemaker.jobEnd(name)!.getTime());
        const described = asStateData(await call('sagemaker', () => client.send(new DescribeTrainingJobCommand({ TrainingJobName: name })))) as Record<string, unknown>;
        if (described.TrainingJobStatus !== 'Completed') throw new TaskFailure('States.TaskFailed', JSON.stringify(described));
        return described;
      });
    default:
      return unrecognised;
  }
}
