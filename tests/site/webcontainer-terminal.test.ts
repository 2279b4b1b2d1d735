// What the WebContainer's terminal gives a learner, against the faithful fake WebContainer
// (real Node processes in a real folder): a folder of their own with their files as they type
// them and a scratch script, where `node fake-aws.mjs scratch.ts` runs their code against the
// lab's fakes and lists the AWS calls it made, as they would run a script on their machine.
// The shell itself (jsh) exists only in a real WebContainer: tests/site/real-webcontainer.test.ts.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildLabBundle } from '../../catalog/bundle.ts';
import type { LabBundle } from '../../catalog/bundle.ts';
import { REPO_ROOT, readLab } from '../../catalog/labs.ts';
import { bootWebContainer, mountLab, mountPlayground, playgroundWriter } from '../../sandbox/webcontainer/host.ts';
import { scratchScript } from '../../src/build/scratch-script.ts';
import { sessionScript } from '../../sandbox/session-scripts.ts';
import { fakeWebContainerApi } from '../support/fake-webcontainer.ts';
import type { FakeWebContainer } from '../support/fake-webcontainer.ts';

const LAB = 's3-partitioning';
const read = (path: string) => readFileSync(join(REPO_ROOT, path), 'utf8');
const solution = () => read(`labs/${LAB}/solution/partition.ts`);

let bundle: LabBundle;
let container: FakeWebContainer;
let dir: string;

/** What a learner sees after typing a command in the playground (ANSI codes and CRs removed). */
async function runInPlayground(args: string[]): Promise<{ code: number; output: string }> {
  const process = await container.spawn('node', args, { cwd: dir });
  let output = '';
  await process.output.pipeTo(new WritableStream({ write: (chunk) => void (output += chunk) }));
  // eslint-disable-next-line no-control-regex
  return { code: await process.exit, output: output.replace(/\u001b\[[0-9;]*m/g, '').replace(/\r/g, '') };
}

beforeAll(async () => {
  bundle = await buildLabBundle(readLab(LAB), { audience: 'browser' });
  container = (await bootWebContainer(fakeWebContainerApi(), { timeoutMs: 5000 })) as FakeWebContainer;
  const labDir = await mountLab(container, { labId: LAB, bundleCode: bundle.code, runnerSource: sessionScript('runner.mjs') });
  dir = await mountPlayground(container, {
    labDir,
    name: LAB,
    fakeAwsSource: sessionScript('fake-aws.mjs'),
    files: { 'partition.ts': solution(), 'scratch.ts': 'console.log("first version");\n' },
  });
}, 120_000);

afterAll(() => container?.teardown());

describe('the WebContainer playground', () => {
  it('is a folder named after the lab, next to the grading folder, holding the learner’s files', async () => {
    expect(dir).toBe(LAB);
    expect(new TextDecoder().decode(await container.fs.readFile(`${dir}/partition.ts`))).toBe(solution());
    const { output } = await runInPlayground(['fake-aws.mjs', 'scratch.ts']);
    expect(output).toContain('first version');
    expect(output).toContain('AWS calls (0)');
  });

  it('runs a scratch script against the lab’s fake S3 and lists the calls it made', async () => {
    const write = playgroundWriter(container, dir);
    await write(
      'scratch.ts',
      [
        "import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';",
        "import { ingestBatch, listPartitions } from './partition.ts';",
        'async function main(): Promise<void> {',
        '  const s3 = new S3Client({});',
        "  await s3.send(new CreateBucketCommand({ Bucket: 'my-lake' }));",
        "  const events = [{ eventId: 'e1', source: 'web-logs', timestamp: '2024-01-15T23:30:00-08:00', userId: 'u1', page: '/' }];",
        "  console.log('wrote', await ingestBatch(s3, 'my-lake', 'b1', events));",
        "  console.log('partitions', await listPartitions(s3, 'my-lake', 'web-logs'));",
        '}',
        'main().catch((error) => console.error(error));',
      ].join('\n'),
    );
    const { code, output } = await runInPlayground(['fake-aws.mjs', 'scratch.ts']);
    expect(code).toBe(0);
    expect(output).toContain("wrote [ 'raw/web-logs/year=2024/month=01/day=16/b1.jsonl' ]");
    expect(output).toContain("partitions [ 'raw/web-logs/year=2024/month=01/day=16/' ]");
    expect(output).toMatch(/AWS calls \(\d+\), answered by the lab's fakes:/);
    expect(output).toMatch(/1\. s3:CreateBucket Bucket=my-lake → ok 200/);
    expect(output).toMatch(/s3:PutObject .*Key=raw\/web-logs\/year=2024\/month=01\/day=16\/b1\.jsonl.* → ok 200/);
    expect(output).toMatch(/s3:ListObjectsV2 /);
    expect(output).toContain('raw/web-logs/year=2024/month=01/day=16/b1.jsonl');
  });

  it('sees each edit of a learner file, as the editor writes it', async () => {
    const write = playgroundWriter(container, dir);
    await write('partition.ts', solution().replace("return `raw/", "return `lake/"));
    await write('scratch.ts', "import { partitionPrefix } from './partition.ts';\nconsole.log(partitionPrefix({ eventId: 'e', source: 's', timestamp: '2024-01-01T00:00:00Z', userId: 'u', page: '/' }));\n");
    const { output } = await runInPlayground(['fake-aws.mjs', 'scratch.ts']);
    expect(output).toContain('lake/s/year=2024/month=01/day=01/');
    await write('partition.ts', solution());
  });

  it('answers a script that does not compile or imports a package the lab does not allow in the grader’s words, with the line', async () => {
    const write = playgroundWriter(container, dir);
    await write('scratch.ts', "import { readFileSync } from 'node:fs';\nconsole.log(readFileSync);\n");
    const forbidden = await runInPlayground(['fake-aws.mjs', 'scratch.ts']);
    expect(forbidden.code).toBe(1);
    expect(forbidden.output).toContain("scratch.ts:1: cannot import 'node:fs': labs may import @aws-sdk/client-s3 and files of your submission (./name)");
    await write('scratch.ts', 'const x = ;\n');
    const syntax = await runInPlayground(['fake-aws.mjs', 'scratch.ts']);
    expect(syntax.code).toBe(1);
    expect(syntax.output).toMatch(/^scratch\.ts:1:\d+: .+Fix the syntax there/m);
    const missing = await runInPlayground(['fake-aws.mjs', 'other.ts']);
    expect(missing.output).toContain('There is no other.ts here. Files: partition.ts, scratch.ts.');
  });

  it('runs the scratch script made from the lab’s manifest as it is', async () => {
    const write = playgroundWriter(container, dir);
    const starter = scratchScript(bundle.manifest, () => ['S3Client']);
    expect(starter).toContain("import { S3Client } from '@aws-sdk/client-s3';");
    expect(starter).toContain("import { partitionPrefix, ingestBatch, listPartitions, readRange, compactPartition } from './partition.ts';");
    await write('scratch.ts', starter);
    const { code, output } = await runInPlayground(['fake-aws.mjs', 'scratch.ts']);
    expect(code).toBe(0);
    expect(output).toContain('Your exports: partitionPrefix, ingestBatch, listPartitions, readRange, compactPartition');
  });
});
