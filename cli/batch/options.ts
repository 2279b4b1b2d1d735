// The flags `whetstone grade` takes for a batch, kept with the batch so that a new batch flag
// does not touch the one-submission command (cli/commands/grade.ts spreads them into its own).

export const BATCH_OPTIONS = {
  batch: { type: 'string' },
  jobs: { type: 'string' },
  shard: { type: 'string' },
  regrade: { type: 'boolean' },
  force: { type: 'boolean' },
  gradebook: { type: 'string' },
  assignment: { type: 'string' },
} as const;

export const BATCH_HELP = `Batch: whetstone grade --lab <id> --batch <dir> --out grades.csv|grades.json [options]

Grades every sub-folder or .zip of <dir> (its name is the learner id). The --out file is written
only once every learner is graded; until then the grades so far are in <out>.partial, and the
journal <out>.journal.jsonl lets the same command resume where it stopped.

  --jobs N                  submissions graded at once (default: one per core)
  --shard i/n               grade only shard i of n (by a hash of the learner id); join with merge
  --gradebook canvas,moodle also write <out-name>.canvas.csv / .moodle.csv for the LMS's grade import
                            (for a sharded class, pass it to merge instead)
  --assignment NAME         the gradebook column: an existing assignment's name (default: the lab title)
  --regrade                 grade everyone again, ignoring the journal
  --force                   go on when most submissions fail to load alike (is --lab right?)`;
