// Archived objects: an object in GLACIER or DEEP_ARCHIVE cannot be read (GetObject answers
// InvalidObjectState) until a RestoreObject has made a temporary copy, which takes simulated
// hours (the tier's documented upper bound, storage-classes.ts) and lasts `Days`.
//
// Sources, read 2026-11-30: @aws-sdk/client-s3 3.1175 model documentation (RestoreObject: 202
// when a restore starts, 200 when the object was already restored and its period is updated
// "relative to the current time", RestoreAlreadyInProgress 409 "Object restore is already in
// progress"; the Restore header `ongoing-request="true"` / `ongoing-request="false",
// expiry-date="Fri, 21 Dec 2012 00:00:00 GMT"`; "The Days element is required for regular
// restores"); S3's own answer to a restore of an object that is not archived, InvalidObjectState
// 403 "Restore is not allowed for the object's current storage class", as recorded in public
// clients' logs; the S3 User Guide, "Restoring an archived object": the copy expires `Days` after
// the restore completes, rounded up to midnight UTC.

import { RestoreObjectCommand } from '@aws-sdk/client-s3';
import type { S3Client } from '@aws-sdk/client-s3';
import type { Call } from '../mock.ts';
import type { FakeAwsService } from '../service.ts';
import type { RestoreState, S3Bucket, S3Model, StoredObject } from './model.ts';
import { withState } from './model.ts';
import { ARCHIVED, RESTORE_HOURS } from './storage-classes.ts';
import type { RestoreTier } from './storage-classes.ts';

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
const TIERS: readonly RestoreTier[] = ['Expedited', 'Standard', 'Bulk'];

/** The first midnight UTC at or after `ms`. */
function ceilMidnight(ms: number): number {
  return Math.ceil(ms / DAY_MS) * DAY_MS;
}

export type RestoreOutcome =
  | { kind: 'started'; restore: RestoreState }
  | { kind: 'extended'; restore: RestoreState }
  | { kind: 'refused'; code: 'NoSuchKey' | 'InvalidObjectState' | 'RestoreAlreadyInProgress' };

/**
 * Start (or extend) the restore of an archived object, as S3 does; observers hear of every
 * accepted request (it is billed). The object's new state replaces the old one in the bucket.
 */
export function startRestore(model: S3Model, bucket: S3Bucket, object: StoredObject, request: { days: number; tier: RestoreTier }): RestoreOutcome {
  if (!ARCHIVED.has(object.storageClass)) return { kind: 'refused', code: 'InvalidObjectState' };
  const now = model.env.clock.now().getTime();
  const current = object.restore;
  if (current && now < current.readyAt.getTime()) return { kind: 'refused', code: 'RestoreAlreadyInProgress' };
  let restore: RestoreState;
  let kind: 'started' | 'extended';
  if (current && now < current.expiresAt.getTime()) {
    kind = 'extended';
    restore = { ...current, days: request.days, expiresAt: new Date(ceilMidnight(now + request.days * DAY_MS)) };
  } else {
    const hours = RESTORE_HOURS[object.storageClass as 'GLACIER' | 'DEEP_ARCHIVE'][request.tier];
    if (hours === undefined) {
      throw new Error(`The fake S3 does not model ${request.tier} restores of ${object.storageClass} objects (S3 does not offer them).`);
    }
    const readyAt = now + hours * HOUR_MS;
    kind = 'started';
    restore = {
      tier: request.tier,
      days: request.days,
      requestedAt: new Date(now),
      readyAt: new Date(readyAt),
      expiresAt: new Date(ceilMidnight(readyAt + request.days * DAY_MS)),
    };
  }
  const updated = withState(object, { restore });
  bucket.replace(updated);
  model.emit({ kind: 'restore-requested', bucket: bucket.name, object: updated, restore, extended: kind === 'extended', at: new Date(now) });
  return { kind, restore };
}

/** 'Fri, 21 Dec 2012 00:00:00 GMT' */
function httpDate(date: Date): string {
  return date.toUTCString();
}

/** The x-amz-restore header of an object now, undefined when it was never restored or the copy is gone. */
export function restoreHeader(object: StoredObject, now: Date): string | undefined {
  const restore = object.restore;
  if (!restore || now >= restore.expiresAt) return undefined;
  if (now < restore.readyAt) return 'ongoing-request="true"';
  return `ongoing-request="false", expiry-date="${httpDate(restore.expiresAt)}"`;
}

/** RestoreObject on FakeS3 (its constructor calls this). */
export function addRestoreOperations(s3: FakeAwsService<S3Client, S3Model>): void {
  s3.on(
    RestoreObjectCommand,
    (input, call: Call, model) => {
      const bucket = model.bucket(input.Bucket!, call, { key: input.Key });
      const key = input.Key!;
      const request = input.RestoreRequest;
      const days = request?.Days;
      const tier = request?.GlacierJobParameters?.Tier ?? request?.Tier ?? 'Standard';
      if (!Number.isInteger(days) || (days as number) < 1 || !TIERS.includes(tier as RestoreTier)) {
        // The request body fails S3's schema: Days (a positive integer) is required for a restore, Tier is an enumeration.
        throw model.error('MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema', call);
      }
      const entry = input.VersionId === undefined ? bucket.object(key) : bucket.version(key, input.VersionId)?.entry;
      if (!entry || (entry as { isDeleteMarker?: boolean }).isDeleteMarker) {
        throw model.error('NoSuchKey', 'The specified key does not exist.', call, { httpStatusCode: 404, fields: { Key: key } });
      }
      const outcome = startRestore(model, bucket, entry as StoredObject, { days: days as number, tier: tier as RestoreTier });
      if (outcome.kind === 'refused' && outcome.code === 'InvalidObjectState') {
        throw model.error('InvalidObjectState', "Restore is not allowed for the object's current storage class", call, {
          httpStatusCode: 403,
          fields: { StorageClass: (entry as StoredObject).storageClass },
        });
      }
      if (outcome.kind === 'refused') {
        throw model.error('RestoreAlreadyInProgress', 'Object restore is already in progress', call, { httpStatusCode: 409 });
      }
      return { $metadata: { httpStatusCode: outcome.kind === 'started' ? 202 : 200 } };
    },
    {
      httpLabels: ['Bucket', 'Key'],
      doc: 'Restores a GLACIER or DEEP_ARCHIVE object for Days: ready after the tier’s hours on the simulated clock (Standard 5 h / 12 h, Bulk 12 h / 48 h, Expedited 5 min for GLACIER); 202, then 200 to extend; RestoreAlreadyInProgress (409); InvalidObjectState (403) for other classes.',
    },
  );
}
