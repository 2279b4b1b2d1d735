// The pipeline-orchestration lab proves itself: `whetstone check` passes (the solution gets full
// marks, the starter none, every anti-solution fails exactly the checks its patch lists, every
// alternative gets full marks). The scenario world is checked on its own: each scenario of the
// solution ends as the steps say, on simulated time, with the states in the console's order.

import { describe, expect, it } from 'vitest';
import { createAwsEnv } from '../../grader/aws/env.ts';
import { definition } from '../../labs/pipeline-orchestration/solution/pipeline.ts';
import { RUN, createWorld, eventList, runScenario } from '../../labs/pipeline-orchestration/world.ts';
import type { Reviewer } from '../../labs/pipeline-orchestration/world.ts';
import { labVariants } from '../support/grade.ts';
import { gradingOf, labCheck } from '../support/lab-check.ts';

const LAB = 'pipeline-orchestration';

describe('pipeline-orchestration grading', () => {
  const check = labCheck(LAB);

  it('does not pass the starter', () => {
    const report = gradingOf(check(), 'starter');
    expect(report.score).toBe(0);
    expect(report.checks.find((c) => c.id === 'good-model-deployed')!.message).toMatch(/Not implemented yet/);
  });

  it('has the anti-solutions the issue lists, and alternatives in other styles', () => {
    expect(labVariants(LAB, 'wrong').map((w) => w.name)).toEqual(
      expect.arrayContaining([
        'retry-all-errors',
        'no-result-path',
        'choice-string-compare',
        'choice-inverted',
        'approval-without-callback',
        'approval-without-timeout',
        'catch-without-notice',
        'deploy-before-approval',
        'random-execution-name',
      ]),
    );
    expect(labVariants(LAB, 'alternatives').length).toBeGreaterThanOrEqual(2);
  });

  it('shows every scenario of the solution as an event list', () => {
    const report = gradingOf(check(), 'solution');
    for (const c of report.checks.filter((c) => !c.id.startsWith('start-run') && !c.id.startsWith('hidden-start-run'))) {
      expect(c.figures?.[0]?.kind, c.id).toBe('events');
    }
  });
});

async function scenario(reviewer: Reviewer, knobs: { accuracy?: number; trainingFailure?: { afterTrainingSeconds: number; reason: string } } = {}) {
  const env = createAwsEnv({ seed: 1 });
  const world = createWorld(env);
  Object.assign(world.scenario, knobs);
  const run = await runScenario(world, definition(world.resources), reviewer);
  const states = run.execution!.history.filter((h) => h.type.endsWith('StateEntered')).map((h) => h.state);
  return { env, world, run, states };
}

describe('the scenario world, with the solution', () => {
  it('deploys an approved model after the reviewer answers, an hour of training and three hours of waiting later', async () => {
    const { run, states } = await scenario({ approves: true, afterHours: 3 });
    expect(states).toEqual(['BuildFeatures', 'TrainModel', 'EvaluateModel', 'GoodEnough', 'AskForApproval', 'Approved', 'DeployModel', 'NotifyDeployed']);
    expect(run.execution!.status).toBe('SUCCEEDED');
    expect(run.deployments).toEqual([{ at: expect.any(Number), event: { modelName: RUN.modelName, modelArtifacts: `s3://acme-ml-models/churn/${RUN.modelName}/output/model.tar.gz` } }]);
    expect(run.deployments[0]!.at).toBeGreaterThanOrEqual(run.approvalAnsweredAt!);
    // 12 minutes of Glue, about an hour of training, three hours for the reviewer.
    expect(run.execution!.stopDate!.getTime() - run.startedAt).toBeGreaterThan(4 * 3_600_000);
  });

  it('fails a run whose training fails, after a notice, without training again', async () => {
    const { run, states } = await scenario({ approves: true, afterHours: 1 }, { trainingFailure: { afterTrainingSeconds: 600, reason: 'AlgorithmError: bad labels' } });
    expect(states).toEqual(['BuildFeatures', 'TrainModel', 'NotifyFailure', 'PipelineFailed']);
    expect(run.execution).toMatchObject({ status: 'FAILED', error: 'PipelineFailed' });
    expect(run.trainingJobs).toBe(1);
    expect(run.notices.map((n) => n.subject)).toEqual(['Pipeline failed']);
  });

  it('times the approval out after its TimeoutSeconds when nobody answers', async () => {
    const { run, states } = await scenario('never answers');
    expect(states.slice(-2)).toEqual(['NotifyFailure', 'PipelineFailed']);
    expect(run.execution!.stopDate!.getTime() - run.approvalAskedAt!).toBe(86_400_000);
    const figure = eventList('never', run);
    expect(figure.events.map((e) => e.label)).toContain('TaskTimedOut · AskForApproval');
  });

  it('sends a model under the threshold to the not-deployed notice without asking anyone', async () => {
    const { run, states } = await scenario({ approves: true, afterHours: 1 }, { accuracy: 0.8 });
    expect(states.slice(-2)).toEqual(['GoodEnough', 'NotifyNotDeployed']);
    expect(run.approvalRequests).toBe(0);
    expect(run.execution!.status).toBe('SUCCEEDED');
  });
});
