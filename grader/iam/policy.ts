// Identity policies as the grader handles them: the learner's value is turned into plain JSON
// first (as AWS receives a policy: a JSON document), then read through small accessors that
// accept both spellings IAM accepts (a string or an array of strings, one statement or many).

export type OneOrMany<T> = T | T[];

export interface PolicyStatement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Action?: OneOrMany<string>;
  NotAction?: OneOrMany<string>;
  Resource?: OneOrMany<string>;
  NotResource?: OneOrMany<string>;
  Condition?: Record<string, Record<string, OneOrMany<string | boolean | number>>>;
}

export interface PolicyDocument {
  Version: '2012-10-17';
  Statement: PolicyStatement[];
}

/** A policy by the name the lab gives it (e.g. the learner's export, 'dataScientist'). */
export interface NamedPolicy {
  name: string;
  /** Plain JSON data, as parsed from the learner's value; not yet validated. */
  document: unknown;
}

export type PolicySnapshot = { ok: true; document: unknown; json: string } | { ok: false; problem: string };

/**
 * The learner's value as the JSON document AWS would receive. JSON.stringify runs getters and
 * drops functions and undefined, exactly what sending the policy to AWS would do; a cycle or a
 * BigInt cannot be sent at all.
 */
export function snapshotPolicy(value: unknown): PolicySnapshot {
  if (value === undefined) return { ok: false, problem: 'it is undefined (is it exported?)' };
  let json: string | undefined;
  try {
    json = JSON.stringify(value);
  } catch (error) {
    return { ok: false, problem: `it cannot be written as JSON (${(error as Error).message})` };
  }
  if (json === undefined) return { ok: false, problem: 'it cannot be written as JSON' };
  return { ok: true, document: JSON.parse(json) as unknown, json };
}

export function asList<T>(value: OneOrMany<T> | undefined): T[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/** The statements of a (grammatically valid) document, one or many. */
export function statementsOf(document: unknown): PolicyStatement[] {
  const statement = (document as { Statement?: unknown } | null)?.Statement;
  if (Array.isArray(statement)) return statement as PolicyStatement[];
  if (statement && typeof statement === 'object') return [statement as PolicyStatement];
  return [];
}

/** How messages name a statement: its Sid when it has one, else its position (1-based). */
export function statementLabel(statement: PolicyStatement, index: number): string {
  return typeof statement.Sid === 'string' && statement.Sid !== ''
    ? `statement '${statement.Sid}'`
    : `statement #${index + 1} (no Sid)`;
}

/**
 * Size as IAM counts it against the 6,144-character managed-policy quota: the document's
 * characters without white space ("IAM doesn't count white space when calculating the size of a
 * policy", IAM and AWS STS quotas, https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html,
 * read 2026-11-25). We count the compact JSON with every white-space character removed.
 */
export function policySize(json: string): number {
  return json.replace(/\s/g, '').length;
}

export const MANAGED_POLICY_MAX_CHARS = 6144;
