// Public checks of iam-scoping: the policies IAM would accept, then each role's request matrix
// (matrix.ts), then the guardrails that hold for all four. Hidden cases: hidden/checks.ts.

import { defineLab } from 'whetstone/checks';
import { FakeIAM } from 'whetstone/aws/iam';
import { unknownActions } from 'whetstone/iam/lint';
import { publicGroups } from './matrix.ts';
import type { AccessGroup } from './matrix.ts';
import { checkGroup, checkLint, checkTls, lintable, loadAll } from './grading.ts';

export const lab = defineLab({
  // Checks judge plain policy documents; the fake IAM is there for learners who simulate from code.
  aws: (env) => ({ iam: new FakeIAM(env) }),
  // Report the simulator's state only when the learner's code used it (the runtime skips undefined).
  state: (world) => (world.iam.simulations.length ? { iam: world.iam.snapshot() } : (undefined as unknown as Record<string, unknown>)),
});

function groupsOfStep(step: number): AccessGroup[] {
  const prefixes: Record<number, string> = { 2: 'ds-', 3: 'mle-', 4: 'de-', 5: 'ps-' };
  return publicGroups.filter((g) => g.id.startsWith(prefixes[step]!));
}

export default lab.checks(({ step, check }) => {
  step(1, () => {
    check('grammar', 'Every policy is one IAM accepts', (context) => {
      const problems = loadAll(context).filter((l) => !l.ok).map((l) => (l.ok ? '' : l.problem));
      if (problems.length) context.fail(problems.join(' '));
    });
    check('known-actions', 'Every action exists and belongs to a service of the platform', async (context) => {
      const findings: string[] = [];
      for (const loaded of lintable(context)) {
        findings.push(...(await unknownActions(loaded.policy.document)).map((f) => `${loaded.role}: ${f.message}.`));
      }
      if (findings.length) {
        context.fail(`${findings.slice(0, 3).join(' ')}${findings.length > 3 ? ` …and ${findings.length - 3} more.` : ''} Spell actions as the Service Authorization Reference does (service prefix, a colon, the API name).`);
      }
    });
  });

  for (const s of [2, 3, 4, 5]) {
    step(s, () => {
      for (const group of groupsOfStep(s)) check(group.id, group.title, (context) => checkGroup(context, group));
    });
  }

  step(6, () => {
    check('tls-everywhere', 'Every S3 request without TLS is denied, for all four roles', (context) => checkTls(context, publicGroups));
    check('no-wildcard-actions', 'No Allow grants "*" or a whole service ("s3:*")', (context) =>
      checkLint(context, 'wildcard-action', 'Name the actions the role needs (step 6).'),
    );
    check('no-resource-star', 'No Allow uses "Resource": "*" for actions that can be scoped to resources', (context) =>
      checkLint(context, 'resource-star', 'Only actions without a resource type (ListMetrics, PutMetricData, DescribeScalableTargets…) may use "*" (step 6).'),
    );
    check('no-allow-notaction', 'No Allow statement uses NotAction', (context) =>
      checkLint(context, 'allow-notaction', 'NotAction belongs in Deny statements (step 6).'),
    );
    check('size-limit', 'Each policy fits the 6,144-character managed-policy quota', (context) =>
      checkLint(context, 'size', 'IAM counts the characters of the policy without white space (step 6).'),
    );
  });
});

