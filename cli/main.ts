// The `whetstone` command line. Every mistake a person can make here ends in one line that
// says what was wrong and what to do, and exit code 2; a report produced means exit 0.

import { LabError } from '../catalog/labs.ts';
import { SubmissionInputError } from './submission-input.ts';
import { USAGE, UsageError } from './usage.ts';
import type { CommandIO } from './command-io.ts';

export async function main(argv: string[], io: CommandIO): Promise<number> {
  const [command, ...args] = argv;
  try {
    switch (command) {
      case 'list':
        return await (await import('./commands/list.ts')).listCommand(args, io.out);
      case 'grade':
        return await (await import('./commands/grade.ts')).gradeCommand(args, io);
      case 'check':
        return await (await import('./commands/check.ts')).checkCommand(args, io);
      case 'new':
        return await (await import('./commands/new.ts')).newCommand(args, io);
      case 'new-wrong':
        return await (await import('./commands/new-variant.ts')).newWrongCommand(args, io);
      case 'new-alternative':
        return await (await import('./commands/new-variant.ts')).newAlternativeCommand(args, io);
      case 'merge':
        return await (await import('./commands/batch.ts')).mergeCommand(args, io);
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        io.out(USAGE);
        return command === undefined ? 2 : 0;
      case '--version':
      case '-v':
        io.out((await import('./grade.ts')).GRADER_VERSION);
        return 0;
      default:
        throw new UsageError(`Unknown command '${command}'. Commands: list, grade, check, new, new-wrong, new-alternative, merge (see \`whetstone --help\`).`);
    }
  } catch (error) {
    if (error instanceof UsageError || error instanceof SubmissionInputError) {
      io.err(`whetstone: ${error.message}`);
      return 2;
    }
    if (error instanceof LabError) {
      io.err(`whetstone: ${error.message}`);
      return 2;
    }
    // A bug of ours, not the user's: say so in one line; the stack only on request.
    const message = error instanceof Error ? error.message : String(error);
    io.err(`whetstone: internal error: ${message.split('\n')[0]} (set WHETSTONE_DEBUG=1 for the stack, and please report it).`);
    if (process.env.WHETSTONE_DEBUG) io.err(error instanceof Error ? (error.stack ?? message) : message);
    return 70;
  }
}
