// The fake Glue as a learner's code or a state machine sees it through the real GlueClient: job
// runs whose life follows the simulated clock, MaxConcurrentRuns enforced, and Glue's own errors
// (AWS Glue API, Jobs › Job runs, read 2026-11-30).

import { ConcurrentRunsExceededException, EntityNotFoundException, GetJobRunCommand, StartJobRunCommand } from '@aws-sdk/client-glue';
import { describe, expect, it } from 'vitest';
import { createAwsEnv } from '../../grader/aws/env.ts';
import { FakeGlue } from '../../grader/aws/glue.ts';

function world() {
  const env = createAwsEnv({ seed: 1 });
  const glue = new FakeGlue(env);
  return { env, glue, client: glue.client() };
}

describe('FakeGlue', () => {
  it('runs a job STARTING, RUNNING, then SUCCEEDED on the simulated clock, with ExecutionTime in seconds', async () => {
    const { env, glue, client } = world();
    glue.createJob('features', { run: () => ({ durationSeconds: 600, startingSeconds: 30 }) });
    const { JobRunId } = await client.send(new StartJobRunCommand({ JobName: 'features', Arguments: { '--day': '2024-03-01' } }));
    expect(JobRunId).toMatch(/^jr_[0-9a-f]{64}$/);
    const state = async () => (await client.send(new GetJobRunCommand({ JobName: 'features', RunId: JobRunId }))).JobRun!;
    expect((await state()).JobRunState).toBe('STARTING');
    env.clock.advance(60_000);
    expect((await state()).JobRunState).toBe('RUNNING');
    env.clock.advance(600_000);
    expect(await state()).toMatchObject({ JobRunState: 'SUCCEEDED', ExecutionTime: 600, Arguments: { '--day': '2024-03-01' } });
  });

  it('reports a failed run with its ErrorMessage, and a run past its Timeout as TIMEOUT', async () => {
    const { env, glue, client } = world();
    glue.createJob('broken', { run: () => ({ durationSeconds: 120, outcome: 'FAILED', errorMessage: 'AnalysisException: column not found' }) });
    glue.createJob('slow', { run: () => ({ durationSeconds: 7200 }), maxConcurrentRuns: 2 });
    const failed = await client.send(new StartJobRunCommand({ JobName: 'broken' }));
    const slow = await client.send(new StartJobRunCommand({ JobName: 'slow', Timeout: 60 }));
    env.clock.advance(3 * 3_600_000);
    expect((await client.send(new GetJobRunCommand({ JobName: 'broken', RunId: failed.JobRunId }))).JobRun).toMatchObject({
      JobRunState: 'FAILED',
      ErrorMessage: 'AnalysisException: column not found',
    });
    expect((await client.send(new GetJobRunCommand({ JobName: 'slow', RunId: slow.JobRunId }))).JobRun).toMatchObject({ JobRunState: 'TIMEOUT', ExecutionTime: 3600 });
  });

  it('answers ConcurrentRunsExceededException while MaxConcurrentRuns (default 1) runs are running', async () => {
    const { env, glue, client } = world();
    glue.createJob('features', { run: () => ({ durationSeconds: 600 }) });
    glue.startRunOutside('features', { durationSeconds: 120 });
    const error = await client.send(new StartJobRunCommand({ JobName: 'features' })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConcurrentRunsExceededException);
    expect((error as Error).message).toBe('Concurrent runs exceeded for features');
    env.clock.advance(120_000);
    await expect(client.send(new StartJobRunCommand({ JobName: 'features' }))).resolves.toMatchObject({ JobRunId: expect.any(String) });
  });

  it('answers EntityNotFoundException for an unknown job, and refuses a Timeout under a minute', async () => {
    const { glue, client } = world();
    glue.createJob('features');
    await expect(client.send(new StartJobRunCommand({ JobName: 'nope' }))).rejects.toBeInstanceOf(EntityNotFoundException);
    await expect(client.send(new StartJobRunCommand({ JobName: 'features', Timeout: 0 }))).rejects.toMatchObject({ name: 'ValidationException' });
  });
});
