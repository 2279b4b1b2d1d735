// The instance-selection lab proves itself: `whetstone check` passes (the solution gets full marks
// in four time zones, the starter none, every anti-solution fails exactly the checks its patch
// lists, every alternative gets full marks), and every failure message says what was expected and
// what the code did. The catalogue and the reference reasoning are checked on their own.

import { describe, expect, it } from 'vitest';
import { readLab } from '../../catalog/labs.ts';
import { solutionFiles } from '../../catalog/variants.ts';
import { createAwsEnv } from '../../grader/aws/env.ts';
import { CATALOGUE, catalogueEntry } from '../../labs/instance-selection/catalogue.ts';
import { cost, formatUsd, judge, market, misfits, offers } from '../../labs/instance-selection/reference.ts';
import type { Workload } from '../../labs/instance-selection/reference.ts';
import { WORKLOADS } from '../../labs/instance-selection/workloads.ts';
import { createWorld, fullPriceList, spotZones } from '../../labs/instance-selection/world.ts';
import { describeChecks, gradeFiles, labVariants } from '../support/grade.ts';
import { gradingOf, labCheck } from '../support/lab-check.ts';

const LAB = 'instance-selection';
const alternatives = labVariants(LAB, 'alternatives');
const wrong = labVariants(LAB, 'wrong');

describe('instance-selection grading', () => {
  const check = labCheck(LAB);

  it('does not pass the starter', () => {
    const report = gradingOf(check(), 'starter');
    expect(report.status).toBe('fail');
    expect(report.score).toBe(0);
    expect(report.checks.find((c) => c.id === 'cpu-fit')!.message).toMatch(/Not implemented yet/);
  });

  it('has alternatives in other styles, and the anti-solutions the lab promises', () => {
    expect(alternatives.map((a) => a.name)).toEqual(['effective-price', 'paginators']);
    expect(wrong.map((w) => w.name)).toEqual(
      expect.arrayContaining([
        'ignores-next-token',
        'first-spot-record',
        'reserved-by-hours',
        'ignores-gpu-memory',
        'ignores-neuron',
        'ignores-current-generation',
        'spot-always',
        'truncates-cents',
      ]),
    );
  });

  it("fails every anti-solution with a message that names the workload and what the code did", () => {
    for (const variant of wrong) {
      for (const c of gradingOf(check(), `wrong/${variant.name}`).checks.filter((r) => r.status !== 'pass')) {
        expect(c.status, `${variant.name} ${c.id}: ${c.message}`).toBe('fail');
        expect(c.message, `${variant.name} ${c.id}`).toMatch(/^For workload '[a-z0-9-]+'/);
        expect(c.message, `${variant.name} ${c.id}`).toMatch(/your code (chose|threw|returned)/);
      }
    }
  });

  // The hidden fleets vary with the seed. Which hidden checks an anti-solution fails varies with
  // them (its patch lists seed 1's), but a correct solution passes whatever the seed.
  it('gives the reference solution full marks with seed 7, and the alternatives with seed 3', async () => {
    const solution = await gradeFiles(LAB, solutionFiles(readLab(LAB)), { seed: 7 });
    expect(describeChecks(solution, (c) => c.status !== 'pass')).toEqual([]);
    for (const alternative of alternatives) {
      const report = await gradeFiles(LAB, alternative.files, { seed: 3 });
      expect(describeChecks(report, (c) => c.status !== 'pass'), alternative.name).toEqual([]);
    }
  });
});

describe('instance-selection messages', () => {
  const world = () => createWorld(createAwsEnv({ seed: 1 }));
  const m = () => market(world().ec2.spotPriceHistory());

  it("says which spec rules a choice out, in the learner's terms", () => {
    const verdict = judge(WORKLOADS.bertFinetune, { instanceType: 'p3.2xlarge', purchaseOption: 'on-demand', monthlyCostUsd: 612 }, m());
    expect(verdict.ok).toBe(false);
    expect(verdict.message).toBe(
      "For workload 'bert-finetune' (1 GPU with ≥ 24 GiB each, ≥ 4 vCPUs, ≥ 16 GiB, 200 h/month) the cheapest choice is g5.xlarge on-demand at $201.20/month; " +
        "your code chose p3.2xlarge on-demand ($612/month): p3.2xlarge is a previous-generation type (CurrentGeneration is false); " +
        "p3.2xlarge's V100 has only 16 GiB per GPU, the workload needs 24 GiB on each.",
    );
  });

  it('explains a purchase option the workload does not allow, and a cost that is off', () => {
    const spot = judge(WORKLOADS.bertFinetune, { instanceType: 'g5.xlarge', purchaseOption: 'spot', monthlyCostUsd: 80 }, m());
    expect(spot.message).toMatch(/but Spot capacity can be reclaimed .* \(interruptible is false\)\.$/);
    const reserved = judge(WORKLOADS.fraudScoring, { instanceType: 'c5.4xlarge', purchaseOption: 'reserved', monthlyCostUsd: 312.72 }, m());
    expect(reserved.message).toMatch(/right pair, c5\.4xlarge reserved for a year, but monthlyCostUsd is 312\.72: that is not what it costs\. It costs \$0\.4284\/h × 730 h = \$312\.73/);
    const ok = judge(WORKLOADS.fraudScoring, { instanceType: 'c6i.4xlarge', purchaseOption: 'reserved', monthlyCostUsd: 312.73 }, m());
    expect(ok.ok).toBe(true); // a tie to the cent: either type is right
  });

  it('rounds money half up to the cent, exactly', () => {
    expect(cost('0.0832', 161).cents).toBe(1340n);
    expect(cost('0.0832', 160).cents).toBe(1331n);
    expect(cost(1.005, 1)).toMatchObject({ cents: 101n, halfCent: true });
    expect(cost('21.957642', 730).cents).toBe(1602908n);
    expect(formatUsd(1602908n)).toBe('$16,029.08');
  });
});

describe('instance-selection catalogue', () => {
  it('holds at least 40 ML-relevant types across CPU, GPU and Neuron families, with published specs', () => {
    expect(CATALOGUE.length).toBeGreaterThanOrEqual(100);
    const families = new Set(CATALOGUE.map((e) => e.family));
    for (const family of ['m5', 'm6i', 'c5', 'c6i', 'r5', 'x1e', 'p3', 'p4d', 'p5', 'g4dn', 'g5', 'g6', 'inf1', 'inf2', 'trn1']) {
      expect(families, family).toContain(family);
    }
    expect(CATALOGUE.filter((e) => e.accelerator).length).toBeGreaterThanOrEqual(40);
    expect(catalogueEntry('g5.xlarge')!.info.GpuInfo).toEqual({
      Gpus: [{ Name: 'A10G', Manufacturer: 'NVIDIA', Count: 1, MemoryInfo: { SizeInMiB: 24576 } }],
      TotalGpuMemoryInMiB: 24576,
    });
    expect(catalogueEntry('p3.8xlarge')!.info.MemoryInfo!.SizeInMiB).toBe(249856);
    expect(catalogueEntry('trn1.32xlarge')!.info.NeuronInfo!.NeuronDevices![0]).toMatchObject({ Name: 'Trainium', Count: 16 });
  });

  it('has previous-generation types and a type never sold as Spot', () => {
    expect(CATALOGUE.filter((e) => !e.info.CurrentGeneration).map((e) => e.family)).toEqual(expect.arrayContaining(['p2', 'g3']));
    const noSpot = CATALOGUE.filter((e) => !e.info.SupportedUsageClasses!.includes('spot'));
    expect(noSpot.length).toBeGreaterThan(0);
    for (const entry of noSpot) expect(spotZones(entry)).toEqual([]);
  });

  it('prices each type once as Linux, shared, no pre-installed software, Used, us-east-1, among many other products', () => {
    const list = fullPriceList();
    expect(list.length).toBe(CATALOGUE.length * 12);
    for (const entry of CATALOGUE) {
      const mine = list.filter((p) => {
        const a = p.product.attributes;
        return a.instanceType === entry.instanceType && a.regionCode === 'us-east-1' && a.operatingSystem === 'Linux' && a.tenancy === 'Shared' && a.preInstalledSw === 'NA' && a.capacitystatus === 'Used';
      });
      expect(mine, entry.instanceType).toHaveLength(1);
      const onDemand = Object.values(mine[0]!.terms.OnDemand!)[0]!;
      expect(Number(Object.values(onDemand.priceDimensions)[0]!.pricePerUnit.USD)).toBe(entry.onDemandHourly);
    }
  });

  it('makes every public workload a lesson: the rule it teaches decides it', () => {
    const world = createWorld(createAwsEnv({ seed: 1 }));
    const m = market(world.ec2.spotPriceHistory());
    const best = (w: Workload) => offers(w, m)[0];
    expect(best(WORKLOADS.bertFinetune)!.entry.instanceType).toBe('g5.xlarge');
    expect(misfits(catalogueEntry('g6.xlarge')!, WORKLOADS.bertFinetune)).toEqual([
      "g6.xlarge's L4 has only 22.35 GiB per GPU, the workload needs 24 GiB on each",
    ]);
    expect(best(WORKLOADS.llmServingNeuron)!.entry.family).toBe('inf2');
    expect(best(WORKLOADS.llmServingCuda)!.entry.family).toBe('g5');
    expect(best(WORKLOADS.legacyCuda)!.entry.instanceType).toBe('g4dn.4xlarge');
    expect(best(WORKLOADS.weeklyRetrain)!.option).toBe('on-demand');
    expect(best(WORKLOADS.fraudScoring)!.option).toBe('reserved');
    expect(best(WORKLOADS.bertFinetuneSpot)!.option).toBe('spot');
    expect(best(WORKLOADS.genomeAssembly)).toMatchObject({ option: 'on-demand', entry: { instanceType: 'u-6tb1.112xlarge' } });
    expect(best(WORKLOADS.giantCluster)).toBeUndefined();
    expect(best(WORKLOADS.inMemoryGraph)).toBeUndefined();
  });
});
