import { DeleteObjectCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import type { S3Client } from '@aws-sdk/client-s3';
import type { CreateTrainingJobCommandInput, TrainingInstanceType } from '@aws-sdk/client-sagemaker';

export interface ModelState {
  epoch: number; // epochs completed
  weights: string;
}

export interface TrainingEnv {
  s3: S3Client;
  bucket: string;
  checkpointPrefix: string; // ends with '/', e.g. 'checkpoints/resnet-42/'
  totalEpochs: number;
  initialState(): ModelState;
  trainEpoch(state: ModelState): Promise<ModelState>; // trains epoch state.epoch + 1; takes simulated time
  metadata(path: string): Promise<string>; // instance metadata
  now(): Date; // simulated clock
}

const KEEP = 3;
const SECONDS_BETWEEN_CHECKPOINTS = 120;
const INSTANCE_ACTION = '/latest/meta-data/spot/instance-action';

/** Zero-padded, so S3's byte order is epoch order: epoch-000009.json < epoch-000010.json. */
function checkpointKey(env: TrainingEnv, epoch: number): string {
  return `${env.checkpointPrefix}epoch-${String(epoch).padStart(6, '0')}.json`;
}

/** Every checkpoint key, oldest first (S3 returns keys in order, 1,000 a page). */
async function checkpointKeys(env: TrainingEnv): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await env.s3.send(
      new ListObjectsV2Command({ Bucket: env.bucket, Prefix: env.checkpointPrefix, ContinuationToken: token }),
    );
    for (const object of page.Contents ?? []) if (object.Key) keys.push(object.Key);
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return keys;
}

async function newestCheckpoint(env: TrainingEnv): Promise<ModelState | undefined> {
  const newest = (await checkpointKeys(env)).at(-1);
  if (!newest) return undefined;
  const object = await env.s3.send(new GetObjectCommand({ Bucket: env.bucket, Key: newest }));
  return JSON.parse(await object.Body!.transformToString()) as ModelState;
}

/** Write first, then prune: an older checkpoint goes only once a newer one is safely in S3. */
async function saveCheckpoint(env: TrainingEnv, state: ModelState): Promise<void> {
  await env.s3.send(
    new PutObjectCommand({
      Bucket: env.bucket,
      Key: checkpointKey(env, state.epoch),
      Body: JSON.stringify(state),
      ContentType: 'application/json',
    }),
  );
  const keys = await checkpointKeys(env);
  for (const key of keys.slice(0, Math.max(0, keys.length - KEEP))) {
    await env.s3.send(new DeleteObjectCommand({ Bucket: env.bucket, Key: key }));
  }
}

/** The metadata service answers 404 until AWS schedules an interruption. */
async function interruptionNoticed(env: TrainingEnv): Promise<boolean> {
  try {
    await env.metadata(INSTANCE_ACTION);
    return true;
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode === 404) return false;
    throw error;
  }
}

export async function train(env: TrainingEnv): Promise<ModelState> {
  let state = env.initialState();
  let lastSave = env.now().getTime();
  while (state.epoch < env.totalEpochs) {
    state = await env.trainEpoch(state);
    // Save on a schedule (at most every 2 minutes), and at once when the notice is out: with
    // epochs longer than the notice the schedule saves every epoch; with shorter ones the
    // notice arrives while there is still time to act on it.
    const due = env.now().getTime() - lastSave >= SECONDS_BETWEEN_CHECKPOINTS * 1000;
    if (due || (await interruptionNoticed(env))) {
      lastSave = env.now().getTime();
      await saveCheckpoint(env, state);
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
  const maxRuntime = Math.round(input.maxRuntimeHours * 3600);
  return {
    TrainingJobName: input.jobName,
    RoleArn: input.roleArn,
    AlgorithmSpecification: { TrainingImage: input.imageUri, TrainingInputMode: 'File' },
    ResourceConfig: { InstanceType: input.instanceType as TrainingInstanceType, InstanceCount: 1, VolumeSizeInGB: 50 },
    OutputDataConfig: { S3OutputPath: `s3://${input.bucket}/output/` },
    EnableManagedSpotTraining: true,
    // Spot may wait for capacity and restart after a reclaim: give it twice the training time.
    StoppingCondition: { MaxRuntimeInSeconds: maxRuntime, MaxWaitTimeInSeconds: 2 * maxRuntime },
    CheckpointConfig: { S3Uri: `s3://${input.bucket}/checkpoints/${input.jobName}/`, LocalPath: '/opt/ml/checkpoints' },
  };
}
