// Learner ids: the folder or zip name of a submission. Their order in every output, and the
// name a gradebook or a case-insensitive file system sees in them.

/** A human order: learner2 before learner10; ties broken byte-wise so it is total. */
export function compareIds(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true }) || (a < b ? -1 : a > b ? 1 : 0);
}

/** The name an LMS, macOS or Windows sees: one Unicode spelling, one case. */
export function learnerKey(id: string): string {
  return id.normalize('NFC').toLowerCase();
}
