// S3 Lifecycle on FakeS3: the bucket configuration operations with S3's own validation and
// error messages, and the engine that applies the rules at every midnight UTC.
//
//   s3.setLifecycle('lake', { Rules: [...] });          // or PutBucketLifecycleConfiguration
//   s3.advanceTime(30 * 86_400_000);                    // 30 midnights: transitions, expirations, aborts
//
// Sources, read 2026-11-30:
// - @aws-sdk/client-s3 3.1175 model documentation (the S3 API Reference text):
//   PutBucketLifecycleConfiguration ("up to 1,000 rules. This limit is not adjustable";
//   "this will overwrite an existing lifecycle configuration"); LifecycleRule (ID "cannot be
//   longer than 255 characters"; Filter "must have exactly one of Prefix, Tag,
//   ObjectSizeGreaterThan, ObjectSizeLessThan, or And"; "Filter is required if the LifecycleRule
//   does not contain a Prefix element"); LifecycleExpiration (Days "a non-zero positive integer";
//   Date "always midnight UTC"; ExpiredObjectDeleteMarker "cannot be specified with Days or Date
//   in a Lifecycle Expiration Policy"); Transition (Days "0 or any positive integer");
//   NoncurrentVersionExpiration (NoncurrentDays "a non-zero positive integer",
//   NewerNoncurrentVersions); GetBucketLifecycleConfigurationOutput.TransitionDefaultMinimumObjectSize
//   (all_storage_classes_128K: "Objects smaller than 128 KB will not transition to any storage
//   class by default"; varies_by_storage_class: they "will transition to Glacier Flexible
//   Retrieval or Glacier Deep Archive"; "Custom filters always take precedence over the default
//   transition behavior"); the Transition API page of the AWS documentation (STANDARD_IA and
//   ONEZONE_IA: "valid values are positive integers greater than 30").
// - S3 User Guide, "Lifecycle configuration elements" and "Transitioning objects" as quoted in the
//   sources below: days are counted "from the object creation time", "rounding the resulting time
//   to the next day midnight UTC" (created 1/15/2014 10:30 AM UTC + 3 days: 1/19/2014 00:00 UTC);
//   noncurrent days from when the successor was created; on conflicts "permanent deletion takes
//   precedence over transition", "transition takes precedence over creation of delete markers",
//   and the colder class wins; supported transitions (storage-classes.ts); lifecycle runs at
//   00:00 UTC daily (AWS Knowledge Center, "Why isn't my Amazon S3 lifecycle configuration rule
//   transitioning objects into the INTELLIGENT_TIERING storage class?").
// - S3's error codes and messages as S3 answers them, recorded in deployment logs and S3-compatible
//   servers' conformance tests in public repositories: "'Days' in Transition action must be greater
//   than or equal to 30 for storageClass 'STANDARD_IA'", "'Days' in the Expiration action for
//   filter '(prefix=)' must be greater than 'Days' in the Transition action" (InvalidArgument);
//   "Days in the Transition action for StorageClass DEEP_ARCHIVE must be 90 days more than
//   Transition for StorageClass GLACIER_IR"; "AbortIncompleteMultipartUpload cannot be specified
//   with Tags." (InvalidRequest); "Rule ID must be unique. Found same ID for more than one rule";
//   "ID length should not exceed allowed limit of 255"; "The number of lifecycle rules must not
//   exceed the allowed limit of 1000 rules."; NoSuchLifecycleConfiguration (404) "The lifecycle
//   configuration does not exist".

import {
  DeleteBucketLifecycleCommand,
  GetBucketLifecycleConfigurationCommand,
  PutBucketLifecycleConfigurationCommand,
} from '@aws-sdk/client-s3';
import type { LifecycleRule, S3Client } from '@aws-sdk/client-s3';
import { concat, toBase64, utf8 } from '../bytes.ts';
import { md5 } from '../md5.ts';
import type { Call } from '../mock.ts';
import type { FakeAwsService } from '../service.ts';
import { isDeleteMarker, withState } from './model.ts';
import type { DeleteMarker, MultipartUpload, S3Bucket, S3Model, StoredObject } from './model.ts';
import {
  CLASS_TERMS,
  COLDNESS,
  DEFAULT_TRANSITION_MINIMUM_BYTES,
  THIRTY_DAY_CLASSES,
  TRANSITION_STORAGE_CLASSES,
  canTransition,
} from './storage-classes.ts';
import type { StorageClass } from './storage-classes.ts';

/** "An Amazon S3 Lifecycle configuration can have up to 1,000 rules. This limit is not adjustable." */
export const MAX_LIFECYCLE_RULES = 1000;
/** "Unique identifier for the rule. The value cannot be longer than 255 characters." */
export const MAX_RULE_ID_LENGTH = 255;
/** A filter matches objects of at most this many bytes (5 TB, S3's largest object, × 200: the API's bound). */
const MAX_FILTER_SIZE = 1_099_511_627_776_000;

export type TransitionMinimumSize = 'all_storage_classes_128K' | 'varies_by_storage_class';

/** What a bucket keeps: its rules (each with an ID) and the default minimum size for transitions. */
export interface LifecycleConfiguration {
  Rules: LifecycleRule[];
  TransitionDefaultMinimumObjectSize?: TransitionMinimumSize;
}

/** A configuration S3 refuses: its error code and message, as S3 answers. */
export interface LifecycleProblem {
  code: 'MalformedXML' | 'InvalidArgument' | 'InvalidRequest';
  message: string;
}

/** Thrown by FakeS3.setLifecycle for a configuration S3 would refuse. */
export class LifecycleConfigurationError extends Error {
  override name = 'LifecycleConfigurationError';
  readonly code: string;
  constructor(code: string, message: string) {
    super(`${code}: ${message}`);
    this.code = code;
  }
}

const MALFORMED = 'The XML you provided was not well-formed or did not validate against our published schema';
const DAY_MS = 86_400_000;

// ---------------------------------------------------------------------------------------------
// Reading a rule as S3 reads its XML: numbers may come as numeric strings, anything else that is
// not the schema's type is malformed.

class Refusal extends Error {
  readonly problem: LifecycleProblem;
  constructor(problem: LifecycleProblem) {
    super(problem.message);
    this.problem = problem;
  }
}

const refuse = (code: LifecycleProblem['code'], message: string): never => {
  throw new Refusal({ code, message });
};
const malformed = (): never => refuse('MalformedXML', MALFORMED);

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** An integer member as S3 parses it; undefined when absent. */
function integer(value: unknown): number | undefined {
  if (value === undefined || value === null) return undefined;
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n)) return malformed();
  return n;
}

/** A timestamp member: a Date or an ISO string; undefined when absent. */
function timestamp(value: unknown): Date | undefined {
  if (value === undefined || value === null) return undefined;
  const date = value instanceof Date ? value : typeof value === 'string' ? new Date(value) : undefined;
  if (!date || Number.isNaN(date.getTime())) return malformed();
  return date;
}

function optionalString(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') return malformed();
  return value;
}

/** The filter of a rule, compiled: what an object version must be for the rule to apply. */
export interface CompiledFilter {
  prefix: string;
  tags: readonly { key: string; value: string }[];
  larger: number | undefined;
  smaller: number | undefined;
  /** The rule names a size itself, so the default 128 KB transition minimum does not apply. */
  sized: boolean;
  /** How S3's messages name the filter: '(prefix=raw/)'. */
  label: string;
}

function readTag(value: unknown): { key: string; value: string } {
  if (!isRecord(value)) return malformed();
  const key = optionalString(value.Key);
  const tagValue = optionalString(value.Value);
  if (key === undefined || tagValue === undefined) return malformed();
  return { key, value: tagValue };
}

function compileFilter(rule: Record<string, unknown>, v2: boolean): CompiledFilter {
  const basePrefix = rule.Prefix;
  const filter = rule.Filter;
  if (filter === undefined || filter === null) {
    if (basePrefix === undefined || basePrefix === null) return malformed();
    if (v2) refuse('InvalidRequest', 'Base level prefix cannot be used in Lifecycle V2, prefixes are only supported in the Filter.');
    const prefix = optionalString(basePrefix) ?? '';
    return { prefix, tags: [], larger: undefined, smaller: undefined, sized: false, label: `(prefix=${prefix})` };
  }
  if (!v2) refuse('InvalidRequest', 'Filter element can only be used in Lifecycle V2.');
  if (basePrefix !== undefined && basePrefix !== null) {
    refuse('InvalidRequest', 'Base level prefix cannot be used in Lifecycle V2, prefixes are only supported in the Filter.');
  }
  if (!isRecord(filter)) return malformed();
  const members = ['Prefix', 'Tag', 'ObjectSizeGreaterThan', 'ObjectSizeLessThan', 'And'].filter((m) => filter[m] !== undefined && filter[m] !== null);
  if (members.length > 1) return malformed();
  let prefix = '';
  let tags: { key: string; value: string }[] = [];
  let larger: number | undefined;
  let smaller: number | undefined;
  const source = members[0] === 'And' ? filter.And : filter;
  if (!isRecord(source)) return malformed();
  prefix = optionalString(source.Prefix) ?? '';
  if (members[0] === 'And') {
    if (source.Tags !== undefined && source.Tags !== null) {
      if (!Array.isArray(source.Tags)) return malformed();
      tags = source.Tags.map(readTag);
    }
  } else if (source.Tag !== undefined && source.Tag !== null) {
    tags = [readTag(source.Tag)];
  }
  larger = integer(source.ObjectSizeGreaterThan);
  smaller = integer(source.ObjectSizeLessThan);
  if (new Set(tags.map((t) => t.key)).size !== tags.length) refuse('InvalidRequest', 'Duplicate Tag Keys are not allowed.');
  if (larger !== undefined && (larger < 0 || larger > MAX_FILTER_SIZE)) refuse('InvalidRequest', "'ObjectSizeGreaterThan' should be between 0 and 1099511627776000.");
  if (smaller !== undefined && (smaller < 1 || smaller > MAX_FILTER_SIZE)) refuse('InvalidRequest', "'ObjectSizeLessThan' should be between 1 and 1099511627776000.");
  if (larger !== undefined && smaller !== undefined && smaller <= larger) {
    refuse('InvalidRequest', "'ObjectSizeLessThan' has to be a value greater than 'ObjectSizeGreaterThan'.");
  }
  const parts = [`prefix=${prefix}`, ...tags.map((t) => `tag=${t.key}:${t.value}`)];
  if (larger !== undefined) parts.push(`objectsizegreaterthan=${larger}`);
  if (smaller !== undefined) parts.push(`objectsizelessthan=${smaller}`);
  return { prefix, tags, larger, smaller, sized: larger !== undefined || smaller !== undefined, label: `(${parts.join(' and ')})` };
}

/** A rule as the engine applies it. */
export interface CompiledRule {
  id: string;
  enabled: boolean;
  filter: CompiledFilter;
  expiration: { days?: number; date?: Date; expiredObjectDeleteMarker?: boolean } | undefined;
  transitions: { days?: number; date?: Date; storageClass: StorageClass }[];
  noncurrentExpiration: { days: number; newer: number | undefined } | undefined;
  noncurrentTransitions: { days: number; newer: number | undefined; storageClass: StorageClass }[];
  abortDays: number | undefined;
}

function transitionClass(value: unknown): StorageClass {
  if (typeof value !== 'string' || !TRANSITION_STORAGE_CLASSES.includes(value as StorageClass)) return malformed();
  return value as StorageClass;
}

function atMidnight(date: Date): boolean {
  return date.getTime() % DAY_MS === 0;
}

function positive(n: number | undefined, message: string): number | undefined {
  if (n !== undefined && n < 1) refuse('InvalidArgument', message);
  return n;
}

function compileRule(raw: unknown, v2: boolean): CompiledRule {
  if (!isRecord(raw)) return malformed();
  if (raw.Status !== 'Enabled' && raw.Status !== 'Disabled') return malformed();
  const filter = compileFilter(raw, v2);
  const hasActions = ['Expiration', 'Transitions', 'NoncurrentVersionTransitions', 'NoncurrentVersionExpiration', 'AbortIncompleteMultipartUpload'].some((member) => {
    const value = raw[member];
    return value !== undefined && value !== null && !(Array.isArray(value) && value.length === 0);
  });
  if (!hasActions) refuse('InvalidRequest', 'At least one action needs to be specified in a rule');

  let expiration: CompiledRule['expiration'];
  if (raw.Expiration !== undefined && raw.Expiration !== null) {
    if (!isRecord(raw.Expiration)) return malformed();
    const days = integer(raw.Expiration.Days);
    const date = timestamp(raw.Expiration.Date);
    const marker = raw.Expiration.ExpiredObjectDeleteMarker;
    if (marker !== undefined && marker !== null && typeof marker !== 'boolean') return malformed();
    if (marker !== undefined && marker !== null && (days !== undefined || date !== undefined)) {
      refuse('InvalidArgument', 'ExpiredObjectDeleteMarker cannot be specified with Days or Date in a Lifecycle Expiration Policy.');
    }
    if (days !== undefined && date !== undefined) return malformed();
    if (days === undefined && date === undefined && (marker === undefined || marker === null)) return malformed();
    positive(days, "'Days' for Expiration action must be a positive integer");
    if (date && !atMidnight(date)) refuse('InvalidArgument', "'Date' must be at midnight GMT");
    if (typeof marker === 'boolean') {
      if (filter.tags.length) refuse('InvalidRequest', 'ExpiredObjectDeleteMarker cannot be specified with Tags.');
      if (filter.sized) refuse('InvalidRequest', 'ExpiredObjectDeleteMarker cannot be specified with Object Size.');
    }
    expiration = { ...(days !== undefined ? { days } : {}), ...(date ? { date } : {}), ...(typeof marker === 'boolean' ? { expiredObjectDeleteMarker: marker } : {}) };
  }

  let noncurrentExpiration: CompiledRule['noncurrentExpiration'];
  if (raw.NoncurrentVersionExpiration !== undefined && raw.NoncurrentVersionExpiration !== null) {
    const nve = raw.NoncurrentVersionExpiration;
    if (!isRecord(nve)) return malformed();
    const days = integer(nve.NoncurrentDays);
    if (days === undefined) return malformed();
    positive(days, "'NoncurrentDays' for NoncurrentVersionExpiration action must be a positive integer");
    const newer = integer(nve.NewerNoncurrentVersions);
    if (newer !== undefined && !v2) refuse('InvalidRequest', 'NewerNoncurrentVersions element can only be used in Lifecycle V2.');
    positive(newer, "'NewerNoncurrentVersions' must be a positive integer");
    noncurrentExpiration = { days, newer };
  }

  let abortDays: number | undefined;
  if (raw.AbortIncompleteMultipartUpload !== undefined && raw.AbortIncompleteMultipartUpload !== null) {
    if (!isRecord(raw.AbortIncompleteMultipartUpload)) return malformed();
    abortDays = integer(raw.AbortIncompleteMultipartUpload.DaysAfterInitiation);
    if (abortDays === undefined) return malformed();
    positive(abortDays, "'DaysAfterInitiation' for AbortIncompleteMultipartUpload action must be a positive integer");
    if (filter.tags.length) refuse('InvalidRequest', 'AbortIncompleteMultipartUpload cannot be specified with Tags.');
    if (filter.sized) refuse('InvalidRequest', 'AbortIncompleteMultipartUpload cannot be specified with Object Size.');
  }

  const transitions: CompiledRule['transitions'] = [];
  if (raw.Transitions !== undefined && raw.Transitions !== null) {
    if (!Array.isArray(raw.Transitions)) return malformed();
    for (const t of raw.Transitions) {
      if (!isRecord(t)) return malformed();
      const storageClass = transitionClass(t.StorageClass);
      const days = integer(t.Days);
      const date = timestamp(t.Date);
      if ((days === undefined) === (date === undefined)) return malformed();
      if (days !== undefined && days < 0) refuse('InvalidArgument', "'Days' in Transition action must be nonnegative");
      if (days !== undefined && THIRTY_DAY_CLASSES.has(storageClass) && days < 30) {
        refuse('InvalidArgument', `'Days' in Transition action must be greater than or equal to 30 for storageClass '${storageClass}'`);
      }
      if (date && !atMidnight(date)) refuse('InvalidArgument', "'Date' must be at midnight GMT");
      if (transitions.some((other) => other.storageClass === storageClass)) {
        refuse('InvalidRequest', "'StorageClass' must be different for 'Transition' actions in same 'Rule'");
      }
      transitions.push({ ...(days !== undefined ? { days } : {}), ...(date ? { date } : {}), storageClass });
    }
    const dated = transitions.some((t) => t.date) || expiration?.date !== undefined;
    const counted = transitions.some((t) => t.days !== undefined) || expiration?.days !== undefined;
    if (transitions.length && dated && counted) {
      refuse('InvalidRequest', `Found mixed 'Date' and 'Days' based Expiration and Transition actions in lifecycle rule for filter '${filter.label}'`);
    }
    // Down the waterfall, each class at least its predecessor's minimum storage duration later.
    const ordered = [...transitions].sort((a, b) => COLDNESS[a.storageClass] - COLDNESS[b.storageClass]);
    for (let i = 1; i < ordered.length; i++) {
      const [warmer, colder] = [ordered[i - 1]!, ordered[i]!];
      const at = (t: (typeof ordered)[number]) => (t.days !== undefined ? t.days : t.date!.getTime() / DAY_MS);
      const gap = CLASS_TERMS[warmer.storageClass].minimumDays;
      const field = warmer.days !== undefined ? 'Days' : 'Date';
      if (at(colder) - at(warmer) < Math.max(gap, 1)) {
        refuse(
          'InvalidArgument',
          gap > 0
            ? `'${field}' in the Transition action for StorageClass '${colder.storageClass}' for filter '${filter.label}' must be ${gap} days more than '${field}' in the Transition action for StorageClass '${warmer.storageClass}'`
            : `'${field}' in the Transition action for StorageClass '${colder.storageClass}' for filter '${filter.label}' must be greater than '${field}' in the Transition action for StorageClass '${warmer.storageClass}'`,
        );
      }
    }
    if (expiration?.days !== undefined && transitions.some((t) => t.days !== undefined && t.days >= expiration!.days!)) {
      refuse('InvalidArgument', `'Days' in the Expiration action for filter '${filter.label}' must be greater than 'Days' in the Transition action`);
    }
    if (expiration?.date !== undefined && transitions.some((t) => t.date !== undefined && t.date.getTime() >= expiration!.date!.getTime())) {
      refuse('InvalidArgument', `'Date' in the Expiration action for filter '${filter.label}' must be greater than 'Date' in the Transition action`);
    }
  }

  const noncurrentTransitions: CompiledRule['noncurrentTransitions'] = [];
  if (raw.NoncurrentVersionTransitions !== undefined && raw.NoncurrentVersionTransitions !== null) {
    if (!Array.isArray(raw.NoncurrentVersionTransitions)) return malformed();
    for (const t of raw.NoncurrentVersionTransitions) {
      if (!isRecord(t)) return malformed();
      const storageClass = transitionClass(t.StorageClass);
      const days = integer(t.NoncurrentDays);
      if (days === undefined) return malformed();
      if (days < 0) refuse('InvalidArgument', "'NoncurrentDays' in NoncurrentVersionTransition action must be nonnegative");
      if (THIRTY_DAY_CLASSES.has(storageClass) && days < 30) {
        refuse('InvalidArgument', `'NoncurrentDays' in NoncurrentVersionTransition action must be greater than or equal to 30 for storageClass '${storageClass}'`);
      }
      const newer = integer(t.NewerNoncurrentVersions);
      if (newer !== undefined && !v2) refuse('InvalidRequest', 'NewerNoncurrentVersions element can only be used in Lifecycle V2.');
      positive(newer, "'NewerNoncurrentVersions' must be a positive integer");
      if (noncurrentTransitions.some((other) => other.storageClass === storageClass)) {
        refuse('InvalidRequest', "'StorageClass' must be different for 'NoncurrentVersionTransition' actions in same 'Rule'");
      }
      noncurrentTransitions.push({ days, newer, storageClass });
    }
    if (noncurrentExpiration && noncurrentTransitions.some((t) => t.days >= noncurrentExpiration!.days)) {
      refuse(
        'InvalidArgument',
        `'NoncurrentDays' in the NoncurrentVersionExpiration action for filter '${filter.label}' must be greater than 'NoncurrentDays' in the NoncurrentVersionTransition action`,
      );
    }
  }

  return {
    id: typeof raw.ID === 'string' ? raw.ID : '',
    enabled: raw.Status === 'Enabled',
    filter,
    expiration,
    transitions,
    noncurrentExpiration,
    noncurrentTransitions,
    abortDays,
  };
}

/** Before Lifecycle V2 (rules with Prefix), two rules whose prefixes overlap may not take the same kind of action. */
function checkOverlaps(rules: readonly CompiledRule[]): void {
  const kinds: [string, (r: CompiledRule) => boolean][] = [
    ['Expiration', (r) => r.expiration !== undefined],
    ['Transition', (r) => r.transitions.length > 0],
    ['NoncurrentVersionTransition', (r) => r.noncurrentTransitions.length > 0],
    ['NoncurrentVersionExpiration', (r) => r.noncurrentExpiration !== undefined],
    ['AbortIncompleteMultipartUpload', (r) => r.abortDays !== undefined],
  ];
  for (const [kind, takes] of kinds) {
    const prefixes = rules.filter(takes).map((r) => r.filter.prefix).sort();
    for (let i = 1; i < prefixes.length; i++) {
      if (prefixes[i]!.startsWith(prefixes[i - 1]!)) {
        refuse('InvalidRequest', `Found overlapping prefixes '${prefixes[i - 1]}' and '${prefixes[i]}' for same action type '${kind}'`);
      }
    }
  }
}

/** Read and check a configuration as PutBucketLifecycleConfiguration does: the rules, or S3's first objection. */
export function compileLifecycle(configuration: unknown): CompiledRule[] {
  if (!isRecord(configuration)) return malformed();
  const rules = configuration.Rules;
  if (!Array.isArray(rules)) return malformed();
  if (rules.length === 0) refuse('InvalidRequest', 'At least one lifecycle rule must be specified.');
  if (rules.length > MAX_LIFECYCLE_RULES) refuse('InvalidRequest', 'The number of lifecycle rules must not exceed the allowed limit of 1000 rules.');
  const ids = new Set<string>();
  for (const rule of rules) {
    const id = isRecord(rule) ? rule.ID : undefined;
    if (id === undefined || id === null || id === '') continue;
    if (typeof id !== 'string') return malformed();
    if (id.length > MAX_RULE_ID_LENGTH) refuse('InvalidArgument', `ID length should not exceed allowed limit of ${MAX_RULE_ID_LENGTH}`);
    if (ids.has(id)) refuse('InvalidArgument', 'Rule ID must be unique. Found same ID for more than one rule');
    ids.add(id);
  }
  // A configuration is Lifecycle V2 when its first rule has a Filter.
  const v2 = isRecord(rules[0]) && rules[0].Filter !== undefined && rules[0].Filter !== null;
  const compiled = rules.map((rule) => compileRule(rule, v2));
  if (!v2) checkOverlaps(compiled);
  const minimum = configuration.TransitionDefaultMinimumObjectSize;
  if (minimum !== undefined && minimum !== 'all_storage_classes_128K' && minimum !== 'varies_by_storage_class') {
    refuse('InvalidRequest', 'Invalid TransitionDefaultMinimumObjectSize found');
  }
  return compiled;
}

/** Why S3 would refuse this configuration, or undefined when it would accept it. */
export function lifecycleProblem(configuration: unknown): LifecycleProblem | undefined {
  try {
    compileLifecycle(configuration);
    return undefined;
  } catch (error) {
    if (error instanceof Refusal) return error.problem;
    throw error;
  }
}

/** An ID for a rule given none: 48 base64 characters, as S3 makes them, derived from the rule's place so runs repeat. */
function generatedId(bucket: string, index: number): string {
  return toBase64(concat(md5(utf8(`lifecycle:${bucket}:${index}`)), md5(utf8(`lifecycle:${index}:${bucket}`)), md5(utf8(`${index}`)))).slice(0, 48);
}

// ---------------------------------------------------------------------------------------------
// The operations.

/** Put/Get/DeleteBucketLifecycle(Configuration) on FakeS3 (its constructor calls this). */
export function addLifecycleOperations(s3: FakeAwsService<S3Client, S3Model>): void {
  s3.on(
    PutBucketLifecycleConfigurationCommand,
    (input, call: Call, model) => {
      const bucket = model.bucket(input.Bucket!, call);
      const configuration = { ...(isRecord(input.LifecycleConfiguration) ? input.LifecycleConfiguration : {}), TransitionDefaultMinimumObjectSize: input.TransitionDefaultMinimumObjectSize };
      const problem = lifecycleProblem(input.LifecycleConfiguration === undefined ? undefined : configuration);
      if (problem) throw model.error(problem.code, problem.message, call);
      const rules = structuredClone(input.LifecycleConfiguration!.Rules!).map((rule, i) => (rule.ID ? rule : { ...rule, ID: generatedId(bucket.name, i) }));
      const minimum = input.TransitionDefaultMinimumObjectSize ?? 'all_storage_classes_128K';
      const stored: LifecycleConfiguration = { Rules: rules, TransitionDefaultMinimumObjectSize: minimum };
      // "this will overwrite an existing lifecycle configuration": the whole of it.
      bucket.configuration.set('lifecycle', stored);
      return { TransitionDefaultMinimumObjectSize: minimum };
    },
    {
      httpLabels: ['Bucket'],
      doc: "Replaces a bucket's lifecycle rules (1 to 1,000) after S3's validation, with its codes and messages: Filter or Prefix, unique IDs ≤ 255 characters, Days > 0, transitions to STANDARD_IA/ONEZONE_IA at ≥ 30 days, each colder class after the warmer one's minimum duration, Expiration after every transition, no ExpiredObjectDeleteMarker with Days/Date, no AbortIncompleteMultipartUpload with tags.",
    },
  );
  s3.on(
    GetBucketLifecycleConfigurationCommand,
    (input, call: Call, model) => {
      const bucket = model.bucket(input.Bucket!, call);
      const stored = bucket.configuration.get('lifecycle') as LifecycleConfiguration | undefined;
      if (!stored) {
        throw model.error('NoSuchLifecycleConfiguration', 'The lifecycle configuration does not exist', call, {
          httpStatusCode: 404,
          fields: { BucketName: bucket.name },
        });
      }
      return { Rules: structuredClone(stored.Rules), TransitionDefaultMinimumObjectSize: stored.TransitionDefaultMinimumObjectSize };
    },
    {
      httpLabels: ['Bucket'],
      doc: "A bucket's lifecycle rules as stored (IDs given to rules that had none); NoSuchLifecycleConfiguration (404) when it has none.",
      output: (o) => ({ Rules: o.Rules?.map((r) => r.ID) }),
    },
  );
  s3.on(
    DeleteBucketLifecycleCommand,
    (input, call: Call, model) => {
      model.bucket(input.Bucket!, call).configuration.delete('lifecycle');
      return { $metadata: { httpStatusCode: 204 } };
    },
    { httpLabels: ['Bucket'], doc: "Removes a bucket's lifecycle configuration (204), also when it has none." },
  );
}

// ---------------------------------------------------------------------------------------------
// The engine: what S3 does at midnight UTC.

/** What the engine did, for whoever watches (a simulation's log, a check's explanation). */
export type LifecycleEvent =
  | { kind: 'transition'; bucket: string; key: string; versionId: string; from: StorageClass; to: StorageClass; rule: string; current: boolean; at: Date }
  | { kind: 'expiration'; bucket: string; key: string; versionId: string; rule: string; at: Date }
  | { kind: 'delete-marker'; bucket: string; key: string; versionId: string; rule: string; at: Date }
  | { kind: 'noncurrent-expiration'; bucket: string; key: string; versionId: string; rule: string; at: Date }
  | { kind: 'marker-removed'; bucket: string; key: string; versionId: string; rule: string; at: Date }
  | { kind: 'transition-skipped'; bucket: string; key: string; versionId: string; to: StorageClass; rule: string; reason: 'too-small'; at: Date }
  | { kind: 'upload-aborted'; bucket: string; key: string; uploadId: string; rule: string; at: Date };

/** `days` after `from`, rounded up to midnight UTC (a time already at midnight is its own). */
export function dueAfter(from: Date, days: number): number {
  return Math.ceil((from.getTime() + days * DAY_MS) / DAY_MS) * DAY_MS;
}

function matches(filter: CompiledFilter, key: string, size: number, tags: Readonly<Record<string, string>>): boolean {
  if (!key.startsWith(filter.prefix)) return false;
  if (filter.larger !== undefined && !(size > filter.larger)) return false;
  if (filter.smaller !== undefined && !(size < filter.smaller)) return false;
  return filter.tags.every((t) => tags[t.key] === t.value);
}

const NO_TAGS: Readonly<Record<string, string>> = {};

/** Compiled rules of a bucket's configuration, kept with it so a midnight does not re-read them. */
const compiledCache = new WeakMap<LifecycleConfiguration, CompiledRule[]>();

function rulesOf(bucket: S3Bucket): { rules: CompiledRule[]; minimum: TransitionMinimumSize } | undefined {
  const stored = bucket.configuration.get('lifecycle') as LifecycleConfiguration | undefined;
  if (!stored) return undefined;
  let rules = compiledCache.get(stored);
  if (!rules) {
    rules = compileLifecycle(stored).filter((r) => r.enabled);
    compiledCache.set(stored, rules);
  }
  return { rules, minimum: stored.TransitionDefaultMinimumObjectSize ?? 'all_storage_classes_128K' };
}

/** Whether S3 moves an object of `size` bytes by this rule, or skips it for its size (the 128 KB default). */
function bigEnough(size: number, to: StorageClass, filter: CompiledFilter, minimum: TransitionMinimumSize): boolean {
  if (filter.sized || size >= DEFAULT_TRANSITION_MINIMUM_BYTES) return true;
  return minimum === 'varies_by_storage_class' && (to === 'GLACIER' || to === 'DEEP_ARCHIVE');
}

interface Transition {
  to: StorageClass;
  rule: string;
}

/**
 * The coldest transition due for an object in class `from`: "when an object is eligible for both
 * … S3 chooses" the colder one. `skipped` hears of transitions S3 passes over for an object's size.
 */
function dueTransition(
  candidates: readonly { due: number; to: StorageClass; rule: CompiledRule }[],
  object: StoredObject,
  midnight: number,
  minimum: TransitionMinimumSize,
  skipped: (to: StorageClass, rule: string) => void,
): Transition | undefined {
  let best: Transition | undefined;
  for (const c of candidates) {
    if (c.due > midnight || !canTransition(object.storageClass, c.to)) continue;
    if (COLDNESS[c.to] <= COLDNESS[object.storageClass]) continue;
    // Standard-IA and One Zone-IA take objects at least 30 days old only, whatever the rule says.
    if (THIRTY_DAY_CLASSES.has(c.to) && midnight < dueAfter(object.lastModified, 30)) continue;
    if (!bigEnough(object.size, c.to, c.rule.filter, minimum)) {
      skipped(c.to, c.rule.id);
      continue;
    }
    if (!best || COLDNESS[c.to] > COLDNESS[best.to]) best = { to: c.to, rule: c.rule.id };
  }
  return best;
}

/**
 * Run S3 Lifecycle over one bucket at `midnight` (a midnight UTC): every version of every key
 * and every incomplete upload is looked at once, and every action due by then is taken, with the
 * precedence S3 documents. Observers of the model hear of transitions and removals (the bill).
 */
export function runLifecycle(model: S3Model, bucket: S3Bucket, midnight: Date, onEvent?: (event: LifecycleEvent) => void): void {
  const config = rulesOf(bucket);
  if (!config || config.rules.length === 0) return;
  const { rules, minimum } = config;
  const now = midnight.getTime();
  const at = midnight;
  const tell = (event: LifecycleEvent) => onEvent?.(event);

  for (const key of [...bucket.versionedKeys()]) {
    const stored = bucket.versions(key);
    // A key that is one object with nothing due before a later midnight is not looked at again
    // until then: most objects of a long simulation wait most nights.
    const lone = stored.length === 1 ? stored[0]!.entry : undefined;
    if (lone) {
      const waiting = nothingDueBefore.get(lone);
      if (waiting && waiting.rules === rules && waiting.at > now) continue;
    }
    const applying = rules.filter((r) => key.startsWith(r.filter.prefix));
    if (applying.length === 0) continue;
    const versions = [...stored];
    // Decide everything on the state at midnight, then act.
    const actions: (() => void)[] = [];
    versions.forEach((version, index) => {
      const entry = version.entry;
      if (index === 0) {
        if (isDeleteMarker(entry)) {
          // A delete marker with nothing beneath it: ExpiredObjectDeleteMarker removes it, so does an Expiration in Days once it is that old.
          if (versions.length !== 1) return;
          for (const rule of applying) {
            if (!matches(rule.filter, key, 0, NO_TAGS) || !rule.expiration) continue;
            const due = rule.expiration.expiredObjectDeleteMarker ? dueAfter(entry.lastModified, 0) : rule.expiration.days !== undefined ? dueAfter(entry.lastModified, rule.expiration.days) : Infinity;
            if (due <= now) {
              actions.push(() => {
                bucket.deleteVersion(key, entry.versionId, at, 'lifecycle');
                tell({ kind: 'marker-removed', bucket: bucket.name, key, versionId: entry.versionId, rule: rule.id, at });
              });
              return;
            }
          }
          return;
        }
        const object = entry;
        const mine = applying.filter((r) => matches(r.filter, key, object.size, object.tags));
        let expiry: CompiledRule | undefined;
        for (const rule of mine) {
          const e = rule.expiration;
          if (!e || e.expiredObjectDeleteMarker !== undefined) continue;
          const due = e.days !== undefined ? dueAfter(object.lastModified, e.days) : e.date!.getTime();
          if (due <= now) {
            expiry = rule;
            break;
          }
        }
        const candidates = mine.flatMap((rule) =>
          rule.transitions.map((t) => ({ due: t.days !== undefined ? dueAfter(object.lastModified, t.days) : t.date!.getTime(), to: t.storageClass, rule })),
        );
        const skipped = (to: StorageClass, rule: string) =>
          tell({ kind: 'transition-skipped', bucket: bucket.name, key, versionId: object.versionId, to, rule, reason: 'too-small', at });
        if (expiry && bucket.versioning === undefined) {
          // Permanent deletion takes precedence over transition.
          const rule = expiry.id;
          actions.push(() => {
            bucket.deleteVersion(key, object.versionId, at, 'lifecycle');
            tell({ kind: 'expiration', bucket: bucket.name, key, versionId: object.versionId, rule, at });
          });
          return;
        }
        const transition = dueTransition(candidates, object, now, minimum, skipped);
        if (transition) {
          actions.push(() => transitionVersion(model, bucket, object, transition, at, true, tell));
          return;
        }
        if (expiry) {
          // Transition takes precedence over creation of delete markers; a versioned bucket expires into a delete marker.
          const rule = expiry.id;
          actions.push(() => {
            const marker = bucket.deleteCurrent(key, at, 'lifecycle');
            tell({ kind: 'delete-marker', bucket: bucket.name, key, versionId: marker?.versionId ?? object.versionId, rule, at });
          });
        }
        return;
      }
      // A noncurrent version: how many noncurrent versions are newer than it.
      const newer = index - 1;
      const since = version.noncurrentSince!;
      const size = isDeleteMarker(entry) ? 0 : entry.size;
      const tags = isDeleteMarker(entry) ? NO_TAGS : entry.tags;
      const mine = applying.filter((r) => matches(r.filter, key, size, tags));
      for (const rule of mine) {
        const nve = rule.noncurrentExpiration;
        if (!nve || (nve.newer !== undefined && newer < nve.newer)) continue;
        if (dueAfter(since, nve.days) <= now) {
          actions.push(() => {
            bucket.deleteVersion(key, entry.versionId, at, 'lifecycle');
            tell({ kind: 'noncurrent-expiration', bucket: bucket.name, key, versionId: entry.versionId, rule: rule.id, at });
          });
          return;
        }
      }
      if (isDeleteMarker(entry)) return;
      const candidates = mine.flatMap((rule) =>
        rule.noncurrentTransitions.filter((t) => t.newer === undefined || newer >= t.newer).map((t) => ({ due: dueAfter(since, t.days), to: t.storageClass, rule })),
      );
      const transition = dueTransition(candidates, entry, now, minimum, (to, rule) =>
        tell({ kind: 'transition-skipped', bucket: bucket.name, key, versionId: entry.versionId, to, rule, reason: 'too-small', at }),
      );
      if (transition) actions.push(() => transitionVersion(model, bucket, entry, transition, at, false, tell));
    });
    if (lone && actions.length === 0) nothingDueBefore.set(lone, { rules, at: isDeleteMarker(lone) ? nextMarkerDue(applying, lone, now) : nextDue(applying, lone, now) });
    for (const act of actions) act();
  }

  const aborting = rules.filter((r) => r.abortDays !== undefined);
  if (aborting.length) {
    for (const upload of bucket.uploads()) {
      const rule = aborting.find((r) => upload.key.startsWith(r.filter.prefix) && dueAfter(upload.initiated, r.abortDays!) <= now);
      if (rule) abortUpload(bucket, upload, rule.id, at, tell);
    }
  }
}

/** Per object: the midnight before which no rule has anything due for it (a transition or an expiration), for these rules. */
const nothingDueBefore = new WeakMap<StoredObject | DeleteMarker, { rules: CompiledRule[]; at: number }>();

/** The first midnight after `now` at which a rule may remove `marker`, a delete marker with no version beneath it. */
function nextMarkerDue(applying: readonly CompiledRule[], marker: DeleteMarker, now: number): number {
  let next = Infinity;
  for (const rule of applying) {
    const e = rule.expiration;
    if (!e || !matches(rule.filter, marker.key, 0, NO_TAGS)) continue;
    const due = e.expiredObjectDeleteMarker ? dueAfter(marker.lastModified, 0) : e.days !== undefined ? dueAfter(marker.lastModified, e.days) : Infinity;
    if (due > now) next = Math.min(next, due);
  }
  return next;
}

/** The first midnight after `now` at which a rule may act on the current object `object` alone. */
function nextDue(applying: readonly CompiledRule[], object: StoredObject, now: number): number {
  let next = Infinity;
  for (const rule of applying) {
    if (!matches(rule.filter, object.key, object.size, object.tags)) continue;
    const e = rule.expiration;
    if (e && e.expiredObjectDeleteMarker === undefined) {
      const due = e.days !== undefined ? dueAfter(object.lastModified, e.days) : e.date!.getTime();
      if (due > now) next = Math.min(next, due);
    }
    for (const t of rule.transitions) {
      let due = t.days !== undefined ? dueAfter(object.lastModified, t.days) : t.date!.getTime();
      if (THIRTY_DAY_CLASSES.has(t.storageClass)) due = Math.max(due, dueAfter(object.lastModified, 30));
      if (due > now) next = Math.min(next, due);
    }
  }
  return next;
}

function transitionVersion(
  model: S3Model,
  bucket: S3Bucket,
  object: StoredObject,
  transition: Transition,
  at: Date,
  current: boolean,
  tell: (event: LifecycleEvent) => void,
): void {
  const after = withState(object, { storageClass: transition.to, classSince: at });
  bucket.replace(after);
  model.emit({ kind: 'transitioned', bucket: bucket.name, before: object, after, at });
  tell({ kind: 'transition', bucket: bucket.name, key: object.key, versionId: object.versionId, from: object.storageClass, to: transition.to, rule: transition.rule, current, at });
}

function abortUpload(bucket: S3Bucket, upload: MultipartUpload, rule: string, at: Date, tell: (event: LifecycleEvent) => void): void {
  bucket.abortUpload(upload.uploadId, at);
  tell({ kind: 'upload-aborted', bucket: bucket.name, key: upload.key, uploadId: upload.uploadId, rule, at });
}

