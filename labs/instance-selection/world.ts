// The fake AWS world of the instance-selection lab, built from the catalogue: EC2 with the
// region's instance types and a seeded Spot price history, and the Price List with every
// product a real GetProducts query for these types would have to sift through.
//
// ESTIMATED (see catalogue.ts for what is sourced): which zones sell each type as Spot; the Spot
// history around each type's typical price (±25% per zone, a few changes over the last days,
// varied by the seed); the Windows licence (+$0.046 per vCPU-hour, AWS's on-demand Windows
// premium for m5-class types); Dedicated tenancy (+10%); SQL Server Web (+$0.0125 per
// vCPU-hour); eu-west-1 (+11.5%); and the reserved terms other than 1-year standard No Upfront
// (partial upfront 95% of it, all upfront 93%, convertible +14%, 3-year 70%).

import type { InstanceTypeInfo } from '@aws-sdk/client-ec2';
import type { AwsEnv } from 'whetstone/aws/env';
import { FakeEc2, US_EAST_1_ZONES, fingerprint } from 'whetstone/aws/ec2';
import type { SpotPriceRecord } from 'whetstone/aws/ec2';
import { FakePricing, OfferTermCodes, RateCodes } from 'whetstone/aws/pricing';
import type { OfferTerm, PriceDimension, PriceListItem } from 'whetstone/aws/pricing';
import { CATALOGUE, PRICES_AS_OF, REGION, REGION_NAME, pricingFamily } from './catalogue.ts';
import type { CatalogueEntry } from './catalogue.ts';

export const LINUX = 'Linux/UNIX';
export const WINDOWS = 'Windows';
const HOURS_PER_YEAR = 8760;

/** A stable pseudo-random fraction in [0, 1) for a key: fixed facts of the region, not of a seed. */
function hashFraction(key: string): number {
  return parseInt(fingerprint(key), 16) / 2 ** 32;
}

/**
 * DescribeInstanceTypes' order: no order AWS documents, but the same on every call. Frozen all
 * the way down, so every world shares these infos instead of copying them.
 */
export const LISTING_ORDER: readonly InstanceTypeInfo[] = deepFreeze(
  [...CATALOGUE].sort((a, b) => hashFraction(`list|${a.instanceType}`) - hashFraction(`list|${b.instanceType}`)).map((e) => e.info),
);

/** The zones that sell a type as Spot (xen-era types also in us-east-1e, Nitro types never). */
export function spotZones(entry: CatalogueEntry): string[] {
  if (!entry.spotSupported) return [];
  const xen = entry.info.Hypervisor === 'xen';
  const candidates = US_EAST_1_ZONES.map((z) => z.name).filter((z) => xen || z !== 'us-east-1e');
  const wanted = entry.accelerator ? 3 + Math.floor(hashFraction(`zones|${entry.instanceType}`) * 3) : candidates.length - 1 + Math.floor(hashFraction(`zones|${entry.instanceType}`) * 2);
  return [...candidates]
    .sort((a, b) => hashFraction(`${entry.instanceType}|${a}`) - hashFraction(`${entry.instanceType}|${b}`))
    .slice(0, Math.min(wanted, candidates.length))
    .sort();
}

interface SpotSite {
  entry: CatalogueEntry;
  zone: string;
  zoneFactor: number;
}

let sites: readonly SpotSite[] | undefined;

/** Every (type, zone) that sells Spot, in catalogue then zone order: fixed facts, worked out once per process. */
function spotSites(): readonly SpotSite[] {
  sites ??= CATALOGUE.flatMap((entry) =>
    spotZones(entry).map((zone) => ({ entry, zone, zoneFactor: 0.85 + hashFraction(`spot|${entry.instanceType}|${zone}`) * 0.4 })),
  );
  return sites;
}

function price(value: number): string {
  return (Math.round(value * 10_000) / 10_000).toFixed(6);
}

/**
 * A few days of Spot price changes for every (type, zone), Linux/UNIX and Windows, newest at
 * most 30 hours old. Seeded: every check sees other prices, every run of a seed the same ones.
 */
export function spotHistory(env: AwsEnv): SpotPriceRecord[] {
  const now = env.clock.now().getTime();
  const records: SpotPriceRecord[] = [];
  for (const { entry, zone, zoneFactor } of spotSites()) {
    const current = entry.spotHourly * zoneFactor * (0.95 + env.random() * 0.1);
    const changes = 3 + Math.floor(env.random() * 4);
    let at = now - (5 + Math.floor(env.random() * 30 * 60)) * 60_000;
    for (let i = 0; i < changes; i++) {
      const linux = i === 0 ? current : current * (0.8 + env.random() * 0.45);
      const timestamp = new Date(at);
      records.push({ instanceType: entry.instanceType, availabilityZone: zone, productDescription: LINUX, spotPrice: price(linux), timestamp });
      records.push({
        instanceType: entry.instanceType,
        availabilityZone: zone,
        productDescription: WINDOWS,
        spotPrice: price(linux + 0.046 * entry.vcpus),
        timestamp: new Date(at + 60_000),
      });
      at -= (6 + Math.floor(env.random() * 34)) * 3_600_000;
    }
  }
  return records;
}

// ---------------------------------------------------------------------------------------------
// The Price List.

const SKU_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';

function sku(key: string): string {
  let out = '';
  for (let i = 0; out.length < 16; i++) {
    let h = parseInt(fingerprint(`${i}|${key}`), 16);
    for (let j = 0; j < 4 && out.length < 16; j++) {
      out += SKU_ALPHABET[h % SKU_ALPHABET.length];
      h = Math.floor(h / SKU_ALPHABET.length);
    }
  }
  return out;
}

const usd = (value: number) => value.toFixed(10);
const dollars = (value: number) => `$${Number(value.toFixed(4))}`;
const EFFECTIVE = '2026-02-01T00:00:00Z';
const VERSION = '20260209134335';
const PUBLISHED = '2026-02-09T13:43:35Z';

interface Variant {
  operatingSystem: 'Linux' | 'Windows';
  tenancy: 'Shared' | 'Dedicated';
  preInstalledSw: 'NA' | 'SQL Web';
  capacitystatus: 'Used' | 'UnusedCapacityReservation' | 'AllocatedCapacityReservation';
}

const VARIANTS: readonly Variant[] = [
  { operatingSystem: 'Linux', tenancy: 'Shared', preInstalledSw: 'NA', capacitystatus: 'Used' },
  { operatingSystem: 'Linux', tenancy: 'Shared', preInstalledSw: 'NA', capacitystatus: 'UnusedCapacityReservation' },
  { operatingSystem: 'Linux', tenancy: 'Shared', preInstalledSw: 'NA', capacitystatus: 'AllocatedCapacityReservation' },
  { operatingSystem: 'Linux', tenancy: 'Dedicated', preInstalledSw: 'NA', capacitystatus: 'Used' },
  { operatingSystem: 'Windows', tenancy: 'Shared', preInstalledSw: 'NA', capacitystatus: 'Used' },
  { operatingSystem: 'Linux', tenancy: 'Shared', preInstalledSw: 'SQL Web', capacitystatus: 'Used' },
];

const REGIONS = [
  { code: REGION, name: REGION_NAME, usagePrefix: '', factor: 1 },
  { code: 'eu-west-1', name: 'EU (Ireland)', usagePrefix: 'EU-', factor: 1.115 },
] as const;

export interface VariantPrices {
  onDemand: number;
  /** 1-year standard No Upfront, effective hourly; undefined for capacity reservations. */
  reserved?: number;
}

/** What one product of a type costs (per hour), by variant and region. */
export function variantPrices(entry: CatalogueEntry, variant: Variant, regionFactor = 1): VariantPrices {
  const license =
    (variant.operatingSystem === 'Windows' ? 0.046 * entry.vcpus : 0) + (variant.preInstalledSw === 'SQL Web' ? 0.0125 * entry.vcpus : 0);
  const tenancy = variant.tenancy === 'Dedicated' ? 1.1 : 1;
  const round = (v: number) => Math.round(v * 10_000) / 10_000;
  if (variant.capacitystatus === 'AllocatedCapacityReservation') return { onDemand: 0 };
  const onDemand = variant.operatingSystem === 'Linux' && variant.preInstalledSw === 'NA' && variant.tenancy === 'Shared' && regionFactor === 1
    ? entry.onDemandHourly
    : round(entry.onDemandHourly * tenancy * regionFactor + license);
  if (variant.capacitystatus === 'UnusedCapacityReservation') return { onDemand };
  const reserved = variant.operatingSystem === 'Linux' && variant.preInstalledSw === 'NA' && variant.tenancy === 'Shared' && regionFactor === 1
    ? entry.reservedHourly
    : round(entry.reservedHourly * tenancy * regionFactor + license);
  return { onDemand, reserved };
}

function dimension(id: string, rateCode: string, unit: 'Hrs' | 'Quantity', value: string, description: string): PriceDimension {
  const base: PriceDimension = { unit, description, appliesTo: [], rateCode: `${id}.${rateCode}`, pricePerUnit: { USD: value } };
  return unit === 'Hrs' ? { unit, endRange: 'Inf', description, appliesTo: [], rateCode: base.rateCode, beginRange: '0', pricePerUnit: base.pricePerUnit } : base;
}

function term(skuId: string, code: string, dimensions: PriceDimension[], attributes: Record<string, string>): OfferTerm {
  return {
    priceDimensions: Object.fromEntries(dimensions.map((d) => [d.rateCode, d])),
    sku: skuId,
    effectiveDate: EFFECTIVE,
    offerTermCode: code,
    termAttributes: attributes,
  };
}

function reservedTerms(skuId: string, entry: CatalogueEntry, variant: Variant, noUpfront: number, onDemand: number): Record<string, OfferTerm> {
  const os = variant.operatingSystem === 'Windows' ? 'Windows (Amazon VPC)' : variant.preInstalledSw === 'SQL Web' ? 'Linux with SQL Server Web (Amazon VPC)' : 'Linux/UNIX (Amazon VPC)';
  const applied = `${os}, ${entry.instanceType} reserved instance applied`;
  const round = (v: number) => Math.round(v * 10_000) / 10_000;
  const family = pricingFamily(entry);
  const threeYear = round(onDemand * family.reservedRatio * 0.7);
  const terms: [string, string, string, { hourly: number; upfront?: number }][] = [
    [OfferTermCodes.standard1yrNoUpfront, '1yr', 'standard', { hourly: noUpfront }],
    [OfferTermCodes.standard1yrPartialUpfront, '1yr', 'standard', { hourly: round(noUpfront * 0.475), upfront: Math.round(noUpfront * 0.475 * HOURS_PER_YEAR) }],
    [OfferTermCodes.standard1yrAllUpfront, '1yr', 'standard', { hourly: 0, upfront: Math.round(noUpfront * 0.93 * HOURS_PER_YEAR) }],
    [OfferTermCodes.convertible1yrNoUpfront, '1yr', 'convertible', { hourly: round(Math.min(onDemand, noUpfront * 1.14)) }],
    [OfferTermCodes.standard3yrNoUpfront, '3yr', 'standard', { hourly: threeYear }],
    [OfferTermCodes.standard3yrAllUpfront, '3yr', 'standard', { hourly: 0, upfront: Math.round(threeYear * 0.92 * 3 * HOURS_PER_YEAR) }],
  ];
  const purchase: Record<string, string> = {
    [OfferTermCodes.standard1yrNoUpfront]: 'No Upfront',
    [OfferTermCodes.standard1yrPartialUpfront]: 'Partial Upfront',
    [OfferTermCodes.standard1yrAllUpfront]: 'All Upfront',
    [OfferTermCodes.convertible1yrNoUpfront]: 'No Upfront',
    [OfferTermCodes.standard3yrNoUpfront]: 'No Upfront',
    [OfferTermCodes.standard3yrAllUpfront]: 'All Upfront',
  };
  const out: Record<string, OfferTerm> = {};
  for (const [code, length, offeringClass, rate] of terms) {
    const id = `${skuId}.${code}`;
    const dims = [
      dimension(id, RateCodes.hourly, 'Hrs', usd(rate.hourly), rate.hourly === 0 ? `USD 0.0 per ${applied}` : applied),
      ...(rate.upfront !== undefined ? [dimension(id, RateCodes.upfrontFee, 'Quantity', String(rate.upfront), 'Upfront Fee')] : []),
    ];
    out[id] = term(skuId, code, dims, { LeaseContractLength: length, OfferingClass: offeringClass, PurchaseOption: purchase[code]! });
  }
  return out;
}

const MEMORY_FORMAT = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });

function memoryAttribute(entry: CatalogueEntry): string {
  const gib = entry.memoryMiB / 1024;
  // Number.prototype.toLocaleString('en-US', …) is specified as this format; one formatter, not one per product.
  return `${MEMORY_FORMAT.format(gib)} GiB`;
}

function product(entry: CatalogueEntry, variant: Variant, region: (typeof REGIONS)[number]): PriceListItem {
  const family = pricingFamily(entry);
  const skuId = sku(`${region.code}|${entry.instanceType}|${variant.operatingSystem}|${variant.tenancy}|${variant.preInstalledSw}|${variant.capacitystatus}`);
  const prices = variantPrices(entry, variant, region.factor);
  const usageKind =
    variant.capacitystatus === 'UnusedCapacityReservation' ? 'UnusedBox' : variant.capacitystatus === 'AllocatedCapacityReservation' ? 'Reservation' : variant.tenancy === 'Dedicated' ? 'DedicatedUsage' : 'BoxUsage';
  const operation = variant.operatingSystem === 'Windows' ? 'RunInstances:0002' : variant.preInstalledSw === 'SQL Web' ? 'RunInstances:0200' : 'RunInstances';
  const accelerator = entry.accelerator;
  const attributes: Record<string, string> = {
    servicecode: 'AmazonEC2',
    servicename: 'Amazon Elastic Compute Cloud',
    location: region.name,
    locationType: 'AWS Region',
    regionCode: region.code,
    instanceType: entry.instanceType,
    instanceFamily: family.pricingFamily,
    currentGeneration: entry.currentGeneration ? 'Yes' : 'No',
    vcpu: String(entry.vcpus),
    memory: memoryAttribute(entry),
    storage: 'EBS only',
    physicalProcessor: family.physicalProcessor,
    clockSpeed: `${family.clockGHz} GHz`,
    processorArchitecture: '64-bit',
    ...(accelerator?.kind === 'gpu'
      ? { gpu: String(accelerator.count), gpuMemory: `${Math.round((accelerator.memoryMiB * accelerator.count) / 1024)} GiB` }
      : { gpuMemory: 'NA' }),
    tenancy: variant.tenancy,
    operatingSystem: variant.operatingSystem,
    licenseModel: 'No License required',
    preInstalledSw: variant.preInstalledSw,
    capacitystatus: variant.capacitystatus,
    usagetype: `${region.usagePrefix}${usageKind}:${entry.instanceType}`,
    operation,
    marketoption: 'OnDemand',
    availabilityzone: 'NA',
    vpcnetworkingsupport: 'true',
    ecu: 'NA',
  };
  const what = `${variant.operatingSystem}${variant.preInstalledSw === 'SQL Web' ? ' with SQL Web' : ''} ${entry.instanceType}`;
  const kind =
    variant.capacitystatus === 'AllocatedCapacityReservation' ? 'Reservation' : variant.capacitystatus === 'UnusedCapacityReservation' ? 'Unused Reservation' : variant.tenancy === 'Dedicated' ? 'Dedicated' : 'On Demand';
  const onDemandId = `${skuId}.${OfferTermCodes.onDemand}`;
  const onDemand = term(
    skuId,
    OfferTermCodes.onDemand,
    [dimension(onDemandId, RateCodes.hourly, 'Hrs', usd(prices.onDemand), `${dollars(prices.onDemand)} per ${kind} ${what} Instance Hour`)],
    {},
  );
  return {
    product: { productFamily: 'Compute Instance', attributes, sku: skuId },
    serviceCode: 'AmazonEC2',
    terms: {
      OnDemand: { [onDemandId]: onDemand },
      ...(prices.reserved !== undefined ? { Reserved: reservedTerms(skuId, entry, variant, prices.reserved, prices.onDemand) } : {}),
    },
    version: VERSION,
    publicationDate: PUBLISHED,
  };
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

let priceList: readonly PriceListItem[] | undefined;

/** Every product, built once (the world shares it read-only), in a stable non-obvious order. */
export function fullPriceList(): readonly PriceListItem[] {
  priceList ??= deepFreeze(
    CATALOGUE.flatMap((entry) => REGIONS.flatMap((region) => VARIANTS.map((variant) => product(entry, variant, region))))
      .map((item) => ({ item, order: hashFraction(`price|${item.product.sku}`) }))
      .sort((a, b) => a.order - b.order)
      .map(({ item }) => item),
  );
  return priceList;
}

export function createWorld(env: AwsEnv): { ec2: FakeEc2; pricing: FakePricing } {
  return {
    ec2: new FakeEc2(env, { instanceTypes: LISTING_ORDER, spotPriceHistory: spotHistory(env) }),
    pricing: new FakePricing(env, { products: fullPriceList() }),
  };
}

export { PRICES_AS_OF };
