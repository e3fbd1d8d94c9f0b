import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.shared.js';

// The worker thread of simulateInWorkers is its own entry: dist/replay-worker.js.
export default defineConfig(packageBuild(['src/index.ts', 'src/replay-worker.ts']));
