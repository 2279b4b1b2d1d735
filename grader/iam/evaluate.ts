// One request against a principal's identity policies, decided by @cloud-copilot/iam-simulate
// with AWS's evaluation logic (explicit deny wins, then any allow, else implicit deny), and
// kept with the statements that decided it so a message can name them.

import { runSimulation } from '@cloud-copilot/iam-simulate';
import type { RequestAnalysis, StatementExplain } from '@cloud-copilot/iam-simulate';
import { isPlatformService, splitAction, IAM_SERVICES } from './services.ts';
import { statementLabel, statementsOf } from './policy.ts';
import type { NamedPolicy, PolicyStatement } from './policy.ts';

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
  const split = splitAction(request.action);
  if (!split || !isPlatformService(split[0])) {
    throw new EvaluationError(`Cannot evaluate ${request.action}: only actions of ${IAM_SERVICES.join(', ')} are modelled.`);
  }
  const context: Record<string, string | string[]> = { ...principalContext(request.principal) };
  for (const [key, value] of Object.entries(request.context ?? {})) {
    context[key] = typeof value === 'string' ? value : [...value];
  }
  const result = await runSimulation(
    {
      identityPolicies: policies.map((p) => ({ name: p.name, policy: p.document })),
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      request: {
        principal: request.principal,
        action: request.action,
        resource: { resource: request.resource, accountId: accountOf(request.principal) },
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
