// Versioning on FakeS3: turning it on (or suspending it) and listing every version of a bucket's
// keys. How versions behave on writes and deletes is the model's (model.ts).
//
// Sources, read 2026-11-30: @aws-sdk/client-s3 3.1175 model documentation (PutBucketVersioning:
// Status Enabled or Suspended, "If the versioning state has never been set on a bucket, it has no
// versioning state; a GetBucketVersioning request does not return a versioning state value";
// ListObjectVersions: up to 1,000 versions a page, KeyMarker and VersionIdMarker, versions of a
// key newest first, NextKeyMarker and NextVersionIdMarker when truncated).

import { GetBucketVersioningCommand, ListObjectVersionsCommand, PutBucketVersioningCommand } from '@aws-sdk/client-s3';
import type { DeleteMarkerEntry, ObjectVersion as SdkObjectVersion, S3Client } from '@aws-sdk/client-s3';
import type { Call } from '../mock.ts';
import { outputList } from '../mock.ts';
import type { FakeAwsService } from '../service.ts';
import { compareUtf8 } from './keys.ts';
import { MAX_KEYS_PER_PAGE } from './listing.ts';
import { isDeleteMarker } from './model.ts';
import type { S3Bucket, S3Model } from './model.ts';

const MALFORMED = 'The XML you provided was not well-formed or did not validate against our published schema';

interface Listed {
  key: string;
  versionId: string;
  entry: DeleteMarkerEntry | SdkObjectVersion;
  marker: boolean;
}

/** Every version of the bucket's keys under `prefix`, keys in S3's order, each key's versions newest first. */
function allVersions(bucket: S3Bucket, prefix: string, owner: { ID: string }): Listed[] {
  const keys = [...bucket.versionedKeys()].filter((k) => k.startsWith(prefix)).sort(compareUtf8);
  const out: Listed[] = [];
  for (const key of keys) {
    bucket.versions(key).forEach((v, i) => {
      const common = { Key: key, VersionId: v.entry.versionId, IsLatest: i === 0, LastModified: v.entry.lastModified, Owner: owner };
      if (isDeleteMarker(v.entry)) out.push({ key, versionId: v.entry.versionId, marker: true, entry: common });
      else {
        out.push({
          key,
          versionId: v.entry.versionId,
          marker: false,
          entry: { ...common, ETag: v.entry.etag, Size: v.entry.size, StorageClass: v.entry.storageClass as SdkObjectVersion['StorageClass'] },
        });
      }
    });
  }
  return out;
}

/** Put/GetBucketVersioning and ListObjectVersions on FakeS3 (its constructor calls this). */
export function addVersioningOperations(s3: FakeAwsService<S3Client, S3Model>): void {
  s3.on(
    PutBucketVersioningCommand,
    (input, call: Call, model) => {
      const bucket = model.bucket(input.Bucket!, call);
      const status = input.VersioningConfiguration?.Status;
      if (status !== 'Enabled' && status !== 'Suspended') throw model.error('MalformedXML', MALFORMED, call);
      bucket.versioning = status;
      return {};
    },
    { httpLabels: ['Bucket'], doc: 'Turns versioning on (Enabled) or Suspended; a bucket once versioned never returns to unversioned.' },
  );
  s3.on(
    GetBucketVersioningCommand,
    (input, call: Call, model) => {
      const bucket = model.bucket(input.Bucket!, call);
      return bucket.versioning ? { Status: bucket.versioning } : {};
    },
    { httpLabels: ['Bucket'], doc: "A bucket's versioning Status; none for a bucket never versioned.", output: ['Status'] },
  );
  s3.on(
    ListObjectVersionsCommand,
    (input, call: Call, model) => {
      const prefix = input.Prefix ?? '';
      const bucket = model.bucket(input.Bucket!, call, { listPrefix: prefix });
      if (input.Delimiter) {
        throw new Error('The fake S3 does not model Delimiter on ListObjectVersions yet: list with a Prefix instead.');
      }
      const max = input.MaxKeys === undefined ? MAX_KEYS_PER_PAGE : Number(input.MaxKeys);
      if (!Number.isInteger(max) || max < 0) {
        throw model.error('InvalidArgument', 'Argument max-keys must be an integer between 0 and 2147483647', call, { fields: { ArgumentName: 'max-keys' } });
      }
      const limit = Math.min(max, MAX_KEYS_PER_PAGE);
      const all = allVersions(bucket, prefix, { ID: model.canonicalId() });
      let start = 0;
      if (input.KeyMarker) {
        const marker = input.KeyMarker;
        if (input.VersionIdMarker) {
          const at = all.findIndex((v) => v.key === marker && v.versionId === input.VersionIdMarker);
          start = at >= 0 ? at + 1 : all.findIndex((v) => compareUtf8(v.key, marker) > 0);
        } else {
          start = all.findIndex((v) => compareUtf8(v.key, marker) > 0);
        }
        if (start < 0) start = all.length;
      }
      const page = all.slice(start, start + limit);
      const truncated = start + limit < all.length && limit > 0;
      const last = page.at(-1);
      const versions = page.filter((v) => !v.marker).map((v) => v.entry as SdkObjectVersion);
      const markers = page.filter((v) => v.marker).map((v) => v.entry as DeleteMarkerEntry);
      return {
        IsTruncated: truncated,
        KeyMarker: input.KeyMarker ?? '',
        VersionIdMarker: input.VersionIdMarker ?? '',
        ...(truncated && last ? { NextKeyMarker: last.key, NextVersionIdMarker: last.versionId } : {}),
        ...(versions.length ? { Versions: versions } : {}),
        ...(markers.length ? { DeleteMarkers: markers } : {}),
        Name: bucket.name,
        Prefix: prefix,
        MaxKeys: max,
      };
    },
    {
      httpLabels: ['Bucket'],
      doc: 'Every version and delete marker under a Prefix, keys in UTF-8 byte order and each key’s versions newest first; ≤ 1,000 a page with KeyMarker/VersionIdMarker (no Delimiter yet).',
      output: (o) => ({
        IsTruncated: o.IsTruncated,
        NextKeyMarker: o.NextKeyMarker,
        NextVersionIdMarker: o.NextVersionIdMarker,
        Versions: outputList(o.Versions, (v) => `${v.Key} ${v.VersionId}${v.IsLatest ? ' (latest)' : ''}`),
        DeleteMarkers: outputList(o.DeleteMarkers, (m) => `${m.Key} ${m.VersionId}`),
      }),
    },
  );
}
