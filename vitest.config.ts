import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Generous: `npm test` must pass on a loaded machine (two runs at once on two cores), and no
    // test asserts speed. A hang still fails, only later.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Vitest's default is one worker fewer than the cores: one worker on a two-core machine, so the
    // files ran one after another while most of them wait on sockets, timers and Chromium. Two
    // files at a time halves the wait; the tests already pass with two runs at once.
    maxWorkers: 2,
  },
});
