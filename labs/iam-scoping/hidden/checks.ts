// Hidden checks of iam-scoping (CLI only): the rules of the steps on requests learners do not
// see, so that passing means the policy states the rule, not the examples.

import { lab } from '../checks.ts';
import { checkGroup, checkTls } from '../grading.ts';
import { checkLeastPrivilege } from './least-privilege.ts';
import { hiddenGroups } from './matrix.ts';

const STEP: Record<string, number> = { ds: 2, mle: 3, de: 4, ps: 5 };

export default lab.checks(({ step, check }) => {
  for (const group of hiddenGroups) {
    step(STEP[group.id.split('-')[0]!]!, () => {
      check(group.id, group.title, (context) => checkGroup(context, group));
    });
  }
  // Least privilege beyond the matrix. One point each, like a matrix check: every over-grant a
  // matrix check catches is also one of these, so more weight would punish one mistake twice.
  const leastPrivilege = [
    { step: 2, id: 'ds-least-privilege', role: 'dataScientist', title: 'Data scientists can do nothing beyond step 2' },
    { step: 3, id: 'mle-least-privilege', role: 'mlEngineer', title: 'ML engineers can do nothing beyond step 3' },
    { step: 4, id: 'de-least-privilege', role: 'dataEngineer', title: 'Data engineers can do nothing beyond step 4' },
    { step: 5, id: 'ps-least-privilege', role: 'productionServing', title: 'Production serving can do nothing beyond step 5' },
  ] as const;
  for (const c of leastPrivilege) {
    step(c.step, () => {
      check(c.id, c.title, (context) => checkLeastPrivilege(context, c.role));
    });
  }
  step(6, () => {
    check('tls-hidden-requests', 'S3 requests of the hidden cases are denied without TLS too', (context) => checkTls(context, hiddenGroups));
  });
});
