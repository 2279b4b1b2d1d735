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
    // Graders run learner code in a non-UTC zone (labs' limits.timeZone), so local-time bugs
    // show even on a UTC machine; in-process tests see the same zone.
    env: { TZ: 'America/Los_Angeles' },
    testTimeout: 30_000,
    hookTimeout: 120_000,
  },
});
