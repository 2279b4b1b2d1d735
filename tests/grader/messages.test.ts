// The words of check messages (whetstone/checks): what a learner reads when their code returned,
// threw or sent something unexpected. Each must name the thing as the learner would.

import { describe as group, expect, it } from 'vitest';
import { clip, count, describe, describeCall, describeThrown, duration, list, ranges } from 'whetstone/checks';

group('count', () => {
  it('agrees in number and groups thousands', () => {
    expect(count(1, 'event')).toBe('1 event');
    expect(count(0, 'event')).toBe('0 events');
    expect(count(2400, 'object')).toBe('2,400 objects');
    expect(count(3, 'new batch', 'new batches')).toBe('3 new batches');
  });
});

group('list', () => {
  it('joins a short list, and says how many more a long one holds', () => {
    expect(list(['a', 'b', 'c'])).toBe('a, b, c');
    expect(list(['a', 'b', 'c', 'd'])).toBe('a, b, c, d');
    expect(list(['a', 'b', 'c', 'd', 'e', 'f'])).toBe('a, b, c, d and 2 more');
    expect(list(Array.from({ length: 1405 }, (_, i) => `k${i}`), 3)).toBe('k0, k1, k2 and 1,402 more');
  });
});

group('describe', () => {
  it('quotes strings and clips long ones', () => {
    expect(describe('raw/web/')).toBe("'raw/web/'");
    expect(describe('x'.repeat(100))).toBe(`'${'x'.repeat(80)}…'`);
  });

  it('shows objects and arrays as JSON, clipped', () => {
    expect(describe({ instanceType: 'm5.large' })).toBe('{"instanceType":"m5.large"}');
    expect(describe(['a', 1])).toBe('["a",1]');
    expect(describe(Array.from({ length: 100 }, (_, i) => i))).toMatch(/^\[0,1,2,.{100,}…$/);
  });

  it('names the values JSON would misstate', () => {
    expect(describe(undefined)).toBe('undefined');
    expect(describe(null)).toBe('null');
    expect(describe(Number.NaN)).toBe('NaN');
    expect(describe(10n)).toBe('10n');
    expect(describe(function partitionPrefix() {})).toBe('the function partitionPrefix');
    expect(describe(Promise.resolve(['k']))).toMatch(/^a Promise .*await/);
    expect(describe(new TypeError('bad'))).toBe('TypeError: bad');
    expect(describe(new Date('2024-01-16T07:30:00Z'))).toBe('the Date 2024-01-16T07:30:00.000Z');
    expect(describe(new Date('nope'))).toBe('an invalid Date');
    expect(describe(new Map([['a', 1]]))).toBe('a Map of 1 entry');
    expect(describe(new Set([1, 2]))).toBe('a Set of 2 values');
  });

  it('survives an object that refers to itself', () => {
    const loop: Record<string, unknown> = {};
    loop.self = loop;
    expect(describe(loop)).toBe('an object that cannot be shown as JSON');
  });
});

group('describeThrown', () => {
  const files = { 'partition.ts': 'export function f() {\n  throw new Error("boom.");\n}\n' };

  it('names the error and the learner line it came from', () => {
    const error = new Error('boom.');
    error.stack = 'Error: boom.\n    at f (partition.ts:2:9)\n    at check (grader/runtime.ts:1:1)';
    expect(describeThrown(error, files)).toBe('Error: boom (partition.ts:2:9)');
  });

  it('says when what was thrown is not an Error', () => {
    expect(describeThrown('nope')).toBe('a non-Error value: "nope"');
    expect(describeThrown(undefined)).toBe('a non-Error value: undefined');
  });
});

group('describeCall', () => {
  it('names a call of the trace as the learner wrote it', () => {
    expect(describeCall({ operation: 'PutObject', input: { Bucket: 'b', Key: 'raw/x.jsonl' }, outcome: 'ok' })).toBe('PutObject raw/x.jsonl');
    expect(describeCall({ operation: 'DeleteObjects', input: { Delete: { Objects: [{ Key: 'a' }, { Key: 'b' }] } }, outcome: 'ok' })).toBe('DeleteObjects of 2 keys');
    expect(describeCall({ operation: 'ListObjectsV2', input: { Prefix: 'raw/web/' }, outcome: 'ok' })).toBe('ListObjectsV2 under raw/web/');
    expect(describeCall({ operation: 'GetObject', input: { Key: 'k' }, outcome: 'NoSuchKey' })).toBe('GetObject k (NoSuchKey)');
    expect(describeCall({ operation: 'DescribeInstanceTypes', input: undefined, outcome: 'ok' })).toBe('DescribeInstanceTypes');
  });
});

group('duration and ranges', () => {
  it('reads seconds as minutes and seconds', () => {
    expect([duration(45), duration(90), duration(240)]).toEqual(['45 s', '1 min 30 s', '4 min']);
  });

  it('folds runs of whole numbers', () => {
    expect(ranges([7, 2, 5, 6, 6])).toBe('2, 5–7');
    expect(ranges([3])).toBe('3');
    expect(ranges([])).toBe('');
  });

  it('clips with an ellipsis only when it cuts', () => {
    expect([clip('abc', 3), clip('abcd', 3)]).toEqual(['abc', 'abc…']);
  });
});
