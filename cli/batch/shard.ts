// `--shard i/n`: which learners this runner grades. A learner's shard is a hash of the id, not
// a position in a directory listing, so every runner agrees on the split whatever order its
// file system lists the folder in, and a learner added later does not move anybody else.

import { createHash } from 'node:crypto';
import { UsageError } from '../usage.ts';

export interface Shard {
  /** 1-based, as Playwright's and Jest's --shard: 1/4 … 4/4. */
  index: number;
  count: number;
}

export function parseShard(value: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(value.trim());
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || count < 1 || index < 1 || index > count) {
    throw new UsageError(`--shard ${value}: use i/n with 1 ≤ i ≤ n, e.g. --shard 1/4 … --shard 4/4.`);
  }
  return { index, count };
}

/** The 1-based shard a learner id belongs to among `count` shards. */
export function shardOf(id: string, count: number): number {
  const digest = createHash('sha256').update(id, 'utf8').digest();
  return (digest.readUInt32BE(0) % count) + 1;
}

export function inShard(id: string, shard: Shard | undefined): boolean {
  return !shard || shardOf(id, shard.count) === shard.index;
}

export function describeShard(shard: Shard | undefined): string {
  return shard ? `${shard.index}/${shard.count}` : 'all';
}
