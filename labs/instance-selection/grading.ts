// How a check puts workloads to the learner's chooseInstance and judges the answers: the world
// is arranged first where a check needs a trap to be present (the answer on the last page, a
// Spot history whose first record is not the price), then the reference reasoning decides.

import { count, describeThrown, expectThrows, fail } from 'whetstone/checks';
import type { TraceEntry } from 'whetstone/checks';
import type { FakeEc2 } from 'whetstone/aws/ec2';
import type { Context } from './checks.ts';
import { LINUX, WINDOWS, variantPrices } from './world.ts';
import { HOURS_PER_MONTH, cost, describeOffer, describeWorkload, judge, market, offers, spotQuote, usdUnits } from './reference.ts';
import type { Market, Offer, Workload } from './reference.ts';

export interface Arrangement {
  /** Put the expected instance type on the last page of DescribeInstanceTypes. */
  answerOnLastPage?: boolean;
  /** Make the expected Spot price differ from the first record, the oldest-cheapest record and the Windows price. */
  spotTraps?: boolean;
}

/**
 * Spot history where only the right reading gives the right price: in the cheapest zone an older
 * record is cheaper still; the newest Linux/UNIX record of the type is in a dearer zone; a
 * Windows record is newer than both.
 */
export function arrangeSpotTraps(ec2: FakeEc2, instanceType: string, now: Date): void {
  const quote = spotQuote(ec2.spotPriceHistory({ instanceType }), instanceType);
  if (!quote || quote.byZone.size < 2) return;
  const cheapest = quote.cheapest;
  const dearest = [...quote.byZone.values()].sort((a, b) => Number(usdUnits(b.spotPrice) - usdUnits(a.spotPrice)))[0]!;
  const fix = (value: number) => value.toFixed(6);
  const base = Number(cheapest.spotPrice);
  ec2.addSpotPrice({
    instanceType,
    availabilityZone: cheapest.availabilityZone,
    productDescription: LINUX,
    spotPrice: fix(Math.round(base * 0.62 * 10_000) / 10_000),
    timestamp: new Date(cheapest.timestamp.getTime() - 2 * 3_600_000),
  });
  ec2.addSpotPrice({
    instanceType,
    availabilityZone: dearest.availabilityZone,
    productDescription: LINUX,
    spotPrice: fix(Math.round(Math.max(Number(dearest.spotPrice), base * 1.31) * 10_000) / 10_000),
    timestamp: new Date(now.getTime() - 3 * 60_000),
  });
  ec2.addSpotPrice({
    instanceType,
    availabilityZone: cheapest.availabilityZone,
    productDescription: WINDOWS,
    spotPrice: fix(Math.round((base * 0.9 + 0.046 * 4) * 10_000) / 10_000),
    timestamp: new Date(now.getTime() - 60_000),
  });
}

/** Wrong monthly costs worth naming, for a learner who got the pair right. */
export function plausibleMistakes(workload: Workload, mine: Offer, m: Market): { label: string; cents: bigint }[] {
  const out: { label: string; cents: bigint }[] = [];
  const hours = mine.option === 'reserved' ? HOURS_PER_MONTH : workload.hoursPerMonth;
  const add = (label: string, hourly: number | string, h = hours) => out.push({ label, cents: cost(hourly, h).cents });
  const units = usdUnits(mine.cost.hourly) * BigInt(mine.cost.hours);
  out.push({ label: 'the cost cut off at the cent instead of rounded', cents: units / 100_000_000n });
  add('the hourly price rounded to the cent before multiplying', Math.round(Number(mine.cost.hourly) * 100) / 100);
  if (mine.option === 'reserved') add('the reserved rate times hoursPerMonth (a reservation is paid for all 730 hours)', mine.cost.hourly, workload.hoursPerMonth);
  if (mine.option === 'on-demand') add('the hourly price times 730 hours instead of hoursPerMonth', mine.cost.hourly, HOURS_PER_MONTH);
  if (mine.option !== 'spot') {
    const entry = mine.entry;
    const pick = (p: { onDemand: number; reserved?: number }) => (mine.option === 'reserved' ? p.reserved : p.onDemand);
    const variant = (operatingSystem: 'Linux' | 'Windows', tenancy: 'Shared' | 'Dedicated', preInstalledSw: 'NA' | 'SQL Web') =>
      variantPrices(entry, { operatingSystem, tenancy, preInstalledSw, capacitystatus: 'Used' });
    const named: [string, number | undefined][] = [
      ["the Windows product's price (filter operatingSystem = Linux)", pick(variant('Windows', 'Shared', 'NA'))],
      ["the Dedicated tenancy product's price (filter tenancy = Shared)", pick(variant('Linux', 'Dedicated', 'NA'))],
      ["the price with SQL Server Web pre-installed (filter preInstalledSw = NA)", pick(variant('Linux', 'Shared', 'SQL Web'))],
      ["the eu-west-1 price (filter regionCode = us-east-1)", pick(variantPrices(entry, { operatingSystem: 'Linux', tenancy: 'Shared', preInstalledSw: 'NA', capacitystatus: 'Used' }, 1.115))],
      ["an allocated Capacity Reservation's $0 price (filter capacitystatus = Used)", 0],
    ];
    for (const [label, hourly] of named) if (hourly !== undefined) add(label, hourly);
    if (mine.option === 'reserved') {
      add('the 3-year rate (the lab asks for LeaseContractLength 1yr)', Math.round(entry.onDemandHourly * (entry.reservedHourly / entry.onDemandHourly) * 0.7 * 10_000) / 10_000);
      add('the convertible rate (the lab asks for OfferingClass standard)', Math.round(Math.min(entry.onDemandHourly, entry.reservedHourly * 1.14) * 10_000) / 10_000);
      add('an All Upfront term\'s $0 hourly rate (the lab asks for PurchaseOption No Upfront)', 0);
    }
  } else {
    const records = m.spotHistory.filter((r) => r.instanceType === mine.entry.instanceType);
    const linux = records.filter((r) => r.productDescription === LINUX);
    if (records[0]) add('the first record DescribeSpotPriceHistory returned, whatever its zone and product', records[0].spotPrice);
    if (linux[0]) add('the newest Linux/UNIX record of all zones, not the cheapest zone', linux[0].spotPrice);
    const lowest = linux.reduce((a, r) => (usdUnits(r.spotPrice) < usdUnits(a) ? r.spotPrice : a), linux[0]?.spotPrice ?? '0');
    add('the lowest price in the whole history, not a current one', lowest);
  }
  return out.filter((x) => x.cents !== mine.cost.cents);
}

/**
 * Run each workload through the learner's chooseInstance and fail with a precise message on
 * the first wrong answer. A workload nothing fits must make chooseInstance throw an Error that
 * names it.
 */
export async function expectChoices(
  { select, ec2, pricing, aws, env, submission }: Context,
  workloads: readonly Workload[],
  arrangement: Arrangement = {},
): Promise<void> {
  // The learner's calls only read the world; only the Spot traps below change its history. So
  // one copy of the history serves every workload until a trap is laid.
  let current: Market | undefined;
  for (const workload of workloads) {
    const before = (current ??= market(aws.ec2.spotPriceHistory()));
    const best = offers(workload, before)[0];
    if (best && arrangement.answerOnLastPage) aws.ec2.listLast([best.entry.instanceType]);
    if (best && arrangement.spotTraps) {
      for (const o of offers(workload, before).filter((x) => x.option === 'spot').slice(0, 3)) {
        arrangeSpotTraps(aws.ec2, o.entry.instanceType, env.clock.now());
        current = undefined;
      }
    }
    const m = (current ??= market(aws.ec2.spotPriceHistory()));
    if (!offers(workload, m).length) {
      await expectThrows(() => select.chooseInstance(ec2, pricing, { ...workload }), {
        when: `For workload '${workload.name}', which no instance type fits`,
        call: 'chooseInstance',
        naming: { value: workload.name, what: 'the workload' },
        because: 'Throw an Error that names the workload, so the capacity plan shows which one cannot be placed.',
      });
      continue;
    }
    let answer: unknown;
    try {
      answer = await select.chooseInstance(ec2, pricing, { ...workload });
    } catch (error) {
      return fail(`For workload ${describeWorkload(workload)} the cheapest choice is ${describeOffer(offers(workload, m)[0]!)}; your code threw ${describeThrown(error, submission.files)}.`);
    }
    const verdict = judge(workload, answer, m, (mine) => plausibleMistakes(workload, mine, m));
    if (!verdict.ok) fail(arrangement.answerOnLastPage ? `${verdict.message} ${pagesRead(env.trace.calls('ec2', 'DescribeInstanceTypes'), best!.entry.instanceType)}` : verdict.message);
  }
}

/**
 * Where the answer was and how far the learner's DescribeInstanceTypes calls read: the check
 * put the answer on the last page, so a wrong choice there is most often a NextToken not followed.
 */
function pagesRead(calls: readonly TraceEntry[], answer: string): string {
  const listing = calls.filter((c) => c.outcome === 'ok' && !(c.input as { InstanceTypes?: unknown } | undefined)?.InstanceTypes);
  if (!listing.length) return `${answer} is on the last page of DescribeInstanceTypes, and your code never listed the instance types.`;
  const followed = listing.filter((c) => (c.input as { NextToken?: unknown } | undefined)?.NextToken).length;
  // Counted, not matched: the trace may clip a long token.
  const offered = listing.filter((c) => typeof c.output?.NextToken === 'string' && c.output.NextToken !== '').length;
  const leftNext = offered > followed;
  const read = `${count(listing.length, 'DescribeInstanceTypes call')}, ${followed ? `${followed} of them with a NextToken` : 'none of them with a NextToken'}`;
  return leftNext
    ? `${answer} is on the last page of DescribeInstanceTypes: your code made ${read}, and stopped while a response still carried a NextToken. Call again with that NextToken until a response has none.`
    : `${answer} is on the last page of DescribeInstanceTypes, which your code read (${read}); the choice went wrong after the listing.`;
}
