import { defineConfig, mergeConfig } from 'vitest/config';
import { sharedConfig } from '../../vitest.shared.js';

// One differential run starts python3 once and checks every generated cloud.
export default mergeConfig(
  sharedConfig,
  defineConfig({ test: { include: ['*.test.ts'], testTimeout: 120_000 } }),
);
