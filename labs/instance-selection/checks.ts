// Public checks of instance-selection. Every check hands chooseInstance real clients of a fake
// region (110 instance types, the Price List, a seeded Spot history) and judges each answer
// with the reference reasoning in reference.ts: fits, allowed, cheapest to the cent.

import { defineLab } from 'whetstone/checks';
import type { ContextOf } from 'whetstone/checks';
import type * as Select from './starter/select.ts';
import { expectChoices } from './grading.ts';
import { WORKLOADS as W } from './workloads.ts';
import { createWorld } from './world.ts';

/** Every check: the region's fakes, clients of them, and the learner's select.ts. */
export const lab = defineLab({
  aws: createWorld,
  open: ({ aws, submission }) => ({ ec2: aws.ec2.client(), pricing: aws.pricing.client(), select: submission.load<typeof Select>('select.ts') }),
});

export type Context = ContextOf<typeof lab>;

export default lab.checks(({ step, check }) => {
  step(1, () => {
    check('cpu-fit', 'The cheapest on-demand type with enough vCPUs and memory', (ctx) =>
      expectChoices(ctx, [W.featureNotebook, W.etlBatch, W.featureStoreSync]),
    );
    check('follows-next-token', 'Reads every page of DescribeInstanceTypes', (ctx) =>
      expectChoices(ctx, [W.tabularScoring], { answerOnLastPage: true }),
    );
    check('on-demand-to-the-cent', 'Prices from the right Price List product, to the cent', (ctx) =>
      expectChoices(ctx, [W.tabularScoring, { ...W.featureNotebook, name: 'feature-notebook-2', hoursPerMonth: 161 }, { ...W.etlBatch, name: 'etl-backfill', hoursPerMonth: 177 }]),
    );
    check('no-fit-throws', 'Throws an Error naming a workload nothing can run', (ctx) => expectChoices(ctx, [W.inMemoryGraph]));
  });

  step(2, () => {
    check('gpu-memory-per-device', 'Each GPU needs the memory, not the instance in total', (ctx) => expectChoices(ctx, [W.bertFinetune]));
    check('gpu-count', 'Enough GPUs on one instance', (ctx) => expectChoices(ctx, [W.ddpResnet, W.whisperTranscribe]));
    check('current-generation-only', 'Previous-generation types are out', (ctx) => expectChoices(ctx, [W.legacyCuda]));
    check('neuron-when-allowed', 'Inferentia and Trainium stand in for GPUs when the model is compiled for Neuron', (ctx) =>
      expectChoices(ctx, [W.llmServingNeuron, W.nightlyEmbeddings]),
    );
    check('neuron-only-when-allowed', 'Neuron devices do not count for a CUDA-only model', (ctx) => expectChoices(ctx, [W.llmServingCuda]));
    check('accelerator-shortage', 'Throws when no single instance has enough accelerators', (ctx) => expectChoices(ctx, [W.giantCluster]));
  });

  step(3, () => {
    check('reserved-when-committed', 'A steady, committed workload takes the 1-year reservation', (ctx) => expectChoices(ctx, [W.fraudScoring]));
    check('reserved-costs-every-hour', 'A reservation costs 730 hours a month, used or not', (ctx) => expectChoices(ctx, [W.weeklyRetrain]));
    check('reserved-only-when-committed', 'No reservation without a commitment', (ctx) => expectChoices(ctx, [W.featureStoreSync, W.llmServingNeuron]));
  });

  step(4, () => {
    check('spot-when-interruptible', 'An interruptible workload runs on Spot when it is cheapest', (ctx) =>
      expectChoices(ctx, [W.bertFinetuneSpot, W.hyperparameterSweep]),
    );
    check('spot-current-price', "Spot's price is the newest record of each zone, cheapest zone", (ctx) =>
      expectChoices(ctx, [W.bertFinetuneSpot, W.hyperparameterSweep], { spotTraps: true }),
    );
    check('spot-only-where-sold', 'A type with no Spot offer is bought on demand', (ctx) => expectChoices(ctx, [W.genomeAssembly]));
    check('spot-or-reserved', 'Compares Spot, reserved and on-demand for a workload that allows all three', (ctx) =>
      expectChoices(ctx, [W.steadyInference], { spotTraps: true }),
    );
  });
});
