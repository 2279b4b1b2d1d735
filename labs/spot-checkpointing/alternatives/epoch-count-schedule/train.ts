// Another correct solution: the schedule is counted in epochs, sized from the measured length
// of an epoch; one folder per epoch; pruning with one DeleteObjects request.
import { DeleteObjectsCommand, GetObjectCommand, PutObjectCommand, paginateListObjectsV2 } from '@aws-sdk/client-s3';
import type { S3Client } from '@aws-sdk/client-s3';
import type { CreateTrainingJobCommandInput, TrainingInstanceType } from '@aws-sdk/client-sagemaker';

export interface ModelState {
  epoch: number;
  weights: string;
}

export interface TrainingEnv {
  s3: S3Client;
  bucket: string;
  checkpointPrefix: string;
  totalEpochs: number;
  initialState(): ModelState;
  trainEpoch(state: ModelState): Promise<ModelState>;
  metadata(path: string): Promise<string>;
  now(): Date;
}

const BUDGET_SECONDS = 120;

const keyFor = (env: TrainingEnv, epoch: number) => `${env.checkpointPrefix}${String(epoch).padStart(10, '0')}/model.json`;

async function listKeys(env: TrainingEnv): Promise<string[]> {
  const keys: string[] = [];
  for await (const page of paginateListObjectsV2({ client: env.s3 }, { Bucket: env.bucket, Prefix: env.checkpointPrefix })) {
    keys.push(...(page.Contents ?? []).map((o) => o.Key!));
  }
  return keys;
}

async function noticeOut(env: TrainingEnv): Promise<boolean> {
  return env.metadata('/latest/meta-data/spot/instance-action').then(
    () => true,
    (error: { statusCode?: number }) => {
      if (error.statusCode !== 404) throw error;
      return false;
    },
  );
}

async function checkpoint(env: TrainingEnv, state: ModelState): Promise<void> {
  await env.s3.send(new PutObjectCommand({ Bucket: env.bucket, Key: keyFor(env, state.epoch), Body: JSON.stringify(state) }));
  const old = (await listKeys(env)).slice(0, -3);
  if (old.length) {
    await env.s3.send(new DeleteObjectsCommand({ Bucket: env.bucket, Delete: { Objects: old.map((Key) => ({ Key })), Quiet: true } }));
  }
}

export async function train(env: TrainingEnv): Promise<ModelState> {
  const keys = await listKeys(env);
  let state = env.initialState();
  if (keys.length) {
    const object = await env.s3.send(new GetObjectCommand({ Bucket: env.bucket, Key: keys[keys.length - 1] }));
    state = JSON.parse(await object.Body!.transformToString()) as ModelState;
  }
  let every = Infinity; // epochs between scheduled checkpoints, once an epoch has been timed
  let sinceSave = 0;
  while (state.epoch < env.totalEpochs) {
    const started = env.now().getTime();
    state = await env.trainEpoch(state);
    if (every === Infinity) every = Math.max(1, Math.ceil((BUDGET_SECONDS * 1000) / (env.now().getTime() - started)));
    sinceSave += 1;
    if (sinceSave >= every || (await noticeOut(env))) {
      await checkpoint(env, state);
      sinceSave = 0;
    }
  }
  return state;
}

export function trainingJobRequest(input: {
  jobName: string;
  bucket: string;
  roleArn: string;
  imageUri: string;
  instanceType: string;
  maxRuntimeHours: number;
}): CreateTrainingJobCommandInput {
  const seconds = Math.round(input.maxRuntimeHours * 60 * 60);
  return {
    TrainingJobName: input.jobName,
    RoleArn: input.roleArn,
    AlgorithmSpecification: { TrainingImage: input.imageUri, TrainingInputMode: 'FastFile' },
    ResourceConfig: { InstanceType: input.instanceType as TrainingInstanceType, InstanceCount: 1, VolumeSizeInGB: 30 },
    OutputDataConfig: { S3OutputPath: `s3://${input.bucket}/models/${input.jobName}` },
    EnableManagedSpotTraining: true,
    StoppingCondition: { MaxRuntimeInSeconds: seconds, MaxWaitTimeInSeconds: seconds },
    CheckpointConfig: { S3Uri: `s3://${input.bucket}/checkpoints/${input.jobName}/`, LocalPath: '/opt/ml/checkpoints/' },
    HyperParameters: { epochs: '12' },
  };
}
