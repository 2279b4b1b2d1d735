// Anti-solution: uses Spot even for workloads that are not interruptible.

import { DescribeInstanceTypesCommand, DescribeSpotPriceHistoryCommand } from '@aws-sdk/client-ec2';
import type { EC2Client, InstanceTypeInfo, SpotPrice } from '@aws-sdk/client-ec2';
import { GetProductsCommand } from '@aws-sdk/client-pricing';
import type { PricingClient } from '@aws-sdk/client-pricing';

export type Task = 'exploration' | 'preprocessing' | 'training' | 'batch-inference' | 'realtime-inference';

export interface Workload {
  name: string;
  task: Task;
  minVcpus: number;
  minMemoryGiB: number;
  gpus: number; // accelerators needed; 0 = none
  minGpuMemoryGiB: number; // per accelerator; 0 when gpus is 0
  neuronOk: boolean; // Inferentia/Trainium may stand in for GPUs
  hoursPerMonth: number; // 1..730
  interruptible: boolean; // Spot is allowed
  committedYear: boolean; // a 1-year reservation is allowed
}

export interface Choice {
  instanceType: string;
  purchaseOption: 'on-demand' | 'reserved' | 'spot';
  monthlyCostUsd: number;
}

const HOURS_IN_MONTH = 730;

async function listInstanceTypes(ec2: EC2Client): Promise<InstanceTypeInfo[]> {
  const types: InstanceTypeInfo[] = [];
  let nextToken: string | undefined;
  do {
    const page = await ec2.send(new DescribeInstanceTypesCommand({ MaxResults: 100, NextToken: nextToken }));
    types.push(...(page.InstanceTypes ?? []));
    nextToken = page.NextToken;
  } while (nextToken);
  return types;
}

/** Accelerators of one kind on an instance: how many, and the memory of each (GiB). */
interface Accelerators {
  count: number;
  memoryGiB: number;
}

function accelerators(info: InstanceTypeInfo, neuronOk: boolean): Accelerators[] {
  const found: Accelerators[] = [];
  for (const gpu of info.GpuInfo?.Gpus ?? []) {
    found.push({ count: gpu.Count ?? 0, memoryGiB: (gpu.MemoryInfo?.SizeInMiB ?? 0) / 1024 });
  }
  if (neuronOk) {
    for (const device of info.NeuronInfo?.NeuronDevices ?? []) {
      found.push({ count: device.Count ?? 0, memoryGiB: (device.MemoryInfo?.SizeInMiB ?? 0) / 1024 });
    }
  }
  return found;
}

function fits(info: InstanceTypeInfo, workload: Workload): boolean {
  if (!info.CurrentGeneration) return false;
  if ((info.VCpuInfo?.DefaultVCpus ?? 0) < workload.minVcpus) return false;
  if ((info.MemoryInfo?.SizeInMiB ?? 0) / 1024 < workload.minMemoryGiB) return false;
  if (workload.gpus === 0) return true;
  // Devices count only when each one has the memory the model needs.
  const usable = accelerators(info, workload.neuronOk)
    .filter((a) => a.memoryGiB >= workload.minGpuMemoryGiB)
    .reduce((sum, a) => sum + a.count, 0);
  return usable >= workload.gpus;
}

interface PriceDimension {
  unit: string;
  pricePerUnit: { USD: string };
}
interface Term {
  priceDimensions: Record<string, PriceDimension>;
  termAttributes: Record<string, string>;
}
interface PriceListItem {
  terms: { OnDemand?: Record<string, Term>; Reserved?: Record<string, Term> };
}

function hourlyRate(term: Term | undefined): number | undefined {
  const hourly = Object.values(term?.priceDimensions ?? {}).find((d) => d.unit === 'Hrs');
  return hourly ? Number(hourly.pricePerUnit.USD) : undefined;
}

/** On-demand and 1-year standard No Upfront hourly prices: Linux, shared tenancy, us-east-1. */
async function listPrices(pricing: PricingClient, instanceType: string): Promise<{ onDemand?: number; reserved?: number }> {
  const match = (Field: string, Value: string) => ({ Type: 'TERM_MATCH' as const, Field, Value });
  const page = await pricing.send(
    new GetProductsCommand({
      ServiceCode: 'AmazonEC2',
      Filters: [
        match('instanceType', instanceType),
        match('regionCode', 'us-east-1'),
        match('operatingSystem', 'Linux'),
        match('tenancy', 'Shared'),
        match('preInstalledSw', 'NA'),
        match('capacitystatus', 'Used'),
      ],
    }),
  );
  // Each entry is a JSON document in a string (the SDK boxes it): parse it.
  const list: unknown[] = page.PriceList ?? [];
  const items = list.map((text) => JSON.parse(String(text)) as PriceListItem);
  if (items.length !== 1) throw new Error(`Expected one Linux/shared price for ${instanceType}, found ${items.length}.`);
  const { OnDemand = {}, Reserved = {} } = items[0]!.terms;
  const oneYear = Object.values(Reserved).find(
    (t) =>
      t.termAttributes.LeaseContractLength === '1yr' &&
      t.termAttributes.OfferingClass === 'standard' &&
      t.termAttributes.PurchaseOption === 'No Upfront',
  );
  return { onDemand: hourlyRate(Object.values(OnDemand)[0]), reserved: hourlyRate(oneYear) };
}

/** The current Spot price: the newest Linux/UNIX record of each zone, then the cheapest zone. */
type InstanceTypeName = NonNullable<InstanceTypeInfo['InstanceType']>;

async function spotPrice(ec2: EC2Client, instanceType: InstanceTypeName): Promise<number | undefined> {
  const newest = new Map<string, SpotPrice>();
  let nextToken: string | undefined;
  do {
    const page = await ec2.send(
      new DescribeSpotPriceHistoryCommand({ InstanceTypes: [instanceType], ProductDescriptions: ['Linux/UNIX'], NextToken: nextToken }),
    );
    for (const record of page.SpotPriceHistory ?? []) {
      const zone = record.AvailabilityZone ?? '';
      const seen = newest.get(zone);
      if (!seen || (record.Timestamp?.getTime() ?? 0) > (seen.Timestamp?.getTime() ?? 0)) newest.set(zone, record);
    }
    nextToken = page.NextToken;
  } while (nextToken);
  const prices = [...newest.values()].map((r) => Number(r.SpotPrice));
  return prices.length ? Math.min(...prices) : undefined;
}

function cents(usd: number): number {
  return Math.round(usd * 100) / 100;
}

export async function chooseInstance(ec2: EC2Client, pricing: PricingClient, workload: Workload): Promise<Choice> {
  const candidates = (await listInstanceTypes(ec2)).filter((info) => fits(info, workload));
  if (!candidates.length) throw new Error(`No instance type can run workload '${workload.name}'.`);

  const choices: Choice[] = [];
  for (const info of candidates) {
    const instanceType = String(info.InstanceType);
    const { onDemand, reserved } = await listPrices(pricing, instanceType);
    if (onDemand !== undefined) {
      choices.push({ instanceType, purchaseOption: 'on-demand', monthlyCostUsd: cents(onDemand * workload.hoursPerMonth) });
    }
    if (workload.committedYear && reserved !== undefined) {
      // A reservation is billed for every hour of the year, whether the instance runs or not.
      choices.push({ instanceType, purchaseOption: 'reserved', monthlyCostUsd: cents(reserved * HOURS_IN_MONTH) });
    }
    // Mistake: Spot is considered whether or not the workload is interruptible.
    if (info.SupportedUsageClasses?.includes('spot')) {
      const spot = await spotPrice(ec2, info.InstanceType!);
      if (spot !== undefined) choices.push({ instanceType, purchaseOption: 'spot', monthlyCostUsd: cents(spot * workload.hoursPerMonth) });
    }
  }
  return choices.reduce((best, c) => (c.monthlyCostUsd < best.monthlyCostUsd ? c : best));
}
