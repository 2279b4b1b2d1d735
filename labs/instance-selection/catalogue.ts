// The region this lab's team shops in: 110 real us-east-1 instance types an ML platform weighs
// (CPU families for notebooks and preprocessing, GPU and AWS Neuron families for training and
// inference, two previous-generation GPU families, and two High Memory types that are never
// sold as Spot), with their published specs in DescribeInstanceTypes' `InstanceTypeInfo`
// shape and dated us-east-1 sample prices.
//
// Sources (read 2026-11-25):
// - On-demand USD/hour, Linux, shared tenancy, us-east-1: aws/karpenter-provider-aws,
//   pkg/providers/pricing/zz_generated.pricing_aws.go, "generated at 2026-02-09T13:43:35Z for
//   us-east-1" from the AWS Price List API. Every `od` below is that file's figure, unrounded.
// - Specs (vCPUs, memory, accelerator name, count and per-device memory in MiB): AWS's instance
//   type pages (aws.amazon.com/ec2/instance-types, .../p5, .../g6, .../inf2, .../trn1) and
//   DescribeInstanceTypes output quoted in aws/karpenter-provider-aws
//   pkg/fake/zz_generated.describe_instance_types.go (g4dn T4 16384 MiB, p3 V100 16384 MiB with
//   249856 MiB on p3.8xlarge, inf2 Inferentia2 32768 MiB with 2 NeuronCore-v2, trn1 Trainium
//   32768 MiB) and in public test fixtures (g5 A10G 24576 MiB, g6 L4 22888 MiB, p5 H100 81920 MiB).
//   inf1 reports its Inferentia chips in InferenceAcceleratorInfo (Count 1/1/4/16, Manufacturer
//   AWS, 8 GiB each); we also give it NeuronInfo (4 NeuronCore-v1 per chip), as the 2024 API does
//   for every Neuron type as far as we know — ESTIMATED where marked below.
// - Previous generation: p2, g3, g3s, p3 and p3dn left AWS's current-generation list in 2025
//   (nrollr/instancetyp.es issue #38 / PR #39, after aws.amazon.com/ec2/instance-types); we set
//   CurrentGeneration false for them, assuming the API flag follows the page.
// - Spot support: High Memory (u-*) instances are offered On-Demand, Savings Plans and
//   Reserved only, never as Spot (AWS High Memory instances FAQ); every other type here lists
//   'spot' in SupportedUsageClasses.
//
// ESTIMATED (no per-type public source at hand; replace with Price List figures when available):
// - `reserved`: the 1-year standard No Upfront effective hourly rate, as on-demand times a
//   per-family ratio (FAMILIES below, 0.61–0.70). AWS's published 1-year standard No Upfront
//   discounts are 30–40% off on-demand; two anchors: t3.micro 0.0104 → 0.0065 (0.625) and
//   m6a.xlarge 0.1728 → 0.11431 (0.662).
// - `spot`: a typical Linux/UNIX Spot price as on-demand times a per-family ratio; the lab's world
//   spreads it over Availability Zones and time (world.ts), so only its order of magnitude matters.
// - Which zones offer a type, the AZ IDs, and everything in Pricing beyond the Linux/shared
//   on-demand price (see world.ts).

import type { InstanceTypeInfo } from '@aws-sdk/client-ec2';

/** When the on-demand prices were published (the Karpenter snapshot above). */
export const PRICES_AS_OF = '2026-02-09';
export const REGION = 'us-east-1';
export const REGION_NAME = 'US East (N. Virginia)';

export type AcceleratorKind = 'gpu' | 'neuron';

export interface Accelerator {
  kind: AcceleratorKind;
  name: string;
  manufacturer: string;
  count: number;
  memoryMiB: number;
}

/** One instance type: what DescribeInstanceTypes says, what it costs. */
export interface CatalogueEntry {
  instanceType: string;
  family: string;
  vcpus: number;
  memoryMiB: number;
  currentGeneration: boolean;
  spotSupported: boolean;
  accelerator?: Accelerator;
  /** USD per hour, Linux, shared tenancy, us-east-1 (sourced). */
  onDemandHourly: number;
  /** USD per hour, 1-year standard No Upfront (ESTIMATED). */
  reservedHourly: number;
  /** USD per hour, typical Linux/UNIX Spot (ESTIMATED). */
  spotHourly: number;
  info: InstanceTypeInfo;
}

interface Family {
  /** Pricing's `instanceFamily` attribute. */
  pricingFamily: 'General purpose' | 'Compute optimized' | 'Memory optimized' | 'GPU instance' | 'Machine Learning ASIC Instances';
  processor: 'Intel' | 'AMD';
  physicalProcessor: string;
  clockGHz: number;
  hypervisor: 'nitro' | 'xen';
  burstable?: boolean;
  reservedRatio: number;
  spotRatio: number;
}

const FAMILIES: Record<string, Family> = {
  t3: { pricingFamily: 'General purpose', processor: 'Intel', physicalProcessor: 'Intel Skylake E5 2686 v5', clockGHz: 2.5, hypervisor: 'nitro', burstable: true, reservedRatio: 0.625, spotRatio: 0.34 },
  m5: { pricingFamily: 'General purpose', processor: 'Intel', physicalProcessor: 'Intel Xeon Platinum 8175', clockGHz: 3.1, hypervisor: 'nitro', reservedRatio: 0.625, spotRatio: 0.4 },
  m6i: { pricingFamily: 'General purpose', processor: 'Intel', physicalProcessor: 'Intel Xeon 8375C (Ice Lake)', clockGHz: 3.5, hypervisor: 'nitro', reservedRatio: 0.63, spotRatio: 0.42 },
  c5: { pricingFamily: 'Compute optimized', processor: 'Intel', physicalProcessor: 'Intel Xeon Platinum 8124M', clockGHz: 3.4, hypervisor: 'nitro', reservedRatio: 0.63, spotRatio: 0.4 },
  c6i: { pricingFamily: 'Compute optimized', processor: 'Intel', physicalProcessor: 'Intel Xeon 8375C (Ice Lake)', clockGHz: 3.5, hypervisor: 'nitro', reservedRatio: 0.63, spotRatio: 0.41 },
  r5: { pricingFamily: 'Memory optimized', processor: 'Intel', physicalProcessor: 'Intel Xeon Platinum 8175', clockGHz: 3.1, hypervisor: 'nitro', reservedRatio: 0.62, spotRatio: 0.32 },
  r6i: { pricingFamily: 'Memory optimized', processor: 'Intel', physicalProcessor: 'Intel Xeon 8375C (Ice Lake)', clockGHz: 3.5, hypervisor: 'nitro', reservedRatio: 0.63, spotRatio: 0.35 },
  x1e: { pricingFamily: 'Memory optimized', processor: 'Intel', physicalProcessor: 'High Frequency Intel Xeon E7-8880 v3 (Haswell)', clockGHz: 2.3, hypervisor: 'xen', reservedRatio: 0.61, spotRatio: 0.3 },
  'u-3tb1': { pricingFamily: 'Memory optimized', processor: 'Intel', physicalProcessor: 'Intel Xeon Platinum 8176M', clockGHz: 2.1, hypervisor: 'nitro', reservedRatio: 0.7, spotRatio: 0 },
  'u-6tb1': { pricingFamily: 'Memory optimized', processor: 'Intel', physicalProcessor: 'Intel Xeon Platinum 8176M', clockGHz: 2.1, hypervisor: 'nitro', reservedRatio: 0.7, spotRatio: 0 },
  p2: { pricingFamily: 'GPU instance', processor: 'Intel', physicalProcessor: 'Intel Xeon E5-2686 v4 (Broadwell)', clockGHz: 2.7, hypervisor: 'xen', reservedRatio: 0.67, spotRatio: 0.3 },
  g3: { pricingFamily: 'GPU instance', processor: 'Intel', physicalProcessor: 'Intel Xeon E5-2686 v4 (Broadwell)', clockGHz: 2.7, hypervisor: 'xen', reservedRatio: 0.66, spotRatio: 0.3 },
  g3s: { pricingFamily: 'GPU instance', processor: 'Intel', physicalProcessor: 'Intel Xeon E5-2686 v4 (Broadwell)', clockGHz: 2.7, hypervisor: 'xen', reservedRatio: 0.66, spotRatio: 0.3 },
  p3: { pricingFamily: 'GPU instance', processor: 'Intel', physicalProcessor: 'Intel Xeon E5-2686 v4 (Broadwell)', clockGHz: 2.7, hypervisor: 'xen', reservedRatio: 0.64, spotRatio: 0.31 },
  p3dn: { pricingFamily: 'GPU instance', processor: 'Intel', physicalProcessor: 'Intel Xeon Platinum 8175', clockGHz: 2.5, hypervisor: 'nitro', reservedRatio: 0.64, spotRatio: 0.33 },
  p4d: { pricingFamily: 'GPU instance', processor: 'Intel', physicalProcessor: 'Intel Xeon Platinum 8275CL', clockGHz: 3.0, hypervisor: 'nitro', reservedRatio: 0.62, spotRatio: 0.45 },
  p5: { pricingFamily: 'GPU instance', processor: 'AMD', physicalProcessor: 'AMD EPYC 7R13 Processor', clockGHz: 3.6, hypervisor: 'nitro', reservedRatio: 0.65, spotRatio: 0.55 },
  g4dn: { pricingFamily: 'GPU instance', processor: 'Intel', physicalProcessor: 'Intel Xeon Platinum 8259CL', clockGHz: 2.5, hypervisor: 'nitro', reservedRatio: 0.63, spotRatio: 0.38 },
  g5: { pricingFamily: 'GPU instance', processor: 'AMD', physicalProcessor: 'AMD EPYC 7R32', clockGHz: 3.3, hypervisor: 'nitro', reservedRatio: 0.63, spotRatio: 0.42 },
  g6: { pricingFamily: 'GPU instance', processor: 'AMD', physicalProcessor: 'AMD EPYC 7R13 Processor', clockGHz: 3.4, hypervisor: 'nitro', reservedRatio: 0.62, spotRatio: 0.45 },
  inf1: { pricingFamily: 'Machine Learning ASIC Instances', processor: 'Intel', physicalProcessor: 'Intel Xeon Platinum 8275CL (Cascade Lake)', clockGHz: 2.5, hypervisor: 'nitro', reservedRatio: 0.66, spotRatio: 0.32 },
  inf2: { pricingFamily: 'Machine Learning ASIC Instances', processor: 'AMD', physicalProcessor: 'AMD EPYC 7R13 Processor', clockGHz: 3.6, hypervisor: 'nitro', reservedRatio: 0.62, spotRatio: 0.28 },
  trn1: { pricingFamily: 'Machine Learning ASIC Instances', processor: 'Intel', physicalProcessor: 'Intel Xeon Platinum 8375C (Ice Lake)', clockGHz: 3.5, hypervisor: 'nitro', reservedRatio: 0.62, spotRatio: 0.3 },
};

type Gpu = [name: string, manufacturer: string, count: number, memoryMiB: number];
type Neuron = [name: string, count: number, memoryMiB: number];

interface Row {
  type: string;
  vcpus: number;
  /** GiB as AWS publishes it (30.5, 61, 3904…). */
  memGiB: number;
  /** On-demand USD/hour (sourced, see the header). */
  od: number;
  previousGeneration?: true;
  noSpot?: true;
  gpu?: Gpu;
  neuron?: Neuron;
}

const K80: Gpu = ['K80', 'NVIDIA', 1, 12288];
const M60: Gpu = ['M60', 'NVIDIA', 1, 8192];
const V100: Gpu = ['V100', 'NVIDIA', 1, 16384];
const T4: Gpu = ['T4', 'NVIDIA', 1, 16384];
const A10G: Gpu = ['A10G', 'NVIDIA', 1, 24576];
const L4: Gpu = ['L4', 'NVIDIA', 1, 22888];
const times = (gpu: Gpu, count: number): Gpu => [gpu[0], gpu[1], count, gpu[3]];

const ROWS: Row[] = [
  // General purpose and compute/memory optimised CPUs: notebooks, preprocessing, CPU inference.
  { type: 't3.medium', vcpus: 2, memGiB: 4, od: 0.0416 },
  { type: 't3.large', vcpus: 2, memGiB: 8, od: 0.0832 },
  { type: 't3.xlarge', vcpus: 4, memGiB: 16, od: 0.1664 },
  { type: 't3.2xlarge', vcpus: 8, memGiB: 32, od: 0.3328 },
  { type: 'm5.large', vcpus: 2, memGiB: 8, od: 0.096 },
  { type: 'm5.xlarge', vcpus: 4, memGiB: 16, od: 0.192 },
  { type: 'm5.2xlarge', vcpus: 8, memGiB: 32, od: 0.384 },
  { type: 'm5.4xlarge', vcpus: 16, memGiB: 64, od: 0.768 },
  { type: 'm5.8xlarge', vcpus: 32, memGiB: 128, od: 1.536 },
  { type: 'm5.12xlarge', vcpus: 48, memGiB: 192, od: 2.304 },
  { type: 'm5.16xlarge', vcpus: 64, memGiB: 256, od: 3.072 },
  { type: 'm5.24xlarge', vcpus: 96, memGiB: 384, od: 4.608 },
  { type: 'm6i.large', vcpus: 2, memGiB: 8, od: 0.096 },
  { type: 'm6i.xlarge', vcpus: 4, memGiB: 16, od: 0.192 },
  { type: 'm6i.2xlarge', vcpus: 8, memGiB: 32, od: 0.384 },
  { type: 'm6i.4xlarge', vcpus: 16, memGiB: 64, od: 0.768 },
  { type: 'm6i.8xlarge', vcpus: 32, memGiB: 128, od: 1.536 },
  { type: 'm6i.12xlarge', vcpus: 48, memGiB: 192, od: 2.304 },
  { type: 'm6i.16xlarge', vcpus: 64, memGiB: 256, od: 3.072 },
  { type: 'm6i.24xlarge', vcpus: 96, memGiB: 384, od: 4.608 },
  { type: 'm6i.32xlarge', vcpus: 128, memGiB: 512, od: 6.144 },
  { type: 'c5.large', vcpus: 2, memGiB: 4, od: 0.085 },
  { type: 'c5.xlarge', vcpus: 4, memGiB: 8, od: 0.17 },
  { type: 'c5.2xlarge', vcpus: 8, memGiB: 16, od: 0.34 },
  { type: 'c5.4xlarge', vcpus: 16, memGiB: 32, od: 0.68 },
  { type: 'c5.9xlarge', vcpus: 36, memGiB: 72, od: 1.53 },
  { type: 'c5.12xlarge', vcpus: 48, memGiB: 96, od: 2.04 },
  { type: 'c5.18xlarge', vcpus: 72, memGiB: 144, od: 3.06 },
  { type: 'c5.24xlarge', vcpus: 96, memGiB: 192, od: 4.08 },
  { type: 'c6i.large', vcpus: 2, memGiB: 4, od: 0.085 },
  { type: 'c6i.xlarge', vcpus: 4, memGiB: 8, od: 0.17 },
  { type: 'c6i.2xlarge', vcpus: 8, memGiB: 16, od: 0.34 },
  { type: 'c6i.4xlarge', vcpus: 16, memGiB: 32, od: 0.68 },
  { type: 'c6i.8xlarge', vcpus: 32, memGiB: 64, od: 1.36 },
  { type: 'c6i.12xlarge', vcpus: 48, memGiB: 96, od: 2.04 },
  { type: 'c6i.16xlarge', vcpus: 64, memGiB: 128, od: 2.72 },
  { type: 'c6i.24xlarge', vcpus: 96, memGiB: 192, od: 4.08 },
  { type: 'c6i.32xlarge', vcpus: 128, memGiB: 256, od: 5.44 },
  { type: 'r5.large', vcpus: 2, memGiB: 16, od: 0.126 },
  { type: 'r5.xlarge', vcpus: 4, memGiB: 32, od: 0.252 },
  { type: 'r5.2xlarge', vcpus: 8, memGiB: 64, od: 0.504 },
  { type: 'r5.4xlarge', vcpus: 16, memGiB: 128, od: 1.008 },
  { type: 'r5.8xlarge', vcpus: 32, memGiB: 256, od: 2.016 },
  { type: 'r5.12xlarge', vcpus: 48, memGiB: 384, od: 3.024 },
  { type: 'r5.16xlarge', vcpus: 64, memGiB: 512, od: 4.032 },
  { type: 'r5.24xlarge', vcpus: 96, memGiB: 768, od: 6.048 },
  { type: 'r6i.large', vcpus: 2, memGiB: 16, od: 0.126 },
  { type: 'r6i.xlarge', vcpus: 4, memGiB: 32, od: 0.252 },
  { type: 'r6i.2xlarge', vcpus: 8, memGiB: 64, od: 0.504 },
  { type: 'r6i.4xlarge', vcpus: 16, memGiB: 128, od: 1.008 },
  { type: 'r6i.8xlarge', vcpus: 32, memGiB: 256, od: 2.016 },
  { type: 'r6i.12xlarge', vcpus: 48, memGiB: 384, od: 3.024 },
  { type: 'r6i.16xlarge', vcpus: 64, memGiB: 512, od: 4.032 },
  { type: 'r6i.24xlarge', vcpus: 96, memGiB: 768, od: 6.048 },
  { type: 'r6i.32xlarge', vcpus: 128, memGiB: 1024, od: 8.064 },
  { type: 'x1e.xlarge', vcpus: 4, memGiB: 122, od: 0.834 },
  { type: 'x1e.2xlarge', vcpus: 8, memGiB: 244, od: 1.668 },
  { type: 'x1e.4xlarge', vcpus: 16, memGiB: 488, od: 3.336 },
  { type: 'x1e.8xlarge', vcpus: 32, memGiB: 976, od: 6.672 },
  { type: 'x1e.16xlarge', vcpus: 64, memGiB: 1952, od: 13.344 },
  { type: 'x1e.32xlarge', vcpus: 128, memGiB: 3904, od: 26.688 },
  { type: 'u-3tb1.56xlarge', vcpus: 224, memGiB: 3072, od: 27.3, noSpot: true },
  { type: 'u-6tb1.112xlarge', vcpus: 448, memGiB: 6144, od: 54.6, noSpot: true },

  // GPUs, previous generation.
  { type: 'p2.xlarge', vcpus: 4, memGiB: 61, od: 0.9, previousGeneration: true, gpu: K80 },
  { type: 'p2.8xlarge', vcpus: 32, memGiB: 488, od: 7.2, previousGeneration: true, gpu: times(K80, 8) },
  { type: 'p2.16xlarge', vcpus: 64, memGiB: 732, od: 14.4, previousGeneration: true, gpu: times(K80, 16) },
  { type: 'g3s.xlarge', vcpus: 4, memGiB: 30.5, od: 0.75, previousGeneration: true, gpu: M60 },
  { type: 'g3.4xlarge', vcpus: 16, memGiB: 122, od: 1.14, previousGeneration: true, gpu: M60 },
  { type: 'g3.8xlarge', vcpus: 32, memGiB: 244, od: 2.28, previousGeneration: true, gpu: times(M60, 2) },
  { type: 'g3.16xlarge', vcpus: 64, memGiB: 488, od: 4.56, previousGeneration: true, gpu: times(M60, 4) },
  { type: 'p3.2xlarge', vcpus: 8, memGiB: 61, od: 3.06, previousGeneration: true, gpu: V100 },
  { type: 'p3.8xlarge', vcpus: 32, memGiB: 244, od: 12.24, previousGeneration: true, gpu: times(V100, 4) },
  { type: 'p3.16xlarge', vcpus: 64, memGiB: 488, od: 24.48, previousGeneration: true, gpu: times(V100, 8) },
  { type: 'p3dn.24xlarge', vcpus: 96, memGiB: 768, od: 31.212, previousGeneration: true, gpu: ['V100', 'NVIDIA', 8, 32768] },

  // GPUs, current generation.
  { type: 'g4dn.xlarge', vcpus: 4, memGiB: 16, od: 0.526, gpu: T4 },
  { type: 'g4dn.2xlarge', vcpus: 8, memGiB: 32, od: 0.752, gpu: T4 },
  { type: 'g4dn.4xlarge', vcpus: 16, memGiB: 64, od: 1.204, gpu: T4 },
  { type: 'g4dn.8xlarge', vcpus: 32, memGiB: 128, od: 2.176, gpu: T4 },
  { type: 'g4dn.12xlarge', vcpus: 48, memGiB: 192, od: 3.912, gpu: times(T4, 4) },
  { type: 'g4dn.16xlarge', vcpus: 64, memGiB: 256, od: 4.352, gpu: T4 },
  { type: 'g4dn.metal', vcpus: 96, memGiB: 384, od: 7.824, gpu: times(T4, 8) },
  { type: 'g5.xlarge', vcpus: 4, memGiB: 16, od: 1.006, gpu: A10G },
  { type: 'g5.2xlarge', vcpus: 8, memGiB: 32, od: 1.212, gpu: A10G },
  { type: 'g5.4xlarge', vcpus: 16, memGiB: 64, od: 1.624, gpu: A10G },
  { type: 'g5.8xlarge', vcpus: 32, memGiB: 128, od: 2.448, gpu: A10G },
  { type: 'g5.12xlarge', vcpus: 48, memGiB: 192, od: 5.672, gpu: times(A10G, 4) },
  { type: 'g5.16xlarge', vcpus: 64, memGiB: 256, od: 4.096, gpu: A10G },
  { type: 'g5.24xlarge', vcpus: 96, memGiB: 384, od: 8.144, gpu: times(A10G, 4) },
  { type: 'g5.48xlarge', vcpus: 192, memGiB: 768, od: 16.288, gpu: times(A10G, 8) },
  { type: 'g6.xlarge', vcpus: 4, memGiB: 16, od: 0.8048, gpu: L4 },
  { type: 'g6.2xlarge', vcpus: 8, memGiB: 32, od: 0.9776, gpu: L4 },
  { type: 'g6.4xlarge', vcpus: 16, memGiB: 64, od: 1.3232, gpu: L4 },
  { type: 'g6.8xlarge', vcpus: 32, memGiB: 128, od: 2.0144, gpu: L4 },
  { type: 'g6.12xlarge', vcpus: 48, memGiB: 192, od: 4.6016, gpu: times(L4, 4) },
  { type: 'g6.16xlarge', vcpus: 64, memGiB: 256, od: 3.3968, gpu: L4 },
  { type: 'g6.24xlarge', vcpus: 96, memGiB: 384, od: 6.6752, gpu: times(L4, 4) },
  { type: 'g6.48xlarge', vcpus: 192, memGiB: 768, od: 13.3504, gpu: times(L4, 8) },
  { type: 'p4d.24xlarge', vcpus: 96, memGiB: 1152, od: 21.957642, gpu: ['A100', 'NVIDIA', 8, 40960] },
  { type: 'p5.4xlarge', vcpus: 16, memGiB: 256, od: 6.88, gpu: ['H100', 'NVIDIA', 1, 81920] },
  { type: 'p5.48xlarge', vcpus: 192, memGiB: 2048, od: 55.04, gpu: ['H100', 'NVIDIA', 8, 81920] },

  // AWS Neuron: Inferentia (inf1), Inferentia2 (inf2), Trainium (trn1).
  { type: 'inf1.xlarge', vcpus: 4, memGiB: 8, od: 0.228, neuron: ['Inferentia', 1, 8192] },
  { type: 'inf1.2xlarge', vcpus: 8, memGiB: 16, od: 0.362, neuron: ['Inferentia', 1, 8192] },
  { type: 'inf1.6xlarge', vcpus: 24, memGiB: 48, od: 1.18, neuron: ['Inferentia', 4, 8192] },
  { type: 'inf1.24xlarge', vcpus: 96, memGiB: 192, od: 4.721, neuron: ['Inferentia', 16, 8192] },
  { type: 'inf2.xlarge', vcpus: 4, memGiB: 16, od: 0.7582, neuron: ['Inferentia2', 1, 32768] },
  { type: 'inf2.8xlarge', vcpus: 32, memGiB: 128, od: 1.96786, neuron: ['Inferentia2', 1, 32768] },
  { type: 'inf2.24xlarge', vcpus: 96, memGiB: 384, od: 6.49063, neuron: ['Inferentia2', 6, 32768] },
  { type: 'inf2.48xlarge', vcpus: 192, memGiB: 768, od: 12.98127, neuron: ['Inferentia2', 12, 32768] },
  { type: 'trn1.2xlarge', vcpus: 8, memGiB: 32, od: 1.34375, neuron: ['Trainium', 1, 32768] },
  { type: 'trn1.32xlarge', vcpus: 128, memGiB: 512, od: 21.5, neuron: ['Trainium', 16, 32768] },
];

/** NeuronCores per device and their version, by device name (Neuron documentation). */
const NEURON_CORES: Record<string, { count: number; version: number }> = {
  Inferentia: { count: 4, version: 1 },
  Inferentia2: { count: 2, version: 2 },
  Trainium: { count: 2, version: 2 },
};

/** Prices as the Price List publishes them: at most 4 decimal places for rates it derives. */
function round4(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}

function familyOf(type: string): string {
  return type.slice(0, type.indexOf('.'));
}

function instanceTypeInfo(row: Row, family: Family): InstanceTypeInfo {
  const memoryMiB = Math.round(row.memGiB * 1024);
  const metal = row.type.endsWith('.metal');
  const info: InstanceTypeInfo = {
    InstanceType: row.type as InstanceTypeInfo['InstanceType'],
    CurrentGeneration: !row.previousGeneration,
    FreeTierEligible: false,
    SupportedUsageClasses: row.noSpot ? ['on-demand'] : ['on-demand', 'spot'],
    SupportedRootDeviceTypes: ['ebs'],
    SupportedVirtualizationTypes: ['hvm'],
    BareMetal: metal,
    ...(metal ? {} : { Hypervisor: family.hypervisor }),
    ProcessorInfo: {
      SupportedArchitectures: ['x86_64'],
      SustainedClockSpeedInGhz: family.clockGHz,
      Manufacturer: family.processor,
    },
    VCpuInfo: { DefaultVCpus: row.vcpus, DefaultCores: row.vcpus / 2, DefaultThreadsPerCore: 2 },
    MemoryInfo: { SizeInMiB: memoryMiB },
    BurstablePerformanceSupported: family.burstable ?? false,
  };
  if (row.gpu) {
    const [name, manufacturer, count, memory] = row.gpu;
    info.GpuInfo = {
      Gpus: [{ Name: name, Manufacturer: manufacturer, Count: count, MemoryInfo: { SizeInMiB: memory } }],
      TotalGpuMemoryInMiB: count * memory,
    };
  }
  if (row.neuron) {
    const [name, count, memory] = row.neuron;
    const cores = NEURON_CORES[name]!;
    info.NeuronInfo = {
      NeuronDevices: [{ Count: count, Name: name, CoreInfo: { Count: cores.count, Version: cores.version }, MemoryInfo: { SizeInMiB: memory } }],
      TotalNeuronDeviceMemoryInMiB: count * memory,
    };
    if (name === 'Inferentia') {
      info.InferenceAcceleratorInfo = {
        Accelerators: [{ Count: count, Name: name, Manufacturer: 'AWS', MemoryInfo: { SizeInMiB: memory } }],
        TotalInferenceMemoryInMiB: count * memory,
      };
    }
  }
  return info;
}

function entry(row: Row): CatalogueEntry {
  const familyName = familyOf(row.type);
  const family = FAMILIES[familyName];
  if (!family) throw new Error(`catalogue: no family data for ${row.type}`);
  const accelerator: Accelerator | undefined = row.gpu
    ? { kind: 'gpu', name: row.gpu[0], manufacturer: row.gpu[1], count: row.gpu[2], memoryMiB: row.gpu[3] }
    : row.neuron
      ? { kind: 'neuron', name: row.neuron[0], manufacturer: 'AWS', count: row.neuron[1], memoryMiB: row.neuron[2] }
      : undefined;
  return {
    instanceType: row.type,
    family: familyName,
    vcpus: row.vcpus,
    memoryMiB: Math.round(row.memGiB * 1024),
    currentGeneration: !row.previousGeneration,
    spotSupported: !row.noSpot,
    ...(accelerator ? { accelerator } : {}),
    onDemandHourly: row.od,
    reservedHourly: round4(row.od * family.reservedRatio),
    spotHourly: round4(row.od * family.spotRatio),
    info: instanceTypeInfo(row, family),
  };
}

export const CATALOGUE: readonly CatalogueEntry[] = Object.freeze(ROWS.map(entry));

const BY_TYPE = new Map(CATALOGUE.map((e) => [e.instanceType, e]));

export function catalogueEntry(instanceType: string): CatalogueEntry | undefined {
  return BY_TYPE.get(instanceType);
}

/** Pricing-side descriptors of a family (for the Price List attributes). */
export function pricingFamily(entry: CatalogueEntry): Family {
  return FAMILIES[entry.family]!;
}
