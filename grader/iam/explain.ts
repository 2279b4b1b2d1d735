// Verdicts in words: which request, what the policy decided, and the statement responsible (or
// the statement that came closest), in terms a learner can find in their own file.

import type { ConditionExplain, StatementExplain } from '@cloud-copilot/iam-simulate';
import type { AccessRequest, StatementRef, Verdict } from './evaluate.ts';

// Keys every request carries and that say nothing about this one.
const IMPLIED_KEYS = new Set(['aws:username', 'aws:principalarn', 'aws:principalaccount', 'aws:principaltype', 'aws:rolesessionname', 'aws:requestedregion']);

function list<T>(value: T | T[] | undefined): T[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

function quoteValues(value: string | readonly string[]): string {
  return typeof value === 'string' ? `'${value}'` : `[${value.map((v) => `'${v}'`).join(', ')}]`;
}

/** "s3:ListBucket on arn:aws:s3:::acme-ml-datalake (s3:prefix 'raw/')", with the context that matters. */
export function describeRequest(request: AccessRequest): string {
  const keys: string[] = [];
  let plainHttp = false;
  for (const [key, value] of Object.entries(request.context ?? {})) {
    const k = key.toLowerCase();
    if (IMPLIED_KEYS.has(k)) continue;
    if (k === 'aws:securetransport') {
      plainHttp = String(value).toLowerCase() === 'false';
      continue;
    }
    keys.push(`${key} ${quoteValues(value)}`);
  }
  const listing = request.action.toLowerCase() === 's3:listbucket';
  if (listing && !Object.keys(request.context ?? {}).some((k) => k.toLowerCase() === 's3:prefix')) {
    keys.unshift('no s3:prefix: the whole bucket');
  }
  return `${request.action} on ${request.resource}${keys.length ? ` (${keys.join(', ')})` : ''}${plainHttp ? ' over plain HTTP (aws:SecureTransport false)' : ''}`;
}

function matchedAction(explain: StatementExplain, action: string): string {
  const hit = list(explain.actions).find((a) => a.matches);
  if (hit) return hit.action === action ? `its Action names ${action}` : `its Action ${hit.action} covers ${action}`;
  const notActions = list(explain.notActions);
  if (notActions.length) return `its NotAction [${notActions.map((a) => a.action).join(', ')}] leaves ${action} in`;
  return `it covers ${action}`;
}

function matchedResource(explain: StatementExplain, resource: string): string {
  const hit = list(explain.resources).find((r) => r.matches);
  if (hit) {
    if (hit.resource === '*') return 'its Resource is "*"';
    const shown = hit.resolvedValue && hit.resolvedValue !== hit.resource ? `${hit.resource} (here ${hit.resolvedValue})` : hit.resource;
    return hit.resource === resource ? `its Resource names ${resource}` : `its Resource ${shown} covers ${resource}`;
  }
  const notResources = list(explain.notResources);
  if (notResources.length) return `its NotResource [${notResources.map((r) => r.resource).join(', ')}] leaves ${resource} in`;
  return `it covers ${resource}`;
}

function conditionText(c: ConditionExplain): string {
  const values = list(c.values).map((v) => v.value);
  return `${c.operator} ${c.conditionKeyValue} ${values.length === 1 ? `'${values[0]}'` : `[${values.map((v) => `'${v}'`).join(', ')}]`}`;
}

function requestValue(c: ConditionExplain): string {
  if (c.resolvedConditionKeyValue !== undefined) return `'${c.resolvedConditionKeyValue}'`;
  return 'no value';
}

/** Why a matching statement applies: action, resource, and the conditions it passed. */
export function whyStatementMatches(ref: StatementRef, request: AccessRequest): string {
  const reasons = [matchedAction(ref.explain, request.action), matchedResource(ref.explain, request.resource)];
  const conditions = ref.explain.conditions ?? [];
  if (conditions.length) {
    reasons.push(
      `its condition${conditions.length > 1 ? 's' : ''} ${conditions.map((c) => `${conditionText(c)}${c.matchedBecauseMissing ? ' (key absent, so IfExists passes)' : ` (request: ${requestValue(c)})`}`).join(' and ')} ${conditions.length > 1 ? 'hold' : 'holds'}`,
    );
  } else {
    reasons.push('it has no Condition');
  }
  return reasons.join(', ');
}

/** Why a statement that names the action did not apply. */
export function whyStatementMisses(ref: StatementRef, request: AccessRequest): string {
  if (!ref.explain.resourceMatch) {
    const resources = list(ref.explain.resources);
    if (resources.length) {
      const shown = resources.map((r) => (r.resolvedValue && r.resolvedValue !== r.resource ? `${r.resource} (here ${r.resolvedValue})` : r.resource));
      const unresolved = resources.find((r) => r.mismatchReason === 'unresolvablePolicyVariable');
      if (unresolved) return `${ref.label} names ${request.action} but its Resource ${unresolved.resource} uses a variable this request does not have`;
      return `${ref.label} names ${request.action} but its Resource ${shown.length === 1 ? shown[0] : `[${shown.join(', ')}]`} does not cover ${request.resource}`;
    }
    return `${ref.label} names ${request.action} but its NotResource excludes ${request.resource}`;
  }
  const failed = (ref.explain.conditions ?? []).filter((c) => !c.matches);
  if (failed.length) {
    return `${ref.label} names ${request.action} but its condition ${failed
      .map((c) => `${conditionText(c)} does not hold (request: ${c.failedBecauseMissing ? 'key absent' : requestValue(c)})`)
      .join(' and ')}`;
  }
  return `${ref.label} names ${request.action} but does not apply to this request`;
}

/** "statement 'ReadLake' allows it: its Resource … covers …" for an allowed request. */
export function explainAllowed(verdict: Verdict, request: AccessRequest): string {
  const first = verdict.allowedBy[0];
  if (!first) return 'it is allowed';
  const more = verdict.allowedBy.length > 1 ? ` (and ${verdict.allowedBy.slice(1).map((s) => s.label).join(', ')} too)` : '';
  return `${first.label} allows it${more}: ${whyStatementMatches(first, request)}`;
}

/** Why a request is denied: the Deny that matched, or the missing (or near-miss) Allow. */
export function explainDenied(verdict: Verdict, request: AccessRequest): string {
  const deny = verdict.deniedBy[0];
  if (deny) return `${deny.label} denies it: ${whyStatementMatches(deny, request)}`;
  const allowMisses = verdict.nearMisses.filter((s) => s.statement.Effect === 'Allow');
  if (allowMisses.length) {
    return `no statement allows it (implicit deny): ${allowMisses.slice(0, 2).map((s) => whyStatementMisses(s, request)).join('; ')}`;
  }
  return `no statement allows it (implicit deny): no Allow statement names ${request.action}`;
}
