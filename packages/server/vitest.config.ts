import { defineConfig } from 'vitest/config';
import { sharedConfig } from '../../vitest.shared.js';

/**
 * The shared settings, except that the SSR conditions leave out `import`:
 * vitest hands them to the worker threads as `--conditions`, and a
 * CommonJS package that `require`s a dual package (pg requires pg-pool)
 * would then get the ES module. The end-to-end suites (PostgreSQL, the
 * openstack client, 200 concurrent creates) need more than 5 s.
 */
export default defineConfig({
  ...sharedConfig,
  ssr: { resolve: { conditions: ['@opie/source', 'node', 'default'] } },
  test: { ...sharedConfig.test, testTimeout: 120_000, hookTimeout: 120_000 },
});
