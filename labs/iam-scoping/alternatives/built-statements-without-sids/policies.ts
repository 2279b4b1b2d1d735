// Alternative: statements built by small functions, one per resource family, split differently
// from the reference and without Sids (the grader then names them by position). TLS is a
// condition on every S3 Allow.

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

type Conditions = NonNullable<Statement['Condition']>;

const account = '111122223333';
const region = 'us-east-1';
const sagemaker = (resource: string) => `arn:aws:sagemaker:${region}:${account}:${resource}`;
const glue = (resource: string) => `arn:aws:glue:${region}:${account}:${resource}`;
const s3 = (path: string) => `arn:aws:s3:::${path}`;

function allow(actions: string[], resources: string[], condition?: Conditions): Statement {
  return { Effect: 'Allow', Action: actions, Resource: resources, ...(condition ? { Condition: condition } : {}) };
}

/** S3 grants always travel with the TLS condition. */
function allowS3(actions: string[], resources: string[], condition: Conditions = {}): Statement {
  return allow(actions, resources, { ...condition, Bool: { 'aws:SecureTransport': 'true' } });
}

function policy(...statements: Statement[]): PolicyDocument {
  return { Version: '2012-10-17', Statement: statements };
}

const passExecutionRole = allow([`iam:PassRole`], [`arn:aws:iam::${account}:role/SageMakerExecution`], {
  StringEquals: { 'iam:PassedToService': 'sagemaker.amazonaws.com' },
});

export const dataScientist = policy(
  allowS3(['s3:GetObject'], [s3('acme-ml-datalake/processed/*')]),
  allowS3(['s3:GetObject'], [s3('acme-ml-datalake/curated/*')]),
  allowS3(['s3:ListBucket'], [s3('acme-ml-datalake')], { StringLike: { 's3:prefix': ['processed/*', 'curated/*'] } }),
  allowS3(['s3:GetObject', 's3:PutObject', 's3:DeleteObject'], [s3('acme-ml-experiments/${aws:username}/*')]),
  allowS3(['s3:ListBucket'], [s3('acme-ml-experiments')], { StringLike: { 's3:prefix': ['${aws:username}/*'] } }),
  allow(['sagemaker:StartNotebookInstance', 'sagemaker:StopNotebookInstance'], [sagemaker('notebook-instance/nb-${aws:username}')]),
  allow(['sagemaker:CreatePresignedNotebookInstanceUrl', 'sagemaker:DescribeNotebookInstance'], [sagemaker('notebook-instance/nb-${aws:username}')]),
  allow(['sagemaker:CreateTrainingJob'], [sagemaker('training-job/*')]),
  allow(['sagemaker:DescribeTrainingJob', 'sagemaker:StopTrainingJob'], [sagemaker('training-job/*')]),
  passExecutionRole,
);

export const mlEngineer = policy(
  allow(['sagemaker:CreateTrainingJob', 'sagemaker:DescribeTrainingJob', 'sagemaker:StopTrainingJob'], [sagemaker('training-job/*')]),
  allow(['sagemaker:CreateModel', 'sagemaker:DescribeModel', 'sagemaker:DeleteModel'], [sagemaker('model/*')]),
  allow(['sagemaker:CreateEndpointConfig', 'sagemaker:DescribeEndpointConfig', 'sagemaker:DeleteEndpointConfig'], [sagemaker('endpoint-config/*')]),
  allow(
    ['sagemaker:CreateEndpoint', 'sagemaker:UpdateEndpoint'],
    [sagemaker('endpoint/staging-*'), sagemaker('endpoint/prod-*'), sagemaker('endpoint-config/*')],
  ),
  allow(['sagemaker:DescribeEndpoint', 'sagemaker:DeleteEndpoint'], [sagemaker('endpoint/staging-*'), sagemaker('endpoint/prod-*')]),
  passExecutionRole,
  allowS3(['s3:GetObject'], [s3('acme-ml-models/*')]),
  allowS3(['s3:PutObject'], [s3('acme-ml-models/*')]),
  allow(['cloudwatch:GetMetricData', 'cloudwatch:ListMetrics'], ['*']),
  allow(['cloudwatch:DescribeAlarms'], [`arn:aws:cloudwatch:${region}:${account}:alarm:*`]),
  allow(['logs:GetLogEvents', 'logs:FilterLogEvents'], [`arn:aws:logs:${region}:${account}:log-group:/aws/sagemaker/*`]),
);

export const dataEngineer = policy(
  allow(['glue:StartJobRun', 'glue:GetJobRun', 'glue:GetJobRuns'], [glue('job/etl-*')]),
  allow(['glue:GetJob', 'glue:UpdateJob'], [glue('job/etl-*')]),
  allow(['glue:GetDatabase'], [glue('catalog'), glue('database/datalake')]),
  allow(
    ['glue:GetTable', 'glue:GetTables', 'glue:CreateTable', 'glue:UpdateTable', 'glue:GetPartitions', 'glue:BatchCreatePartition'],
    [glue('catalog'), glue('database/datalake'), glue('table/datalake/*')],
  ),
  allowS3(['s3:GetObject', 's3:PutObject'], [s3('acme-ml-datalake/*')]),
  allowS3(['s3:ListBucket'], [s3('acme-ml-datalake')]),
  allow(
    ['elasticmapreduce:AddJobFlowSteps', 'elasticmapreduce:DescribeStep', 'elasticmapreduce:ListSteps', 'elasticmapreduce:DescribeCluster'],
    [`arn:aws:elasticmapreduce:${region}:${account}:cluster/*`],
  ),
);

export const productionServing = policy(
  allow(['sagemaker:InvokeEndpoint', 'sagemaker:DescribeEndpoint', 'sagemaker:UpdateEndpointWeightsAndCapacities'], [sagemaker('endpoint/prod-*')]),
  allow(
    ['application-autoscaling:RegisterScalableTarget', 'application-autoscaling:PutScalingPolicy'],
    [`arn:aws:application-autoscaling:${region}:${account}:scalable-target/*`],
    { StringEquals: { 'application-autoscaling:service-namespace': 'sagemaker' } },
  ),
  allow(['application-autoscaling:DescribeScalableTargets', 'application-autoscaling:DescribeScalingPolicies'], ['*']),
  allow(['cloudwatch:PutMetricData'], ['*'], { StringEquals: { 'cloudwatch:namespace': 'Acme/Serving' } }),
  allow(['cloudwatch:PutMetricAlarm', 'cloudwatch:DescribeAlarms'], [`arn:aws:cloudwatch:${region}:${account}:alarm:prod-*`]),
  allowS3(['s3:GetObject'], [s3('acme-ml-models/*')]),
);
