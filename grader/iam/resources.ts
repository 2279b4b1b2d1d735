// What a statement's Resource element can match, read without the engine: exactly for the
// literal "*" of a request on no resource, and loosely (never more strictly than IAM) for an ARN,
// so that requests a statement cannot match are not asked at all.

import { asList } from './policy.ts';
import type { OneOrMany, PolicyStatement } from './policy.ts';

/**
 * Whether an IAM Resource pattern matches the literal string "*": only patterns made of
 * wildcards do ("*", "**", "?"…); an ARN pattern never does, however many "*" it holds.
 */
export function coversLiteralStar(pattern: string): boolean {
  return /^[*?]+$/.test(pattern) && pattern.split('?').length - 1 <= 1;
}

export function resourcePatterns(value: OneOrMany<unknown> | undefined): string[] {
  return asList(value).filter((v): v is string => typeof v === 'string');
}

const loose = new Map<string, RegExp>();

/**
 * Whether a Resource pattern might cover an ARN: its wildcards and its policy variables read as
 * "any characters", case ignored. Looser than IAM, never stricter.
 */
export function patternMightCover(pattern: string, arn: string): boolean {
  if (coversLiteralStar(pattern)) return true;
  let re = loose.get(pattern);
  if (!re) {
    const body = pattern
      .split(/(\$\{[^}]*\}|\*|\?)/)
      .map((part) => (part === '*' || part.startsWith('${') ? '.*' : part === '?' ? '.' : part.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
      .join('');
    re = new RegExp(`^${body}$`, 'is');
    loose.set(pattern, re);
  }
  return re.test(arn);
}

/**
 * Whether a statement might apply to a request on this resource ("*" for a request on no
 * resource). A NotResource statement always might: it is left to the engine.
 */
export function statementMightCover(statement: PolicyStatement, resource: string): boolean {
  if (statement.Resource === undefined) return true;
  const patterns = resourcePatterns(statement.Resource);
  return resource === '*' ? patterns.some(coversLiteralStar) : patterns.some((p) => patternMightCover(p, resource));
}
