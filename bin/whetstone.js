#!/usr/bin/env node
// Entry point of `whetstone` / `npx whetstone`. The CLI is TypeScript run by Node's own type
// stripping (Node 22.18+ and 24 by default; 22.12–22.17 need the flag, so re-run with it).

import module from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

// Reuse V8's compiled code and the stripped TypeScript across runs: a CLI started once per
// submission should not compile itself every time. Kept beside the bundle cache (the same rule
// as CACHE_DIR in catalog/paths.ts, which is TypeScript and so not loaded yet), not in a /tmp
// shared with every checkout; NODE_COMPILE_CACHE still wins. Node never throws here: an
// unwritable directory only means no cache.
const cacheDir = process.env.WHETSTONE_CACHE_DIR ?? join(dirname(fileURLToPath(import.meta.url)), '..', 'node_modules', '.cache', 'whetstone');
module.enableCompileCache?.(process.env.NODE_COMPILE_CACHE ? undefined : join(resolve(cacheDir), 'compile'));

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 12)) {
  console.error(`whetstone: Node ${process.versions.node} is too old; install Node 24 LTS (at least 22.12).`);
  process.exit(2);
}
if (!process.features.typescript) {
  const { spawnSync } = await import('node:child_process');
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
