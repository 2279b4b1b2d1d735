// One resolution of `whetstone/*`: package.json "exports" is the only table. Vitest, Node,
// TypeScript (moduleResolution Bundler: the typecheck of labs/ relies on it) and esbuild all
// resolve the package's references to itself through it, and the bundler asks from inside the
// package for a private check pack kept elsewhere, so such a pack can import whetstone/checks,
// whetstone/aws/<service> and whetstone/labs/<id>/… like a lab in the repository.

import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { buildLabBundle } from '../../catalog/bundle.ts';
import { REPO_ROOT, readLab } from '../../catalog/labs.ts';
import * as checksByPath from '../../grader/checks.ts';
import * as s3ByPath from '../../grader/aws/s3.ts';

const run = promisify(execFile);

describe('whetstone/* resolution', () => {
  it('has one table, package.json "exports": no tsconfig paths, no Vitest aliases', () => {
    const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8'));
    expect(pkg.name).toBe('whetstone');
    expect(pkg.exports).toMatchObject({ './checks': './grader/checks.ts', './aws/*': './grader/aws/*.ts' });
    const tsconfig = JSON.parse(readFileSync(join(REPO_ROOT, 'tsconfig.json'), 'utf8'));
    expect(tsconfig.compilerOptions.paths).toBeUndefined();
    expect(readFileSync(join(REPO_ROOT, 'vitest.config.ts'), 'utf8')).not.toMatch(/\balias\s*:/);
  });

  it('gives Vitest the very modules of grader/', async () => {
    expect(await import('whetstone/checks')).toBe(checksByPath);
    expect(await import('whetstone/aws/s3')).toBe(s3ByPath);
  });

  it('gives Node the same files', async () => {
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', "console.log(import.meta.resolve('whetstone/checks'), import.meta.resolve('whetstone/aws/s3'))"], { cwd: join(REPO_ROOT, 'labs') });
    expect(stdout.trim().split(' ')).toEqual([pathToFileURL(join(REPO_ROOT, 'grader', 'checks.ts')).href, pathToFileURL(join(REPO_ROOT, 'grader', 'aws', 's3.ts')).href]);
  });

  it('bundles a private check pack outside the repository that imports whetstone/checks, whetstone/aws/* and a lab', async () => {
    const pack = mkdtempSync(join(tmpdir(), 'whetstone-pack-'));
    writeFileSync(
      join(pack, 's3-partitioning.ts'),
      [
        "import { count, fail } from 'whetstone/checks';",
        "import { Faults } from 'whetstone/aws/env';",
        "import { lab } from 'whetstone/labs/s3-partitioning/checks.ts';",
        "import { BUCKET } from 'whetstone/labs/s3-partitioning/fixtures.ts';",
        'export default lab.checks(({ step, check }) => {',
        '  step(3, () => {',
        "    check('pack-lists-through-a-fault', 'Lists again after a throttled page', async ({ s3, lake, fake, env }) => {",
        "      fake.putObject(BUCKET, 'raw/web/year=2024/month=01/day=02/b.jsonl', '{}');",
        "      env.faults.add({ service: 's3', operation: 'ListObjectsV2', fault: Faults.throttling });",
        "      const got = await lake.listPartitions(s3, BUCKET, 'web').catch(() => []);",
        "      if (got.length > 1) fail(`one partition, not ${count(got.length, 'partition')}`);",
        '    });',
        '  });',
        '});',
      ].join('\n'),
    );
    const bundle = await buildLabBundle(readLab('s3-partitioning'), { audience: 'grader', checkPack: pack, cacheDir: mkdtempSync(join(tmpdir(), 'whetstone-cache-')) });
    expect(bundle.checks.find((c) => c.id === 'pack-lists-through-a-fault')).toMatchObject({ step: 3, visibility: 'hidden' });
  });

  it('names an import no table offers', async () => {
    const pack = mkdtempSync(join(tmpdir(), 'whetstone-pack-'));
    writeFileSync(join(pack, 's3-partitioning.ts'), "import { nope } from 'whetstone/grader/nope';\nexport default nope;\n");
    await expect(buildLabBundle(readLab('s3-partitioning'), { audience: 'grader', checkPack: pack, cacheDir: mkdtempSync(join(tmpdir(), 'whetstone-cache-')) })).rejects.toThrow(
      /Unknown whetstone import 'whetstone\/grader\/nope': use whetstone\/checks, whetstone\/aws\/<service>/,
    );
  });
});
