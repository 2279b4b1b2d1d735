// The platform team's capacity planner: the cheapest (instance type, purchase option) that can
// run a workload. The imports are the SDK pieces the steps use; keep the ones you need.
import {
  DescribeInstanceTypesCommand,
  DescribeSpotPriceHistoryCommand,
  EC2Client,
  paginateDescribeInstanceTypes,
  paginateDescribeSpotPriceHistory,
} from '@aws-sdk/client-ec2';
import type { InstanceTypeInfo, SpotPrice } from '@aws-sdk/client-ec2';
import { GetProductsCommand, PricingClient, paginateGetProducts } from '@aws-sdk/client-pricing';

export type Task = 'exploration' | 'preprocessing' | 'training' | 'batch-inference' | 'realtime-inference';

export interface Workload {
  name: string;
  task: Task;
  minVcpus: number;
  minMemoryGiB: number;
  gpus: number; // accelerators needed; 0 = none
  minGpuMemoryGiB: number; // per accelerator; 0 when gpus is 0
  neuronOk: boolean; // model compiled for AWS Neuron: Inferentia/Trainium devices may stand in for GPUs
  hoursPerMonth: number; // 1..730
  interruptible: boolean; // checkpoints and survives interruption: Spot is allowed
  committedYear: boolean; // runs steadily for the next 12 months: a 1-year reservation is allowed
}

export interface Choice {
  instanceType: string;
  purchaseOption: 'on-demand' | 'reserved' | 'spot';
  monthlyCostUsd: number;
}

/**
 * Step 1: every page of DescribeInstanceTypes; keep the current-generation types with enough
 * vCPUs and memory; price each on demand from the Price List; return the cheapest, to the cent.
 * Throw an Error naming the workload when nothing fits.
 * Step 2: GPUs (and Neuron devices when neuronOk) with enough memory each.
 * Step 3: the 1-year standard No Upfront reservation when committedYear (rate × 730).
 * Step 4: Spot when interruptible: newest Linux/UNIX record per zone, cheapest zone.
 */
export async function chooseInstance(ec2: EC2Client, pricing: PricingClient, workload: Workload): Promise<Choice> {
  throw new Error('Not implemented yet: chooseInstance (step 1)');
}
