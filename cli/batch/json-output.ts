// Writing the JSON grades of a batch without building them as one string: a class of large
// reports (a megabyte each for some labs) would pass V8's string limit. The head (summary,
// item analysis, checks) is one JSON value; the submissions follow one per line, each copied
// as-is from the journal or serialised on its own. Written to a temp file, then renamed, so a
// reader never sees half a file.

import { closeSync, mkdirSync, openSync, renameSync, writeSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { BatchHead } from './grades.ts';

export function writeBatchJson(path: string, head: BatchHead, submissions: Iterable<string>): void {
  mkdirSync(dirname(resolve(path)), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  const fd = openSync(tmp, 'w');
  const write = (text: string) => {
    const bytes = Buffer.from(text, 'utf8');
    let offset = 0;
    while (offset < bytes.length) offset += writeSync(fd, bytes, offset);
  };
  try {
    const headText = JSON.stringify(head, null, 2);
    // The head without its closing brace, then "submissions": [ … ] and the brace.
    write(`${headText.slice(0, headText.lastIndexOf('}')).trimEnd()},\n  "submissions": [`);
    let first = true;
    for (const submission of submissions) {
      write(`${first ? '\n' : ',\n'}    ${submission}`);
      first = false;
    }
    write(`${first ? '' : '\n  '}]\n}\n`);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
}
