// The reference reasoning the checks grade against, written for people: which types fit a
// workload, what each allowed purchase option costs, which one is cheapest, and — when a
// learner's choice differs — why, in words. It reads the same world the learner's code queries
// (the catalogue, the world's Spot history), never a table of answers.
//
// Money is exact: hourly prices are decimals with at most 10 places (the Price List's format),
// so costs are computed in integer units of 1e-10 USD and rounded half up to the cent.

import { describe } from 'whetstone/checks';
import type { SpotPriceRecord } from 'whetstone/aws/ec2';
import type { Choice, Task, Workload } from './starter/select.ts';
import { CATALOGUE } from './catalogue.ts';
import type { CatalogueEntry } from './catalogue.ts';
import { LINUX } from './world.ts';

export type { Choice, Task, Workload };
export type PurchaseOption = Choice['purchaseOption'];

export const HOURS_PER_MONTH = 730;
const UNITS_PER_USD = 10_000_000_000n;
const UNITS_PER_CENT = 100_000_000n;

/** Exact USD units (1e-10) of a price given as a number or decimal string. */
export function usdUnits(price: number | string): bigint {
  const text = typeof price === 'number' ? price.toFixed(10) : price;
  const match = /^(\d+)(?:\.(\d{0,10}))?$/.exec(text);
  if (!match) throw new Error(`usdUnits: '${text}' is not a price`);
  return BigInt(match[1]!) * UNITS_PER_USD + BigInt((match[2] ?? '').padEnd(10, '0'));
}

export interface Cost {
  /** Hourly price as a decimal string. */
  hourly: string;
  hours: number;
  /** The cost in cents, rounded half up. */
  cents: bigint;
  /** True when the exact cost lies on a half cent (fixtures avoid these: floats cannot round them reliably). */
  halfCent: boolean;
}

export function cost(hourly: number | string, hours: number): Cost {
  const units = usdUnits(hourly) * BigInt(hours);
  const remainder = units % UNITS_PER_CENT;
  return {
    hourly: typeof hourly === 'number' ? String(Number(hourly.toFixed(10))) : String(Number(hourly)),
    hours,
    cents: units / UNITS_PER_CENT + (remainder * 2n >= UNITS_PER_CENT ? 1n : 0n),
    halfCent: remainder * 2n === UNITS_PER_CENT,
  };
}

export function formatUsd(cents: bigint): string {
  const negative = cents < 0n;
  const abs = negative ? -cents : cents;
  const whole = (abs / 100n).toLocaleString('en-US');
  return `${negative ? '-' : ''}$${whole}.${String(abs % 100n).padStart(2, '0')}`;
}

/** A learner's monthlyCostUsd in cents, or undefined when it is not a whole number of cents. */
export function learnerCents(value: number): bigint | undefined {
  const cents = Math.round(value * 100);
  return Math.abs(value * 100 - cents) < 1e-6 ? BigInt(cents) : undefined;
}

// ---------------------------------------------------------------------------------------------
// Fit.

const gib = (mib: number) => mib / 1024;
const formatGiB = (value: number) => `${Number(value.toFixed(2))} GiB`;

function deviceWord(entry: CatalogueEntry): string {
  return entry.accelerator?.kind === 'neuron' ? 'device' : 'GPU';
}

/** Why a type cannot run a workload, in words; empty when it fits. */
export function misfits(entry: CatalogueEntry, workload: Workload): string[] {
  const reasons: string[] = [];
  const type = entry.instanceType;
  if (!entry.currentGeneration) reasons.push(`${type} is a previous-generation type (CurrentGeneration is false)`);
  if (entry.vcpus < workload.minVcpus) reasons.push(`${type} has ${entry.vcpus} vCPUs, the workload needs ${workload.minVcpus}`);
  if (gib(entry.memoryMiB) < workload.minMemoryGiB) {
    reasons.push(`${type} has ${formatGiB(gib(entry.memoryMiB))} of memory, the workload needs ${workload.minMemoryGiB} GiB`);
  }
  if (workload.gpus > 0) {
    const a = entry.accelerator;
    if (!a) {
      reasons.push(`${type} has no GPU${workload.neuronOk ? ' or Neuron device' : ''}`);
    } else if (a.kind === 'neuron' && !workload.neuronOk) {
      reasons.push(`${type}'s ${a.name} devices are AWS Neuron accelerators, and this workload's model is not compiled for Neuron (neuronOk is false)`);
    } else {
      if (gib(a.memoryMiB) < workload.minGpuMemoryGiB) {
        reasons.push(`${type}'s ${a.name} has only ${formatGiB(gib(a.memoryMiB))} per ${deviceWord(entry)}, the workload needs ${workload.minGpuMemoryGiB} GiB on each`);
      }
      if (a.count < workload.gpus) {
        reasons.push(`${type} has ${a.count} ${a.name} ${deviceWord(entry)}${a.count === 1 ? '' : 's'}, the workload needs ${workload.gpus}`);
      }
    }
  }
  return reasons;
}

// ---------------------------------------------------------------------------------------------
// Offers.

export interface SpotQuote {
  /** The newest Linux/UNIX price of each zone. */
  byZone: Map<string, SpotPriceRecord>;
  cheapest: SpotPriceRecord;
}

// A check asks for the quote of every type of a history, workload after workload: group the
// history's Linux/UNIX records by type once (in order), not once per question.
const LINUX_BY_TYPE = new WeakMap<readonly SpotPriceRecord[], { length: number; byType: Map<string, SpotPriceRecord[]> }>();

function linuxRecordsOf(history: readonly SpotPriceRecord[], instanceType: string): readonly SpotPriceRecord[] {
  let grouped = LINUX_BY_TYPE.get(history);
  if (!grouped || grouped.length !== history.length) {
    const byType = new Map<string, SpotPriceRecord[]>();
    for (const record of history) {
      if (record.productDescription !== LINUX) continue;
      const records = byType.get(record.instanceType);
      if (records) records.push(record);
      else byType.set(record.instanceType, [record]);
    }
    grouped = { length: history.length, byType };
    LINUX_BY_TYPE.set(history, grouped);
  }
  return grouped.byType.get(instanceType) ?? [];
}

/** The current Spot price of a type: newest Linux/UNIX record per zone, cheapest zone. */
export function spotQuote(history: readonly SpotPriceRecord[], instanceType: string): SpotQuote | undefined {
  const byZone = new Map<string, SpotPriceRecord>();
  for (const record of linuxRecordsOf(history, instanceType)) {
    const seen = byZone.get(record.availabilityZone);
    if (!seen || record.timestamp.getTime() > seen.timestamp.getTime()) byZone.set(record.availabilityZone, record);
  }
  let cheapest: SpotPriceRecord | undefined;
  for (const record of byZone.values()) {
    if (!cheapest || usdUnits(record.spotPrice) < usdUnits(cheapest.spotPrice)) cheapest = record;
  }
  return cheapest ? { byZone, cheapest } : undefined;
}

export interface Offer {
  entry: CatalogueEntry;
  option: PurchaseOption;
  cost: Cost;
  /** For Spot: the zone whose price it is. */
  zone?: string;
}

export interface Market {
  entries: readonly CatalogueEntry[];
  spotHistory: readonly SpotPriceRecord[];
}

export function market(spotHistory: readonly SpotPriceRecord[]): Market {
  return { entries: CATALOGUE, spotHistory };
}

/** Why an option is not open to a workload on a type; undefined when it is. */
export function optionBarrier(entry: CatalogueEntry, option: PurchaseOption, workload: Workload, m: Market): string | undefined {
  if (option === 'reserved' && !workload.committedYear) {
    return 'a 1-year reservation is only for workloads that run steadily for the next 12 months (committedYear is false)';
  }
  if (option === 'spot') {
    if (!workload.interruptible) return 'Spot capacity can be reclaimed at two minutes\' notice, and this workload cannot survive an interruption (interruptible is false)';
    if (!entry.spotSupported) return `${entry.instanceType} is not sold as Spot (its SupportedUsageClasses has no 'spot')`;
    if (!spotQuote(m.spotHistory, entry.instanceType)) return `${entry.instanceType} has no Linux/UNIX Spot price in any zone`;
  }
  return undefined;
}

function offer(entry: CatalogueEntry, option: PurchaseOption, workload: Workload, m: Market): Offer {
  if (option === 'on-demand') return { entry, option, cost: cost(entry.onDemandHourly, workload.hoursPerMonth) };
  if (option === 'reserved') return { entry, option, cost: cost(entry.reservedHourly, HOURS_PER_MONTH) };
  const quote = spotQuote(m.spotHistory, entry.instanceType)!;
  return { entry, option, cost: cost(quote.cheapest.spotPrice, workload.hoursPerMonth), zone: quote.cheapest.availabilityZone };
}

const OPTIONS: readonly PurchaseOption[] = ['on-demand', 'reserved', 'spot'];

/** Every open (type, option) pair for a workload, cheapest first. */
export function offers(workload: Workload, m: Market): Offer[] {
  const out: Offer[] = [];
  for (const entry of m.entries) {
    if (misfits(entry, workload).length) continue;
    for (const option of OPTIONS) {
      if (!optionBarrier(entry, option, workload, m)) out.push(offer(entry, option, workload, m));
    }
  }
  return out.sort(
    (a, b) =>
      Number(a.cost.cents - b.cost.cents) ||
      Number(usdUnits(a.cost.hourly) * BigInt(a.cost.hours) - usdUnits(b.cost.hourly) * BigInt(b.cost.hours)) ||
      a.entry.instanceType.localeCompare(b.entry.instanceType),
  );
}

// ---------------------------------------------------------------------------------------------
// Words.

export function describeWorkload(w: Workload): string {
  const parts: string[] = [];
  if (w.gpus > 0) {
    parts.push(`${w.gpus} ${w.neuronOk ? 'GPU or Neuron device' : 'GPU'}${w.gpus === 1 ? '' : 's'} with ≥ ${w.minGpuMemoryGiB} GiB each`);
  }
  parts.push(`≥ ${w.minVcpus} vCPUs`, `≥ ${w.minMemoryGiB} GiB`, `${w.hoursPerMonth} h/month`);
  if (w.interruptible) parts.push('interruptible');
  if (w.committedYear) parts.push('committed for a year');
  return `'${w.name}' (${parts.join(', ')})`;
}

const OPTION_WORDS: Record<PurchaseOption, string> = { 'on-demand': 'on-demand', reserved: 'reserved for a year', spot: 'on Spot' };

export function describeOffer(o: Offer): string {
  return `${o.entry.instanceType} ${OPTION_WORDS[o.option]} at ${formatUsd(o.cost.cents)}/month`;
}

/** How the cost of an offer is made up, for a learner who got the pair right and the sum wrong. */
export function describeCost(o: Offer): string {
  if (o.option === 'reserved') {
    return `$${o.cost.hourly}/h × 730 h = ${formatUsd(o.cost.cents)} (a reservation is paid for every hour of the month, used or not)`;
  }
  const where = o.option === 'spot' ? ` (${o.zone}: the newest Linux/UNIX price of the cheapest zone)` : '';
  return `$${o.cost.hourly}/h${where} × ${o.cost.hours} h = ${formatUsd(o.cost.cents)}, rounded to the cent`;
}

function isChoice(value: unknown): value is Choice {
  if (!value || typeof value !== 'object') return false;
  const c = value as Record<string, unknown>;
  return typeof c.instanceType === 'string' && typeof c.purchaseOption === 'string' && typeof c.monthlyCostUsd === 'number';
}

export interface Verdict {
  ok: boolean;
  message: string;
  best?: Offer;
}

/**
 * Grade one answer. Correct: a (type, option) pair that is open to the workload, whose cost is
 * the cheapest to the cent (ties all count), with monthlyCostUsd equal to that cost.
 * `mistakes` maps a wrong monthlyCostUsd to what it looks like (e.g. "the Windows price").
 */
export function judge(workload: Workload, answer: unknown, m: Market, mistakes: (o: Offer) => { label: string; cents: bigint }[] = () => []): Verdict {
  const all = offers(workload, m);
  const best = all[0];
  const head = `For workload ${describeWorkload(workload)}`;
  if (!best) {
    return { ok: false, message: `${head} no instance type fits; chooseInstance should throw an Error that names the workload.` };
  }
  const expected = `${head} the cheapest choice is ${describeOffer(best)}`;
  if (!isChoice(answer)) {
    return {
      ok: false,
      best,
      message: `${expected}; your code returned ${describe(answer)}, not a Choice { instanceType, purchaseOption, monthlyCostUsd }.`,
    };
  }
  const { instanceType, purchaseOption, monthlyCostUsd } = answer;
  const chose = `your code chose ${instanceType} ${OPTION_WORDS[purchaseOption as PurchaseOption] ?? `'${purchaseOption}'`} ($${monthlyCostUsd}/month)`;
  if (!OPTIONS.includes(purchaseOption as PurchaseOption)) {
    return { ok: false, best, message: `${expected}; ${chose}, but purchaseOption must be 'on-demand', 'reserved' or 'spot'.` };
  }
  const entry = m.entries.find((e) => e.instanceType === instanceType);
  if (!entry) return { ok: false, best, message: `${expected}; ${chose}, which is not an instance type DescribeInstanceTypes lists.` };
  const reasons = misfits(entry, workload);
  if (reasons.length) return { ok: false, best, message: `${expected}; ${chose}: ${reasons.join('; ')}.` };
  const barrier = optionBarrier(entry, purchaseOption as PurchaseOption, workload, m);
  if (barrier) return { ok: false, best, message: `${expected}; ${chose}, but ${barrier}.` };

  const mine = offer(entry, purchaseOption as PurchaseOption, workload, m);
  if (mine.cost.cents > best.cost.cents) {
    const more = formatUsd(mine.cost.cents - best.cost.cents);
    const really = learnerCents(monthlyCostUsd) === mine.cost.cents ? '' : ` really costs ${formatUsd(mine.cost.cents)}/month and`;
    return { ok: false, best, message: `${expected}; ${chose}, which fits but${really} costs ${more} more.` };
  }
  const cents = Number.isFinite(monthlyCostUsd) ? learnerCents(monthlyCostUsd) : undefined;
  // On an exact half cent either neighbour counts: binary floating point cannot tell them apart.
  const accepted = mine.cost.halfCent ? [mine.cost.cents, mine.cost.cents - 1n] : [mine.cost.cents];
  if (cents === undefined || !accepted.includes(cents)) {
    const look = cents === undefined ? undefined : mistakes(mine).find((x) => x.cents === cents);
    const detail = cents === undefined ? `${monthlyCostUsd} is not a whole number of cents` : look ? `that is ${look.label}` : 'that is not what it costs';
    return {
      ok: false,
      best,
      message: `${head} your code chose the right pair, ${instanceType} ${OPTION_WORDS[mine.option]}, but monthlyCostUsd is ${monthlyCostUsd}: ${detail}. It costs ${describeCost(mine)}.`,
    };
  }
  return { ok: true, best, message: '' };
}
