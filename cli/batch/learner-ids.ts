// Learner ids: the folder or zip name of a submission. Their order in every output, and the
// name a gradebook or a case-insensitive file system sees in them.

// One collator for every comparison: `localeCompare` with options builds one per call, which
// made sorting the learners of a large class the slowest part of its item analysis.
const collator = new Intl.Collator('en', { numeric: true });

/** A human order: learner2 before learner10; ties broken byte-wise so it is total. */
export function compareIds(a: string, b: string): number {
  return collator.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0);
}

/** The name an LMS, macOS or Windows sees: one Unicode spelling, one case. */
export function learnerKey(id: string): string {
  return id.normalize('NFC').toLowerCase();
}
