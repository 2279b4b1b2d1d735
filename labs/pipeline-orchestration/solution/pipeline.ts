// The nightly churn-model pipeline as a Step Functions state machine, and how to start it.

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

const TRANSIENT_GLUE = ['Glue.ThrottlingException', 'Glue.ConcurrentRunsExceededException', 'Glue.InternalServiceException'];
const TRANSIENT_LAMBDA = ['Lambda.TooManyRequestsException', 'Lambda.ServiceException'];
const TRANSIENT_SAGEMAKER = ['SageMaker.ResourceLimitExceededException', 'SageMaker.ThrottlingException'];

/** Retry only what may work the next time, with growing waits: 30 s, 60 s, 120 s. */
function retryOn(errors: string[]) {
  return [{ ErrorEquals: errors, IntervalSeconds: 30, BackoffRate: 2, MaxAttempts: 3 }];
}

/** Anything else goes to the failure notice, with the error under $.error (the input kept). */
const TO_FAILURE_NOTICE = [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'NotifyFailure' }];

export function definition(r: PipelineResources): StateMachineDefinition {
  return {
    Comment: 'Features → training → evaluation → quality gate → human approval → deployment, with a notice for every outcome',
    StartAt: 'BuildFeatures',
    States: {
      BuildFeatures: {
        Type: 'Task',
        Resource: 'arn:aws:states:::glue:startJobRun.sync',
        Parameters: { JobName: r.featureJob, Arguments: { '--dataset_uri.$': '$.datasetUri', '--run_id.$': '$.runId' } },
        ResultPath: '$.features',
        Retry: retryOn(TRANSIENT_GLUE),
        Catch: TO_FAILURE_NOTICE,
        Next: 'TrainModel',
      },
      TrainModel: {
        Type: 'Task',
        Resource: 'arn:aws:states:::sagemaker:createTrainingJob.sync',
        Parameters: {
          'TrainingJobName.$': '$.modelName',
          RoleArn: r.trainingRoleArn,
          AlgorithmSpecification: { TrainingImage: r.trainingImage, TrainingInputMode: 'File' },
          InputDataConfig: [
            { ChannelName: 'train', DataSource: { S3DataSource: { S3DataType: 'S3Prefix', 'S3Uri.$': '$.datasetUri', S3DataDistributionType: 'FullyReplicated' } } },
          ],
          OutputDataConfig: { S3OutputPath: r.modelOutputUri },
          ResourceConfig: { InstanceType: 'ml.m5.xlarge', InstanceCount: 1, VolumeSizeInGB: 30 },
          StoppingCondition: { MaxRuntimeInSeconds: 86400 },
        },
        ResultSelector: { 'modelArtifacts.$': '$.ModelArtifacts.S3ModelArtifacts' },
        ResultPath: '$.training',
        Retry: retryOn(TRANSIENT_SAGEMAKER),
        Catch: TO_FAILURE_NOTICE,
        Next: 'EvaluateModel',
      },
      EvaluateModel: {
        Type: 'Task',
        Resource: 'arn:aws:states:::lambda:invoke',
        Parameters: { FunctionName: r.evaluateFunctionArn, Payload: { 'modelArtifacts.$': '$.training.modelArtifacts' } },
        ResultSelector: { 'accuracy.$': '$.Payload.accuracy' },
        ResultPath: '$.evaluation',
        Retry: retryOn(TRANSIENT_LAMBDA),
        Catch: TO_FAILURE_NOTICE,
        Next: 'GoodEnough',
      },
      GoodEnough: {
        Type: 'Choice',
        Choices: [{ Variable: '$.evaluation.accuracy', NumericGreaterThanEquals: r.minAccuracy, Next: 'AskForApproval' }],
        Default: 'NotifyNotDeployed',
      },
      AskForApproval: {
        Type: 'Task',
        Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
        Parameters: {
          FunctionName: r.approvalFunctionArn,
          Payload: { 'taskToken.$': '$$.Task.Token', 'modelName.$': '$.modelName', 'accuracy.$': '$.evaluation.accuracy' },
        },
        TimeoutSeconds: 86400,
        ResultPath: '$.approval',
        Retry: retryOn(TRANSIENT_LAMBDA),
        Catch: TO_FAILURE_NOTICE,
        Next: 'Approved',
      },
      Approved: {
        Type: 'Choice',
        Choices: [{ Variable: '$.approval.approved', BooleanEquals: true, Next: 'DeployModel' }],
        Default: 'NotifyNotDeployed',
      },
      DeployModel: {
        Type: 'Task',
        Resource: 'arn:aws:states:::lambda:invoke',
        Parameters: { FunctionName: r.deployFunctionArn, Payload: { 'modelName.$': '$.modelName', 'modelArtifacts.$': '$.training.modelArtifacts' } },
        ResultSelector: { 'endpointName.$': '$.Payload.endpointName' },
        ResultPath: '$.deployment',
        Retry: retryOn(TRANSIENT_LAMBDA),
        Catch: TO_FAILURE_NOTICE,
        Next: 'NotifyDeployed',
      },
      NotifyDeployed: {
        Type: 'Task',
        Resource: 'arn:aws:states:::sns:publish',
        Parameters: { TopicArn: r.topicArn, Subject: 'Model deployed', 'Message.$': "States.Format('{} is live on {}', $.modelName, $.deployment.endpointName)" },
        End: true,
      },
      NotifyNotDeployed: {
        Type: 'Task',
        Resource: 'arn:aws:states:::sns:publish',
        Parameters: { TopicArn: r.topicArn, Subject: 'Model not deployed', 'Message.$': "States.Format('{} was not deployed', $.modelName)" },
        End: true,
      },
      NotifyFailure: {
        Type: 'Task',
        Resource: 'arn:aws:states:::sns:publish',
        Parameters: { TopicArn: r.topicArn, Subject: 'Pipeline failed', 'Message.$': "States.Format('{} failed: {}', $.modelName, $.error.Error)" },
        Next: 'PipelineFailed',
      },
      PipelineFailed: { Type: 'Fail', Error: 'PipelineFailed', Cause: 'A step failed; the failure notice says which.' },
    },
  };
}

const RUN_ID = /^[A-Za-z0-9_-]{1,63}$/;
const MODEL_NAME = /^[A-Za-z0-9](-*[A-Za-z0-9]){0,62}$/;

function validate(input: RunInput): void {
  if (!input || typeof input !== 'object') throw new Error('startRun: the input must be an object { runId, datasetUri, modelName }.');
  if (typeof input.runId !== 'string' || !RUN_ID.test(input.runId)) {
    throw new Error(`startRun: runId ${JSON.stringify(input.runId)} must be 1–63 letters, digits, '-' or '_'.`);
  }
  if (typeof input.datasetUri !== 'string' || !/^s3:\/\/[a-z0-9.-]{3,63}\/.+/.test(input.datasetUri)) {
    throw new Error(`startRun: datasetUri ${JSON.stringify(input.datasetUri)} must be an s3:// URI with a bucket and a key.`);
  }
  if (typeof input.modelName !== 'string' || !MODEL_NAME.test(input.modelName)) {
    throw new Error(`startRun: modelName ${JSON.stringify(input.modelName)} must be 1–63 letters, digits and single '-' (a SageMaker training job name).`);
  }
}

/** The execution's ARN: its state machine's, with 'execution' for 'stateMachine' and the name added. */
function executionArn(stateMachineArn: string, name: string): string {
  return `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
}

export async function startRun(sfn: SFNClient, stateMachineArn: string, input: RunInput): Promise<string> {
  validate(input);
  // The run id names the execution: a retried start is the same execution, never a second one.
  const name = input.runId;
  const text = JSON.stringify({ runId: input.runId, datasetUri: input.datasetUri, modelName: input.modelName });
  try {
    const out = await sfn.send(new StartExecutionCommand({ stateMachineArn, name, input: text }));
    return out.executionArn!;
  } catch (error) {
    // Already started (and perhaps finished): that run is this run.
    if (error instanceof ExecutionAlreadyExists) return executionArn(stateMachineArn, name);
    throw error;
  }
}
