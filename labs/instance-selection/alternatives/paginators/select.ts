// Alternative solution: the SDK's paginators everywhere, the current-generation filter applied by
// EC2, one Price List query for the whole region instead of one per type, and one Spot history
// query for every candidate at once.

import { paginateDescribeInstanceTypes, paginateDescribeSpotPriceHistory } from '@aws-sdk/client-ec2';
import type { EC2Client, InstanceTypeInfo } from '@aws-sdk/client-ec2';
import { paginateGetProducts } from '@aws-sdk/client-pricing';
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

type Term = { priceDimensions: Record<string, { unit: string; pricePerUnit: { USD: string } }>; termAttributes: Record<string, string> };
type Product = { product: { attributes: { instanceType: string } }; terms: { OnDemand?: Record<string, Term>; Reserved?: Record<string, Term> } };

const perHour = (term: Term | undefined) => {
  const dimension = Object.values(term?.priceDimensions ?? {}).find((d) => d.unit === 'Hrs');
  return dimension === undefined ? undefined : Number(dimension.pricePerUnit.USD);
};

function usableDevices(info: InstanceTypeInfo, w: Workload): number {
  const devices = [...(info.GpuInfo?.Gpus ?? []), ...(w.neuronOk ? info.NeuronInfo?.NeuronDevices ?? [] : [])];
  return devices.filter((d) => (d.MemoryInfo?.SizeInMiB ?? 0) >= w.minGpuMemoryGiB * 1024).reduce((n, d) => n + (d.Count ?? 0), 0);
}

export async function chooseInstance(ec2: EC2Client, pricing: PricingClient, w: Workload): Promise<Choice> {
  const fitting: InstanceTypeInfo[] = [];
  const currentOnly = { Filters: [{ Name: 'current-generation', Values: ['true'] }] };
  for await (const page of paginateDescribeInstanceTypes({ client: ec2 }, currentOnly)) {
    for (const info of page.InstanceTypes ?? []) {
      const enough =
        (info.VCpuInfo?.DefaultVCpus ?? 0) >= w.minVcpus &&
        (info.MemoryInfo?.SizeInMiB ?? 0) >= w.minMemoryGiB * 1024 &&
        (w.gpus === 0 || usableDevices(info, w) >= w.gpus);
      if (enough) fitting.push(info);
    }
  }
  if (fitting.length === 0) throw new Error(`Workload ${w.name} fits on no instance type in this region.`);

  const prices = new Map<string, Product>();
  const linuxShared = [
    ['regionCode', 'us-east-1'],
    ['operatingSystem', 'Linux'],
    ['tenancy', 'Shared'],
    ['preInstalledSw', 'NA'],
    ['capacitystatus', 'Used'],
  ].map(([Field, Value]) => ({ Type: 'TERM_MATCH' as const, Field, Value }));
  for await (const page of paginateGetProducts({ client: pricing, pageSize: 100 }, { ServiceCode: 'AmazonEC2', Filters: linuxShared })) {
    const items: unknown[] = page.PriceList ?? [];
    for (const item of items) {
      const product = JSON.parse(`${item}`) as Product;
      prices.set(product.product.attributes.instanceType, product);
    }
  }

  const spot = new Map<string, number>();
  const spotTypes = fitting.filter((i) => i.SupportedUsageClasses?.includes('spot')).map((i) => i.InstanceType!);
  if (w.interruptible && spotTypes.length) {
    const newest = new Map<string, { at: number; price: number }>();
    for await (const page of paginateDescribeSpotPriceHistory({ client: ec2 }, { InstanceTypes: spotTypes, ProductDescriptions: ['Linux/UNIX'] })) {
      for (const r of page.SpotPriceHistory ?? []) {
        const key = `${r.InstanceType} ${r.AvailabilityZone}`;
        const at = r.Timestamp?.getTime() ?? 0;
        if ((newest.get(key)?.at ?? -Infinity) < at) newest.set(key, { at, price: Number(r.SpotPrice) });
      }
    }
    for (const [key, { price }] of newest) {
      const type = key.split(' ')[0]!;
      spot.set(type, Math.min(spot.get(type) ?? Infinity, price));
    }
  }

  const options: Choice[] = [];
  const monthly = (hourly: number, hours: number) => Math.round(hourly * hours * 100) / 100;
  for (const info of fitting) {
    const type = info.InstanceType!;
    const product = prices.get(type);
    const onDemand = perHour(Object.values(product?.terms.OnDemand ?? {})[0]);
    if (onDemand !== undefined) options.push({ instanceType: type, purchaseOption: 'on-demand', monthlyCostUsd: monthly(onDemand, w.hoursPerMonth) });
    const reservedTerm = Object.values(product?.terms.Reserved ?? {}).find(
      ({ termAttributes: t }) => t.LeaseContractLength === '1yr' && t.OfferingClass === 'standard' && t.PurchaseOption === 'No Upfront',
    );
    const reserved = perHour(reservedTerm);
    if (w.committedYear && reserved !== undefined) options.push({ instanceType: type, purchaseOption: 'reserved', monthlyCostUsd: monthly(reserved, 730) });
    const spotHourly = spot.get(type);
    if (spotHourly !== undefined) options.push({ instanceType: type, purchaseOption: 'spot', monthlyCostUsd: monthly(spotHourly, w.hoursPerMonth) });
  }
  options.sort((a, b) => a.monthlyCostUsd - b.monthlyCostUsd);
  return options[0]!;
}
