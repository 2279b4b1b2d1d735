// The IAM engine as a specification: what IAM refuses, what the lint flags, how requests are
// decided and how verdicts are put into words.

import { describe, expect, it } from 'vitest';
import { evaluate, principalContext } from '../../grader/iam/evaluate.ts';
import type { AccessRequest } from '../../grader/iam/evaluate.ts';
import { describeRequest, explainAllowed, explainDenied } from '../../grader/iam/explain.ts';
import { grammarProblems } from '../../grader/iam/grammar.ts';
import { lintDocument } from '../../grader/iam/lint.ts';
import { policySize, snapshotPolicy } from '../../grader/iam/policy.ts';
import { statementSpans } from '../../grader/iam/positions.ts';
import { actionInfo, expandActionPattern, supportsResourceLevelPermissions } from '../../grader/iam/services.ts';

const policy = (...Statement: object[]) => ({ Version: '2012-10-17', Statement });
const problems = (document: unknown, strict = true) =>
  grammarProblems(document, JSON.stringify(document), { requireCurrentVersion: strict }).map((p) => p.message);

describe('grammar', () => {
  it('accepts a valid identity policy', () => {
    expect(problems(policy({ Sid: 'Read1', Effect: 'Allow', Action: ['s3:GetObject'], Resource: 'arn:aws:s3:::b/*' }))).toEqual([]);
  });

  it('refuses what IAM refuses', () => {
    const cases: [object, RegExp][] = [
      [policy(), /at least one statement/],
      [policy({ Effect: 'Allow', Action: 's3:GetObject' }), /Resource or NotResource is required/],
      [policy({ Effect: 'allow', Action: 's3:GetObject', Resource: '*' }), /Effect must be/],
      [policy({ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: '*' }), /Principal is not allowed/],
      [policy({ Sid: 'read-lake', Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }), /only ASCII letters and digits/],
      [policy({ Sid: 'A', Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }, { Sid: 'A', Effect: 'Deny', Action: 's3:PutObject', Resource: '*' }), /must be unique/],
      [policy({ Effect: 'Allow', Action: 's3:GetObject', Resource: 'acme-ml-datalake/*' }), /must be "\*" or an ARN/],
      [policy({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*', Condition: { StringLikee: { 's3:prefix': 'a' } } }), /not a condition operator/],
      [policy({ Effect: 'Allow', Action: [], Resource: '*' }), /empty list/],
      [policy({ Effect: 'Allow', Action: 's3GetObject', Resource: '*' }), /2 segments/],
      [policy({ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/caf\u00e9\u2013x' }), /U\+2013/],
      [{ Version: '2012-10-18', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] }, /Version must be/],
    ];
    for (const [document, message] of cases) expect(problems(document).join(' | '), JSON.stringify(document)).toMatch(message);
  });

  it('requires Version 2012-10-17 in labs, because policy variables need it, but not as IAM does', () => {
    const noVersion = { Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/${aws:username}/*' }] };
    expect(problems(noVersion).join()).toMatch(/\$\{aws:username\} is plain text/);
    expect(problems(noVersion, false)).toEqual([]);
  });

  it('accepts every operator spelling IAM does', () => {
    const ops = ['StringEquals', 'StringLikeIfExists', 'ForAnyValue:StringLike', 'ForAllValues:StringEquals', 'Null', 'BoolIfExists', 'ArnLike', 'NumericLessThanEquals', 'DateGreaterThan', 'IpAddress'];
    for (const op of ops) expect(problems(policy({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*', Condition: { [op]: { 'aws:SourceIp': '10.0.0.0/8' } } })), op).toEqual([]);
  });

  it('does not crash on values that are not policies', () => {
    expect(problems(null)).toEqual(['a policy is an object { Version, Statement }, not null']);
    expect(problems([1])).toEqual(['a policy is an object { Version, Statement }, not an array']);
  });
});

describe('policy snapshots and size', () => {
  it('sends what JSON.stringify sends, and says when it cannot', () => {
    expect(snapshotPolicy(undefined)).toEqual({ ok: false, problem: 'it is undefined (is it exported?)' });
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(snapshotPolicy(cyclic)).toMatchObject({ ok: false });
    const withGetter = { Version: '2012-10-17', get Statement() { return [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }]; } };
    expect(snapshotPolicy(withGetter)).toMatchObject({ ok: true, document: { Statement: [{ Effect: 'Allow' }] } });
  });

  it('counts characters as IAM does, without white space', () => {
    expect(policySize('{ "Version": "2012-10-17",\n  "Statement": [] }')).toBe('{"Version":"2012-10-17","Statement":[]}'.length);
  });
});

describe('service data', () => {
  it('knows the actions of the platform services and their resource types', async () => {
    expect(await actionInfo('s3:GetObject')).toMatchObject({ name: 's3:GetObject', resourceTypes: expect.arrayContaining(['object']) });
    expect(await actionInfo('s3:GetObjekt')).toBeUndefined();
    expect(await actionInfo('ec2:RunInstances')).toBeUndefined();
    expect((await expandActionPattern('sagemaker:*TrainingJob')).sort()).toEqual(
      expect.arrayContaining(['sagemaker:CreateTrainingJob', 'sagemaker:DescribeTrainingJob', 'sagemaker:StopTrainingJob']),
    );
  });

  it('tells scopable actions from those that only work with "*"', async () => {
    const scopable = async (action: string) => supportsResourceLevelPermissions((await actionInfo(action))!);
    expect(await scopable('s3:GetObject')).toBe(true);
    expect(await scopable('cloudwatch:DescribeAlarms')).toBe(true);
    expect(await scopable('s3:ListAllMyBuckets')).toBe(false);
    expect(await scopable('application-autoscaling:DescribeScalableTargets')).toBe(false);
    // Optional CloudWatch datasets aside, a metric call names no resource.
    expect(await scopable('cloudwatch:PutMetricData')).toBe(false);
    expect(await scopable('cloudwatch:GetMetricData')).toBe(false);
  });
});

describe('lint', () => {
  const rules = async (document: object) => (await lintDocument(document, JSON.stringify(document))).map((f) => f.rule);

  it('flags wildcard actions, Resource "*" on scopable actions, Allow with NotAction, unknown actions', async () => {
    expect(await rules(policy({ Effect: 'Allow', Action: '*', Resource: 'arn:aws:s3:::b' }))).toContain('wildcard-action');
    expect(await rules(policy({ Effect: 'Allow', Action: 'glue:*', Resource: 'arn:aws:glue:us-east-1:111122223333:job/x' }))).toEqual(['wildcard-action']);
    expect(await rules(policy({ Effect: 'Allow', Action: 's3:Get*', Resource: '*' }))).toEqual(['resource-star']);
    expect(await rules(policy({ Effect: 'Allow', NotAction: 'iam:*', Resource: 'arn:aws:s3:::b/*' }))).toEqual(['allow-notaction']);
    expect(await rules(policy({ Effect: 'Allow', Action: 'glue:StartJobRuns', Resource: 'arn:aws:glue:us-east-1:111122223333:job/x' }))).toEqual(['unknown-action']);
    expect(await rules(policy({ Effect: 'Allow', Action: 'ec2:RunInstances', Resource: 'arn:aws:ec2:us-east-1:111122223333:instance/*' }))).toEqual(['unknown-action']);
    expect(await rules(policy({ Effect: 'Allow', Action: 's3:Gett*', Resource: 'arn:aws:s3:::b/*' }))).toEqual(['unknown-action']);
  });

  it('lets a Deny be broad and "*" serve the actions that have no resource type', async () => {
    expect(await rules(policy({ Effect: 'Deny', Action: 's3:*', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }))).toEqual([]);
    expect(await rules(policy({ Effect: 'Deny', NotAction: 's3:GetObject', Resource: '*' }))).toEqual([]);
    expect(await rules(policy({ Effect: 'Allow', Action: ['cloudwatch:ListMetrics', 'cloudwatch:PutMetricData', 's3:ListAllMyBuckets'], Resource: '*' }))).toEqual([]);
  });

  it('flags a policy over 6,144 characters without white space', async () => {
    const statements = Array.from({ length: 60 }, (_, i) => ({ Sid: `S${i}`, Effect: 'Allow', Action: 's3:GetObject', Resource: `arn:aws:s3:::bucket-number-${i}/objects/*` }));
    expect(await rules(policy(...statements))).toEqual(['size']);
  });
});

describe('evaluation', () => {
  const alice = 'arn:aws:iam::111122223333:user/alice';
  const session = 'arn:aws:sts::111122223333:assumed-role/MLEngineer/ml-eng';
  const decide = async (document: object, request: AccessRequest) => evaluate([{ name: 'p', document }], request);

  it('fills in what AWS knows about the principal', () => {
    expect(principalContext(alice)).toMatchObject({ 'aws:username': 'alice', 'aws:PrincipalType': 'User' });
    expect(principalContext(session)).toMatchObject({ 'aws:PrincipalArn': 'arn:aws:iam::111122223333:role/MLEngineer', 'aws:PrincipalType': 'AssumedRole' });
    expect(principalContext(session)).not.toHaveProperty('aws:username');
  });

  it('decides as AWS: explicit deny wins, then allow, else implicit deny', async () => {
    const document = policy(
      { Sid: 'Read', Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::lake/*' },
      { Sid: 'Tls', Effect: 'Deny', Action: 's3:*', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } },
    );
    const request = (resource: string, secure: string): AccessRequest => ({ principal: alice, action: 's3:GetObject', resource, context: { 'aws:SecureTransport': secure } });
    expect((await decide(document, request('arn:aws:s3:::lake/a', 'true'))).decision).toBe('allowed');
    expect((await decide(document, request('arn:aws:s3:::lake/a', 'false'))).decision).toBe('explicitDeny');
    expect((await decide(document, request('arn:aws:s3:::other/a', 'true'))).decision).toBe('implicitDeny');
  });

  it('resolves ${aws:username} for users and leaves roles without one', async () => {
    const document = policy({ Effect: 'Allow', Action: 's3:PutObject', Resource: 'arn:aws:s3:::exp/${aws:username}/*' });
    expect((await decide(document, { principal: alice, action: 's3:PutObject', resource: 'arn:aws:s3:::exp/alice/x' })).decision).toBe('allowed');
    expect((await decide(document, { principal: alice, action: 's3:PutObject', resource: 'arn:aws:s3:::exp/bob/x' })).decision).toBe('implicitDeny');
    expect((await decide(document, { principal: session, action: 's3:PutObject', resource: 'arn:aws:s3:::exp/ml-eng/x' })).decision).toBe('implicitDeny');
  });

  it('refuses to evaluate actions of services the platform does not model', async () => {
    await expect(decide(policy({ Effect: 'Allow', Action: 'ec2:*', Resource: '*' }), { principal: alice, action: 'ec2:RunInstances', resource: '*' })).rejects.toThrow(/only actions of s3, sagemaker/);
  });
});

describe('verdicts in words', () => {
  const alice = 'arn:aws:iam::111122223333:user/alice';
  const document = policy(
    { Sid: 'ReadLake', Effect: 'Allow', Action: 's3:Get*', Resource: 'arn:aws:s3:::acme-ml-datalake/*' },
    { Sid: 'List', Effect: 'Allow', Action: 's3:ListBucket', Resource: 'arn:aws:s3:::acme-ml-datalake', Condition: { StringLike: { 's3:prefix': ['processed/*'] } } },
  );

  it('names the statement that allows, and why it covers the request', async () => {
    const request: AccessRequest = { principal: alice, action: 's3:GetObject', resource: 'arn:aws:s3:::acme-ml-datalake/raw/2024/clicks.json', context: { 'aws:SecureTransport': 'true' } };
    const verdict = await evaluate([{ name: 'dataScientist', document }], request);
    expect(describeRequest(request)).toBe('s3:GetObject on arn:aws:s3:::acme-ml-datalake/raw/2024/clicks.json');
    expect(explainAllowed(verdict, request)).toBe(
      "statement 'ReadLake' allows it: its Action s3:Get* covers s3:GetObject, its Resource arn:aws:s3:::acme-ml-datalake/* covers arn:aws:s3:::acme-ml-datalake/raw/2024/clicks.json, it has no Condition",
    );
  });

  it('names the statement that came closest when nothing allows', async () => {
    const request: AccessRequest = { principal: alice, action: 's3:ListBucket', resource: 'arn:aws:s3:::acme-ml-datalake', context: { 's3:prefix': 'curated/' } };
    const verdict = await evaluate([{ name: 'dataScientist', document }], request);
    expect(describeRequest(request)).toBe("s3:ListBucket on arn:aws:s3:::acme-ml-datalake (s3:prefix 'curated/')");
    expect(explainDenied(verdict, request)).toBe(
      "no statement allows it (implicit deny): statement 'List' names s3:ListBucket but its condition StringLike s3:prefix 'processed/*' does not hold (request: 'curated/')",
    );
    const noAllow: AccessRequest = { principal: alice, action: 's3:PutObject', resource: 'arn:aws:s3:::acme-ml-datalake/x' };
    expect(explainDenied(await evaluate([{ name: 'p', document }], noAllow), noAllow)).toBe('no statement allows it (implicit deny): no Allow statement names s3:PutObject');
  });

  it('names an unnamed statement by its position', async () => {
    const unnamed = policy({ Effect: 'Allow', Action: 's3:PutObject', Resource: 'arn:aws:s3:::b/*' }, { Effect: 'Deny', Action: 's3:PutObject', Resource: 'arn:aws:s3:::b/secret/*' });
    const request: AccessRequest = { principal: alice, action: 's3:PutObject', resource: 'arn:aws:s3:::b/secret/x' };
    expect(explainDenied(await evaluate([{ name: 'p', document: unnamed }], request), request)).toMatch(/^statement #2 \(no Sid\) denies it/);
  });
});

describe('statement positions', () => {
  it('matches the positions AWS reports', () => {
    // The AWS CLI example of simulate-custom-policy reports EndPosition column 167 for this one-line policy.
    const text =
      '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"dynamodb:*","Resource":"*","Condition":{"DateGreaterThan":{"aws:CurrentTime":"2018-08-16T12:00:00Z"}}}}';
    expect(statementSpans(text)[0]?.EndPosition).toEqual({ Line: 1, Column: 167 });
    // Boto3 output for json.dumps(policy): the statement starts at column 41.
    const dumped = '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}';
    expect(statementSpans(dumped)[0]?.StartPosition).toEqual({ Line: 1, Column: 41 });
    const pretty = JSON.stringify(policy({ Effect: 'Allow', Action: 'a:b', Resource: '*' }, { Effect: 'Deny', Action: 'a:c', Resource: '*' }), null, 2);
    expect(statementSpans(pretty).map((s) => s.StartPosition.Line)).toEqual([4, 9]);
    expect(statementSpans('not json')).toEqual([]);
  });
});

describe('requests on no resource', () => {
  // An action with no resource type (cloudwatch:PutMetricData without a dataset) is a request on
  // literally "*": only a statement whose Resource matches "*" can grant it (issue 9 §1).
  const serving = 'arn:aws:sts::111122223333:assumed-role/ProductionServing/serving';
  const publish = {
    Sid: 'Publish', Effect: 'Allow', Action: 'cloudwatch:PutMetricData', Resource: '*',
    Condition: { StringEquals: { 'cloudwatch:namespace': 'Acme/Serving' } },
  };
  const alarms = { Sid: 'Alarms', Effect: 'Allow', Action: 'cloudwatch:PutMetric*', Resource: 'arn:aws:cloudwatch:us-east-1:111122223333:alarm:prod-*' };
  const putMetricData = (namespace: string): AccessRequest => ({
    principal: serving, action: 'cloudwatch:PutMetricData', resource: '*', context: { 'cloudwatch:namespace': namespace },
  });
  const decide = async (request: AccessRequest, ...statements: object[]) => evaluate([{ name: 'p', document: policy(...statements) }], request);

  it('never combines two statements that each deny alone', async () => {
    expect((await decide(putMetricData('Acme/Billing'), publish)).decision).toBe('implicitDeny');
    expect((await decide(putMetricData('Acme/Billing'), alarms)).decision).toBe('implicitDeny');
    expect((await decide(putMetricData('Acme/Billing'), publish, alarms)).decision).toBe('implicitDeny');
  });

  it('is granted by the statement on "*" alone, never by one that names ARNs', async () => {
    const both = await decide(putMetricData('Acme/Serving'), publish, alarms);
    expect(both.decision).toBe('allowed');
    expect(both.allowedBy.map((s) => s.label)).toEqual(["statement 'Publish'"]);
    expect((await decide(putMetricData('Acme/Serving'), alarms)).decision).toBe('implicitDeny');
  });

  it('treats NotResource and Deny as AWS does: "*" is not any ARN', async () => {
    const notAlarms = { Sid: 'NotAlarms', Effect: 'Allow', Action: 'cloudwatch:PutMetricData', NotResource: 'arn:aws:cloudwatch:us-east-1:111122223333:alarm:*' };
    const notStar = { Sid: 'NotStar', Effect: 'Allow', Action: 'cloudwatch:PutMetricData', NotResource: '*' };
    const denyAlarms = { Sid: 'DenyAlarms', Effect: 'Deny', Action: 'cloudwatch:PutMetricData', Resource: 'arn:aws:cloudwatch:us-east-1:111122223333:alarm:*' };
    const denyOutsideAlarms = { Sid: 'DenyOutside', Effect: 'Deny', Action: 'cloudwatch:*', NotResource: 'arn:aws:cloudwatch:us-east-1:111122223333:alarm:*' };
    expect((await decide(putMetricData('Acme/Serving'), notAlarms)).decision).toBe('allowed');
    expect((await decide(putMetricData('Acme/Serving'), notStar)).decision).toBe('implicitDeny');
    expect((await decide(putMetricData('Acme/Serving'), publish, denyAlarms)).decision).toBe('allowed');
    expect((await decide(putMetricData('Acme/Serving'), publish, denyOutsideAlarms)).decision).toBe('explicitDeny');
  });

  it('names the statement that names the action on ARNs when nothing grants "*"', async () => {
    const request = putMetricData('Acme/Serving');
    expect(explainDenied(await decide(request, alarms), request)).toBe(
      "no statement allows it (implicit deny): statement 'Alarms' names cloudwatch:PutMetricData (through cloudwatch:PutMetric*) but its Resource is " +
        'arn:aws:cloudwatch:us-east-1:111122223333:alarm:prod-*; cloudwatch:PutMetricData acts on no resource, so only a statement with "Resource": "*" grants it',
    );
  });
});

describe('conditions on a key the request does not have', () => {
  const alice = 'arn:aws:iam::111122223333:user/alice';
  const request: AccessRequest = { principal: alice, action: 's3:PutObject', resource: 'arn:aws:s3:::b/x' };
  const explainWith = async (operator: string, key = 'aws:TagKeys') => {
    const document = policy({ Sid: 'Put', Effect: 'Allow', Action: 's3:PutObject', Resource: 'arn:aws:s3:::b/*', Condition: { [operator]: { [key]: ['team'] } } });
    const verdict = await evaluate([{ name: 'p', document }], request);
    expect(verdict.decision).toBe('allowed');
    return explainAllowed(verdict, request);
  };

  it('says ForAllValues is true when the request has no such key', async () => {
    const message = await explainWith('ForAllValues:StringEquals');
    expect(message).toContain("its condition ForAllValues:StringEquals aws:TagKeys 'team' (the request has no aws:TagKeys, and ForAllValues is true when the request has no such key) holds");
    expect(message).not.toContain('IfExists');
  });

  it('says IfExists passes, and a negated operator holds, on a missing key', async () => {
    expect(await explainWith('StringEqualsIfExists')).toContain('(the request has no aws:TagKeys, so IfExists passes)');
    expect(await explainWith('StringNotEquals', 'aws:SourceVpc')).toContain('(the request has no aws:SourceVpc, and StringNotEquals, a negated operator, is true when the request has no such key)');
  });
});
