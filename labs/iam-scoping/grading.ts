// How this lab grades: load the learner's four policies as AWS would receive them, refuse the
// ones IAM would refuse, then decide each request of a group with iam-simulate and say, for
// every miss, which request, what the policy decided, and which statement is responsible.

import type { CheckContext } from 'whetstone/checks';
import { evaluate } from 'whetstone/iam/evaluate';
import type { AccessRequest } from 'whetstone/iam/evaluate';
import { describeRequest, explainAllowed, explainDenied } from 'whetstone/iam/explain';
import { grammarProblems } from 'whetstone/iam/grammar';
import { lintDocument } from 'whetstone/iam/lint';
import type { LintFinding, LintRule } from 'whetstone/iam/lint';
import { snapshotPolicy } from 'whetstone/iam/policy';
import type { NamedPolicy } from 'whetstone/iam/policy';
import { ROLES, principalOf } from './platform.ts';
import type { RoleName } from './platform.ts';
import type { AccessCase, AccessGroup } from './matrix.ts';

export const LEARNER_FILE = 'policies.ts';

/** Failures shown per check; the rest are counted. */
const SHOWN = 3;

export type Loaded =
  | { role: RoleName; ok: true; policy: NamedPolicy; json: string }
  | { role: RoleName; ok: false; problem: string };

/** One role's policy from the learner's module, as JSON AWS would accept, or why not. */
export function loadRole(module: Record<string, unknown>, role: RoleName): Loaded {
  const snapshot = snapshotPolicy(module[role]);
  if (!snapshot.ok) return { role, ok: false, problem: `${role} cannot be sent to IAM: ${snapshot.problem}.` };
  const problems = grammarProblems(snapshot.document, snapshot.json, { requireCurrentVersion: true });
  if (problems.length) {
    const first = problems[0]!;
    const where = first.path ? ` (${first.path})` : '';
    const more = problems.length > 1 ? ` …and ${problems.length - 1} more problem${problems.length > 2 ? 's' : ''}` : '';
    return { role, ok: false, problem: `IAM would reject ${role}${where}: ${first.message}.${more}` };
  }
  return { role, ok: true, policy: { name: role, document: snapshot.document }, json: snapshot.json };
}

export function loadAll(context: CheckContext<unknown>): Loaded[] {
  const module = context.submission.load<Record<string, unknown>>(LEARNER_FILE);
  return ROLES.map((role) => loadRole(module, role));
}

export function requestOf(role: RoleName, c: AccessCase): AccessRequest {
  return {
    principal: principalOf(role, c.user),
    action: c.action,
    resource: c.resource,
    context: { 'aws:SecureTransport': 'true', 'aws:RequestedRegion': 'us-east-1', ...c.context },
  };
}

function who(role: RoleName, c: AccessCase): string {
  return role === 'dataScientist' ? `${role} (as user ${c.user ?? 'alice'})` : role;
}

/** One line per case the policy gets wrong; empty when it gets every case right. */
export async function caseFailures(policy: NamedPolicy, role: RoleName, cases: readonly AccessCase[]): Promise<string[]> {
  const failures: string[] = [];
  for (const c of cases) {
    const request = requestOf(role, c);
    const verdict = await evaluate([policy], request);
    const allowed = verdict.decision === 'allowed';
    if (c.expect === 'allow' && !allowed) {
      failures.push(`${who(role, c)} must be able to ${describeRequest(request)}, but ${explainDenied(verdict, request)}.`);
    } else if (c.expect === 'deny' && allowed) {
      failures.push(`${who(role, c)} must NOT be able to ${describeRequest(request)}, but ${explainAllowed(verdict, request)}.`);
    }
  }
  return failures;
}

export function summarise(failures: readonly string[], rule: string): string {
  const shown = failures.slice(0, SHOWN).join(' ');
  const more = failures.length > SHOWN ? ` …and ${failures.length - SHOWN} more request${failures.length - SHOWN > 1 ? 's' : ''} decided wrongly.` : '';
  return `${shown}${more} Rule: ${rule}`;
}

/** The body of a matrix check: every case of the group decided as the rule says. */
export async function checkGroup(context: CheckContext<unknown>, group: AccessGroup): Promise<void> {
  const module = context.submission.load<Record<string, unknown>>(LEARNER_FILE);
  const loaded = loadRole(module, group.role);
  if (!loaded.ok) context.fail(`${loaded.problem} Until IAM accepts the policy, none of its requests can be decided.`);
  const failures = await caseFailures(loaded.policy, group.role, group.cases);
  if (failures.length) context.fail(summarise(failures, group.rule));
}

/** Policies a lint rule can look at, and a note about the ones it cannot (yet). */
export function lintable(context: CheckContext<unknown>): Extract<Loaded, { ok: true }>[] {
  const all = loadAll(context);
  const valid = all.filter((l): l is Extract<Loaded, { ok: true }> => l.ok);
  const invalid = all.filter((l) => !l.ok).map((l) => l.role);
  if (!valid.length) {
    context.fail(`Nothing to check yet: IAM would reject all four policies (see the check 'Every policy is one IAM accepts').`);
  }
  if (invalid.length) context.note(`Not checked until IAM accepts them: ${invalid.join(', ')}.`);
  return valid;
}

/** The body of a lint check: no finding of `rule` in any policy IAM accepts. */
export async function checkLint(context: CheckContext<unknown>, rule: LintRule, advice: string): Promise<void> {
  const findings: string[] = [];
  for (const loaded of lintable(context)) {
    const own = (await lintDocument(loaded.policy.document, loaded.json)).filter((f: LintFinding) => f.rule === rule);
    findings.push(...own.map((f) => `${loaded.role}: ${f.message}.`));
  }
  if (findings.length) {
    const more = findings.length > SHOWN ? ` …and ${findings.length - SHOWN} more.` : '';
    context.fail(`${findings.slice(0, SHOWN).join(' ')}${more} ${advice}`);
  }
}

/** The role's S3 requests of the groups that must be allowed (the TLS check flips them). */
export function s3Allows(groups: readonly AccessGroup[], role: RoleName): AccessCase[] {
  return groups.filter((g) => g.role === role).flatMap((g) => g.cases.filter((c) => c.expect === 'allow' && c.action.startsWith('s3:')));
}

export const TLS_RULE =
  'every S3 access requires TLS: either a condition Bool aws:SecureTransport "true" on each Allow that grants S3, or one Deny of S3 actions when aws:SecureTransport is "false" (step 6).';

/**
 * The body of a TLS check: each S3 request of the groups that a role's policy allows over TLS
 * must be denied when aws:SecureTransport is false. Requests the policy does not allow at all
 * are the role checks' business, not this one's.
 */
export async function checkTls(context: CheckContext<unknown>, groups: readonly AccessGroup[]): Promise<void> {
  const failures: string[] = [];
  let tested = 0;
  for (const loaded of loadAll(context)) {
    if (!loaded.ok) continue;
    for (const c of s3Allows(groups, loaded.role)) {
      const secure = await evaluate([loaded.policy], requestOf(loaded.role, c));
      if (secure.decision !== 'allowed') continue;
      tested += 1;
      const request = requestOf(loaded.role, { ...c, context: { ...c.context, 'aws:SecureTransport': 'false' } });
      const plain = await evaluate([loaded.policy], request);
      if (plain.decision === 'allowed') {
        failures.push(`${loaded.role} must NOT be able to ${describeRequest(request)}, but ${explainAllowed(plain, request)}.`);
      }
    }
  }
  if (!tested) context.fail('Nothing to check yet: no policy allows any of these S3 requests over TLS.');
  if (failures.length) context.fail(summarise(failures, TLS_RULE));
}
