// How many shards a load needs, as the grader works it out (step 1), and why a learner's answer
// differs. Exact: loads are whole numbers of records and bytes, so every limit's need is a
// fraction of integers, computed without floating point; fixtures keep away from whole-number
// needs, where a float's last bit would decide the answer.
//
// The limits (Kinesis API Reference, CreateStream, read 2026-11-30): a shard takes writes of up to
// 1 MiB/s and 1,000 records/s, and serves reads of up to 2 MiB/s, which consumers polling with
// GetRecords share; "with enhanced fan-out … each registered consumer" gets its own 2 MiB/s per
// shard (SubscribeToShard; Developer Guide, "Develop enhanced fan-out consumers"). The lab plans
// every limit at 80% (20% headroom).

import { count, describe } from 'whetstone/checks';
import type { StreamLoad } from './starter/stream.ts';

export type { StreamLoad };

const MiB = 1024 * 1024;

/** The lab's headroom, as a fraction of integers: plan each limit at 4/5. */
const USE = { num: 4, den: 5 };

/** One limit's need, as the fraction num/den of a shard (both whole numbers). */
export interface Need {
  limit: 'write bytes' | 'write records' | 'reads';
  num: number;
  den: number;
}

export function needs(load: StreamLoad): Need[] {
  const writeBytes = load.recordsPerSecond * load.averageRecordBytes;
  const readers = load.enhancedFanOut ? Math.min(load.consumers, 1) : load.consumers;
  return [
    { limit: 'write bytes', num: writeBytes * USE.den, den: MiB * USE.num },
    { limit: 'write records', num: load.recordsPerSecond * USE.den, den: 1000 * USE.num },
    { limit: 'reads', num: readers * writeBytes * USE.den, den: 2 * MiB * USE.num },
  ];
}

/** ⌈num/den⌉ of whole numbers (far below 2^53 here, so the division cannot round across a whole number). */
const ceil = (n: Need) => Math.floor(n.num / n.den) + (n.num % n.den === 0 ? 0 : 1);

/** The shards `load` needs: the largest of its limits' needs, at least 1. */
export function shardsFor(load: StreamLoad): number {
  return Math.max(1, ...needs(load).map(ceil));
}

/** True when some limit's need lands within `margin` of a whole number (a fixture to avoid). */
export function onBoundary(load: StreamLoad, margin = 1e-6): boolean {
  return needs(load).some((n) => {
    const q = n.num / n.den;
    return Math.abs(q - Math.round(q)) < margin && q > 0;
  });
}

const shards = (n: number) => count(n, 'shard');
const fixed = (q: number) => (Math.round(q * 100) / 100).toLocaleString('en-US');

/** 'For 2,000 records/s of 3,000 bytes, read by 2 consumers (polling)'. */
export function describeLoad(load: StreamLoad): string {
  const readers = load.consumers === 0 ? 'with no consumer' : `read by ${count(load.consumers, 'consumer')} ${load.enhancedFanOut ? 'with enhanced fan-out' : 'polling with GetRecords'}`;
  return `For ${load.recordsPerSecond.toLocaleString('en-US')} records/s of ${load.averageRecordBytes.toLocaleString('en-US')} bytes ${readers}`;
}

/** What a few plausible mistakes would answer, to name the one the learner made. */
function mistakes(load: StreamLoad): { label: string; shards: number }[] {
  const [bytes, records, reads] = needs(load).map(ceil) as [number, number, number];
  const noHeadroom = Math.max(1, ...needs(load).map((n) => Math.ceil((n.num * USE.num) / (n.den * USE.den))));
  const sharedEvenWithFanOut = shardsFor({ ...load, enhancedFanOut: false });
  return [
    { label: 'the write bytes alone', shards: Math.max(1, bytes) },
    { label: 'the record count alone', shards: Math.max(1, records) },
    { label: 'the writes alone, as if no consumer read the stream', shards: Math.max(1, bytes, records) },
    { label: 'every limit at 100%, without the 20% headroom', shards: noHeadroom },
    ...(load.enhancedFanOut ? [{ label: 'the consumers sharing 2 MiB/s as polling consumers do', shards: sharedEvenWithFanOut }] : []),
    { label: `reads alone`, shards: Math.max(1, reads) },
  ];
}

/** Why `got` is not the shards `load` needs, in the learner's terms; undefined when it is right. */
export function explainShards(load: StreamLoad, got: unknown): string | undefined {
  const want = shardsFor(load);
  if (got === want) return undefined;
  const [bytes, records, reads] = needs(load) as [Need, Need, Need];
  const parts = [
    `${fixed(bytes.num / bytes.den)} for ${(load.recordsPerSecond * load.averageRecordBytes).toLocaleString('en-US')} bytes/s written (838,861 a shard: 1 MiB/s at 80%)`,
    `${fixed(records.num / records.den)} for ${load.recordsPerSecond.toLocaleString('en-US')} records/s (800 a shard)`,
    load.consumers === 0
      ? 'nothing for reads (no consumer)'
      : load.enhancedFanOut
        ? `${fixed(reads.num / reads.den)} for reads (each consumer has its own 2 MiB/s with enhanced fan-out: 1,677,722 bytes/s a shard at 80%)`
        : `${fixed(reads.num / reads.den)} for ${(load.consumers * load.recordsPerSecond * load.averageRecordBytes).toLocaleString('en-US')} bytes/s read by ${count(load.consumers, 'consumer')} sharing 2 MiB/s (1,677,722 a shard at 80%)`,
  ];
  const intro = `${describeLoad(load)}, the stream needs ${shards(want)}: ${parts.join(', ')}; the largest, rounded up.`;
  if (typeof got !== 'number' || !Number.isInteger(got)) return `${intro} shardsNeeded returned ${describe(got)}: a shard count is a whole number (round up with Math.ceil).`;
  const cause = mistakes(load).find((m) => m.shards === got && m.shards !== want);
  return `${intro} shardsNeeded returned ${got}${cause ? `, which is what ${cause.label} needs` : ''}.`;
}
