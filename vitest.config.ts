import { defineConfig } from 'vitest/config';

// Three projects:
//  - pglite:   every server/contracts test; integration tests (*.int.test.ts) on in-memory PGlite
//  - postgres: the integration tests again, on real PostgreSQL (a fresh database per file)
//  - process:  the built server started as real processes (embedded, server mode, two instances)
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'pglite',
          include: ['packages/*/src/**/*.test.ts', 'packages/*/test/**/*.test.ts'],
          exclude: ['**/*.e2e.test.ts', '**/node_modules/**'],
          env: { AEGIS_TEST_DB: 'pglite' },
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'postgres',
          include: ['packages/*/src/**/*.int.test.ts', 'packages/*/test/**/*.int.test.ts'],
          env: { AEGIS_TEST_DB: 'postgres' },
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'process',
          include: ['packages/server/test/**/*.e2e.test.ts'],
          testTimeout: 180_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'web',
          environment: 'happy-dom',
          include: ['packages/web/src/**/*.test.tsx'],
        },
      },
    ],
  },
});
