import { defineConfig } from 'tsup';

export default defineConfig({
  entry: [
    'src/scheduling.ts',
    'src/simulate.ts',
    'src/serve.ts',
    'src/victims.ts',
    'src/victim-search.ts',
  ],
  format: ['esm'],
  target: 'node20',
  dts: false,
  sourcemap: true,
  clean: true,
});
