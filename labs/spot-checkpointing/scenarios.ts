// The simulated jobs the checks run. Public ones are fixed (the steps describe them); the
// varied ones come from the seed, so hidden checks see epoch lengths and reclaim moments the
// learner never tuned for.

import { between, pick } from 'whetstone/checks';
import { seededRandom } from 'whetstone/aws/env';
import type { Interruption, SpotScenario } from './spot-simulator.ts';
import { SPOT_RULES } from './spot-simulator.ts';

export const BUCKET = 'acme-ml-training';

function scenario(name: string, jobName: string, seed: number, totalEpochs: number, epochSeconds: number, interruptions: Interruption[]): SpotScenario {
  return { name, totalEpochs, epochSeconds, interruptions, bucket: BUCKET, checkpointPrefix: `checkpoints/${jobName}/`, seed };
}

/** One instance, never reclaimed: the plain training loop. */
export const STEADY = scenario('steady', 'resnet-42', 42, 12, 40, []);

/** 40-second epochs, reclaimed twice: a loop that checks the notice between epochs has time to save. */
export const SHORT_EPOCHS = scenario('short-epochs', 'resnet-43', 43, 12, 40, [
  { epochCall: 5, fraction: 0.3 },
  { epochCall: 2, fraction: 0.5 },
]);

/** 4-minute epochs, reclaimed twice mid-epoch: the notice comes and goes inside one epoch. */
export const LONG_EPOCHS = scenario('long-epochs', 'bert-7', 7, 10, 240, [
  { epochCall: 4, fraction: 0.25 },
  { epochCall: 2, fraction: 0.4 },
]);

export function describeScenario(s: SpotScenario): string {
  const reclaims = s.interruptions.length;
  const epoch = s.epochSeconds % 60 === 0 ? `${s.epochSeconds / 60}-minute` : `${s.epochSeconds}-second`;
  const times = reclaims === 0 ? 'never reclaimed' : reclaims === 1 ? 'reclaimed once' : reclaims === 2 ? 'reclaimed twice' : `reclaimed ${reclaims} times`;
  return `${s.totalEpochs} ${epoch} epochs, ${times}`;
}

/**
 * Three jobs from the seed: short epochs (the notice can be caught between epochs), long ones
 * (it cannot), and one with short epochs reclaimed three times, once during the first epoch
 * after a restart.
 */
export function variedScenarios(seed: number): SpotScenario[] {
  const random = seededRandom(seed ^ 0x5107);
  const fraction = (lo: number, hi: number) => Math.round((lo + random() * (hi - lo)) * 100) / 100;

  const shortEpoch = pick(random, [25, 30, 45, 60, 75, 90]);
  const short = scenario('varied-short', `yolo-${between(random, 10, 99)}`, seed + 1, between(random, 14, 18), shortEpoch, [
    { epochCall: between(random, 3, 6), fraction: fraction(0.05, 0.95) },
    { epochCall: between(random, 2, 5), fraction: fraction(0.05, 0.95) },
    { epochCall: between(random, 2, 5), fraction: fraction(0.05, 0.95) },
  ]);

  const longEpoch = pick(random, [150, 180, 240, 300]);
  // Keep the whole notice window inside the epoch, so code that waits for the end of the epoch never sees it.
  const latest = (longEpoch - SPOT_RULES.noticeSeconds - 10) / longEpoch;
  const long = scenario('varied-long', `llama-ft-${between(random, 1, 9)}`, seed + 2, between(random, 8, 11), longEpoch, [
    { epochCall: between(random, 2, 4), fraction: fraction(0.02, latest) },
    { epochCall: between(random, 2, 3), fraction: fraction(0.02, latest) },
  ]);

  const mixedEpoch = pick(random, [35, 50, 55, 65]);
  const mixed = scenario('varied-restarts', `wav2vec-${between(random, 100, 999)}`, seed + 3, between(random, 12, 15), mixedEpoch, [
    { epochCall: between(random, 3, 5), fraction: fraction(0.05, 0.5) },
    { epochCall: 1, fraction: fraction(0.05, 0.9) },
    { epochCall: between(random, 2, 4), fraction: fraction(0.05, 0.5) },
  ]);
  return [short, long, mixed];
}
