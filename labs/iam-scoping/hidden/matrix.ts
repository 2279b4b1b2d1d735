// Hidden cases: the same rules as the steps, on requests the public matrix does not show.
// They catch policies that match the examples instead of the rule (a prefix without its
// slash, prod* instead of prod-*, a role passed to any service…). CLI only.

import { allow, deny } from '../matrix.ts';
import type { AccessGroup } from '../matrix.ts';
import { ACCOUNT, BUCKETS, METRICS_NAMESPACE, REGION, SAGEMAKER_EXECUTION_ROLE, SAGEMAKER_SERVICE, SCALABLE_TARGET, arn } from '../platform.ts';

const { lake, experiments, models } = BUCKETS;
const sm = arn.sagemaker;
const passTo = (service: string) => ({ context: { 'iam:PassedToService': service } });

export const hiddenGroups: AccessGroup[] = [
  {
    id: 'ds-boundaries',
    title: 'Data scientists stay inside their prefixes, notebooks and training rights',
    role: 'dataScientist',
    rule: 'Each user owns exactly <username>/ and nb-<username>; raw/ is never readable; SageMakerExecution goes only to SageMaker; no endpoint changes (step 2).',
    cases: [
      // User 'ali' is a prefix of 'alice': ${aws:username}* would hand ali alice's experiments.
      deny('s3:GetObject', arn.object(experiments, 'alice/run-7/metrics.json'), { user: 'ali' }),
      deny('s3:ListBucket', arn.bucket(experiments), { user: 'ali', context: { 's3:prefix': 'alice/' } }),
      allow('s3:GetObject', arn.object(experiments, 'ali/run-1/metrics.json'), { user: 'ali' }),
      // A pattern like */processed/* or *processed* reaches into raw/.
      deny('s3:GetObject', arn.object(lake, 'raw/processed/2024/03/01/clicks.json')),
      deny('s3:ListBucket', arn.bucket(lake), { context: { 's3:prefix': 'raw/processed/' } }),
      deny('sagemaker:StopNotebookInstance', sm('notebook-instance', 'nb-bob')),
      deny('sagemaker:StartNotebookInstance', sm('notebook-instance', 'nb-alice2')),
      deny('iam:PassRole', SAGEMAKER_EXECUTION_ROLE, passTo('ec2.amazonaws.com')),
      deny('iam:PassRole', arn.role('AdminAccess'), passTo(SAGEMAKER_SERVICE)),
      deny('sagemaker:CreateEndpointConfig', sm('endpoint-config', 'prod-recs-v99')),
      deny('sagemaker:DeleteEndpoint', sm('endpoint', 'prod-recs')),
      deny('s3:DeleteBucket', arn.bucket(experiments)),
    ],
  },
  {
    id: 'mle-boundaries',
    title: 'ML engineers pass exactly one role, to one service, and read only what they observe',
    role: 'mlEngineer',
    rule: 'iam:PassRole on SageMakerExecution only, to sagemaker.amazonaws.com only; endpoints are staging-* or prod-*; CloudWatch and the SageMaker logs are read-only; no data-lake writes (step 3).',
    cases: [
      // role/SageMakerExecution* would also match this role.
      deny('iam:PassRole', arn.role('SageMakerExecutionAdmin'), passTo(SAGEMAKER_SERVICE)),
      deny('iam:PassRole', SAGEMAKER_EXECUTION_ROLE, passTo('glue.amazonaws.com')),
      deny('iam:PassRole', SAGEMAKER_EXECUTION_ROLE, passTo('lambda.amazonaws.com')),
      deny('sagemaker:CreateEndpoint', sm('endpoint', 'product-search')),
      deny('logs:DeleteLogGroup', arn.logGroup('/aws/sagemaker/TrainingJobs')),
      deny('logs:GetLogEvents', arn.logStream('/aws/lambda/billing-export', '2024/03/01/[$LATEST]abc')),
      deny('s3:PutObject', arn.object(lake, 'curated/features/users.parquet')),
      deny('s3:DeleteBucket', arn.bucket(lake)),
      allow('sagemaker:DeleteEndpoint', sm('endpoint', 'prod-recs-canary')),
    ],
  },
  {
    id: 'de-boundaries',
    title: 'Data engineers stay inside the data lake, its catalog and its ETL jobs',
    role: 'dataEngineer',
    rule: 'etl-* jobs only; catalog database datalake only; every bucket delete refused; no experiments or model artifacts; EMR steps, not clusters; no SageMaker (step 4).',
    cases: [
      deny('s3:DeleteBucket', arn.bucket(experiments)),
      deny('s3:DeleteBucket', arn.bucket(models)),
      deny('s3:GetObject', arn.object(experiments, 'alice/run-7/metrics.json')),
      deny('s3:PutObject', arn.object(models, 'recs/v42/model.tar.gz')),
      deny('glue:StartJobRun', arn.glue('job/finance-etl-monthly')),
      deny('glue:GetTable', arn.glue('database/finance')),
      deny('glue:GetTables', arn.glue('table/finance/ledger')),
      deny('elasticmapreduce:RunJobFlow', '*'),
      deny('sagemaker:CreateProcessingJob', `arn:aws:sagemaker:${REGION}:${ACCOUNT}:processing-job/etl-features`),
      deny('iam:PassRole', SAGEMAKER_EXECUTION_ROLE, passTo(SAGEMAKER_SERVICE)),
      allow('s3:GetObject', arn.object(lake, 'curated/features/2024/03/01/sessions.parquet')),
    ],
  },
  {
    id: 'ps-boundaries',
    title: 'Production serving touches prod-* endpoints, SageMaker scaling targets and its own metrics only',
    role: 'productionServing',
    rule: 'prod-* (with the dash) only; scaling only for the sagemaker namespace; metrics only in Acme/Serving; alarms only prod-*; S3 read-only on model artifacts; no deployments (step 5).',
    cases: [
      // prod* without the dash also matches another team's endpoint.
      deny('sagemaker:InvokeEndpoint', sm('endpoint', 'product-search')),
      deny('sagemaker:CreateEndpoint', sm('endpoint', 'prod-recs')),
      deny('sagemaker:UpdateEndpoint', sm('endpoint', 'prod-recs')),
      deny('application-autoscaling:RegisterScalableTarget', arn.scalableTarget(SCALABLE_TARGET), {
        context: {
          'application-autoscaling:service-namespace': 'dynamodb',
          'application-autoscaling:scalable-dimension': 'dynamodb:table:WriteCapacityUnits',
        },
      }),
      deny('cloudwatch:PutMetricData', '*', { context: { 'cloudwatch:namespace': `${METRICS_NAMESPACE}Internal` } }),
      deny('cloudwatch:PutMetricAlarm', arn.alarm('billing-monthly-spend')),
      deny('cloudwatch:DeleteAlarms', arn.alarm('prod-recs-latency')),
      deny('s3:DeleteObject', arn.object(models, 'recs/v42/model.tar.gz')),
      deny('s3:ListBucket', arn.bucket(lake)),
      allow('sagemaker:InvokeEndpoint', sm('endpoint', 'prod-recs-canary')),
    ],
  },
];
