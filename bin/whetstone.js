#!/usr/bin/env node
// Entry point of `whetstone` / `npx whetstone`. The CLI is TypeScript run by Node's own type
// stripping (Node 22.18+ and 24 by default; 22.12–22.17 need the flag, so re-run with it).

import { spawnSync } from 'node:child_process';
import module from 'node:module';

// Reuse V8's compiled code (and the stripped TypeScript) across runs: a CLI started once per
// submission should not compile itself every time.
module.enableCompileCache?.();

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 12)) {
  console.error(`whetstone: Node ${process.versions.node} is too old; install Node 24 LTS (at least 22.12).`);
  process.exit(2);
}
if (!process.features.typescript) {
  const result = spawnSync(process.execPath, ['--experimental-strip-types', '--disable-warning=ExperimentalWarning', ...process.argv.slice(1)], { stdio: 'inherit' });
  process.exit(result.status ?? 1);
}

const { main } = await import('../cli/main.ts');
const code = await main(process.argv.slice(2), {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
  isTTY: Boolean(process.stdout.isTTY),
  columns: process.stdout.columns,
});
process.exitCode = code;
