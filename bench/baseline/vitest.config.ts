import { defineConfig } from 'vitest/config';
import base from '../../vitest.config.ts';

// The root config's aliases, but only the baseline suite.
export default defineConfig({ resolve: base.resolve, test: { include: ['bench/baseline/suite.test.ts'] } });
