// The plumbing every fake builds on, exercised with a client no other test here uses
// (Pricing), so what is checked is the routing and error machinery, not one fake.

import {
  DescribeServicesCommand,
  GetAttributeValuesCommand,
  GetProductsCommand,
  NotFoundException,
  PricingClient,
  PricingServiceException,
} from '@aws-sdk/client-pricing';
import { describe, expect, it } from 'vitest';
import { Faults, createAwsEnv } from '../../grader/aws/env.ts';
import type { AwsEnv } from '../../grader/aws/env.ts';
import { FakeEndpoint, NOT_SENT, NotSentError, operationName, outputList, serviceError } from '../../grader/aws/mock.ts';
import type { OperationSpec } from '../../grader/aws/mock.ts';
import { reportSchemaErrors } from '../support/report-schema.ts';

/** A ten-line fake, as the other services' fakes are meant to be. */
function fakePricing(env: AwsEnv, options: { validate?: boolean } = {}) {
  const api = new FakeEndpoint({
    service: 'pricing',
    clientClass: PricingClient,
    env,
    faultError: (fault, call) =>
      serviceError(fault.name, { base: PricingServiceException, message: fault.message ?? fault.name, httpStatusCode: fault.httpStatusCode, requestId: call.requestId }),
    ...(options.validate
      ? {
          validate: (operation: string, input: Record<string, unknown>) => {
            if (operation === 'GetProducts' && !input.ServiceCode) throw new NotSentError('ServiceCode is required here.');
          },
        }
      : {}),
  });
  const served: string[] = [];
  api.on(GetProductsCommand, (input, call) => {
    served.push(`${call.operation}:${input.ServiceCode}`);
    return { PriceList: [`{"sku":"${input.ServiceCode}"}`], FormatVersion: 'aws_v1' };
  });
  api.on(DescribeServicesCommand, () => {
    throw serviceError(NotFoundException, { message: 'No such service', httpStatusCode: 400 });
  });
  return { api, served };
}

async function rejection(promise: Promise<unknown>): Promise<Error & Record<string, unknown>> {
  try {
    await promise;
  } catch (error) {
    return error as Error & Record<string, unknown>;
  }
  throw new Error('expected the call to fail, but it succeeded');
}

describe('routing', () => {
  it('answers a handed-out client from its own world, with $metadata filled in', async () => {
    const env = createAwsEnv({ seed: 1 });
    const { api, served } = fakePricing(env);
    const out = await api.client().send(new GetProductsCommand({ ServiceCode: 'AmazonEC2' }));
    expect(out.PriceList).toEqual(['{"sku":"AmazonEC2"}']);
    expect(out.$metadata).toMatchObject({ httpStatusCode: 200, attempts: 1, totalRetryDelay: 0 });
    expect(out.$metadata.requestId).toMatch(/^[0-9A-F]{16}$/);
    expect(served).toEqual(['GetProducts:AmazonEC2']);
    expect(env.trace.entries).toMatchObject([
      { service: 'pricing', operation: 'GetProducts', input: { ServiceCode: 'AmazonEC2' }, outcome: 'ok', httpStatusCode: 200 },
    ]);
  });

  it('keeps each handed-out client with its world, and gives unrouted clients to the newest world', async () => {
    const first = fakePricing(createAwsEnv({ seed: 1 }));
    const firstClient = first.api.client();
    const second = fakePricing(createAwsEnv({ seed: 2 }));
    const learners = new PricingClient({});
    await firstClient.send(new GetProductsCommand({ ServiceCode: 'one' }));
    await learners.send(new GetProductsCommand({ ServiceCode: 'two' }));
    expect(first.served).toEqual(['GetProducts:one']);
    expect(second.served).toEqual(['GetProducts:two']);
    first.api.claimAmbient();
    // A client that has called stays in its world; one that has not goes to the claimant.
    await learners.send(new GetProductsCommand({ ServiceCode: 'three' }));
    await new PricingClient({}).send(new GetProductsCommand({ ServiceCode: 'four' }));
    expect(second.served).toEqual(['GetProducts:two', 'GetProducts:three']);
    expect(first.served).toEqual(['GetProducts:one', 'GetProducts:four']);
  });

  it('stubs the prototype once, keeping no call history of its own', async () => {
    const original = (Object.getPrototypeOf(PricingClient.prototype) as { send: unknown }).send;
    const { api } = fakePricing(createAwsEnv({ seed: 1 }));
    const stub = PricingClient.prototype.send;
    expect(stub).not.toBe(original);
    expect(Object.getOwnPropertyNames(stub).sort()).toEqual(['length', 'name']);
    await api.client().send(new GetProductsCommand({ ServiceCode: 'x' }));
    fakePricing(createAwsEnv({ seed: 2 }));
    expect(PricingClient.prototype.send).toBe(stub);
  });

  it('supports the SDK callback form', async () => {
    const { api } = fakePricing(createAwsEnv({ seed: 1 }));
    const client = api.client();
    const result = await new Promise((resolve, reject) => {
      client.send(new GetProductsCommand({ ServiceCode: 'cb' }), (error: unknown, data?: unknown) => (error ? reject(error) : resolve(data)));
    });
    expect(result).toMatchObject({ PriceList: ['{"sku":"cb"}'] });
  });

  it('says plainly when send() gets something that is not a command', async () => {
    const { api } = fakePricing(createAwsEnv({ seed: 1 }));
    const error = await rejection(api.client().send({ ServiceCode: 'x' } as never));
    expect(error).toBeInstanceOf(TypeError);
    expect(error.message).toMatch(/expects a command.*forget `new …Command/);
  });

  it('names an operation the fake does not implement, and traces it', async () => {
    const env = createAwsEnv({ seed: 1 });
    const { api } = fakePricing(env);
    const error = await rejection(api.client().send(new GetAttributeValuesCommand({ ServiceCode: 'x', AttributeName: 'y' })));
    expect(error.message).toMatch(/does not implement GetAttributeValues yet \(it answers GetProducts, DescribeServices\)/);
    expect(env.trace.entries[0]).toMatchObject({ operation: 'GetAttributeValues', outcome: 'Error', httpStatusCode: 0 });
  });
});

describe('validation and faults', () => {
  it('a call the SDK would not send is traced as NotSent and does not use up a fault', async () => {
    const env = createAwsEnv({ seed: 1 });
    env.faults.add({ service: 'pricing', operation: 'GetProducts', fault: Faults.throttling });
    const { api, served } = fakePricing(env, { validate: true });
    const client = api.client();
    const notSent = await rejection(client.send(new GetProductsCommand({} as never)));
    expect(notSent.message).toBe('ServiceCode is required here.');
    expect(notSent.name).toBe('Error');
    const faulted = await rejection(client.send(new GetProductsCommand({ ServiceCode: 'a' })));
    expect(faulted).toBeInstanceOf(PricingServiceException);
    expect(faulted.name).toBe('SlowDown');
    expect(faulted.$fault).toBe('server');
    await client.send(new GetProductsCommand({ ServiceCode: 'b' }));
    expect(served).toEqual(['GetProducts:b']);
    expect(env.trace.entries.map((e) => [e.outcome, e.httpStatusCode])).toEqual([
      [NOT_SENT, 0],
      ['SlowDown', 503],
      ['ok', 200],
    ]);
  });
});

describe('serviceError', () => {
  it('builds a modeled exception the SDK way', () => {
    const error = serviceError(NotFoundException, { message: 'gone', httpStatusCode: 400, requestId: 'R1', fields: { Extra: 1 } });
    expect(error).toBeInstanceOf(NotFoundException);
    expect(error).toBeInstanceOf(PricingServiceException);
    expect(error).toMatchObject({ name: 'NotFoundException', message: 'gone', $fault: 'client', Extra: 1 });
    expect((error as unknown as { $metadata: unknown }).$metadata).toEqual({
      httpStatusCode: 400,
      requestId: 'R1',
      extendedRequestId: undefined,
      cfId: undefined,
      attempts: 1,
      totalRetryDelay: 0,
    });
  });

  it('builds an unmodeled error from the service base class, or a plain Error without one', () => {
    const withBase = serviceError('Throttling', { base: PricingServiceException, message: 'Rate exceeded', httpStatusCode: 400 });
    expect(withBase).toBeInstanceOf(PricingServiceException);
    expect(withBase).toMatchObject({ name: 'Throttling', message: 'Rate exceeded', $fault: 'client' });
    const plain = serviceError('InternalError', { message: 'boom', httpStatusCode: 500 });
    expect(plain).toBeInstanceOf(Error);
    expect(plain).toMatchObject({ name: 'InternalError', message: 'boom', $fault: 'server' });
    expect((plain as Error & { $metadata: { httpStatusCode: number } }).$metadata.httpStatusCode).toBe(500);
  });

  it('answers an operation that throws a service error with that error, traced by name', async () => {
    const env = createAwsEnv({ seed: 1 });
    const { api } = fakePricing(env);
    const error = await rejection(api.client().send(new DescribeServicesCommand({})));
    expect(error).toBeInstanceOf(NotFoundException);
    expect(env.trace.entries[0]).toMatchObject({ operation: 'DescribeServices', outcome: 'NotFoundException', httpStatusCode: 400 });
  });
});

describe('operationName', () => {
  it('reads the operation from the command schema, so minified class names do not matter', () => {
    class Q extends GetProductsCommand {}
    expect(operationName(GetProductsCommand)).toBe('GetProducts');
    expect(operationName(Q)).toBe('GetProducts');
    expect(operationName(new DescribeServicesCommand({}))).toBe('DescribeServices');
  });
});

describe('response fields in the trace', () => {
  function fakeWithOutput(env: AwsEnv, output: Partial<OperationSpec<typeof GetProductsCommand>>) {
    const api = new FakeEndpoint({
      service: 'pricing',
      clientClass: PricingClient,
      env,
      faultError: (fault, call) => serviceError(fault.name, { base: PricingServiceException, message: fault.name, httpStatusCode: fault.httpStatusCode, requestId: call.requestId }),
    });
    api.on(
      GetProductsCommand,
      (input) => {
        if (input.ServiceCode === 'missing') throw serviceError(NotFoundException, { message: 'No such service', httpStatusCode: 400 });
        return { FormatVersion: 'aws_v1', PriceList: Array.from({ length: 25 }, (_, i) => `product-${i}`), NextToken: 'x'.repeat(300) };
      },
      output,
    );
    return api;
  }

  it('records the fields an operation names, with long arrays and strings cut', async () => {
    const env = createAwsEnv({ seed: 1 });
    await fakeWithOutput(env, { doc: 'd', output: ['PriceList', 'NextToken'] }).client().send(new GetProductsCommand({ ServiceCode: 'AmazonEC2' }));
    expect(env.trace.entries[0]!.output).toEqual({
      PriceList: ['product-0', 'product-1', 'product-2', 'product-3', 'product-4', '… 20 more'],
      NextToken: `${'x'.repeat(200)}…`,
    });
  });

  it('shapes only the items of a long list that it shows (outputList), and does not cut them again', async () => {
    const env = createAwsEnv({ seed: 1 });
    const shaped: string[] = [];
    const pick = (p: string) => {
      shaped.push(p);
      return p.toUpperCase();
    };
    await fakeWithOutput(env, { doc: 'd', output: (o) => ({ PriceList: outputList(o.PriceList, pick) }) })
      .client()
      .send(new GetProductsCommand({ ServiceCode: 'AmazonEC2' }));
    expect(env.trace.entries[0]!.output).toEqual({ PriceList: ['PRODUCT-0', 'PRODUCT-1', 'PRODUCT-2', 'PRODUCT-3', 'PRODUCT-4', '… 20 more'] });
    expect(shaped).toHaveLength(5);
  });

  it('lets an operation shape its summary, and records none for failed calls or when nothing is named', async () => {
    const env = createAwsEnv({ seed: 1 });
    const api = fakeWithOutput(env, { doc: 'd', output: (o) => ({ PriceList: `<${o.PriceList?.length} products>`, NextToken: undefined }) });
    const client = api.client();
    await client.send(new GetProductsCommand({ ServiceCode: 'AmazonEC2' }));
    await rejection(client.send(new GetProductsCommand({ ServiceCode: 'missing' })));
    const plain = createAwsEnv({ seed: 2 });
    await fakeWithOutput(plain, { doc: 'd' }).client().send(new GetProductsCommand({ ServiceCode: 'AmazonEC2' }));
    expect(env.trace.entries.map((e) => e.output)).toEqual([{ PriceList: '<25 products>' }, undefined]);
    expect('output' in env.trace.entries[1]!).toBe(false);
    expect('output' in plain.trace.entries[0]!).toBe(false);
  });

  it('never fails a call because a summary could not be made', async () => {
    const env = createAwsEnv({ seed: 1 });
    const out = await fakeWithOutput(env, {
      doc: 'd',
      output: () => {
        throw new Error('summary bug');
      },
    })
      .client()
      .send(new GetProductsCommand({ ServiceCode: 'AmazonEC2' }));
    expect(out.FormatVersion).toBe('aws_v1');
    expect(env.trace.entries[0]).toMatchObject({ outcome: 'ok' });
    expect(env.trace.entries[0]!.output).toBeUndefined();
  });

  it('keeps a summary a learner cannot change after the call', async () => {
    const env = createAwsEnv({ seed: 1 });
    const out = await fakeWithOutput(env, { doc: 'd', output: ['PriceList'] }).client().send(new GetProductsCommand({ ServiceCode: 'AmazonEC2' }));
    out.PriceList!.length = 0;
    expect((env.trace.entries[0]!.output!.PriceList as string[])[0]).toBe('product-0');
  });

  it('is valid in a report under the published schema', () => {
    const report = {
      schemaVersion: 1,
      lab: 'mini',
      status: 'pass',
      score: 1,
      maxScore: 1,
      durationMs: 1,
      engine: 'node',
      grader: 'whetstone@0.1.0',
      checks: [
        {
          id: 'c',
          title: 'C',
          step: 1,
          status: 'pass',
          score: 1,
          maxScore: 1,
          visibility: 'public',
          message: '',
          durationMs: 1,
          trace: [{ service: 's3', operation: 'ListObjectsV2', input: {}, outcome: 'ok', httpStatusCode: 200, output: { KeyCount: 1000, IsTruncated: true, Contents: ['a', '… 999 more'] } }],
        },
      ],
    };
    expect(reportSchemaErrors(report)).toEqual([]);
    expect(reportSchemaErrors({ ...report, checks: [{ ...report.checks[0], trace: [{ ...report.checks[0]!.trace[0], output: 'not an object' }] }] })).not.toEqual([]);
  });
});
