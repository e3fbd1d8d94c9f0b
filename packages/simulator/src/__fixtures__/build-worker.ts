import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'tsup';

/**
 * The replay worker bundled from the sources (every workspace package read
 * through the `@opie/source` condition), so the worker-thread tests need no
 * build of the package: a worker thread cannot load TypeScript itself.
 */
export async function buildWorkerFromSources(): Promise<{ url: URL; dir: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'opie-replay-worker-'));
  await build({
    entry: { 'replay-worker': fileURLToPath(new URL('../replay-worker.ts', import.meta.url)) },
    outDir: dir,
    format: ['esm'],
    platform: 'node',
    target: 'node20',
    bundle: true,
    noExternal: [/.*/],
    dts: false,
    sourcemap: false,
    clean: false,
    silent: true,
    config: false,
    banner: {
      // Bundled CommonJS dependencies may call require().
      js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
    },
    esbuildOptions(o) {
      o.conditions = ['@opie/source', 'import', 'node', 'default'];
    },
  });
  return { url: pathToFileURL(join(dir, 'replay-worker.js')), dir };
}
