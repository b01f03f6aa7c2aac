import { defineConfig } from 'vitest/config';

/**
 * Three tiers (STYLE.md habit 9): `unit` (beside the code, incl. store suites on PGlite and
 * PostgreSQL), `federation` (subgraphs and gateway in process) and `e2e` (real processes, test/).
 */
export default defineConfig({
  resolve: {
    // graphql 16 ships CJS (main) and ESM (module) entries; Node loads the CJS one for
    // type-graphql and Apollo, so our own sources must get the same copy (one realm).
    alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }],
  },
  test: {
    reporters: ['default', './test/utils/src/summary-reporter.ts'],
    env: { LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn', APOLLO_TELEMETRY_DISABLED: '1' },
    testTimeout: 30_000,
    hookTimeout: 120_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['{gateway,subgraphs/*,remotes/sdk,playground}/src/**/__tests__/**/*.test.ts'],
          exclude: ['**/__tests__/**/*.federation.test.ts'],
        },
      },
      {
        extends: true,
        test: { name: 'federation', include: ['{gateway,subgraphs/*}/src/**/__tests__/**/*.federation.test.ts', 'test/federation/**/*.test.ts', 'test/security/**/*.test.ts'] },
      },
      {
        extends: true,
        test: { name: 'e2e', include: ['test/e2e/**/*.test.ts'], fileParallelism: false },
      },
      { extends: true, test: { name: 'deploy', include: ['test/deploy/**/*.test.ts'] } },
    ],
  },
});
