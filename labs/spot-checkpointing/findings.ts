// Turning a simulated Spot run into what the learner needs to hear: each function looks at one
// rule of the steps and returns undefined when it holds, or a message that says what happened,
// when, on which instance, and what to change. Shared by the public and hidden checks.

import { count, describe, duration, ranges } from 'whetstone/checks';
import type { CheckpointRef, InstanceRecord, ModelState, SpotRun, SpotScenario } from './spot-simulator.ts';
import { INSTANCE_ACTION_PATH, SPOT_RULES, keyOrderInversion } from './spot-simulator.ts';

/** The simulated time of day, for messages: '12:04:52'. */
function clock(date: Date | undefined): string {
  return date ? date.toISOString().slice(11, 19) : '?';
}

function ref(c: CheckpointRef | undefined): string {
  return c ? `epoch ${c.epoch} (${c.key})` : 'none';
}

function where(run: SpotRun): string {
  return `In the job "${run.scenario.checkpointPrefix}"`;
}

/** Problems that make a run impossible to judge; checks report these before anything else. */
export function runProblem(run: SpotRun): string | undefined {
  if (run.outcome === 'stalled') {
    const last = run.instances[run.instances.length - 1]!;
    const stale = run.staleCalls.find((c) => c.instance !== last.index);
    if (stale) {
      return `train() on instance ${last.index} stopped making progress: it called ${stale.call} through the env of instance ${stale.instance}, which had been reclaimed. A reclaimed instance is gone, and so is its env: use only the env that train() received, never one kept from an earlier call.`;
    }
    return `train() on instance ${last.index} (started at ${clock(last.startedAt)}) stopped making progress: it is waiting for something that never settles (a promise that never resolves, or a wait on real time). Every wait in this lab goes through env (trainEpoch, metadata, env.s3).`;
  }
  if (run.strayS3Requests > 0) {
    return `Your code sent ${count(run.strayS3Requests, 'S3 request')} through an S3 client it built itself. Use env.s3: it is the instance's own client, so its requests take time on the instance and stop when the instance is reclaimed; a client built elsewhere would outlive the instance, which no real process can.`;
  }
  return undefined;
}

export function finalStateProblem(run: SpotRun): string | undefined {
  const expected = run.expected;
  const final = run.final as Partial<ModelState> | undefined;
  const last = run.instances[run.instances.length - 1]!;
  if (!final || typeof final !== 'object') {
    return `${where(run)}, train() returned ${describe(final)} instead of the final ModelState { epoch, weights }.`;
  }
  if (final.epoch !== expected.epoch) {
    const notice = last.noticeAt ? ', after its interruption notice' : '';
    return `${where(run)}, train() returned a state at epoch ${describe(final.epoch)} on instance ${last.index}${notice}, but the job has ${expected.epoch} epochs. Keep training until state.epoch reaches env.totalEpochs: a reclaim stops the instance, your code never has to.`;
  }
  if (final.weights === expected.weights) return undefined;
  const lineage = run.finalLineage;
  if (!lineage) {
    return `${where(run)}, the final state's weights were not produced by trainEpoch. Return the state trainEpoch gave you, unchanged.`;
  }
  const counts = new Map<number, number>();
  for (const e of lineage) counts.set(e, (counts.get(e) ?? 0) + 1);
  const twice = [...counts.entries()].filter(([, n]) => n > 1).map(([e]) => e);
  const skipped: number[] = [];
  for (let e = 1; e <= expected.epoch; e++) if (!counts.has(e)) skipped.push(e);
  const parts: string[] = [];
  if (twice.length) parts.push(`epoch${twice.length > 1 ? 's' : ''} ${ranges(twice)} applied twice`);
  if (skipped.length) parts.push(`epoch${skipped.length > 1 ? 's' : ''} ${ranges(skipped)} skipped`);
  return `${where(run)}, the final state says epoch ${expected.epoch}, but its weights differ from an uninterrupted run: ${parts.join(' and ') || 'the epochs were applied out of order'}. The state you resume from must be exactly the checkpoint's { epoch, weights }: an epoch number that does not match the weights makes trainEpoch repeat or skip work.`;
}

function interruptionOf(run: SpotRun, instance: InstanceRecord): string {
  const previous = run.instances[instance.index - 2];
  if (!previous?.terminatedAt) return `When instance ${instance.index} started`;
  const during = previous.killedDuringEpoch !== undefined ? `, during epoch ${previous.killedDuringEpoch}` : '';
  return `After the interruption at ${clock(previous.terminatedAt)} (instance ${previous.index}${during})`;
}

export function resumeProblem(run: SpotRun): string | undefined {
  for (const instance of run.instances) {
    const resumed = instance.resumedFrom;
    if (!resumed) continue;
    const newest = instance.newestAtStart;
    const expectedEpoch = newest?.epoch ?? 0;
    const when = interruptionOf(run, instance);
    if (resumed.source === 'memory') {
      return `${when}, your code continued from epoch ${resumed.epoch}, a state it never read from S3 on instance ${instance.index}. A reclaimed instance's memory is gone (here a variable outside train() survived, which a real restart would not allow): read the newest checkpoint back from S3 each time train() starts.`;
    }
    if (resumed.epoch !== resumed.lineage.length) {
      return `${when}, your code resumed with a state labelled epoch ${resumed.epoch} whose weights had been trained through epoch ${resumed.lineage.length}. Save and restore the whole ModelState as it is: the epoch and the weights belong together.`;
    }
    if (resumed.epoch < expectedEpoch) {
      const from = resumed.source === 'initial' ? 'the initial state (epoch 0)' : `epoch ${resumed.epoch}${resumed.key ? ` (${resumed.key})` : ''}`;
      const wasted = expectedEpoch - resumed.epoch;
      return `${when}, your code resumed from ${from} instead of the newest checkpoint, ${ref(newest)}: ${count(wasted, 'epoch')} ${wasted === 1 ? 'was' : 'were'} trained twice. List the checkpoints under env.checkpointPrefix and resume from the one with the highest epoch.`;
    }
  }
  return undefined;
}

export function storageProblem(run: SpotRun): string | undefined {
  const invalid = run.invalid[0];
  if (invalid) {
    return `The object ${invalid.key} under the checkpoint prefix is not the JSON of a ModelState ({"epoch": …, "weights": "…"}); it holds ${describe(invalid.body)}. Write JSON.stringify(state) as the body.`;
  }
  const overwrite = run.writes.find((w) => w.overwrote !== undefined);
  if (overwrite) {
    return `Your code wrote epoch ${overwrite.epoch} over the checkpoint ${overwrite.key}, which held epoch ${overwrite.overwrote}. Give every epoch its own key (for example epoch-000012.json), so the previous checkpoint is still there if the new write never completes.`;
  }
  return undefined;
}

export function keyOrderProblem(run: SpotRun): string | undefined {
  const storage = storageProblem(run);
  if (storage) return storage;
  const inversion = keyOrderInversion(run);
  if (!inversion) return undefined;
  const { earlier, later } = inversion;
  let i = 0;
  while (i < earlier.key.length && earlier.key[i] === later.key[i]) i++;
  const a = earlier.key[i] ?? '';
  const b = later.key[i] ?? '';
  const why = a && b ? `at the first character where they differ, "${a}" sorts before "${b}", whatever follows` : 'the shorter key sorts first';
  return `Your checkpoint keys sort epoch ${earlier.epoch} (${earlier.key}) before epoch ${later.epoch} (${later.key}): S3 lists keys in UTF-8 byte order, character by character, and ${why}. Zero-pad the epoch to a fixed width (epoch-000009.json, epoch-000012.json) so key order is epoch order.`;
}

export function retentionProblem(run: SpotRun): string | undefined {
  const excess = run.retentionExcess[0];
  if (!excess) return undefined;
  const moment = excess.moment === 'job-end' ? 'When the job ended' : `When instance ${excess.instance} started an epoch at ${clock(excess.at)}`;
  return `${moment}, ${run.scenario.checkpointPrefix} held ${excess.keys.length} checkpoints (${excess.keys.map((k) => k.slice(run.scenario.checkpointPrefix.length)).join(', ')}). Keep at most ${SPOT_RULES.maxCheckpoints}: right after writing a checkpoint, delete the oldest ones beyond the newest ${SPOT_RULES.maxCheckpoints}.`;
}

export function deleteOrderProblem(run: SpotRun): string | undefined {
  const bad = run.deletes.find((d) => d.tooEarly);
  if (!bad) return undefined;
  const newer = bad.present.filter((e) => e > bad.epoch).length;
  const held = `the prefix held epoch${bad.present.length > 1 ? 's' : ''} ${bad.present.slice().sort((a, b) => a - b).join(', ')}`;
  const danger = newer === 0
    ? 'It was the newest checkpoint: had the instance been reclaimed right then, the job would have had nothing to resume from.'
    : `Only ${newer} newer checkpoint${newer === 1 ? '' : 's'} existed, so it was still one of the ${SPOT_RULES.maxCheckpoints} to keep.`;
  return `At ${clock(bad.at)} instance ${bad.instance} deleted the checkpoint of epoch ${bad.epoch} (${bad.key}) while ${held}. ${danger} Write the new checkpoint first, then delete only the ones beyond the newest ${SPOT_RULES.maxCheckpoints}.`;
}

/** Completed epochs that no checkpoint held when an instance was reclaimed. */
export function lossProblem(run: SpotRun): string | undefined {
  const s = run.scenario;
  for (const instance of run.instances) {
    if (!instance.lost.length) continue;
    const lost = instance.lost;
    const newest = instance.newestAtTermination;
    const during = instance.killedDuringEpoch !== undefined ? `, during epoch ${instance.killedDuringEpoch}` : '';
    const head = `Epochs take ${duration(s.epochSeconds)} here. The notice reached instance ${instance.index} at ${clock(instance.noticeAt)}; it was terminated at ${clock(instance.terminatedAt)}${during}. Epoch${lost.length > 1 ? 's' : ''} ${ranges(lost)} had finished, but the newest checkpoint then was ${ref(newest)}: ${lost.length > 1 ? 'they were' : 'it was'} lost.`;
    const deleted = run.deletes.filter((d) => lost.includes(d.epoch) && run.writes.some((w) => w.epoch === d.epoch)).map((d) => d.epoch);
    if (deleted.length) {
      const many = deleted.length > 1;
      return `${head} Your code had written the checkpoint${many ? 's' : ''} of epoch${many ? 's' : ''} ${ranges(deleted)}, then deleted ${many ? 'them' : 'it'} again: it pruned the newest checkpoints instead of the oldest. Delete by epoch order (see step 2), never the checkpoints you just wrote.`;
    }
    if (s.epochSeconds + 2 * SPOT_RULES.s3RequestSeconds < SPOT_RULES.noticeSeconds) {
      const why = instance.sawNotice
        ? `Your code read the notice but did not write a checkpoint before going on.`
        : `Your code never saw the notice: read ${INSTANCE_ACTION_PATH} between epochs (it answers 404 until a notice is out).`;
      return `${head} ${why} With epochs shorter than the 2-minute notice, checking between epochs leaves time to save: write a checkpoint as soon as the notice is out, and again after every epoch you finish while it is out.`;
    }
    return `${head} An epoch here outlasts the 2-minute notice, so the instance can be gone before your code gets to look at the metadata. Save often enough that a reclaim costs at most the epoch in progress: with epochs longer than 2 minutes, that means a checkpoint after every epoch (the 2-minute budget allows it).`;
  }
  return undefined;
}

export function budgetProblem(run: SpotRun): string | undefined {
  const total = run.scenario.totalEpochs;
  const bad = run.writes.find(
    (w) => !w.duringNotice && w.epoch !== total && w.sinceLastSeconds < SPOT_RULES.checkpointIntervalSeconds,
  );
  if (!bad) return undefined;
  const instance = run.instances[bad.instance - 1]!;
  const first = !run.writes.some((w) => w.instance === bad.instance && w.startedAt < bad.startedAt);
  const since = first ? `after instance ${bad.instance} started (${clock(instance.startedAt)})` : 'after its previous checkpoint';
  return `At ${clock(bad.startedAt)} instance ${bad.instance} started writing a checkpoint (epoch ${bad.epoch}) only ${duration(bad.sinceLastSeconds)} ${since}, with no interruption notice out. Each checkpoint is a large upload: write at most one per ${duration(SPOT_RULES.checkpointIntervalSeconds)} of the instance's time, and rely on the notice for the rest. (Saves while the notice is out, and the checkpoint of the final epoch, are always allowed.)`;
}

/** A one-line summary for notes on passing checks. */
export function wasteNote(run: SpotRun, scenario: SpotScenario): string {
  const twice = Math.max(0, run.epochsTrained - scenario.totalEpochs);
  const killed = run.instances.filter((i) => i.killedDuringEpoch !== undefined).length;
  const seconds = twice * scenario.epochSeconds;
  return `${count(run.instances.length, 'instance')}; ${count(twice, 'finished epoch')} trained twice${twice ? ` (${duration(seconds)})` : ''}, ${count(killed, 'epoch')} cut short by a reclaim.`;
}
