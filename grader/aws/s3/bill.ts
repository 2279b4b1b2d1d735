// What a simulated S3 world costs: the bill follows the model's events (objects stored, read,
// restored, transitioned, removed; uploads started and aborted) over a billing window, adds up
// usage the way S3's bill does (GB-months by class and calendar month, requests, retrieved GB,
// early-deletion charges), and prices it with a dated price list (prices.ts).
//
//   const bill = new S3Bill(fake, { from: start, group: (bucket, key) => key.split('/')[0] });
//   fake.advanceTime(365 * DAY);                 // objects land, age, transition, expire
//   const summary = bill.close();                // lines and totals, per group
//
// Billing rules (aws.amazon.com/s3/pricing, footnotes, and the S3 User Guide, read 2026-11-30):
// - storage is byte-hours averaged over the calendar month; S3 Standard and Intelligent-Tiering's
//   Frequent Access tier are tiered by the month's volume (prices.ts);
// - Standard-IA, One Zone-IA and Glacier Instant Retrieval bill at least 128 KB an object;
//   Glacier Flexible Retrieval and Deep Archive add 32 KB an object at their rate and 8 KB at S3
//   Standard's;
// - an object deleted, overwritten or transitioned before its class's minimum duration (30, 90,
//   180 days) is billed the remaining days at its class's rate;
// - PUT, COPY and lifecycle transitions are billed per 1,000 by the class written; GET by the class
//   read, plus per-GB retrieval for Standard-IA, One Zone-IA and Glacier Instant Retrieval;
// - a restore bills its requests and GB by tier, and the temporary copy at S3 Standard's rate
//   until it expires ("you pay for both the archive and a copy that you restored temporarily");
// - Intelligent-Tiering moves an object of 128 KB or more to Infrequent Access after 30
//   consecutive days without access and to Archive Instant Access after 90, back to Frequent
//   Access when read, and bills monitoring per object-month; smaller objects stay in Frequent
//   Access, unmonitored;
// - the parts of an incomplete multipart upload are stored (and billed as S3 Standard) until the
//   upload completes or is aborted.
// Not billed here: LIST, HEAD and other requests the model does not announce, data transfer,
// delete markers (a key name's bytes each).

import type { S3Event, StoredObject } from './model.ts';
import { BYTES_PER_GB, US_EAST_1 } from './prices.ts';
import type { S3PriceList } from './prices.ts';
import { ARCHIVED, CLASS_TERMS, INTELLIGENT_TIERING_MINIMUM_BYTES } from './storage-classes.ts';
import type { RestoreTier, StorageClass } from './storage-classes.ts';

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/** Something whose S3 events the bill can follow: a FakeS3 (or its model). */
export interface ObservableS3 {
  observe(observer: (event: S3Event) => void): () => void;
}

export interface BillOptions {
  /** Start of the billing window; events before it are not billed, storage is billed from it. */
  from: Date;
  prices?: S3PriceList;
  /** How many real objects each stored object stands for (a simulation's cohorts); default 1. */
  weight?: (bucket: string, key: string) => number;
  /** The group an object's costs go to (a zone, a prefix); default ''. */
  group?: (bucket: string, key: string) => string;
}

/** One line of the bill: usage of one kind, in one group. */
export interface BillLine {
  group: string;
  /** e.g. 'storage STANDARD_IA', 'early deletion GLACIER', 'GET GLACIER_IR', 'transition DEEP_ARCHIVE', 'restore DEEP_ARCHIVE Standard'. */
  item: string;
  quantity: number;
  unit: 'GB-month' | 'requests' | 'GB' | 'object-months';
  cost: number;
}

export interface BillSummary {
  from: Date;
  to: Date;
  lines: BillLine[];
  total: number;
  /** Total per group. */
  byGroup: Record<string, number>;
}

interface Live {
  bucket: string;
  key: string;
  object: StoredObject;
  group: string;
  weight: number;
  /** Billed in its class from here (ms). */
  since: number;
  /** Intelligent-Tiering: the last access, which sets the access tier. */
  lastAccess: number;
}

type StorageItem = StorageClass | 'IT-infrequent' | 'IT-archive-instant';

function monthStart(ms: number): number {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
}

function nextMonth(ms: number): number {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
}

/** Bytes a class bills for an object of `size` (its minimum billable size and archive overhead). */
export function billableBytes(storageClass: StorageClass, size: number): number {
  const terms = CLASS_TERMS[storageClass];
  return Math.max(size, terms.minimumBillableBytes) + terms.overheadBytes;
}

export class S3Bill {
  readonly #prices: S3PriceList;
  readonly #from: number;
  readonly #weight: (bucket: string, key: string) => number;
  readonly #group: (bucket: string, key: string) => string;
  readonly #live = new Map<string, Live>();
  readonly #uploads = new Map<string, { group: string; weight: number; bytes: number; since: number }>();
  /** GB-months by calendar month (its start, ms), storage item and group. */
  readonly #storage = new Map<number, Map<StorageItem, Map<string, number>>>();
  /** Everything priced per unit: key `${group}\n${item}`. */
  readonly #usage = new Map<string, { group: string; item: string; unit: BillLine['unit']; quantity: number; price: number }>();
  readonly #stop: () => void;
  #closed: BillSummary | undefined;

  constructor(s3: ObservableS3, options: BillOptions) {
    this.#prices = options.prices ?? US_EAST_1;
    this.#from = options.from.getTime();
    this.#weight = options.weight ?? (() => 1);
    this.#group = options.group ?? (() => '');
    this.#stop = s3.observe((event) => this.#on(event));
  }

  /** Stop following the world and bill everything still stored up to `at`. */
  close(at: Date): BillSummary {
    if (this.#closed) return this.#closed;
    this.#stop();
    const end = at.getTime();
    for (const live of this.#live.values()) this.#accrue(live, end);
    for (const upload of this.#uploads.values()) this.#addStorage('STANDARD', upload.group, upload.bytes * upload.weight, upload.since, end);
    this.#closed = this.#summary(at);
    return this.#closed;
  }

  // ----- events ------------------------------------------------------------------------------

  #on(event: S3Event): void {
    const at = event.at.getTime();
    switch (event.kind) {
      case 'stored': {
        const live = this.#track(event.bucket, event.object, at);
        if (at >= this.#from) this.#count(live.group, `PUT ${event.object.storageClass}`, live.weight, this.#prices.putPer1000[event.object.storageClass]);
        return;
      }
      case 'read': {
        const live = this.#live.get(this.#id(event.bucket, event.object));
        if (!live) return;
        const cls = event.object.storageClass;
        if (cls === 'INTELLIGENT_TIERING') {
          this.#accrue(live, at);
          live.lastAccess = at;
        }
        if (at < this.#from) return;
        this.#count(live.group, `GET ${cls}`, live.weight, this.#prices.getPer1000[cls]);
        const perGb = this.#prices.retrievalPerGb[cls];
        if (perGb > 0) this.#add(live.group, `retrieval ${cls}`, 'GB', (event.bytes * live.weight) / BYTES_PER_GB, perGb);
        return;
      }
      case 'restore-requested': {
        const live = this.#live.get(this.#id(event.bucket, event.object));
        if (!live || at < this.#from || !ARCHIVED.has(event.object.storageClass)) return;
        const cls = event.object.storageClass as 'GLACIER' | 'DEEP_ARCHIVE';
        const tier: RestoreTier = event.restore.tier;
        const price = this.#prices.restore[cls][tier] ?? { per1000: 0, perGb: 0 };
        this.#count(live.group, `restore ${cls} ${tier}`, live.weight, price.per1000);
        if (event.extended) return;
        this.#add(live.group, `retrieval ${cls} ${tier}`, 'GB', (event.object.size * live.weight) / BYTES_PER_GB, price.perGb);
        // The temporary copy, at S3 Standard's rate, from when it is ready until it expires.
        this.#addStorage('STANDARD', live.group, event.object.size * live.weight, event.restore.readyAt.getTime(), event.restore.expiresAt.getTime(), 'restored copies');
        return;
      }
      case 'transitioned': {
        const live = this.#live.get(this.#id(event.bucket, event.before));
        if (!live) return;
        this.#accrue(live, at);
        this.#earlyCharge(live, at);
        if (at >= this.#from) this.#count(live.group, `transition ${event.after.storageClass}`, live.weight, this.#prices.transitionPer1000[event.after.storageClass]);
        live.object = event.after;
        live.since = at;
        live.lastAccess = at;
        return;
      }
      case 'removed': {
        const id = this.#id(event.bucket, event.object);
        const live = this.#live.get(id);
        if (!live) return;
        this.#accrue(live, at);
        this.#earlyCharge(live, at);
        this.#live.delete(id);
        return;
      }
      case 'upload-started':
        this.#uploads.set(event.upload.uploadId, {
          group: this.#group(event.bucket, event.upload.key),
          weight: this.#weight(event.bucket, event.upload.key),
          bytes: event.upload.bytes,
          since: at,
        });
        return;
      case 'upload-aborted': {
        const upload = this.#uploads.get(event.upload.uploadId);
        if (!upload) return;
        this.#addStorage('STANDARD', upload.group, upload.bytes * upload.weight, upload.since, at, 'incomplete uploads');
        this.#uploads.delete(event.upload.uploadId);
        return;
      }
    }
  }

  #id(bucket: string, object: StoredObject): string {
    return `${bucket}\n${object.key}\n${object.versionId}`;
  }

  #track(bucket: string, object: StoredObject, at: number): Live {
    const live: Live = {
      bucket,
      key: object.key,
      object,
      group: this.#group(bucket, object.key),
      weight: this.#weight(bucket, object.key),
      since: at,
      lastAccess: at,
    };
    this.#live.set(this.#id(bucket, object), live);
    return live;
  }

  // ----- accrual -----------------------------------------------------------------------------

  /** Bill `live`'s storage from its last accrual to `to`, and move its accrual point there. */
  #accrue(live: Live, to: number): void {
    const from = live.since;
    if (to <= from) return;
    const object = live.object;
    const cls = object.storageClass;
    const weight = live.weight;
    if (cls === 'INTELLIGENT_TIERING' && object.size >= INTELLIGENT_TIERING_MINIMUM_BYTES) {
      // Access tiers by time since the last access: Frequent < 30 days ≤ Infrequent < 90 days ≤ Archive Instant.
      const bounds: [number, StorageItem][] = [
        [live.lastAccess + 30 * DAY_MS, 'INTELLIGENT_TIERING'],
        [live.lastAccess + 90 * DAY_MS, 'IT-infrequent'],
        [Infinity, 'IT-archive-instant'],
      ];
      let start = from;
      for (const [until, item] of bounds) {
        const end = Math.min(until, to);
        if (end > start) this.#addStorage(item, live.group, object.size * weight, start, end);
        start = Math.max(start, end);
      }
      const months = this.#monthsIn(from, to);
      if (months > 0) this.#add(live.group, 'monitoring INTELLIGENT_TIERING', 'object-months', months * weight, this.#prices.intelligentTiering.monitoringPer1000ObjectMonths / 1000);
    } else {
      this.#addStorage(cls, live.group, billableBytes(cls, object.size) * weight, from, to);
      const overhead = CLASS_TERMS[cls].overheadStandardBytes;
      if (overhead) this.#addStorage('STANDARD', live.group, overhead * weight, from, to, 'archive overhead');
    }
    live.since = to;
  }

  /** Leaving a class before its minimum duration: the remaining days, billed at its rate. */
  #earlyCharge(live: Live, at: number): void {
    if (at < this.#from) return;
    const object = live.object;
    const minimumDays = CLASS_TERMS[object.storageClass].minimumDays;
    const end = object.classSince.getTime() + minimumDays * DAY_MS;
    if (at >= end) return;
    const gbMonths = ((billableBytes(object.storageClass, object.size) * live.weight) / BYTES_PER_GB) * ((end - at) / (nextMonth(at) - monthStart(at)));
    this.#add(live.group, `early deletion ${object.storageClass}`, 'GB-month', gbMonths, this.#storagePrice(object.storageClass));
  }

  /** Object-months of [from, to) inside the window. */
  #monthsIn(from: number, to: number): number {
    let months = 0;
    for (let start = Math.max(from, this.#from); start < to; start = nextMonth(start)) {
      const end = Math.min(to, nextMonth(start));
      months += (end - start) / (nextMonth(start) - monthStart(start));
    }
    return months;
  }

  /** `bytes` stored over [from, to) (clipped to the window), as GB-months by calendar month. */
  #addStorage(item: StorageItem, group: string, bytes: number, from: number, to: number, note?: string): void {
    const label = note ? `${item}|${note}` : item;
    for (let start = Math.max(from, this.#from); start < to; start = nextMonth(start)) {
      const month = monthStart(start);
      const end = Math.min(to, nextMonth(start));
      const gbMonths = (bytes / BYTES_PER_GB) * ((end - start) / (nextMonth(start) - month));
      let byItem = this.#storage.get(month);
      if (!byItem) this.#storage.set(month, (byItem = new Map()));
      let byGroup = byItem.get(label as StorageItem);
      if (!byGroup) byItem.set(label as StorageItem, (byGroup = new Map()));
      byGroup.set(group, (byGroup.get(group) ?? 0) + gbMonths);
    }
  }

  #storagePrice(cls: StorageClass): number {
    return this.#prices.storage[cls][0]!.perGbMonth;
  }

  #count(group: string, item: string, requests: number, per1000: number): void {
    this.#add(group, item, 'requests', requests, per1000 / 1000);
  }

  #add(group: string, item: string, unit: BillLine['unit'], quantity: number, price: number): void {
    const key = `${group}\n${item}`;
    const line = this.#usage.get(key);
    if (line) line.quantity += quantity;
    else this.#usage.set(key, { group, item, unit, quantity, price });
  }

  // ----- pricing -----------------------------------------------------------------------------

  #summary(to: Date): BillSummary {
    const lines = new Map<string, BillLine>();
    const addLine = (group: string, item: string, unit: BillLine['unit'], quantity: number, cost: number) => {
      const key = `${group}\n${item}`;
      const line = lines.get(key);
      if (line) {
        line.quantity += quantity;
        line.cost += cost;
      } else lines.set(key, { group, item, unit, quantity, cost });
    };
    for (const byItem of this.#storage.values()) {
      // Tiered classes are priced on the month's total volume across every item billed at their rate, then shared out.
      const tieredTotals = new Map<StorageClass, number>();
      for (const [label, byGroup] of byItem) {
        const cls = label.split('|')[0] as StorageItem;
        if (cls === 'STANDARD' || cls === 'INTELLIGENT_TIERING') {
          const tierClass = cls;
          tieredTotals.set(tierClass, (tieredTotals.get(tierClass) ?? 0) + [...byGroup.values()].reduce((a, b) => a + b, 0));
        }
      }
      const averagePrice = new Map<StorageClass, number>();
      for (const [cls, total] of tieredTotals) averagePrice.set(cls, this.#tieredCost(cls, total) / (total || 1));
      for (const [label, byGroup] of byItem) {
        const [cls, note] = label.split('|') as [StorageItem, string | undefined];
        const price =
          cls === 'IT-infrequent'
            ? this.#prices.intelligentTiering.infrequentPerGbMonth
            : cls === 'IT-archive-instant'
              ? this.#prices.intelligentTiering.archiveInstantPerGbMonth
              : (averagePrice.get(cls) ?? this.#storagePrice(cls));
        const item =
          cls === 'IT-infrequent'
            ? 'storage INTELLIGENT_TIERING (Infrequent Access)'
            : cls === 'IT-archive-instant'
              ? 'storage INTELLIGENT_TIERING (Archive Instant Access)'
              : `storage ${cls}${note ? ` (${note})` : ''}`;
        for (const [group, gbMonths] of byGroup) addLine(group, item, 'GB-month', gbMonths, gbMonths * price);
      }
    }
    for (const u of this.#usage.values()) addLine(u.group, u.item, u.unit, u.quantity, u.quantity * u.price);
    const sorted = [...lines.values()].sort((a, b) => a.group.localeCompare(b.group) || a.item.localeCompare(b.item));
    const byGroup: Record<string, number> = {};
    for (const line of sorted) byGroup[line.group] = (byGroup[line.group] ?? 0) + line.cost;
    return { from: new Date(this.#from), to, lines: sorted, total: sorted.reduce((sum, l) => sum + l.cost, 0), byGroup };
  }

  #tieredCost(cls: StorageClass, gbMonths: number): number {
    let cost = 0;
    let below = 0;
    for (const tier of this.#prices.storage[cls]) {
      const inTier = Math.max(0, Math.min(gbMonths, tier.upToGb) - below);
      cost += inTier * tier.perGbMonth;
      below = tier.upToGb;
      if (gbMonths <= below) break;
    }
    return cost;
  }
}
