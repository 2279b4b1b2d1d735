// Hidden checks of iam-scoping (CLI only): the rules of the steps on requests learners do not
// see, so that passing means the policy states the rule, not the examples.

import { lab } from '../checks.ts';
import { checkGroup, checkTls } from '../grading.ts';
import { hiddenGroups } from './matrix.ts';

const STEP: Record<string, number> = { ds: 2, mle: 3, de: 4, ps: 5 };

export default lab.checks(({ step, check }) => {
  for (const group of hiddenGroups) {
    step(STEP[group.id.split('-')[0]!]!, () => {
      check(group.id, group.title, (context) => checkGroup(context, group));
    });
  }
  step(6, () => {
    check('tls-hidden-requests', 'S3 requests of the hidden cases are denied without TLS too', (context) => checkTls(context, hiddenGroups));
  });
});
