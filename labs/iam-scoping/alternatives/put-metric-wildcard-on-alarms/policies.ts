// Alternative: the alarm statement names cloudwatch:PutMetric* on the prod-* alarm ARNs. On those
// ARNs the pattern grants PutMetricAlarm alone: PutMetricData acts on no resource, so only the
// statement on "*" with the namespace condition grants it (the two never combine).

export interface Statement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  NotResource?: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}

export interface PolicyDocument {
  Version: '2012-10-17';
  Statement: Statement[];
}

const ACCOUNT = '111122223333';
const REGION = 'us-east-1';
const SAGEMAKER = `arn:aws:sagemaker:${REGION}:${ACCOUNT}`;

/** Every S3 request over plain HTTP is refused, whatever an Allow says. */
const denyS3WithoutTls: Statement = {
  Sid: 'DenyS3WithoutTls',
  Effect: 'Deny',
  Action: 's3:*',
  Resource: '*',
  Condition: { Bool: { 'aws:SecureTransport': 'false' } },
};

const passExecutionRoleToSageMaker: Statement = {
  Sid: 'PassExecutionRoleToSageMaker',
  Effect: 'Allow',
  Action: 'iam:PassRole',
  Resource: `arn:aws:iam::${ACCOUNT}:role/SageMakerExecution`,
  Condition: { StringEquals: { 'iam:PassedToService': 'sagemaker.amazonaws.com' } },
};

export const dataScientist: PolicyDocument = {
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'ReadProcessedAndCurated',
      Effect: 'Allow',
      Action: 's3:GetObject',
      Resource: ['arn:aws:s3:::acme-ml-datalake/processed/*', 'arn:aws:s3:::acme-ml-datalake/curated/*'],
    },
    {
      Sid: 'ListProcessedAndCurated',
      Effect: 'Allow',
      Action: 's3:ListBucket',
      Resource: 'arn:aws:s3:::acme-ml-datalake',
      Condition: { StringLike: { 's3:prefix': ['processed/*', 'curated/*'] } },
    },
    {
      Sid: 'OwnExperiments',
      Effect: 'Allow',
      Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
      Resource: 'arn:aws:s3:::acme-ml-experiments/${aws:username}/*',
    },
    {
      Sid: 'ListOwnExperiments',
      Effect: 'Allow',
      Action: 's3:ListBucket',
      Resource: 'arn:aws:s3:::acme-ml-experiments',
      Condition: { StringLike: { 's3:prefix': '${aws:username}/*' } },
    },
    {
      Sid: 'OwnNotebook',
      Effect: 'Allow',
      Action: [
        'sagemaker:StartNotebookInstance',
        'sagemaker:StopNotebookInstance',
        'sagemaker:CreatePresignedNotebookInstanceUrl',
        'sagemaker:DescribeNotebookInstance',
      ],
      Resource: `${SAGEMAKER}:notebook-instance/nb-\${aws:username}`,
    },
    {
      Sid: 'TrainingJobs',
      Effect: 'Allow',
      Action: ['sagemaker:CreateTrainingJob', 'sagemaker:DescribeTrainingJob', 'sagemaker:StopTrainingJob'],
      Resource: `${SAGEMAKER}:training-job/*`,
    },
    passExecutionRoleToSageMaker,
    denyS3WithoutTls,
  ],
};

export const mlEngineer: PolicyDocument = {
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'TrainingJobs',
      Effect: 'Allow',
      Action: ['sagemaker:CreateTrainingJob', 'sagemaker:DescribeTrainingJob', 'sagemaker:StopTrainingJob'],
      Resource: `${SAGEMAKER}:training-job/*`,
    },
    {
      Sid: 'Models',
      Effect: 'Allow',
      Action: ['sagemaker:CreateModel', 'sagemaker:DescribeModel', 'sagemaker:DeleteModel'],
      Resource: `${SAGEMAKER}:model/*`,
    },
    {
      Sid: 'EndpointConfigs',
      Effect: 'Allow',
      Action: [
        'sagemaker:CreateEndpointConfig',
        'sagemaker:DescribeEndpointConfig',
        'sagemaker:DeleteEndpointConfig',
        // Deploying reads the config too: both calls are authorized on the endpoint config.
        'sagemaker:CreateEndpoint',
        'sagemaker:UpdateEndpoint',
      ],
      Resource: `${SAGEMAKER}:endpoint-config/*`,
    },
    {
      Sid: 'StagingAndProductionEndpoints',
      Effect: 'Allow',
      Action: ['sagemaker:CreateEndpoint', 'sagemaker:UpdateEndpoint', 'sagemaker:DescribeEndpoint', 'sagemaker:DeleteEndpoint'],
      Resource: [`${SAGEMAKER}:endpoint/staging-*`, `${SAGEMAKER}:endpoint/prod-*`],
    },
    passExecutionRoleToSageMaker,
    {
      Sid: 'ModelArtifacts',
      Effect: 'Allow',
      Action: ['s3:GetObject', 's3:PutObject'],
      Resource: 'arn:aws:s3:::acme-ml-models/*',
    },
    {
      Sid: 'ReadMetrics',
      Effect: 'Allow',
      Action: ['cloudwatch:GetMetricData', 'cloudwatch:GetMetricStatistics', 'cloudwatch:ListMetrics'],
      Resource: '*',
    },
    {
      Sid: 'ReadAlarms',
      Effect: 'Allow',
      Action: 'cloudwatch:DescribeAlarms',
      Resource: `arn:aws:cloudwatch:${REGION}:${ACCOUNT}:alarm:*`,
    },
    {
      Sid: 'ReadSageMakerLogs',
      Effect: 'Allow',
      Action: ['logs:DescribeLogStreams', 'logs:GetLogEvents', 'logs:FilterLogEvents'],
      Resource: `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/aws/sagemaker/*`,
    },
    denyS3WithoutTls,
  ],
};

export const dataEngineer: PolicyDocument = {
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'EtlJobs',
      Effect: 'Allow',
      Action: ['glue:StartJobRun', 'glue:GetJobRun', 'glue:GetJobRuns', 'glue:GetJob', 'glue:UpdateJob'],
      Resource: `arn:aws:glue:${REGION}:${ACCOUNT}:job/etl-*`,
    },
    {
      Sid: 'DatalakeCatalog',
      Effect: 'Allow',
      Action: [
        'glue:GetDatabase',
        'glue:GetTable',
        'glue:GetTables',
        'glue:CreateTable',
        'glue:UpdateTable',
        'glue:GetPartitions',
        'glue:BatchCreatePartition',
      ],
      Resource: [
        `arn:aws:glue:${REGION}:${ACCOUNT}:catalog`,
        `arn:aws:glue:${REGION}:${ACCOUNT}:database/datalake`,
        `arn:aws:glue:${REGION}:${ACCOUNT}:table/datalake/*`,
      ],
    },
    {
      Sid: 'ReadWriteLake',
      Effect: 'Allow',
      Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
      Resource: 'arn:aws:s3:::acme-ml-datalake/*',
    },
    {
      Sid: 'ListLake',
      Effect: 'Allow',
      Action: 's3:ListBucket',
      Resource: 'arn:aws:s3:::acme-ml-datalake',
    },
    {
      Sid: 'EmrSteps',
      Effect: 'Allow',
      Action: [
        'elasticmapreduce:AddJobFlowSteps',
        'elasticmapreduce:DescribeStep',
        'elasticmapreduce:ListSteps',
        'elasticmapreduce:DescribeCluster',
      ],
      Resource: `arn:aws:elasticmapreduce:${REGION}:${ACCOUNT}:cluster/*`,
    },
    denyS3WithoutTls,
  ],
};

export const productionServing: PolicyDocument = {
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'InvokeProductionEndpoints',
      Effect: 'Allow',
      Action: 'sagemaker:InvokeEndpoint',
      Resource: `${SAGEMAKER}:endpoint/prod-*`,
    },
    {
      Sid: 'ResizeProductionEndpoints',
      Effect: 'Allow',
      Action: ['sagemaker:DescribeEndpoint', 'sagemaker:UpdateEndpointWeightsAndCapacities'],
      Resource: `${SAGEMAKER}:endpoint/prod-*`,
    },
    {
      Sid: 'ScaleSageMakerTargets',
      Effect: 'Allow',
      Action: ['application-autoscaling:RegisterScalableTarget', 'application-autoscaling:PutScalingPolicy'],
      Resource: `arn:aws:application-autoscaling:${REGION}:${ACCOUNT}:scalable-target/*`,
      Condition: { StringEquals: { 'application-autoscaling:service-namespace': 'sagemaker' } },
    },
    {
      Sid: 'DescribeScaling',
      Effect: 'Allow',
      Action: ['application-autoscaling:DescribeScalableTargets', 'application-autoscaling:DescribeScalingPolicies'],
      Resource: '*',
    },
    {
      Sid: 'PublishServingMetrics',
      Effect: 'Allow',
      Action: 'cloudwatch:PutMetricData',
      Resource: '*',
      Condition: { StringEquals: { 'cloudwatch:namespace': 'Acme/Serving' } },
    },
    {
      Sid: 'ProductionAlarms',
      Effect: 'Allow',
      Action: ['cloudwatch:PutMetric*', 'cloudwatch:DescribeAlarms'],
      Resource: `arn:aws:cloudwatch:${REGION}:${ACCOUNT}:alarm:prod-*`,
    },
    {
      Sid: 'ReadModelArtifacts',
      Effect: 'Allow',
      Action: 's3:GetObject',
      Resource: 'arn:aws:s3:::acme-ml-models/*',
    },
    denyS3WithoutTls,
  ],
};
