// The differential check as a specification: what a policy allows beyond a reference, found
// over a request space of resources, their neighbours and the context values conditions read.

import { describe, expect, it } from 'vitest';
import { overGrants } from '../../grader/iam/differential.ts';
import type { RequestSpace } from '../../grader/iam/differential.ts';
import { evaluate, PolicyDecider } from '../../grader/iam/evaluate.ts';
import type { AccessRequest } from '../../grader/iam/evaluate.ts';
import type { NamedPolicy } from '../../grader/iam/policy.ts';

const ACCOUNT = '111122223333';
const alice = `arn:aws:iam::${ACCOUNT}:user/alice`;
const ali = `arn:aws:iam::${ACCOUNT}:user/ali`;
const role = `arn:aws:sts::${ACCOUNT}:assumed-role/Engineer/session`;

const policy = (...Statement: object[]): NamedPolicy => ({ name: 'p', document: { Version: '2012-10-17', Statement } });

const space = (extra: Partial<RequestSpace> = {}): RequestSpace => ({
  principals: [role],
  resources: [
    { type: 's3:bucket', arn: 'arn:aws:s3:::lake' },
    { type: 's3:bucket', arn: 'arn:aws:s3:::lake-pii' },
    { type: 's3:object', arn: 'arn:aws:s3:::lake/processed/a.parquet' },
    { type: 's3:object', arn: 'arn:aws:s3:::lake-pii/processed/a.parquet' },
    { type: 's3:object', arn: 'arn:aws:s3:::exp/alice/run.json' },
    { type: 's3:object', arn: 'arn:aws:s3:::exp/ali/run.json' },
    { type: 'iam:role', arn: `arn:aws:iam::${ACCOUNT}:role/Execution` },
    { type: 'sagemaker:endpoint', arn: `arn:aws:sagemaker:us-east-1:${ACCOUNT}:endpoint/prod-recs` },
  ],
  dimensions: [],
  baseContext: { 'aws:SecureTransport': 'true' },
  account: ACCOUNT,
  region: 'us-east-1',
  otherAccount: '444455556666',
  otherRegion: 'eu-west-1',
  ...extra,
});

const found = async (learner: NamedPolicy, reference: NamedPolicy, s = space()) =>
  (await overGrants(learner, reference, s)).overGrants.map((o) => ({
    action: o.request.action,
    resource: o.request.resource,
    principal: o.request.principal,
    context: o.request.context,
    statement: o.verdict.allowedBy.map((a) => a.label).join(', '),
  }));

describe('over-grants', () => {
  it('finds nothing when the learner allows what the reference does, written differently', async () => {
    const reference = policy({ Sid: 'Read', Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'], Resource: 'arn:aws:s3:::lake/*' });
    const learner = policy(
      { Sid: 'Get', Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::lake/*' },
      { Sid: 'Put', Effect: 'Allow', Action: 's3:putobject', Resource: ['arn:aws:s3:::lake/processed/*', 'arn:aws:s3:::lake/*'] },
    );
    expect(await found(learner, reference)).toEqual([]);
  });

  it('finds an action a wildcard also matches, named with the statement that allows it', async () => {
    const reference = policy({ Sid: 'Objects', Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'], Resource: 'arn:aws:s3:::exp/*' });
    const learner = policy({ Sid: 'Objects', Effect: 'Allow', Action: 's3:*Object*', Resource: 'arn:aws:s3:::exp/*' });
    const overs = await found(learner, reference);
    expect(overs.map((o) => o.action)).toContain('s3:PutObjectAcl');
    expect(overs.map((o) => o.action)).not.toContain('s3:GetObject');
    expect(overs.every((o) => o.statement === "statement 'Objects'")).toBe(true);
    // The most harmful first: access level Permissions management before Write, Read and List.
    expect(overs[0]!.action).toMatch(/Acl|Retention|Override|Bypass|LegalHold/);
  });

  it("finds a neighbour whose name extends the allowed one's", async () => {
    const reference = policy({ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::lake/*' });
    const learner = policy({ Sid: 'Lake', Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::lake*/*' });
    expect(await found(learner, reference)).toEqual([
      { action: 's3:GetObject', resource: 'arn:aws:s3:::lake-pii/processed/a.parquet', principal: role, context: { 'aws:SecureTransport': 'true' }, statement: "statement 'Lake'" },
    ]);
  });

  it('finds the same resource in another account and another region', async () => {
    const reference = policy({ Effect: 'Allow', Action: 'sagemaker:InvokeEndpoint', Resource: `arn:aws:sagemaker:us-east-1:${ACCOUNT}:endpoint/prod-*` });
    const learner = policy({ Effect: 'Allow', Action: 'sagemaker:InvokeEndpoint', Resource: 'arn:aws:sagemaker:*:*:endpoint/prod-*' });
    expect((await found(learner, reference)).map((o) => o.resource)).toEqual([
      'arn:aws:sagemaker:us-east-1:444455556666:endpoint/prod-recs',
      'arn:aws:sagemaker:eu-west-1:111122223333:endpoint/prod-recs',
    ]);
  });

  it('finds every service a denylist of services lets a role go to', async () => {
    const services = ['sagemaker.amazonaws.com', 'ec2.amazonaws.com', 'ecs-tasks.amazonaws.com', 'lambda.amazonaws.com'];
    const s = space({ dimensions: [{ keys: ['iam:PassedToService'], values: services.map((v) => ({ 'iam:PassedToService': v })) }] });
    const reference = policy({ Effect: 'Allow', Action: 'iam:PassRole', Resource: `arn:aws:iam::${ACCOUNT}:role/Execution`, Condition: { StringEquals: { 'iam:PassedToService': 'sagemaker.amazonaws.com' } } });
    const learner = policy({ Effect: 'Allow', Action: 'iam:PassRole', Resource: `arn:aws:iam::${ACCOUNT}:role/Execution`, Condition: { StringNotEquals: { 'iam:PassedToService': 'ec2.amazonaws.com' } } });
    expect((await found(learner, reference, s)).map((o) => o.context?.['iam:PassedToService'])).toEqual(['ecs-tasks.amazonaws.com', 'lambda.amazonaws.com']);
  });

  it('tries the values a condition names without their trailing slash, also when the lab lists none', async () => {
    const reference = policy({ Effect: 'Allow', Action: 's3:ListBucket', Resource: 'arn:aws:s3:::lake', Condition: { StringLike: { 's3:prefix': 'processed/*' } } });
    const learner = policy({ Effect: 'Allow', Action: 's3:ListBucket', Resource: 'arn:aws:s3:::lake', Condition: { StringLike: { 's3:prefix': 'processed*' } } });
    const prefixes = (await found(learner, reference)).map((o) => o.context?.['s3:prefix']);
    expect(prefixes).toContain('processed');
    expect(prefixes).toContain('processedx');
    expect(prefixes).not.toContain('processed/');
  });

  it('asks as each user when a statement reads who asks: ali is not alice', async () => {
    const s = space({ principals: [alice, ali] });
    const reference = policy({ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::exp/${aws:username}/*' });
    const learner = policy({ Sid: 'Own', Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::exp/${aws:username}*' });
    expect(await found(learner, reference, s)).toEqual([
      { action: 's3:GetObject', resource: 'arn:aws:s3:::exp/alice/run.json', principal: ali, context: { 'aws:SecureTransport': 'true' }, statement: "statement 'Own'" },
    ]);
  });

  it('asks requests on no resource literally', async () => {
    const namespaces = ['Acme/Serving', 'Acme/Billing'].map((n) => ({ 'cloudwatch:namespace': n }));
    const s = space({ dimensions: [{ keys: ['cloudwatch:namespace'], values: namespaces }] });
    const publish = { Effect: 'Allow', Action: 'cloudwatch:PutMetricData', Resource: '*', Condition: { StringEquals: { 'cloudwatch:namespace': 'Acme/Serving' } } };
    const alarms = { Effect: 'Allow', Action: 'cloudwatch:PutMetric*', Resource: `arn:aws:cloudwatch:us-east-1:${ACCOUNT}:alarm:prod-*` };
    const reference = policy(publish, { ...alarms, Action: 'cloudwatch:PutMetricAlarm' });
    expect(await found(policy(publish, alarms), reference, s)).toEqual([]);
    const { Condition: _namespace, ...publishAnywhere } = publish;
    const anyNamespace = (await found(policy(publishAnywhere), reference, s)).filter((o) => o.resource === '*');
    // The lab's other namespace, and the reference's own with a trailing slash.
    expect(anyNamespace.map((o) => o.context?.['cloudwatch:namespace'])).toEqual(['Acme/Billing', 'Acme/Serving/']);
  });

  it('counts what it asks: only requests the learner\'s statements could grant', async () => {
    const reference = policy({ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::lake/*' });
    const result = await overGrants(reference, reference, space());
    // s3:GetObject on the one object of lake/: nothing reads a context key or who asks.
    expect(result).toMatchObject({ overGrants: [], complete: true, requests: 1, decisions: 2 });
  });

  it('stops at its limit and says so', async () => {
    const reference = policy({ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::lake/*' });
    const learner = policy({ Effect: 'Allow', Action: 's3:Get*', Resource: 'arn:aws:s3:::*' });
    const result = await overGrants(learner, reference, space(), { limit: 3 });
    expect(result.overGrants).toHaveLength(3);
    expect(result.complete).toBe(false);
  });
});

describe('PolicyDecider', () => {
  it('decides as evaluate() does, requests on "*" and missing keys included', async () => {
    const document = {
      Version: '2012-10-17',
      Statement: [
        { Sid: 'Lake', Effect: 'Allow', Action: 's3:Get*', Resource: 'arn:aws:s3:::lake/*' },
        { Sid: 'List', Effect: 'Allow', Action: 's3:ListBucket', Resource: 'arn:aws:s3:::lake', Condition: { StringLike: { 's3:prefix': ['processed/*'] } } },
        { Sid: 'Own', Effect: 'Allow', Action: 's3:PutObject', Resource: 'arn:aws:s3:::exp/${aws:username}/*' },
        { Sid: 'Tls', Effect: 'Deny', Action: 's3:*', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } },
        { Sid: 'Metrics', Effect: 'Allow', Action: 'cloudwatch:PutMetricData', Resource: '*', Condition: { StringEquals: { 'cloudwatch:namespace': 'Acme/Serving' } } },
        { Sid: 'Alarms', Effect: 'Allow', Action: 'cloudwatch:PutMetric*', Resource: `arn:aws:cloudwatch:us-east-1:${ACCOUNT}:alarm:prod-*` },
        { Sid: 'Tags', Effect: 'Allow', Action: 's3:PutObjectTagging', Resource: 'arn:aws:s3:::lake/*', Condition: { 'ForAllValues:StringEquals': { 'aws:TagKeys': ['team'] } } },
      ],
    };
    const requests: AccessRequest[] = [];
    for (const principal of [alice, ali, role]) {
      for (const secure of ['true', 'false']) {
        const context = { 'aws:SecureTransport': secure };
        requests.push(
          { principal, action: 's3:GetObject', resource: 'arn:aws:s3:::lake/raw/x', context },
          { principal, action: 's3:GetObject', resource: 'arn:aws:s3:::lake-pii/raw/x', context },
          { principal, action: 's3:ListBucket', resource: 'arn:aws:s3:::lake', context: { ...context, 's3:prefix': 'processed/' } },
          { principal, action: 's3:ListBucket', resource: 'arn:aws:s3:::lake', context: { ...context, 's3:prefix': 'raw/' } },
          { principal, action: 's3:ListBucket', resource: 'arn:aws:s3:::lake', context },
          { principal, action: 's3:PutObject', resource: 'arn:aws:s3:::exp/alice/x', context },
          { principal, action: 's3:PutObjectTagging', resource: 'arn:aws:s3:::lake/x', context },
          { principal, action: 's3:PutObjectTagging', resource: 'arn:aws:s3:::lake/x', context: { ...context, 'aws:TagKeys': ['team', 'cost'] } },
          { principal, action: 'cloudwatch:PutMetricData', resource: '*', context: { ...context, 'cloudwatch:namespace': 'Acme/Serving' } },
          { principal, action: 'cloudwatch:PutMetricData', resource: '*', context: { ...context, 'cloudwatch:namespace': 'Acme/Billing' } },
          { principal, action: 'cloudwatch:PutMetricAlarm', resource: `arn:aws:cloudwatch:us-east-1:${ACCOUNT}:alarm:prod-x`, context },
        );
      }
    }
    const policies = [{ name: 'p', document }];
    const decider = new PolicyDecider(policies);
    const fast = await Promise.all(requests.map((r) => decider.decide(r)));
    const full = await Promise.all(requests.map(async (r) => (await evaluate(policies, r)).decision));
    expect(fast).toEqual(full);
    // Not a vacuous agreement: all three decisions occur.
    expect(new Set(full)).toEqual(new Set(['allowed', 'explicitDeny', 'implicitDeny']));
    expect(decider.asked).toBe(requests.length);
  });
});

describe('the cost of a search', () => {
  it('stops at its request budget and names the statement that exceeds it', async () => {
    const reference = policy({ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::lake/*' });
    // Grants nothing (no request is made by user nobody), but could grant every S3 request.
    const learner = policy({ Sid: 'Everything', Effect: 'Allow', NotAction: 'iam:*', Resource: '*', Condition: { StringEquals: { 'aws:username': 'nobody' } } });
    const result = await overGrants(learner, reference, space(), { maxRequests: 100 });
    expect(result).toMatchObject({ overGrants: [], complete: false, tooBroad: { statement: "statement 'Everything'" }, requests: 100 });
  });
});

describe('a learner policy built to make the search explode', () => {
  it('is stopped by the budget, not by memory: conditions on many keys with many values', async () => {
    const reference = policy({ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::lake/*' });
    const values = Array.from({ length: 40 }, (_, i) => `v${i}/*`);
    // Ten keys of 40 values each: about 10^20 combinations if they were all made first.
    const Condition = { StringLike: Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`aws:PrincipalTag/k${i}`, values])) };
    const learner = policy({ Sid: 'Tags', Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::lake/*', Condition });
    const result = await overGrants(learner, reference, space(), { maxRequests: 200 });
    expect(result).toMatchObject({ complete: false, tooBroad: { statement: "statement 'Tags'" } });
    expect(result.requests).toBeLessThanOrEqual(200);
  });
});

describe('resources the lab lists none of', () => {
  it('are asked about as an example ARN of the type, and its neighbours keep what the format fixes', async () => {
    const reference = policy({ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::lake/*' });
    // The format of this type fixes its region (arn:${Partition}:s3:us-west-2:${Account}:async-request/mrap/…).
    const learner = policy({ Effect: 'Allow', Action: 's3:DescribeMultiRegionAccessPointOperation', Resource: 'arn:aws:s3:*:*:async-request/mrap/*' });
    expect((await found(learner, reference)).map((o) => o.resource)).toEqual([
      `arn:aws:s3:us-west-2:${ACCOUNT}:async-request/mrap/example/example`,
      'arn:aws:s3:us-west-2:444455556666:async-request/mrap/example/example',
    ]);
  });
});
