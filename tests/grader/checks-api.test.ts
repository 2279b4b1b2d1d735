// The checks API as an author meets it: defineLab({ aws, open }) builds what every check starts
// from, checks fail with fail() from anywhere, expectThrows judges "it must throw", a step the
// learner has not started reads as not done (never as a wrong answer), and a check whose code
// never called AWS shows no "state afterwards". Each runs the real runtime in-process on a
// one-file lab defined here.

import * as clientS3 from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { CheckDefinitionError, defineLab, expectThrows, fail } from 'whetstone/checks';
import type { CheckSuite } from 'whetstone/checks';
import { FakeS3 } from 'whetstone/aws/s3';
import { labSchema } from '../../grader/lab-schema.ts';
import { assembleReport } from '../../grader/report.ts';
import type { CheckResult, Report } from '../../grader/report.ts';
import { createLabRuntime } from '../../grader/runtime.ts';
import { reportSchemaErrors } from '../support/report-schema.ts';

/** What a learner's store.ts exports in these labs. */
interface Store {
  save(s3: unknown, key: string, body: string): Promise<string>;
  parseSize(text: string): number;
  counter(): number;
}

const manifest = {
  id: 'probe',
  ...labSchema.parse({
    title: 'Probe lab',
    summary: 'A one-file lab the API tests define inline.',
    level: 'beginner',
    minutes: 5,
    services: ['S3'],
    files: [{ path: 'store.ts', exports: ['save', 'parseSize', 'counter'] }],
    modules: ['@aws-sdk/client-s3'],
  }),
};

async function grade<W, F>(suite: CheckSuite<W, F>, store: string): Promise<Report> {
  // The runtime takes any lab's suite, as the bundle entry hands it over.
  const runtime = createLabRuntime({ manifest, suites: [{ visibility: 'public', suite: suite as unknown as CheckSuite<unknown> }], modules: { '@aws-sdk/client-s3': clientS3 } });
  const results: CheckResult[] = [];
  await runtime.run({ files: { 'store.ts': store }, seed: 1, nonce: 'n' }, (m) => {
    if (m.type === 'check-end') results.push(m.result);
    if (m.type === 'load-error') throw new Error(m.error.message);
  });
  return assembleReport({ lab: 'probe', checks: runtime.checks, results, durationMs: 1, engine: 'node', grader: 'whetstone@test' });
}

const result = (report: Report, id: string) => report.checks.find((c) => c.id === id)!;

const DONE = `
import { PutObjectCommand } from '@aws-sdk/client-s3';
let calls = 0;
export async function save(s3, key, body) { await s3.send(new PutObjectCommand({ Bucket: 'probe-bucket', Key: key, Body: body })); return key; }
export function parseSize(text) { if (!/^\\d+$/.test(text)) throw new Error('not a size: ' + text); return Number(text); }
export function counter() { calls += 1; return calls; }
`;

const STARTER = `
export async function save(s3, key, body) {
  throw new Error('Not implemented yet: save (step 1)');
}
export function parseSize(text) {
  throw new Error('Not implemented yet: parseSize (step 2)');
}
export function counter() { return 1; }
`;

/** The lab of these tests: a bucket, a client, the learner's module. */
const lab = defineLab({
  aws: (env) => ({ s3: new FakeS3(env) }),
  open: ({ aws, submission }) => {
    aws.s3.createBucket('probe-bucket');
    return { fake: aws.s3, s3: aws.s3.client(), store: submission.load<Store>('store.ts') };
  },
});

/** A helper of the kind labs write: no context, it fails by itself. */
function expectSize(got: unknown, want: number): void {
  if (got !== want) fail(`parseSize('12') should be ${want}; your code returned ${String(got)}.`);
}

const suite = lab.checks(({ step, check }) => {
  step(1, () => {
    check('saves', 'save writes the object', async ({ fake, s3, store }) => {
      await store.save(s3, 'k', 'v');
      if (fake.getObjectText('probe-bucket', 'k') !== 'v') fail('save must write the body under the key.');
    });
    check('saves-tolerantly', 'save may fail, but must not corrupt', async ({ s3, store }) => {
      try {
        await store.save(s3, 'k', 'v');
      } catch {
        fail('save threw, so the object was never written.'); // a check that judges the throw itself
      }
    });
    check('fresh-module', 'module state starts fresh in every check', ({ store }) => {
      if (store.counter() !== 1) fail('counter() should start at 1 in a fresh module.');
    });
  });
  step(2, () => {
    check('parses', 'parseSize reads digits', ({ store }) => expectSize(store.parseSize('12'), 12));
    check('rejects', 'parseSize throws an Error naming what it cannot read', ({ store }) =>
      expectThrows(() => store.parseSize('12 kB'), { when: "For the text '12 kB'", call: 'parseSize', naming: { value: '12 kB', what: 'the text' }, because: 'A size nobody can read must stop the import.' }),
    );
    check('pure', 'a check that never calls AWS', ({ store }) => {
      store.counter();
      fail('always fails, to show its report.');
    });
  });
});

describe('defineLab({ aws, open })', () => {
  it('gives every check what open built, and a fresh learner module each time', async () => {
    const report = await grade(suite, DONE);
    expect(report.checks.map((c) => [c.id, c.status])).toEqual([
      ['saves', 'pass'],
      ['saves-tolerantly', 'pass'],
      ['fresh-module', 'pass'],
      ['parses', 'pass'],
      ['rejects', 'pass'],
      ['pure', 'fail'],
    ]);
  });

  it('fails a check with the message a helper passed to fail(), no context needed', async () => {
    const report = await grade(suite, DONE.replace('return Number(text);', 'return Number(text) + 1;'));
    expect(result(report, 'parses')).toMatchObject({ status: 'fail', message: "parseSize('12') should be 12; your code returned 13." });
  });

  it('refuses an open() that returns a name the context already has, naming it', async () => {
    const clashing = defineLab({ aws: () => ({}), open: () => ({ env: 1, seed: 2, mine: 3 }) }).checks(({ step, check }) => {
      step(1, () => check('x', 'x', () => {}));
    });
    const x = result(await grade(clashing, DONE), 'x');
    expect(x.status).toBe('error');
    expect(x.message).toContain("open() returned 'env', 'seed', which every check context already has");
  });

  it('declares checks only inside a step, with ids that can be grade-file columns', () => {
    expect(() => lab.checks(({ check }) => check('x', 'x', () => {}))).toThrow(CheckDefinitionError);
    expect(() => lab.checks(({ step, check }) => step(1, () => check('Not_An_Id', 'x', () => {})))).toThrow(/lower-case words joined by hyphens/);
  });
});

describe('a step not done yet', () => {
  it('says "not done yet" and marks the result unfinished, whether the stub error escaped or the check caught it', async () => {
    const report = await grade(suite, STARTER);
    // Escaped: the check keeps its verdict (error), the message says what to do.
    expect(result(report, 'saves')).toMatchObject({
      status: 'error',
      unfinished: true,
      message: "Not done yet: save is still the starter's stub, which throws Not implemented yet: save (step 1) (store.ts:3:9). Write it, then run the checks again.",
    });
    // Caught by the check and judged as a throw: still not done, not "save threw".
    expect(result(report, 'saves-tolerantly')).toMatchObject({ status: 'fail', unfinished: true });
    expect(result(report, 'saves-tolerantly').message).toMatch(/^Not done yet: save is still the starter's stub/);
    // expectThrows does not take the stub for an Error that forgot to name the text.
    expect(result(report, 'rejects')).toMatchObject({ status: 'fail', unfinished: true });
    expect(result(report, 'rejects').message).toMatch(/^Not done yet: parseSize is still the starter's stub, which throws Not implemented yet: parseSize \(step 2\) \(store\.ts:6:9\)/);
    // A check the stub did not touch is judged as usual.
    expect(result(report, 'fresh-module')).toMatchObject({ status: 'pass' });
    expect(result(report, 'fresh-module').unfinished).toBeUndefined();
    expect(reportSchemaErrors(report)).toEqual([]);
  });

  it('is not claimed for an error of the checks themselves', async () => {
    const own = defineLab({ aws: () => ({}) }).checks(({ step, check }) => {
      step(1, () => check('own', 'a check with a bug', () => {
        throw new Error('Not implemented yet: the author forgot this check');
      }));
    });
    const r = result(await grade(own, DONE), 'own');
    expect(r.status).toBe('error');
    expect(r.unfinished).toBeUndefined();
    expect(r.message).toMatch(/^The check could not complete/);
  });
});

describe('expectThrows', () => {
  const judged = async (parseSize: string) => result(await grade(suite, DONE.replace(/export function parseSize[^\n]*/, parseSize)), 'rejects');

  it('fails, in the learner\'s terms, code that returns instead of throwing', async () => {
    expect((await judged('export function parseSize(text) { return 0; }')).message).toBe(
      "For the text '12 kB', parseSize returned 0 instead of throwing. A size nobody can read must stop the import.",
    );
  });

  it('asks for an Error, and for one that names the bad input', async () => {
    expect((await judged("export function parseSize(text) { throw 'bad'; }")).message).toBe(
      "For the text '12 kB', parseSize threw 'bad'; throw an Error (new Error('…')) so callers get a message and a stack.",
    );
    expect((await judged("export function parseSize(text) { throw new Error('bad size'); }")).message).toBe(
      "For the text '12 kB', parseSize threw \"bad size\", which does not name the text: put '12 kB' in the message so the bad input can be found.",
    );
  });

  it('passes an Error that names the input, thrown or rejected', async () => {
    expect((await judged("export async function parseSize(text) { throw new RangeError(text + ' is no size'); }")).status).toBe('pass');
  });
});

describe('the state afterwards', () => {
  it('is shown after a check whose code called AWS, and left out after one that never did', async () => {
    const report = await grade(suite, DONE);
    expect(result(report, 'saves').state).toEqual({ s3: { buckets: { 'probe-bucket': ['k'] } } });
    expect(result(report, 'pure').state).toBeUndefined();
    expect(result(report, 'pure').trace).toBeUndefined();
  });

  it('is what the lab says when it summarises the world itself', async () => {
    const summarised = defineLab({ aws: (env) => ({ s3: new FakeS3(env) }), state: () => ({ note: 'always' }) }).checks(({ step, check }) => {
      step(1, () => check('quiet', 'no AWS call', () => fail('shows the lab\'s summary anyway.')));
    });
    expect(result(await grade(summarised, DONE), 'quiet').state).toEqual({ note: 'always' });
  });
});
