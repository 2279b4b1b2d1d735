import { listingStamp, readListing, writeListing } from '../../catalog/listing.ts';
import type { LabListing } from '../../catalog/listing.ts';

/** The rows read from the labs and their bundles (built when absent), then kept for next time. */
async function freshListing(stamp: string): Promise<LabListing[]> {
  const [{ readAllLabs }, { loadGraderBundle }] = await Promise.all([import('../../catalog/labs.ts'), import('../grade.ts')]);
  const rows = await Promise.all(
    readAllLabs().map(async (lab) => {
      const bundle = await loadGraderBundle(lab.id);
      const hidden = bundle.checks.filter((c) => c.visibility === 'hidden').length;
      return { id: lab.id, title: lab.manifest.title, steps: lab.steps.length, checks: bundle.checks.length, hidden };
    }),
  );
  writeListing(stamp, rows);
  return rows;
}

export async function listCommand(args: string[], out: (text: string) => void): Promise<number> {
  const json = args.includes('--json');
  // Stamped before the labs are read: a lab edited meanwhile makes the next listing fresh again.
  const stamp = listingStamp();
  const rows = readListing(stamp) ?? (await freshListing(stamp));
  if (json) {
    out(JSON.stringify(rows, null, 2));
    return 0;
  }
  if (!rows.length) {
    out('No labs yet. Create one with `whetstone new <id>`.');
    return 0;
  }
  const idWidth = Math.max(2, ...rows.map((r) => r.id.length));
  const titleWidth = Math.max(5, ...rows.map((r) => r.title.length));
  out(`${'ID'.padEnd(idWidth)}  ${'TITLE'.padEnd(titleWidth)}  STEPS  CHECKS`);
  for (const r of rows) {
    out(`${r.id.padEnd(idWidth)}  ${r.title.padEnd(titleWidth)}  ${String(r.steps).padStart(5)}  ${String(r.checks).padStart(6)}${r.hidden ? ` (${r.hidden} hidden)` : ''}`);
  }
  return 0;
}
