import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Generous: `npm test` must pass on a loaded machine (two runs at once on two cores), and no
    // test asserts speed. A hang still fails, only later.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
