// The small pure pieces of the site: hints' inline Markdown, S3 keys as a folder tree, trace
// lines, the plain editor's solution diff, the geometry of a check's charts, and the editor's SDK
// declarations (which must resolve in Monaco's worker exactly as they do with TypeScript on disk).

import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { inlineMarkdown } from '../../src/build/inline-markdown.ts';
import { collectPackageTypes, typesSlug } from '../../src/build/sdk-types.ts';
import { figureFromSpec } from '../../grader/figures.ts';
import type { SeriesFigure } from '../../grader/report.ts';
import { chartLayout, niceTicks, seriesPath, tickLabels } from '../../src/client/chart-layout.ts';
import { keyTree } from '../../src/client/key-tree.ts';
import { lineDiff } from '../../src/client/line-diff.ts';
import { responseSummary, traceResponse, traceSummary } from '../../src/client/trace-summary.ts';
import { scratchScript } from '../../src/build/scratch-script.ts';

describe('hints', () => {
  it('render code, strong and links, and escape everything else', () => {
    expect(inlineMarkdown('Use `a < b` and **never** <script>')).toBe('Use <code>a &lt; b</code> and <strong>never</strong> &lt;script&gt;');
    expect(inlineMarkdown('See [the docs](https://docs.aws.amazon.com/).')).toBe('See <a href="https://docs.aws.amazon.com/">the docs</a>.');
  });

  it('leave ARNs with * alone and format nothing inside code', () => {
    expect(inlineMarkdown('arn:aws:s3:::bucket/processed/* and *this*')).toBe('arn:aws:s3:::bucket/processed/* and *this*');
    expect(inlineMarkdown('`**not bold**`')).toBe('<code>**not bold**</code>');
    expect(inlineMarkdown('[x](javascript:alert(1))')).toBe('[x](javascript:alert(1))');
  });
});

describe('key tree', () => {
  it('merges single-child folders and counts objects below each folder', () => {
    const tree = keyTree([
      'raw/web-logs/year=2024/month=01/day=15/b1.jsonl',
      'raw/web-logs/year=2024/month=01/day=16/b1.jsonl',
      'raw/web-logs/year=2024/month=01/day=16/b2.jsonl',
      'README.txt',
    ]);
    expect(tree.count).toBe(4);
    expect(tree.objects).toEqual(['README.txt']);
    expect(tree.folders.map((f) => [f.name, f.count])).toEqual([['raw/web-logs/year=2024/month=01/', 3]]);
    const month = tree.folders[0]!;
    expect(month.folders.map((f) => [f.name, f.objects])).toEqual([
      ['day=15/', ['b1.jsonl']],
      ['day=16/', ['b1.jsonl', 'b2.jsonl']],
    ]);
  });

  it('marks the folders a cut listing stops inside as holding more, and counts the rest exactly', () => {
    // The first 5 keys in key order of a bucket that holds more: raw/b/ may go on, raw/a/ is complete.
    const keys = ['raw/a/1.jsonl', 'raw/a/2.jsonl', 'raw/a/3.jsonl', 'raw/b/1.jsonl', 'raw/b/2.jsonl'];
    const tree = keyTree(keys, { cut: true });
    const raw = tree.folders[0]!;
    expect([raw.name, raw.count, raw.partial]).toEqual(['raw/', 5, true]);
    expect(raw.folders.map((f) => [f.name, f.count, f.partial])).toEqual([
      ['a/', 3, false],
      ['b/', 2, true],
    ]);
    expect(keyTree(keys).folders[0]!.partial).toBe(false);
  });

  it('shows folder-marker keys', () => {
    expect(keyTree(['raw/']).folders[0]).toMatchObject({ name: 'raw/', objects: ['(folder marker)'] });
  });
});

describe('trace lines', () => {
  it('lead with the members a learner looks for', () => {
    expect(traceSummary({ Bucket: 'lake', Key: 'raw/a.jsonl', Body: '<2,048 bytes>' })).toBe('Key=raw/a.jsonl Body=<2,048 bytes>');
    expect(traceSummary({ Bucket: 'lake', Prefix: 'raw/', ContinuationToken: 'abcdefghijklmnopqrstuvwxyz' })).toBe('Prefix=raw/ ContinuationToken=abcdefghij…');
    expect(traceSummary({ Bucket: 'lake', Delete: { Objects: [{ Key: 'a' }, { Key: 'b' }] } })).toBe('Delete 2 keys');
    expect(traceSummary({ Bucket: 'lake' })).toBe('Bucket=lake');
    expect(traceSummary({ TrainingJobName: 'job-1', RoleArn: 'arn:aws:iam::1:role/x' })).toBe('TrainingJobName=job-1 RoleArn=arn:aws:iam::1:role/x');
  });
});

describe('trace responses', () => {
  it('are read from a trace entry’s response summary, when the fakes give one', () => {
    const entry = { service: 's3', operation: 'ListObjectsV2', input: {}, outcome: 'ok', httpStatusCode: 200 };
    expect(traceResponse(entry)).toBeUndefined();
    expect(traceResponse({ ...entry, output: { IsTruncated: true } })).toEqual({ IsTruncated: true });
  });

  it('lead with what paging and partial failures turn on, and count lists', () => {
    expect(responseSummary({ KeyCount: 1000, Contents: new Array(1000).fill({}), NextContinuationToken: 'abcdefghijklmnop', IsTruncated: true })).toBe(
      'IsTruncated=true NextContinuationToken=abcdefghij… KeyCount=1000 Contents [1,000]',
    );
    expect(responseSummary({ FailedRecordCount: 2, Records: [{}, {}, {}] })).toBe('FailedRecordCount=2 Records [3]');
    expect(responseSummary({ NextToken: 'tok' })).toBe('NextToken=tok');
    expect(responseSummary(undefined)).toBe('');
  });
});

describe('chart layout', () => {
  it('puts ticks on round numbers that cover the values, minutes and seconds on multiples of 60', () => {
    expect(niceTicks(0, 9637, 5)).toEqual([0, 2000, 4000, 6000, 8000, 10000]);
    expect(niceTicks(0, 1.7, 4)).toEqual([0, 0.5, 1, 1.5, 2]);
    expect(niceTicks(-3, 7, 5)).toEqual([-4, -2, 0, 2, 4, 6, 8]);
    expect(niceTicks(0, 1439, 6, 'min')).toEqual([0, 240, 480, 720, 960, 1200, 1440]);
    expect(niceTicks(0, 1439, 6)).toEqual([0, 500, 1000, 1500]);
    // One value, or none: still an axis, around it.
    expect(niceTicks(5, 5, 4)).toEqual([4.5, 5, 5.5]);
    expect(niceTicks(0, 0, 4)).toEqual([0, 0.5, 1]);
  });

  it('labels one axis alike and short', () => {
    expect(tickLabels([0, 500, 1000, 1500])).toEqual(['0', '500', '1,000', '1,500']);
    expect(tickLabels([0, 5000, 10000, 15000])).toEqual(['0', '5k', '10k', '15k']);
    expect(tickLabels([0, 1.5e6, 3e6])).toEqual(['0', '1.5M', '3M']);
    expect(tickLabels([0, 0.25, 0.5])).toEqual(['0', '0.25', '0.5']);
  });

  it('draws a series as a path that breaks at every gap and shows a lone value as a dot', () => {
    const x = (i: number) => i * 10;
    const y = (v: number) => 100 - v;
    expect(seriesPath([1, 2, null, 3, null, null, 4, 5], x, y)).toBe('M0.0 99.0L10.0 98.0M30.0 97.0h0M60.0 96.0L70.0 95.0');
    expect(seriesPath([7], x, y)).toBe('M0.0 93.0h0');
    expect(seriesPath([null, null], x, y)).toBe('');
  });

  it('reads both y axes from the bottom up, draws the goal on its series’ axis and shades its minutes', () => {
    const figure = figureFromSpec({
      kind: 'series',
      title: 'A burst',
      x: { label: 'minute', unit: 'min' },
      series: [
        { name: 'latency', unit: 'ms', values: [100, 150, 400, 300, 100] },
        { name: 'instances', unit: 'instances', axis: 'right', values: [2, 2, 4, 4, 3] },
      ],
      lines: [{ label: 'goal', value: 200, series: 'latency' }],
      ranges: [{ label: 'over the goal', from: 2, to: 4 }],
    }) as SeriesFigure;
    const layout = chartLayout(figure, 600);
    const { plot } = layout;
    expect(layout.yTicks.left.map((t) => t.value)).toEqual([0, 100, 200, 300, 400]);
    expect(layout.yTicks.right.map((t) => t.value)).toEqual([0, 1, 2, 3, 4]);
    expect(layout.yTicks.left[0]!.at).toBe(plot.bottom);
    expect(layout.yTicks.left.at(-1)!.at).toBe(plot.top);
    expect(layout.axisTitles).toEqual({ left: 'ms', right: 'instances' });
    // The goal sits at 200 of 0–400 ms: half way up.
    expect(layout.lines).toEqual([{ y: (plot.top + plot.bottom) / 2, label: 'goal 200 ms' }]);
    // Minutes 2 and 3 of 0–4: from half way across to the end.
    const half = (plot.left + plot.right) / 2;
    expect(layout.ranges).toEqual([{ x: half, width: plot.right - half, label: 'over the goal' }]);
    // The tick labels of the right axis fit inside the chart.
    expect(plot.right).toBeLessThan(600 - 6);
    expect(layout.paths).toHaveLength(2);
  });
});

describe('the terminal’s scratch script', () => {
  it('imports the lab’s clients and the learner’s exports, and makes one client of each', () => {
    const script = scratchScript(
      {
        files: [{ path: 'select.ts', exports: ['chooseInstance'] }],
        modules: [{ name: '@aws-sdk/client-ec2', exports: ['EC2Client', 'DescribeInstanceTypesCommand'] }, '@aws-sdk/client-pricing'],
      },
      (module) => (module === '@aws-sdk/client-pricing' ? ['PricingClient'] : []),
    );
    expect(script).toContain("import { EC2Client } from '@aws-sdk/client-ec2';");
    expect(script).toContain("import { PricingClient } from '@aws-sdk/client-pricing';");
    expect(script).toContain("import { chooseInstance } from './select.ts';");
    expect(script).toContain('  const ec2 = new EC2Client({});\n  const pricing = new PricingClient({});');
    expect(script).toContain('node fake-aws.mjs scratch.ts');
  });
});

describe('line diff', () => {
  it('keeps common lines and marks the rest', () => {
    expect(lineDiff('a\nb\nc', 'a\nx\nc\nd')).toEqual([
      { kind: 'same', text: 'a' },
      { kind: 'removed', text: 'b' },
      { kind: 'added', text: 'x' },
      { kind: 'same', text: 'c' },
      { kind: 'added', text: 'd' },
    ]);
  });
});

describe('SDK declarations for the editor', () => {
  it('hold @aws-sdk/client-s3 and everything its types reach, resolvable without package.json', { timeout: 60_000 }, () => {
    const types = collectPackageTypes('@aws-sdk/client-s3');
    expect(typesSlug(types.module)).toBe('aws-sdk__client-s3');
    const files = new Map(Object.entries(types.files));
    expect(files.has('file:///node_modules/@aws-sdk/client-s3/index.d.ts')).toBe(true);
    expect([...files.keys()].some((f) => f.includes('/@smithy/types/'))).toBe(true);
    expect([...files.keys()].every((f) => f.startsWith('file:///node_modules/') && f.endsWith('.d.ts'))).toBe(true);
    // Type-check a learner file over exactly these files, as Monaco's worker will.
    const learner = 'file:///partition.ts';
    const source = [
      "import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';",
      "const command = new PutObjectCommand({ Bucket: 'b', Key: 'k', Body: 'x' });",
      'export async function put(s3: S3Client) { const out = await s3.send(command); const etag: number = out.ETag; return etag; }',
      "new PutObjectCommand({ Bucket: 'b', Kee: 'k' });",
    ].join('\n');
    files.set(learner, source);
    const options: ts.CompilerOptions = { moduleResolution: ts.ModuleResolutionKind.Node10, target: ts.ScriptTarget.ES2022, strict: true, noEmit: true, skipLibCheck: true, types: [] };
    const host = ts.createCompilerHost(options);
    host.fileExists = (f) => files.has(f) || ts.sys.fileExists(f);
    host.readFile = (f) => files.get(f) ?? ts.sys.readFile(f);
    host.getSourceFile = (f, lang) => {
      const text = files.get(f) ?? ts.sys.readFile(f);
      return text === undefined ? undefined : ts.createSourceFile(f, text, lang);
    };
    host.getCurrentDirectory = () => '';
    // Monaco's worker host has no directoryExists, which TypeScript takes as "yes".
    delete (host as Partial<ts.CompilerHost>).directoryExists;
    const program = ts.createProgram([learner], options, host);
    const diagnostics = ts.getPreEmitDiagnostics(program, program.getSourceFile(learner)).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    // Exactly two errors, which prove that neither the command's input nor the client's output
    // fell back to `any`: the misspelt member, and a string put where a number goes.
    expect(diagnostics).toHaveLength(2);
    expect(diagnostics[0]).toMatch(/Type 'string \| undefined' is not assignable to type 'number'/);
    expect(diagnostics[1]).toMatch(/'Kee' does not exist in type 'PutObjectCommandInput'/);
  });
});
