// Gradebook files: the grades of a class as an LMS imports them — the learner id, one points
// column, and nothing else. No pass/fail wording (a learner at 96% is not "failed"), and a learner
// whose submission could not be graded at all gets an empty cell, not 0: both LMSs read an empty
// cell as "no grade", so the instructor decides (the batch lists why, learner by learner).
//
// Canvas documents the import in "How do I import grades in the Gradebook?" (Instructure
// Community, Instructor Guide,
// https://community.canvaslms.com/t5/Instructor-Guide/How-do-I-import-grades-in-the-Gradebook/ta-p/807);
// the details below were checked on 2026-11-30 against its importer (instructure/canvas-lms,
// app/models/gradebook_importer.rb). The header is Student, ID, SIS User ID, SIS Login ID,
// Section, then one column per assignment, named as the assignment is (or "Name (id)"); a row
// whose first cell is "Points Possible" gives each assignment's maximum. A student is found by
// ID (Canvas's numeric user id), else SIS User ID, else SIS Login ID, else name: we put the
// learner id in SIS Login ID, and in Student so that the import preview shows whom it could not
// match. A column that names no assignment creates one.
//
// Moodle documents it in "Grade import" (MoodleDocs, https://docs.moodle.org/en/Grade_import:
// "Map from" a column "to" useremail, useridnumber… and grade columns to grade items), checked
// on 2026-11-30 against its CSV importer (moodle/moodle, grade/import/csv/classes/load_data.php):
// any header; a user is found by id, username, email address or ID number; an empty cell (or
// "-") is "no grade". A row whose user is not found stops the whole import, so there is no
// maximum row: the maximum is the grade item's own (set it before importing), stated in the
// column's name.

import type { Outcome } from './grades.ts';
import { pointsOf } from './grades.ts';
import { toCsv } from './csv.ts';

export const GRADEBOOKS = ['canvas', 'moodle'] as const;
export type Gradebook = (typeof GRADEBOOKS)[number];

export interface GradebookInput {
  /** The assignment (Canvas) or grade item (Moodle) the points go to. */
  assignment: string;
  maxScore: number;
  outcomes: readonly Outcome[];
}

export function canvasCsv(input: GradebookInput): string {
  return toCsv(
    ['Student', 'ID', 'SIS User ID', 'SIS Login ID', 'Section', input.assignment],
    [['Points Possible', undefined, undefined, undefined, undefined, input.maxScore], ...input.outcomes.map((o) => [o.id, undefined, undefined, o.id, undefined, pointsOf(o)])],
  );
}

export function moodleCsv(input: GradebookInput): string {
  return toCsv(['Username', `${input.assignment} (max ${input.maxScore})`], input.outcomes.map((o) => [o.id, pointsOf(o)]));
}

export function gradebookCsv(gradebook: Gradebook, input: GradebookInput): string {
  return gradebook === 'canvas' ? canvasCsv(input) : moodleCsv(input);
}

/** grades.csv → grades.canvas.csv; all.json → all.moodle.csv. */
export function gradebookPath(out: string, gradebook: Gradebook): string {
  const dot = out.lastIndexOf('.');
  const slash = Math.max(out.lastIndexOf('/'), out.lastIndexOf('\\'));
  const stem = dot > slash + 1 ? out.slice(0, dot) : out;
  return `${stem}.${gradebook}.csv`;
}

/** What to do with the file in the LMS, in one or two lines for the terminal. */
export function importHint(gradebook: Gradebook, input: Pick<GradebookInput, 'assignment' | 'maxScore'>): string {
  return gradebook === 'canvas'
    ? `Canvas: Grades › Import; learners are matched by SIS Login ID; points go to the assignment "${input.assignment}" (created if none has that name), ${input.maxScore} points possible.`
    : `Moodle: Grade administration › Import › CSV file; map "Username" to the user field your learner ids are (username, email address or ID number) and the points column to a grade item whose maximum grade is ${input.maxScore}.`;
}
