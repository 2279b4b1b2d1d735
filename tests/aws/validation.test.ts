// Request validation in AWS's own words: what a service answers when a request breaks its
// model, checked before anything else and reported all at once.

import { describe, expect, it } from 'vitest';
import { Constraints, RequestValidationError, checkShape, validationMessage } from '../../grader/aws/validation.ts';
import type { Shape } from '../../grader/aws/validation.ts';

/** A Kinesis-like PutRecords request shape. */
const PUT_RECORDS: Shape = {
  StreamName: { type: 'string', min: 1, max: 128, pattern: /^[a-zA-Z0-9_.-]+$/, patternText: '[a-zA-Z0-9_.-]+' },
  Records: {
    type: 'list',
    required: true,
    min: 1,
    max: 500,
    member: {
      type: 'structure',
      members: {
        Data: { type: 'blob', required: true, max: 1_048_576 },
        PartitionKey: { type: 'string', required: true, min: 1, max: 256 },
      },
    },
  },
  Mode: { type: 'string', enum: ['ON_DEMAND', 'PROVISIONED'] },
  Limit: { type: 'integer', min: 1, max: 10_000 },
  Tags: { type: 'map', max: 2, key: { min: 1, max: 3 }, value: { type: 'string', max: 4 } },
  Ratio: { type: 'double', min: 0, max: 1 },
  Retry: { type: 'boolean' },
};

function rejected(input: unknown, shape: Shape = PUT_RECORDS): RequestValidationError {
  try {
    checkShape(input, shape);
  } catch (error) {
    if (error instanceof RequestValidationError) return error;
    throw error;
  }
  throw new Error('expected the request to be refused');
}

describe('checkShape', () => {
  it('accepts a request that satisfies the model', () => {
    expect(() =>
      checkShape({ StreamName: 'clicks', Records: [{ Data: new Uint8Array(3), PartitionKey: 'u1' }], Mode: 'ON_DEMAND', Limit: 5, Ratio: 0.5, Retry: true }, PUT_RECORDS),
    ).not.toThrow();
  });

  it('reports one missing member as AWS does', () => {
    const error = rejected({ StreamName: 'clicks' });
    expect(error.code).toBe('ValidationException');
    expect(error.message).toBe("1 validation error detected: Value null at 'records' failed to satisfy constraint: Member must not be null");
  });

  it('reports every broken constraint at once, in member order, with list items numbered from 1', () => {
    const error = rejected({
      StreamName: 'bad name!',
      Records: [{ Data: 'ok', PartitionKey: 'a' }, { Data: new Uint8Array(1_048_577), PartitionKey: '' }],
      Mode: 'SERVERLESS',
      Limit: 0,
    });
    expect(error.message).toBe(
      '5 validation errors detected: ' +
        [
          "Value 'bad name!' at 'streamName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+",
          "Value '<1048577 bytes>' at 'records.2.member.data' failed to satisfy constraint: Member must have length less than or equal to 1048576",
          "Value '' at 'records.2.member.partitionKey' failed to satisfy constraint: Member must have length greater than or equal to 1",
          "Value 'SERVERLESS' at 'mode' failed to satisfy constraint: Member must satisfy enum value set: [ON_DEMAND, PROVISIONED]",
          "Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1",
        ].join('; '),
    );
  });

  it('counts list items and map entries against their bounds', () => {
    expect(rejected({ Records: [] }).message).toContain("Value '[0 items]' at 'records' failed to satisfy constraint: Member must have length greater than or equal to 1");
    const tags = rejected({ Records: [{ Data: 'x', PartitionKey: 'k' }], Tags: { team: 'ml', cost: 'center', x: 'y' } });
    expect(tags.message).toContain("Value '{3 entries}' at 'tags' failed to satisfy constraint: Member must have length less than or equal to 2");
    expect(tags.message).toContain("Value 'center' at 'tags.cost.member' failed to satisfy constraint: Member must have length less than or equal to 4");
    expect(tags.message).toContain("Value 'team' at 'tags.team.key' failed to satisfy constraint: Member must have length less than or equal to 3");
  });

  it('answers a member of the wrong JSON type with SerializationException, as JSON services do', () => {
    expect(rejected({ Records: 'one record' })).toMatchObject({ code: 'SerializationException', message: 'STRING_VALUE can not be converted to a List' });
    expect(rejected({ Records: [{ Data: 'x', PartitionKey: 'k' }], Limit: 2.5 })).toMatchObject({
      code: 'SerializationException',
      message: expect.stringMatching(/^The number 2.5 can not be converted to an Integer/),
    });
    expect(rejected({ Records: [{ Data: 'x', PartitionKey: 'k' }], Retry: 'yes' }).message).toBe('STRING_VALUE can not be converted to a Boolean');
    expect(rejected({ Records: [{ Data: 'x', PartitionKey: 'k' }], Ratio: 2 }).message).toContain("Value '2' at 'ratio' failed to satisfy constraint: Member must have value less than or equal to 1");
  });
});

describe('Constraints', () => {
  it('builds the service’s own error through the factory it is given', () => {
    class SageMakerLike extends Error {
      readonly code: string;
      constructor(code: string, message: string) {
        super(message);
        this.code = code;
      }
    }
    const c = new Constraints((code, message) => new SageMakerLike(code, message));
    c.required('trainingJobName', undefined);
    expect(() => c.throwIfAny()).toThrow(SageMakerLike);
    expect(() => c.throwIfAny()).toThrow("1 validation error detected: Value null at 'trainingJobName' failed to satisfy constraint: Member must not be null");
  });

  it('says nothing when nothing is wrong', () => {
    const c = new Constraints();
    c.string('name', 'ok', { min: 1, max: 5 });
    expect(() => c.throwIfAny()).not.toThrow();
    expect(validationMessage(['a', 'b'])).toBe('2 validation errors detected: a; b');
  });
});
