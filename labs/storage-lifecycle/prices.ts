// The price table the learner's functions receive: S3's us-east-1 prices (the fake's dated list,
// grader/aws/s3/prices.ts) with each class's billing terms (grader/aws/s3/storage-classes.ts), in
// the lab's own shape (starter/lifecycle.ts, PriceTable). Hidden checks also hand out tables with
// other prices, drawn from the seed, so code that hard-codes this year's numbers shows.

import { between, pick } from 'whetstone/checks';
import type { Random } from 'whetstone/checks';
import { CLASS_TERMS, RESTORE_HOURS, STORAGE_CLASSES, US_EAST_1 } from 'whetstone/aws/s3';
import type { S3PriceList } from 'whetstone/aws/s3';
import type { ClassPrices, PriceTable, StorageClass } from './starter/lifecycle.ts';

export type { ClassPrices, PriceTable, StorageClass };

const KIB = 1024;

/** The learner's table for a price list: a GB-month, an entry request, a GET, a retrieval, a restore per class. */
export function priceTable(list: S3PriceList): PriceTable {
  const classes = {} as Record<StorageClass, ClassPrices>;
  for (const cls of STORAGE_CLASSES) {
    const terms = CLASS_TERMS[cls];
    const archived = cls === 'GLACIER' || cls === 'DEEP_ARCHIVE';
    const restore = archived ? list.restore[cls].Standard! : undefined;
    classes[cls] = {
      storagePerGbMonth: list.storage[cls][0]!.perGbMonth,
      entryPer1000: cls === 'STANDARD' ? list.putPer1000.STANDARD : list.transitionPer1000[cls],
      getPer1000: list.getPer1000[cls],
      retrievalPerGb: restore ? restore.perGb : list.retrievalPerGb[cls],
      restorePer1000: restore ? restore.per1000 : 0,
      monitoringPer1000: cls === 'INTELLIGENT_TIERING' ? list.intelligentTiering.monitoringPer1000ObjectMonths : 0,
      minimumDays: terms.minimumDays,
      minimumBillableKiB: terms.minimumBillableBytes / KIB,
      overheadKiB: terms.overheadBytes / KIB,
      overheadStandardKiB: terms.overheadStandardBytes / KIB,
      firstByteHours: archived ? RESTORE_HOURS[cls].Standard! : 0,
    };
  }
  return { region: list.region, asOf: list.asOf, classes };
}

/** us-east-1, as the lab's steps quote it. */
export const PRICES: PriceTable = priceTable(US_EAST_1);

/**
 * A price list that is not this year's us-east-1: every price scaled by its own factor drawn from
 * the seed (storage 0.6–1.6×, requests and retrievals 0.5–2×), the billing terms unchanged.
 */
export function otherPriceList(random: Random): S3PriceList {
  const scale = (value: number, low: number, high: number) => Math.round(value * (low + random() * (high - low)) * 1e6) / 1e6;
  const perClass = <T>(make: (cls: StorageClass) => T) => Object.fromEntries(STORAGE_CLASSES.map((cls) => [cls, make(cls)])) as Record<StorageClass, T>;
  const storage = perClass((cls) => US_EAST_1.storage[cls].map((tier) => ({ ...tier, perGbMonth: scale(tier.perGbMonth, 0.6, 1.6) })));
  // Intelligent-Tiering's Frequent Access tier is S3 Standard's price, wherever you are.
  storage.INTELLIGENT_TIERING = storage.STANDARD;
  const requests = (table: Readonly<Record<StorageClass, number>>) => perClass((cls) => scale(table[cls], 0.5, 2));
  const region = pick(random, ['eu-central-1', 'ap-southeast-2', 'sa-east-1', 'us-west-1']);
  return {
    region,
    asOf: `20${between(random, 27, 30)}-0${between(random, 1, 9)}-1${between(random, 0, 9)}`,
    source: 'hypothetical: us-east-1 prices, each scaled by a factor drawn from the seed',
    storage,
    intelligentTiering: {
      infrequentPerGbMonth: scale(US_EAST_1.intelligentTiering.infrequentPerGbMonth, 0.6, 1.6),
      archiveInstantPerGbMonth: scale(US_EAST_1.intelligentTiering.archiveInstantPerGbMonth, 0.6, 1.6),
      monitoringPer1000ObjectMonths: scale(US_EAST_1.intelligentTiering.monitoringPer1000ObjectMonths, 0.5, 2),
    },
    putPer1000: requests(US_EAST_1.putPer1000),
    getPer1000: requests(US_EAST_1.getPer1000),
    transitionPer1000: requests(US_EAST_1.transitionPer1000),
    retrievalPerGb: requests(US_EAST_1.retrievalPerGb),
    restore: {
      GLACIER: {
        Standard: { per1000: scale(0.05, 0.5, 2), perGb: scale(0.01, 0.5, 2) },
        Bulk: { per1000: 0, perGb: 0 },
        Expedited: { per1000: 10, perGb: 0.03 },
      },
      DEEP_ARCHIVE: { Standard: { per1000: scale(0.1, 0.5, 2), perGb: scale(0.02, 0.5, 2) }, Bulk: { per1000: 0.025, perGb: 0.0025 } },
    },
  };
}
