// `whetstone new <id> [--title "…"]`: scaffold a lab that builds, shows in the catalog, whose
// starter fails and solution passes, and say what to do next.

import { relative } from 'node:path';
import { parseArgs } from 'node:util';
import { LABS_DIR, readAllLabs } from '../../catalog/labs.ts';
import { ScaffoldError, scaffoldLab } from '../scaffold/scaffold.ts';
import { UsageError } from '../usage.ts';
import { describeParseError } from './grade.ts';
import type { CommandIO } from './grade.ts';

const NEW_OPTIONS = {
  title: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

const NEW_HELP = `whetstone new <id> [--title "Lab title"]

Creates labs/<id>/ from the lab template: lab.md, two steps, starter/, solution/, checks.ts,
hidden/checks.ts and one anti-solution (wrong/first-page-only.patch). It passes
\`whetstone check <id>\` as it is; then make it yours (docs/authoring.md). Never overwrites an
existing folder.`;

/** After every lab that exists, so the new one is last in the catalog until its author says otherwise. */
function nextOrder(): number {
  try {
    const orders = readAllLabs().map((lab) => lab.manifest.order);
    return orders.length ? Math.max(...orders) + 1 : 1;
  } catch {
    return 100; // another lab is broken right now; `whetstone check` will say which
  }
}

export async function newCommand(args: string[], io: CommandIO): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args, options: NEW_OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(`${describeParseError(error, NEW_OPTIONS)} Run \`whetstone new --help\`.`);
  }
  if (parsed.values.help) {
    io.out(NEW_HELP);
    return 0;
  }
  if (parsed.positionals.length !== 1) {
    throw new UsageError(parsed.positionals.length ? `Expected one lab id, got ${parsed.positionals.join(' ')}.` : 'Missing the lab id, e.g. `whetstone new feature-store`.');
  }
  const id = parsed.positionals[0]!;
  let created;
  try {
    created = scaffoldLab({
      id,
      labsDir: LABS_DIR,
      order: nextOrder(),
      ...(parsed.values.title !== undefined ? { title: parsed.values.title } : {}),
    });
  } catch (error) {
    if (error instanceof ScaffoldError) throw new UsageError(error.message);
    throw error;
  }
  const fromHere = relative(process.cwd(), created.dir);
  const shown = fromHere && !fromHere.startsWith('..') ? fromHere : created.dir;
  io.out(`Created ${shown}/`);
  for (const file of created.files) io.out(`  ${file}`);
  const next: [string, string][] = [
    [`whetstone check ${id}`, 'prove it: the solution passes, the starter and wrong/ fail'],
    ['npm run dev', `preview it at http://localhost:4321/labs/${id}/`],
    ['edit, then check again', 'lab.md, steps/, starter/ and solution/ (inventory.ts), checks.ts, hidden/'],
    [`whetstone new-wrong ${id} <name>`, 'add each mistake you expect learners to make, as a patch'],
  ];
  const width = Math.max(...next.map(([command]) => command.length)) + 2;
  io.out('');
  io.out('Next:');
  next.forEach(([command, why], i) => io.out(`  ${i + 1}. ${command.padEnd(width)}${why}`));
  io.out('The authoring guide, docs/authoring.md, walks through every file.');
  return 0;
}
