// pinTimeZone makes local time the lab's zone whatever the machine's. It patches a realm's
// globals, so each case runs in a fresh Node process whose own zone differs from the pinned one.

import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../catalog/labs.ts';

function inZone(machineZone: string, pinned: string, body: string): unknown {
  const module = join(REPO_ROOT, 'grader', 'zoned-time.ts');
  const code = `import { pinTimeZone } from ${JSON.stringify(module)}; pinTimeZone(${JSON.stringify(pinned)}); const result = (() => { ${body} })(); console.log(JSON.stringify(result));`;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', code], { env: { ...process.env, TZ: machineZone } });
  return JSON.parse(out.toString());
}

describe('pinTimeZone', () => {
  const event = "const d = new Date('2024-01-15T23:30:00-08:00');";

  it('gives the pinned zone local fields on a UTC machine and on a Tokyo one alike', () => {
    for (const machine of ['UTC', 'Asia/Tokyo']) {
      expect(inZone(machine, 'America/Los_Angeles', `${event} return [d.getFullYear(), d.getMonth(), d.getDate(), d.getHours(), d.getMinutes(), d.getDay(), d.getTimezoneOffset()];`), machine).toEqual([2024, 0, 15, 23, 30, 1, 480]);
    }
  });

  it('leaves UTC methods and instants alone', () => {
    expect(inZone('Asia/Tokyo', 'America/Los_Angeles', `${event} return [d.toISOString(), d.getUTCDate(), d.getTime()];`)).toEqual([
      '2024-01-16T07:30:00.000Z',
      16,
      Date.parse('2024-01-16T07:30:00Z'),
    ]);
  });

  it('reads local components and zone-less strings in the pinned zone, date-only strings as UTC', () => {
    const result = inZone(
      'UTC',
      'America/Los_Angeles',
      "return [new Date(2024, 6, 4, 12).toISOString(), new Date('2024-07-04T12:00').toISOString(), new Date('2024-07-04').toISOString(), Date.parse('2024-07-04T12:00:00')];",
    );
    expect(result).toEqual(['2024-07-04T19:00:00.000Z', '2024-07-04T19:00:00.000Z', '2024-07-04T00:00:00.000Z', Date.parse('2024-07-04T19:00:00Z')]);
  });

  it('sets local fields across a DST change and formats like the engine does', () => {
    const result = inZone(
      'UTC',
      'America/Los_Angeles',
      "const d = new Date(2024, 2, 9, 12); d.setDate(d.getDate() + 1); return [d.toISOString(), d.toString(), d instanceof Date, d.constructor === Date];",
    ) as unknown[];
    expect(result[0]).toBe('2024-03-10T19:00:00.000Z');
    expect(result[1]).toBe('Sun Mar 10 2024 12:00:00 GMT-0700 (Pacific Daylight Time)');
    expect(result.slice(2)).toEqual([true, true]);
  });

  it('formats toLocale* in the pinned zone unless told otherwise', () => {
    expect(inZone('Asia/Tokyo', 'America/Los_Angeles', `${event} return [d.toLocaleDateString('en-US'), d.toLocaleDateString('en-US', { timeZone: 'UTC' })];`)).toEqual(['1/15/2024', '1/16/2024']);
  });
});
