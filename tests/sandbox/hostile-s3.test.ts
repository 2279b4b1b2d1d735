// Hostile submissions against a real lab and its fake S3, through the sandboxed Node host:
// patching the SDK to fake answers must not earn a single point. Time stands still for the
// supervisor (manual-clock.ts), so a busy machine cannot cost a check and skew the comparison.

import { beforeAll, describe, expect, it } from 'vitest';
import type { LabBundle } from '../../catalog/bundle.ts';
import { readVariants } from '../../catalog/variants.ts';
import { loadGraderBundle } from '../../cli/grade.ts';
import type { Report } from '../../grader/report.ts';
import { gradeWithNode } from '../../sandbox/node/host.ts';
import { cancelledAfterEachTest } from './cancel-after-each.ts';
import { timeRunsOutOnlyFor } from './manual-clock.ts';

const LAB = 's3-partitioning';
let bundle: LabBundle;
// A plausible mistake (reads every object, then filters): it fails the pruning check honestly.
let base: string;
let baseReport: Report;
const signal = cancelledAfterEachTest();

function gradeWithBundle(labBundle: LabBundle, files: Record<string, string>): Promise<Report> {
  return gradeWithNode({
    lab: labBundle.lab,
    bundle: labBundle.code,
    ...(labBundle.codeCache ? { codeCache: labBundle.codeCache } : {}),
    checks: labBundle.checks,
    files,
    limits: labBundle.manifest.limits,
    grader: 'whetstone@test',
    signal: signal(),
    ...timeRunsOutOnlyFor(),
  });
}

beforeAll(async () => {
  bundle = await loadGraderBundle(LAB);
  base = readVariants(LAB).find((v) => v.name === 'read-everything')!.files['partition.ts']!;
  baseReport = await gradeWithBundle(bundle, { 'partition.ts': base });
  expect(baseReport.status).toBe('fail');
}, 120_000);

const attacks: Record<string, string> = {
  'replace send on the prototype': "(S3Client.prototype as any).send = async () => ({ Contents: [], KeyCount: 0 });",
  'redefine send on the prototype': "Object.defineProperty(S3Client.prototype, 'send', { value: async () => ({}) });",
  're-configure the stubbed send': "(S3Client.prototype.send as any).callsFake(async () => ({ Contents: [], KeyCount: 0 }));",
  'change what the stubbed send inherits': "Object.setPrototypeOf(S3Client.prototype.send, { apply: () => Promise.resolve({ Contents: [] }) });",
  'patch a command class': "(PutObjectCommand.prototype as any).input = {};",
  'patch the base Error': "(Error as any).captureStackTrace = () => {};",
};

describe(`hostile submissions against ${LAB}`, () => {
  for (const [name, attack] of Object.entries(attacks)) {
    it(`gains nothing by trying to ${name}`, async () => {
      const source = `import * as __sdk from '@aws-sdk/client-s3';\nconst { S3Client, PutObjectCommand } = __sdk as any;\ntry { ${attack} console.log('attack: applied'); } catch (e) { console.log('attack: refused ' + String(e)); }\n${base}`;
      const report = await gradeWithBundle(bundle, { 'partition.ts': source });
      expect(report.score, name).toBeLessThanOrEqual(baseReport.score);
      const pruning = report.checks.find((c) => c.id === 'read-range-pruning');
      expect(pruning?.status, name).not.toBe('pass');
      // The frozen realm refused the patch itself (not merely made it useless).
      expect(pruning?.output ?? '', name).toContain('attack: refused');
    });
  }
});
