// How the checks judge the learner's functions: step 1's costs term by term, step 2's class
// against every class the rules allow, and the configuration of steps 3 and 4 by what it does to
// two simulated years of the bucket (year.ts) next to the reference configuration's years.

import type { BucketLifecycleConfiguration, LifecycleRule } from '@aws-sdk/client-s3';
import { count, describe, describeThrown, fail, list } from 'whetstone/checks';
import { lifecycleProblem } from 'whetstone/aws/s3';
import type { BillSummary } from 'whetstone/aws/s3';
import type { Context } from './checks.ts';
import { BUCKET, HOT_READERS, NEIGHBOURS, PLATFORM } from './platform.ts';
import { PRICES } from './prices.ts';
import { acceptableClasses, costParts, disallowed, rankedClasses, referenceRules, stayCost } from './reference.ts';
import type { BucketLayout, PriceTable, StorageClass, StorageNeed } from './starter/lifecycle.ts';
import { describeReads, isoDay, simulateYear } from './year.ts';
import type { Reader, YearOfData, YearOptions } from './year.ts';

const money = (dollars: number) => `$${dollars.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: dollars !== 0 && Math.abs(dollars) < 1 ? 6 : 2 })}`;

export function describeNeed(need: StorageNeed): string {
  const reads = need.readsPerMonth === 0 ? 'never read' : `read ${need.readsPerMonth >= 1 ? `${need.readsPerMonth}×` : `${Math.round(need.readsPerMonth * 1000) / 1000}×`} a month`;
  const wait = need.readWithinHours === 0 ? 'at once' : `within ${need.readWithinHours} h`;
  return `${count(need.objects, 'object')} of ${need.objectKiB.toLocaleString('en-US')} KiB for ${count(need.days, 'day')}, ${reads} (${wait}), ${need.recreatable ? 'recreatable' : 'not recreatable'}${need.accessKnown ? '' : ', access unknown'}`;
}

/** Step 1: the learner's stayCost for each case, to a millionth of the reference. */
export function expectStayCosts({ lifecycle, submission }: Context, cases: readonly { need: StorageNeed; storageClass: StorageClass; prices?: PriceTable }[]): void {
  for (const { need, storageClass, prices = PRICES } of cases) {
    const parts = costParts(need, storageClass, prices);
    let got: unknown;
    try {
      got = lifecycle.stayCost({ ...need }, storageClass, structuredClone(prices));
    } catch (error) {
      fail(`stayCost for ${describeNeed(need)} in ${storageClass} should be ${money(parts.total)}; your code threw ${describeThrown(error, submission.files)}.`);
    }
    if (typeof got === 'number' && Math.abs(got - parts.total) <= Math.max(1e-9, parts.total * 1e-6)) continue;
    const p = prices.classes[storageClass];
    const terms = [
      `entry ${money(parts.entry)}`,
      `storage ${money(parts.storage)}${need.days < p.minimumDays ? ` (billed for the ${p.minimumDays}-day minimum, not ${need.days} days)` : ''}${need.objectKiB < p.minimumBillableKiB ? ` (each object billed as ${p.minimumBillableKiB} KiB)` : ''}${p.overheadKiB > 0 ? ` (with ${p.overheadKiB} + ${p.overheadStandardKiB} KiB of overhead an object)` : ''}`,
      `monitoring ${money(parts.monitoring)}`,
      `reads ${money(parts.reads)}`,
    ];
    const hint = typeof got === 'number' ? mistakeOf(need, storageClass, prices, got) : undefined;
    fail(
      `stayCost for ${describeNeed(need)} in ${storageClass} (${prices.region} prices of ${prices.asOf}) should be ${money(parts.total)}: ${terms.join(', ')}. ` +
        `Your code returned ${typeof got === 'number' ? money(got) : describe(got)}.${hint ? ` That is the cost ${hint}.` : ''}`,
    );
  }
}

/** A common slip that gives `got`, named for the message. */
function mistakeOf(need: StorageNeed, storageClass: StorageClass, prices: PriceTable, got: number): string | undefined {
  const p = prices.classes[storageClass];
  const variants: [string, PriceTable][] = [
    ['without the minimum storage duration', { ...prices, classes: { ...prices.classes, [storageClass]: { ...p, minimumDays: 0 } } }],
    ['without the minimum billable object size', { ...prices, classes: { ...prices.classes, [storageClass]: { ...p, minimumBillableKiB: 0 } } }],
    ['without the per-object overhead', { ...prices, classes: { ...prices.classes, [storageClass]: { ...p, overheadKiB: 0, overheadStandardKiB: 0 } } }],
    ['without the entry requests', { ...prices, classes: { ...prices.classes, [storageClass]: { ...p, entryPer1000: 0 } } }],
    ['without the reads (GET, retrieval and restore fees)', { ...prices, classes: { ...prices.classes, [storageClass]: { ...p, getPer1000: 0, retrievalPerGb: 0, restorePer1000: 0 } } }],
  ];
  for (const [label, table] of variants) {
    const cost = stayCost(need, storageClass, table);
    if (Math.abs(cost - got) <= Math.max(1e-9, cost * 1e-6)) return label;
  }
  return undefined;
}

/** Step 2: the learner's class for each need must be one of the cheapest the rules allow. */
export function expectClasses({ lifecycle, submission }: Context, needs: readonly StorageNeed[], prices: PriceTable = PRICES): void {
  for (const need of needs) {
    const right = acceptableClasses(need, prices);
    let got: unknown;
    try {
      got = lifecycle.storageClassFor({ ...need }, structuredClone(prices));
    } catch (error) {
      fail(`storageClassFor ${describeNeed(need)} should be ${right[0]}; your code threw ${describeThrown(error, submission.files)}.`);
    }
    if (typeof got === 'string' && right.includes(got as StorageClass)) continue;
    const expected = right.join(' or ');
    if (!need.accessKnown) {
      fail(`storageClassFor ${describeNeed(need)}: nobody knows how often it will be read, so the answer is ${expected}; your code returned ${describe(got)}.`);
    }
    const ranked = rankedClasses(need, prices);
    const best = ranked[0]!;
    const why = typeof got === 'string' && (prices.classes as Record<string, unknown>)[got] ? disallowed(need, got as StorageClass, prices) : undefined;
    const mine = ranked.find((r) => r.cls === got);
    fail(
      `storageClassFor ${describeNeed(need)} should be ${expected} (${money(best.cost)}); your code returned ${describe(got)}` +
        (why ? `, which is out: ${why}.` : mine ? `, which costs ${money(mine.cost)}.` : ', which is not a storage class.'),
    );
  }
}

// ---------------------------------------------------------------------------------------------
// Steps 3 and 4: the configuration, by its years.

export interface BucketCase {
  layout: BucketLayout;
  prices: PriceTable;
  neighbours: readonly string[];
  readers: Readonly<Record<string, Reader>>;
  priceList?: YearOptions['priceList'];
}

export const PLATFORM_CASE: BucketCase = { layout: PLATFORM, prices: PRICES, neighbours: NEIGHBOURS, readers: HOT_READERS };

/** The learner's configuration for a bucket, checked as S3 checks it: refused ones fail here with S3's words. */
export function learnerRules({ lifecycle, submission }: Context, bucket: BucketCase): LifecycleRule[] {
  let configuration: unknown;
  try {
    configuration = lifecycle.lifecycleConfiguration(structuredClone(bucket.layout), structuredClone(bucket.prices));
  } catch (error) {
    fail(`lifecycleConfiguration threw ${describeThrown(error, submission.files)}.`);
  }
  const problem = lifecycleProblem(configuration);
  if (problem) {
    fail(`PutBucketLifecycleConfiguration refuses the configuration your lifecycleConfiguration returned, as S3 would: ${problem.code}: ${problem.message}. S3 holds no rule of a configuration it refuses.`);
  }
  return (configuration as BucketLifecycleConfiguration).Rules ?? [];
}

// Two years of a bucket are a pure function of their inputs; the checks of one grading ask for
// the same years several times, so they are kept (a few, by their inputs' JSON).
const years = new Map<string, YearOfData>();

export function yearsOf(bucket: BucketCase, rules: readonly LifecycleRule[], part: 'zones' | 'housekeeping'): YearOfData {
  const key = JSON.stringify([bucket.layout, bucket.neighbours, bucket.readers, bucket.priceList?.asOf, rules, part]);
  let year = years.get(key);
  if (!year) {
    year = simulateYear({
      layout: bucket.layout,
      rules,
      neighbours: part === 'zones' ? bucket.neighbours : [],
      readers: bucket.readers,
      ...(bucket.priceList ? { priceList: bucket.priceList } : {}),
      ...(part === 'zones' ? { housekeeping: false } : { zones: [] }),
    });
    if (years.size >= 8) years.delete(years.keys().next().value!);
    years.set(key, year);
  }
  return year;
}

const ruleName = (rules: readonly LifecycleRule[], id: string) => {
  const rule = rules.find((r) => r.ID === id);
  const prefix = rule?.Filter?.Prefix ?? rule?.Prefix ?? rule?.Filter?.And?.Prefix;
  return `your rule '${id}'${prefix !== undefined ? ` (prefix '${prefix}')` : ''}`;
};

export function expectOnlyOwnPrefixes(ctx: Context, bucket: BucketCase): void {
  const rules = learnerRules(ctx, bucket);
  const event = yearsOf(bucket, rules, 'zones').neighbourEvents[0];
  if (!event) return;
  const owner = bucket.neighbours.find((p) => event.key.startsWith(p))!;
  const theirs = `${event.key}, another team's object under ${owner},`;
  const action = event.kind === 'transition' ? `moved ${theirs} to ${event.to}` : event.kind === 'transition-skipped' ? `would have moved ${theirs} to ${event.to}` : `${event.kind === 'upload-aborted' ? 'aborted an upload of' : 'expired'} ${theirs.slice(0, -1)}`;
  fail(
    `On ${isoDay(event.at)} ${ruleName(rules, event.rule)} ${action}. ` +
      `A prefix filter matches every key that starts with it, so 'raw' matches 'raw-archive/' too: end each zone's prefix with '/'.`,
  );
}

export function expectReadsAnswer(ctx: Context, bucket: BucketCase): void {
  const rules = learnerRules(ctx, bucket);
  const failure = yearsOf(bucket, rules, 'zones').readFailures[0];
  if (!failure) return;
  const zone = bucket.layout.zones.find((z) => z.prefix === failure.zone)!;
  const read = `On ${isoDay(failure.at)} ${failure.reader} read ${failure.key} (${Math.floor(failure.ageDays)} days old) and failed`;
  if (failure.why === 'gone') {
    fail(`${read}: your rules had deleted it, but ${zone.prefix} keeps its data ${zone.keepDays === null ? 'forever' : `${zone.keepDays} days`}.`);
  }
  const hot = failure.ageDays < zone.hotDays;
  fail(
    `${read}: it was in ${failure.storageClass}, and GetObject answered InvalidObjectState (the object must be restored first). ` +
      (hot
        ? `Objects of ${zone.prefix} are read at once for their first ${zone.hotDays} days: they stay in STANDARD until then.`
        : `After day ${zone.hotDays} ${zone.prefix} is read ${describeReads(zone)}, and a ${failure.storageClass} restore takes longer: choose a class whose first byte comes in time (step 2).`),
  );
}

export function expectRetention(ctx: Context, bucket: BucketCase): void {
  const rules = learnerRules(ctx, bucket);
  const problem = yearsOf(bucket, rules, 'zones').retention[0];
  if (!problem) return;
  const zone = bucket.layout.zones.find((z) => z.prefix === problem.zone)!;
  const keep = zone.keepDays === null ? 'is kept forever' : `is deleted when ${zone.keepDays} days old`;
  if (problem.kind === 'deleted-early') {
    fail(`On ${isoDay(problem.at)} ${problem.rule ? ruleName(rules, problem.rule) : 'your rules'} expired ${problem.key} at ${Math.floor(problem.ageDays)} days old, but data in ${zone.prefix} ${keep}.`);
  }
  fail(
    `On ${isoDay(problem.at)} ${problem.key} was still stored (${problem.left === 'noncurrent' ? 'a noncurrent version, behind the delete marker your expiration left' : 'the current version'}) at ${Math.floor(problem.ageDays)} days old, but data in ${zone.prefix} ${keep}.` +
      (problem.left === 'noncurrent' ? ' In a versioned bucket, expiring only hides an object: also expire its noncurrent version.' : ''),
  );
}

export function expectSmallObjectsStay(ctx: Context, bucket: BucketCase): void {
  const rules = learnerRules(ctx, bucket);
  const tally = yearsOf(bucket, rules, 'zones').transitions.find((t) => t.skipped > 0);
  if (!tally) return;
  fail(
    `${ruleName(rules, tally.rule)} transitions ${list([...tally.prefixes])} to ${tally.to}, but S3 passed over ${count(Math.round(tally.skipped), 'object')} there: objects under 128 KiB do not transition by default. ` +
      'A zone of small objects stays in STANDARD: leave the transition out (its per-object fees and minimum sizes would cost more than it saves anyway).',
  );
}

/** Each zone's bill must be within 2% (and a cent) of the reference configuration's. */
export function expectCheapestPlan(ctx: Context, bucket: BucketCase): void {
  const rules = learnerRules(ctx, bucket);
  const mine = yearsOf(bucket, rules, 'zones').bill;
  const best = yearsOf(bucket, referenceRules(bucket.layout, bucket.prices), 'zones').bill;
  const zones = bucket.layout.zones.map((z) => z.prefix);
  ctx.show({
    kind: 'table',
    title: 'The billed year, zone by zone',
    caption: `From ${isoDay(best.from)} to ${isoDay(best.to)}, ${bucket.prices.region} prices of ${bucket.prices.asOf}.`,
    columns: ['Zone', { label: 'Your rules', unit: '$', align: 'right' }, { label: "The steps' plan", unit: '$', align: 'right' }],
    rows: [...zones.map((z) => [z, round(mine.byGroup[z] ?? 0), round(best.byGroup[z] ?? 0)]), ['all zones', round(sum(mine, zones)), round(sum(best, zones))]],
  });
  for (const zone of zones) {
    const a = mine.byGroup[zone] ?? 0;
    const b = best.byGroup[zone] ?? 0;
    if (a <= b * 1.02 + 0.01) continue;
    fail(
      `A year of ${zone} under your rules costs ${money(a)}; the plan of step 3 costs ${money(b)}. Where yours costs more: ${differences(mine, best, zone)}. ` +
        'Weigh every option over the whole cold phase, minimum storage durations and per-request fees included (step 1).',
    );
  }
}

const round = (x: number) => Math.round(x * 100) / 100;
const sum = (bill: BillSummary, groups: readonly string[]) => groups.reduce((s, g) => s + (bill.byGroup[g] ?? 0), 0);

function differences(mine: BillSummary, best: BillSummary, group: string): string {
  const byItem = new Map<string, number>();
  for (const line of mine.lines) if (line.group === group) byItem.set(line.item, (byItem.get(line.item) ?? 0) + line.cost);
  for (const line of best.lines) if (line.group === group) byItem.set(line.item, (byItem.get(line.item) ?? 0) - line.cost);
  const worst = [...byItem].filter(([, d]) => d > 0.005).sort((a, b) => b[1] - a[1]).slice(0, 3);
  return worst.map(([item, d]) => `${item} +${money(d)}`).join(', ') || 'small differences on many lines';
}

export function expectUploadsAborted(ctx: Context, bucket: BucketCase): void {
  const rules = learnerRules(ctx, bucket);
  const problem = yearsOf(bucket, rules, 'housekeeping').uploads[0];
  if (problem) fail(`In the simulated years ${problem.message}: parts of an incomplete upload are billed until it is aborted. Add AbortIncompleteMultipartUpload with DaysAfterInitiation ${bucket.layout.abortUploadsAfterDays}, on a rule that covers every prefix.`);
}

export function expectCheckpointsKept(ctx: Context, bucket: BucketCase): void {
  const rules = learnerRules(ctx, bucket);
  const year = yearsOf(bucket, rules, 'housekeeping');
  const resume = year.resumes[0];
  if (resume) fail(`On ${isoDay(resume.at)} run ${resume.run} could not resume: ${resume.why}. The newest checkpoint of a run must survive whatever its age.`);
  const problem = year.checkpoints[0];
  const { keepPrevious, previousDays } = bucket.layout.checkpoints;
  if (problem) fail(`In the simulated years, ${problem.message}. Keep the newest checkpoint and the ${keepPrevious} before it; older ones go ${previousDays} days after they were replaced (NoncurrentVersionExpiration with NewerNoncurrentVersions).`);
}

const MODEL_HINTS: Record<string, string> = {
  early: 'A replaced model must stay for the rollback window: NoncurrentVersionExpiration with NoncurrentDays equal to rollbackDays, and no Expiration in days on the prefix.',
  kept: 'Delete replaced models once the rollback window is over: NoncurrentVersionExpiration with NoncurrentDays equal to rollbackDays.',
  marker: 'Once a retired model has no version left, its delete marker must go too: Expiration with ExpiredObjectDeleteMarker true.',
  current: 'The current model must never expire: no Expiration in days on the models prefix.',
};

export function expectModelRollback(ctx: Context, bucket: BucketCase): void {
  const rules = learnerRules(ctx, bucket);
  const problem = yearsOf(bucket, rules, 'housekeeping').models[0];
  if (problem) fail(`In the simulated years ${problem.message}. ${MODEL_HINTS[problem.kind] ?? ''}`.trim());
}

// ---------------------------------------------------------------------------------------------
// Step 5: applyLifecycle on the fake S3.

export const OTHER_TEAM_RULE: LifecycleRule = {
  ID: 'analytics-archive',
  Status: 'Enabled',
  Filter: { Prefix: 'raw-archive/' },
  Transitions: [{ Days: 0, StorageClass: 'DEEP_ARCHIVE' }],
};

export async function callApply(ctx: Context, configuration: BucketLifecycleConfiguration): Promise<unknown> {
  try {
    return await ctx.lifecycle.applyLifecycle(ctx.s3, BUCKET, structuredClone(configuration));
  } catch (error) {
    fail(`applyLifecycle(s3, '${BUCKET}', …) threw ${describeThrown(error, ctx.submission.files)}.`);
  }
}

export function expectHeld(ctx: Context, returned: unknown, ids: readonly string[]): void {
  const held = ctx.fake.lifecycleRules(BUCKET)?.map((r) => r.ID ?? '') ?? [];
  const missing = ids.filter((id) => !held.includes(id));
  if (missing.length) fail(`After applyLifecycle the bucket's configuration holds ${held.length ? list(held.map((h) => `'${h}'`)) : 'no rule'}; rules ${list(missing.map((m) => `'${m}'`))} are missing.`);
  const gotIds = Array.isArray(returned) ? returned.map((r) => (r && typeof r === 'object' ? (r as LifecycleRule).ID : undefined)) : undefined;
  if (!gotIds || gotIds.length !== held.length || held.some((id) => !gotIds.includes(id))) {
    fail(`applyLifecycle must return the rules S3 holds after the put (${held.map((h) => `'${h}'`).join(', ')}); your code returned ${describe(returned)}.`);
  }
}
