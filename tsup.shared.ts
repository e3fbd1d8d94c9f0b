import type { Options } from 'tsup';

/** Build settings every published package shares: ESM + .d.ts for Node 20. */
export function packageBuild(entry: string[] = ['src/index.ts']): Options {
  return {
    entry,
    format: ['esm'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'node20',
  };
}
