import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // A PostgreSQL server for the tests that run on both stores (test/support/postgres-global.ts).
    globalSetup: ['test/support/postgres-global.ts'],
  },
});
