// The fake IAM: SimulateCustomPolicy and GetContextKeysForCustomPolicy behind a real IAMClient,
// so a learner can test a policy from code as they would against AWS's policy simulator:
//
//   const iam = new FakeIAM(env);
//   const { EvaluationResults } = await iam.client().send(new SimulateCustomPolicyCommand({
//     PolicyInputList: [JSON.stringify(dataScientist)],
//     ActionNames: ['s3:GetObject'],
//     ResourceArns: ['arn:aws:s3:::acme-ml-datalake/raw/2024/clicks.json'],
//     ContextEntries: [{ ContextKeyName: 'aws:username', ContextKeyValues: ['alice'], ContextKeyType: 'string' }],
//   }));
//
// Decisions come from the same engine the lab's checks use (@cloud-copilot/iam-simulate), in
// the mode that matches the simulator: the request is taken as given (no validation of resource
// types against actions, context keys used as supplied; AWS's simulator fills in no context
// either: "To get the list of context keys that the policies require… use
// GetContextKeysForCustomPolicy"). Shapes, limits and error names follow the IAM API Reference
// (SimulateCustomPolicy, EvaluationResult, ResourceSpecificResult, Statement, Position; read
// 2026-11-25) and @aws-sdk/client-iam 3.1169. Where the reference is silent:
// - a policy that is not valid JSON or not a valid policy is InvalidInput (400), the error the
//   reference documents for SimulateCustomPolicy; CreatePolicy's MalformedPolicyDocument is not
//   among this operation's errors;
// - SourcePolicyType is "IAM Policy" for PolicyInputList entries, as real responses show it
//   (the SDK's enum does not list that value).

import {
  GetContextKeysForCustomPolicyCommand,
  IAMClient,
  IAMServiceException,
  InvalidInputException,
  SimulateCustomPolicyCommand,
} from '@aws-sdk/client-iam';
import type {
  ContextEntry,
  EvaluationResult,
  PolicyEvaluationDecisionType,
  PolicySourceType,
  SimulateCustomPolicyCommandInput,
  SimulatePolicyResponse,
  Statement,
} from '@aws-sdk/client-iam';
import { runUnsafeSimulation } from '@cloud-copilot/iam-simulate';
import type { Simulation } from '@cloud-copilot/iam-simulate';
import type { AwsEnv } from './env.ts';
import type { ExceptionClass } from './errors.ts';
import { outputList } from './mock.ts';
import type { Call } from './mock.ts';
import { PageTokens } from './paging.ts';
import { FakeAwsService } from './service.ts';
import { grammarProblems } from '../iam/grammar.ts';
import { asList, statementsOf } from '../iam/policy.ts';
import type { OneOrMany, PolicyStatement } from '../iam/policy.ts';
import { statementSpans } from '../iam/positions.ts';
import { forLiteralStarPolicy } from '../iam/resources.ts';

/** IAM's limits for this operation (API Reference, SimulateCustomPolicy request parameters). */
export const LIMITS = {
  policyChars: 131072,
  actionName: [3, 128],
  resourceArn: [1, 2048],
  contextKeyName: [5, 256],
  maxItems: [1, 1000],
  marker: [1, 320],
  /** IAM's default page size when MaxItems is omitted. */
  defaultMaxItems: 100,
} as const;

/** Simulations listed in a report's state before the rest is counted. */
export const SNAPSHOT_SIMULATIONS = 50;

const CONTEXT_TYPES = ['string', 'stringList', 'numeric', 'numericList', 'boolean', 'booleanList', 'ip', 'ipList', 'binary', 'binaryList', 'date', 'dateList'] as const;

/** An error as IAM would answer it: its code and HTTP status. */
export class IamInputError extends Error {
  readonly code: 'InvalidInput' | 'ValidationError';
  constructor(code: 'InvalidInput' | 'ValidationError', message: string) {
    super(message);
    this.code = code;
  }
}

interface ParsedPolicy {
  id: string;
  document: unknown;
  text: string;
}

const DECISION: Record<string, PolicyEvaluationDecisionType> = {
  Allowed: 'allowed',
  ExplicitlyDenied: 'explicitDeny',
  ImplicitlyDenied: 'implicitDeny',
};

// ---------------------------------------------------------------------------------------------
// Validation, in the order IAM reports it: constraints on members first (ValidationError), then
// the meaning of the values (InvalidInput).

function memberConstraints(input: SimulateCustomPolicyCommandInput): string[] {
  const problems: string[] = [];
  const required = (value: unknown, member: string) => {
    if (value === undefined || value === null) problems.push(`Value null at '${member}' failed to satisfy constraint: Member must not be null`);
  };
  required(input.PolicyInputList, 'policyInputList');
  required(input.ActionNames, 'actionNames');
  const lengths = (values: unknown, member: string, [min, max]: readonly [number, number]) => {
    for (const v of Array.isArray(values) ? values : []) {
      if (typeof v === 'string' && (v.length < min || v.length > max)) {
        problems.push(
          `Value '${v.length > 40 ? `${v.slice(0, 40)}…` : v}' at '${member}' failed to satisfy constraint: Member must have length ${v.length < min ? 'greater than or equal to ' + min : 'less than or equal to ' + max}`,
        );
      }
    }
  };
  lengths(input.ActionNames, 'actionNames', LIMITS.actionName);
  lengths(input.ResourceArns, 'resourceArns', LIMITS.resourceArn);
  lengths(input.PolicyInputList, 'policyInputList', [1, LIMITS.policyChars]);
  (input.ContextEntries ?? []).forEach((entry, i) => {
    if (entry?.ContextKeyName !== undefined) lengths([entry.ContextKeyName], `contextEntries.${i + 1}.member.contextKeyName`, LIMITS.contextKeyName);
    if (entry?.ContextKeyType !== undefined && !(CONTEXT_TYPES as readonly string[]).includes(entry.ContextKeyType)) {
      problems.push(
        `Value '${entry.ContextKeyType}' at 'contextEntries.${i + 1}.member.contextKeyType' failed to satisfy constraint: Member must satisfy enum value set: [${CONTEXT_TYPES.join(', ')}]`,
      );
    }
  });
  if (input.MaxItems !== undefined && (input.MaxItems < LIMITS.maxItems[0] || input.MaxItems > LIMITS.maxItems[1])) {
    problems.push(`Value '${input.MaxItems}' at 'maxItems' failed to satisfy constraint: Member must have value ${input.MaxItems < 1 ? 'greater than or equal to 1' : 'less than or equal to 1000'}`);
  }
  return problems;
}

function parsePolicy(value: unknown, id: string): ParsedPolicy {
  if (typeof value !== 'string') {
    throw new IamInputError(
      'InvalidInput',
      `${id} must be the policy's JSON text, not ${value === null ? 'null' : typeof value}: pass JSON.stringify(policy).`,
    );
  }
  const bad = /[^\t\n\r\u0020-\u00ff]/.exec(value);
  if (bad) throw new IamInputError('InvalidInput', `Invalid policy document ${id}: character '${bad[0]}' is not allowed in a policy.`);
  let document: unknown;
  try {
    document = JSON.parse(value);
  } catch (error) {
    throw new IamInputError('InvalidInput', `Invalid policy document ${id}: it is not valid JSON (${(error as Error).message}).`);
  }
  const problems = grammarProblems(document, value);
  if (problems.length) {
    const p = problems[0]!;
    throw new IamInputError('InvalidInput', `Invalid policy document ${id}: ${p.path ? `${p.path}: ` : ''}${p.message}.`);
  }
  return { id, document, text: value };
}

type ContextValue = string | string[];

function contextVariables(entries: readonly ContextEntry[] | undefined): Record<string, ContextValue> {
  const out: Record<string, ContextValue> = {};
  for (const entry of entries ?? []) {
    const name = entry.ContextKeyName;
    if (!name) throw new IamInputError('InvalidInput', 'Every ContextEntry needs a ContextKeyName.');
    const type = entry.ContextKeyType ?? 'string';
    const values = entry.ContextKeyValues ?? [];
    if (!values.every((v) => typeof v === 'string')) {
      throw new IamInputError('InvalidInput', `ContextKeyValues of ${name} must be strings (e.g. 'true', not true).`);
    }
    const base = type.replace(/List$/, '');
    for (const v of values) {
      const ok =
        base === 'boolean' ? /^(true|false)$/i.test(v)
        : base === 'numeric' ? v.trim() !== '' && Number.isFinite(Number(v))
        : base === 'date' ? !Number.isNaN(Date.parse(v)) || /^\d+$/.test(v)
        : base === 'ip' ? /^[0-9a-fA-F.:]+(\/\d+)?$/.test(v)
        : true;
      if (!ok) throw new IamInputError('InvalidInput', `Context key ${name} has type ${type}, and '${v}' is not a ${base} value.`);
    }
    if (type.endsWith('List')) out[name] = [...values];
    else if (values.length === 1) out[name] = values[0]!;
    else throw new IamInputError('InvalidInput', `Context key ${name} has type ${type}, which takes exactly one value; it got ${values.length}.`);
  }
  return out;
}

const CALLER = /^arn:aws:iam::(\d{12}):(user|role)\/.+$/;

function accountFromArn(arn: string | undefined): string | undefined {
  return arn ? /^arn:aws[^:]*:iam::(\d{12}):/.exec(arn)?.[1] : undefined;
}

// ---------------------------------------------------------------------------------------------
// Evaluation.

const POLICY_VARIABLE = /\$\{([^}]+)\}/g;

/** Context keys a statement reads: its condition keys and the policy variables it uses. */
function keysOf(statement: PolicyStatement): string[] {
  const keys: string[] = [];
  const visit = (value: unknown) => {
    if (typeof value === 'string') for (const m of value.matchAll(POLICY_VARIABLE)) if (m[1]!.includes(':')) keys.push(m[1]!);
  };
  for (const element of ['Resource', 'NotResource'] as const) asList(statement[element] as OneOrMany<unknown>).forEach(visit);
  for (const block of Object.values(statement.Condition ?? {})) {
    for (const [key, values] of Object.entries(block ?? {})) {
      keys.push(key);
      asList(values as OneOrMany<unknown>).forEach(visit);
    }
  }
  return keys;
}

function actionCovered(statement: PolicyStatement, action: string): boolean {
  const matches = (pattern: string) =>
    new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'i').test(action);
  if (statement.Action !== undefined) return asList(statement.Action).some(matches);
  if (statement.NotAction !== undefined) return !asList(statement.NotAction).some(matches);
  return false;
}

function uniqueSorted(keys: string[]): string[] {
  const seen = new Map<string, string>();
  for (const k of keys) if (!seen.has(k.toLowerCase())) seen.set(k.toLowerCase(), k);
  return [...seen.values()].sort((a, b) => a.localeCompare(b));
}

interface Scenario {
  principal: string;
  account: string;
  identity: ParsedPolicy[];
  boundary: ParsedPolicy[];
  resourcePolicy?: ParsedPolicy;
  context: Record<string, ContextValue>;
}

const ALLOW_ALL = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };

function decide(scenario: Scenario, action: string, resource: string, identity: { name: string; policy: unknown }[], withBoundary = true): string {
  // A request on "*" is on the literal resource "*", as AWS decides it; iam-simulate would read
  // it as a wildcard question (grader/iam/evaluate.ts's header), so the statements are rewritten
  // for it first.
  const read = resource === '*' ? forLiteralStarPolicy : (document: unknown) => document;
  const simulation: Simulation = {
    identityPolicies: identity.map((p) => ({ name: p.name, policy: read(p.policy) })),
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    ...(withBoundary && scenario.boundary.length ? { permissionBoundaryPolicies: scenario.boundary.map((p) => ({ name: p.id, policy: read(p.document) })) } : {}),
    ...(scenario.resourcePolicy ? { resourcePolicy: read(scenario.resourcePolicy.document) } : {}),
    request: {
      principal: scenario.principal,
      action,
      resource: { resource, accountId: scenario.account },
      contextVariables: scenario.context,
    },
  };
  return runUnsafeSimulation(simulation, {});
}

function matchedStatements(scenario: Scenario, action: string, resource: string, decision: PolicyEvaluationDecisionType): Statement[] {
  if (decision === 'implicitDeny') return [];
  // The statements that determine the result: with an explicit deny, only the denying ones.
  const wanted = decision === 'explicitDeny' ? 'ExplicitlyDenied' : 'Allowed';
  const out: Statement[] = [];
  for (const policy of scenario.identity) {
    const spans = statementSpans(policy.text);
    statementsOf(policy.document).forEach((statement, i) => {
      const single = { Version: '2012-10-17', Statement: [statement] };
      const verdict = decide({ ...scenario, resourcePolicy: undefined }, action, resource, [{ name: policy.id, policy: single }], false);
      if (verdict !== wanted) return;
      const span = spans[i];
      out.push({
        SourcePolicyId: policy.id,
        SourcePolicyType: 'IAM Policy' as PolicySourceType,
        ...(span ? { StartPosition: span.StartPosition, EndPosition: span.EndPosition } : {}),
      });
    });
  }
  return out;
}

function missingKeys(scenario: Scenario, action: string): string[] {
  const keys: string[] = [];
  for (const policy of [...scenario.identity, ...scenario.boundary, ...(scenario.resourcePolicy ? [scenario.resourcePolicy] : [])]) {
    for (const statement of statementsOf(policy.document)) if (actionCovered(statement, action)) keys.push(...keysOf(statement));
  }
  const provided = new Set(Object.keys(scenario.context).map((k) => k.toLowerCase()));
  return uniqueSorted(keys.filter((k) => !provided.has(k.toLowerCase())));
}

function evaluateOne(scenario: Scenario, action: string, resource: string, specific: boolean): EvaluationResult {
  const identity = scenario.identity.map((p) => ({ name: p.id, policy: p.document }));
  const decision = DECISION[decide(scenario, action, resource, identity)] ?? 'implicitDeny';
  const matched = matchedStatements(scenario, action, resource, decision);
  const missing = missingKeys(scenario, action);
  const result: EvaluationResult = {
    EvalActionName: action,
    EvalResourceName: resource,
    EvalDecision: decision,
    MatchedStatements: matched,
    MissingContextValues: specific ? [] : missing,
  };
  if (scenario.boundary.length) {
    const boundaryAllows = decide(scenario, action, resource, [{ name: 'AllowAll', policy: ALLOW_ALL }]) === 'Allowed';
    result.PermissionsBoundaryDecisionDetail = { AllowedByPermissionsBoundary: boundaryAllows };
  }
  if (specific) {
    result.EvalDecisionDetails = {};
    result.ResourceSpecificResults = [
      {
        EvalResourceName: resource,
        EvalResourceDecision: decision,
        MatchedStatements: matched,
        MissingContextValues: missing,
        ...(result.PermissionsBoundaryDecisionDetail ? { PermissionsBoundaryDecisionDetail: result.PermissionsBoundaryDecisionDetail } : {}),
      },
    ];
  }
  return result;
}

// ---------------------------------------------------------------------------------------------
// Paging: an opaque marker bound to the request it continues (the shared page-token codec).

const MARKERS = new PageTokens('whetstone-iam');

/** The request members a Marker continues: another policy, action or context is another listing. */
function markerQuery(input: SimulateCustomPolicyCommandInput): string {
  return JSON.stringify([input.PolicyInputList, input.ActionNames, input.ResourceArns, input.ContextEntries, input.CallerArn]);
}

function decodeMarker(input: SimulateCustomPolicyCommandInput, marker: string): number {
  const offset = MARKERS.decode(markerQuery(input), marker);
  if (offset === undefined) {
    throw new IamInputError('InvalidInput', 'Invalid Marker: pass the Marker of the previous response unchanged, with the same request parameters.');
  }
  return offset;
}

// ---------------------------------------------------------------------------------------------

/** SimulateCustomPolicy as IAM answers it (pure: no tracing, no SDK errors). */
export function simulateCustomPolicy(input: SimulateCustomPolicyCommandInput, options: { accountId: string }): SimulatePolicyResponse {
  const constraints = memberConstraints(input);
  if (constraints.length) {
    throw new IamInputError(
      'ValidationError',
      `${constraints.length} validation error${constraints.length > 1 ? 's' : ''} detected: ${constraints.join('; ')}`,
    );
  }
  const policies = input.PolicyInputList!;
  if (policies.length === 0) throw new IamInputError('InvalidInput', 'PolicyInputList must contain at least one policy.');
  if (input.ActionNames!.length === 0) throw new IamInputError('InvalidInput', 'ActionNames must contain at least one action.');
  if (input.OrderedOrganizationPolicyInputList?.length) {
    throw new IamInputError('InvalidInput', 'OrderedOrganizationPolicyInputList is not supported by this simulator (Whetstone models no AWS Organization).');
  }
  const identity = policies.map((p, i) => parsePolicy(p, `PolicyInputList.${i + 1}`));
  const boundary = (input.PermissionsBoundaryPolicyInputList ?? []).map((p, i) => parsePolicy(p, `PermissionsBoundaryPolicyInputList.${i + 1}`));
  if (boundary.length > 1) throw new IamInputError('InvalidInput', 'You can input only one permissions boundary policy.');
  for (const action of input.ActionNames!) {
    if (/[*?]/.test(action)) {
      throw new IamInputError('InvalidInput', `Invalid Input Actions: "${action}": this operation does not support wildcards in action names; list each action.`);
    }
    if (!/^[a-zA-Z0-9-]+:[a-zA-Z0-9]+$/.test(action)) {
      throw new IamInputError('InvalidInput', `Invalid Input Actions: "${action}" is not of the form service:Action (e.g. s3:GetObject).`);
    }
  }
  if (input.CallerArn !== undefined && !CALLER.test(input.CallerArn)) {
    throw new IamInputError(
      'InvalidInput',
      `CallerArn ${input.CallerArn} must be an IAM user or role ARN (not an assumed-role session, a federated user or a service principal).`,
    );
  }
  let resourcePolicy: ParsedPolicy | undefined;
  if (input.ResourcePolicy !== undefined) {
    if (input.CallerArn === undefined) throw new IamInputError('InvalidInput', 'CallerArn is required when you include a ResourcePolicy.');
    resourcePolicy = parsePolicy(input.ResourcePolicy, 'ResourcePolicy');
  }
  const account = accountFromArn(input.ResourceOwner) ?? accountFromArn(input.CallerArn) ?? options.accountId;
  const scenario: Scenario = {
    principal: input.CallerArn ?? `arn:aws:iam::${options.accountId}:user/SimulatedCaller`,
    account,
    identity,
    boundary,
    ...(resourcePolicy ? { resourcePolicy } : {}),
    context: contextVariables(input.ContextEntries),
  };
  const resources = input.ResourceArns?.length ? input.ResourceArns : ['*'];
  const all: EvaluationResult[] = [];
  for (const action of input.ActionNames!) {
    for (const resource of resources) all.push(evaluateOne(scenario, action, resource, resource !== '*'));
  }
  const start = input.Marker !== undefined ? decodeMarker(input, input.Marker) : 0;
  const size = input.MaxItems ?? LIMITS.defaultMaxItems;
  const page = all.slice(start, start + size);
  const truncated = start + size < all.length;
  return { EvaluationResults: page, IsTruncated: truncated, ...(truncated ? { Marker: MARKERS.encode(markerQuery(input), start + size) } : {}) };
}

/** GetContextKeysForCustomPolicy: every context key the policies read, sorted, no duplicates. */
export function contextKeysForCustomPolicy(policyInputList: readonly unknown[] | undefined): string[] {
  if (!policyInputList) {
    throw new IamInputError('ValidationError', "1 validation error detected: Value null at 'policyInputList' failed to satisfy constraint: Member must not be null");
  }
  const keys: string[] = [];
  policyInputList.forEach((p, i) => {
    for (const statement of statementsOf(parsePolicy(p, `PolicyInputList.${i + 1}`).document)) keys.push(...keysOf(statement));
  });
  return uniqueSorted(keys);
}

// ---------------------------------------------------------------------------------------------

export class FakeIAM extends FakeAwsService<IAMClient, FakeIAM> {
  /** What the simulator was asked and answered, oldest first (for the report's state). */
  readonly simulations: { action: string; resource: string; decision: string }[] = [];

  constructor(env: AwsEnv) {
    super(env, {
      service: 'iam',
      clientClass: IAMClient,
      exceptionBase: IAMServiceException as unknown as ExceptionClass,
      // The code IAM sends is InvalidInput; the SDK's class for it is InvalidInputException.
      exceptions: { InvalidInput: InvalidInputException as unknown as ExceptionClass },
      validationErrorCode: 'ValidationError',
      // IAM is a global service; the SDK signs its calls for us-east-1 whatever the region.
      clientConfig: () => ({ region: 'us-east-1' }),
    });
    this.on(
      SimulateCustomPolicyCommand,
      (input, call) => {
        try {
          const answer = simulateCustomPolicy(input, { accountId: env.accountId });
          for (const r of answer.EvaluationResults ?? []) {
            this.simulations.push({ action: r.EvalActionName ?? '', resource: r.EvalResourceName ?? '*', decision: r.EvalDecision ?? '' });
          }
          return answer;
        } catch (error) {
          throw this.#asServiceError(error, call);
        }
      },
      {
        doc:
          "The policy simulator on custom policies (the lab's own IAM engine): allowed, explicitDeny or implicitDeny per action and resource, matched statements with positions, missing context keys; MaxItems 1–1000 with a Marker.",
        output: (o) => ({
          EvaluationResults: outputList(o.EvaluationResults, (r) => `${r.EvalActionName} ${r.EvalResourceName}: ${r.EvalDecision}`),
          IsTruncated: o.IsTruncated,
          Marker: o.Marker,
        }),
      },
    );
    this.on(
      GetContextKeysForCustomPolicyCommand,
      (input, call) => {
        try {
          return { ContextKeyNames: contextKeysForCustomPolicy(input.PolicyInputList) };
        } catch (error) {
          throw this.#asServiceError(error, call);
        }
      },
      { doc: 'Every context key the policies read (conditions and policy variables), sorted, without duplicates.', output: ['ContextKeyNames'] },
    );
  }

  /** The simulations answered so far (the first 50, then a count). */
  override snapshot(): unknown {
    const shown = this.simulations.slice(0, SNAPSHOT_SIMULATIONS);
    return this.simulations.length > shown.length
      ? { simulations: shown, more: this.simulations.length - shown.length }
      : { simulations: shown };
  }

  #asServiceError(error: unknown, call: Call): Error {
    if (!(error instanceof IamInputError)) return error as Error;
    return this.error(error.code, error.message, call);
  }
}
