// The public request matrix: what each role must be able to do, and what it must not. Every
// row follows a rule the steps state; hidden/matrix.ts adds the cases that tell understanding
// from pattern matching. Each group is one check.

import { BUCKETS, EMR_CLUSTER, METRICS_NAMESPACE, SAGEMAKER_EXECUTION_ROLE, SAGEMAKER_SERVICE, SCALABLE_TARGET, arn } from './platform.ts';
import type { RoleName } from './platform.ts';

export interface AccessCase {
  expect: 'allow' | 'deny';
  action: string;
  resource: string;
  /** Data scientists only: which IAM user asks (default alice). */
  user?: string;
  /** Request context beyond the principal's own keys; aws:SecureTransport is 'true' unless set. */
  context?: Record<string, string | string[]>;
}

export interface AccessGroup {
  /** The check id. */
  id: string;
  title: string;
  role: RoleName;
  /** The rule of the steps these cases test, quoted when one fails. */
  rule: string;
  cases: AccessCase[];
}

export const allow = (action: string, resource: string, extra: Omit<AccessCase, 'expect' | 'action' | 'resource'> = {}): AccessCase => ({
  expect: 'allow', action, resource, ...extra,
});
export const deny = (action: string, resource: string, extra: Omit<AccessCase, 'expect' | 'action' | 'resource'> = {}): AccessCase => ({
  expect: 'deny', action, resource, ...extra,
});

const { lake, experiments, models } = BUCKETS;
const sm = arn.sagemaker;
const passTo = (service: string) => ({ context: { 'iam:PassedToService': service } });
const prefix = (p: string) => ({ context: { 's3:prefix': p, 's3:delimiter': '/' } });
const asUser = (user: string) => ({ user });
const scaling = (namespace: string) => ({
  context: {
    'application-autoscaling:service-namespace': namespace,
    'application-autoscaling:scalable-dimension': `${namespace}:variant:DesiredInstanceCount`,
  },
});

export const publicGroups: AccessGroup[] = [
  // --- Step 2: data scientist -------------------------------------------------------------
  {
    id: 'ds-read-lake',
    title: 'Data scientists read processed/ and curated/ in the data lake, never raw/',
    role: 'dataScientist',
    rule: 'Data scientists read objects under processed/ and curated/ only, and write nothing in the data lake (step 2).',
    cases: [
      allow('s3:GetObject', arn.object(lake, 'processed/clicks/2024/03/01/part-0000.parquet')),
      allow('s3:GetObject', arn.object(lake, 'curated/features/users.parquet')),
      deny('s3:GetObject', arn.object(lake, 'raw/2024/clicks.json')),
      deny('s3:PutObject', arn.object(lake, 'processed/clicks/2024/03/01/part-0001.parquet')),
    ],
  },
  {
    id: 'ds-list-lake',
    title: 'Data scientists list only the processed/ and curated/ prefixes of the data lake',
    role: 'dataScientist',
    rule: 's3:ListBucket is granted on the bucket; a Condition on s3:prefix limits what can be listed (step 2).',
    cases: [
      allow('s3:ListBucket', arn.bucket(lake), prefix('processed/')),
      allow('s3:ListBucket', arn.bucket(lake), prefix('curated/features/')),
      deny('s3:ListBucket', arn.bucket(lake), prefix('raw/')),
      deny('s3:ListBucket', arn.bucket(lake)),
    ],
  },
  {
    id: 'ds-own-experiments',
    title: 'Each data scientist reads, writes and lists only their own experiments prefix',
    role: 'dataScientist',
    rule: 'acme-ml-experiments/<username>/ belongs to that user alone; one statement serves every user through ${aws:username} (step 2).',
    cases: [
      allow('s3:GetObject', arn.object(experiments, 'alice/run-7/metrics.json')),
      allow('s3:PutObject', arn.object(experiments, 'alice/run-8/model.tar.gz')),
      allow('s3:DeleteObject', arn.object(experiments, 'alice/run-6/scratch.csv')),
      allow('s3:ListBucket', arn.bucket(experiments), prefix('alice/')),
      allow('s3:PutObject', arn.object(experiments, 'bob/run-1/notes.md'), asUser('bob')),
      allow('s3:ListBucket', arn.bucket(experiments), { ...prefix('bob/run-1/'), user: 'bob' }),
      deny('s3:GetObject', arn.object(experiments, 'bob/run-1/notes.md')),
      deny('s3:ListBucket', arn.bucket(experiments), prefix('bob/')),
    ],
  },
  {
    id: 'ds-own-notebook',
    title: 'Each data scientist starts, stops and opens only their own notebook instance',
    role: 'dataScientist',
    rule: 'Notebook instance nb-<username> belongs to that user alone (step 2).',
    cases: [
      allow('sagemaker:StartNotebookInstance', sm('notebook-instance', 'nb-alice')),
      allow('sagemaker:StopNotebookInstance', sm('notebook-instance', 'nb-alice')),
      allow('sagemaker:CreatePresignedNotebookInstanceUrl', sm('notebook-instance', 'nb-alice')),
      allow('sagemaker:DescribeNotebookInstance', sm('notebook-instance', 'nb-alice')),
      allow('sagemaker:CreatePresignedNotebookInstanceUrl', sm('notebook-instance', 'nb-bob'), asUser('bob')),
      deny('sagemaker:CreatePresignedNotebookInstanceUrl', sm('notebook-instance', 'nb-bob')),
    ],
  },
  {
    id: 'ds-training',
    title: 'Data scientists start training jobs but never deploy to production',
    role: 'dataScientist',
    rule: 'Data scientists create, describe and stop training jobs (passing SageMakerExecution to SageMaker) and touch no prod-* endpoint (step 2).',
    cases: [
      allow('sagemaker:CreateTrainingJob', sm('training-job', 'alice-resnet-7')),
      allow('sagemaker:DescribeTrainingJob', sm('training-job', 'alice-resnet-7')),
      allow('sagemaker:StopTrainingJob', sm('training-job', 'alice-resnet-7')),
      allow('iam:PassRole', SAGEMAKER_EXECUTION_ROLE, passTo(SAGEMAKER_SERVICE)),
      deny('sagemaker:CreateEndpoint', sm('endpoint', 'prod-recs')),
      deny('sagemaker:UpdateEndpoint', sm('endpoint', 'prod-recs')),
    ],
  },

  // --- Step 3: ML engineer ----------------------------------------------------------------
  {
    id: 'mle-build',
    title: 'ML engineers run training jobs and manage models and endpoint configs',
    role: 'mlEngineer',
    rule: 'ML engineers create, describe and stop training jobs, and create, describe and delete models and endpoint configs (step 3).',
    cases: [
      allow('sagemaker:CreateTrainingJob', sm('training-job', 'recs-2024-03-01')),
      allow('sagemaker:DescribeTrainingJob', sm('training-job', 'recs-2024-03-01')),
      allow('sagemaker:StopTrainingJob', sm('training-job', 'recs-2024-03-01')),
      allow('sagemaker:CreateModel', sm('model', 'recs-v42')),
      allow('sagemaker:DescribeModel', sm('model', 'recs-v42')),
      allow('sagemaker:DeleteModel', sm('model', 'recs-v41')),
      allow('sagemaker:CreateEndpointConfig', sm('endpoint-config', 'prod-recs-v42')),
      allow('sagemaker:DescribeEndpointConfig', sm('endpoint-config', 'prod-recs-v42')),
      allow('sagemaker:DeleteEndpointConfig', sm('endpoint-config', 'prod-recs-v40')),
    ],
  },
  {
    id: 'mle-endpoints',
    title: 'ML engineers deploy to staging-* and prod-* endpoints, and to no other',
    role: 'mlEngineer',
    rule: 'ML engineers create, update, describe and delete staging-* and prod-* endpoints; CreateEndpoint and UpdateEndpoint are authorized on the endpoint AND on its endpoint config (step 3).',
    cases: [
      allow('sagemaker:CreateEndpoint', sm('endpoint', 'staging-recs')),
      allow('sagemaker:CreateEndpoint', sm('endpoint', 'prod-recs')),
      allow('sagemaker:CreateEndpoint', sm('endpoint-config', 'prod-recs-v42')),
      allow('sagemaker:UpdateEndpoint', sm('endpoint', 'prod-recs')),
      allow('sagemaker:UpdateEndpoint', sm('endpoint-config', 'prod-recs-v43')),
      allow('sagemaker:DescribeEndpoint', sm('endpoint', 'staging-recs')),
      allow('sagemaker:DeleteEndpoint', sm('endpoint', 'staging-recs')),
      deny('sagemaker:CreateEndpoint', sm('endpoint', 'research-demo')),
    ],
  },
  {
    id: 'mle-pass-role',
    title: 'ML engineers pass only the SageMakerExecution role, and only to SageMaker',
    role: 'mlEngineer',
    rule: 'iam:PassRole on SageMakerExecution only, with iam:PassedToService sagemaker.amazonaws.com (step 3).',
    cases: [
      allow('iam:PassRole', SAGEMAKER_EXECUTION_ROLE, passTo(SAGEMAKER_SERVICE)),
      deny('iam:PassRole', SAGEMAKER_EXECUTION_ROLE, passTo('ec2.amazonaws.com')),
      deny('iam:PassRole', arn.role('AdminAccess'), passTo(SAGEMAKER_SERVICE)),
    ],
  },
  {
    id: 'mle-artifacts',
    title: 'ML engineers read model artifacts and write new ones',
    role: 'mlEngineer',
    rule: 'ML engineers get and put objects in acme-ml-models and never delete a bucket (step 3).',
    cases: [
      allow('s3:GetObject', arn.object(models, 'recs/v41/model.tar.gz')),
      allow('s3:PutObject', arn.object(models, 'recs/v42/model.tar.gz')),
      deny('s3:DeleteBucket', arn.bucket(models)),
    ],
  },
  {
    id: 'mle-observe',
    title: 'ML engineers read CloudWatch metrics, alarms and the SageMaker logs, and change none',
    role: 'mlEngineer',
    rule: 'CloudWatch read: GetMetricData and ListMetrics, DescribeAlarms, and the /aws/sagemaker/* log groups; no writes (step 3).',
    cases: [
      allow('cloudwatch:GetMetricData', '*'),
      allow('cloudwatch:ListMetrics', '*'),
      allow('cloudwatch:DescribeAlarms', arn.alarm('prod-recs-latency')),
      allow('logs:GetLogEvents', arn.logStream('/aws/sagemaker/TrainingJobs', 'recs-2024-03-01/algo-1-1709294400')),
      allow('logs:FilterLogEvents', arn.logGroup('/aws/sagemaker/Endpoints/prod-recs')),
      deny('cloudwatch:DeleteAlarms', arn.alarm('prod-recs-latency')),
      deny('cloudwatch:PutMetricAlarm', arn.alarm('prod-recs-latency')),
    ],
  },

  // --- Step 4: data engineer --------------------------------------------------------------
  {
    id: 'de-etl',
    title: 'Data engineers run and update the etl-* Glue jobs, and no other job',
    role: 'dataEngineer',
    rule: 'glue:StartJobRun, GetJobRun, GetJobRuns, GetJob and UpdateJob on jobs named etl-* (step 4).',
    cases: [
      allow('glue:StartJobRun', arn.glue('job/etl-clicks-daily')),
      allow('glue:GetJobRun', arn.glue('job/etl-clicks-daily')),
      allow('glue:GetJobRuns', arn.glue('job/etl-clicks-daily')),
      allow('glue:GetJob', arn.glue('job/etl-sessions-hourly')),
      allow('glue:UpdateJob', arn.glue('job/etl-sessions-hourly')),
      deny('glue:StartJobRun', arn.glue('job/finance-ledger')),
    ],
  },
  {
    id: 'de-catalog',
    title: 'Data engineers read and update the datalake database of the Glue catalog',
    role: 'dataEngineer',
    rule: 'Glue catalog calls are authorized on the catalog, the database AND the table; grant all three for database datalake, and nothing in other databases (step 4).',
    cases: [
      allow('glue:GetDatabase', arn.glue('catalog')),
      allow('glue:GetDatabase', arn.glue('database/datalake')),
      allow('glue:GetTable', arn.glue('catalog')),
      allow('glue:GetTable', arn.glue('database/datalake')),
      allow('glue:GetTable', arn.glue('table/datalake/clicks')),
      allow('glue:GetTables', arn.glue('table/datalake/sessions')),
      allow('glue:CreateTable', arn.glue('table/datalake/sessions_v2')),
      allow('glue:UpdateTable', arn.glue('table/datalake/clicks')),
      allow('glue:GetPartitions', arn.glue('table/datalake/clicks')),
      allow('glue:BatchCreatePartition', arn.glue('table/datalake/clicks')),
      deny('glue:GetTable', arn.glue('table/finance/ledger')),
    ],
  },
  {
    id: 'de-lake',
    title: 'Data engineers read and write the whole data lake, and never delete a bucket',
    role: 'dataEngineer',
    rule: 'Data engineers get, put and list everything in acme-ml-datalake; nothing deletes a bucket (step 4).',
    cases: [
      allow('s3:GetObject', arn.object(lake, 'raw/2024/clicks.json')),
      allow('s3:PutObject', arn.object(lake, 'processed/clicks/2024/03/01/part-0000.parquet')),
      allow('s3:PutObject', arn.object(lake, 'curated/features/users.parquet')),
      allow('s3:ListBucket', arn.bucket(lake)),
      allow('s3:ListBucket', arn.bucket(lake), prefix('raw/')),
      deny('s3:DeleteBucket', arn.bucket(lake)),
    ],
  },
  {
    id: 'de-emr',
    title: 'Data engineers run steps on EMR clusters, and only steps',
    role: 'dataEngineer',
    rule: 'elasticmapreduce:AddJobFlowSteps, DescribeStep, ListSteps and DescribeCluster on the clusters; creating or terminating clusters is not theirs (step 4).',
    cases: [
      allow('elasticmapreduce:AddJobFlowSteps', arn.emrCluster(EMR_CLUSTER)),
      allow('elasticmapreduce:DescribeStep', arn.emrCluster(EMR_CLUSTER)),
      allow('elasticmapreduce:ListSteps', arn.emrCluster(EMR_CLUSTER)),
      allow('elasticmapreduce:DescribeCluster', arn.emrCluster(EMR_CLUSTER)),
      deny('elasticmapreduce:TerminateJobFlows', arn.emrCluster(EMR_CLUSTER)),
    ],
  },
  {
    id: 'de-no-sagemaker',
    title: 'Data engineers can do nothing in SageMaker',
    role: 'dataEngineer',
    rule: 'The data engineer policy grants no SageMaker action at all (step 4).',
    cases: [
      deny('sagemaker:CreateTrainingJob', sm('training-job', 'etl-features')),
      deny('sagemaker:InvokeEndpoint', sm('endpoint', 'prod-recs')),
      deny('sagemaker:CreateNotebookInstance', sm('notebook-instance', 'nb-etl')),
      deny('sagemaker:ListTrainingJobs', '*'),
    ],
  },

  // --- Step 5: production serving ---------------------------------------------------------
  {
    id: 'ps-invoke',
    title: 'Production serving invokes prod-* endpoints and never staging-*',
    role: 'productionServing',
    rule: 'sagemaker:InvokeEndpoint on prod-* endpoints only (step 5).',
    cases: [
      allow('sagemaker:InvokeEndpoint', sm('endpoint', 'prod-recs')),
      allow('sagemaker:InvokeEndpoint', sm('endpoint', 'prod-fraud')),
      deny('sagemaker:InvokeEndpoint', sm('endpoint', 'staging-recs')),
    ],
  },
  {
    id: 'ps-scaling',
    title: 'Production serving scales the prod-* endpoints with Application Auto Scaling',
    role: 'productionServing',
    rule: 'Register scalable targets and put scaling policies for SageMaker (condition application-autoscaling:service-namespace), describe them, and describe and resize prod-* endpoints (step 5).',
    cases: [
      allow('application-autoscaling:RegisterScalableTarget', arn.scalableTarget(SCALABLE_TARGET), scaling('sagemaker')),
      allow('application-autoscaling:PutScalingPolicy', arn.scalableTarget(SCALABLE_TARGET), scaling('sagemaker')),
      allow('application-autoscaling:DescribeScalableTargets', '*'),
      allow('application-autoscaling:DescribeScalingPolicies', '*'),
      allow('sagemaker:DescribeEndpoint', sm('endpoint', 'prod-recs')),
      allow('sagemaker:UpdateEndpointWeightsAndCapacities', sm('endpoint', 'prod-recs')),
      deny('sagemaker:UpdateEndpointWeightsAndCapacities', sm('endpoint', 'staging-recs')),
    ],
  },
  {
    id: 'ps-metrics-alarms',
    title: 'Production serving publishes metrics to Acme/Serving and manages the prod-* alarms',
    role: 'productionServing',
    rule: `cloudwatch:PutMetricData only into the ${METRICS_NAMESPACE} namespace (condition cloudwatch:namespace); PutMetricAlarm and DescribeAlarms on alarms named prod-* (step 5).`,
    cases: [
      allow('cloudwatch:PutMetricData', '*', { context: { 'cloudwatch:namespace': METRICS_NAMESPACE } }),
      allow('cloudwatch:PutMetricAlarm', arn.alarm('prod-recs-latency')),
      allow('cloudwatch:DescribeAlarms', arn.alarm('prod-recs-latency')),
      deny('cloudwatch:PutMetricData', '*', { context: { 'cloudwatch:namespace': 'Acme/Billing' } }),
    ],
  },
  {
    id: 'ps-artifacts',
    title: 'Production serving reads model artifacts and writes nothing to S3',
    role: 'productionServing',
    rule: 'Production serving gets objects from acme-ml-models only (step 5).',
    cases: [
      allow('s3:GetObject', arn.object(models, 'recs/v42/model.tar.gz')),
      deny('s3:PutObject', arn.object(models, 'recs/v42/model.tar.gz')),
      deny('s3:GetObject', arn.object(lake, 'curated/features/users.parquet')),
    ],
  },
];
