// Least-privilege lint for identity policies (LABS.md §4). AWS accepts every one of these; each
// is a habit that turns a leaked credential into an incident. The wildcard and Resource rules
// apply to Allow statements only: a broad Deny only takes permissions away.

import { expandActionPattern, isPlatformService, actionInfo, splitAction, supportsResourceLevelPermissions, IAM_SERVICES } from './services.ts';
import { MANAGED_POLICY_MAX_CHARS, asList, policySize, statementLabel, statementsOf } from './policy.ts';
import type { OneOrMany, PolicyStatement } from './policy.ts';

export type LintRule = 'unknown-action' | 'wildcard-action' | 'resource-star' | 'allow-notaction' | 'size';

export interface LintFinding {
  rule: LintRule;
  /** 0-based; absent for findings about the whole document. */
  statementIndex?: number;
  /** "statement 'ReadLake'" or "statement #3 (no Sid)". */
  statement?: string;
  message: string;
}

function elementList(statement: PolicyStatement, element: 'Action' | 'NotAction' | 'Resource'): string[] {
  return asList(statement[element] as OneOrMany<unknown> | undefined).filter((v): v is string => typeof v === 'string');
}

/** Actions named in Action/NotAction that do not exist, or belong to no service of the platform. */
export async function unknownActions(document: unknown): Promise<LintFinding[]> {
  const findings: LintFinding[] = [];
  for (const [i, statement] of statementsOf(document).entries()) {
    const label = statementLabel(statement, i);
    for (const element of ['Action', 'NotAction'] as const) {
      for (const action of elementList(statement, element)) {
        if (action === '*') continue;
        const split = splitAction(action);
        if (!split) continue; // a grammar problem, reported by grammar.ts
        if (!isPlatformService(split[0])) {
          findings.push({
            rule: 'unknown-action', statementIndex: i, statement: label,
            message: `${label} names ${action}, but '${split[0]}' is not a service of this platform (${IAM_SERVICES.join(', ')})`,
          });
          continue;
        }
        const matches = /[*?]/.test(split[1]) ? await expandActionPattern(action) : (await actionInfo(action)) ? [action] : [];
        if (matches.length === 0) {
          findings.push({
            rule: 'unknown-action', statementIndex: i, statement: label,
            message: `${label} names ${action}, which matches no ${split[0]} action in the Service Authorization Reference (a typo grants nothing)`,
          });
        }
      }
    }
  }
  return findings;
}

export function wildcardActions(document: unknown): LintFinding[] {
  const findings: LintFinding[] = [];
  statementsOf(document).forEach((statement, i) => {
    if (statement.Effect !== 'Allow') return;
    const label = statementLabel(statement, i);
    for (const action of elementList(statement, 'Action')) {
      if (action === '*' || /^[^:]+:\*$/.test(action)) {
        findings.push({
          rule: 'wildcard-action', statementIndex: i, statement: label,
          message: `${label} allows "${action}", every ${action === '*' ? 'action of every service' : `action of ${action.split(':')[0]}`}, including the ones nobody in this role needs; list the actions instead`,
        });
      }
    }
  });
  return findings;
}

export async function resourceStar(document: unknown): Promise<LintFinding[]> {
  const findings: LintFinding[] = [];
  for (const [i, statement] of statementsOf(document).entries()) {
    if (statement.Effect !== 'Allow' || !elementList(statement, 'Resource').includes('*')) continue;
    const scopable: string[] = [];
    for (const pattern of elementList(statement, 'Action')) {
      const actions = /[*?]/.test(pattern) ? await expandActionPattern(pattern) : [pattern];
      for (const action of actions) {
        const info = await actionInfo(action);
        if (info && supportsResourceLevelPermissions(info)) scopable.push(info.name);
      }
    }
    if (scopable.length) {
      const label = statementLabel(statement, i);
      const shown = scopable.slice(0, 3).join(', ') + (scopable.length > 3 ? ` and ${scopable.length - 3} more` : '');
      findings.push({
        rule: 'resource-star', statementIndex: i, statement: label,
        message: `${label} allows ${shown} on "Resource": "*", but ${scopable.length === 1 ? 'this action supports' : 'these actions support'} resource-level permissions: name the ARNs (keep "*" only for actions that have no resource type, in a statement of their own)`,
      });
    }
  }
  return findings;
}

export function allowWithNotAction(document: unknown): LintFinding[] {
  const findings: LintFinding[] = [];
  statementsOf(document).forEach((statement, i) => {
    if (statement.Effect === 'Allow' && statement.NotAction !== undefined) {
      const label = statementLabel(statement, i);
      findings.push({
        rule: 'allow-notaction', statementIndex: i, statement: label,
        message: `${label} is an Allow with NotAction: it grants every action except the ones listed, including actions AWS adds in the future; allow the actions you mean with Action`,
      });
    }
  });
  return findings;
}

export function sizeFinding(json: string): LintFinding[] {
  const size = policySize(json);
  if (size <= MANAGED_POLICY_MAX_CHARS) return [];
  return [{
    rule: 'size',
    message: `it is ${size.toLocaleString('en-US')} characters without white space; a managed policy may have at most ${MANAGED_POLICY_MAX_CHARS.toLocaleString('en-US')}, so IAM would refuse it (merge statements that share a Resource, or use wildcards in ARNs)`,
  }];
}

/** Every lint finding of one document (grammar aside), in rule order. */
export async function lintDocument(document: unknown, json: string): Promise<LintFinding[]> {
  return [
    ...(await unknownActions(document)),
    ...wildcardActions(document),
    ...(await resourceStar(document)),
    ...allowWithNotAction(document),
    ...sizeFinding(json),
  ];
}
