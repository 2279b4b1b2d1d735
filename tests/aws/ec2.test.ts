// The fake EC2 as a learner's code sees it: through the real EC2Client. Each expectation is what
// EC2 does (see grader/aws/ec2.ts for the sources); a fake kinder than EC2 fails here.

import { fileURLToPath } from 'node:url';
import {
  DescribeInstanceTypesCommand,
  DescribeSpotPriceHistoryCommand,
  EC2Client,
  EC2ServiceException,
  paginateDescribeInstanceTypes,
  paginateDescribeSpotPriceHistory,
} from '@aws-sdk/client-ec2';
import type { InstanceTypeInfo, SpotPrice } from '@aws-sdk/client-ec2';
import * as esbuild from 'esbuild';
import { describe, expect, it } from 'vitest';
import { createAwsEnv } from '../../grader/aws/env.ts';
import { Ec2Faults, FakeEc2, PageTokens, wildcardMatch } from '../../grader/aws/ec2.ts';
import type { SpotPriceRecord } from '../../grader/aws/ec2.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const HOUR = 3_600_000;

/** 120 small types: more than one full page, some of previous generation, one without Spot. */
function catalogue(): InstanceTypeInfo[] {
  return Array.from({ length: 120 }, (_, i): InstanceTypeInfo => ({
    InstanceType: `t${i % 7}.size${i}` as InstanceTypeInfo['InstanceType'],
    CurrentGeneration: i % 10 !== 3,
    SupportedUsageClasses: i === 7 ? ['on-demand'] : ['on-demand', 'spot'],
    VCpuInfo: { DefaultVCpus: 2 + (i % 8) * 2 },
    MemoryInfo: { SizeInMiB: 4096 * (1 + (i % 5)) },
  }));
}

function world(options: { spot?: SpotPriceRecord[] } = {}) {
  const env = createAwsEnv({ seed: 1 });
  const ec2 = new FakeEc2(env, { instanceTypes: catalogue(), spotPriceHistory: options.spot ?? [] });
  return { env, ec2, client: ec2.client(), now: env.clock.now().getTime() };
}

async function rejection(promise: Promise<unknown>): Promise<Error & Record<string, unknown>> {
  try {
    await promise;
  } catch (error) {
    return error as Error & Record<string, unknown>;
  }
  throw new Error('expected the call to fail, but it succeeded');
}

const status = (error: Record<string, unknown>) => (error.$metadata as { httpStatusCode?: number } | undefined)?.httpStatusCode;
const names = (types: InstanceTypeInfo[] | undefined) => (types ?? []).map((t) => String(t.InstanceType));

describe('DescribeInstanceTypes', () => {
  it('pages the region 100 types at a time by default, in its listing order, until NextToken is absent', async () => {
    const { client } = world();
    const first = await client.send(new DescribeInstanceTypesCommand({}));
    expect(first.InstanceTypes).toHaveLength(100);
    expect(first.NextToken).toEqual(expect.any(String));
    const second = await client.send(new DescribeInstanceTypesCommand({ NextToken: first.NextToken }));
    expect(second.InstanceTypes).toHaveLength(20);
    expect(second.NextToken).toBeUndefined();
    expect([...names(first.InstanceTypes), ...names(second.InstanceTypes)]).toEqual(names(catalogue()));
  });

  it('honours MaxResults between 5 and 100 and refuses anything else with InvalidParameterValue', async () => {
    const { client } = world();
    expect((await client.send(new DescribeInstanceTypesCommand({ MaxResults: 5 }))).InstanceTypes).toHaveLength(5);
    expect((await client.send(new DescribeInstanceTypesCommand({ MaxResults: 100 }))).InstanceTypes).toHaveLength(100);
    for (const bad of [4, 101, 1000, 0, 2.5]) {
      const error = await rejection(client.send(new DescribeInstanceTypesCommand({ MaxResults: bad })));
      expect(error).toBeInstanceOf(EC2ServiceException);
      expect(error.name).toBe('InvalidParameterValue');
      expect(error.message).toMatch(/between 5 and 100/);
      expect(status(error)).toBe(400);
      expect(error.$fault).toBe('client');
    }
  });

  it('applies Filters within each page: a page can be short or empty and still carry a NextToken', async () => {
    const { client } = world();
    const pages: number[] = [];
    const kept: string[] = [];
    let token: string | undefined;
    do {
      const page = await client.send(
        new DescribeInstanceTypesCommand({ MaxResults: 5, NextToken: token, Filters: [{ Name: 'instance-type', Values: ['t3.*'] }] }),
      );
      pages.push(page.InstanceTypes!.length);
      kept.push(...names(page.InstanceTypes));
      token = page.NextToken;
    } while (token);
    expect(pages).toHaveLength(24);
    expect(pages).toContain(0);
    expect(kept).toEqual(names(catalogue()).filter((n) => n.startsWith('t3.')));
  });

  it('filters on current-generation and supported-usage-class; every filter must hold, any value of one', async () => {
    const { client } = world();
    const all: string[] = [];
    for await (const page of paginateDescribeInstanceTypes(
      { client },
      { Filters: [{ Name: 'current-generation', Values: ['true'] }, { Name: 'supported-usage-class', Values: ['spot'] }] },
    )) {
      all.push(...names(page.InstanceTypes));
    }
    const expected = catalogue().filter((t) => t.CurrentGeneration && t.SupportedUsageClasses!.includes('spot'));
    expect(all).toEqual(names(expected));
  });

  it('answers named InstanceTypes in one response and names the ones that do not exist', async () => {
    const { client } = world();
    const wanted = ['t1.size1', 't2.size2', 't5.size110'];
    const page = await client.send(new DescribeInstanceTypesCommand({ InstanceTypes: wanted as never, MaxResults: 5 }));
    expect(names(page.InstanceTypes).sort()).toEqual(['t1.size1', 't2.size2', 't5.size110']);
    expect(page.NextToken).toBeUndefined();
    const error = await rejection(client.send(new DescribeInstanceTypesCommand({ InstanceTypes: ['p9.huge', 't1.size1'] as never })));
    expect(error.name).toBe('InvalidInstanceType');
    expect(error.message).toContain('[p9.huge]');
  });

  it('rejects unknown filters as EC2 does, and says plainly when a real filter is not modelled', async () => {
    const { client } = world();
    const unknown = await rejection(client.send(new DescribeInstanceTypesCommand({ Filters: [{ Name: 'gpu-count', Values: ['1'] }] })));
    expect(unknown.name).toBe('InvalidParameterValue');
    expect(unknown.message).toBe("The filter 'gpu-count' is invalid");
    const unmodelled = await rejection(
      client.send(new DescribeInstanceTypesCommand({ Filters: [{ Name: 'network-info.efa-supported', Values: ['true'] }] })),
    );
    expect(unmodelled).not.toBeInstanceOf(EC2ServiceException);
    expect(unmodelled.message).toMatch(/does not implement .* 'network-info.efa-supported' \(AWS does\)/);
  });

  it('keeps tokens opaque and bound to their query', async () => {
    const { client } = world();
    const filters = [{ Name: 'current-generation', Values: ['true'] }];
    const first = await client.send(new DescribeInstanceTypesCommand({ MaxResults: 10, Filters: filters }));
    for (const token of ['garbage', `${first.NextToken}x`, first.NextToken!.slice(1)]) {
      const error = await rejection(client.send(new DescribeInstanceTypesCommand({ NextToken: token, Filters: filters })));
      expect(error.name).toBe('InvalidPaginationToken');
      expect(error.message).toBe('The specified pagination token is not valid or is expired.');
    }
    const replayed = await rejection(client.send(new DescribeInstanceTypesCommand({ NextToken: first.NextToken })));
    expect(replayed.name).toBe('InvalidPaginationToken');
    // The page size may change between pages, as on EC2.
    const next = await client.send(new DescribeInstanceTypesCommand({ MaxResults: 50, NextToken: first.NextToken, Filters: filters }));
    expect(next.InstanceTypes!.length).toBeGreaterThan(0);
  });

  it('answers DryRun with DryRunOperation (HTTP 412)', async () => {
    const { client } = world();
    const error = await rejection(client.send(new DescribeInstanceTypesCommand({ DryRun: true })));
    expect(error.name).toBe('DryRunOperation');
    expect(status(error)).toBe(412);
  });

  it('hands out copies: what the learner mutates does not change the region', async () => {
    const { client, ec2 } = world();
    const page = await client.send(new DescribeInstanceTypesCommand({ InstanceTypes: ['t0.size0'] as never }));
    page.InstanceTypes![0]!.VCpuInfo!.DefaultVCpus = 999;
    expect(ec2.instanceTypes()[0]!.VCpuInfo!.DefaultVCpus).toBe(2);
  });

  it('lists chosen types last when a check asks, leaving the rest in order', () => {
    const { ec2 } = world();
    ec2.listLast(['t0.size0', 't1.size1']);
    const order = names(ec2.instanceTypes());
    expect(order.slice(-2)).toEqual(['t0.size0', 't1.size1']);
    expect(order.slice(0, 3)).toEqual(['t2.size2', 't3.size3', 't4.size4']);
  });
});

describe('DescribeSpotPriceHistory', () => {
  function history(now: number): SpotPriceRecord[] {
    const at = (hoursAgo: number) => new Date(now - hoursAgo * HOUR);
    const r = (instanceType: string, availabilityZone: string, spotPrice: string, hoursAgo: number, productDescription = 'Linux/UNIX') =>
      ({ instanceType, availabilityZone, productDescription, spotPrice, timestamp: at(hoursAgo) });
    return [
      r('t1.size1', 'us-east-1a', '0.100000', 30),
      r('t1.size1', 'us-east-1a', '0.120000', 5),
      r('t1.size1', 'us-east-1b', '0.090000', 40),
      r('t1.size1', 'us-east-1b', '0.110000', 1),
      r('t1.size1', 'us-east-1b', '0.150000', 0.5, 'Windows'),
      r('t2.size2', 'us-east-1c', '0.200000', 2),
      r('t2.size2', 'us-east-1c', '0.180000', 200 * 24), // older than 90 days
    ];
  }

  const flat = (records: SpotPrice[] | undefined) =>
    (records ?? []).map((r) => `${r.InstanceType} ${r.AvailabilityZone} ${r.ProductDescription} ${r.SpotPrice}`);

  it('returns every change of the last 90 days, newest first across zones and products, with zone IDs', async () => {
    const { client, now } = world({ spot: history(createAwsEnv({ seed: 1 }).clock.now().getTime()) });
    const page = await client.send(new DescribeSpotPriceHistoryCommand({}));
    expect(flat(page.SpotPriceHistory)).toEqual([
      't1.size1 us-east-1b Windows 0.150000',
      't1.size1 us-east-1b Linux/UNIX 0.110000',
      't2.size2 us-east-1c Linux/UNIX 0.200000',
      't1.size1 us-east-1a Linux/UNIX 0.120000',
      't1.size1 us-east-1a Linux/UNIX 0.100000',
      't1.size1 us-east-1b Linux/UNIX 0.090000',
      // The 200-day-old change is the one in effect at the 90-day horizon, so it comes last.
      't2.size2 us-east-1c Linux/UNIX 0.180000',
    ]);
    expect(page.SpotPriceHistory![0]!.Timestamp).toEqual(new Date(now - 0.5 * HOUR));
    expect(page.SpotPriceHistory![0]!.AvailabilityZoneId).toMatch(/^use1-az\d$/);
    expect(page.NextToken).toBe('');
  });

  it('filters by InstanceTypes, ProductDescriptions, AvailabilityZone and the availability-zone filter', async () => {
    const { client } = world({ spot: history(createAwsEnv({ seed: 1 }).clock.now().getTime()) });
    const linux = await client.send(
      new DescribeSpotPriceHistoryCommand({ InstanceTypes: ['t1.size1'] as never, ProductDescriptions: ['Linux/UNIX'] }),
    );
    expect(flat(linux.SpotPriceHistory)).toHaveLength(4);
    const zoneB = await client.send(new DescribeSpotPriceHistoryCommand({ AvailabilityZone: 'us-east-1b' }));
    expect(flat(zoneB.SpotPriceHistory).every((r) => r.includes('us-east-1b'))).toBe(true);
    const byFilter = await client.send(
      new DescribeSpotPriceHistoryCommand({ Filters: [{ Name: 'availability-zone', Values: ['us-east-1?'] }, { Name: 'product-description', Values: ['Windows'] }] }),
    );
    expect(flat(byFilter.SpotPriceHistory)).toEqual(['t1.size1 us-east-1b Windows 0.150000']);
    const bad = await rejection(client.send(new DescribeSpotPriceHistoryCommand({ Filters: [{ Name: 'price', Values: ['1'] }] })));
    expect(bad.name).toBe('InvalidParameterValue');
  });

  it('with a StartTime, adds the change in effect at that time for each type, zone and product', async () => {
    const { client, now } = world({ spot: history(createAwsEnv({ seed: 1 }).clock.now().getTime()) });
    const current = await client.send(
      new DescribeSpotPriceHistoryCommand({ InstanceTypes: ['t1.size1'] as never, ProductDescriptions: ['Linux/UNIX'], StartTime: new Date(now) }),
    );
    expect(flat(current.SpotPriceHistory)).toEqual(['t1.size1 us-east-1b Linux/UNIX 0.110000', 't1.size1 us-east-1a Linux/UNIX 0.120000']);
    const window = await client.send(
      new DescribeSpotPriceHistoryCommand({
        InstanceTypes: ['t1.size1'] as never,
        ProductDescriptions: ['Linux/UNIX'],
        StartTime: new Date(now - 10 * HOUR),
        EndTime: new Date(now - 2 * HOUR),
      }),
    );
    // The 5-hour-old change is in the window; before it, 1a's 30-hour-old and 1b's 40-hour-old were in effect.
    expect(flat(window.SpotPriceHistory)).toEqual([
      't1.size1 us-east-1a Linux/UNIX 0.120000',
      't1.size1 us-east-1a Linux/UNIX 0.100000',
      't1.size1 us-east-1b Linux/UNIX 0.090000',
    ]);
    const backwards = await rejection(
      client.send(new DescribeSpotPriceHistoryCommand({ StartTime: new Date(now), EndTime: new Date(now - HOUR) })),
    );
    expect(backwards.name).toBe('InvalidParameterValue');
  });

  it('pages with MaxResults 1–1000 and ends with an empty NextToken, which the paginator understands', async () => {
    const { client } = world({ spot: history(createAwsEnv({ seed: 1 }).clock.now().getTime()) });
    const first = await client.send(new DescribeSpotPriceHistoryCommand({ MaxResults: 3 }));
    expect(first.SpotPriceHistory).toHaveLength(3);
    expect(first.NextToken).not.toBe('');
    const rest = await client.send(new DescribeSpotPriceHistoryCommand({ MaxResults: 1000, NextToken: first.NextToken }));
    expect(rest.SpotPriceHistory).toHaveLength(4);
    expect(rest.NextToken).toBe('');
    let seen = 0;
    for await (const page of paginateDescribeSpotPriceHistory({ client, pageSize: 2 }, {})) seen += page.SpotPriceHistory!.length;
    expect(seen).toBe(7);
    for (const bad of [0, 1001]) {
      const error = await rejection(client.send(new DescribeSpotPriceHistoryCommand({ MaxResults: bad })));
      expect(error.name).toBe('InvalidParameterValue');
    }
    const other = await rejection(client.send(new DescribeSpotPriceHistoryCommand({ MaxResults: 3, NextToken: first.NextToken, ProductDescriptions: ['Windows'] })));
    expect(other.name).toBe('InvalidPaginationToken');
  });

  it('refuses records the region could not have', () => {
    const { ec2, now } = world();
    const record = { instanceType: 't1.size1', availabilityZone: 'us-east-1a', productDescription: 'Linux/UNIX', spotPrice: '0.1', timestamp: new Date(now) };
    expect(() => ec2.addSpotPrice({ ...record, instanceType: 'z9.huge' })).toThrow(/not one of this region's instance types/);
    expect(() => ec2.addSpotPrice({ ...record, availabilityZone: 'eu-west-1a' })).toThrow(/not a zone/);
    expect(() => ec2.addSpotPrice({ ...record, spotPrice: '$0.10' })).toThrow(/not a price/);
  });
});

describe('trace and faults', () => {
  it('records every call with its outcome, and raises injected faults as EC2 errors', async () => {
    const { client, env } = world();
    env.faults.add({ service: 'ec2', operation: 'DescribeInstanceTypes', after: 1, fault: Ec2Faults.requestLimitExceeded });
    await client.send(new DescribeInstanceTypesCommand({ MaxResults: 5 }));
    const error = await rejection(client.send(new DescribeInstanceTypesCommand({ MaxResults: 5 })));
    expect(error).toBeInstanceOf(EC2ServiceException);
    expect(error.name).toBe('RequestLimitExceeded');
    expect(status(error)).toBe(503);
    expect(error.$fault).toBe('server');
    await rejection(client.send(new DescribeInstanceTypesCommand({ MaxResults: 500 })));
    expect(env.trace.calls('ec2').map((c) => `${c.operation} ${c.outcome} ${c.httpStatusCode}`)).toEqual([
      'DescribeInstanceTypes ok 200',
      'DescribeInstanceTypes RequestLimitExceeded 503',
      'DescribeInstanceTypes InvalidParameterValue 400',
    ]);
  });

  it('serves a learner-built EC2Client from the newest world', async () => {
    world();
    const { env } = world();
    await new EC2Client({ region: 'us-east-1' }).send(new DescribeInstanceTypesCommand({ MaxResults: 5 }));
    expect(env.trace.calls('ec2', 'DescribeInstanceTypes')).toHaveLength(1);
  });
});

describe('pure pieces', () => {
  it('matches EC2 filter wildcards: * any run, ? one character, the rest literal', () => {
    expect(wildcardMatch('g5.*', 'g5.xlarge')).toBe(true);
    expect(wildcardMatch('g5.*', 'g5a.xlarge')).toBe(false);
    expect(wildcardMatch('us-east-1?', 'us-east-1a')).toBe(true);
    expect(wildcardMatch('us-east-1?', 'us-east-10a')).toBe(false);
    expect(wildcardMatch('a+b', 'a+b')).toBe(true);
    expect(wildcardMatch('Linux/UNIX', 'linux/unix')).toBe(false);
  });

  it('seals page tokens to their query', () => {
    const tokens = new PageTokens('secret');
    const token = tokens.encode('query', 42);
    expect(tokens.decode('query', token)).toBe(42);
    expect(tokens.decode('other', token)).toBeUndefined();
    expect(new PageTokens('another').decode('query', token)).toBeUndefined();
    expect(tokens.decode('query', '%%%')).toBeUndefined();
  });
});

describe('environments', () => {
  it('bundles for the browser with no Node-only dependency', async () => {
    const result = await esbuild.build({
      entryPoints: [`${ROOT}grader/aws/ec2.ts`, `${ROOT}grader/aws/pricing.ts`],
      bundle: true,
      platform: 'browser',
      format: 'esm',
      write: false,
      outdir: 'out',
      logLevel: 'silent',
    });
    for (const file of result.outputFiles) expect(file.text).not.toMatch(/from\s*["']node:/);
  });
});
