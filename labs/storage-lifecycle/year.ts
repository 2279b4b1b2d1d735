// Two simulated years of the ML bucket under a lifecycle configuration, on the fake S3: every
// day objects land in each data zone, the jobs that need them read them (restoring archived
// ones when they can wait), training runs overwrite their checkpoints and sometimes resume,
// models are released and retired, large uploads die half-way, and S3 Lifecycle runs at every
// midnight UTC. The first year fills the bucket; the second is billed (grader/aws/s3/bill.ts) and
// everything that went wrong in either is recorded, in the terms the checks explain it.
//
// One object stands for a day's landing in a zone (it carries the zone's object size; the bill
// weighs it by the zone's objects a day), so two years of terabytes simulate in well under a
// second. Environment-agnostic (runs in the browser bundle): no node: imports, time from the
// simulated clock only.

import type { LifecycleRule } from '@aws-sdk/client-s3';
import { createAwsEnv, simulatedClock } from 'whetstone/aws/env';
import { ARCHIVED, FakeS3, RESTORE_HOURS, S3Bill, US_EAST_1, isDeleteMarker } from 'whetstone/aws/s3';
import type { BillSummary, LifecycleEvent, S3PriceList, StorageClass, TransitionMinimumSize } from 'whetstone/aws/s3';
import { BUCKET } from './platform.ts';
import type { BucketLayout, DataZone } from './starter/lifecycle.ts';

export const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const GIB = 1024 ** 3;

/** The simulation starts on an empty bucket on this day; the second year is billed. */
export const START = Date.UTC(2025, 0, 1);
export const BILLED_FROM = Date.UTC(2026, 0, 1);
export const END = Date.UTC(2027, 0, 1);
export const SIMULATED_DAYS = (END - START) / DAY_MS;

/** Checkpoint files are this big, model artifacts that, a dead upload's parts this. */
const CHECKPOINT_BYTES = 4 * GIB;
const MODEL_BYTES = 2 * GIB;
const UPLOAD_BYTES = 24 * GIB;

/** Training runs: the days each trains (two checkpoints a day); a phase after the first starts by resuming. */
export const RUNS: readonly { run: string; phases: readonly (readonly [number, number])[] }[] = [
  { run: 'resnet-a', phases: [[10, 70], [130, 160]] },
  { run: 'bert-b', phases: [[200, 260], [420, 450]] },
  { run: 'vit-c', phases: [[480, 560]] },
  { run: 'llm-d', phases: [[600, 690], [715, 725]] },
];

/** Models: released every `every` days from `first`; `retired` deletes the model on that day. */
export const MODELS: readonly { model: string; first: number; every: number; retired?: number }[] = [
  { model: 'fraud', first: 2, every: 7 },
  { model: 'recsys', first: 5, every: 14, retired: 420 },
];

/** Data lands once a week: one object stands for seven days of a zone's objects. */
export const LANDING_EVERY = 7;

/** An upload that dies half-way: every 15 days from day 4, under the zones in turn. */
const UPLOAD_EVERY = 15;

export interface Reader {
  name: string;
  everyDays: number;
}

export interface YearOptions {
  layout: BucketLayout;
  /** The configuration S3 holds (already accepted). */
  rules: readonly LifecycleRule[];
  transitionMinimum?: TransitionMinimumSize;
  priceList?: S3PriceList;
  /** Other teams' prefixes in the bucket, each seeded with objects no rule may touch. */
  neighbours?: readonly string[];
  /** Who reads each zone while it is hot; daily 'the daily jobs' when absent. */
  readers?: Readonly<Record<string, Reader>>;
  /** Which data zones land objects (default all); housekeeping (checkpoints, models, uploads) on unless false. */
  zones?: readonly string[];
  housekeeping?: boolean;
}

export interface ReadFailure {
  zone: string;
  key: string;
  reader: string;
  at: Date;
  ageDays: number;
  storageClass: StorageClass;
  /** 'archived': not restored and the reader cannot wait; 'gone': deleted. */
  why: 'archived' | 'gone';
}

export interface RetentionProblem {
  zone: string;
  key: string;
  /** 'deleted-early': gone before its zone says; 'kept-too-long': still stored (a version of it) well after. */
  kind: 'deleted-early' | 'kept-too-long';
  ageDays: number;
  at: Date;
  rule?: string;
  /** For kept-too-long: the version left, current or noncurrent. */
  left?: 'current' | 'noncurrent';
}

export interface TransitionTally {
  rule: string;
  to: StorageClass;
  /** Objects moved (weighted: real objects). */
  moved: number;
  /** Objects S3 passed over for their size (weighted, counted once each). */
  skipped: number;
  /** Zone prefixes whose objects the rule moved or passed over. */
  prefixes: Set<string>;
}

export interface HousekeepingProblem {
  what: 'checkpoint' | 'model' | 'upload';
  /** e.g. 'newest', 'previous', 'stale' (checkpoints); 'early', 'kept', 'marker', 'current' (models); 'kept' (uploads). */
  kind: string;
  key: string;
  at: Date;
  message: string;
}

export interface YearOfData {
  bill: BillSummary;
  readFailures: ReadFailure[];
  retention: RetentionProblem[];
  /** Lifecycle actions on other teams' objects. */
  neighbourEvents: LifecycleEvent[];
  transitions: TransitionTally[];
  checkpoints: HousekeepingProblem[];
  models: HousekeepingProblem[];
  uploads: HousekeepingProblem[];
  /** Runs that could not resume from their newest checkpoint. */
  resumes: { run: string; at: Date; why: string }[];
}

/** 'raw/2025/03/04/batch.bin' for a zone's landing on a day. */
export function landingKey(prefix: string, day: number): string {
  const d = new Date(START + day * DAY_MS);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${prefix}${d.getUTCFullYear()}/${two(d.getUTCMonth() + 1)}/${two(d.getUTCDate())}/batch.bin`;
}

export function isoDay(at: Date | number): string {
  return new Date(at).toISOString().slice(0, 10);
}

/** Run two years of the bucket under `options.rules`. Deterministic: the same options, the same year. */
export function simulateYear(options: YearOptions): YearOfData {
  const { layout } = options;
  const env = createAwsEnv({ seed: 1, clock: simulatedClock(START) });
  const s3 = new FakeS3(env);
  s3.createBucket(BUCKET);
  s3.setVersioning(BUCKET, 'Enabled');
  const zones = layout.zones.filter((z) => !options.zones || options.zones.includes(z.prefix));
  const housekeeping = options.housekeeping ?? true;
  const neighbours = options.neighbours ?? [];

  // Other teams' objects were there before any rule of yours.
  for (const prefix of neighbours) {
    for (let i = 0; i < 4; i++) {
      s3.putObject(BUCKET, `${prefix}2024/audit-${i}.parquet`, { size: GIB }, { lastModified: new Date(Date.UTC(2024, 2 + i * 2, 10)) });
    }
  }
  s3.setLifecycle(BUCKET, {
    Rules: structuredClone([...options.rules]),
    ...(options.transitionMinimum ? { TransitionDefaultMinimumObjectSize: options.transitionMinimum } : {}),
  });

  const weights = new Map<string, number>();
  const uploadKeys = new Set<string>();
  const zoneOf = (key: string) => zones.find((z) => key.startsWith(z.prefix));
  const groupOf = (key: string) => {
    if (uploadKeys.has(key)) return 'uploads';
    const zone = zoneOf(key);
    if (zone) return zone.prefix;
    if (key.startsWith(layout.checkpoints.prefix)) return layout.checkpoints.prefix;
    if (key.startsWith(layout.models.prefix)) return layout.models.prefix;
    return 'other teams';
  };
  const bill = new S3Bill(s3, {
    from: new Date(BILLED_FROM),
    prices: options.priceList ?? US_EAST_1,
    weight: (_bucket, key) => weights.get(key) ?? 1,
    group: (_bucket, key) => groupOf(key),
  });

  const result: Omit<YearOfData, 'bill'> = {
    readFailures: [],
    retention: [],
    neighbourEvents: [],
    transitions: [],
    checkpoints: [],
    models: [],
    uploads: [],
    resumes: [],
  };
  const tallies = new Map<string, TransitionTally>();
  const skippedOnce = new Set<string>();
  const tally = (rule: string, to: StorageClass) => {
    const id = `${rule}\n${to}`;
    let t = tallies.get(id);
    if (!t) tallies.set(id, (t = { rule, to, moved: 0, skipped: 0, prefixes: new Set() }));
    return t;
  };
  const landed = new Map<string, { zone: DataZone; at: number }>();
  const landings = new Map<string, string[]>(zones.map((z) => [z.prefix, []]));

  const onLifecycle = (event: LifecycleEvent) => {
    if (neighbours.some((p) => event.key.startsWith(p))) {
      if (result.neighbourEvents.length < 20) result.neighbourEvents.push(event);
      return;
    }
    const zone = zoneOf(event.key);
    if (event.kind === 'transition') {
      const t = tally(event.rule, event.to);
      t.moved += weights.get(event.key) ?? 1;
      t.prefixes.add(zone?.prefix ?? groupOf(event.key));
    } else if (event.kind === 'transition-skipped') {
      const id = `${event.key}\n${event.versionId}\n${event.rule}\n${event.to}`;
      if (skippedOnce.has(id)) return;
      skippedOnce.add(id);
      const t = tally(event.rule, event.to);
      t.skipped += weights.get(event.key) ?? 1;
      t.prefixes.add(zone?.prefix ?? groupOf(event.key));
    } else if ((event.kind === 'delete-marker' || event.kind === 'expiration') && zone) {
      const info = landed.get(event.key);
      if (!info) return;
      const ageDays = (event.at.getTime() - info.at) / DAY_MS;
      if (zone.keepDays === null || ageDays < zone.keepDays) {
        result.retention.push({ zone: zone.prefix, key: event.key, kind: 'deleted-early', ageDays, at: event.at, rule: event.rule });
      }
    }
  };

  const now = () => env.clock.now().getTime();
  const advanceTo = (t: number) => {
    if (t > now()) s3.advanceTime(t - now(), onLifecycle);
  };
  const readers = options.readers ?? {};
  const pendingReads: { at: number; zone: DataZone; key: string; reader: string }[] = [];

  const read = (zone: DataZone, key: string, reader: string, canWaitHours: number) => {
    const outcome = s3.readObject(BUCKET, key);
    if (outcome.ok) return;
    const object = s3.bucket(BUCKET)!.object(key);
    const info = landed.get(key)!;
    const failure = (why: ReadFailure['why']) =>
      result.readFailures.push({ zone: zone.prefix, key, reader, at: new Date(now()), ageDays: (now() - info.at) / DAY_MS, storageClass: object?.storageClass ?? 'STANDARD', why });
    if (outcome.code === 'NoSuchKey' || !object) return failure('gone');
    const hours = RESTORE_HOURS[object.storageClass as 'GLACIER' | 'DEEP_ARCHIVE']?.Standard;
    if (hours === undefined || !ARCHIVED.has(object.storageClass) || canWaitHours < hours) return failure('archived');
    const restore = s3.restoreObject(BUCKET, key, { days: 1, tier: 'Standard' });
    const readyAt = restore.kind === 'refused' ? (object.restore?.readyAt.getTime() ?? now()) : restore.restore.readyAt.getTime();
    pendingReads.push({ at: Math.max(readyAt, now()), zone, key, reader });
  };

  // Checkpoints: which versions each run's key must have (bookkeeping of what was written when).
  const runKey = (run: string) => `${layout.checkpoints.prefix}${run}/latest.ckpt`;
  const written = new Map<string, number>();
  const modelKey = (model: string) => `${layout.models.prefix}${model}/model.tar.gz`;
  const replaced = new Map<string, { versionId: string; at: number }[]>();
  const problemOnce = new Set<string>();
  const housekeepingProblem = (list: HousekeepingProblem[], what: HousekeepingProblem['what'], key: string, kind: string, message: string) => {
    const id = `${what}\n${key}\n${kind}`;
    if (problemOnce.has(id)) return;
    problemOnce.add(id);
    list.push({ what, key, kind, at: new Date(now()), message });
  };
  let uploadCount = 0;

  for (let day = 0; day < SIMULATED_DAYS; day++) {
    const midnight = START + day * DAY_MS;
    const at = (hours: number) => midnight + hours * HOUR_MS;
    advanceTo(midnight);

    // 01:00 — an upload dies half-way every 15 days.
    if (housekeeping && day % UPLOAD_EVERY === 4) {
      advanceTo(at(1));
      const prefixes = [zones[0]?.prefix, layout.checkpoints.prefix, zones[1]?.prefix].filter((p) => p !== undefined);
      const key = `${prefixes[uploadCount % prefixes.length]}uploads/upload-${String(uploadCount).padStart(3, '0')}.bin`;
      uploadKeys.add(key);
      s3.startMultipartUpload(BUCKET, key, { bytes: UPLOAD_BYTES });
      uploadCount++;
    }

    // 02:00 — a week's data lands in every zone (one object stands for the week's landings).
    advanceTo(at(2));
    if (day % LANDING_EVERY === 0) {
      for (const zone of zones) {
        const key = landingKey(zone.prefix, day);
        weights.set(key, zone.objectsPerDay * LANDING_EVERY);
        landed.set(key, { zone, at: now() });
        landings.get(zone.prefix)!.push(key);
        s3.putObject(BUCKET, key, { size: zone.objectKiB * 1024 });
      }
    }

    // 03:00 — training resumes and writes checkpoints; models are released and retired.
    advanceTo(at(3));
    if (housekeeping) {
      for (const { run, phases } of RUNS) {
        phases.forEach(([first, last], phase) => {
          if (day < first || day > last) return;
          const key = runKey(run);
          if (day === first && phase > 0) {
            const outcome = s3.readObject(BUCKET, key);
            if (!outcome.ok) {
              const versions = s3.versions(BUCKET, key);
              const why = versions[0] && isDeleteMarker(versions[0].entry) ? 'its newest checkpoint is hidden behind a delete marker' : 'its newest checkpoint is gone';
              result.resumes.push({ run, at: new Date(now()), why });
            }
          }
          s3.putObject(BUCKET, key, { size: CHECKPOINT_BYTES });
          written.set(key, (written.get(key) ?? 0) + 1);
        });
      }
      for (const { model, first, every, retired } of MODELS) {
        const key = modelKey(model);
        if (retired !== undefined && day === retired) {
          const current = s3.bucket(BUCKET)!.object(key);
          if (current) replaced.set(key, [...(replaced.get(key) ?? []), { versionId: current.versionId, at: now() }]);
          s3.deleteObject(BUCKET, key);
        } else if (day >= first && (day - first) % every === 0 && (retired === undefined || day < retired)) {
          const current = s3.bucket(BUCKET)!.object(key);
          if (current) replaced.set(key, [...(replaced.get(key) ?? []), { versionId: current.versionId, at: now() }]);
          s3.putObject(BUCKET, key, { size: MODEL_BYTES });
        }
      }
    }

    // 04:00 — the jobs read: hot objects at once, cold ones as the zone says (restoring if they can wait).
    advanceTo(at(4));
    for (const zone of zones) {
      const reader = readers[zone.prefix] ?? { name: 'the daily jobs', everyDays: 1 };
      const hotToday = zone.hotDays > 0 && day % reader.everyDays === 0;
      const period = zone.coldReadsPerMonth > 0 ? Math.max(1, Math.round(30 / zone.coldReadsPerMonth)) : 0;
      const coldToday = period > 0 && day % period === period - 1;
      if (!hotToday && !coldToday) continue;
      const keys = landings.get(zone.prefix)!;
      // Hot reads look at the newest landings only; cold reads at every landing still listed.
      const from = coldToday ? 0 : Math.max(0, keys.length - Math.ceil(zone.hotDays / LANDING_EVERY) - 1);
      for (let i = from; i < keys.length; i++) {
        const key = keys[i]!;
        const info = landed.get(key)!;
        if (!s3.bucket(BUCKET)!.object(key) && (now() - info.at) / DAY_MS >= (zone.keepDays ?? Infinity)) continue;
        const age = (now() - info.at) / DAY_MS;
        if (age < zone.hotDays) {
          if (hotToday) read(zone, key, reader.name, 0);
        } else if (coldToday) {
          read(zone, key, `the cold reads of ${zone.prefix} (${describeReads(zone)})`, zone.coldReadWithinHours);
        }
      }
    }

    // 05:00 — serving loads the current models.
    advanceTo(at(5));
    if (housekeeping) {
      for (const { model, first, retired } of MODELS) {
        if (day < first || (retired !== undefined && day >= retired)) continue;
        const outcome = s3.readObject(BUCKET, modelKey(model));
        if (!outcome.ok) housekeepingProblem(result.models, 'model', modelKey(model), 'current', `serving could not load ${modelKey(model)} on ${isoDay(now())}: the current model is gone (${outcome.code})`);
      }
    }

    // 15:00 — the second checkpoint of the day.
    advanceTo(at(15));
    if (housekeeping) {
      for (const { run, phases } of RUNS) {
        if (!phases.some(([first, last]) => day >= first && day <= last)) continue;
        s3.putObject(BUCKET, runKey(run), { size: CHECKPOINT_BYTES });
        written.set(runKey(run), (written.get(runKey(run)) ?? 0) + 1);
      }
    }

    // Restored objects are read once ready (a Standard restore takes 5 h from Glacier, 12 h from Deep Archive).
    pendingReads.sort((a, b) => a.at - b.at);
    while (pendingReads.length && pendingReads[0]!.at < midnight + DAY_MS) {
      const next = pendingReads.shift()!;
      advanceTo(Math.max(next.at, at(16)));
      const outcome = s3.readObject(BUCKET, next.key);
      if (!outcome.ok) {
        const object = s3.bucket(BUCKET)!.object(next.key);
        result.readFailures.push({
          zone: next.zone.prefix,
          key: next.key,
          reader: next.reader,
          at: new Date(now()),
          ageDays: (now() - landed.get(next.key)!.at) / DAY_MS,
          storageClass: object?.storageClass ?? 'STANDARD',
          why: object ? 'archived' : 'gone',
        });
      }
    }

    // 23:00 — what the day left behind.
    advanceTo(at(23));
    auditRetention(s3, zones, landed, now(), result.retention);
    if (housekeeping) {
      auditCheckpoints(s3, layout, written, now(), (key, kind, message) => housekeepingProblem(result.checkpoints, 'checkpoint', key, kind, message));
      auditModels(s3, layout, replaced, now(), (key, kind, message) => housekeepingProblem(result.models, 'model', key, kind, message));
      for (const upload of s3.multipartUploads(BUCKET)) {
        const age = (now() - upload.initiated.getTime()) / DAY_MS;
        if (age > layout.abortUploadsAfterDays + 2) {
          housekeepingProblem(result.uploads, 'upload', upload.key, 'kept', `the incomplete upload of ${upload.key} (${UPLOAD_BYTES / GIB} GiB of parts) started ${isoDay(upload.initiated)} was still there on ${isoDay(now())}, ${Math.floor(age)} days later`);
        }
      }
    }
  }
  advanceTo(END);
  result.transitions = [...tallies.values()];
  return { ...result, bill: bill.close(new Date(END)) };
}

export function describeReads(zone: DataZone): string {
  const r = zone.coldReadsPerMonth;
  const often = r >= 1 ? `${r} a month` : `once every ${Math.round(1 / r)} months`;
  return `${often}, ${zone.coldReadWithinHours === 0 ? 'at once' : `within ${zone.coldReadWithinHours} h`}`;
}

/** Data zones: nothing deleted early (recorded from lifecycle events), nothing kept well past its zone's age. */
function auditRetention(s3: FakeS3, zones: readonly DataZone[], landed: Map<string, { zone: DataZone; at: number }>, now: number, out: RetentionProblem[]): void {
  const bucket = s3.bucket(BUCKET)!;
  for (const zone of zones) {
    if (zone.keepDays === null || out.some((p) => p.zone === zone.prefix && p.kind === 'kept-too-long')) continue;
    // The oldest landing that should be gone by now (two days of slack: midnight rounding, then the noncurrent version's day).
    const day = Math.floor((now - START) / DAY_MS) - zone.keepDays - 2;
    if (day < 0) continue;
    const key = landingKey(zone.prefix, day);
    const versions = bucket.versions(key);
    const stored = versions.find((v) => !isDeleteMarker(v.entry));
    if (!stored) continue;
    const info = landed.get(key);
    if (!info) continue;
    out.push({
      zone: zone.prefix,
      key,
      kind: 'kept-too-long',
      ageDays: (now - info.at) / DAY_MS,
      at: new Date(now),
      left: stored.noncurrentSince ? 'noncurrent' : 'current',
    });
  }
}

function auditCheckpoints(
  s3: FakeS3,
  layout: BucketLayout,
  written: Map<string, number>,
  now: number,
  problem: (key: string, kind: string, message: string) => void,
): void {
  const { keepPrevious, previousDays } = layout.checkpoints;
  for (const [key, count] of written) {
    const versions = s3.versions(BUCKET, key);
    const current = versions[0];
    if (!current || isDeleteMarker(current.entry)) {
      problem(key, 'newest', `on ${isoDay(now)} the newest checkpoint of ${key} was ${current ? 'hidden behind a delete marker' : 'gone'}`);
      continue;
    }
    const noncurrent = versions.slice(1).filter((v) => !isDeleteMarker(v.entry));
    const expected = Math.min(keepPrevious, count - 1);
    const kept = noncurrent.slice(0, keepPrevious).length;
    if (kept < expected) {
      problem(key, 'previous', `on ${isoDay(now)} ${key} kept ${kept} of its previous checkpoints; the ${expected} newest of them must stay, whatever their age`);
    }
    // A previous checkpoint may go once it is previousDays old and keepPrevious newer ones exist
    // (since the keepPrevious-th newer one was replaced); S3 acts at the next midnight.
    const eligibleFrom = (j: number) => Math.max(noncurrent[j]!.noncurrentSince!.getTime() + previousDays * DAY_MS, noncurrent[j - keepPrevious]!.noncurrentSince!.getTime());
    const staleIndex = noncurrent.findIndex((_, j) => j >= keepPrevious && now - eligibleFrom(j) > 2 * DAY_MS);
    const stale = staleIndex < 0 ? undefined : noncurrent[staleIndex];
    if (stale) {
      problem(
        key,
        'stale',
        `on ${isoDay(now)} ${key} still held a checkpoint replaced on ${isoDay(stale.noncurrentSince!)}, ${Math.floor((now - stale.noncurrentSince!.getTime()) / DAY_MS)} days before, behind ${keepPrevious} newer previous ones (${versions.length - 1} old checkpoints in all)`,
      );
    }
  }
}

function auditModels(
  s3: FakeS3,
  layout: BucketLayout,
  replaced: Map<string, { versionId: string; at: number }[]>,
  now: number,
  problem: (key: string, kind: string, message: string) => void,
): void {
  const { rollbackDays } = layout.models;
  for (const [key, list] of replaced) {
    const bucket = s3.bucket(BUCKET)!;
    for (const { versionId, at } of list) {
      const age = (now - at) / DAY_MS;
      const exists = bucket.version(key, versionId) !== undefined;
      if (age < rollbackDays && !exists) {
        problem(key, 'early', `the model of ${key} replaced on ${isoDay(at)} was gone ${Math.floor(age)} days later, inside the ${rollbackDays}-day rollback window`);
      } else if (age > rollbackDays + 2 && exists) {
        problem(key, 'kept', `the model of ${key} replaced on ${isoDay(at)} was still stored ${Math.floor(age)} days later, past the ${rollbackDays}-day rollback window`);
      }
    }
    const model = MODELS.find((m) => modelKeyOf(layout, m.model) === key);
    if (model?.retired !== undefined) {
      const retiredAt = START + model.retired * DAY_MS;
      const versions = bucket.versions(key);
      if (now - retiredAt > (rollbackDays + 3) * DAY_MS && versions.length === 1 && isDeleteMarker(versions[0]!.entry)) {
        problem(key, 'marker', `${key} was retired on ${isoDay(retiredAt)}; on ${isoDay(now)} its versions were gone but its delete marker was still there`);
      }
    }
  }
}

function modelKeyOf(layout: BucketLayout, model: string): string {
  return `${layout.models.prefix}${model}/model.tar.gz`;
}
