// Another correct solution: it trusts the bodies, not the key order, to find the newest
// checkpoint and the ones to prune, checks the notice before the schedule, and deletes one
// object at a time.
import { DeleteObjectCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
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

interface Stored {
  key: string;
  state: ModelState;
}

async function readAll(env: TrainingEnv): Promise<Stored[]> {
  const listing = await env.s3.send(new ListObjectsV2Command({ Bucket: env.bucket, Prefix: env.checkpointPrefix }));
  const stored: Stored[] = [];
  for (const { Key } of listing.Contents ?? []) {
    const object = await env.s3.send(new GetObjectCommand({ Bucket: env.bucket, Key }));
    stored.push({ key: Key!, state: JSON.parse(await object.Body!.transformToString()) as ModelState });
  }
  return stored.sort((a, b) => a.state.epoch - b.state.epoch);
}

async function noticeOut(env: TrainingEnv): Promise<boolean> {
  try {
    const action = JSON.parse(await env.metadata('/latest/meta-data/spot/instance-action')) as { action: string };
    return action.action === 'terminate' || action.action === 'stop';
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode === 404) return false;
    throw error;
  }
}

export async function train(env: TrainingEnv): Promise<ModelState> {
  const existing = await readAll(env);
  let state = existing.at(-1)?.state ?? env.initialState();
  let lastWrite = env.now();
  while (state.epoch < env.totalEpochs) {
    state = await env.trainEpoch(state);
    const notice = await noticeOut(env);
    if (!notice && env.now().getTime() - lastWrite.getTime() < 120_000) continue;
    lastWrite = env.now();
    await env.s3.send(
      new PutObjectCommand({
        Bucket: env.bucket,
        Key: `${env.checkpointPrefix}ckpt-e${state.epoch.toString().padStart(5, '0')}.json`,
        Body: JSON.stringify(state),
      }),
    );
    const all = await readAll(env);
    for (const old of all.slice(0, -3)) {
      await env.s3.send(new DeleteObjectCommand({ Bucket: env.bucket, Key: old.key }));
    }
  }
  return state;
}

export function trainingJobRequest({ jobName, bucket, roleArn, imageUri, instanceType, maxRuntimeHours }: {
  jobName: string;
  bucket: string;
  roleArn: string;
  imageUri: string;
  instanceType: string;
  maxRuntimeHours: number;
}): CreateTrainingJobCommandInput {
  const maxRuntime = Math.round(maxRuntimeHours * 3600);
  return {
    TrainingJobName: jobName,
    RoleArn: roleArn,
    AlgorithmSpecification: { TrainingImage: imageUri, TrainingInputMode: 'File' },
    ResourceConfig: { InstanceType: instanceType as TrainingInstanceType, InstanceCount: 1, VolumeSizeInGB: 100 },
    OutputDataConfig: { S3OutputPath: `s3://${bucket}/` },
    StoppingCondition: { MaxRuntimeInSeconds: maxRuntime, MaxWaitTimeInSeconds: maxRuntime + 3 * 3600 },
    EnableManagedSpotTraining: true,
    CheckpointConfig: { S3Uri: `s3://${bucket}/checkpoints/${jobName}/`, LocalPath: '/opt/ml/checkpoints' },
    Tags: [{ Key: 'team', Value: 'vision' }],
  };
}
