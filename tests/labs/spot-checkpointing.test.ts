// The spot-checkpointing lab: the Spot simulator behaves as the steps say, and `whetstone check`
// passes (the reference full marks in four time zones, the starter not, every alternative full
// marks, every anti-solution exactly the failures its patch lists), with messages that explain them.

import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import * as esbuild from 'esbuild';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../catalog/labs.ts';
import { createAwsEnv } from '../../grader/aws/env.ts';
import { FakeS3 } from '../../grader/aws/s3.ts';
import { BUCKET, SHORT_EPOCHS, variedScenarios } from '../../labs/spot-checkpointing/scenarios.ts';
import { MetadataHttpError, SPOT_RULES, SpotSimulator, uninterruptedState } from '../../labs/spot-checkpointing/spot-simulator.ts';
import type { ModelState, SpotScenario, TrainingEnv } from '../../labs/spot-checkpointing/spot-simulator.ts';
import { labVariants } from '../support/grade.ts';
import { gradingOf, labCheck } from '../support/lab-check.ts';

const LAB = 'spot-checkpointing';
const labDir = join(REPO_ROOT, 'labs', LAB);
const NOTICE = '/latest/meta-data/spot/instance-action';

function job(overrides: Partial<SpotScenario> = {}): SpotScenario {
  return {
    name: 'test',
    totalEpochs: 4,
    epochSeconds: 60,
    interruptions: [],
    bucket: BUCKET,
    checkpointPrefix: 'checkpoints/test/',
    seed: 5,
    ...overrides,
  };
}

function simulator(scenario: SpotScenario) {
  const env = createAwsEnv({ seed: 1 });
  const s3 = new FakeS3(env);
  return { env, s3, sim: new SpotSimulator({ env, s3, scenario, stallMs: 300 }) };
}

const seconds = (env: { clock: { now(): Date } }, since: number) => (env.clock.now().getTime() - since) / 1000;

async function noticeOrStatus(env: TrainingEnv): Promise<string | number> {
  try {
    return await env.metadata(NOTICE);
  } catch (error) {
    return (error as MetadataHttpError).statusCode;
  }
}

describe('the Spot simulator', () => {
  it('takes simulated time per call: an epoch its length, an S3 or metadata request 1 s, now() none', async () => {
    const { env, sim } = simulator(job());
    const t0 = env.clock.now().getTime();
    const marks: number[] = [];
    await sim.run(async (e) => {
      marks.push(seconds(env, t0));
      const s1 = await e.trainEpoch(e.initialState());
      marks.push(seconds(env, t0));
      await e.s3.send(new ListObjectsV2Command({ Bucket: e.bucket, Prefix: e.checkpointPrefix }));
      marks.push(seconds(env, t0));
      await noticeOrStatus(e);
      marks.push(seconds(env, t0));
      e.now();
      marks.push(seconds(env, t0));
      let s = s1;
      while (s.epoch < e.totalEpochs) s = await e.trainEpoch(s);
      return s;
    });
    expect(marks).toEqual([0, 60, 61, 62, 62]);
  });

  it('runs an instance\'s calls one at a time: metadata asked during an epoch answers when the epoch ends', async () => {
    const { env, sim } = simulator(job());
    const t0 = env.clock.now().getTime();
    let answeredAt = -1;
    await sim.run(async (e) => {
      const epoch = e.trainEpoch(e.initialState());
      const asked = noticeOrStatus(e).then(() => (answeredAt = seconds(env, t0)));
      let s = await epoch;
      await asked;
      while (s.epoch < e.totalEpochs) s = await e.trainEpoch(s);
      return s;
    });
    expect(answeredAt).toBe(61);
  });

  it('answers 404 until the notice, then the notice with the termination time 120 s ahead; terminates then; starts a fresh instance 5 min later', async () => {
    const { env, sim } = simulator(job({ interruptions: [{ epochCall: 2, fraction: 0.5 }] }));
    const t0 = env.clock.now().getTime();
    const seen: (string | number)[] = [];
    const envs: TrainingEnv[] = [];
    let hung: Promise<unknown> | undefined;
    const run = await sim.run(async (e) => {
      envs.push(e);
      let s = e.initialState();
      if (envs.length === 2) {
        while (s.epoch < e.totalEpochs) s = await e.trainEpoch(s);
        return s;
      }
      seen.push(await noticeOrStatus(e)); // t=1: no notice
      s = await e.trainEpoch(s); // 1..61
      s = await e.trainEpoch(s); // 61..121, notice at 91
      seen.push(await noticeOrStatus(e)); // 121..122
      for (;;) {
        const pending = e.trainEpoch(s); // 122..182, then 182.. : terminated at 211
        hung = pending;
        s = await pending;
      }
    });
    expect(seen[0]).toBe(404);
    const notice = JSON.parse(String(seen[1])) as { action: string; time: string };
    expect(notice.action).toBe('terminate');
    expect(Date.parse(notice.time) - t0).toBe(211_000);
    expect(run.instances.map((i) => [i.noticeAt && (i.noticeAt.getTime() - t0) / 1000, i.terminatedAt && (i.terminatedAt.getTime() - t0) / 1000])).toEqual([
      [91, 211],
      [undefined, undefined],
    ]);
    expect((run.instances[1]!.startedAt.getTime() - t0) / 1000).toBe(211 + SPOT_RULES.restartDelaySeconds);
    expect(run.instances[0]!.killedDuringEpoch).toBe(4);
    expect(envs[0]).not.toBe(envs[1]);
    // The call in flight at termination never settles, and neither does a later call of that env.
    const settled = await Promise.race([hung!.then(() => 'settled', () => 'settled'), envs[0]!.metadata(NOTICE).then(() => 'settled', () => 'settled'), new Promise((r) => setTimeout(() => r('pending'), 30))]);
    expect(settled).toBe('pending');
    expect(run.final).toEqual(uninterruptedState(5, 4));
  });

  it('a write in flight at termination never reaches S3; the next instance resumes from what did', async () => {
    // Instance 1: list 0–1 s, epoch 1 1–61, put 61–62, epoch 2 62–122 (notice at 63.5, so the
    // end comes at 183.5), put 122–123, epoch 3 123–183, put 183–184: cut by the termination.
    const { env, sim } = simulator(job({ interruptions: [{ epochCall: 2, fraction: 0.025 }] }));
    const t0 = env.clock.now().getTime();
    const run = await sim.run(async (e) => {
      const keys = (await e.s3.send(new ListObjectsV2Command({ Bucket: e.bucket, Prefix: e.checkpointPrefix }))).Contents ?? [];
      let s: ModelState = e.initialState();
      if (keys.length) {
        const body = await e.s3.send(new GetObjectCommand({ Bucket: e.bucket, Key: keys.at(-1)!.Key! }));
        s = JSON.parse(await body.Body!.transformToString()) as ModelState;
      }
      while (s.epoch < e.totalEpochs) {
        s = await e.trainEpoch(s);
        await e.s3.send(new PutObjectCommand({ Bucket: e.bucket, Key: `${e.checkpointPrefix}${String(s.epoch).padStart(4, '0')}`, Body: JSON.stringify(s) }));
      }
      return s;
    });
    const first = run.instances[0]!;
    expect((first.terminatedAt!.getTime() - t0) / 1000).toBe(183.5);
    expect(first.killedDuringEpoch).toBeUndefined();
    // Epoch 3 finished 0.5 s before the end: inside the grace period, so not counted as lost.
    expect(first.lost).toEqual([]);
    expect(run.writes.map((w) => [w.epoch, w.instance])).toEqual([[1, 1], [2, 1], [3, 2], [4, 2]]);
    expect(run.instances[1]!.resumedFrom).toMatchObject({ epoch: 2, source: 'checkpoint', key: 'checkpoints/test/0002' });
    expect(run.final).toEqual(uninterruptedState(5, 4));
  });

  it('records what the checks judge: lost epochs, retention, early deletes, the budget, memory resumes', async () => {
    let remembered: ModelState | undefined;
    const { sim } = simulator(SHORT_EPOCHS);
    const run = await sim.run(async (e) => {
      let s = remembered ?? e.initialState();
      while (s.epoch < e.totalEpochs) {
        s = await e.trainEpoch(s);
        remembered = s;
        if (s.epoch % 4 === 0) {
          await e.s3.send(new PutObjectCommand({ Bucket: e.bucket, Key: `${e.checkpointPrefix}e${s.epoch}`, Body: JSON.stringify(s) }));
        }
      }
      return s;
    });
    expect(run.instances[0]!.lost).toEqual([5, 6, 7]);
    expect(run.instances[1]!.resumedFrom).toMatchObject({ epoch: 7, source: 'memory' });
    expect(run.writes.map((w) => [w.epoch, w.duringNotice])).toEqual([[4, false], [8, false], [12, false]]);
    expect(run.writes[0]!.sinceLastSeconds).toBe(160);
  });

  it('refuses states trainEpoch never produced, and epochs beyond the job', async () => {
    const { sim } = simulator(job());
    const run = await sim.run(async (e) => e.trainEpoch({ epoch: 0, weights: 'forged' }));
    expect(run.outcome).toBe('threw');
    expect(String(run.error)).toContain('neither initialState() nor trainEpoch() produced');
    const { sim: again } = simulator(job());
    const beyond = await again.run(async (e) => e.trainEpoch({ ...e.initialState(), epoch: 4 }));
    expect(String(beyond.error)).toContain('this job has 4 epochs');
  });

  it('calls a run stalled when the code waits on something that never settles', async () => {
    const { sim } = simulator(job());
    const run = await sim.run(() => new Promise<ModelState>(() => {}));
    expect(run.outcome).toBe('stalled');
  });

  it('varies the hidden jobs with the seed, within the rules the steps state', () => {
    const a = variedScenarios(1);
    const b = variedScenarios(2);
    expect(a).not.toEqual(b);
    expect(variedScenarios(1)).toEqual(a);
    for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
      const [short, long, restarts] = variedScenarios(seed);
      expect(short!.epochSeconds).toBeLessThan(SPOT_RULES.noticeSeconds - 20);
      expect(restarts!.epochSeconds).toBeLessThan(SPOT_RULES.noticeSeconds - 20);
      expect(restarts!.interruptions[1]).toMatchObject({ epochCall: 1 });
      // The whole notice window sits inside one long epoch.
      for (const i of long!.interruptions) expect(i.fraction * long!.epochSeconds + SPOT_RULES.noticeSeconds).toBeLessThan(long!.epochSeconds);
    }
  });
});

describe('grading the spot-checkpointing lab', () => {
  const check = labCheck(LAB);

  it('gives the reference solution full marks, hidden checks included', () => {
    const report = gradingOf(check(), 'solution');
    expect(report.score).toBe(report.maxScore);
    expect(report.checks.some((c) => c.visibility === 'hidden')).toBe(true);
  });

  it('gives the starter only what its naive loop earns', () => {
    const report = gradingOf(check(), 'starter');
    expect(report.status).toBe('fail');
    expect(report.checks.filter((c) => c.status === 'pass').map((c) => c.id)).toEqual(['trains-all-epochs', 'final-state']);
    expect(report.checks.find((c) => c.id === 'job-accepted')!.message).toContain('Not implemented yet: trainingJobRequest');
    expect(report.checks.find((c) => c.id === 'resumes-newest')!.message).toContain('wrote no checkpoint under checkpoints/resnet-43/');
  });

  it('fails every anti-solution with messages about the job, not about assertions', () => {
    for (const variant of labVariants(LAB, 'wrong')) {
      for (const c of gradingOf(check(), `wrong/${variant.name}`).checks.filter((r) => r.status !== 'pass')) {
        expect(c.status, `${variant.name} ${c.id}: ${c.message}`).toBe('fail');
        expect(c.message).not.toMatch(/expected .* to (be|equal)/);
        expect(c.message.length, `${variant.name} ${c.id}`).toBeGreaterThan(60);
      }
    }
  });

  it('explains a resume from an older checkpoint with the moment, the keys and the cost', () => {
    const report = gradingOf(check(), 'wrong/resume-oldest');
    expect(report.checks.find((c) => c.id === 'resumes-newest')!.message).toBe(
      'Job with 12 40-second epochs, reclaimed twice: After the interruption at 12:04:58 (instance 1, during epoch 8), your code resumed from epoch 5 (checkpoints/resnet-43/epoch-000005.json) instead of the newest checkpoint, epoch 7 (checkpoints/resnet-43/epoch-000007.json): 2 epochs were trained twice. List the checkpoints under env.checkpointPrefix and resume from the one with the highest epoch.',
    );
  });

  it('explains unpadded keys by the character where they part', () => {
    const report = gradingOf(check(), 'wrong/unpadded-keys');
    expect(report.checks.find((c) => c.id === 'checkpoint-keys')!.message).toContain(
      'Your checkpoint keys sort epoch 10 (checkpoints/resnet-43/epoch-10.json) before epoch 3 (checkpoints/resnet-43/epoch-3.json)',
    );
  });

  it('bundles the public checks, simulator and fakes for the browser', async () => {
    const result = await esbuild.build({
      entryPoints: [join(labDir, 'checks.ts')],
      bundle: true,
      platform: 'browser',
      format: 'esm',
      write: false,
      logLevel: 'silent',
    });
    expect(result.errors).toEqual([]);
    expect(result.outputFiles[0]!.text).not.toMatch(/from ["']node:/);
  });
});
