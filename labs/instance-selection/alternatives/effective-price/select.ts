// Alternative solution, a different algorithm: costs in whole cents (integers), the Spot price
// asked for "as of now" (with a StartTime, EC2 returns the change in effect then, one per zone),
// products narrowed with EQUALS filters on `location`, and candidates sorted once at the end.

import { DescribeInstanceTypesCommand, DescribeSpotPriceHistoryCommand } from '@aws-sdk/client-ec2';
import type { DescribeInstanceTypesCommandOutput, EC2Client, InstanceTypeInfo } from '@aws-sdk/client-ec2';
import { GetProductsCommand } from '@aws-sdk/client-pricing';
import type { PricingClient } from '@aws-sdk/client-pricing';

export type Task = 'exploration' | 'preprocessing' | 'training' | 'batch-inference' | 'realtime-inference';

export interface Workload {
  name: string;
  task: Task;
  minVcpus: number;
  minMemoryGiB: number;
  gpus: number;
  minGpuMemoryGiB: number;
  neuronOk: boolean;
  hoursPerMonth: number;
  interruptible: boolean;
  committedYear: boolean;
}

export interface Choice {
  instanceType: string;
  purchaseOption: 'on-demand' | 'reserved' | 'spot';
  monthlyCostUsd: number;
}

interface Candidate {
  type: NonNullable<InstanceTypeInfo['InstanceType']>;
  option: Choice['purchaseOption'];
  cents: number;
}

const toCents = (hourly: number, hours: number): number => Math.round(hourly * hours * 100);

async function* allTypes(ec2: EC2Client): AsyncGenerator<InstanceTypeInfo> {
  let token: string | undefined = undefined;
  for (;;) {
    const page: DescribeInstanceTypesCommandOutput = await ec2.send(new DescribeInstanceTypesCommand({ NextToken: token }));
    yield* page.InstanceTypes ?? [];
    token = page.NextToken;
    if (!token) return;
  }
}

function canRun(info: InstanceTypeInfo, w: Workload): boolean {
  const memoryOk = (info.MemoryInfo?.SizeInMiB ?? 0) >= w.minMemoryGiB * 1024;
  const cpuOk = (info.VCpuInfo?.DefaultVCpus ?? 0) >= w.minVcpus;
  if (info.CurrentGeneration !== true || !memoryOk || !cpuOk) return false;
  if (w.gpus <= 0) return true;
  let usable = 0;
  const bigEnough = (mib: number | undefined) => (mib ?? 0) / 1024 >= w.minGpuMemoryGiB;
  for (const g of info.GpuInfo?.Gpus ?? []) if (bigEnough(g.MemoryInfo?.SizeInMiB)) usable += g.Count ?? 0;
  if (w.neuronOk) for (const n of info.NeuronInfo?.NeuronDevices ?? []) if (bigEnough(n.MemoryInfo?.SizeInMiB)) usable += n.Count ?? 0;
  return usable >= w.gpus;
}

async function rates(pricing: PricingClient, type: string): Promise<{ onDemand?: number; reserved?: number }> {
  const equals = (Field: string, Value: string) => ({ Type: 'EQUALS' as const, Field, Value });
  const answer = await pricing.send(
    new GetProductsCommand({
      ServiceCode: 'AmazonEC2',
      FormatVersion: 'aws_v1',
      MaxResults: 10,
      Filters: [
        equals('instanceType', type),
        equals('location', 'US East (N. Virginia)'),
        equals('operatingSystem', 'Linux'),
        equals('tenancy', 'Shared'),
        equals('preInstalledSw', 'NA'),
        equals('capacitystatus', 'Used'),
      ],
    }),
  );
  const documents: unknown[] = answer.PriceList ?? [];
  const [doc] = documents.map((d) => JSON.parse(String(d)) as {
    terms: Record<string, Record<string, { termAttributes: Record<string, string>; priceDimensions: Record<string, { unit: string; pricePerUnit: { USD: string } }> }>>;
  });
  if (!doc) return {};
  const hourly = (kind: 'OnDemand' | 'Reserved', wanted: Record<string, string>) => {
    for (const term of Object.values(doc.terms[kind] ?? {})) {
      if (!Object.entries(wanted).every(([k, v]) => term.termAttributes[k] === v)) continue;
      for (const d of Object.values(term.priceDimensions)) if (d.unit === 'Hrs') return parseFloat(d.pricePerUnit.USD);
    }
    return undefined;
  };
  return {
    onDemand: hourly('OnDemand', {}),
    reserved: hourly('Reserved', { LeaseContractLength: '1yr', OfferingClass: 'standard', PurchaseOption: 'No Upfront' }),
  };
}

async function spotNow(ec2: EC2Client, type: Candidate['type']): Promise<number | undefined> {
  // With a StartTime, EC2 includes the last change before it: the price in effect now, per zone.
  const now = new Date();
  const inEffect = new Map<string, { at: number; usd: number }>();
  let token: string | undefined;
  do {
    const page = await ec2.send(
      new DescribeSpotPriceHistoryCommand({ InstanceTypes: [type], ProductDescriptions: ['Linux/UNIX'], StartTime: now, NextToken: token }),
    );
    for (const r of page.SpotPriceHistory ?? []) {
      const zone = String(r.AvailabilityZone);
      const at = r.Timestamp ? r.Timestamp.getTime() : 0;
      const known = inEffect.get(zone);
      if (!known || at > known.at) inEffect.set(zone, { at, usd: parseFloat(String(r.SpotPrice)) });
    }
    token = page.NextToken || undefined;
  } while (token);
  let lowest: number | undefined;
  for (const { usd } of inEffect.values()) if (lowest === undefined || usd < lowest) lowest = usd;
  return lowest;
}

export async function chooseInstance(ec2: EC2Client, pricing: PricingClient, w: Workload): Promise<Choice> {
  const candidates: Candidate[] = [];
  for await (const info of allTypes(ec2)) {
    if (!canRun(info, w) || !info.InstanceType) continue;
    const type = info.InstanceType;
    const { onDemand, reserved } = await rates(pricing, type);
    if (onDemand !== undefined) candidates.push({ type, option: 'on-demand', cents: toCents(onDemand, w.hoursPerMonth) });
    if (reserved !== undefined && w.committedYear) candidates.push({ type, option: 'reserved', cents: toCents(reserved, 730) });
    if (w.interruptible && (info.SupportedUsageClasses ?? []).includes('spot')) {
      const spot = await spotNow(ec2, type);
      if (spot !== undefined) candidates.push({ type, option: 'spot', cents: toCents(spot, w.hoursPerMonth) });
    }
  }
  if (!candidates.length) throw new Error(`nothing can host ${w.name}`);
  const [best] = candidates.sort((a, b) => a.cents - b.cents || a.type.localeCompare(b.type));
  return { instanceType: best!.type, purchaseOption: best!.option, monthlyCostUsd: best!.cents / 100 };
}
