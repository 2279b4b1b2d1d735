// The fake S3 as a learner's code sees it: through the real S3Client. Each expectation is what
// real S3 (and SDK 3.1175) does; a fake that is kinder than AWS fails here.

import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import {
  AccessDenied,
  CopyObjectCommand,
  CreateBucketCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListBucketsCommand,
  ListObjectsCommand,
  ListObjectsV2Command,
  NoSuchBucket,
  NoSuchKey,
  NotFound,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
  paginateListObjectsV2,
} from '@aws-sdk/client-s3';
import type { ListObjectsV2CommandInput } from '@aws-sdk/client-s3';
import * as esbuild from 'esbuild';
import { describe, expect, it } from 'vitest';
import { Faults, createAwsEnv, simulatedClock } from '../../grader/aws/env.ts';
import type { AwsEnv } from '../../grader/aws/env.ts';
import { FakeS3, compareUtf8 } from '../../grader/aws/s3.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

function world(seed = 1): { env: AwsEnv; s3: FakeS3; client: S3Client } {
  const env = createAwsEnv({ seed });
  const s3 = new FakeS3(env);
  s3.createBucket('lake');
  return { env, s3, client: s3.client() };
}

/** The rejection of a promise, for assertions on its class and fields. */
async function rejection(promise: Promise<unknown>): Promise<Error & Record<string, unknown>> {
  try {
    await promise;
  } catch (error) {
    return error as Error & Record<string, unknown>;
  }
  throw new Error('expected the call to fail, but it succeeded');
}

function status(error: Record<string, unknown>): number | undefined {
  return (error.$metadata as { httpStatusCode?: number } | undefined)?.httpStatusCode;
}

function byteOrder(keys: string[]): string[] {
  return [...keys].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
}

const md5hex = (text: string) => createHash('md5').update(text).digest('hex');

describe('ListObjectsV2 paging', () => {
  const keys = Array.from({ length: 2500 }, (_, i) => `events/part-${String(i).padStart(5, '0')}.jsonl`);

  function seeded() {
    const w = world();
    // Seed in a scrambled order: the fake must sort, not echo insertion order.
    for (const key of [...keys].reverse()) w.s3.putObject('lake', key, '{}\n');
    return w;
  }

  async function listAll(client: S3Client, input: ListObjectsV2CommandInput): Promise<{ keys: string[]; pageSizes: number[] }> {
    const out: string[] = [];
    const pageSizes: number[] = [];
    let token: string | undefined;
    do {
      const page = await client.send(new ListObjectsV2Command({ ...input, ContinuationToken: token }));
      pageSizes.push(page.KeyCount ?? -1);
      for (const o of page.Contents ?? []) out.push(o.Key!);
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
      if (page.IsTruncated) expect(page.NextContinuationToken, 'a truncated page carries a token').toBeTypeOf('string');
    } while (token);
    return { keys: out, pageSizes };
  }

  it('returns at most 1,000 keys a page by default, and the rest behind a token', async () => {
    const { client } = seeded();
    const first = await client.send(new ListObjectsV2Command({ Bucket: 'lake' }));
    expect(first.Contents).toHaveLength(1000);
    expect(first.KeyCount).toBe(1000);
    expect(first.MaxKeys).toBe(1000);
    expect(first.IsTruncated).toBe(true);
    const all = await listAll(client, { Bucket: 'lake' });
    expect(all.pageSizes).toEqual([1000, 1000, 500]);
    expect(all.keys).toEqual(keys);
  });

  it('treats MaxKeys above 1,000 as 1,000 and honours smaller values', async () => {
    const { client } = seeded();
    expect((await listAll(client, { Bucket: 'lake', MaxKeys: 5000 })).pageSizes).toEqual([1000, 1000, 500]);
    const small = await listAll(client, { Bucket: 'lake', MaxKeys: 300 });
    expect(small.pageSizes).toEqual([300, 300, 300, 300, 300, 300, 300, 300, 100]);
    expect(small.keys).toEqual(keys);
  });

  it('works with the SDK paginator', async () => {
    const { client } = seeded();
    const seen: string[] = [];
    let pages = 0;
    for await (const page of paginateListObjectsV2({ client, pageSize: 700 }, { Bucket: 'lake', Prefix: 'events/' })) {
      pages += 1;
      expect(page.KeyCount).toBeLessThanOrEqual(700);
      for (const o of page.Contents ?? []) seen.push(o.Key!);
    }
    expect(pages).toBe(4);
    expect(seen).toEqual(keys);
  });

  it('keeps StartAfter and Prefix', async () => {
    const { client } = seeded();
    const page = await client.send(
      new ListObjectsV2Command({ Bucket: 'lake', Prefix: 'events/part-024', StartAfter: 'events/part-02450.jsonl' }),
    );
    expect(page.Contents!.map((o) => o.Key)).toEqual(keys.slice(2451));
    expect(page.StartAfter).toBe('events/part-02450.jsonl');
    expect(page.Prefix).toBe('events/part-024');
    expect(page.IsTruncated).toBe(false);
    expect(page.NextContinuationToken).toBeUndefined();
  });

  it('answers an empty listing without Contents, as S3 does (so `Contents.map` throws there too)', async () => {
    const { client } = world();
    const page = await client.send(new ListObjectsV2Command({ Bucket: 'lake', Prefix: 'nothing/' }));
    expect(page.Contents).toBeUndefined();
    expect(page.CommonPrefixes).toBeUndefined();
    expect(page.KeyCount).toBe(0);
    expect(page.IsTruncated).toBe(false);
  });

  it('rejects a negative MaxKeys', async () => {
    const { client } = world();
    const error = await rejection(client.send(new ListObjectsV2Command({ Bucket: 'lake', MaxKeys: -1 })));
    expect(error.name).toBe('InvalidArgument');
    expect(status(error)).toBe(400);
  });
});

describe('continuation tokens', () => {
  function twoPages() {
    const w = world();
    for (const key of ['a/1', 'a/2', 'a/3']) w.s3.putObject('lake', key, 'x');
    return w;
  }

  it('are opaque: the next key is not readable in the token', async () => {
    const { client } = twoPages();
    const page = await client.send(new ListObjectsV2Command({ Bucket: 'lake', MaxKeys: 1 }));
    const token = page.NextContinuationToken!;
    expect(token).not.toContain('a/1');
    expect(token).not.toContain('a/2');
    expect(Buffer.from(token, 'base64').toString('latin1')).not.toContain('a/1');
  });

  it.each([
    ['a garbled token', 'not a token at all'],
    ['the last key in clear', 'a/1'],
    ['the last key in base64', Buffer.from('a/1').toString('base64')],
  ])('reject %s with InvalidArgument, as S3 does', async (_, token) => {
    const { client } = twoPages();
    const error = await rejection(client.send(new ListObjectsV2Command({ Bucket: 'lake', ContinuationToken: token })));
    expect(error).toBeInstanceOf(S3ServiceException);
    expect(error.name).toBe('InvalidArgument');
    expect(error.message).toBe('The continuation token provided is incorrect');
    expect(error.ArgumentName).toBe('continuation-token');
    expect(status(error)).toBe(400);
    expect(error.$fault).toBe('client');
  });

  it('reject an edited token and a token from another bucket', async () => {
    const { client, s3 } = twoPages();
    s3.createBucket('other');
    s3.putObject('other', 'a/1', 'x');
    s3.putObject('other', 'a/2', 'x');
    const token = (await client.send(new ListObjectsV2Command({ Bucket: 'lake', MaxKeys: 1 }))).NextContinuationToken!;
    const bytes = Buffer.from(token, 'base64');
    bytes[3] = bytes[3]! ^ 1;
    for (const [bucket, candidate] of [
      ['lake', bytes.toString('base64')],
      ['other', token],
    ] as const) {
      const error = await rejection(client.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: candidate })));
      expect(error.name, `${bucket}: ${candidate}`).toBe('InvalidArgument');
    }
  });
});

describe('byte order', () => {
  const keys = ['a/z', 'a/é', 'a/B', 'a/b', 'a/Z', 'a/\uFF01', 'a/\u{1F600}', 'a/A', 'a/_', 'a/0'];

  it('lists keys in UTF-8 byte order (upper case before lower, é after z, emoji after U+FF01)', async () => {
    const { s3, client } = world();
    for (const key of keys) s3.putObject('lake', key, 'x');
    const listed = (await client.send(new ListObjectsV2Command({ Bucket: 'lake' }))).Contents!.map((o) => o.Key);
    const expected = byteOrder(keys);
    expect(expected).toEqual(['a/0', 'a/A', 'a/B', 'a/Z', 'a/_', 'a/b', 'a/z', 'a/é', 'a/\uFF01', 'a/\u{1F600}']);
    expect(listed).toEqual(expected);
    expect(s3.keys('lake')).toEqual(expected);
    // The naive orders a learner might reach for are both different.
    expect([...keys].sort((a, b) => a.localeCompare(b))).not.toEqual(expected);
    expect([...keys].sort()).not.toEqual(expected);
  });

  it('pages across the order with tokens', async () => {
    const { s3, client } = world();
    for (const key of keys) s3.putObject('lake', key, 'x');
    const seen: string[] = [];
    for await (const page of paginateListObjectsV2({ client, pageSize: 3 }, { Bucket: 'lake' })) {
      seen.push(...(page.Contents ?? []).map((o) => o.Key!));
    }
    expect(seen).toEqual(byteOrder(keys));
  });

  it('compareUtf8 agrees with Buffer.compare', () => {
    const sample = ['', 'a', 'ab', 'é', '\uE000', '\uFFFF', '\u{10000}', '\u{10FFFF}', 'Z', '\u00FF', '\u0100'];
    for (const a of sample) {
      for (const b of sample) {
        expect(Math.sign(compareUtf8(a, b)), `${JSON.stringify(a)} vs ${JSON.stringify(b)}`).toBe(
          Math.sign(Buffer.compare(Buffer.from(a), Buffer.from(b))),
        );
      }
    }
  });
});

describe('Delimiter and CommonPrefixes', () => {
  function lake() {
    const w = world();
    for (const day of ['01', '02', '03', '04']) {
      for (const batch of ['b1', 'b2', 'b3']) {
        w.s3.putObject('lake', `raw/web/year=2024/month=01/day=${day}/${batch}.jsonl`, '{}\n');
      }
    }
    w.s3.putObject('lake', 'raw/web/year=2024/month=01/_SUCCESS', '');
    w.s3.putObject('lake', 'raw/web/year=2024/month=02/day=01/b1.jsonl', '{}\n');
    return w;
  }

  it('rolls keys up into common prefixes and counts each prefix once in KeyCount', async () => {
    const { client } = lake();
    const page = await client.send(
      new ListObjectsV2Command({ Bucket: 'lake', Prefix: 'raw/web/year=2024/month=01/', Delimiter: '/' }),
    );
    expect(page.CommonPrefixes).toEqual([
      { Prefix: 'raw/web/year=2024/month=01/day=01/' },
      { Prefix: 'raw/web/year=2024/month=01/day=02/' },
      { Prefix: 'raw/web/year=2024/month=01/day=03/' },
      { Prefix: 'raw/web/year=2024/month=01/day=04/' },
    ]);
    expect(page.Contents!.map((o) => o.Key)).toEqual(['raw/web/year=2024/month=01/_SUCCESS']);
    expect(page.KeyCount).toBe(5);
    expect(page.Delimiter).toBe('/');
  });

  it('counts common prefixes toward MaxKeys and never repeats one on the next page', async () => {
    const { client } = lake();
    const prefixes: string[] = [];
    const keyCounts: number[] = [];
    for await (const page of paginateListObjectsV2(
      { client, pageSize: 2 },
      { Bucket: 'lake', Prefix: 'raw/web/year=2024/month=01/', Delimiter: '/' },
    )) {
      keyCounts.push(page.KeyCount!);
      expect((page.Contents?.length ?? 0) + (page.CommonPrefixes?.length ?? 0)).toBe(page.KeyCount);
      prefixes.push(...(page.CommonPrefixes ?? []).map((p) => p.Prefix!));
    }
    expect(keyCounts).toEqual([2, 2, 1]);
    expect(prefixes).toEqual([
      'raw/web/year=2024/month=01/day=01/',
      'raw/web/year=2024/month=01/day=02/',
      'raw/web/year=2024/month=01/day=03/',
      'raw/web/year=2024/month=01/day=04/',
    ]);
  });

  it('rolls up at the first delimiter after the prefix', async () => {
    const { client } = lake();
    const page = await client.send(new ListObjectsV2Command({ Bucket: 'lake', Prefix: 'raw/web/', Delimiter: '/' }));
    expect(page.CommonPrefixes).toEqual([{ Prefix: 'raw/web/year=2024/' }]);
    expect(page.Contents).toBeUndefined();
    expect(page.KeyCount).toBe(1);
  });

  it('ListObjects (v1) pages with Marker and gives NextMarker only with a Delimiter', async () => {
    const { client } = lake();
    const plain = await client.send(new ListObjectsCommand({ Bucket: 'lake', Prefix: 'raw/web/year=2024/month=01/day=01/', MaxKeys: 2 }));
    expect(plain.IsTruncated).toBe(true);
    expect(plain.NextMarker).toBeUndefined();
    const next = await client.send(
      new ListObjectsCommand({ Bucket: 'lake', Prefix: 'raw/web/year=2024/month=01/day=01/', Marker: plain.Contents!.at(-1)!.Key }),
    );
    expect(next.Contents!.map((o) => o.Key)).toEqual(['raw/web/year=2024/month=01/day=01/b3.jsonl']);
    const rolled = await client.send(
      new ListObjectsCommand({ Bucket: 'lake', Prefix: 'raw/web/year=2024/month=01/', Delimiter: '/', MaxKeys: 2 }),
    );
    // '_SUCCESS' sorts before 'day=…' ('_' is 0x5F, 'd' 0x64): the page is that key and day=01/.
    expect(rolled.Contents!.map((o) => o.Key)).toEqual(['raw/web/year=2024/month=01/_SUCCESS']);
    expect(rolled.NextMarker).toBe('raw/web/year=2024/month=01/day=01/');
    const after = await client.send(
      new ListObjectsCommand({ Bucket: 'lake', Prefix: 'raw/web/year=2024/month=01/', Delimiter: '/', Marker: rolled.NextMarker }),
    );
    expect(after.CommonPrefixes!.map((p) => p.Prefix)).toEqual([
      'raw/web/year=2024/month=01/day=02/',
      'raw/web/year=2024/month=01/day=03/',
      'raw/web/year=2024/month=01/day=04/',
    ]);
  });
});

describe('objects', () => {
  it('PutObject then GetObject: body with the SDK stream methods, ETag, ContentLength, LastModified, ContentType', async () => {
    const clock = simulatedClock(Date.parse('2024-05-01T10:00:00.750Z'));
    const env = createAwsEnv({ seed: 1, clock });
    const s3 = new FakeS3(env);
    s3.createBucket('lake');
    const client = s3.client();
    const put = await client.send(
      new PutObjectCommand({ Bucket: 'lake', Key: 'a.jsonl', Body: 'héllo\n', ContentType: 'application/x-ndjson' }),
    );
    expect(put.ETag).toBe(`"${md5hex('héllo\n')}"`);
    expect(put.$metadata.httpStatusCode).toBe(200);
    const got = await client.send(new GetObjectCommand({ Bucket: 'lake', Key: 'a.jsonl' }));
    expect(got.ContentLength).toBe(7); // bytes, not characters
    expect(got.ETag).toBe(put.ETag);
    expect(got.ContentType).toBe('application/x-ndjson');
    expect(got.LastModified).toEqual(new Date('2024-05-01T10:00:00Z')); // S3 keeps whole seconds
    expect(await got.Body!.transformToString()).toBe('héllo\n');
    // As in the SDK, a body can be read once.
    await expect(got.Body!.transformToString()).rejects.toThrow('The stream has already been transformed.');
    const again = await client.send(new GetObjectCommand({ Bucket: 'lake', Key: 'a.jsonl' }));
    expect(Buffer.from(await again.Body!.transformToByteArray()).toString()).toBe('héllo\n');
    const web = (await client.send(new GetObjectCommand({ Bucket: 'lake', Key: 'a.jsonl' }))).Body!.transformToWebStream();
    expect(await new Response(web).text()).toBe('héllo\n');
  });

  it('accepts Uint8Array, Blob and stream bodies and keeps the newest write', async () => {
    const { s3, client } = world();
    await client.send(new PutObjectCommand({ Bucket: 'lake', Key: 'k', Body: new Uint8Array([104, 105]) }));
    expect(s3.getObjectText('lake', 'k')).toBe('hi');
    await client.send(new PutObjectCommand({ Bucket: 'lake', Key: 'k', Body: new Blob(['blob']) }));
    expect(s3.getObjectText('lake', 'k')).toBe('blob');
    await client.send(new PutObjectCommand({ Bucket: 'lake', Key: 'k', Body: new Response('web stream').body! }));
    expect(s3.getObjectText('lake', 'k')).toBe('web stream');
    expect(s3.objects('lake')).toHaveLength(1);
    expect(s3.objects('lake')[0]!.size).toBe(10);
  });

  it('serves byte ranges with 206 and rejects unsatisfiable ones', async () => {
    const { s3, client } = world();
    s3.putObject('lake', 'k', '0123456789');
    const part = await client.send(new GetObjectCommand({ Bucket: 'lake', Key: 'k', Range: 'bytes=2-4' }));
    expect(await part.Body!.transformToString()).toBe('234');
    expect(part.ContentRange).toBe('bytes 2-4/10');
    expect(part.$metadata.httpStatusCode).toBe(206);
    const tail = await client.send(new GetObjectCommand({ Bucket: 'lake', Key: 'k', Range: 'bytes=-3' }));
    expect(await tail.Body!.transformToString()).toBe('789');
    const error = await rejection(client.send(new GetObjectCommand({ Bucket: 'lake', Key: 'k', Range: 'bytes=10-' })));
    expect(error.name).toBe('InvalidRange');
    expect(status(error)).toBe(416);
  });

  it('GetObject of a missing key throws the SDK NoSuchKey with 404', async () => {
    const { client } = world();
    const error = await rejection(client.send(new GetObjectCommand({ Bucket: 'lake', Key: 'missing.jsonl' })));
    expect(error).toBeInstanceOf(NoSuchKey);
    expect(error).toBeInstanceOf(S3ServiceException);
    expect(error.name).toBe('NoSuchKey');
    expect(error.message).toBe('The specified key does not exist.');
    expect(error.$fault).toBe('client');
    expect(status(error)).toBe(404);
    expect(error.Key).toBe('missing.jsonl');
  });

  it('HeadObject of a missing key throws NotFound with the SDK message "UnknownError" (HEAD has no body)', async () => {
    const { client } = world();
    const error = await rejection(client.send(new HeadObjectCommand({ Bucket: 'lake', Key: 'missing' })));
    expect(error).toBeInstanceOf(NotFound);
    expect(error).not.toBeInstanceOf(NoSuchKey);
    expect(error.name).toBe('NotFound');
    expect(error.message).toBe('UnknownError');
    expect(status(error)).toBe(404);
  });

  it('HeadObject of an object gives its size and ETag without a body', async () => {
    const { s3, client } = world();
    s3.putObject('lake', 'k', 'abc');
    const head = await client.send(new HeadObjectCommand({ Bucket: 'lake', Key: 'k' }));
    expect(head.ContentLength).toBe(3);
    expect(head.ETag).toBe(`"${md5hex('abc')}"`);
    expect((head as unknown as Record<string, unknown>).Body).toBeUndefined();
  });

  it('every operation on a missing bucket throws NoSuchBucket with 404', async () => {
    const { client } = world();
    for (const command of [
      new PutObjectCommand({ Bucket: 'nope', Key: 'k', Body: 'x' }),
      new GetObjectCommand({ Bucket: 'nope', Key: 'k' }),
      new ListObjectsV2Command({ Bucket: 'nope' }),
      new DeleteObjectCommand({ Bucket: 'nope', Key: 'k' }),
    ]) {
      const error = await rejection(client.send(command as never));
      expect(error, command.constructor.name).toBeInstanceOf(NoSuchBucket);
      expect(status(error)).toBe(404);
      expect(error.BucketName).toBe('nope');
    }
    const head = await rejection(client.send(new HeadBucketCommand({ Bucket: 'nope' })));
    expect(head).toBeInstanceOf(NotFound);
  });

  it('DeleteObject of a missing key succeeds with 204, as S3 deletes are idempotent', async () => {
    const { client } = world();
    const out = await client.send(new DeleteObjectCommand({ Bucket: 'lake', Key: 'never-was' }));
    expect(out.$metadata.httpStatusCode).toBe(204);
  });

  it('rejects missing Bucket and Key like the SDK does, before anything is sent', async () => {
    const { s3, client, env } = world();
    const noKey = await rejection(client.send(new PutObjectCommand({ Bucket: 'lake', Body: 'x' } as never)));
    expect(noKey.message).toBe('No value provided for input HTTP label: Key.');
    expect(noKey.$metadata).toBeUndefined();
    const noBucket = await rejection(client.send(new ListObjectsV2Command({} as never)));
    expect(noBucket.message).toBe('No value provided for input HTTP label: Bucket.');
    expect(s3.keys('lake')).toEqual([]);
    expect(env.trace.entries.map((e) => [e.operation, e.outcome, e.httpStatusCode])).toEqual([
      ['PutObject', 'NotSent', 0],
      ['ListObjectsV2', 'NotSent', 0],
    ]);
  });

  it('rejects an object Body with a message that says what to do', async () => {
    const { client } = world();
    const error = await rejection(client.send(new PutObjectCommand({ Bucket: 'lake', Key: 'k', Body: { a: 1 } as never })));
    expect(error.message).toMatch(/Body must be a string.*JSON\.stringify/);
  });

  it('PutObject with IfNoneMatch "*" refuses to overwrite (412)', async () => {
    const { s3, client } = world();
    await client.send(new PutObjectCommand({ Bucket: 'lake', Key: 'k', Body: 'first', IfNoneMatch: '*' }));
    const error = await rejection(client.send(new PutObjectCommand({ Bucket: 'lake', Key: 'k', Body: 'second', IfNoneMatch: '*' })));
    expect(error.name).toBe('PreconditionFailed');
    expect(status(error)).toBe(412);
    expect(s3.getObjectText('lake', 'k')).toBe('first');
  });

  it('CopyObject copies, refuses to copy onto itself unchanged, and needs an existing source', async () => {
    const { s3, client } = world();
    s3.putObject('lake', 'raw/a b.jsonl', 'data', { contentType: 'application/x-ndjson' });
    const out = await client.send(
      new CopyObjectCommand({ Bucket: 'lake', Key: 'curated/a.jsonl', CopySource: `lake/${encodeURIComponent('raw/a b.jsonl')}` }),
    );
    expect(out.CopyObjectResult?.ETag).toBe(`"${md5hex('data')}"`);
    expect(s3.getObject('lake', 'curated/a.jsonl')?.contentType).toBe('application/x-ndjson');
    const self = await rejection(
      client.send(new CopyObjectCommand({ Bucket: 'lake', Key: 'curated/a.jsonl', CopySource: 'lake/curated/a.jsonl' })),
    );
    expect(self.name).toBe('InvalidRequest');
    const missing = await rejection(client.send(new CopyObjectCommand({ Bucket: 'lake', Key: 'x', CopySource: 'lake/none' })));
    expect(missing).toBeInstanceOf(NoSuchKey);
  });

  it('CreateBucket validates names; ListBuckets lists them', async () => {
    const { client } = world();
    const bad = await rejection(client.send(new CreateBucketCommand({ Bucket: 'Bad_Name' })));
    expect(bad.name).toBe('InvalidBucketName');
    expect(status(bad)).toBe(400);
    await client.send(new CreateBucketCommand({ Bucket: 'models' }));
    const listed = await client.send(new ListBucketsCommand({}));
    expect(listed.Buckets!.map((b) => b.Name)).toEqual(['lake', 'models']);
  });
});

describe('DeleteObjects', () => {
  it('rejects 1,001 keys with MalformedXML (400) and deletes nothing', async () => {
    const { s3, client } = world();
    const keys = Array.from({ length: 1001 }, (_, i) => `k${i}`);
    for (const key of keys) s3.putObject('lake', key, 'x');
    const error = await rejection(
      client.send(new DeleteObjectsCommand({ Bucket: 'lake', Delete: { Objects: keys.map((Key) => ({ Key })) } })),
    );
    expect(error).toBeInstanceOf(S3ServiceException);
    expect(error.name).toBe('MalformedXML');
    expect(status(error)).toBe(400);
    expect(s3.keys('lake')).toHaveLength(1001);
  });

  it('deletes 1,000 keys, reports each, missing ones included', async () => {
    const { s3, client } = world();
    const keys = Array.from({ length: 1000 }, (_, i) => `k${i}`);
    for (const key of keys.slice(0, 990)) s3.putObject('lake', key, 'x');
    const out = await client.send(new DeleteObjectsCommand({ Bucket: 'lake', Delete: { Objects: keys.map((Key) => ({ Key })) } }));
    expect(out.Deleted).toHaveLength(1000);
    expect(out.Errors).toBeUndefined();
    expect(s3.keys('lake')).toEqual([]);
  });

  it('Quiet mode reports only failures; denied keys come back in Errors', async () => {
    const { s3, client } = world();
    for (const key of ['raw/a', 'raw/b', 'locked/c']) s3.putObject('lake', key, 'x');
    s3.denyAccess('lake', 'locked/');
    const out = await client.send(
      new DeleteObjectsCommand({
        Bucket: 'lake',
        Delete: { Quiet: true, Objects: [{ Key: 'raw/a' }, { Key: 'raw/b' }, { Key: 'locked/c' }] },
      }),
    );
    expect(out.Deleted).toBeUndefined();
    expect(out.Errors).toEqual([{ Key: 'locked/c', Code: 'AccessDenied', Message: 'Access Denied' }]);
    expect(s3.keys('lake')).toEqual(['locked/c']);
  });

  it('rejects an empty list with MalformedXML', async () => {
    const { client } = world();
    const error = await rejection(client.send(new DeleteObjectsCommand({ Bucket: 'lake', Delete: { Objects: [] } })));
    expect(error.name).toBe('MalformedXML');
  });
});

describe('access denial', () => {
  it('throws the SDK AccessDenied (403) under a denied prefix only', async () => {
    const { s3, client } = world();
    s3.putObject('lake', 'secret/x', '1');
    s3.putObject('lake', 'public/y', '2');
    s3.denyAccess('lake', 'secret/');
    const error = await rejection(client.send(new GetObjectCommand({ Bucket: 'lake', Key: 'secret/x' })));
    expect(error).toBeInstanceOf(AccessDenied);
    expect(error.message).toBe('Access Denied');
    expect(status(error)).toBe(403);
    await expect(client.send(new GetObjectCommand({ Bucket: 'lake', Key: 'public/y' }))).resolves.toBeDefined();
    const list = await rejection(client.send(new ListObjectsV2Command({ Bucket: 'lake', Prefix: 'secret/' })));
    expect(list).toBeInstanceOf(AccessDenied);
    // HEAD answers carry no code: the SDK can only say 'Unknown'.
    const head = await rejection(client.send(new HeadObjectCommand({ Bucket: 'lake', Key: 'secret/x' })));
    expect(head.name).toBe('Unknown');
    expect(status(head)).toBe(403);
  });

  it('denies CopyObject from or into a denied prefix', async () => {
    const { s3, client } = world();
    s3.putObject('lake', 'secret/x', '1');
    s3.putObject('lake', 'public/y', '2');
    s3.denyAccess('lake', 'secret/');
    for (const [from, to] of [
      ['secret/x', 'public/copy'],
      ['public/y', 'secret/copy'],
    ]) {
      const error = await rejection(client.send(new CopyObjectCommand({ Bucket: 'lake', Key: to, CopySource: `lake/${from}` })));
      expect(error, `${from} → ${to}`).toBeInstanceOf(AccessDenied);
    }
    expect(s3.keys('lake')).toEqual(['public/y', 'secret/x']);
  });

  it('can deny only some operations', async () => {
    const { s3, client } = world();
    s3.putObject('lake', 'raw/a', 'x');
    s3.denyAccess('lake', undefined, { operations: ['PutObject'] });
    await expect(client.send(new GetObjectCommand({ Bucket: 'lake', Key: 'raw/a' }))).resolves.toBeDefined();
    const error = await rejection(client.send(new PutObjectCommand({ Bucket: 'lake', Key: 'raw/b', Body: 'x' })));
    expect(error.name).toBe('AccessDenied');
  });
});

describe('faults and trace', () => {
  it('throws an injected fault as an S3ServiceException with its name and status, then recovers', async () => {
    const { env, s3, client } = world();
    env.faults.add({ service: 's3', operation: 'PutObject', fault: Faults.throttling });
    const error = await rejection(client.send(new PutObjectCommand({ Bucket: 'lake', Key: 'k', Body: 'x' })));
    expect(error).toBeInstanceOf(S3ServiceException);
    expect(error.name).toBe('SlowDown');
    expect(error.message).toBe('Please reduce your request rate.');
    expect(error.$fault).toBe('server');
    expect(status(error)).toBe(503);
    expect(s3.keys('lake')).toEqual([]);
    await client.send(new PutObjectCommand({ Bucket: 'lake', Key: 'k', Body: 'x' }));
    expect(s3.keys('lake')).toEqual(['k']);
    expect(env.trace.calls('s3', 'PutObject').map((e) => [e.outcome, e.httpStatusCode])).toEqual([
      ['SlowDown', 503],
      ['ok', 200],
    ]);
  });

  it('faults can target calls by input', async () => {
    const { env, s3, client } = world();
    s3.putObject('lake', 'a', '1');
    s3.putObject('lake', 'b', '2');
    env.faults.add({ service: 's3', operation: 'GetObject', when: (input) => input.Key === 'b', times: Infinity, fault: Faults.internalError });
    await expect(client.send(new GetObjectCommand({ Bucket: 'lake', Key: 'a' }))).resolves.toBeDefined();
    const error = await rejection(client.send(new GetObjectCommand({ Bucket: 'lake', Key: 'b' })));
    expect(error.name).toBe('InternalError');
    expect(status(error)).toBe(500);
  });

  it('records every call with its outcome; long bodies are summarised, inputs copied at call time', async () => {
    const { env, client } = world();
    const input = { Bucket: 'lake', Key: 'big.bin', Body: new Uint8Array(2048) };
    await client.send(new PutObjectCommand(input));
    input.Key = 'mutated-after-the-call';
    await client.send(new PutObjectCommand({ Bucket: 'lake', Key: 'small.txt', Body: 'short text' }));
    await client.send(new PutObjectCommand({ Bucket: 'lake', Key: 'long.txt', Body: 'x'.repeat(5000) }));
    await rejection(client.send(new GetObjectCommand({ Bucket: 'lake', Key: 'missing' })));
    expect(env.trace.entries.map(({ atMs: _, ...e }) => e)).toEqual([
      { service: 's3', operation: 'PutObject', input: { Bucket: 'lake', Key: 'big.bin', Body: '<2,048 bytes>' }, outcome: 'ok', httpStatusCode: 200 },
      { service: 's3', operation: 'PutObject', input: { Bucket: 'lake', Key: 'small.txt', Body: 'short text' }, outcome: 'ok', httpStatusCode: 200 },
      { service: 's3', operation: 'PutObject', input: { Bucket: 'lake', Key: 'long.txt', Body: '<5,000 bytes>' }, outcome: 'ok', httpStatusCode: 200 },
      { service: 's3', operation: 'GetObject', input: { Bucket: 'lake', Key: 'missing' }, outcome: 'NoSuchKey', httpStatusCode: 404 },
    ]);
  });

  it('shows in the trace the listing fields a pager acts on: KeyCount, IsTruncated, the tokens and the first keys', async () => {
    const { env, s3, client } = world();
    for (let i = 0; i < 1005; i++) s3.putObject('lake', `logs/${String(i).padStart(4, '0')}.json`, '{}');
    const first = await client.send(new ListObjectsV2Command({ Bucket: 'lake', Prefix: 'logs/' }));
    await client.send(new ListObjectsV2Command({ Bucket: 'lake', Prefix: 'logs/', ContinuationToken: first.NextContinuationToken }));
    const [page1, page2] = env.trace.calls('s3', 'ListObjectsV2');
    expect(page1!.output).toEqual({
      KeyCount: 1000,
      IsTruncated: true,
      NextContinuationToken: first.NextContinuationToken,
      Contents: ['logs/0000.json', 'logs/0001.json', 'logs/0002.json', 'logs/0003.json', 'logs/0004.json', '… 995 more'],
    });
    expect(page2!.output).toEqual({
      KeyCount: 5,
      IsTruncated: false,
      ContinuationToken: first.NextContinuationToken,
      Contents: ['logs/1000.json', 'logs/1001.json', 'logs/1002.json', 'logs/1003.json', 'logs/1004.json'],
    });
  });

  it('seeding and inspection are not traced; snapshot caps large buckets and says so', () => {
    const { env, s3 } = world();
    for (let i = 0; i < 250; i++) s3.putObject('lake', `k${String(i).padStart(3, '0')}`, 'x');
    s3.createBucket('empty');
    s3.keys('lake');
    s3.getObjectText('lake', 'k000');
    expect(env.trace.entries).toEqual([]);
    const snap = s3.snapshot();
    expect(snap.buckets.lake).toHaveLength(200);
    expect(snap.buckets.lake![0]).toBe('k000');
    expect(snap.buckets.empty).toEqual([]);
    expect(snap.omittedKeys).toEqual({ lake: 50 });
  });
});

describe('worlds', () => {
  it('two worlds do not share state, and each fake client stays with its world', async () => {
    const a = world(1);
    const b = world(2);
    await a.client.send(new PutObjectCommand({ Bucket: 'lake', Key: 'only-in-a', Body: 'x' }));
    expect(a.s3.keys('lake')).toEqual(['only-in-a']);
    expect(b.s3.keys('lake')).toEqual([]);
    const fromB = await b.client.send(new ListObjectsV2Command({ Bucket: 'lake' }));
    expect(fromB.KeyCount).toBe(0);
    expect(a.env.trace.entries).toHaveLength(1);
    expect(b.env.trace.entries).toHaveLength(1);
  });

  it('a client made with new S3Client({}) joins the newest world at its first call, and stays there', async () => {
    const older = world(1);
    const newer = world(2);
    const learners = new S3Client({});
    await learners.send(new PutObjectCommand({ Bucket: 'lake', Key: 'k', Body: 'x' }));
    expect(newer.s3.keys('lake')).toEqual(['k']);
    expect(older.s3.keys('lake')).toEqual([]);
    expect(newer.env.trace.calls('s3', 'PutObject')).toHaveLength(1);
    // The next check's world: a call the previous check left running must not land in it.
    const newest = world(3);
    await learners.send(new PutObjectCommand({ Bucket: 'lake', Key: 'late', Body: 'x' }));
    expect(newer.s3.keys('lake')).toEqual(['k', 'late']);
    expect(newest.s3.keys('lake')).toEqual([]);
    await new S3Client({}).send(new PutObjectCommand({ Bucket: 'lake', Key: 'fresh', Body: 'x' }));
    expect(newest.s3.keys('lake')).toEqual(['fresh']);
  });
});

describe('environments', () => {
  it('bundles for the browser with no Node-only dependency, and the bundle works', async () => {
    const result = await esbuild.build({
      entryPoints: [`${ROOT}grader/aws/s3.ts`],
      bundle: true,
      platform: 'browser',
      format: 'esm',
      write: false,
      logLevel: 'silent',
    });
    const code = result.outputFiles[0]!.text;
    expect(code).not.toMatch(/from\s*["']node:/);
    // Run the browser bundle (its own copy of the SDK and sinon) with its own commands.
    const probe = await esbuild.build({
      stdin: {
        contents: `export * from './grader/aws/s3.ts'; export * from './grader/aws/env.ts';
          export { PutObjectCommand, ListObjectsV2Command, GetObjectCommand, S3Client } from '@aws-sdk/client-s3';`,
        resolveDir: ROOT,
        loader: 'ts',
      },
      bundle: true,
      platform: 'browser',
      format: 'esm',
      write: false,
      logLevel: 'silent',
    });
    const url = `data:text/javascript;base64,${Buffer.from(probe.outputFiles[0]!.text).toString('base64')}`;
    const bundled = (await import(/* @vite-ignore */ url)) as typeof import('../../grader/aws/s3.ts') &
      typeof import('../../grader/aws/env.ts') &
      typeof import('@aws-sdk/client-s3');
    const env = bundled.createAwsEnv({ seed: 1 });
    const fake = new bundled.FakeS3(env);
    fake.createBucket('lake');
    const client = new bundled.S3Client({ region: 'us-east-1' });
    await client.send(new bundled.PutObjectCommand({ Bucket: 'lake', Key: 'k', Body: 'browser' }));
    const got = await client.send(new bundled.GetObjectCommand({ Bucket: 'lake', Key: 'k' }));
    expect(await got.Body!.transformToString()).toBe('browser');
    expect(code.length).toBeGreaterThan(0);
    console.info(`grader/aws/s3.ts browser bundle: ${(code.length / 1024).toFixed(0)} KiB unminified`);
  });

  it('keeps working after the runtime hardens the realm (child process)', async () => {
    const script = `
      import * as sdk from '@aws-sdk/client-s3';
      import { FakeS3 } from './grader/aws/s3.ts';
      import { createAwsEnv } from './grader/aws/env.ts';
      import { hardenRealm } from './grader/harden.ts';
      new FakeS3(createAwsEnv({ seed: 0 }));            // the runtime builds one world first
      hardenRealm({ modules: { '@aws-sdk/client-s3': sdk } });
      const out = [];
      for (const seed of [1, 2]) {                         // then one world per check
        const env = createAwsEnv({ seed });
        const s3 = new FakeS3(env);
        s3.createBucket('lake');
        const client = new sdk.S3Client({});
        await client.send(new sdk.PutObjectCommand({ Bucket: 'lake', Key: 'k' + seed, Body: 'x' }));
        try { await client.send(new sdk.GetObjectCommand({ Bucket: 'lake', Key: 'missing' })); }
        catch (e) { out.push([s3.keys('lake'), e instanceof sdk.NoSuchKey, e.name, e.$metadata.httpStatusCode]); }
      }
      console.log(JSON.stringify(out));
    `;
    const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT });
    expect(JSON.parse(stdout)).toEqual([
      [['k1'], true, 'NoSuchKey', 404],
      [['k2'], true, 'NoSuchKey', 404],
    ]);
  });
});
