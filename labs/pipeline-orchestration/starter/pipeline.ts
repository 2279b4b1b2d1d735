// The nightly churn-model pipeline as a Step Functions state machine, and how to start it.
// Steps 1–3 build definition(); step 4 writes startRun().

import { ExecutionAlreadyExists, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';

/** What the platform team created for the pipeline (names and ARNs). */
export interface PipelineResources {
  /** The Glue ETL job that builds the features, e.g. 'churn-features'. */
  featureJob: string;
  /** The training container image (ECR). */
  trainingImage: string;
  /** The role SageMaker assumes to train. */
  trainingRoleArn: string;
  /** Where training writes the model, e.g. 's3://acme-ml-models/churn/'. */
  modelOutputUri: string;
  /** Lambda: { modelArtifacts } → { accuracy } (0–1). */
  evaluateFunctionArn: string;
  /** Lambda: { taskToken, modelName, accuracy } → emails the reviewer, who answers SendTaskSuccess({ approved }). */
  approvalFunctionArn: string;
  /** Lambda: { modelName, modelArtifacts } → { endpointName }. */
  deployFunctionArn: string;
  /** SNS topic for every outcome: deployed, not deployed, failed. */
  topicArn: string;
  /** A model is deployed only when its accuracy is at least this (0–1). */
  minAccuracy: number;
}

/** One run of the pipeline. */
export interface RunInput {
  /** Unique per nightly run, e.g. 'churn-2024-03-01': letters, digits, '-' and '_', at most 63. */
  runId: string;
  /** The raw data to build features from: an s3:// URI. */
  datasetUri: string;
  /** The name of the training job and of the model: letters, digits and '-', at most 63. */
  modelName: string;
}

/** An Amazon States Language definition, as a plain object. */
export interface StateMachineDefinition {
  Comment?: string;
  StartAt: string;
  TimeoutSeconds?: number;
  States: Record<string, Record<string, unknown>>;
}

/** The state machine, in Amazon States Language (steps 1–3). */
export function definition(resources: PipelineResources): StateMachineDefinition {
  throw new Error('Not implemented yet: definition');
}

/** Start one run of the pipeline and return its execution's ARN (step 4). */
export async function startRun(sfn: SFNClient, stateMachineArn: string, input: RunInput): Promise<string> {
  throw new Error('Not implemented yet: startRun');
}
