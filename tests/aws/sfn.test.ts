// The fake Step Functions as a learner's code and a state machine see it: definitions refused as
// CreateStateMachine refuses them (asl-validator's verdicts), StartExecution's idempotency by
// name, and executions run by aws-local-stepfunctions on simulated time with the service
// integrations' patterns (.sync, .waitForTaskToken), Retry with backoff by AWS's matching rules,
// task timeouts and heartbeats — each from the Step Functions API Reference and Developer Guide
// (read 2026-11-30).

import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  ExecutionAlreadyExists,
  InvalidDefinition,
  InvalidExecutionInput,
  InvalidName,
  InvalidToken,
  SendTaskHeartbeatCommand,
  SendTaskSuccessCommand,
  StartExecutionCommand,
  StateMachineDoesNotExist,
  TaskTimedOut,
} from '@aws-sdk/client-sfn';
import aslValidator from 'asl-validator';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { createAwsEnv } from '../../grader/aws/env.ts';
import { FakeGlue } from '../../grader/aws/glue.ts';
import { FakeLambda } from '../../grader/aws/lambda.ts';
import { FakeSns } from '../../grader/aws/sns.ts';
import { FakeStepFunctions, errorMatches } from '../../grader/aws/sfn.ts';
import type { CallbackTask } from '../../grader/aws/sfn.ts';
import { aslSchemaValidator } from '../../grader/aws/sfn/asl-schema.ts';
import { aslInterpreterPlugin } from '../../grader/aws/sfn/bundle-plugin.ts';
import { definitionProblems } from '../../grader/aws/sfn/definition.ts';

const ROLE = 'arn:aws:iam::111122223333:role/StepFunctions';

function world() {
  const env = createAwsEnv({ seed: 1 });
  const lambda = new FakeLambda(env);
  const glue = new FakeGlue(env);
  const sns = new FakeSns(env);
  const sfn = new FakeStepFunctions(env, { lambda, glue, sns });
  const client = sfn.client();
  const machine = (definition: object, name = 'm') => {
    const made = sfn.createStateMachine(name, definition);
    if ('problems' in made) throw new Error(made.problems.join('\n'));
    return made.arn;
  };
  const run = async (definition: object, input: unknown = {}, hours = 48) => {
    const arn = machine(definition, `m${sfn.executions().length}`);
    const { executionArn } = await client.send(new StartExecutionCommand({ stateMachineArn: arn, input: JSON.stringify(input) }));
    await sfn.runUntilClosed(env.clock.now().getTime() + hours * 3_600_000);
    const described = await client.send(new DescribeExecutionCommand({ executionArn }));
    await sfn.shutDown();
    return described;
  };
  return { env, lambda, glue, sns, sfn, client, machine, run };
}

const wait = (seconds: number) => ({ StartAt: 'W', States: { W: { Type: 'Wait', Seconds: seconds, End: true } } });

describe('CreateStateMachine', () => {
  it('refuses a definition asl-validator refuses, naming the problem', async () => {
    const { client } = world();
    const broken = { StartAt: 'A', States: { A: { Type: 'Pass', Next: 'Nowhere' } } };
    const error = await client.send(new CreateStateMachineCommand({ name: 'x', roleArn: ROLE, definition: JSON.stringify(broken) })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidDefinition);
    expect((error as Error).message).toMatch(/^Invalid State Machine Definition: '.*Nowhere/);
  });

  it('gives the same verdicts as asl-validator itself', () => {
    const definitions: unknown[] = [
      wait(5),
      { StartAt: 'A', States: { A: { Type: 'Pass', Next: 'Nowhere' } } },
      { StartAt: 'A', States: { A: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', End: true, TimeoutSeconds: 5, TimeoutSecondsPath: '$.t' } } },
      { StartAt: 'A', States: { A: { Type: 'Choice', Choices: [{ Variable: '$.x', NumericGreaterThanEquals: '0.9', Next: 'B' }], Default: 'B' }, B: { Type: 'Succeed' } } },
      { StartAt: 'A', States: { A: { Type: 'Succeed', Next: 'A' } } },
    ];
    for (const definition of definitions) {
      expect(definitionProblems(definition).length === 0, JSON.stringify(definition)).toBe(aslValidator(definition, { checkPaths: true, checkArn: true }).isValid);
    }
  });

  it('validates alike in a lab bundle, where the schemas come precompiled (Ajv standalone code)', async () => {
    // definition.ts as a lab bundle has it: the plugin swaps asl-schema.ts for generated code.
    const viaDefinition = await build({
      entryPoints: ['grader/aws/sfn/definition.ts'],
      bundle: true,
      write: false,
      format: 'cjs',
      platform: 'browser',
      logLevel: 'silent',
      plugins: [aslInterpreterPlugin()],
    });
    const code = viaDefinition.outputFiles[0]!.text;
    // Ajv compiles a schema with `new Function(…)`: in this bundle nothing may, so it is refused.
    let compiles = 0;
    const refused = function Function() {
      compiles += 1;
      throw new EvalError('compiling at run time');
    };
    const module = { exports: {} as { definitionProblems?: typeof definitionProblems } };
    new Function('module', 'exports', 'Function', code)(module, module.exports, refused);
    const bundled = module.exports.definitionProblems!;
    const definitions: unknown[] = [
      wait(5),
      { StartAt: 'A', States: { A: { Type: 'Pass', Next: 'Nowhere' } } },
      { StartAt: 'A', States: { A: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', End: true, TimeoutSeconds: 5, TimeoutSecondsPath: '$.t' } } },
      { StartAt: 'A', States: { A: { Type: 'Choice', Choices: [{ Variable: '$.x', NumericGreaterThanEquals: '0.9', Next: 'B' }], Default: 'B' }, B: { Type: 'Succeed' } } },
      { StartAt: 'A', States: { A: { Type: 'Succeed', Next: 'A' } } },
      { StartAt: 'A', States: { A: { Type: 'Pass', ResultPath: '$$bad[', End: true } } },
      { StartAt: 'A', States: { A: { Type: 'Task', Resource: 'not-an-arn', End: true } } },
      { StartAt: 'A', States: { A: { Type: 'Wait', Timestamp: 'yesterday', End: true } } },
      { StartAt: 'A', States: { A: { Type: 'Task', Resource: 'arn:aws:states:::glue:startJobRun.sync', Retry: [{ ErrorEquals: ['States.ALL'], MaxAttempts: -1 }], End: true } } },
      { StartAt: 'A', States: { A: { Type: 'Map', ItemProcessor: { StartAt: 'B', States: { B: { Type: 'Pass', End: true } } }, ItemsPath: '$.items', End: true } } },
      { StartAt: 'A', States: { A: { Type: 'Parallel', Branches: [{ StartAt: 'B', States: { B: { Type: 'Fail', Error: 'E', ErrorPath: '$.e' } } }], End: true } } },
      { StartAt: 'A', States: { A: { Type: 'Pass', Parameters: { 'x.$': '$.y', 'x': 1 }, End: true } } },
      { StartAt: 'A', States: {} },
      'not a definition',
    ];
    for (const definition of definitions) {
      expect(bundled(definition), JSON.stringify(definition)).toEqual(definitionProblems(definition));
    }
    expect(compiles).toBe(0);
    // Unbundled, the same module compiles (and refuses the same definition).
    const validate = aslSchemaValidator();
    expect(validate(definitions[5])).toBe(false);
  });

  it('refuses a Task whose integration pattern the service does not offer', () => {
    const { sfn } = world();
    const made = sfn.createStateMachine('x', { StartAt: 'A', States: { A: { Type: 'Task', Resource: 'arn:aws:states:::glue:startJobRun.waitForTaskToken', End: true } } });
    expect(made).toEqual({ problems: [expect.stringMatching(/glue:startJobRun.waitForTaskToken is not recognized/)] });
  });
});

describe('StartExecution', () => {
  it('answers the same execution for the same name and input while it runs, ExecutionAlreadyExists otherwise', async () => {
    const { client, machine, sfn, env } = world();
    const arn = machine(wait(3600));
    const first = await client.send(new StartExecutionCommand({ stateMachineArn: arn, name: 'run-1', input: '{"a":1}' }));
    const again = await client.send(new StartExecutionCommand({ stateMachineArn: arn, name: 'run-1', input: '{"a":1}' }));
    expect(again.executionArn).toBe(first.executionArn);
    expect(first.executionArn).toBe('arn:aws:states:us-east-1:111122223333:execution:m:run-1');
    await expect(client.send(new StartExecutionCommand({ stateMachineArn: arn, name: 'run-1', input: '{"a":2}' }))).rejects.toBeInstanceOf(ExecutionAlreadyExists);
    await sfn.runUntilClosed(env.clock.now().getTime() + 2 * 3_600_000);
    await expect(client.send(new StartExecutionCommand({ stateMachineArn: arn, name: 'run-1', input: '{"a":1}' }))).rejects.toBeInstanceOf(ExecutionAlreadyExists);
    expect(sfn.executions()).toHaveLength(1);
  });

  it('refuses names with forbidden characters, input that is not JSON or over 256 KiB, and unknown machines', async () => {
    const { client, machine } = world();
    const arn = machine(wait(1));
    await expect(client.send(new StartExecutionCommand({ stateMachineArn: arn, name: 'run 1' }))).rejects.toBeInstanceOf(InvalidName);
    await expect(client.send(new StartExecutionCommand({ stateMachineArn: arn, name: 'a:b' }))).rejects.toBeInstanceOf(InvalidName);
    await expect(client.send(new StartExecutionCommand({ stateMachineArn: arn, input: '{oops' }))).rejects.toBeInstanceOf(InvalidExecutionInput);
    await expect(client.send(new StartExecutionCommand({ stateMachineArn: arn, input: JSON.stringify('x'.repeat(262_144)) }))).rejects.toBeInstanceOf(InvalidExecutionInput);
    await expect(client.send(new StartExecutionCommand({ stateMachineArn: `${arn}-gone` }))).rejects.toBeInstanceOf(StateMachineDoesNotExist);
  });
});

describe('executions on simulated time', () => {
  it('waits an hour in a Wait state without real waiting', async () => {
    const { run, env } = world();
    const start = env.clock.now().getTime();
    const out = await run({ StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 3600, Next: 'P' }, P: { Type: 'Pass', Result: { done: true }, End: true } } });
    expect(out).toMatchObject({ status: 'SUCCEEDED', output: '{"done":true}' });
    expect(out.stopDate!.getTime() - start).toBe(3_600_000);
  });

  it('retries with backoff (IntervalSeconds × BackoffRate^n) on simulated time, then succeeds', async () => {
    const { run, lambda, env } = world();
    let calls = 0;
    const fn = lambda.createFunction('flaky', () => {
      calls += 1;
      if (calls < 3) throw Object.assign(new Error('not yet'), { name: 'FlakyError' });
      return { ok: true };
    });
    const start = env.clock.now().getTime();
    const out = await run({
      StartAt: 'T',
      States: { T: { Type: 'Task', Resource: fn, Retry: [{ ErrorEquals: ['FlakyError'], IntervalSeconds: 2, BackoffRate: 3, MaxAttempts: 3 }], End: true } },
    });
    expect(out.status).toBe('SUCCEEDED');
    expect(lambda.invocations('flaky').map((i) => (i.at.getTime() - start) / 1000)).toEqual([0, 2, 8]);
  });

  it('stops retrying after MaxAttempts and fails with the last error', async () => {
    const { run, lambda } = world();
    const fn = lambda.createFunction('broken', () => {
      throw Object.assign(new Error('always'), { name: 'BrokenError' });
    });
    const out = await run({ StartAt: 'T', States: { T: { Type: 'Task', Resource: fn, Retry: [{ ErrorEquals: ['States.ALL'], MaxAttempts: 2 }], End: true } } });
    expect(out).toMatchObject({ status: 'FAILED', error: 'BrokenError' });
    expect(lambda.invocations('broken')).toHaveLength(3);
  });

  it('names a service error <Service>.<Exception> and a failed .sync job States.TaskFailed', async () => {
    const { run, glue, env } = world();
    glue.createJob('etl', { run: () => ({ durationSeconds: 300, outcome: 'FAILED', errorMessage: 'bad input' }) });
    env.faults.add({ service: 'glue', operation: 'StartJobRun', fault: { name: 'ThrottlingException', httpStatusCode: 400, message: 'Rate exceeded' } });
    const task = { Type: 'Task', Resource: 'arn:aws:states:::glue:startJobRun.sync', Parameters: { JobName: 'etl' }, End: true };
    const throttled = await run({ StartAt: 'T', States: { T: task } });
    expect(throttled).toMatchObject({ status: 'FAILED', error: 'Glue.ThrottlingException' });
    const failed = await run({ StartAt: 'T', States: { T: task } });
    expect(failed).toMatchObject({ status: 'FAILED', error: 'States.TaskFailed' });
    expect(JSON.parse(failed.cause!)).toMatchObject({ JobRunState: 'FAILED', ErrorMessage: 'bad input' });
  });

  it('fails an execution that loops without end once its history passes 25,000 events', async () => {
    const { run } = world();
    const loop = {
      StartAt: 'A',
      States: {
        A: { Type: 'Choice', Choices: [{ Variable: '$.stop', BooleanEquals: true, Next: 'Done' }], Default: 'B' },
        B: { Type: 'Pass', Next: 'A' },
        Done: { Type: 'Succeed' },
      },
    };
    expect(await run(loop, { stop: false })).toMatchObject({ status: 'FAILED', error: 'States.Runtime', cause: expect.stringMatching(/25,000 events/) });
  });

  it('compares types strictly in Choice rules: a numeric comparison of a string is false', async () => {
    const { run } = world();
    const gate = {
      StartAt: 'C',
      States: {
        C: { Type: 'Choice', Choices: [{ Variable: '$.accuracy', NumericGreaterThanEquals: 0.9, Next: 'Yes' }], Default: 'No' },
        Yes: { Type: 'Pass', Result: 'yes', End: true },
        No: { Type: 'Pass', Result: 'no', End: true },
      },
    };
    expect((await run(gate, { accuracy: 0.95 })).output).toBe('"yes"');
    expect((await run(gate, { accuracy: '0.95' })).output).toBe('"no"');
  });
});

describe('callbacks (.waitForTaskToken)', () => {
  const approval = (fn: string, extra: object = {}) => ({
    StartAt: 'Ask',
    States: {
      Ask: {
        Type: 'Task',
        Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
        Parameters: { FunctionName: fn, Payload: { 'token.$': '$$.Task.Token' } },
        ResultPath: '$.answer',
        End: true,
        ...extra,
      },
    },
  });

  it('waits for SendTaskSuccess, whose output is the task result', async () => {
    const { lambda, sfn, client, machine, env } = world();
    const fn = lambda.createFunction('ask', () => ({ sent: true }));
    const tasks: CallbackTask[] = [];
    sfn.onCallback((t) => tasks.push(t));
    const { executionArn } = await client.send(new StartExecutionCommand({ stateMachineArn: machine(approval(fn)), input: '{"x":1}' }));
    await sfn.runUntilClosed(env.clock.now().getTime() + 3_600_000);
    expect((await client.send(new DescribeExecutionCommand({ executionArn }))).status).toBe('RUNNING');
    expect(tasks).toHaveLength(1);
    expect((lambda.invocations('ask')[0]!.event as { token: string }).token).toBe(tasks[0]!.token);
    await client.send(new SendTaskSuccessCommand({ taskToken: tasks[0]!.token, output: '{"approved":true}' }));
    await sfn.runUntilClosed(env.clock.now().getTime() + 3_600_000);
    const done = await client.send(new DescribeExecutionCommand({ executionArn }));
    expect(JSON.parse(done.output!)).toEqual({ x: 1, answer: { approved: true } });
    await expect(client.send(new SendTaskSuccessCommand({ taskToken: tasks[0]!.token, output: '{}' }))).rejects.toThrow(/Task Does Not Exist/);
    await expect(client.send(new SendTaskSuccessCommand({ taskToken: 'nope', output: '{}' }))).rejects.toBeInstanceOf(InvalidToken);
  });

  it('fails with States.Timeout after TimeoutSeconds, and a late answer is TaskTimedOut', async () => {
    const { lambda, sfn, client, run } = world();
    const fn = lambda.createFunction('ask', () => ({}));
    const tokens: string[] = [];
    sfn.onCallback((t) => tokens.push(t.token));
    const out = await run(approval(fn, { TimeoutSeconds: 600 }));
    expect(out).toMatchObject({ status: 'FAILED', error: 'States.Timeout' });
    expect(out.stopDate!.getTime() - out.startDate!.getTime()).toBe(600_000);
    await expect(client.send(new SendTaskSuccessCommand({ taskToken: tokens[0]!, output: '{}' }))).rejects.toBeInstanceOf(TaskTimedOut);
  });

  it('fails with States.HeartbeatTimeout without heartbeats, and heartbeats keep the task alive', async () => {
    const { lambda, sfn, client, machine, env, run } = world();
    const fn = lambda.createFunction('ask', () => ({}));
    const silent = await run(approval(fn, { TimeoutSeconds: 7200, HeartbeatSeconds: 600 }));
    expect(silent).toMatchObject({ status: 'FAILED', error: 'States.HeartbeatTimeout' });

    let token = '';
    sfn.onCallback((t) => (token = t.token));
    const { executionArn } = await client.send(new StartExecutionCommand({ stateMachineArn: machine(approval(fn, { TimeoutSeconds: 7200, HeartbeatSeconds: 600 }), 'beats') }));
    for (let i = 0; i < 3; i++) {
      await sfn.runUntilClosed(env.clock.now().getTime() + 500_000);
      await client.send(new SendTaskHeartbeatCommand({ taskToken: token }));
    }
    await sfn.runUntilClosed(env.clock.now().getTime() + 500_000);
    expect((await client.send(new DescribeExecutionCommand({ executionArn }))).status).toBe('RUNNING');
    await sfn.shutDown();
  });

  it('refuses to wait for a token the parameters never pass', async () => {
    const { lambda, run } = world();
    const fn = lambda.createFunction('ask', () => ({}));
    const out = await run({ StartAt: 'Ask', States: { Ask: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken', Parameters: { FunctionName: fn }, End: true } } });
    expect(out).toMatchObject({ status: 'FAILED', error: 'States.Runtime' });
  });
});

describe('error matching', () => {
  it('matches States.TaskFailed to every error but the timeouts, States.ALL to all, and never States.Runtime', () => {
    expect(errorMatches(['States.TaskFailed'], 'Glue.ThrottlingException')).toBe(true);
    expect(errorMatches(['States.TaskFailed'], 'States.Timeout')).toBe(false);
    expect(errorMatches(['States.TaskFailed'], 'States.HeartbeatTimeout')).toBe(false);
    expect(errorMatches(['States.ALL'], 'States.Timeout')).toBe(true);
    expect(errorMatches(['States.ALL'], 'States.Runtime')).toBe(false);
  });
});
