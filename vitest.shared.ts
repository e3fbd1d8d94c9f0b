import { defineConfig } from 'vitest/config';

/**
 * Shared vitest settings: tests read each workspace package's `src` through
 * the `@opie/source` export condition, so no build is needed before testing.
 */
export const sharedConfig = defineConfig({
  resolve: { conditions: ['@opie/source', 'module', 'node', 'import', 'default'] },
  ssr: { resolve: { conditions: ['@opie/source', 'node', 'default'] } },
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    environment: 'node',
    pool: 'threads',
    // `pnpm test` runs every package's suite at once; on a 2-core machine a
    // property test that takes 2 s alone can pass vitest's 5 s default.
    testTimeout: 20_000,
  },
});
