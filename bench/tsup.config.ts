import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/scheduling.ts'],
  format: ['esm'],
  target: 'node20',
  dts: false,
  sourcemap: true,
  clean: true,
});
