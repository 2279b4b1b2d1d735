// Merging the JSON outputs of a sharded batch (`--shard i/n` on n runners) into the grades of the
// whole class: same lab, same checks, every learner once; summary and item analysis recomputed
// over everyone (they cannot be added up from the shards' own).

import type { CheckInfo } from '../../grader/report.ts';
import { batchHead } from './grades.ts';
import type { BatchDocument, BatchHead, Outcome } from './grades.ts';
import { compareIds } from './learner-ids.ts';

export class MergeError extends Error {
  override name = 'MergeError';
}

export function parseBatchDocument(text: string, file: string): BatchDocument {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new MergeError(`${file} is not JSON (${(error as Error).message}). Merge the .json outputs of \`whetstone grade --batch … --out shard.json\`.`);
  }
  const doc = value as Partial<BatchDocument> | null;
  if (!doc || doc.kind !== 'whetstone-batch' || !Array.isArray(doc.submissions) || !Array.isArray(doc.checks)) {
    throw new MergeError(`${file} is not the JSON output of a batch (no "kind": "whetstone-batch"). Grade each shard with --out shard-<i>.json and merge those.`);
  }
  return doc as BatchDocument;
}

function sameChecks(a: readonly CheckInfo[], b: readonly CheckInfo[]): boolean {
  return a.length === b.length && a.every((c, i) => c.id === b[i]!.id && c.maxScore === b[i]!.maxScore);
}

export interface Merged {
  head: BatchHead;
  outcomes: Outcome[];
  /** Shards of an i/n split that were not among the inputs, e.g. ['3/4']. */
  missingShards: string[];
  /** Learners the inputs say have no grade yet (partial shards), with the file that says so. */
  notGraded: { id: string; file: string }[];
}

export function mergeDocuments(inputs: readonly { file: string; doc: BatchDocument }[]): Merged {
  if (!inputs.length) throw new MergeError('Nothing to merge: pass the JSON files of the shards.');
  const [first] = inputs;
  const seen = new Map<string, string>();
  const outcomes: Outcome[] = [];
  const notGraded: { id: string; file: string }[] = [];
  for (const { file, doc } of inputs) {
    if (doc.lab !== first!.doc.lab) throw new MergeError(`${file} grades lab ${doc.lab}, ${first!.file} lab ${first!.doc.lab}: merge one lab at a time.`);
    if (!sameChecks(doc.checks, first!.doc.checks)) {
      throw new MergeError(
        `${file} and ${first!.file} were graded with different checks (${doc.checks.map((c) => c.id).join(', ')} vs ${first!.doc.checks.map((c) => c.id).join(', ')}): grade every shard with the same version, --public-only and --checks.`,
      );
    }
    if (doc.seed !== first!.doc.seed) throw new MergeError(`${file} used --seed ${doc.seed}, ${first!.file} --seed ${first!.doc.seed}: grade every shard with the same seed.`);
    for (const id of doc.notGraded ?? []) notGraded.push({ id, file });
    for (const s of doc.submissions) {
      const before = seen.get(s.id);
      if (before) throw new MergeError(`Learner ${s.id} is in both ${before} and ${file}: were the shards graded with different n, or the same shard twice?`);
      seen.set(s.id, file);
      outcomes.push(s.report ? { id: s.id, report: s.report } : { id: s.id, input: s.error ?? { kind: 'internal', message: 'No report.' } });
    }
  }
  outcomes.sort((a, b) => compareIds(a.id, b.id));
  const shards = inputs.map((i) => i.doc.shard);
  const counts = new Set(shards.filter((s) => s !== 'all').map((s) => Number(s.split('/')[1])));
  const missingShards: string[] = [];
  if (counts.size === 1) {
    const n = [...counts][0]!;
    for (let i = 1; i <= n; i++) if (!shards.includes(`${i}/${n}`)) missingShards.push(`${i}/${n}`);
  }
  const head = batchHead({
    lab: first!.doc.lab,
    grader: [...new Set(inputs.map((i) => i.doc.grader))].join(', '),
    shard: missingShards.length || counts.size !== 1 ? shards.join(',') : 'all',
    seed: first!.doc.seed,
    hidden: first!.doc.hidden,
    checks: first!.doc.checks,
    outcomes,
    notGraded: notGraded.map((n) => n.id).sort(compareIds),
    missingShards,
  });
  return { head, outcomes, missingShards, notGraded };
}
