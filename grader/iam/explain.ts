// Verdicts in words: which request, what the policy decided, and the statement responsible (or
// the statement that came closest), in terms a learner can find in their own file.

import type { ConditionExplain, StatementExplain } from '@cloud-copilot/iam-simulate';
import type { AccessRequest, StatementRef, Verdict } from './evaluate.ts';
import { asList } from './policy.ts';
import type { OneOrMany } from './policy.ts';
import { coversLiteralStar } from './resources.ts';

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

function elementText(values: string[]): string {
  return values.length === 1 ? values[0]! : `[${values.join(', ')}]`;
}

function resourceElement(ref: StatementRef, element: 'Resource' | 'NotResource'): string[] {
  return asList(ref.statement[element] as OneOrMany<unknown> | undefined).filter((v): v is string => typeof v === 'string');
}

/**
 * A request on no resource ("*") is judged on the statement as written: the engine saw it
 * rewritten for the literal "*" (evaluate.ts), which is not what the learner wrote.
 */
function literalStarResource(ref: StatementRef): string {
  const resources = resourceElement(ref, 'Resource');
  if (ref.statement.Resource !== undefined) {
    const hit = resources.find(coversLiteralStar) ?? '*';
    return hit === '*' ? 'its Resource is "*"' : `its Resource "${hit}" covers "*"`;
  }
  return `its NotResource ${elementText(resourceElement(ref, 'NotResource'))} leaves "*" in`;
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

/**
 * Why a condition holds on a key the request does not carry. IAM has three such cases
 * (IAM User Guide, "Condition operators": …IfExists; "Single-valued vs. multivalued context
 * keys": ForAllValues "returns true if there are no context keys in the request"; negated
 * operators such as StringNotEquals match when the key is absent; read 2026-12-01), and the
 * message names the one this condition uses.
 */
function whyMissingKeyPasses(c: ConditionExplain): string {
  const absent = `the request has no ${c.conditionKeyValue}`;
  if (/^ForAllValues:/i.test(c.operator)) return `${absent}, and ForAllValues is true when the request has no such key`;
  if (/IfExists$/i.test(c.operator)) return `${absent}, so IfExists passes`;
  if (/^(?:StringNot|ArnNot|NotIp|NumericNotEquals|DateNotEquals)/i.test(c.operator)) {
    return `${absent}, and ${c.operator}, a negated operator, is true when the request has no such key`;
  }
  return `${absent}, and ${c.operator} holds without it`;
}

/** Why a matching statement applies: action, resource, and the conditions it passed. */
export function whyStatementMatches(ref: StatementRef, request: AccessRequest): string {
  const reasons = [
    matchedAction(ref.explain, request.action),
    request.resource === '*' ? literalStarResource(ref) : matchedResource(ref.explain, request.resource),
  ];
  const conditions = ref.explain.conditions ?? [];
  if (conditions.length) {
    reasons.push(
      `its condition${conditions.length > 1 ? 's' : ''} ${conditions.map((c) => `${conditionText(c)} (${c.matchedBecauseMissing ? whyMissingKeyPasses(c) : `request: ${requestValue(c)}`})`).join(' and ')} ${conditions.length > 1 ? 'hold' : 'holds'}`,
    );
  } else {
    reasons.push('it has no Condition');
  }
  return reasons.join(', ');
}

/** Why a statement that names the action did not apply. */
function namesAction(ref: StatementRef, action: string): string {
  const hit = list(ref.explain.actions).find((a) => a.matches);
  return hit && hit.action !== action ? `${ref.label} names ${action} (through ${hit.action})` : `${ref.label} names ${action}`;
}

export function whyStatementMisses(ref: StatementRef, request: AccessRequest): string {
  if (request.resource === '*' && !ref.explain.resourceMatch) {
    const names = namesAction(ref, request.action);
    if (ref.statement.Resource !== undefined) {
      return `${names} but its Resource is ${elementText(resourceElement(ref, 'Resource'))}; ${request.action} acts on no resource, so only a statement with "Resource": "*" grants it`;
    }
    return `${names} but its NotResource ${elementText(resourceElement(ref, 'NotResource'))} excludes "*", the resource of a request on no resource`;
  }
  if (!ref.explain.resourceMatch) {
    const resources = list(ref.explain.resources);
    if (resources.length) {
      const shown = resources.map((r) => (r.resolvedValue && r.resolvedValue !== r.resource ? `${r.resource} (here ${r.resolvedValue})` : r.resource));
      const unresolved = resources.find((r) => r.mismatchReason === 'unresolvablePolicyVariable');
      if (unresolved) return `${namesAction(ref, request.action)} but its Resource ${unresolved.resource} uses a variable this request does not have`;
      return `${namesAction(ref, request.action)} but its Resource ${elementText(shown)} does not cover ${request.resource}`;
    }
    return `${namesAction(ref, request.action)} but its NotResource excludes ${request.resource}`;
  }
  const failed = (ref.explain.conditions ?? []).filter((c) => !c.matches);
  if (failed.length) {
    return `${namesAction(ref, request.action)} but its condition ${failed
      .map((c) => `${conditionText(c)} does not hold (request: ${c.failedBecauseMissing ? 'key absent' : requestValue(c)})`)
      .join(' and ')}`;
  }
  return `${namesAction(ref, request.action)} but does not apply to this request`;
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
