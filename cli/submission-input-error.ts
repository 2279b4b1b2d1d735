// A submission the CLI cannot read (a missing folder, a broken zip, a file too big), said for
// the person grading. Its own module so the CLI's entry recognises it without loading fflate.

export class SubmissionInputError extends Error {
  override name = 'SubmissionInputError';
}
