// The needs the public checks of steps 1 and 2 ask about, as the steps' examples describe them.

import type { StorageNeed } from './starter/lifecycle.ts';

const need = (n: Partial<StorageNeed>): StorageNeed => ({
  objects: 1000,
  objectKiB: 1024,
  days: 90,
  readsPerMonth: 1,
  readWithinHours: 0,
  recreatable: false,
  accessKnown: true,
  ...n,
});

export const NEEDS = {
  /** Fresh features: read twenty times a month for a quarter. */
  hotFeatures: need({ objects: 20_000, objectKiB: 4096, days: 90, readsPerMonth: 20 }),
  /** Unknown access: a shared notebook's outputs. */
  notebookOutputs: need({ objects: 5_000, objectKiB: 2048, days: 180, readsPerMonth: 1, accessKnown: false }),
  /** Unknown access, but objects too small for Intelligent-Tiering's monitoring. */
  tinyUnknown: need({ objects: 100_000, objectKiB: 24, days: 180, readsPerMonth: 1, accessKnown: false }),
  /** A short stay in STANDARD_IA: billed the 30-day minimum. */
  tenDaysInIa: need({ objects: 2_000, objectKiB: 8192, days: 10, readsPerMonth: 0.5 }),
  /** Small objects in ONEZONE_IA: billed at 128 KiB each. */
  smallInOneZone: need({ objects: 50_000, objectKiB: 16, days: 60, readsPerMonth: 0.5, recreatable: true }),
  /** Forty days in GLACIER: the 90-day minimum and 40 KiB of overhead an object. */
  fortyDaysInGlacier: need({ objects: 3_000, objectKiB: 65_536, days: 40, readsPerMonth: 1 / 6, readWithinHours: 12 }),
  /** A year in DEEP_ARCHIVE, restored twice. */
  yearInDeepArchive: need({ objects: 1_000, objectKiB: 262_144, days: 365, readsPerMonth: 1 / 6, readWithinHours: 48 }),
  /** Read monthly, at once, kept half a year, irreplaceable. */
  monthlyReports: need({ objects: 10_000, objectKiB: 8192, days: 180, readsPerMonth: 1, readWithinHours: 0 }),
  /** Rarely read audit data that must answer at once. */
  auditInstant: need({ objects: 10_000, objectKiB: 16_384, days: 365, readsPerMonth: 1 / 12, readWithinHours: 0 }),
  /** Rarely read audit data that can wait 5 hours. */
  auditFiveHours: need({ objects: 10_000, objectKiB: 16_384, days: 365, readsPerMonth: 1 / 12, readWithinHours: 5 }),
  /** Raw data kept for years, read twice a year, can wait two days. */
  coldRaw: need({ objects: 10_000, objectKiB: 65_536, days: 730, readsPerMonth: 1 / 6, readWithinHours: 48 }),
  /** Recreatable training shards read monthly. */
  rebuildableShards: need({ objects: 10_000, objectKiB: 8192, days: 180, readsPerMonth: 1, recreatable: true }),
};
