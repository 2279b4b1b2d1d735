// Step 5's checks: applyLifecycle against the fake S3, with the reference configuration (so a
// mistake of steps 3 and 4 does not cost these points too).

import { describe, describeCall, describeThrown, fail } from 'whetstone/checks';
import type { Context } from './checks.ts';
import { OTHER_TEAM_RULE, callApply, expectHeld } from './grading.ts';
import { BUCKET, PLATFORM } from './platform.ts';
import { PRICES } from './prices.ts';
import { referenceRules } from './reference.ts';

export async function expectReadBack(ctx: Context, othersFirst: boolean): Promise<void> {
  if (othersFirst) ctx.fake.setLifecycle(BUCKET, { Rules: [structuredClone(OTHER_TEAM_RULE)] });
  const rules = referenceRules(PLATFORM, PRICES);
  const returned = await callApply(ctx, { Rules: rules });
  const puts = ctx.env.trace.calls('s3', 'PutBucketLifecycleConfiguration');
  if (puts.length === 0) fail(`applyLifecycle must put the configuration with PutBucketLifecycleConfigurationCommand; your code made no such call and returned ${describe(returned)}.`);
  const ids = [...(othersFirst ? [OTHER_TEAM_RULE.ID!] : []), ...rules.map((r) => r.ID!)];
  if (othersFirst && !ctx.fake.lifecycleRules(BUCKET)?.some((r) => r.ID === OTHER_TEAM_RULE.ID)) {
    fail(
      `The bucket already held the analytics team's rule '${OTHER_TEAM_RULE.ID}'; after your ${describeCall(puts.at(-1)!)} it is gone. ` +
        'A put replaces the whole configuration: read the rules first (GetBucketLifecycleConfigurationCommand) and put theirs with yours.',
    );
  }
  const gets = ctx.env.trace.calls('s3', 'GetBucketLifecycleConfiguration');
  const readAfter = gets.some((g) => ctx.env.trace.entries.indexOf(g) > ctx.env.trace.entries.indexOf(puts.at(-1)!));
  if (!readAfter) fail(`applyLifecycle must read the configuration back after the put (GetBucketLifecycleConfigurationCommand) and return its rules; your code returned ${describe(returned)} without reading.`);
  expectHeld(ctx, returned, ids);
}

export async function expectRefusalReported(ctx: Context): Promise<void> {
  const rules = referenceRules(PLATFORM, PRICES);
  const bad = { Rules: [...rules, { ID: 'too-soon', Status: 'Enabled' as const, Filter: { Prefix: 'exports/' }, Transitions: [{ Days: 7, StorageClass: 'STANDARD_IA' as const }] }] };
  let returned: unknown;
  try {
    returned = await ctx.lifecycle.applyLifecycle(ctx.s3, BUCKET, bad);
  } catch (error) {
    const text = error instanceof Error ? error.message : '';
    if (error instanceof Error && text.includes("must be greater than or equal to 30")) return;
    fail(`S3 refused a configuration with a transition to STANDARD_IA after 7 days ("'Days' in Transition action must be greater than or equal to 30 for storageClass 'STANDARD_IA'"); your applyLifecycle threw ${describeThrown(error, ctx.submission.files)}, which does not say S3's reason.`);
  }
  fail(`S3 refused a configuration with a transition to STANDARD_IA after 7 days; your applyLifecycle returned ${describe(returned)} instead of throwing an Error with S3's message, so the caller believes the rules are in place.`);
}
