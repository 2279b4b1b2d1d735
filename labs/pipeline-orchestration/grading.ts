// How each scenario is judged: by what the pipeline did in the fake world (states, calls,
// notices, the execution's end), in the words of the steps, never by the shape of the definition.

import { describe, describeCall, duration, expectThrows, fail, list } from 'whetstone/checks';
import type { ContextOf } from 'whetstone/checks';
import type { EventsSpec } from 'whetstone/checks';
import { defineLab } from 'whetstone/checks';
import type * as Pipeline from './starter/pipeline.ts';
import { APPROVAL_LIMIT_SECONDS, HORIZON_HOURS, RUN, createWorld, elapsed, eventList, runScenario } from './world.ts';
import type { Reviewer, ScenarioRun, World } from './world.ts';
import type { RunInput } from './starter/pipeline.ts';

export const lab = defineLab({
  aws: createWorld,
  open: ({ aws, submission }) => ({ world: aws as World, pipeline: submission.load<typeof Pipeline>('pipeline.ts') }),
});

export type Context = ContextOf<typeof lab>;

export interface Scenario {
  title: string;
  reviewer: Reviewer;
  accuracy?: number;
  minAccuracy?: number;
  trainingFailure?: { afterTrainingSeconds: number; reason: string };
  /** Glue answers the first StartJobRun calls with this error. */
  glueFault?: { name: string; message: string; times: number };
  /** A backfill run holds the feature job's only slot for this many seconds. */
  backfillSeconds?: number;
  input?: RunInput;
}

/** Build the learner's definition and run one scenario; fail when the definition cannot run at all. */
export async function playScenario({ world, pipeline, env, show }: Context, scenario: Scenario): Promise<ScenarioRun> {
  world.scenario.accuracy = scenario.accuracy ?? 0.93;
  if (scenario.trainingFailure) world.scenario.trainingFailure = scenario.trainingFailure;
  const resources = { ...world.resources, ...(scenario.minAccuracy !== undefined ? { minAccuracy: scenario.minAccuracy } : {}) };
  if (scenario.glueFault) {
    env.faults.add({
      service: 'glue',
      operation: 'StartJobRun',
      times: scenario.glueFault.times,
      fault: { name: scenario.glueFault.name, httpStatusCode: 400, message: scenario.glueFault.message },
    });
  }
  if (scenario.backfillSeconds) world.glue.startRunOutside(world.resources.featureJob, { durationSeconds: scenario.backfillSeconds, startingSeconds: 0 });
  const made = await pipeline.definition(resources);
  if (!made || typeof made !== 'object' || Array.isArray(made)) {
    fail(`definition(resources) must return the state machine as an object ({ StartAt, States }); it returned ${describe(made)}.`);
  }
  let run: ScenarioRun;
  try {
    run = await runScenario(world, JSON.parse(JSON.stringify(made)), scenario.reviewer, scenario.input ?? RUN);
  } catch (error) {
    fail(`definition(resources) returned something that is not JSON data: ${describe(error)}.`);
  }
  if (run.refused) {
    fail(`CreateStateMachine refuses the definition from definition(resources): ${list(run.refused, 3)}. Fix these first; every scenario runs this definition.`);
  }
  show(eventList(scenario.title, run) as EventsSpec);
  return run;
}

const hours = (ms: number) => duration(Math.round(ms / 1000));

function ending(run: ScenarioRun): string {
  const e = run.execution;
  if (!e) return 'no execution started';
  if (e.status === 'RUNNING') return `the execution was still RUNNING after ${HORIZON_HOURS / 24} simulated days`;
  const where = lastState(run);
  return `the execution ended ${e.status}${e.error ? ` (${e.error}${e.cause ? `: ${clipCause(e.cause)}` : ''})` : ''}${where ? ` in state ${where}` : ''} at ${elapsed(run.startedAt, e.stopDate!.getTime())}`;
}

function clipCause(cause: string): string {
  return cause.length > 160 ? `${cause.slice(0, 159)}…` : cause;
}

function lastState(run: ScenarioRun): string | undefined {
  const entered = (run.execution?.history ?? []).filter((h) => h.type.endsWith('StateEntered'));
  return entered.at(-1)?.state;
}

function statesVisited(run: ScenarioRun): string {
  const names = (run.execution?.history ?? []).filter((h) => h.type.endsWith('StateEntered')).map((h) => h.state!);
  return names.length ? names.join(' → ') : 'no state';
}

/** The deployment happened once, after the reviewer's answer, with the model name and artifacts; a notice followed. */
export function expectDeployed(run: ScenarioRun, why: string): void {
  const path = statesVisited(run);
  if (run.deployments.length === 0) {
    if (run.approvalRequests > 0 && run.approvalAskedAt === undefined) {
      fail(
        `${why} request-model-approval was invoked, but the task did not wait for the reviewer's answer (no task token was waited for), ` +
          `and then ${ending(run)}. States: ${path}. Use the Resource arn:aws:states:::lambda:invoke.waitForTaskToken and pass '$$.Task.Token' in the Payload.`,
      );
    }
    if (run.approvalRequests === 0 && run.execution?.status === 'SUCCEEDED') {
      fail(
        `${why} No approval was requested and nothing was deployed: the run went ${path}. The model's accuracy is at least minAccuracy, ` +
          'so the Choice must send it on to the approval: compare the number $.…accuracy with NumericGreaterThanEquals and resources.minAccuracy (a String… comparison of a number is never true).',
      );
    }
    fail(`${why} The model should have been deployed, but deploy-churn-model was never invoked: ${ending(run)}. States: ${path}.`);
  }
  if (run.deployments.length > 1) fail(`${why} deploy-churn-model was invoked ${run.deployments.length} times; deploy once. States: ${path}.`);
  const deployment = run.deployments[0]!;
  const event = deployment.event as { modelName?: unknown; modelArtifacts?: unknown };
  if (event?.modelName !== RUN.modelName) {
    fail(
      `${why} deploy-churn-model got modelName ${describe(event?.modelName)} instead of '${RUN.modelName}' (the run's input): ` +
        'a state whose ResultPath is left out replaces the whole input with its result, and later states lose the input.',
    );
  }
  if (run.approvalAnsweredAt === undefined || deployment.at < run.approvalAnsweredAt) {
    fail(
      `${why} The model was deployed at ${elapsed(run.startedAt, deployment.at)}` +
        (run.approvalAnsweredAt === undefined ? ', but nobody had been asked to approve it with a task token' : `, before the reviewer answered at ${elapsed(run.startedAt, run.approvalAnsweredAt)}`) +
        '. Deploy only after the approval task returns with approved: true (the approval task must wait for its token: .waitForTaskToken).',
    );
  }
  const after = run.notices.filter((n) => n.at >= deployment.at);
  if (after.length === 0) fail(`${why} The model was deployed, but no notice was published to the topic afterwards. States: ${path}.`);
  if (run.execution?.status !== 'SUCCEEDED') fail(`${why} The model was deployed and announced, but ${ending(run)}: a deployed model is a successful run.`);
}

/** Not deployed, and a notice says so; the execution ended. */
export function expectNotDeployed(run: ScenarioRun, why: string): void {
  const path = statesVisited(run);
  if (run.deployments.length > 0) fail(`${why} The model must not be deployed, but deploy-churn-model was invoked at ${elapsed(run.startedAt, run.deployments[0]!.at)}. States: ${path}.`);
  if (run.execution?.status === 'RUNNING') fail(`${why} Nothing was deployed, but ${ending(run)}. States: ${path}.`);
  if (run.notices.length === 0) fail(`${why} Nothing was deployed (right), but no notice was published to the topic: ${ending(run)}. States: ${path}.`);
}

export async function goodModelDeployed(ctx: Context): Promise<void> {
  const run = await playScenario(ctx, { title: 'A good model, approved after 3 hours', reviewer: { approves: true, afterHours: 3 } });
  expectDeployed(run, 'Accuracy 0.93 (threshold 0.9), approved 3 hours after the request.');
}

export async function glueThrottledOnce(ctx: Context): Promise<void> {
  const run = await playScenario(ctx, {
    title: 'Glue throttles the first StartJobRun',
    reviewer: { approves: true, afterHours: 1 },
    glueFault: { name: 'ThrottlingException', message: 'Rate exceeded', times: 1 },
  });
  const starts = ctx.env.trace.calls('glue', 'StartJobRun').length;
  if (starts < 2) fail(`The first StartJobRun was throttled (Glue.ThrottlingException) and it was never tried again: ${ending(run)}. States: ${statesVisited(run)}. Retry transient errors with backoff.`);
  expectDeployed(run, 'Glue throttled the first StartJobRun once.');
}

export async function backfillHoldsSlot(ctx: Context, seconds: number): Promise<void> {
  const run = await playScenario(ctx, { title: `A backfill holds the feature job for ${duration(seconds)}`, reviewer: { approves: true, afterHours: 2 }, backfillSeconds: seconds });
  const starts = ctx.env.trace.calls('glue', 'StartJobRun').length;
  if (run.deployments.length === 0) {
    fail(
      `A backfill held the feature job's only slot for ${duration(seconds)}, so StartJobRun answered Glue.ConcurrentRunsExceededException; ` +
        `after ${starts} StartJobRun call${starts === 1 ? '' : 's'}, ${ending(run)}. Keep retrying it with backoff for at least 3 minutes (30 s, 60 s, 120 s).`,
    );
  }
  expectDeployed(run, `A backfill held the feature job for ${duration(seconds)}.`);
}

export async function trainingFailureCaught(ctx: Context): Promise<void> {
  const run = await playScenario(ctx, {
    title: 'Training fails with an algorithm error',
    reviewer: { approves: true, afterHours: 1 },
    trainingFailure: { afterTrainingSeconds: 1200, reason: 'AlgorithmError: ExecuteUserScriptError: label column churned not found' },
  });
  const why = 'The training job failed after 20 minutes (AlgorithmError: it would fail again).';
  if (run.trainingJobs > 1) {
    fail(
      `${why} CreateTrainingJob was called ${run.trainingJobs} times: a failed training job is not transient, so retrying it only burns hours. ` +
        'Retry only errors that may pass (throttling, capacity), never States.ALL or States.TaskFailed on the training task.',
    );
  }
  if (run.deployments.length) fail(`${why} The model was deployed anyway. States: ${statesVisited(run)}.`);
  if (run.notices.length === 0) fail(`${why} Nobody was told: no notice was published to the topic (${ending(run)}). Catch the error and go to a state that publishes the failure.`);
  if (run.execution?.status !== 'FAILED') {
    fail(`${why} A notice went out, but ${ending(run)}: after the failure notice the run must end in a Fail state, so the execution shows as FAILED.`);
  }
}

export async function belowThreshold(ctx: Context, accuracy: number, minAccuracy: number): Promise<void> {
  const run = await playScenario(ctx, { title: `Accuracy ${accuracy} under a threshold of ${minAccuracy}`, reviewer: { approves: true, afterHours: 1 }, accuracy, minAccuracy });
  const why = `The model's accuracy is ${accuracy}, under minAccuracy ${minAccuracy}.`;
  if (run.approvalRequests > 0) fail(`${why} A reviewer was asked to approve it anyway: the Choice must send a model under the threshold straight to the not-deployed notice. States: ${statesVisited(run)}.`);
  expectNotDeployed(run, why);
}

export async function atThreshold(ctx: Context, minAccuracy: number): Promise<void> {
  const run = await playScenario(ctx, { title: `Accuracy exactly ${minAccuracy}`, reviewer: { approves: true, afterHours: 2 }, accuracy: minAccuracy, minAccuracy });
  if (run.approvalRequests === 0) {
    fail(`The model's accuracy is exactly minAccuracy (${minAccuracy}): "at least the threshold" includes it, but no approval was requested. States: ${statesVisited(run)}. Compare numbers with NumericGreaterThanEquals.`);
  }
  expectDeployed(run, `Accuracy exactly at the threshold ${minAccuracy}, approved.`);
}

export async function approvalRejected(ctx: Context): Promise<void> {
  const run = await playScenario(ctx, { title: 'The reviewer rejects the model', reviewer: { approves: false, afterHours: 5 } });
  const why = 'Accuracy 0.93, but the reviewer answered { approved: false } after 5 hours.';
  if (run.approvalAskedAt === undefined) fail(`${why} No task ever waited for a reviewer's answer (no task token was handed out for .waitForTaskToken). States: ${statesVisited(run)}.`);
  expectNotDeployed(run, why);
}

export async function approvalTimesOut(ctx: Context): Promise<void> {
  const run = await playScenario(ctx, { title: 'The reviewer never answers', reviewer: 'never answers' });
  const why = 'The reviewer never answers.';
  if (run.approvalAskedAt === undefined) fail(`${why} No task ever waited for a reviewer's answer (no task token was handed out for .waitForTaskToken). States: ${statesVisited(run)}.`);
  if (run.execution?.status === 'RUNNING') {
    fail(`${why} The approval task is still waiting ${HORIZON_HOURS / 24} simulated days later: give it TimeoutSeconds (at most ${APPROVAL_LIMIT_SECONDS.toLocaleString('en-US')}, a day) so an unanswered request ends the run.`);
  }
  const end = run.execution!.stopDate!.getTime();
  if (end - run.approvalAskedAt! > APPROVAL_LIMIT_SECONDS * 1000 + 3_600_000) {
    fail(`${why} The run ended ${hours(end - run.approvalAskedAt!)} after the approval request: an approval may wait at most a day (TimeoutSeconds ≤ ${APPROVAL_LIMIT_SECONDS.toLocaleString('en-US')}).`);
  }
  expectNotDeployed(run, why);
}

export async function lateApproval(ctx: Context, afterHours: number): Promise<void> {
  const run = await playScenario(ctx, { title: `Approved after ${afterHours} hours`, reviewer: { approves: true, afterHours } });
  expectDeployed(run, `The reviewer approved ${afterHours} hours after the request (within the day an approval may take).`);
}

// ----- startRun ---------------------------------------------------------------------------------

/** A state machine with one Wait state (the run stays open for an hour), for startRun's checks. */
function openMachine(world: World): string {
  const made = world.sfn.createStateMachine('churn-pipeline', {
    StartAt: 'Work',
    States: { Work: { Type: 'Wait', Seconds: 3600, End: true } },
  });
  if ('problems' in made) throw new Error(made.problems.join('; '));
  return made.arn;
}

async function callStartRun({ pipeline, world }: Context, arn: string, input: RunInput, when: string): Promise<unknown> {
  const got = await pipeline.startRun(world.sfn.client(), arn, input);
  if (typeof got !== 'string' || !got.startsWith('arn:aws:states:')) fail(`${when}, startRun returned ${describe(got)}; return the execution's ARN (StartExecution's executionArn).`);
  return got;
}

export async function startsOneExecution(ctx: Context): Promise<void> {
  const arn = openMachine(ctx.world);
  const got = await callStartRun(ctx, arn, RUN, `For ${JSON.stringify(RUN)}`);
  const executions = ctx.world.sfn.executions();
  if (executions.length !== 1) fail(`startRun started ${executions.length} executions for one run; start exactly one.`);
  const e = executions[0]!;
  if (got !== e.executionArn) fail(`startRun returned ${describe(got)}, but the execution it started is ${e.executionArn}.`);
  let input: unknown;
  try {
    input = JSON.parse(e.input);
  } catch {
    input = e.input;
  }
  const i = input as Partial<RunInput>;
  if (i?.runId !== RUN.runId || i?.datasetUri !== RUN.datasetUri || i?.modelName !== RUN.modelName) {
    fail(`The execution's input is ${describe(e.input)}; it must be the run's JSON with runId, datasetUri and modelName (the states read $.datasetUri and $.modelName).`);
  }
}

export async function startIsIdempotent(ctx: Context, input: RunInput = RUN): Promise<void> {
  const { world, env } = ctx;
  const arn = openMachine(world);
  const first = await callStartRun(ctx, arn, input, 'At the first call');
  const second = await callStartRun(ctx, arn, input, 'Called again for the same run while it is running (a retried start)');
  const running = world.sfn.executions();
  if (running.length > 1) {
    const names = running.map((e) => `'${e.name}'`).join(' and ');
    fail(
      `startRun was called twice for run '${input.runId}' (a retried start) and started ${running.length} executions, named ${names}: ` +
        'name the execution after the run (its runId), so that a second start with the same name and input starts nothing new.',
    );
  }
  if (second !== first) fail(`Called twice for the same run, startRun returned ${describe(first)} and then ${describe(second)}; both calls are the same run.`);
  await world.sfn.runUntilClosed(world.sfn.time.now() + 2 * 3_600_000);
  let third: unknown;
  try {
    third = await callStartRun(ctx, arn, input, 'Called again for the same run after it finished');
  } catch (error) {
    const last = env.trace.calls('sfn', 'StartExecution').at(-1);
    fail(
      `Called again for run '${input.runId}' after its execution had finished, startRun threw ${describe(error)}` +
        (last ? ` (its call: ${describeCall(last)})` : '') +
        ". StartExecution answers ExecutionAlreadyExists for a finished execution's name: that run is already done, so return its ARN.",
    );
  }
  if (world.sfn.executions().length > 1) fail(`Called again after the run finished, startRun started a second execution: one run, one execution.`);
  if (third !== first) fail(`Called again after the run finished, startRun returned ${describe(third)}; the run's execution is ${describe(first)}.`);
}

export async function rejectsBadInput(ctx: Context, field: keyof RunInput, value: string): Promise<void> {
  const arn = openMachine(ctx.world);
  const input = { ...RUN, [field]: value };
  await expectThrows(() => ctx.pipeline.startRun(ctx.world.sfn.client(), arn, input), {
    when: `For ${field} ${JSON.stringify(value)}`,
    call: 'startRun',
    naming: { value: field, what: 'the field' },
    because: `A bad ${field} must stop the run before it starts, not fail hours later in the pipeline.`,
  });
  const calls = ctx.env.trace.calls('sfn', 'StartExecution');
  if (calls.length) fail(`For ${field} ${JSON.stringify(value)}, startRun threw (right) but only after calling StartExecution: validate the input first.`);
}
