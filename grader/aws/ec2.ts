// The fake EC2: the two read-only calls capacity planning needs, DescribeInstanceTypes and
// DescribeSpotPriceHistory, behind a real EC2Client and as strict as EC2 (LABS.md, "Fidelity").
//
//   const ec2 = new FakeEc2(env, { instanceTypes, spotPriceHistory });
//   await chooseInstance(ec2.client(), pricing.client(), workload);   // the learner's code
//   env.trace.calls('ec2', 'DescribeInstanceTypes');                   // what it asked
//
// Where EC2 is unkind the fake is too:
// - DescribeInstanceTypes pages: MaxResults 5–100 (else InvalidParameterValue), 100 by default;
//   the page is a window of the region's list and Filters apply within it, so a filtered page
//   can be short, even empty, and still carry a NextToken (boto/boto3#2888, AWS's answer there).
//   Asking for named InstanceTypes is not paged; an unknown name is InvalidInstanceType.
// - DescribeSpotPriceHistory answers newest first, one record per price change, for every
//   zone and product description unless filtered. With a StartTime it also returns the last
//   change before it, the price in effect then (the API reference's wording). MaxResults 1–1000,
//   1000 by default (the 2016 API reference; today's says only "maximum number of items").
// - Tokens are opaque and bound to the query they came from: an edited token or one replayed
//   with other parameters is InvalidPaginationToken ("The specified pagination token is not
//   valid or is expired", EC2 API error codes).
// - Filter names and values are case-sensitive; values take the * and ? wildcards.
// - Errors are EC2ServiceException with the EC2 error code as `name`, HTTP 400, like the SDK
//   builds them from EC2's XML answers. DryRun answers DryRunOperation (HTTP 412).
//
// Sources, read 2026-11-25: @aws-sdk/client-ec2 3.1169 model documentation (request and
// response shapes, filter names); "Error codes for the Amazon EC2 API" (EC2 API Reference).

import {
  DescribeInstanceTypesCommand,
  DescribeSpotPriceHistoryCommand,
  EC2Client,
  EC2ServiceException,
} from '@aws-sdk/client-ec2';
import type {
  DescribeInstanceTypesCommandInput,
  DescribeSpotPriceHistoryCommandInput,
  Filter,
  InstanceTypeInfo,
  SpotPrice,
} from '@aws-sdk/client-ec2';
import type { AwsEnv, InjectedFault } from './env.ts';
import { serviceError } from './errors.ts';
import { outputList } from './mock.ts';
import type { Call } from './mock.ts';
import { PageTokens } from './paging.ts';
import { FakeAwsService } from './service.ts';
import type { ErrorOptions } from './service.ts';

// Where they were first defined; paging.ts is the one codec every fake pages with now.
export { PageTokens, fingerprint } from './paging.ts';

export const DESCRIBE_INSTANCE_TYPES_PAGE = { min: 5, max: 100, default: 100 } as const;
export const SPOT_PRICE_HISTORY_PAGE = { min: 1, max: 1000, default: 1000 } as const;
/** How far back DescribeSpotPriceHistory looks ("up to the past 90 days"). */
export const SPOT_HISTORY_DAYS = 90;

export interface AvailabilityZone {
  name: string;
  /** Zone IDs are the same for every account; names are mapped per account. */
  id: string;
}

/**
 * us-east-1's six zones. The name→ID mapping differs between accounts; this is one plausible
 * mapping, fixed so traces are reproducible.
 */
export const US_EAST_1_ZONES: readonly AvailabilityZone[] = Object.freeze([
  { name: 'us-east-1a', id: 'use1-az4' },
  { name: 'us-east-1b', id: 'use1-az6' },
  { name: 'us-east-1c', id: 'use1-az1' },
  { name: 'us-east-1d', id: 'use1-az2' },
  { name: 'us-east-1e', id: 'use1-az3' },
  { name: 'us-east-1f', id: 'use1-az5' },
]);

/** One Spot price change, as the world stores it. */
export interface SpotPriceRecord {
  instanceType: string;
  availabilityZone: string;
  /** 'Linux/UNIX', 'Windows', 'Red Hat Enterprise Linux', 'SUSE Linux'… */
  productDescription: string;
  /** USD per hour as EC2 writes it: '0.312300'. */
  spotPrice: string;
  timestamp: Date;
}

export interface Ec2Data {
  /** The region's instance types, in the order DescribeInstanceTypes lists them. Frozen ones must be frozen deeply (they are shared, not copied). */
  instanceTypes: readonly InstanceTypeInfo[];
  spotPriceHistory?: readonly SpotPriceRecord[];
  zones?: readonly AvailabilityZone[];
}

// Every filter name DescribeInstanceTypes accepts (SDK 3.1169 documentation). The fake answers
// the ones in INSTANCE_TYPE_FILTERS and says plainly that it lacks the rest, rather than
// pretending a valid AWS filter is invalid.
const AWS_INSTANCE_TYPE_FILTER_NAMES = new Set([
  'auto-recovery-supported', 'bare-metal', 'burstable-performance-supported', 'current-generation',
  'dedicated-hosts-supported', 'ebs-info.attachment-limit-type', 'ebs-info.maximum-ebs-attachments',
  'ebs-info.ebs-optimized-info.baseline-bandwidth-in-mbps', 'ebs-info.ebs-optimized-info.baseline-iops',
  'ebs-info.ebs-optimized-info.baseline-throughput-in-mbps', 'ebs-info.ebs-optimized-info.maximum-bandwidth-in-mbps',
  'ebs-info.ebs-optimized-info.maximum-iops', 'ebs-info.ebs-optimized-info.maximum-throughput-in-mbps',
  'ebs-info.ebs-optimized-support', 'ebs-info.encryption-support', 'ebs-info.nvme-support', 'free-tier-eligible',
  'hibernation-supported', 'hypervisor', 'instance-storage-info.disk.count', 'instance-storage-info.disk.size-in-gb',
  'instance-storage-info.disk.type', 'instance-storage-info.encryption-support', 'instance-storage-info.nvme-support',
  'instance-storage-info.total-size-in-gb', 'instance-storage-supported', 'instance-type', 'memory-info.size-in-mib',
  'network-info.bandwidth-weightings', 'network-info.efa-info.maximum-efa-interfaces', 'network-info.efa-supported',
  'network-info.ena-support', 'network-info.flexible-ena-queues-support', 'network-info.encryption-in-transit-supported',
  'network-info.ipv4-addresses-per-interface', 'network-info.ipv6-addresses-per-interface', 'network-info.ipv6-supported',
  'network-info.maximum-network-cards', 'network-info.maximum-network-interfaces', 'network-info.network-performance',
  'nitro-enclaves-support', 'nitro-tpm-support', 'nitro-tpm-info.supported-versions', 'processor-info.supported-architecture',
  'processor-info.sustained-clock-speed-in-ghz', 'processor-info.supported-features', 'reboot-migration-support',
  'supported-boot-mode', 'supported-root-device-type', 'supported-usage-class', 'supported-virtualization-type',
  'vcpu-info.default-cores', 'vcpu-info.default-threads-per-core', 'vcpu-info.default-vcpus', 'vcpu-info.valid-cores',
  'vcpu-info.valid-threads-per-core',
]);

type Values = (info: InstanceTypeInfo) => readonly string[];

const INSTANCE_TYPE_FILTERS: Record<string, Values> = {
  'bare-metal': (i) => [String(i.BareMetal ?? false)],
  'burstable-performance-supported': (i) => [String(i.BurstablePerformanceSupported ?? false)],
  'current-generation': (i) => [String(i.CurrentGeneration ?? false)],
  'free-tier-eligible': (i) => [String(i.FreeTierEligible ?? false)],
  hypervisor: (i) => (i.Hypervisor ? [i.Hypervisor] : []),
  'instance-type': (i) => [String(i.InstanceType)],
  'memory-info.size-in-mib': (i) => [String(i.MemoryInfo?.SizeInMiB ?? '')],
  'processor-info.supported-architecture': (i) => i.ProcessorInfo?.SupportedArchitectures ?? [],
  'supported-usage-class': (i) => i.SupportedUsageClasses ?? [],
  'supported-root-device-type': (i) => i.SupportedRootDeviceTypes ?? [],
  'supported-virtualization-type': (i) => i.SupportedVirtualizationTypes ?? [],
  'vcpu-info.default-vcpus': (i) => [String(i.VCpuInfo?.DefaultVCpus ?? '')],
  'vcpu-info.default-cores': (i) => [String(i.VCpuInfo?.DefaultCores ?? '')],
  'vcpu-info.default-threads-per-core': (i) => [String(i.VCpuInfo?.DefaultThreadsPerCore ?? '')],
};

const SPOT_FILTERS: Record<string, (r: SpotPriceRecord, zones: ReadonlyMap<string, string>) => readonly string[]> = {
  'availability-zone': (r) => [r.availabilityZone],
  'availability-zone-id': (r, zones) => [zones.get(r.availabilityZone) ?? ''],
  'instance-type': (r) => [r.instanceType],
  'product-description': (r) => [r.productDescription],
  'spot-price': (r) => [r.spotPrice],
};

// ---------------------------------------------------------------------------------------------
// Pure pieces: wildcard matching.

/** EC2 filter values: '*' any run of characters, '?' one character, everything else literal. */
export function wildcardMatch(pattern: string, value: string): boolean {
  if (!pattern.includes('*') && !pattern.includes('?')) return pattern === value;
  const source = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${source}$`, 's').test(value);
}

function describeValue(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  if (value instanceof Date) return value.toISOString();
  return JSON.stringify(value) ?? String(value);
}

// ---------------------------------------------------------------------------------------------

export class FakeEc2 extends FakeAwsService<EC2Client, FakeEc2> {
  readonly #tokens: PageTokens;
  #instanceTypes: InstanceTypeInfo[];
  readonly #byName: Map<string, InstanceTypeInfo>;
  #spot: SpotPriceRecord[];
  /** #spot grouped by type, made when first needed, dropped when #spot changes. */
  #byType: Map<string, SpotPriceRecord[]> | undefined;
  readonly #zones: readonly AvailabilityZone[];
  readonly #zoneIds: ReadonlyMap<string, string>;

  constructor(env: AwsEnv, data: Ec2Data) {
    super(env, { service: 'ec2', clientClass: EC2Client, exceptionBase: EC2ServiceException });
    // Copied, so a caller's later edits cannot reach the world; a frozen info (frozen all the
    // way down, as a lab's shared catalogue is) cannot change and is shared instead.
    this.#instanceTypes = data.instanceTypes.map((i) => (Object.isFrozen(i) ? i : copyPlain(i)));
    this.#byName = new Map(this.#instanceTypes.map((i) => [String(i.InstanceType), i]));
    this.#zones = data.zones ?? US_EAST_1_ZONES;
    this.#zoneIds = new Map(this.#zones.map((z) => [z.name, z.id]));
    this.#spot = sortNewestFirst((data.spotPriceHistory ?? []).map((r) => this.#checked(r, 'Ec2Data.spotPriceHistory')));
    this.#tokens = new PageTokens(`whetstone-ec2:${env.accountId}`);
    this.on(DescribeInstanceTypesCommand, (input, call) => this.#describeInstanceTypes(input, call), {
      doc:
        'Pages the region\'s types (MaxResults 5–100, default 100) with Filters applied within each page, so a page can be short or empty and still carry a NextToken; named InstanceTypes in one answer; DryRun.',
      output: (o) => ({ InstanceTypes: outputList(o.InstanceTypes, (i) => i.InstanceType), NextToken: o.NextToken }),
    });
    this.on(DescribeSpotPriceHistoryCommand, (input, call) => this.#describeSpotPriceHistory(input, call), {
      doc:
        'Spot price changes newest first, every zone and product unless filtered; StartTime also returns the price in effect then; 90 days back; MaxResults 1–1000; the last page\'s NextToken is \'\'.',
      output: (o) => ({
        SpotPriceHistory: outputList(o.SpotPriceHistory, (p) => `${p.InstanceType} ${p.AvailabilityZone} ${p.ProductDescription} ${p.SpotPrice} ${p.Timestamp?.toISOString()}`),
        NextToken: o.NextToken,
      }),
    });
  }

  // ----- seeding and inspection (not traced) -------------------------------------------------

  /** Record a Spot price change (newest-first order is the fake's job, not the caller's). */
  addSpotPrice(record: SpotPriceRecord): void {
    const checked = this.#checked(record, 'FakeEc2.addSpotPrice');
    // Where a stable sort would put it: after every record that sorts before it or equal to it.
    let low = 0;
    let high = this.#spot.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (newestFirst(this.#spot[middle]!, checked) <= 0) low = middle + 1;
      else high = middle;
    }
    this.#spot.splice(low, 0, checked);
    this.#byType = undefined;
  }

  #checked(record: SpotPriceRecord, where: string): SpotPriceRecord {
    if (!this.#byName.has(record.instanceType)) {
      throw new Error(`${where}: ${record.instanceType} is not one of this region's instance types.`);
    }
    if (!this.#zoneIds.has(record.availabilityZone)) {
      throw new Error(`${where}: ${record.availabilityZone} is not a zone of ${this.env.region}.`);
    }
    if (!/^\d+\.\d+$/.test(record.spotPrice)) {
      throw new Error(`${where}: '${record.spotPrice}' is not a price as EC2 writes it (e.g. '0.312300').`);
    }
    return { ...record, timestamp: new Date(record.timestamp.getTime()) };
  }

  /** List these types last (DescribeInstanceTypes promises no order; checks use this to put a type on the last page). */
  listLast(types: readonly string[]): void {
    const last = new Set(types);
    this.#instanceTypes = [
      ...this.#instanceTypes.filter((i) => !last.has(String(i.InstanceType))),
      ...types.map((t) => this.#byName.get(t)).filter((i): i is InstanceTypeInfo => i !== undefined),
    ];
  }

  /** The region's types in listing order (copies). */
  instanceTypes(): InstanceTypeInfo[] {
    return this.#instanceTypes.map((i) => copyPlain(i));
  }

  /** Every Spot price record, or those of one instance type, newest first (copies). */
  spotPriceHistory(filter: { instanceType?: string } = {}): SpotPriceRecord[] {
    const records = filter.instanceType === undefined ? this.#spot : (this.#spotByType().get(filter.instanceType) ?? []);
    return records.map((r) => ({ ...r, timestamp: new Date(r.timestamp.getTime()) }));
  }

  /** The Spot records of each type, newest first: most questions are about one type. */
  #spotByType(): Map<string, SpotPriceRecord[]> {
    if (!this.#byType) {
      this.#byType = new Map();
      for (const record of this.#spot) {
        const records = this.#byType.get(record.instanceType);
        if (records) records.push(record);
        else this.#byType.set(record.instanceType, [record]);
      }
    }
    return this.#byType;
  }

  get zones(): readonly AvailabilityZone[] {
    return this.#zones;
  }

  override snapshot(): unknown {
    return { instanceTypes: this.#instanceTypes.length, spotPriceRecords: this.#spot.length };
  }

  // ----- operations --------------------------------------------------------------------------

  #describeInstanceTypes(input: DescribeInstanceTypesCommandInput, call: Call) {
    this.#dryRun(input.DryRun, call);
    const filters = this.#instanceTypeFilters(input.Filters, call);
    const matches = (info: InstanceTypeInfo) =>
      filters.every((f) => f.values.some((pattern) => f.of(info).some((v) => wildcardMatch(pattern, v))));

    if (input.InstanceTypes?.length) {
      const unknown = input.InstanceTypes.filter((t) => !this.#byName.has(String(t)));
      if (unknown.length) {
        throw this.#error('InvalidInstanceType', `The following supplied instance types do not exist: [${unknown.join(', ')}]`, call);
      }
      const wanted = new Set(input.InstanceTypes.map(String));
      // Named types come back in one answer, whatever MaxResults says.
      return { InstanceTypes: this.#instanceTypes.filter((i) => wanted.has(String(i.InstanceType)) && matches(i)).map((i) => copyPlain(i)) };
    }

    const pageSize = this.#pageSize(input.MaxResults, DESCRIBE_INSTANCE_TYPES_PAGE, call);
    const query = JSON.stringify(['DescribeInstanceTypes', input.Filters ?? [], input.IncludeUnsupportedInRegion ?? false]);
    const start = this.#start(query, input.NextToken, call);
    const window = this.#instanceTypes.slice(start, start + pageSize);
    const end = start + window.length;
    return {
      InstanceTypes: window.filter(matches).map((i) => copyPlain(i)),
      ...(end < this.#instanceTypes.length ? { NextToken: this.#tokens.encode(query, end) } : {}),
    };
  }

  #describeSpotPriceHistory(input: DescribeSpotPriceHistoryCommandInput, call: Call) {
    this.#dryRun(input.DryRun, call);
    if (input.AvailabilityZone && input.AvailabilityZoneId) {
      throw this.#error('InvalidParameterCombination', 'Specify either AvailabilityZone or AvailabilityZoneId, not both.', call);
    }
    const start = this.#time(input.StartTime, 'StartTime', call);
    const end = this.#time(input.EndTime, 'EndTime', call);
    if (start && end && start.getTime() > end.getTime()) {
      throw this.#error('InvalidParameterValue', `The value for StartTime (${start.toISOString()}) must be before EndTime (${end.toISOString()}).`, call);
    }
    const filters = (input.Filters ?? []).map((filter) => {
      const name = filter.Name ?? '';
      if (name === 'timestamp') {
        throw new Error("The fake EC2 does not implement DescribeSpotPriceHistory's 'timestamp' filter (AWS does); use StartTime and EndTime.");
      }
      const of = SPOT_FILTERS[name];
      if (!of) throw this.#error('InvalidParameterValue', `The filter '${name}' is invalid`, call);
      return { of, values: filter.Values ?? [] };
    });
    const types = input.InstanceTypes?.length ? new Set(input.InstanceTypes.map(String)) : undefined;
    const products = input.ProductDescriptions?.length ? new Set(input.ProductDescriptions) : undefined;
    const zoneName = input.AvailabilityZoneId
      ? this.#zones.find((z) => z.id === input.AvailabilityZoneId)?.name ?? '(none)'
      : input.AvailabilityZone;
    if (input.AvailabilityZone && !this.#zoneIds.has(input.AvailabilityZone)) {
      throw this.#error('InvalidParameterValue', `Invalid availability zone: [${input.AvailabilityZone}]`, call);
    }

    const now = this.env.clock.now().getTime();
    const to = Math.min(end?.getTime() ?? now, now);
    const from = Math.max(start?.getTime() ?? -Infinity, now - SPOT_HISTORY_DAYS * 86_400_000);
    // One named type (the usual question) is read from its own newest-first run of records.
    const candidates = types?.size === 1 ? (this.#spotByType().get([...types][0]!) ?? []) : this.#spot;
    const selected = candidates.filter(
      (r) =>
        (!types || types.has(r.instanceType)) &&
        (!products || products.has(r.productDescription)) &&
        (!zoneName || r.availabilityZone === zoneName) &&
        filters.every((f) => f.values.some((pattern) => f.of(r, this.#zoneIds).some((v) => wildcardMatch(pattern, v)))),
    );
    // In the window, plus the change in effect at its start for each (type, zone, product).
    const inWindow: SpotPriceRecord[] = [];
    const inEffect = new Map<string, SpotPriceRecord>();
    for (const record of selected) {
      const t = record.timestamp.getTime();
      if (t > to) continue;
      if (t >= from) {
        inWindow.push(record);
        continue;
      }
      const key = `${record.instanceType}|${record.availabilityZone}|${record.productDescription}`;
      if (!inEffect.has(key)) inEffect.set(key, record); // newest first: the first one seen is the latest
    }
    const records = [...inWindow, ...inEffect.values()].sort(newestFirst);

    const pageSize = this.#pageSize(input.MaxResults, SPOT_PRICE_HISTORY_PAGE, call);
    const query = JSON.stringify([
      'DescribeSpotPriceHistory',
      input.InstanceTypes ?? [],
      input.ProductDescriptions ?? [],
      input.Filters ?? [],
      zoneName ?? '',
      start?.toISOString() ?? '',
      end?.toISOString() ?? '',
    ]);
    const first = this.#start(query, input.NextToken, call);
    const page = records.slice(first, first + pageSize);
    const next = first + page.length;
    return {
      SpotPriceHistory: page.map((r): SpotPrice => ({
        AvailabilityZone: r.availabilityZone,
        AvailabilityZoneId: this.#zoneIds.get(r.availabilityZone),
        InstanceType: r.instanceType as SpotPrice['InstanceType'],
        ProductDescription: r.productDescription as SpotPrice['ProductDescription'],
        SpotPrice: r.spotPrice,
        Timestamp: new Date(r.timestamp.getTime()),
      })),
      // EC2 answers an empty string, not nothing, when there are no more pages.
      NextToken: next < records.length ? this.#tokens.encode(query, next) : '',
    };
  }

  // ----- request checks ----------------------------------------------------------------------

  #dryRun(dryRun: boolean | undefined, call: Call): void {
    if (dryRun) throw this.#error('DryRunOperation', 'Request would have succeeded, but DryRun flag is set.', call, 412);
  }

  #pageSize(value: number | undefined, bounds: { min: number; max: number; default: number }, call: Call): number {
    if (value === undefined || value === null) return bounds.default;
    if (!Number.isInteger(value) || value < bounds.min || value > bounds.max) {
      throw this.#error(
        'InvalidParameterValue',
        `Value ( ${describeValue(value)} ) for parameter maxResults is invalid. Expecting a value between ${bounds.min} and ${bounds.max}.`,
        call,
      );
    }
    return value;
  }

  #start(query: string, token: string | undefined, call: Call): number {
    // An empty token is the end marker EC2 hands out; sending it back starts over, as on EC2.
    if (token === undefined || token === null || token === '') return 0;
    const offset = this.#tokens.decode(query, String(token));
    if (offset === undefined) {
      throw this.#error('InvalidPaginationToken', 'The specified pagination token is not valid or is expired.', call);
    }
    return offset;
  }

  #time(value: unknown, name: string, call: Call): Date | undefined {
    if (value === undefined || value === null) return undefined;
    const date = value instanceof Date ? value : new Date(value as string);
    if (Number.isNaN(date.getTime())) {
      throw this.#error('InvalidParameterValue', `Value (${describeValue(value)}) for parameter ${name} is invalid. Expecting a timestamp.`, call);
    }
    return date;
  }

  #instanceTypeFilters(filters: Filter[] | undefined, call: Call): { of: Values; values: string[] }[] {
    return (filters ?? []).map((filter) => {
      const name = filter.Name ?? '';
      const of = INSTANCE_TYPE_FILTERS[name];
      if (of) return { of, values: filter.Values ?? [] };
      if (AWS_INSTANCE_TYPE_FILTER_NAMES.has(name)) {
        throw new Error(
          `The fake EC2 does not implement the DescribeInstanceTypes filter '${name}' (AWS does). ` +
            `It answers: ${Object.keys(INSTANCE_TYPE_FILTERS).join(', ')}; or read the field from the InstanceTypes it returns.`,
        );
      }
      throw this.#error('InvalidParameterValue', `The filter '${name}' is invalid`, call);
    });
  }

  /** EC2's answer `code`: EC2ServiceException named `code` (the SDK models none of EC2's errors), with Code. */
  override error(code: string, message: string, call: Call, options: ErrorOptions = {}): Error {
    return serviceError(EC2ServiceException, {
      name: code,
      message,
      httpStatusCode: options.httpStatusCode ?? 400,
      requestId: call.requestId,
      fields: { Code: code, ...options.fields },
    });
  }

  #error(code: string, message: string, call: Call, httpStatusCode = 400): Error {
    return this.error(code, message, call, { httpStatusCode });
  }
}

// The same order as String.prototype.localeCompare (which is specified as this collator's
// compare), without building a collator on every comparison.
const byLocale = new Intl.Collator().compare;

function newestFirst(a: SpotPriceRecord, b: SpotPriceRecord): number {
  return (
    b.timestamp.getTime() - a.timestamp.getTime() ||
    byLocale(a.instanceType, b.instanceType) ||
    byLocale(a.availabilityZone, b.availabilityZone) ||
    byLocale(a.productDescription, b.productDescription)
  );
}

/**
 * Sorts records in place as `records.sort(newestFirst)` would (both sorts are stable and the
 * orders agree pair by pair), comparing numbers instead of collating strings: each field's
 * distinct values are collated once and ranked. A world sorts thousands of records.
 */
function sortNewestFirst(records: SpotPriceRecord[]): SpotPriceRecord[] {
  const ranks = (field: 'instanceType' | 'availabilityZone' | 'productDescription') => {
    const distinct = [...new Set(records.map((r) => r[field]))].sort(byLocale);
    const rank = new Map<string, number>();
    let current = 0;
    distinct.forEach((value, i) => {
      if (i > 0 && byLocale(distinct[i - 1]!, value) !== 0) current++;
      rank.set(value, current);
    });
    return rank;
  };
  const types = ranks('instanceType');
  const zones = ranks('availabilityZone');
  const products = ranks('productDescription');
  const keyed = records.map((record) => ({
    record,
    time: record.timestamp.getTime(),
    type: types.get(record.instanceType)!,
    zone: zones.get(record.availabilityZone)!,
    product: products.get(record.productDescription)!,
  }));
  keyed.sort((a, b) => b.time - a.time || a.type - b.type || a.zone - b.zone || a.product - b.product);
  keyed.forEach((k, i) => (records[i] = k.record));
  return records;
}

/**
 * A deep copy of API data (objects, arrays, Dates, primitives), as structuredClone makes it
 * for such data, at a fraction of its cost: worlds copy every instance type they hand out.
 */
function copyPlain<T>(value: T): T {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(copyPlain) as T;
  if (value instanceof Date) return new Date(value.getTime()) as T;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) out[key] = copyPlain((value as Record<string, unknown>)[key]);
  return out as T;
}

/** Faults as EC2 spells them, for env.faults.add({ service: 'ec2', … }). */
export const Ec2Faults = {
  requestLimitExceeded: { name: 'RequestLimitExceeded', httpStatusCode: 503, message: 'Request limit exceeded.' },
  internalError: { name: 'InternalError', httpStatusCode: 500, message: 'An internal error has occurred.' },
  unavailable: { name: 'Unavailable', httpStatusCode: 503, message: 'The server is overloaded and can\'t handle the request.' },
} as const satisfies Record<string, InjectedFault>;
