import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  resolve: {
    alias: [
      { find: /^whetstone\/checks$/, replacement: here('./grader/checks.ts') },
      { find: /^whetstone\/aws\/(.*?)(\.ts)?$/, replacement: here('./grader/aws/') + '$1.ts' },
    ],
  },
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
  },
});
