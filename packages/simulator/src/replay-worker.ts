import { parentPort, workerData } from 'node:worker_threads';
import { runPolicyJob, serializeError } from './policy-job.js';
import type { PolicyJob, PolicyJobMessage } from './policy-job.js';

/**
 * The worker thread of `simulateInWorkers`: replays the one policy job it
 * is given (`workerData`) and posts progress, warnings and the outcome.
 */
if (parentPort !== null) {
  const port = parentPort;
  const post = (message: PolicyJobMessage): void => port.postMessage(message);
  runPolicyJob(workerData as PolicyJob, post).then(
    (outcome) => post({ type: 'done', outcome }),
    (error: unknown) => post({ type: 'error', error: serializeError(error) }),
  );
}
