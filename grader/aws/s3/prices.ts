// S3 prices in US East (N. Virginia), in one place, dated. The bill (bill.ts) prices what a
// simulation did with them; labs may hand them to learners.
//
// Source: https://aws.amazon.com/s3/pricing/ ("Storage & requests", US East (N. Virginia)), read
// 2026-11-30 through the copies in the search corpus, cross-checked with the AWS Knowledge Center
// article "How can I manage data retrieval and storage costs for S3 Glacier Flexible Retrieval or
// S3 Glacier Deep Archive?" (Standard retrieval of Glacier Flexible Retrieval: $0.05 per 1,000
// requests and $0.01 per GB; Expedited: $10 per 1,000 and $0.03 per GB) and with third-party
// price tables of 2026 (Glacier Flexible Retrieval Bulk retrievals free; Deep Archive Standard
// $0.10 per 1,000 and $0.02 per GB, Bulk $0.025 per 1,000 and $0.0025 per GB). S3 bills a GB as
// 2^30 bytes, storage by the byte-hour averaged over the month ("GB-month"), requests per 1,000.
// Storage prices are the first tier (the first 50 TB a month); S3 Standard and Intelligent-Tiering's
// Frequent Access tier cost $0.022 per GB-month for the next 450 TB and $0.021 above 500 TB.

import type { RestoreTier, StorageClass } from './storage-classes.ts';

export interface StorageTier {
  /** Up to this many GB a month at this price (Infinity for the last tier). */
  upToGb: number;
  perGbMonth: number;
}

export interface S3PriceList {
  region: string;
  /** When the prices were read from the source. */
  asOf: string;
  source: string;
  /** $ per GB-month by class; tiers by the month's volume where S3 has them. */
  storage: Readonly<Record<StorageClass, readonly StorageTier[]>>;
  /** Intelligent-Tiering's access tiers other than Frequent Access (which is `storage.INTELLIGENT_TIERING`). */
  intelligentTiering: { infrequentPerGbMonth: number; archiveInstantPerGbMonth: number; monitoringPer1000ObjectMonths: number };
  /** $ per 1,000 PUT, COPY, POST and LIST requests, by the class written. */
  putPer1000: Readonly<Record<StorageClass, number>>;
  /** $ per 1,000 GET and SELECT requests, by the class read. */
  getPer1000: Readonly<Record<StorageClass, number>>;
  /** $ per 1,000 lifecycle transition requests, by the class moved into. */
  transitionPer1000: Readonly<Record<StorageClass, number>>;
  /** $ per GB read from the classes that charge retrieval on GET. */
  retrievalPerGb: Readonly<Record<StorageClass, number>>;
  /** Restores of archived classes: $ per 1,000 requests and per GB, by tier. */
  restore: Readonly<Record<'GLACIER' | 'DEEP_ARCHIVE', Partial<Record<RestoreTier, { per1000: number; perGb: number }>>>>;
}

const flat = (perGbMonth: number): readonly StorageTier[] => [{ upToGb: Infinity, perGbMonth }];
const standardTiers: readonly StorageTier[] = [
  { upToGb: 50 * 1024, perGbMonth: 0.023 },
  { upToGb: 500 * 1024, perGbMonth: 0.022 },
  { upToGb: Infinity, perGbMonth: 0.021 },
];

export const US_EAST_1: S3PriceList = {
  region: 'us-east-1',
  asOf: '2026-11-30',
  source: 'https://aws.amazon.com/s3/pricing/',
  storage: {
    STANDARD: standardTiers,
    INTELLIGENT_TIERING: standardTiers,
    STANDARD_IA: flat(0.0125),
    ONEZONE_IA: flat(0.01),
    GLACIER_IR: flat(0.004),
    GLACIER: flat(0.0036),
    DEEP_ARCHIVE: flat(0.00099),
  },
  intelligentTiering: { infrequentPerGbMonth: 0.0125, archiveInstantPerGbMonth: 0.004, monitoringPer1000ObjectMonths: 0.0025 },
  putPer1000: {
    STANDARD: 0.005,
    INTELLIGENT_TIERING: 0.005,
    STANDARD_IA: 0.01,
    ONEZONE_IA: 0.01,
    GLACIER_IR: 0.02,
    GLACIER: 0.03,
    DEEP_ARCHIVE: 0.05,
  },
  getPer1000: {
    STANDARD: 0.0004,
    INTELLIGENT_TIERING: 0.0004,
    STANDARD_IA: 0.001,
    ONEZONE_IA: 0.001,
    GLACIER_IR: 0.01,
    GLACIER: 0.0004,
    DEEP_ARCHIVE: 0.0004,
  },
  transitionPer1000: {
    STANDARD: 0,
    INTELLIGENT_TIERING: 0.01,
    STANDARD_IA: 0.01,
    ONEZONE_IA: 0.01,
    GLACIER_IR: 0.02,
    GLACIER: 0.03,
    DEEP_ARCHIVE: 0.05,
  },
  retrievalPerGb: {
    STANDARD: 0,
    INTELLIGENT_TIERING: 0,
    STANDARD_IA: 0.01,
    ONEZONE_IA: 0.01,
    GLACIER_IR: 0.03,
    GLACIER: 0,
    DEEP_ARCHIVE: 0,
  },
  restore: {
    GLACIER: { Expedited: { per1000: 10, perGb: 0.03 }, Standard: { per1000: 0.05, perGb: 0.01 }, Bulk: { per1000: 0, perGb: 0 } },
    DEEP_ARCHIVE: { Standard: { per1000: 0.1, perGb: 0.02 }, Bulk: { per1000: 0.025, perGb: 0.0025 } },
  },
};

/** Bytes in a GB as S3 bills it (2^30). */
export const BYTES_PER_GB = 1024 ** 3;
