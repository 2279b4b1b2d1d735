// An error in a lab as authored (a file, a field, a build), said for the author. Its own module
// so that the CLI's entry can recognise it without loading the lab parser (zod, js-yaml).

export class LabError extends Error {
  override name = 'LabError';
  readonly problems: string[];
  constructor(message: string, problems: string[] = []) {
    super(problems.length ? `${message}\n${problems.map((p) => `  - ${p}`).join('\n')}` : message);
    this.problems = problems;
  }
}
