// Errors a person at the command line caused: printed as one line, exit code 2.

export class UsageError extends Error {
  override name = 'UsageError';
}

export const USAGE = `whetstone — hands-on AWS ML infrastructure labs, graded check by check

Usage:
  whetstone list                                   the labs: id, title, steps, checks
  whetstone grade --lab <id> <submission>          grade one folder, exported .zip or lab .patch
        [--format text|json|junit|gradescope] [--out FILE] [--fail-under PCT]
        [--public-only] [--checks <pack-dir>] [--seed N]
  whetstone grade --lab <id> --batch <dir> --out <grades.csv|grades.json>
        [--jobs N] [--shard i/n] [--gradebook canvas,moodle] [--assignment NAME]
        [--regrade] [--force] [--checks <pack-dir>]
  whetstone check [<id>…] [--record]               self-test labs (--record: write what anti-solutions fail)
  whetstone new <id>                               scaffold a lab
  whetstone new-wrong <lab> <name> [--from DIR]    an anti-solution, as a patch from an edited copy
  whetstone new-alternative <lab> <name> [--from DIR]   another correct solution, as a patch
  whetstone merge --out <all.csv|all.json> <shard.json>…   merge batch shards
        [--gradebook canvas,moodle] [--assignment NAME] [--partial]

Run \`whetstone <command> --help\` for details.`;
