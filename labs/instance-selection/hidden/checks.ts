// Hidden checks of instance-selection (CLI only): workloads the learner never sees, drawn from
// the run's seed, so passing means the reasoning is right, not that the examples match.

import { between, pick } from 'whetstone/checks';
import type { Random } from 'whetstone/checks';
import { seededRandom } from 'whetstone/aws/env';
import { lab } from '../checks.ts';
import { expectChoices } from '../grading.ts';
import { market, offers } from '../reference.ts';
import type { Task, Workload } from '../reference.ts';
import { CATALOGUE } from '../catalogue.ts';

/** Only workloads something can run: the shortage cases are public. */
function feasible(workload: Workload): boolean {
  return offers(workload, market([])).length > 0;
}

function draw(random: Random, make: (random: Random, i: number) => Workload, count: number): Workload[] {
  const out: Workload[] = [];
  for (let i = 0; out.length < count && i < 200; i++) {
    const workload = make(random, out.length);
    if (feasible(workload)) out.push(workload);
  }
  return out;
}

const cpuTasks: readonly Task[] = ['exploration', 'preprocessing', 'batch-inference', 'realtime-inference'];

function cpuWorkload(random: Random, i: number): Workload {
  const vcpus = pick(random, [2, 4, 8, 12, 16, 24, 32, 40, 48, 64, 96]);
  return {
    name: `hidden-cpu-${i + 1}`,
    task: pick(random, cpuTasks),
    minVcpus: vcpus,
    minMemoryGiB: Math.max(2, Math.round(vcpus * pick(random, [1.5, 2, 3, 4, 6, 8, 12]))),
    gpus: 0,
    minGpuMemoryGiB: 0,
    neuronOk: false,
    hoursPerMonth: between(random, 1, 730),
    interruptible: false,
    committedYear: false,
  };
}

function acceleratedWorkload(random: Random, i: number): Workload {
  const gpus = pick(random, [1, 1, 1, 1, 2, 4, 4, 8]);
  return {
    name: `hidden-accelerated-${i + 1}`,
    task: pick(random, ['training', 'batch-inference', 'realtime-inference'] as const),
    minVcpus: pick(random, [4, 8, 16, 32]),
    minMemoryGiB: pick(random, [8, 16, 32, 64, 128]),
    gpus,
    minGpuMemoryGiB: pick(random, [6, 8, 12, 16, 20, 23, 24, 32, 40, 80]),
    neuronOk: random() < 0.5,
    hoursPerMonth: between(random, 20, 730),
    interruptible: false,
    committedYear: false,
  };
}

function mixedWorkload(random: Random, i: number): Workload {
  const base = random() < 0.4 ? cpuWorkload(random, i) : acceleratedWorkload(random, i);
  return { ...base, name: `hidden-mixed-${i + 1}`, interruptible: random() < 0.6, committedYear: random() < 0.5 };
}

export default lab.checks(({ step, check }) => {
  step(1, () => {
    check('hidden-cpu-fleet', 'Unseen CPU workloads', (ctx) => expectChoices(ctx, draw(seededRandom(ctx.seed), cpuWorkload, 4)));
    check('hidden-last-page', 'Unseen workload whose answer is on the last page', (ctx) =>
      expectChoices(ctx, draw(seededRandom(ctx.seed ^ 0x5f3759df), acceleratedWorkload, 1), { answerOnLastPage: true }),
    );
  });

  step(2, () => {
    check('hidden-accelerator-fleet', 'Unseen GPU and Neuron workloads', (ctx) =>
      expectChoices(ctx, draw(seededRandom(ctx.seed), acceleratedWorkload, 5)),
    );
    check('hidden-neuron-training', 'A 16-accelerator training job that only Trainium can host', (ctx) =>
      expectChoices(ctx, [
        { name: 'llm-pretrain', task: 'training', minVcpus: 96, minMemoryGiB: 384, gpus: 16, minGpuMemoryGiB: 32, neuronOk: true, hoursPerMonth: 300, interruptible: false, committedYear: false },
        { name: 'vision-serving', task: 'realtime-inference', minVcpus: 8, minMemoryGiB: 16, gpus: 1, minGpuMemoryGiB: 8, neuronOk: true, hoursPerMonth: 500, interruptible: false, committedYear: false },
      ]),
    );
  });

  step(3, () => {
    check('hidden-break-even', 'Reserved against on-demand on both sides of the break-even', (ctx) => {
      // A reservation pays off above 730 × (reserved / on-demand) hours a month.
      const random = seededRandom(ctx.seed);
      const entry = pick(random, CATALOGUE.filter((e) => !e.accelerator && e.currentGeneration && e.vcpus >= 8 && e.vcpus <= 32));
      const breakEven = (730 * entry.reservedHourly) / entry.onDemandHourly;
      const shape = { task: 'realtime-inference' as const, minVcpus: entry.vcpus, minMemoryGiB: entry.memoryMiB / 1024, gpus: 0, minGpuMemoryGiB: 0, neuronOk: false, interruptible: false, committedYear: true };
      return expectChoices(ctx, [
        { ...shape, name: 'below-break-even', hoursPerMonth: Math.floor(breakEven) - between(random, 5, 60) },
        { ...shape, name: 'above-break-even', hoursPerMonth: Math.min(730, Math.ceil(breakEven) + between(random, 5, 60)) },
      ]);
    });
    check('hidden-memory-bound', 'A memory-bound, committed job', (ctx) =>
      expectChoices(ctx, [
        { name: 'graph-features', task: 'preprocessing', minVcpus: 4, minMemoryGiB: 110, gpus: 0, minGpuMemoryGiB: 0, neuronOk: false, hoursPerMonth: 730, interruptible: false, committedYear: true },
      ]),
    );
  });

  step(4, () => {
    check('hidden-mixed-fleet', 'Unseen workloads with every purchase option in play', (ctx) =>
      expectChoices(ctx, draw(seededRandom(ctx.seed), mixedWorkload, 6), { spotTraps: true }),
    );
  });
});
