import { defineConfig } from 'vitest/config';

// whetstone/checks and whetstone/aws/* resolve through package.json "exports" (a package's
// reference to itself), as in TypeScript, esbuild and Node: no alias table here.
export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // Graders run learner code in a non-UTC zone (labs' limits.timeZone), so local-time bugs
    // show even on a UTC machine; in-process tests see the same zone.
    env: { TZ: 'America/Los_Angeles' },
    testTimeout: 30_000,
    hookTimeout: 120_000,
  },
});
