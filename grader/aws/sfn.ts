// A fake AWS Step Functions (Standard workflows): CreateStateMachine validates the definition with
// asl-validator's schemas and checks (sfn/definition.ts), StartExecution runs it with the kept
// interpreter aws-local-stepfunctions 3.0.0 (MIT), its Task states answered by the lab's fake
// Glue, SageMaker, Lambda and SNS through their SDK clients (sfn/integrations.ts), everything that
// waits (a job, a callback, a retry's backoff, a Wait state, a timeout) waiting on simulated time
// (sfn/simulation.ts), so a day-long pipeline runs in milliseconds.
//
//   const sfn = new FakeStepFunctions(env, { glue, sagemaker, lambda, sns });
//   const { arn } = sfn.createStateMachine('pipeline', definition);
//   sfn.onCallback((task) => sfn.answerAt(task.token, at, { approved: true }));
//   await sfn.client().send(new StartExecutionCommand({ stateMachineArn: arn, name: 'run-1', input: '{}' }));
//   await sfn.runUntilClosed(Date.parse('…'));   // simulated time, real milliseconds
//
// Facts (AWS Step Functions API Reference, StartExecution, CreateStateMachine, DescribeExecution,
// SendTaskSuccess, SendTaskFailure, SendTaskHeartbeat; read 2026-11-30):
// - StartExecution on a Standard workflow is idempotent: the same name and input as an open
//   execution answer that execution again; a different input, or any input once the execution
//   is closed, is ExecutionAlreadyExists (400). Names are unique for 90 days.
// - A name is 1–80 characters, none of: whitespace, < > { } [ ], ? *, " # % \ ^ | ~ ` $ & , ; : /,
//   control characters (U+0000–001F, U+007F–009F): else InvalidName.
// - input: JSON text, at most 256 KiB (262,144 bytes) UTF-8: else InvalidExecutionInput; absent means "{}".
// - An unknown state machine is StateMachineDoesNotExist; an unknown execution ExecutionDoesNotExist.
// - SendTaskSuccess output and SendTaskFailure: a token no open task holds is TaskDoesNotExist, a
//   task that already timed out TaskTimedOut, output that is not JSON InvalidOutput; error ≤ 256
//   and cause ≤ 32,768 characters.
// - Task TimeoutSeconds defaults to 99,999,999 seconds; HeartbeatSeconds must be smaller than it
//   (Step Functions Developer Guide, Task state, read 2026-11-30).
// - Retry: IntervalSeconds default 1, MaxAttempts default 3 (0: never), BackoffRate default 2.0,
//   MaxDelaySeconds caps the interval; "States.ALL" matches every error, "States.TaskFailed"
//   every error but States.Timeout; States.Runtime is never retried nor caught
//   (Developer Guide, Handling errors, read 2026-11-30).

import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  InvalidArn,
  InvalidDefinition,
  InvalidExecutionInput,
  InvalidName,
  InvalidOutput,
  InvalidToken,
  SendTaskFailureCommand,
  SendTaskHeartbeatCommand,
  SendTaskSuccessCommand,
  SFNClient,
  SFNServiceException,
  StartExecutionCommand,
  StateMachineAlreadyExists,
  StateMachineDoesNotExist,
  TaskDoesNotExist,
  TaskTimedOut,
} from '@aws-sdk/client-sfn';
import type { DescribeExecutionCommandOutput, ExecutionStatus } from '@aws-sdk/client-sfn';
import { StateMachine } from 'aws-local-stepfunctions';
import type { AwsEnv } from './env.ts';
import type { ExceptionClass } from './errors.ts';
import type { Call } from './mock.ts';
import { FakeAwsService } from './service.ts';
import { definitionProblems, describeProblem } from './sfn/definition.ts';
import type { AslDefinition, AslRetrier } from './sfn/definition.ts';
import { ExecutionRuntimeError, TaskFailure, resolveIntegration } from './sfn/integrations.ts';
import type { Integration, ServiceFakes, TaskRun } from './sfn/integrations.ts';
import { WAIT_RESOURCE, prepareForInterpreter, unsupportedFeatures } from './sfn/interpreter.ts';
import type { PreparedMachine, TaskSpec } from './sfn/interpreter.ts';
import { SimulatedTime } from './sfn/simulation.ts';

export type { ServiceFakes } from './sfn/integrations.ts';
export type { AslDefinition } from './sfn/definition.ts';

export const MAX_INPUT_BYTES = 262_144;
/** "Maximum execution history size: 25,000 events" (Step Functions Developer Guide, Quotas, read 2026-11-30). */
export const MAX_HISTORY_EVENTS = 25_000;
/** A Task state's TimeoutSeconds when it sets none. */
export const DEFAULT_TASK_TIMEOUT_SECONDS = 99_999_999;
const NAME_FORBIDDEN = /[\s<>{}[\]?*"#%\\^|~`$&,;:/\u0000-\u001f\u007f-\u009f]/u;

/** One entry of an execution's history, as the console's event list shows it. */
export interface HistoryEntry {
  at: Date;
  /** 'ExecutionStarted', 'TaskStateEntered', 'TaskScheduled', 'TaskSubmitted', 'TaskFailed', 'TaskRetry', … */
  type: string;
  state?: string;
  /** A short detail: the error and cause, the retry's wait, the resource. */
  detail?: string;
}

export interface ExecutionRecord {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  input: string;
  status: ExecutionStatus;
  startDate: Date;
  stopDate?: Date;
  output?: string;
  error?: string;
  cause?: string;
  history: HistoryEntry[];
}

/** A task that waits for its token (.waitForTaskToken), as onCallback listeners see it. */
export interface CallbackTask {
  executionArn: string;
  state: string;
  token: string;
  /** The parameters the task sent (with the token in them). */
  parameters: unknown;
  at: Date;
}

interface StateMachineRecord {
  arn: string;
  name: string;
  definition: AslDefinition;
  prepared: PreparedMachine;
  integrations: Map<string, Integration>;
}

interface OpenToken {
  executionArn: string;
  state: string;
  answer?: (outcome: { output: unknown } | { error: string; cause: string }) => void;
  heartbeat?: () => void;
  timedOut: boolean;
  closed: boolean;
}

/** An error the interpreter can match by name: `name` is the ASL error name, `message` its cause. */
class StateError extends Error {
  readonly #catchable: boolean;
  constructor(name: string, cause: string, catchable = true) {
    super(cause);
    this.name = name;
    this.#catchable = catchable;
  }
  get isRetryable(): boolean {
    return this.#catchable;
  }
  get isCatchable(): boolean {
    return this.#catchable;
  }
}

/** Whether a retrier's or catcher's ErrorEquals matches `error` under AWS's rules. */
export function errorMatches(errorEquals: readonly string[], error: string): boolean {
  if (error === 'States.Runtime') return false;
  return errorEquals.some((e) => e === error || e === 'States.ALL' || (e === 'States.TaskFailed' && error !== 'States.Timeout' && error !== 'States.HeartbeatTimeout'));
}

/** Deterministic opaque ids (never env.random: running a pipeline must not shift a check's fixtures). */
function opaque(seed: number, length: number): string {
  let h = 0x9e3779b9 ^ seed;
  let hex = '';
  while (hex.length < length) {
    h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d) ^ hex.length;
    hex += (h >>> 0).toString(16).padStart(8, '0');
  }
  return hex.slice(0, length);
}

export class FakeStepFunctions extends FakeAwsService<SFNClient, FakeStepFunctions> {
  readonly time: SimulatedTime;
  readonly #services: ServiceFakes;
  readonly #machines = new Map<string, StateMachineRecord>();
  readonly #executions = new Map<string, ExecutionRecord>();
  readonly #tokens = new Map<string, OpenToken>();
  readonly #callbackListeners: ((task: CallbackTask) => void)[] = [];
  readonly #aborts: (() => void)[] = [];
  #ids = 0;

  constructor(env: AwsEnv, services: ServiceFakes) {
    super(env, {
      service: 'sfn',
      clientClass: SFNClient,
      exceptionBase: SFNServiceException as unknown as ExceptionClass,
      exceptions: {
        ExecutionAlreadyExists: ExecutionAlreadyExists as unknown as ExceptionClass,
        ExecutionDoesNotExist: ExecutionDoesNotExist as unknown as ExceptionClass,
        InvalidArn: InvalidArn as unknown as ExceptionClass,
        InvalidDefinition: InvalidDefinition as unknown as ExceptionClass,
        InvalidExecutionInput: InvalidExecutionInput as unknown as ExceptionClass,
        InvalidName: InvalidName as unknown as ExceptionClass,
        InvalidOutput: InvalidOutput as unknown as ExceptionClass,
        InvalidToken: InvalidToken as unknown as ExceptionClass,
        StateMachineAlreadyExists: StateMachineAlreadyExists as unknown as ExceptionClass,
        StateMachineDoesNotExist: StateMachineDoesNotExist as unknown as ExceptionClass,
        TaskDoesNotExist: TaskDoesNotExist as unknown as ExceptionClass,
        TaskTimedOut: TaskTimedOut as unknown as ExceptionClass,
      },
    });
    this.time = new SimulatedTime(env.clock);
    this.#services = services;
    this.on(
      CreateStateMachineCommand,
      (input, call) => {
        this.checkShape(input, { name: { type: 'string', required: true, min: 1, max: 80 }, definition: { type: 'string', required: true }, roleArn: { type: 'string', required: true } }, call);
        let parsed: unknown;
        try {
          parsed = JSON.parse(input.definition!);
        } catch {
          throw this.error('InvalidDefinition', "Invalid State Machine Definition: 'INVALID_JSON_DESCRIPTION: the definition is not JSON'", call);
        }
        const made = this.createStateMachine(input.name!, parsed);
        if ('problems' in made) throw this.error('InvalidDefinition', `Invalid State Machine Definition: '${made.problems.join(', ')}'`, call);
        return { stateMachineArn: made.arn, creationDate: this.env.clock.now() };
      },
      {
        doc: "Validates the definition as Step Functions does (asl-validator's schemas and checks; InvalidDefinition naming each problem) and the Task resources this world can answer.",
        output: ['stateMachineArn'],
      },
    );
    this.on(StartExecutionCommand, (input, call) => this.#start(input, call), {
      doc: 'Starts an execution run by aws-local-stepfunctions on simulated time; idempotent for the same name and input while open, else ExecutionAlreadyExists; InvalidName, InvalidExecutionInput (JSON, ≤ 256 KiB), StateMachineDoesNotExist.',
      output: ['executionArn'],
    });
    this.on(DescribeExecutionCommand, (input, call) => this.#describe(input.executionArn, call), {
      doc: 'An execution as the simulated clock has it: RUNNING, SUCCEEDED, FAILED or TIMED_OUT, with output or error and cause.',
      output: ['status', 'error'],
    });
    this.on(SendTaskSuccessCommand, (input, call) => this.#answer(input.taskToken, call, input.output), {
      doc: 'Completes a .waitForTaskToken task with JSON output; InvalidToken for a token never handed out, TaskDoesNotExist once its task or execution closed, TaskTimedOut after its timeout, InvalidOutput for non-JSON.',
      output: [],
    });
    this.on(SendTaskFailureCommand, (input, call) => this.#answer(input.taskToken, call, undefined, { error: input.error ?? '', cause: input.cause ?? '' }), {
      doc: 'Fails a .waitForTaskToken task with an error (≤ 256 characters) and cause (≤ 32,768) that Retry and Catch can match.',
      output: [],
    });
    this.on(SendTaskHeartbeatCommand, (input, call) => this.#heartbeat(input.taskToken, call), {
      doc: "Restarts a waiting task's HeartbeatSeconds clock.",
      output: [],
    });
  }

  // ----- seeding and inspection (not traced) -------------------------------------------------

  /**
   * Create a state machine (not traced): its ARN, or the problems CreateStateMachine would name
   * (asl-validator's, then Task resources this world cannot answer, then features this fake does
   * not run).
   */
  createStateMachine(name: string, definition: unknown): { arn: string } | { problems: string[] } {
    const problems = definitionProblems(definition).map(describeProblem);
    if (problems.length) return { problems };
    const asl = definition as AslDefinition;
    const unsupported = unsupportedFeatures(asl);
    if (unsupported.length) return { problems: unsupported.map((p) => `UNSUPPORTED_FEATURE: ${p}`) };
    const prepared = prepareForInterpreter(asl);
    const integrations = new Map<string, Integration>();
    const unresolved: string[] = [];
    for (const task of prepared.tasks.values()) {
      if (task.resource === WAIT_RESOURCE) continue;
      const resolved = resolveIntegration(task.resource, this.#services);
      if ('problem' in resolved) unresolved.push(`SCHEMA_VALIDATION_FAILED: /States/${task.name}/Resource: ${resolved.problem}`);
      else integrations.set(task.name, resolved);
    }
    if (unresolved.length) return { problems: unresolved };
    const arn = `arn:aws:states:${this.env.region}:${this.env.accountId}:stateMachine:${name}`;
    this.#machines.set(arn, { arn, name, definition: structuredClone(asl), prepared, integrations });
    return { arn };
  }

  /** Every execution, oldest first. */
  executions(): ExecutionRecord[] {
    return [...this.#executions.values()];
  }

  /** Call `listener` whenever a task starts waiting for its token (an approver reading their mail). */
  onCallback(listener: (task: CallbackTask) => void): void {
    this.#callbackListeners.push(listener);
  }

  /** Answer a task token at simulated time `at`, as SendTaskSuccess (`output`) or SendTaskFailure (`failure`). */
  answerAt(token: string, at: number, outcome: { output: unknown } | { error: string; cause: string }): void {
    this.time.at(at, () => {
      const open = this.#tokens.get(token);
      if (open && !open.closed && !open.timedOut) open.answer?.(outcome);
    });
  }

  /** Run simulated time until every execution is closed, or until `until` (ms since the epoch). */
  async runUntilClosed(until: number): Promise<void> {
    await this.time.advanceUntil(until, () => [...this.#executions.values()].every((e) => e.status !== 'RUNNING'));
  }

  /** Stop everything still running (the check is over): waiting tasks are released, executions aborted. */
  async shutDown(): Promise<void> {
    for (const abort of this.#aborts.splice(0)) abort();
    await this.time.cancelAll('the simulation ended');
  }

  override snapshot(): { executions: Record<string, { status: string; error?: string }> } {
    const executions: Record<string, { status: string; error?: string }> = {};
    for (const e of this.#executions.values()) executions[e.name] = { status: e.status, ...(e.error !== undefined ? { error: e.error } : {}) };
    return { executions };
  }

  // ----- operations -------------------------------------------------------------------------

  #start(input: { stateMachineArn?: string; name?: string; input?: string; traceHeader?: string }, call: Call) {
    this.checkShape(input, { stateMachineArn: { type: 'string', required: true, min: 1, max: 256 }, name: { type: 'string', min: 1, max: 80 }, input: { type: 'string' } }, call);
    const machine = this.#machines.get(input.stateMachineArn!);
    if (!input.stateMachineArn!.startsWith('arn:')) throw this.error('InvalidArn', `Invalid Arn: 'Resource type not valid in this context: ${input.stateMachineArn}'`, call);
    if (!machine) throw this.error('StateMachineDoesNotExist', `State Machine Does Not Exist: '${input.stateMachineArn}'`, call);
    const name = input.name ?? this.#uuid();
    if (NAME_FORBIDDEN.test(name)) throw this.error('InvalidName', `Invalid Name: '${name}'`, call);
    const text = input.input ?? '{}';
    if (new TextEncoder().encode(text).byteLength > MAX_INPUT_BYTES) {
      throw this.error('InvalidExecutionInput', `Invalid Execution Input: the input is larger than ${MAX_INPUT_BYTES} bytes`, call);
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw this.error('InvalidExecutionInput', `Invalid Execution Input: '${text.slice(0, 100)}' is not JSON`, call);
    }
    const executionArn = `arn:aws:states:${this.env.region}:${this.env.accountId}:execution:${machine.name}:${name}`;
    const existing = this.#executions.get(executionArn);
    if (existing) {
      if (existing.status === 'RUNNING' && existing.input === text) return { executionArn, startDate: existing.startDate };
      throw this.error('ExecutionAlreadyExists', `Execution Already Exists: '${executionArn}'`, call);
    }
    const record: ExecutionRecord = { executionArn, stateMachineArn: machine.arn, name, input: text, status: 'RUNNING', startDate: this.env.clock.now(), history: [] };
    this.#executions.set(executionArn, record);
    this.#run(machine, record, parsed);
    return { executionArn, startDate: record.startDate };
  }

  #describe(executionArn: string | undefined, call: Call): Omit<DescribeExecutionCommandOutput, '$metadata'> {
    this.checkShape({ executionArn }, { executionArn: { type: 'string', required: true, min: 1, max: 256 } }, call);
    const e = this.#executions.get(executionArn!);
    if (!e) throw this.error('ExecutionDoesNotExist', `Execution Does Not Exist: '${executionArn}'`, call);
    return {
      executionArn: e.executionArn,
      stateMachineArn: e.stateMachineArn,
      name: e.name,
      status: e.status,
      startDate: e.startDate,
      input: e.input,
      ...(e.stopDate ? { stopDate: e.stopDate } : {}),
      ...(e.output !== undefined ? { output: e.output } : {}),
      ...(e.error !== undefined ? { error: e.error } : {}),
      ...(e.cause !== undefined ? { cause: e.cause } : {}),
    };
  }

  #openToken(token: string | undefined, call: Call): OpenToken {
    this.checkShape({ taskToken: token }, { taskToken: { type: 'string', required: true, min: 1, max: 2048 } }, call);
    const open = this.#tokens.get(token!);
    if (!open) throw this.error('InvalidToken', 'Invalid Token', call);
    if (open.timedOut) throw this.error('TaskTimedOut', 'Task Timed Out', call);
    if (open.closed) throw this.error('TaskDoesNotExist', 'Task Does Not Exist', call);
    return open;
  }

  #answer(token: string | undefined, call: Call, output: string | undefined, failure?: { error: string; cause: string }) {
    const open = this.#openToken(token, call);
    if (failure) {
      this.checkShape(failure, { error: { type: 'string', max: 256 }, cause: { type: 'string', max: 32768 } }, call);
      open.answer?.(failure);
      return {};
    }
    let value: unknown;
    try {
      value = JSON.parse(output ?? '');
    } catch {
      throw this.error('InvalidOutput', 'Invalid Output: the output is not JSON', call);
    }
    open.answer?.({ output: value });
    return {};
  }

  #heartbeat(token: string | undefined, call: Call) {
    this.#openToken(token, call).heartbeat?.();
    return {};
  }

  // ----- running ----------------------------------------------------------------------------

  #uuid(): string {
    const hex = opaque(++this.#ids, 32);
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
  }

  #log(record: ExecutionRecord, entry: Omit<HistoryEntry, 'at'>): void {
    record.history.push({ at: this.env.clock.now(), ...entry });
  }

  #run(machine: StateMachineRecord, record: ExecutionRecord, input: unknown): void {
    const tokensIssued: string[] = [];
    const pendingTaskEvents = new Map<string, HistoryEntry[]>();
    const taskLog = (state: string, entry: Omit<HistoryEntry, 'at' | 'state'>) => {
      const list = pendingTaskEvents.get(state) ?? [];
      list.push({ at: this.env.clock.now(), state, ...entry });
      pendingTaskEvents.set(state, list);
    };
    const flushTaskEvents = (state: string) => {
      record.history.push(...(pendingTaskEvents.get(state) ?? []));
      pendingTaskEvents.delete(state);
    };
    // $$.Task.Token: the interpreter reads the context while it builds a task's parameters, just
    // before it calls the task's handler; each read issues a token, which that task then holds.
    const issueToken = (): string => {
      const token = `AQC${opaque(++this.#ids, 40)}${opaque(this.#ids * 7919, 40)}`;
      tokensIssued.push(token);
      return token;
    };
    const context = {
      Execution: { Id: record.executionArn, Name: record.name, RoleArn: `arn:aws:iam::${this.env.accountId}:role/StepFunctionsExecution` },
      StateMachine: { Id: machine.arn, Name: machine.name },
      Task: {
        get Token() {
          return issueToken();
        },
      },
    };
    const handlers: Record<string, (input: unknown) => Promise<unknown>> = {};
    for (const task of machine.prepared.tasks.values()) {
      handlers[task.name] = (taskInput) => {
        const tokens = tokensIssued.splice(0);
        return this.#runTask(machine, record, task, taskInput, tokens, taskLog);
      };
    }
    const interpreter = new StateMachine(machine.prepared.definition as never, { validationOptions: { noValidate: true } });
    const run = interpreter.run(input as never, { overrides: { taskResourceLocalHandlers: handlers as never }, context: context as never, noThrowOnAbort: true });
    this.#aborts.push(run.abort);
    this.#log(record, { type: 'ExecutionStarted' });

    const close = (status: ExecutionStatus, fields: Partial<ExecutionRecord>) => {
      if (record.status !== 'RUNNING') return;
      Object.assign(record, { status, stopDate: this.env.clock.now(), ...fields });
      for (const open of this.#tokens.values()) if (open.executionArn === record.executionArn) open.closed = true;
    };
    if (machine.prepared.timeoutSeconds !== undefined) {
      this.time.at(record.startDate.getTime() + machine.prepared.timeoutSeconds * 1000, () => {
        if (record.status !== 'RUNNING') return;
        close('TIMED_OUT', { error: 'States.Timeout', cause: `The execution ran longer than its TimeoutSeconds (${machine.prepared.timeoutSeconds}).` });
        this.#log(record, { type: 'ExecutionTimedOut' });
        run.abort();
      });
    }

    void (async () => {
      let events = 0;
      for await (const event of run.eventLogs) {
        // A loop of states that never waits (Choice → Pass → Choice…) would run forever without
        // ever yielding to the clock: AWS fails an execution whose history passes 25,000 events.
        if (++events > MAX_HISTORY_EVENTS && record.status === 'RUNNING') {
          close('FAILED', { error: 'States.Runtime', cause: `The execution reached the limit of ${MAX_HISTORY_EVENTS.toLocaleString('en-US')} events in its history (a loop of states that never ends?).` });
          this.#log(record, { type: 'ExecutionFailed', detail: `States.Runtime: more than ${MAX_HISTORY_EVENTS.toLocaleString('en-US')} history events` });
          run.abort();
        }
        if (events > MAX_HISTORY_EVENTS) continue;
        const e = event as { type: string; state?: { name: string; type: string }; Error?: string; Cause?: unknown };
        const type = e.state ? (machine.prepared.types.get(e.state.name) ?? e.state.type) : undefined;
        switch (e.type) {
          case 'StateEntered':
            this.#log(record, { type: `${type}StateEntered`, state: e.state!.name });
            break;
          case 'StateExited':
            flushTaskEvents(e.state!.name);
            this.#log(record, { type: `${type}StateExited`, state: e.state!.name });
            break;
          case 'StateFailed':
            flushTaskEvents(e.state!.name);
            break;
          case 'StateCaught':
            this.#log(record, { type: 'CaughtError', state: e.state!.name, detail: 'Catch: going to its Next state' });
            break;
          default:
            break;
        }
      }
      for (const state of [...pendingTaskEvents.keys()]) flushTaskEvents(state);
    })();

    run.result.then(
      (output) => {
        if (record.status !== 'RUNNING') return;
        close('SUCCEEDED', { output: JSON.stringify(output ?? null) });
        this.#log(record, { type: 'ExecutionSucceeded' });
      },
      (error: unknown) => {
        if (record.status !== 'RUNNING') return;
        // ExecutionError carries the state's error: its name is the ASL error ('FailStateError'
        // for a Fail state that names none, which AWS reports without an error).
        const cause = (error as { cause?: { name?: string; message?: string } })?.cause;
        const errorName = cause?.name === 'FailStateError' ? undefined : (cause?.name ?? 'States.Runtime');
        const causeText = cause?.name === 'FailStateError' ? undefined : (cause?.message ?? String(error));
        close('FAILED', { ...(errorName !== undefined ? { error: errorName } : {}), ...(causeText !== undefined ? { cause: causeText } : {}) });
        this.#log(record, { type: 'ExecutionFailed', ...(errorName !== undefined ? { detail: `${errorName}: ${causeText ?? ''}` } : {}) });
      },
    );
  }

  /** One visit of a Task state: its attempts under its Retry, on simulated time; the last outcome goes to the interpreter. */
  async #runTask(
    machine: StateMachineRecord,
    record: ExecutionRecord,
    task: TaskSpec,
    input: unknown,
    tokens: string[],
    log: (state: string, entry: Omit<HistoryEntry, 'at' | 'state'>) => void,
  ): Promise<unknown> {
    const attempts = task.retry.map(() => 0);
    for (;;) {
      if (record.status !== 'RUNNING') throw new StateError('States.Runtime', 'The execution is closed.', false);
      try {
        return await this.#attempt(machine, record, task, input, tokens, log);
      } catch (error) {
        const failure = error instanceof StateError ? error : new StateError('States.Runtime', String((error as Error)?.message ?? error), false);
        if (failure.name === 'States.Runtime' || record.status !== 'RUNNING') throw failure;
        const index = task.retry.findIndex((r) => errorMatches(r.ErrorEquals, failure.name));
        const retrier: AslRetrier | undefined = task.retry[index];
        const maxAttempts = retrier?.MaxAttempts ?? 3;
        if (!retrier || attempts[index]! >= maxAttempts) throw failure;
        const interval = (retrier.IntervalSeconds ?? 1) * (retrier.BackoffRate ?? 2) ** attempts[index]!;
        let delay = retrier.MaxDelaySeconds !== undefined ? Math.min(interval, retrier.MaxDelaySeconds) : interval;
        if (retrier.JitterStrategy === 'FULL') delay = delay * this.env.random();
        attempts[index]! += 1;
        log(task.name, { type: 'TaskRetry', detail: `attempt ${attempts[index]! + 1} in ${Math.round(delay * 10) / 10} s (Retry on ${retrier.ErrorEquals.join(', ')})` });
        const outcome = await this.time.sleepUntil(this.time.now() + delay * 1000);
        if ('cancelled' in outcome) throw new StateError('States.Runtime', outcome.cancelled, false);
      }
    }
  }

  async #attempt(
    machine: StateMachineRecord,
    record: ExecutionRecord,
    task: TaskSpec,
    input: unknown,
    tokens: string[],
    log: (state: string, entry: Omit<HistoryEntry, 'at' | 'state'>) => void,
  ): Promise<unknown> {
    const started = this.time.now();
    const timeoutAt = started + (task.timeoutSeconds ?? DEFAULT_TASK_TIMEOUT_SECONDS) * 1000;
    const timedOut = () => new StateError('States.Timeout', `The task ran longer than its TimeoutSeconds (${task.timeoutSeconds ?? DEFAULT_TASK_TIMEOUT_SECONDS} s).`);
    if (task.type === 'Wait') {
      const params = (input ?? {}) as { input?: unknown; seconds?: number; timestamp?: string };
      const until = params.timestamp !== undefined ? Date.parse(params.timestamp) : started + Number(params.seconds ?? 0) * 1000;
      const outcome = await this.time.sleepUntil(until);
      if ('cancelled' in outcome) throw new StateError('States.Runtime', outcome.cancelled, false);
      return params.input;
    }
    const integration = machine.integrations.get(task.name)!;
    log(task.name, { type: 'TaskScheduled', detail: task.resource });
    const time = this.time;
    let stopTimer: (() => void) | undefined;
    const timeout = new Promise<never>((_, reject) => {
      const waiter = time.wait<never>(timeoutAt);
      stopTimer = () => waiter.wake(undefined as never);
      void waiter.promise.then((o) => {
        if ('timedOut' in o) reject(timedOut());
      });
    });
    timeout.catch(() => undefined);
    const run: TaskRun = {
      state: task.name,
      parameters: input,
      now: () => time.now(),
      sleepUntil: async (at) => {
        const o = await time.sleepUntil(Math.min(at, timeoutAt));
        if ('cancelled' in o) throw new ExecutionRuntimeError('States.Runtime', o.cancelled);
        if (at > timeoutAt) throw timedOut();
      },
      tokensIn: (value) => {
        const text = JSON.stringify(value ?? null);
        return tokens.filter((t) => text.includes(t));
      },
      submitted: () => log(task.name, { type: 'TaskSubmitted' }),
      waitForCallback: (held) => this.#waitForCallback(record, task, held, input, timeoutAt),
    };
    try {
      const result = await Promise.race([integration.run(run), timeout]);
      log(task.name, { type: 'TaskSucceeded' });
      return result;
    } catch (error) {
      const failure =
        error instanceof StateError
          ? error
          : error instanceof TaskFailure
            ? new StateError(error.error, error.cause)
            : error instanceof ExecutionRuntimeError
              ? new StateError('States.Runtime', error.message, false)
              : new StateError('States.Runtime', String((error as Error)?.message ?? error), false);
      const timedOutNow = failure.name === 'States.Timeout' || failure.name === 'States.HeartbeatTimeout';
      // A token of a task that timed out answers TaskTimedOut from now on, as on AWS.
      if (timedOutNow) for (const token of tokens) { const open = this.#tokens.get(token); if (open) open.timedOut = true; }
      log(task.name, { type: timedOutNow ? 'TaskTimedOut' : 'TaskFailed', detail: `${failure.name}: ${failure.message}` });
      throw failure;
    } finally {
      stopTimer?.();
    }
  }

  #waitForCallback(
    record: ExecutionRecord,
    task: TaskSpec,
    held: readonly string[],
    parameters: unknown,
    timeoutAt: number,
  ): Promise<unknown> {
    if (held.length === 0) {
      // Step Functions refuses a .waitForTaskToken task whose parameters do not pass the token.
      return Promise.reject(
        new StateError('States.Runtime', `The state '${task.name}' uses .waitForTaskToken but its Parameters do not pass $$.Task.Token, so nobody could ever answer it.`, false),
      );
    }
    return new Promise((resolve, reject) => {
      let heartbeatAt = task.heartbeatSeconds !== undefined ? this.time.now() + task.heartbeatSeconds * 1000 : Infinity;
      let waiter = this.time.wait<{ output: unknown } | { error: string; cause: string }>(Math.min(timeoutAt, heartbeatAt));
      const opens: OpenToken[] = [];
      const settleWith = (outcome: { woken: { output: unknown } | { error: string; cause: string } } | { timedOut: true } | { cancelled: string }) => {
        if ('woken' in outcome) {
          for (const o of opens) o.closed = true;
          const value = outcome.woken;
          if ('output' in value) resolve(value.output);
          else reject(new StateError(value.error, value.cause));
          return;
        }
        if ('timedOut' in outcome) {
          for (const o of opens) o.timedOut = true;
          const heartbeat = heartbeatAt <= timeoutAt;
          reject(
            heartbeat
              ? new StateError('States.HeartbeatTimeout', `No heartbeat for ${task.heartbeatSeconds} s (HeartbeatSeconds).`)
              : new StateError('States.Timeout', `Nobody answered the task token within its TimeoutSeconds (${task.timeoutSeconds ?? DEFAULT_TASK_TIMEOUT_SECONDS} s).`),
          );
          return;
        }
        reject(new StateError('States.Runtime', outcome.cancelled, false));
      };
      // A heartbeat replaces the wait (a new deadline) and releases the old one with HEARTBEAT_RESET.
      const listen = () =>
        void waiter.promise.then((outcome) => {
          if ('woken' in outcome && 'output' in outcome.woken && outcome.woken.output === HEARTBEAT_RESET) return;
          settleWith(outcome);
        });
      for (const token of held) {
        const open: OpenToken = {
          executionArn: record.executionArn,
          state: task.name,
          timedOut: false,
          closed: false,
          answer: (outcome) => void waiter.wake(outcome),
          heartbeat: () => {
            if (task.heartbeatSeconds === undefined) return;
            heartbeatAt = this.time.now() + task.heartbeatSeconds * 1000;
            const previous = waiter;
            waiter = this.time.wait(Math.min(timeoutAt, heartbeatAt));
            listen();
            previous.wake({ output: HEARTBEAT_RESET });
          },
        };
        opens.push(open);
        this.#tokens.set(token, open);
      }
      listen();
      for (const listener of this.#callbackListeners) {
        listener({ executionArn: record.executionArn, state: task.name, token: held[0]!, parameters: structuredClone(parameters), at: this.env.clock.now() });
      }
    });
  }
}

const HEARTBEAT_RESET = Symbol('heartbeat reset');
