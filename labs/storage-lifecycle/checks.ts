// Public checks of storage-lifecycle. Steps 1 and 2 are pure functions judged against the
// reference reasoning (reference.ts); the configuration of steps 3 and 4 is judged by two
// simulated years of the ML bucket on the fake S3 (year.ts): what S3 refuses, what its rules
// touch, which reads fail, what is kept, what the year costs; step 5 runs against the fake S3.

import { defineLab } from 'whetstone/checks';
import type { ContextOf } from 'whetstone/checks';
import { FakeS3 } from 'whetstone/aws/s3';
import type * as Lifecycle from './starter/lifecycle.ts';
import { NEEDS as N } from './fixtures.ts';
import {
  PLATFORM_CASE,
  expectCheapestPlan,
  expectCheckpointsKept,
  expectClasses,
  expectModelRollback,
  expectOnlyOwnPrefixes,
  expectReadsAnswer,
  expectRetention,
  expectSmallObjectsStay,
  expectStayCosts,
  expectUploadsAborted,
  learnerRules,
} from './grading.ts';
import { expectRefusalReported, expectReadBack } from './apply.ts';
import { BUCKET } from './platform.ts';

export const lab = defineLab({
  aws: (env) => ({ s3: new FakeS3(env) }),
  open: ({ aws, submission }) => {
    aws.s3.createBucket(BUCKET);
    aws.s3.setVersioning(BUCKET, 'Enabled');
    return { fake: aws.s3, s3: aws.s3.client(), lifecycle: submission.load<typeof Lifecycle>('lifecycle.ts') };
  },
});

export type Context = ContextOf<typeof lab>;

/** Two simulated years: the first check of a grading to ask for them pays (a quarter to half a second of CPU); the limit leaves room for a loaded machine. */
const YEARS = { timeoutMs: 30_000 };

export default lab.checks(({ step, check }) => {
  step(1, () => {
    check('stay-cost-standard', 'Storage, requests and reads of a stay in STANDARD and Intelligent-Tiering', (ctx) =>
      expectStayCosts(ctx, [
        { need: N.hotFeatures, storageClass: 'STANDARD' },
        { need: N.notebookOutputs, storageClass: 'INTELLIGENT_TIERING' },
        { need: N.tinyUnknown, storageClass: 'INTELLIGENT_TIERING' },
      ]),
    );
    check('stay-cost-minimums', 'Minimum durations, minimum billable sizes and archive overheads', (ctx) =>
      expectStayCosts(ctx, [
        { need: N.tenDaysInIa, storageClass: 'STANDARD_IA' },
        { need: N.smallInOneZone, storageClass: 'ONEZONE_IA' },
        { need: N.fortyDaysInGlacier, storageClass: 'GLACIER' },
        { need: N.yearInDeepArchive, storageClass: 'DEEP_ARCHIVE' },
      ]),
    );
  });

  step(2, () => {
    check('class-cheapest', 'The cheapest class for hot, cold and rebuildable data', (ctx) => expectClasses(ctx, [N.hotFeatures, N.coldRaw, N.rebuildableShards, N.tenDaysInIa]));
    check('class-read-time', 'No class whose first byte comes later than the read may wait', (ctx) => expectClasses(ctx, [N.auditInstant, N.auditFiveHours]));
    check('class-durability', 'One Zone-IA only for data that can be recreated', (ctx) => expectClasses(ctx, [N.monthlyReports]));
    check('class-unknown-access', 'Intelligent-Tiering when nobody knows the access pattern', (ctx) => expectClasses(ctx, [N.notebookOutputs, N.tinyUnknown]));
  });

  step(3, () => {
    check('accepted-by-s3', 'S3 accepts the configuration', (ctx) => void learnerRules(ctx, PLATFORM_CASE));
    check('own-prefixes-only', "No rule touches another team's prefix", (ctx) => expectOnlyOwnPrefixes(ctx, PLATFORM_CASE), YEARS);
    check('reads-answer', 'Every read of the year answers in time', (ctx) => expectReadsAnswer(ctx, PLATFORM_CASE), YEARS);
    check('retention', 'Each zone keeps its data as long as it says, and no longer', (ctx) => expectRetention(ctx, PLATFORM_CASE), YEARS);
    check('small-objects-stay', 'No transition S3 would skip for objects under 128 KiB', (ctx) => expectSmallObjectsStay(ctx, PLATFORM_CASE), YEARS);
    check('cheapest-plan', 'Each zone’s year costs no more than the plan of step 3', (ctx) => expectCheapestPlan(ctx, PLATFORM_CASE), { ...YEARS, points: 2 });
  });

  step(4, () => {
    check('abort-uploads', 'Incomplete multipart uploads are aborted', (ctx) => expectUploadsAborted(ctx, PLATFORM_CASE), YEARS);
    check('checkpoints-kept', 'The newest checkpoints survive, older ones go', (ctx) => expectCheckpointsKept(ctx, PLATFORM_CASE), YEARS);
    check('models-rollback', 'Replaced models stay for the rollback window, then go with their markers', (ctx) => expectModelRollback(ctx, PLATFORM_CASE), YEARS);
  });

  step(5, () => {
    check('apply-reads-back', 'Puts the configuration and returns what S3 holds', async (ctx) => expectReadBack(ctx, false));
    check('keeps-other-rules', "Keeps the rules other teams put on the bucket", async (ctx) => expectReadBack(ctx, true));
    check('refusal-reaches-you', "S3's refusal reaches the caller in an Error", (ctx) => expectRefusalReported(ctx));
  });
});


