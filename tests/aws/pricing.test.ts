// The fake Price List as a learner's code sees it: through the real PricingClient. Each
// expectation is what the Price List Query API does (see grader/aws/pricing.ts for the sources).

import {
  GetProductsCommand,
  InvalidNextTokenException,
  InvalidParameterException,
  NotFoundException,
  PricingClient,
  PricingServiceException,
  paginateGetProducts,
} from '@aws-sdk/client-pricing';
import type { Filter } from '@aws-sdk/client-pricing';
import { describe, expect, it } from 'vitest';
import { createAwsEnv } from '../../grader/aws/env.ts';
import { FakePricing, OfferTermCodes, PricingFaults, RateCodes, jsonDocumentString } from '../../grader/aws/pricing.ts';
import type { PriceListItem } from '../../grader/aws/pricing.ts';

function item(instanceType: string, operatingSystem: string, capacitystatus: string, usd: string): PriceListItem {
  const sku = `${instanceType}-${operatingSystem}-${capacitystatus}`.toUpperCase().replace(/[^A-Z0-9]/g, '');
  const onDemand = `${sku}.${OfferTermCodes.onDemand}`;
  const reserved = `${sku}.${OfferTermCodes.standard1yrNoUpfront}`;
  return {
    product: {
      productFamily: 'Compute Instance',
      attributes: { instanceType, operatingSystem, capacitystatus, regionCode: 'us-east-1', tenancy: 'Shared' },
      sku,
    },
    serviceCode: 'AmazonEC2',
    terms: {
      OnDemand: {
        [onDemand]: {
          priceDimensions: {
            [`${onDemand}.${RateCodes.hourly}`]: {
              unit: 'Hrs',
              endRange: 'Inf',
              description: `$${usd} per On Demand ${operatingSystem} ${instanceType} Instance Hour`,
              appliesTo: [],
              rateCode: `${onDemand}.${RateCodes.hourly}`,
              beginRange: '0',
              pricePerUnit: { USD: usd },
            },
          },
          sku,
          effectiveDate: '2026-02-01T00:00:00Z',
          offerTermCode: OfferTermCodes.onDemand,
          termAttributes: {},
        },
      },
      Reserved: {
        [reserved]: {
          priceDimensions: {
            [`${reserved}.${RateCodes.hourly}`]: {
              unit: 'Hrs',
              description: 'Linux/UNIX (Amazon VPC), reserved instance applied',
              appliesTo: [],
              rateCode: `${reserved}.${RateCodes.hourly}`,
              pricePerUnit: { USD: '0.0100000000' },
            },
          },
          sku,
          effectiveDate: '2026-02-01T00:00:00Z',
          offerTermCode: OfferTermCodes.standard1yrNoUpfront,
          termAttributes: { LeaseContractLength: '1yr', OfferingClass: 'standard', PurchaseOption: 'No Upfront' },
        },
      },
    },
    version: '20260209134335',
    publicationDate: '2026-02-09T13:43:35Z',
  };
}

/** 150 products: 50 types × Linux used, Linux allocated reservation ($0), Windows. */
function products(): PriceListItem[] {
  const out: PriceListItem[] = [];
  for (let i = 0; i < 50; i++) {
    const type = `m${i}.large`;
    out.push(item(type, 'Linux', 'Used', '0.0960000000'));
    out.push(item(type, 'Linux', 'AllocatedCapacityReservation', '0.0000000000'));
    out.push(item(type, 'Windows', 'Used', '0.1880000000'));
  }
  return out;
}

function world() {
  const env = createAwsEnv({ seed: 1 });
  const pricing = new FakePricing(env, { products: products() });
  return { env, pricing, client: pricing.client() };
}

async function rejection(promise: Promise<unknown>): Promise<Error & Record<string, unknown>> {
  try {
    await promise;
  } catch (error) {
    return error as Error & Record<string, unknown>;
  }
  throw new Error('expected the call to fail, but it succeeded');
}

const term = (Field: string, Value: string, Type: Filter['Type'] = 'TERM_MATCH'): Filter => ({ Type, Field, Value });
const parsed = (list: unknown): PriceListItem[] => ((list ?? []) as unknown[]).map((entry) => JSON.parse(String(entry)) as PriceListItem);

describe('GetProducts', () => {
  it('returns every product that matches all filters, as JSON documents the SDK boxes in Strings', async () => {
    const { client } = world();
    const page = await client.send(new GetProductsCommand({ ServiceCode: 'AmazonEC2', Filters: [term('instanceType', 'm7.large')] }));
    expect(page.FormatVersion).toBe('aws_v1');
    const entries = page.PriceList as unknown[];
    expect(entries).toHaveLength(3);
    // As SDK 3.11xx's LazyJsonString: an object, a String, that parses itself.
    expect(typeof entries[0]).toBe('object');
    expect(entries[0]).toBeInstanceOf(String);
    expect((entries[0] as { deserializeJSON(): unknown }).deserializeJSON()).toEqual(JSON.parse(String(entries[0])));
    const items = parsed(entries);
    expect(items.map((i) => `${i.product.attributes.operatingSystem}/${i.product.attributes.capacitystatus}`).sort()).toEqual([
      'Linux/AllocatedCapacityReservation',
      'Linux/Used',
      'Windows/Used',
    ]);
    const exact = await client.send(
      new GetProductsCommand({
        ServiceCode: 'AmazonEC2',
        Filters: [term('instanceType', 'm7.large'), term('operatingSystem', 'Linux'), term('capacitystatus', 'Used')],
      }),
    );
    const [only] = parsed(exact.PriceList);
    const [onDemand] = Object.values(only!.terms.OnDemand!);
    expect(Object.values(onDemand!.priceDimensions)[0]!.pricePerUnit.USD).toBe('0.0960000000');
  });

  it('matches TERM_MATCH and EQUALS exactly, CONTAINS as a substring, ANY_OF and NONE_OF against comma-separated values', async () => {
    const { client } = world();
    const count = async (...filters: Filter[]) =>
      (await client.send(new GetProductsCommand({ ServiceCode: 'AmazonEC2', Filters: filters, MaxResults: 100 }))).PriceList!.length;
    expect(await count(term('operatingSystem', 'linux'))).toBe(0);
    expect(await count(term('instanceType', 'm1.large', 'EQUALS'))).toBe(3);
    expect(await count(term('instanceType', 'm1', 'CONTAINS'), term('operatingSystem', 'Windows'))).toBe(11); // m1, m10…m19
    expect(await count(term('instanceType', 'm1.large,m2.large', 'ANY_OF'), term('capacitystatus', 'Used'))).toBe(4);
    expect(await count(term('capacitystatus', 'AllocatedCapacityReservation', 'NONE_OF'), term('instanceType', 'm3.large'))).toBe(2);
    expect(await count(term('noSuchAttribute', 'x'))).toBe(0);
  });

  it('pages 100 products by default, MaxResults 1–100, with an opaque NextToken bound to its query', async () => {
    const { client } = world();
    const first = await client.send(new GetProductsCommand({ ServiceCode: 'AmazonEC2' }));
    expect(first.PriceList).toHaveLength(100);
    const second = await client.send(new GetProductsCommand({ ServiceCode: 'AmazonEC2', NextToken: first.NextToken }));
    expect(second.PriceList).toHaveLength(50);
    expect(second.NextToken).toBeUndefined();
    let seen = 0;
    for await (const page of paginateGetProducts({ client, pageSize: 40 }, { ServiceCode: 'AmazonEC2', Filters: [term('operatingSystem', 'Linux')] })) {
      seen += (page.PriceList as unknown[]).length;
    }
    expect(seen).toBe(100);
    for (const bad of [0, 101]) {
      const error = await rejection(client.send(new GetProductsCommand({ ServiceCode: 'AmazonEC2', MaxResults: bad })));
      expect(error).toBeInstanceOf(InvalidParameterException);
      expect(error.name).toBe('InvalidParameterException');
    }
    const replayed = await rejection(
      client.send(new GetProductsCommand({ ServiceCode: 'AmazonEC2', NextToken: first.NextToken, Filters: [term('operatingSystem', 'Linux')] })),
    );
    expect(replayed).toBeInstanceOf(InvalidNextTokenException);
  });

  it('refuses what the API refuses', async () => {
    const { client } = world();
    const noService = await rejection(client.send(new GetProductsCommand({ ServiceCode: undefined })));
    expect(noService).toBeInstanceOf(InvalidParameterException);
    const unknown = await rejection(client.send(new GetProductsCommand({ ServiceCode: 'AmazonEC3' })));
    expect(unknown).toBeInstanceOf(NotFoundException);
    const format = await rejection(client.send(new GetProductsCommand({ ServiceCode: 'AmazonEC2', FormatVersion: 'aws_v2' })));
    expect(format).toBeInstanceOf(InvalidParameterException);
    const type = await rejection(client.send(new GetProductsCommand({ ServiceCode: 'AmazonEC2', Filters: [term('tenancy', 'Shared', 'LIKE' as never)] })));
    expect(type).toBeInstanceOf(InvalidParameterException);
    expect(type.message).toMatch(/TERM_MATCH/);
    for (const error of [noService, unknown, format, type]) {
      expect(error).toBeInstanceOf(PricingServiceException);
      expect((error.$metadata as { httpStatusCode: number }).httpStatusCode).toBe(400);
    }
  });

  it('traces every call and raises injected faults', async () => {
    const { client, env } = world();
    env.faults.add({ service: 'pricing', operation: 'GetProducts', fault: PricingFaults.throttling });
    const error = await rejection(client.send(new GetProductsCommand({ ServiceCode: 'AmazonEC2' })));
    expect(error.name).toBe('ThrottlingException');
    await client.send(new GetProductsCommand({ ServiceCode: 'AmazonEC2', MaxResults: 1 }));
    expect(env.trace.calls('pricing', 'GetProducts').map((c) => c.outcome)).toEqual(['ThrottlingException', 'ok']);
  });

  it('serves a learner-built PricingClient from the newest world', async () => {
    world();
    const { env } = world();
    await new PricingClient({ region: 'us-east-1' }).send(new GetProductsCommand({ ServiceCode: 'AmazonEC2', MaxResults: 1 }));
    expect(env.trace.calls('pricing')).toHaveLength(1);
  });

  it('looks products up for checks without tracing', () => {
    const { pricing, env } = world();
    expect(pricing.products({ instanceType: 'm3.large', operatingSystem: 'Windows' })).toHaveLength(1);
    expect(env.trace.entries).toHaveLength(0);
  });
});

describe('jsonDocumentString', () => {
  it('behaves as a String and as the SDK LazyJsonString', () => {
    const boxed = jsonDocumentString('{"a":1}');
    expect(`${boxed}`).toBe('{"a":1}');
    expect(JSON.parse(boxed as unknown as string)).toEqual({ a: 1 });
    expect(JSON.stringify({ x: boxed })).toBe('{"x":"{\\"a\\":1}"}');
    expect(boxed.deserializeJSON()).toEqual({ a: 1 });
  });
});
