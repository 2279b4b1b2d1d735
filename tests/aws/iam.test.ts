// The fake IAM as a learner's code sees it, through a real IAMClient: SimulateCustomPolicy's
// shapes, limits, errors and paging as the IAM API Reference gives them, decisions from the
// same engine the lab's checks use.

import {
  GetContextKeysForCustomPolicyCommand,
  IAMClient,
  IAMServiceException,
  InvalidInputException,
  SimulateCustomPolicyCommand,
} from '@aws-sdk/client-iam';
import type { SimulateCustomPolicyCommandInput } from '@aws-sdk/client-iam';
import * as esbuild from 'esbuild';
import { describe, expect, it } from 'vitest';
import { FakeIAM } from '../../grader/aws/iam.ts';
import { createAwsEnv } from '../../grader/aws/env.ts';
import { evaluate } from '../../grader/iam/evaluate.ts';
import { iamDataPlugin } from '../../grader/iam/bundle-plugin.ts';
import { requestOf } from '../../labs/iam-scoping/grading.ts';
import { publicGroups } from '../../labs/iam-scoping/matrix.ts';
import { principalOf } from '../../labs/iam-scoping/platform.ts';
import { dataScientist } from '../../labs/iam-scoping/solution/policies.ts';

function world() {
  const env = createAwsEnv({ seed: 1 });
  const iam = new FakeIAM(env);
  return { env, iam, client: iam.client() };
}

const lakePolicy = {
  Version: '2012-10-17',
  Statement: [
    { Sid: 'ReadLake', Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::acme-ml-datalake/processed/*' },
    { Sid: 'OwnExperiments', Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'], Resource: 'arn:aws:s3:::acme-ml-experiments/${aws:username}/*' },
    { Sid: 'DenyPlainHttp', Effect: 'Deny', Action: 's3:*', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } },
  ],
};
const tls = (value: 'true' | 'false') => ({ ContextKeyName: 'aws:SecureTransport', ContextKeyValues: [value], ContextKeyType: 'boolean' as const });

async function rejection(promise: Promise<unknown>): Promise<Error & { $metadata?: { httpStatusCode?: number }; $fault?: string }> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the call to fail');
}

describe('FakeIAM SimulateCustomPolicy', () => {
  it('answers allowed, explicitDeny and implicitDeny with the statements that decided, where they are in the text', async () => {
    const { client } = world();
    const text = JSON.stringify(lakePolicy, null, 2);
    const { EvaluationResults, IsTruncated } = await client.send(
      new SimulateCustomPolicyCommand({
        PolicyInputList: [text],
        ActionNames: ['s3:GetObject'],
        ResourceArns: ['arn:aws:s3:::acme-ml-datalake/processed/a.parquet', 'arn:aws:s3:::acme-ml-datalake/raw/a.json'],
        ContextEntries: [tls('true')],
      }),
    );
    expect(IsTruncated).toBe(false);
    expect(EvaluationResults?.map((r) => [r.EvalResourceName, r.EvalDecision])).toEqual([
      ['arn:aws:s3:::acme-ml-datalake/processed/a.parquet', 'allowed'],
      ['arn:aws:s3:::acme-ml-datalake/raw/a.json', 'implicitDeny'],
    ]);
    const [allowed, denied] = EvaluationResults!;
    expect(allowed!.MatchedStatements).toEqual([
      { SourcePolicyId: 'PolicyInputList.1', SourcePolicyType: 'IAM Policy', StartPosition: { Line: 4, Column: 5 }, EndPosition: { Line: 9, Column: 6 } },
    ]);
    const lines = text.split('\n');
    expect(lines[3]!.trimStart().startsWith('{')).toBe(true);
    expect(lines[8]!.trimEnd().endsWith('},')).toBe(true);
    expect(denied!.MatchedStatements).toEqual([]);
    // A specific resource: details present but empty (same account), a resource-specific result.
    expect(allowed!.EvalDecisionDetails).toEqual({});
    expect(allowed!.ResourceSpecificResults).toEqual([
      expect.objectContaining({ EvalResourceName: 'arn:aws:s3:::acme-ml-datalake/processed/a.parquet', EvalResourceDecision: 'allowed', MissingContextValues: ['aws:username'] }),
    ]);
    expect(allowed!.MissingContextValues).toEqual([]);
  });

  it('lists only the Deny when an explicit deny decides', async () => {
    const { client } = world();
    const { EvaluationResults } = await client.send(
      new SimulateCustomPolicyCommand({
        PolicyInputList: [JSON.stringify(lakePolicy)],
        ActionNames: ['s3:GetObject'],
        ResourceArns: ['arn:aws:s3:::acme-ml-datalake/processed/a.parquet'],
        ContextEntries: [tls('false')],
      }),
    );
    const result = EvaluationResults![0]!;
    expect(result.EvalDecision).toBe('explicitDeny');
    expect(result.MatchedStatements).toHaveLength(1);
    const { StartPosition } = result.MatchedStatements![0]!;
    expect(JSON.stringify(lakePolicy).slice(StartPosition!.Column! - 1)).toMatch(/^\{"Sid":"DenyPlainHttp"/);
  });

  it('decides a request on "*" literally: two statements that each deny alone do not allow together (issue 9)', async () => {
    const { client } = world();
    const byNamespace = { Sid: 'OwnNamespace', Effect: 'Allow', Action: 'cloudwatch:PutMetricData', Resource: '*', Condition: { StringEquals: { 'cloudwatch:namespace': 'Acme/Serving' } } };
    const onAlarms = { Sid: 'Alarms', Effect: 'Allow', Action: 'cloudwatch:PutMetric*', Resource: 'arn:aws:cloudwatch:us-east-1:111122223333:alarm:prod-*' };
    const billing = [{ ContextKeyName: 'cloudwatch:namespace', ContextKeyValues: ['Acme/Billing'], ContextKeyType: 'string' as const }];
    const decision = async (...statements: object[]) =>
      (
        await client.send(
          new SimulateCustomPolicyCommand({ PolicyInputList: [JSON.stringify({ Version: '2012-10-17', Statement: statements })], ActionNames: ['cloudwatch:PutMetricData'], ContextEntries: billing }),
        )
      ).EvaluationResults![0]!.EvalDecision;
    expect(await decision(byNamespace)).toBe('implicitDeny');
    expect(await decision(onAlarms)).toBe('implicitDeny');
    expect(await decision(byNamespace, onAlarms)).toBe('implicitDeny');
    // And an alarm ARN pattern never grants a request on "*", whatever the condition says.
    expect(await decision({ ...onAlarms, Resource: 'arn:aws:cloudwatch:*:*:*' })).toBe('implicitDeny');
    expect(await decision({ ...onAlarms, Resource: '*' })).toBe('allowed');
  });

  it('simulates "*" when no ResourceArns are given, with missing context at the top level', async () => {
    const { client } = world();
    const { EvaluationResults } = await client.send(
      new SimulateCustomPolicyCommand({
        PolicyInputList: [JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'cloudwatch:PutMetricData', Resource: '*', Condition: { StringEquals: { 'cloudwatch:namespace': 'Acme/Serving' } } }] })],
        ActionNames: ['cloudwatch:PutMetricData'],
      }),
    );
    expect(EvaluationResults).toEqual([
      { EvalActionName: 'cloudwatch:PutMetricData', EvalResourceName: '*', EvalDecision: 'implicitDeny', MatchedStatements: [], MissingContextValues: ['cloudwatch:namespace'] },
    ]);
  });

  it('resolves ${aws:username} only from the context it is given, as AWS does', async () => {
    const { client } = world();
    const simulate = (entries: SimulateCustomPolicyCommandInput['ContextEntries']) =>
      client.send(
        new SimulateCustomPolicyCommand({
          PolicyInputList: [JSON.stringify(lakePolicy)],
          ActionNames: ['s3:PutObject'],
          ResourceArns: ['arn:aws:s3:::acme-ml-experiments/alice/run-1/model.tar.gz'],
          CallerArn: 'arn:aws:iam::111122223333:user/alice',
          ContextEntries: entries,
        }),
      );
    expect((await simulate([tls('true')])).EvaluationResults![0]!.EvalDecision).toBe('implicitDeny');
    const named = await simulate([tls('true'), { ContextKeyName: 'aws:username', ContextKeyValues: ['alice'], ContextKeyType: 'string' }]);
    expect(named.EvaluationResults![0]!.EvalDecision).toBe('allowed');
  });

  it('gives the same decisions as the lab grader for the request matrix', async () => {
    const { client } = world();
    const cases = publicGroups.filter((g) => g.role === 'dataScientist').flatMap((g) => g.cases);
    for (const c of cases) {
      const request = requestOf('dataScientist', c);
      const context = { 'aws:username': c.user ?? 'alice', ...request.context };
      const { EvaluationResults } = await client.send(
        new SimulateCustomPolicyCommand({
          PolicyInputList: [JSON.stringify(dataScientist)],
          ActionNames: [c.action],
          ResourceArns: [c.resource],
          CallerArn: principalOf('dataScientist', c.user),
          ContextEntries: Object.entries(context).map(([ContextKeyName, value]) => ({
            ContextKeyName,
            ContextKeyValues: typeof value === 'string' ? [value] : [...value],
            ContextKeyType: ContextKeyName === 'aws:SecureTransport' ? 'boolean' : 'string',
          })),
        }),
      );
      const graded = await evaluate([{ name: 'dataScientist', document: dataScientist }], request);
      expect(EvaluationResults![0]!.EvalDecision, `${c.action} ${c.resource}`).toBe(graded.decision);
    }
  });

  it('pages with MaxItems and an opaque Marker bound to the request', async () => {
    const { client } = world();
    const input: SimulateCustomPolicyCommandInput = {
      PolicyInputList: [JSON.stringify(lakePolicy)],
      ActionNames: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
      ResourceArns: ['arn:aws:s3:::acme-ml-datalake/processed/a', 'arn:aws:s3:::acme-ml-datalake/raw/b'],
      MaxItems: 4,
    };
    const first = await client.send(new SimulateCustomPolicyCommand(input));
    expect(first.EvaluationResults).toHaveLength(4);
    expect(first.IsTruncated).toBe(true);
    // Opaque and sealed: the offset cannot be read or edited.
    const marker = first.Marker!;
    const edited = `${marker.slice(0, 4)}${marker[4] === 'A' ? 'B' : 'A'}${marker.slice(5)}`;
    expect(await rejection(client.send(new SimulateCustomPolicyCommand({ ...input, Marker: edited })))).toBeInstanceOf(InvalidInputException);
    const second = await client.send(new SimulateCustomPolicyCommand({ ...input, Marker: first.Marker }));
    expect(second.EvaluationResults?.map((r) => `${r.EvalActionName} ${r.EvalResourceName}`)).toEqual([
      's3:DeleteObject arn:aws:s3:::acme-ml-datalake/processed/a',
      's3:DeleteObject arn:aws:s3:::acme-ml-datalake/raw/b',
    ]);
    expect(second.IsTruncated).toBe(false);
    expect(second.Marker).toBeUndefined();
    const forged = await rejection(client.send(new SimulateCustomPolicyCommand({ ...input, Marker: btoa('sim1:0:2') })));
    expect(forged).toBeInstanceOf(InvalidInputException);
    const elsewhere = await rejection(client.send(new SimulateCustomPolicyCommand({ ...input, ActionNames: ['s3:GetObject'], Marker: first.Marker })));
    expect(elsewhere).toBeInstanceOf(InvalidInputException);
  });

  it('applies a permissions boundary and says whether it allowed', async () => {
    const { client } = world();
    const boundary = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:PutObject', Resource: '*' }] };
    const { EvaluationResults } = await client.send(
      new SimulateCustomPolicyCommand({
        PolicyInputList: [JSON.stringify(lakePolicy)],
        PermissionsBoundaryPolicyInputList: [JSON.stringify(boundary)],
        ActionNames: ['s3:GetObject'],
        ResourceArns: ['arn:aws:s3:::acme-ml-datalake/processed/a'],
      }),
    );
    expect(EvaluationResults![0]).toMatchObject({ EvalDecision: 'implicitDeny', PermissionsBoundaryDecisionDetail: { AllowedByPermissionsBoundary: false } });
  });

  it('rejects what IAM rejects, with its error names and status codes', async () => {
    const { client } = world();
    const send = (input: Partial<SimulateCustomPolicyCommandInput>) =>
      rejection(client.send(new SimulateCustomPolicyCommand({ PolicyInputList: [JSON.stringify(lakePolicy)], ActionNames: ['s3:GetObject'], ...input } as SimulateCustomPolicyCommandInput)));

    const asObject = await send({ PolicyInputList: [lakePolicy as unknown as string] });
    expect(asObject).toBeInstanceOf(InvalidInputException);
    expect(asObject.name).toBe('InvalidInputException');
    expect(asObject.$metadata?.httpStatusCode).toBe(400);
    expect(asObject.$fault).toBe('client');
    expect(asObject.message).toContain('JSON.stringify(policy)');

    expect((await send({ PolicyInputList: ['{"Version": "2012-10-17", "Statement": ['] })).message).toMatch(/PolicyInputList\.1: it is not valid JSON/);
    const principal = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: '*' }] });
    expect((await send({ PolicyInputList: [principal] })).message).toMatch(/Principal is not allowed/);
    expect(await send({ ActionNames: ['s3:Get*'] })).toBeInstanceOf(InvalidInputException);
    expect((await send({ ContextEntries: [{ ContextKeyName: 'aws:SecureTransport', ContextKeyValues: ['yes'], ContextKeyType: 'boolean' }] })).message).toMatch(/not a boolean value/);
    expect((await send({ CallerArn: 'arn:aws:sts::111122223333:assumed-role/MLEngineer/ml-eng' })).message).toMatch(/not an assumed-role session/);
    expect((await send({ ResourcePolicy: JSON.stringify(lakePolicy) })).message).toMatch(/CallerArn is required/);

    const missing = await send({ PolicyInputList: undefined, ActionNames: ['s3'] });
    expect(missing).toBeInstanceOf(IAMServiceException);
    expect(missing.name).toBe('ValidationError');
    expect(missing.$metadata?.httpStatusCode).toBe(400);
    expect(missing.message).toBe(
      "2 validation errors detected: Value null at 'policyInputList' failed to satisfy constraint: Member must not be null; Value 's3' at 'actionNames' failed to satisfy constraint: Member must have length greater than or equal to 3",
    );
  });

  it('traces every call, and serves clients the learner builds', async () => {
    const { env } = world();
    const own = new IAMClient({ region: 'us-east-1' });
    await own.send(new SimulateCustomPolicyCommand({ PolicyInputList: [JSON.stringify(lakePolicy)], ActionNames: ['s3:GetObject'] }));
    await rejection(own.send(new SimulateCustomPolicyCommand({ PolicyInputList: ['{'], ActionNames: ['s3:GetObject'] })));
    expect(env.trace.calls('iam').map((e) => [e.operation, e.outcome, e.httpStatusCode])).toEqual([
      ['SimulateCustomPolicy', 'ok', 200],
      ['SimulateCustomPolicy', 'InvalidInputException', 400],
    ]);
  });
});

describe('FakeIAM GetContextKeysForCustomPolicy', () => {
  it('lists the condition keys and policy variables a policy reads', async () => {
    const { client } = world();
    const { ContextKeyNames } = await client.send(new GetContextKeysForCustomPolicyCommand({ PolicyInputList: [JSON.stringify(lakePolicy)] }));
    expect(ContextKeyNames).toEqual(['aws:SecureTransport', 'aws:username']);
  });
});

describe('FakeIAM in the browser', () => {
  it('bundles for the browser with no Node-only dependency (iam-data through the lab bundler\'s plugin)', async () => {
    const result = await esbuild.build({
      entryPoints: ['grader/aws/iam.ts'],
      bundle: true,
      platform: 'browser',
      format: 'esm',
      write: false,
      logLevel: 'silent',
      plugins: [iamDataPlugin()],
    });
    expect(result.outputFiles[0]!.text.length).toBeGreaterThan(0);
  });
});
