// The pipeline's world: a fake Glue job, SageMaker, the three Lambda functions, the SNS topic,
// and Step Functions running the learner's definition on simulated time; and a scenario runner
// that starts one execution, plays the reviewer, runs the clock and reports what happened in the
// learner's terms (the states, the calls, the notices), with the console-like event list.

import { StartExecutionCommand } from '@aws-sdk/client-sfn';
import type { EventsSpec } from 'whetstone/checks';
import type { AwsEnv } from 'whetstone/aws/env';
import { FakeGlue } from 'whetstone/aws/glue';
import { FakeLambda } from 'whetstone/aws/lambda';
import { FakeSageMaker } from 'whetstone/aws/sagemaker';
import type { ExecutionRecord } from 'whetstone/aws/sfn';
import { FakeStepFunctions } from 'whetstone/aws/sfn';
import { FakeSns } from 'whetstone/aws/sns';
import type { PipelineResources, RunInput } from './starter/pipeline.ts';

export const FEATURE_JOB = 'churn-features';
export const STATE_MACHINE = 'churn-pipeline';
/** How long a scenario may run in simulated time before it counts as "still running". */
export const HORIZON_HOURS = 7 * 24;
/** The longest an approval may wait (TimeoutSeconds), as step 3 states it. */
export const APPROVAL_LIMIT_SECONDS = 86_400;

export interface World {
  env: AwsEnv;
  glue: FakeGlue;
  sagemaker: FakeSageMaker;
  lambda: FakeLambda;
  sns: FakeSns;
  sfn: FakeStepFunctions;
  resources: PipelineResources;
  /** What the next scenario changes (set before it runs). */
  scenario: ScenarioKnobs;
}

/** What a scenario changes in the world. */
export interface ScenarioKnobs {
  accuracy: number;
  /** When the training job fails (seconds into training) and why; unset: it completes. */
  trainingFailure?: { afterTrainingSeconds: number; reason: string };
}

export function createWorld(env: AwsEnv): World {
  const glue = new FakeGlue(env);
  glue.createJob(FEATURE_JOB, { run: () => ({ durationSeconds: 720 }) });
  const scenario: ScenarioKnobs = { accuracy: 0.93 };
  const sagemaker = new FakeSageMaker(env, {
    plan: () => ({ workSeconds: 3600, ...(scenario.trainingFailure ? { failure: scenario.trainingFailure } : {}) }),
  });
  const lambda = new FakeLambda(env);
  const sns = new FakeSns(env);
  const evaluateFunctionArn = lambda.createFunction('evaluate-churn-model', (event) => {
    const artifacts = (event as { modelArtifacts?: unknown })?.modelArtifacts;
    if (typeof artifacts !== 'string' || !artifacts.startsWith('s3://')) {
      throw new TypeError(`evaluate-churn-model needs { modelArtifacts: 's3://…/model.tar.gz' }; it got ${JSON.stringify(event)}`);
    }
    return { accuracy: scenario.accuracy, auc: Math.min(0.99, scenario.accuracy + 0.04) };
  });
  const approvalFunctionArn = lambda.createFunction('request-model-approval', (event) => {
    const e = event as { taskToken?: unknown; modelName?: unknown };
    if (typeof e?.taskToken !== 'string') throw new TypeError(`request-model-approval needs { taskToken, modelName, accuracy }; it got ${JSON.stringify(event)}`);
    return { emailed: 'ml-reviewers@example.com' };
  });
  const deployFunctionArn = lambda.createFunction('deploy-churn-model', (event) => {
    const e = event as { modelName?: unknown; modelArtifacts?: unknown };
    if (typeof e?.modelName !== 'string' || typeof e?.modelArtifacts !== 'string') {
      throw new TypeError(`deploy-churn-model needs { modelName, modelArtifacts }; it got ${JSON.stringify(event)}`);
    }
    return { endpointName: `${e.modelName}-endpoint` };
  });
  const topicArn = sns.createTopic('ml-pipeline-events');
  const sfn = new FakeStepFunctions(env, { glue, sagemaker, lambda, sns });
  const resources: PipelineResources = {
    featureJob: FEATURE_JOB,
    trainingImage: `${env.accountId}.dkr.ecr.${env.region}.amazonaws.com/churn-train:3`,
    trainingRoleArn: `arn:aws:iam::${env.accountId}:role/SageMakerExecution`,
    modelOutputUri: 's3://acme-ml-models/churn/',
    evaluateFunctionArn,
    approvalFunctionArn,
    deployFunctionArn,
    topicArn,
    minAccuracy: 0.9,
  };
  return { env, glue, sagemaker, lambda, sns, sfn, resources, scenario };
}

/** What the reviewer does when asked: answer after some hours, or never. */
export type Reviewer = { approves: boolean; afterHours: number } | 'never answers';

export interface ScenarioRun {
  execution: ExecutionRecord | undefined;
  /** When the approval was requested (ms), if it was. */
  approvalAskedAt?: number;
  approvalAnsweredAt?: number;
  deployments: { at: number; event: unknown }[];
  approvalRequests: number;
  notices: { at: number; subject?: string; message: string }[];
  trainingJobs: number;
  startedAt: number;
  /** The definition could not be created: CreateStateMachine's problems. */
  refused?: string[];
}

export const RUN: RunInput = { runId: 'churn-2024-03-01', datasetUri: 's3://acme-ml-datalake/curated/churn/2024-03-01/', modelName: 'churn-2024-03-01' };

/** Create the learner's state machine, start one execution, play the reviewer, run the clock. */
export async function runScenario(world: World, definition: unknown, reviewer: Reviewer, input: RunInput = RUN): Promise<ScenarioRun> {
  const { sfn, lambda, sns } = world;
  const startedAt = sfn.time.now();
  const made = sfn.createStateMachine(STATE_MACHINE, definition);
  const result: ScenarioRun = { execution: undefined, deployments: [], approvalRequests: 0, notices: [], trainingJobs: 0, startedAt };
  if ('problems' in made) return { ...result, refused: made.problems };
  sfn.onCallback((task) => {
    result.approvalAskedAt ??= task.at.getTime();
    if (reviewer === 'never answers') return;
    const at = task.at.getTime() + reviewer.afterHours * 3_600_000;
    result.approvalAnsweredAt ??= at;
    sfn.answerAt(task.token, at, { output: { approved: reviewer.approves, reviewer: 'dana@example.com' } });
  });
  await sfn.client().send(new StartExecutionCommand({ stateMachineArn: made.arn, name: input.runId, input: JSON.stringify(input) }));
  try {
    await sfn.runUntilClosed(startedAt + HORIZON_HOURS * 3_600_000);
  } finally {
    await sfn.shutDown();
  }
  result.execution = sfn.executions()[0];
  result.deployments = lambda.invocations('deploy-churn-model').map((i) => ({ at: i.at.getTime(), event: i.event }));
  result.approvalRequests = lambda.invocations('request-model-approval').length;
  result.notices = sns.published(world.resources.topicArn).map((m) => ({ at: m.at.getTime(), ...(m.subject !== undefined ? { subject: m.subject } : {}), message: m.message }));
  result.trainingJobs = world.env.trace.calls('sagemaker', 'CreateTrainingJob').length;
  return result;
}

/** '+1 h 12 min' after the start. */
export function elapsed(from: number, at: number): string {
  const minutes = Math.round((at - from) / 60_000);
  if (minutes < 60) return `+${minutes} min`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  if (hours < 48) return `+${hours} h${rest ? ` ${rest} min` : ''}`;
  return `+${Math.floor(hours / 24)} d ${hours % 24} h`;
}

/** The execution's events in order, like the console's event list. */
export function eventList(title: string, run: ScenarioRun): EventsSpec {
  const history = run.execution?.history ?? [];
  return {
    kind: 'events',
    title,
    caption: 'Simulated time since StartExecution. From the fake Step Functions running your definition.',
    events: history.map((h) => ({
      at: elapsed(run.startedAt, h.at.getTime()),
      label: h.state ? `${h.type} · ${h.state}` : h.type,
      status: /Failed|TimedOut/.test(h.type) ? 'fail' : /Retry|Caught/.test(h.type) ? 'warn' : /Succeeded|Exited/.test(h.type) ? 'ok' : 'info',
      ...(h.detail ? { detail: shortDetail(h.detail) } : {}),
    })),
  };
}

/**
 * A history detail as one short line: a failed job's cause is its whole description (JSON), of
 * which the learner needs the reason; an SDK error's cause ends with request metadata.
 */
function shortDetail(detail: string): string {
  const json = /^(States\.TaskFailed): (\{.*\})$/s.exec(detail);
  if (json) {
    try {
      const job = JSON.parse(json[2]!) as { FailureReason?: string; ErrorMessage?: string; TrainingJobStatus?: string; JobRunState?: string };
      const reason = job.FailureReason ?? job.ErrorMessage ?? job.TrainingJobStatus ?? job.JobRunState;
      if (reason) return `${json[1]}: ${reason}`;
    } catch {
      // Not a job description: shown as it is, cut below.
    }
  }
  const plain = detail.replace(/ \(Service: [^)]*\)$/, '');
  return plain.length > 200 ? `${plain.slice(0, 199)}…` : plain;
}
