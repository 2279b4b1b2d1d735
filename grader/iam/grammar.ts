// Would IAM accept this identity policy? @cloud-copilot/iam-policy checks the JSON grammar
// (elements, types, Effect, Action format, Principal not allowed…); the rules below add what
// IAM's CreatePolicy also rejects and the library lets through. Sources, read 2026-11-25:
// - IAM JSON policy element reference, https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements.html
//   (Sid: ASCII letters and digits in IAM policies; Version 2012-10-17 needed for policy variables;
//   condition operators, reference_policies_elements_condition_operators.html)
// - IAM and AWS STS quotas (characters allowed in a policy document: tab, LF, CR, U+0020–U+00FF).

import { lintPolicy, validateIdentityPolicy } from '@cloud-copilot/iam-policy';
import { asList, statementsOf } from './policy.ts';
import type { OneOrMany, PolicyStatement } from './policy.ts';

export interface GrammarProblem {
  /** Where in the document, e.g. 'Statement[2].Resource' ('' for the document itself). */
  path: string;
  /** The statement it concerns, when there is one (0-based). */
  statementIndex?: number;
  message: string;
}

const BASE_OPERATORS = [
  'StringEquals', 'StringNotEquals', 'StringEqualsIgnoreCase', 'StringNotEqualsIgnoreCase', 'StringLike', 'StringNotLike',
  'NumericEquals', 'NumericNotEquals', 'NumericLessThan', 'NumericLessThanEquals', 'NumericGreaterThan', 'NumericGreaterThanEquals',
  'DateEquals', 'DateNotEquals', 'DateLessThan', 'DateLessThanEquals', 'DateGreaterThan', 'DateGreaterThanEquals',
  'Bool', 'BinaryEquals', 'IpAddress', 'NotIpAddress', 'ArnEquals', 'ArnLike', 'ArnNotEquals', 'ArnNotLike',
];

export function isConditionOperator(name: string): boolean {
  if (name === 'Null') return true;
  const bare = name.replace(/^(ForAllValues|ForAnyValue):/, '').replace(/IfExists$/, '');
  return BASE_OPERATORS.includes(bare);
}

/** `arn:partition:service:region:account:resource`, as IAM requires of every Resource but "*". */
const ARN = /^arn:(?:aws|aws-cn|aws-us-gov|\*):[^:]*:[^:]*:[^:]*:.+$/;

function statementIndexOf(path: string): number | undefined {
  const m = /^Statement\[(\d+)\]/.exec(path);
  return m ? Number(m[1]) : undefined;
}

function readablePath(path: string): string {
  return path.replace(/\.#/g, '.');
}

export interface GrammarOptions {
  /**
   * Require "Version": "2012-10-17". IAM accepts a missing Version (it then means 2008-10-17),
   * but policy variables such as ${aws:username} only work in 2012-10-17, so labs insist.
   */
  requireCurrentVersion?: boolean;
}

/** Every reason IAM would reject this document as an identity policy; empty when it is valid. */
export function grammarProblems(document: unknown, json: string, options: GrammarOptions = {}): GrammarProblem[] {
  if (document === null || typeof document !== 'object' || Array.isArray(document)) {
    return [{ path: '', message: `a policy is an object { Version, Statement }, not ${describe(document)}` }];
  }
  const problems: GrammarProblem[] = [];
  const seen = new Set<string>();
  const add = (path: string, message: string) => {
    const key = `${path}|${message}`;
    if (seen.has(key)) return;
    seen.add(key);
    const statementIndex = statementIndexOf(path);
    problems.push({ path: readablePath(path), message, ...(statementIndex === undefined ? {} : { statementIndex }) });
  };

  for (const p of [...validateIdentityPolicy(document), ...lintPolicy(document)]) add(p.path, p.message);

  const bad = /[^\t\n\r\u0020-\u00ff]/.exec(json);
  if (bad) {
    add('', `it contains the character '${bad[0]}' (U+${bad[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}); IAM accepts only tab, line breaks and U+0020–U+00FF in a policy`);
  }

  const version = (document as { Version?: unknown }).Version;
  if (options.requireCurrentVersion && version === undefined) {
    add('Version', 'Version is missing: without "Version": "2012-10-17" IAM reads the policy as 2008-10-17, where ${aws:username} is plain text, not a variable');
  } else if (options.requireCurrentVersion && version === '2008-10-17') {
    add('Version', 'Version 2008-10-17 does not support policy variables such as ${aws:username}; use "2012-10-17"');
  }

  const raw = (document as { Statement?: unknown }).Statement;
  if (Array.isArray(raw) && raw.length === 0) add('Statement', 'a policy needs at least one statement');

  statementsOf(document).forEach((statement, i) => {
    if (!statement || typeof statement !== 'object') return;
    const at = `Statement[${i}]`;
    checkStatement(statement, at, add);
  });
  return problems;
}

function checkStatement(statement: PolicyStatement, at: string, add: (path: string, message: string) => void): void {
  const sid: unknown = statement.Sid;
  if (typeof sid === 'string' && !/^[A-Za-z0-9]*$/.test(sid)) {
    add(`${at}.Sid`, `Sid '${sid}' may contain only ASCII letters and digits in an IAM policy (no spaces, dashes or underscores)`);
  }
  for (const element of ['Action', 'NotAction', 'Resource', 'NotResource'] as const) {
    const value = statement[element] as OneOrMany<unknown> | undefined;
    if (Array.isArray(value) && value.length === 0) add(`${at}.${element}`, `${element} is an empty list: name at least one`);
  }
  for (const element of ['Resource', 'NotResource'] as const) {
    for (const resource of asList(statement[element] as OneOrMany<unknown> | undefined)) {
      if (typeof resource === 'string' && resource !== '*' && !ARN.test(resource)) {
        add(`${at}.${element}`, `Resource '${resource}' must be "*" or an ARN such as arn:aws:s3:::bucket/key`);
      }
    }
  }
  const condition: unknown = statement.Condition;
  if (condition && typeof condition === 'object' && !Array.isArray(condition)) {
    for (const operator of Object.keys(condition)) {
      if (!isConditionOperator(operator)) {
        add(`${at}.Condition.${operator}`, `'${operator}' is not a condition operator (StringEquals, StringLike, Bool, ArnLike…, optionally with IfExists)`);
      }
    }
  }
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}
