// Train on Spot without losing work. The training loop below works, but it starts from scratch
// on every instance and saves nothing: each Spot reclaim throws the whole run away.
// You will need some of these (they are allowed in this lab):
//   import { ListObjectsV2Command, GetObjectCommand, PutObjectCommand, DeleteObjectCommand } from '@aws-sdk/client-s3';
import type { S3Client } from '@aws-sdk/client-s3';
import type { CreateTrainingJobCommandInput } from '@aws-sdk/client-sagemaker';

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
  trainEpoch(state: ModelState): Promise<ModelState>; // trains epoch state.epoch + 1; deterministic; takes simulated time
  metadata(path: string): Promise<string>; // instance metadata, e.g. '/latest/meta-data/spot/instance-action'
  now(): Date; // simulated clock
}

/** Steps 1–3: resume from the newest checkpoint, checkpoint to S3, act on the interruption notice. */
export async function train(env: TrainingEnv): Promise<ModelState> {
  let state = env.initialState();
  while (state.epoch < env.totalEpochs) {
    state = await env.trainEpoch(state);
  }
  return state;
}

/** Step 4: the CreateTrainingJob request that runs this training as a SageMaker managed Spot job. */
export function trainingJobRequest(input: {
  jobName: string;
  bucket: string;
  roleArn: string;
  imageUri: string;
  instanceType: string;
  maxRuntimeHours: number;
}): CreateTrainingJobCommandInput {
  throw new Error(`Not implemented yet: trainingJobRequest for job ${input.jobName} (step 4)`);
}
