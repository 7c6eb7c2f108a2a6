import { defineConfig } from 'vitest/config';
import LongestFirstSequencer from './test/support/sequencer.js';

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Most of the suite waits on blocks, sockets and child processes rather than the CPU: two files at a time take
    // about 60% of the wall time on two cores (vitest's default here is cores - 1, i.e. one at a time).
    maxWorkers: 2,
    // Longest files first (by recorded durations, also on a CI machine without vitest's cache), so both workers
    // finish together.
    sequence: { sequencer: LongestFirstSequencer },
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          // Pure functions, no servers, no global state: one process per worker for all of them, importing the
          // shared modules once, instead of a fresh process per file (importing was a fifth of their time).
          isolate: false,
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/**/*.test.ts'],
          exclude: ['test/unit/**'],
          // A PostgreSQL server for the tests that run on both stores (test/support/postgres-global.ts).
          globalSetup: ['test/support/postgres-global.ts'],
        },
      },
    ],
  },
});
