import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Integration tests start real clusters and measure real replication lag: they must not run
    // concurrently with each other or fight unit tests for the 2 cores. Unit files take ~10 s in all.
    fileParallelism: false,
  },
});
