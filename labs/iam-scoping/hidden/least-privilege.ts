// Least privilege, checked beyond the request matrix (hidden: it compares with the reference
// solution, which never reaches the browser). For each role, every request the learner's Allow
// statements could grant, over the platform's resources and their neighbours (grader/iam/
// differential.ts), is decided for the learner's policy and for the reference's; a request the
// learner allows and the reference denies is more than the steps list (step 6, rule 6).

import type { CheckContext } from '../../../grader/checks.ts';
import { overGrants } from '../../../grader/iam/differential.ts';
import type { ContextDimension, LabResource, RequestSpace } from '../../../grader/iam/differential.ts';
import { describeRequest, explainAllowed } from '../../../grader/iam/explain.ts';
import { accessLevelRank } from '../../../grader/iam/services.ts';
import { LEARNER_FILE, loadRole } from '../grading.ts';
import { ACCOUNT, BUCKETS, EMR_CLUSTER, METRICS_NAMESPACE, REGION, SAGEMAKER_EXECUTION_ROLE, SCALABLE_TARGET, arn, principalOf } from '../platform.ts';
import type { RoleName } from '../platform.ts';
import * as reference from '../solution/policies.ts';

const { lake, experiments, models } = BUCKETS;
const sm = arn.sagemaker;

/**
 * The platform's resources and, beside them, the neighbours a loose pattern reaches: other
 * teams' resources whose names extend ours (lab.md names them), users whose names share a
 * beginning, a notebook nb-<username>2. Another account and another region are added to every
 * ARN by the differential itself.
 */
export const PLATFORM_RESOURCES: LabResource[] = [
  ...[lake, experiments, models, `${lake}-pii`, `${experiments}-archive`, `${models}-public`].map((b) => ({ type: 's3:bucket', arn: arn.bucket(b) })),
  ...[
    [lake, 'raw/2024/clicks.json'],
    [lake, 'processed/clicks/2024/03/01/part-0000.parquet'],
    [lake, 'curated/features/users.parquet'],
    [lake, 'raw/processed/2024/03/01/clicks.json'],
    [lake, 'processed-pii/users/2024/03/01/part-0000.parquet'],
    [lake, 'curated-pii/features/users.parquet'],
    [experiments, 'alice/run-7/metrics.json'],
    [experiments, 'ali/run-1/metrics.json'],
    [experiments, 'bob/run-1/notes.md'],
    [models, 'recs/v42/model.tar.gz'],
    [`${lake}-pii`, 'processed/users/part-0000.parquet'],
    [`${experiments}-archive`, 'alice/run-1/metrics.json'],
    [`${models}-public`, 'recs/v42/model.tar.gz'],
  ].map(([b, key]) => ({ type: 's3:object', arn: arn.object(b!, key!) })),
  ...['nb-alice', 'nb-ali', 'nb-bob', 'nb-alice2'].map((n) => ({ type: 'sagemaker:notebook-instance', arn: sm('notebook-instance', n) })),
  ...['alice-resnet-7', 'recs-2024-03-01'].map((n) => ({ type: 'sagemaker:training-job', arn: sm('training-job', n) })),
  { type: 'sagemaker:model', arn: sm('model', 'recs-v42') },
  ...['prod-recs-v42', 'staging-recs-v7', 'product-search-v3'].map((n) => ({ type: 'sagemaker:endpoint-config', arn: sm('endpoint-config', n) })),
  ...['prod-recs', 'staging-recs', 'product-search', 'research-demo'].map((n) => ({ type: 'sagemaker:endpoint', arn: sm('endpoint', n) })),
  ...[SAGEMAKER_EXECUTION_ROLE, arn.role('SageMakerExecutionAdmin'), arn.role('AdminAccess')].map((a) => ({ type: 'iam:role', arn: a })),
  { type: 'glue:rootcatalog', arn: arn.glue('catalog') },
  ...['datalake', 'datalake_pii', 'finance'].map((d) => ({ type: 'glue:database', arn: arn.glue(`database/${d}`) })),
  ...['datalake/clicks', 'datalake_pii/users', 'finance/ledger'].map((t) => ({ type: 'glue:table', arn: arn.glue(`table/${t}`) })),
  ...['etl-clicks-daily', 'finance-etl-monthly'].map((j) => ({ type: 'glue:job', arn: arn.glue(`job/${j}`) })),
  { type: 'elasticmapreduce:cluster', arn: arn.emrCluster(EMR_CLUSTER) },
  ...['prod-recs-latency', 'production-cost-anomaly', 'billing-monthly-spend'].map((a) => ({ type: 'cloudwatch:alarm', arn: arn.alarm(a) })),
  ...['/aws/sagemaker/TrainingJobs', '/aws/sagemaker/Endpoints/prod-recs', '/aws/lambda/billing-export'].map((g) => ({ type: 'logs:log-group', arn: arn.logGroup(g) })),
  ...[
    ['/aws/sagemaker/TrainingJobs', 'recs-2024-03-01/algo-1-1709294400'],
    ['/aws/lambda/billing-export', '2024/03/01/[$LATEST]abc'],
  ].map(([g, s]) => ({ type: 'logs:log-stream', arn: arn.logStream(g!, s!) })),
  { type: 'application-autoscaling:ScalableTarget', arn: arn.scalableTarget(SCALABLE_TARGET) },
];

/**
 * Service principals a role can be passed to: the platform's own and the usual ways to run code
 * as a role (compute, containers, functions, pipelines, infrastructure as code).
 */
export const SERVICE_PRINCIPALS = [
  'sagemaker.amazonaws.com', 'ec2.amazonaws.com', 'lambda.amazonaws.com', 'glue.amazonaws.com', 'ecs-tasks.amazonaws.com',
  'elasticmapreduce.amazonaws.com', 'batch.amazonaws.com', 'states.amazonaws.com', 'codebuild.amazonaws.com',
  'cloudformation.amazonaws.com', 'events.amazonaws.com', 'datapipeline.amazonaws.com', 'eks.amazonaws.com', 'apprunner.amazonaws.com',
];

export const PLATFORM_DIMENSIONS: ContextDimension[] = [
  { keys: ['aws:SecureTransport'], values: [{ 'aws:SecureTransport': 'true' }, { 'aws:SecureTransport': 'false' }] },
  { keys: ['aws:RequestedRegion'], values: [{ 'aws:RequestedRegion': REGION }, { 'aws:RequestedRegion': 'eu-west-1' }] },
  { keys: ['iam:PassedToService'], values: SERVICE_PRINCIPALS.map((s) => ({ 'iam:PassedToService': s })) },
  {
    keys: ['s3:prefix'],
    values: [
      {},
      ...['processed/', 'processed', 'processed-pii/', 'curated/features/', 'curated-pii/', 'raw/', 'raw/processed/', 'alice/', 'alice', 'ali/', 'bob/'].map(
        (p) => ({ 's3:prefix': p }),
      ),
    ],
  },
  {
    keys: ['cloudwatch:namespace'],
    values: [METRICS_NAMESPACE, `${METRICS_NAMESPACE}Internal`, 'Acme/Billing', 'AWS/SageMaker'].map((n) => ({ 'cloudwatch:namespace': n })),
  },
  {
    keys: ['application-autoscaling:service-namespace', 'application-autoscaling:scalable-dimension'],
    values: [
      ['sagemaker', 'sagemaker:variant:DesiredInstanceCount'],
      ['dynamodb', 'dynamodb:table:WriteCapacityUnits'],
      ['ecs', 'ecs:service:DesiredCount'],
      ['lambda', 'lambda:function:ProvisionedConcurrency'],
    ].map(([namespace, dimension]) => ({
      'application-autoscaling:service-namespace': namespace!,
      'application-autoscaling:scalable-dimension': dimension!,
    })),
  },
];

/** The request space of a role: its principals and the platform's resources and context. */
export function requestSpace(role: RoleName): RequestSpace {
  return {
    // ali's name begins alice's: a prefix without its slash hands ali alice's prefix, and each
    // asks for the other's resources (bob's are asked for too, as resources).
    principals: role === 'dataScientist' ? ['alice', 'ali'].map((u) => principalOf(role, u)) : [principalOf(role)],
    resources: PLATFORM_RESOURCES,
    dimensions: PLATFORM_DIMENSIONS,
    baseContext: { 'aws:SecureTransport': 'true', 'aws:RequestedRegion': REGION },
    account: ACCOUNT,
    region: REGION,
    otherAccount: '444455556666',
    otherRegion: 'eu-west-1',
  };
}

const STEP: Record<RoleName, number> = { dataScientist: 2, mlEngineer: 3, dataEngineer: 4, productionServing: 5 };

export function leastPrivilegeRule(role: RoleName): string {
  return (
    `${role} may do what step ${STEP[role]} lists and nothing more; every action of the services its statements name is tried on the platform's ` +
    "resources, their neighbours (other teams' resources, other users, another account or region) and the context values its conditions read (step 6, rule 6)."
  );
}

function who(role: RoleName, principal: string): string {
  return role === 'dataScientist' ? `${role} (as user ${principal.split('/').pop()})` : role;
}

/** Over-grants a message shows; the rest are counted. */
const SHOWN = 3;

/** The items with the first of each group in front: a message shows one per statement and action first. */
function oneOfEachFirst<T>(items: readonly T[], group: (item: T) => string): T[] {
  const seen = new Set<string>();
  const first: T[] = [];
  const rest: T[] = [];
  for (const item of items) {
    const g = group(item);
    (seen.has(g) ? rest : first).push(item);
    seen.add(g);
  }
  return [...first, ...rest];
}

/** The body of a least-privilege check: nothing the role's policy allows goes beyond its step. */
export async function checkLeastPrivilege(context: CheckContext<unknown>, role: RoleName): Promise<void> {
  const module = context.submission.load<Record<string, unknown>>(LEARNER_FILE);
  const loaded = loadRole(module, role);
  if (!loaded.ok) context.fail(`${loaded.problem} Until IAM accepts the policy, what it allows cannot be compared.`);
  const referencePolicy = { name: role, document: JSON.parse(JSON.stringify(reference[role])) as unknown };
  const result = await overGrants(loaded.policy, referencePolicy, requestSpace(role));
  const found = result.overGrants.length;
  if (result.tooBroad && !found) {
    context.fail(
      `${result.tooBroad.statement} of ${role} could grant more than ${result.requests.toLocaleString('en-US')} different requests ` +
        `(every action its Action matches, on every resource its Resource matches), where step ${STEP[role]} lists a few dozen: ` +
        `name the actions and resources the step lists. Rule: ${leastPrivilegeRule(role)}`,
    );
  }
  if (!found) return;
  const byHarm = [...result.overGrants].sort((a, b) => accessLevelRank(a.accessLevel) - accessLevelRank(b.accessLevel));
  const shown = oneOfEachFirst(byHarm, (o) => `${o.verdict.allowedBy[0]?.label}|${o.request.action}`)
    .slice(0, SHOWN)
    .map(
      (o) =>
        `${who(role, o.request.principal)} must NOT be able to ${describeRequest(o.request)} (access level: ${o.accessLevel}), but ${explainAllowed(o.verdict, o.request)}.`,
    );
  const total = `${result.complete ? '' : 'at least '}${found} request${found > 1 ? 's' : ''}`;
  context.fail(`${shown.join(' ')} In all, ${total} beyond the list ${found > 1 ? 'are' : 'is'} allowed. Rule: ${leastPrivilegeRule(role)}`);
}
