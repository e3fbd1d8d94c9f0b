import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { deserializeError, runPolicyJob } from './policy-job.js';
import type { PolicyJob, PolicyJobMessage, PolicyJobOutcome } from './policy-job.js';
import type { ReadTraceOptions } from './read-trace.js';
import type { ReplaySettings } from './replay-engine.js';
import { assembleResult } from './simulate.js';
import type { SimulateOptions, SimulationProgress } from './simulate.js';
import type { CloudRecords } from './simulated-cloud.js';
import type { SimulationResult } from './simulation-result.js';

/** A policy a worker can load itself: its nova.conf files. */
export interface PolicySpec {
  name: string;
  paths: readonly string[];
  /** Base of relative paths (default `process.cwd()`). */
  cwd?: string;
}

export interface SimulateInWorkersOptions extends Pick<
  SimulateOptions,
  | 'seed'
  | 'startMs'
  | 'sampleIntervalS'
  | 'billingPeriodS'
  | 'heartbeatS'
  | 'drain'
  | 'resubmitVictimsS'
  | 'provenance'
  | 'onProgress'
  | 'progressEvery'
> {
  policies: readonly PolicySpec[];
  cloud: CloudRecords;
  /** The trace file; every policy reads it itself (it is streamed, never held). */
  trace: { path: string; options?: ReadTraceOptions };
  /** Policy `i`'s events go to `eventsFile(i)` as JSON Lines. */
  eventsFile?: (index: number) => string;
  /** Policy warnings (each distinct message once per policy). */
  onWarning?: (policy: string, message: string) => void;
  /** Policies replayed at once (default: the machine's parallelism, at most the policies). */
  threads?: number;
  /** The worker script (default: `replay-worker.js` of the built package). */
  workerUrl?: URL;
}

/**
 * The built worker script: next to this module in `dist/`, or, from the
 * sources, in the package's `dist/` when it has been built; else undefined.
 */
export function defaultWorkerUrl(): URL | undefined {
  for (const candidate of ['./replay-worker.js', '../dist/replay-worker.js']) {
    const url = new URL(candidate, import.meta.url);
    if (existsSync(fileURLToPath(url))) return url;
  }
  return undefined;
}

/**
 * The parent's Node options without export conditions: a test runner that
 * reads the sources (`--conditions @opie/source`) would otherwise make the
 * built worker import TypeScript.
 */
function workerExecArgv(): string[] {
  const out: string[] = [];
  const args = process.execArgv;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === '--conditions' || arg === '-C') {
      i += 1;
      continue;
    }
    if (arg.startsWith('--conditions=') || (arg.startsWith('-C') && arg.length > 2)) continue;
    out.push(arg);
  }
  return out;
}

function runInWorker(
  url: URL,
  job: PolicyJob,
  onMessage: (message: PolicyJobMessage) => void,
): Promise<PolicyJobOutcome> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(url, { workerData: job, execArgv: workerExecArgv() });
    let settled = false;
    worker.on('message', (message: PolicyJobMessage) => {
      if (message.type === 'done') {
        settled = true;
        resolve(message.outcome);
      } else if (message.type === 'error') {
        settled = true;
        reject(deserializeError(message.error));
      } else {
        onMessage(message);
      }
    });
    worker.on('error', (error) => {
      settled = true;
      reject(error);
    });
    worker.on('exit', (code) => {
      if (!settled)
        reject(new Error(`the replay worker of ${job.policy.name} exited with code ${code}`));
    });
  });
}

/**
 * Replays every policy in its own worker thread (at most `threads` at a
 * time), each reading the trace itself, and merges the figures in policy
 * order: the result is the one `simulate` gives for the same inputs
 * (timings aside). Without a built worker script (running from the
 * sources) the jobs run in turn in this thread, with the same figures.
 */
export async function simulateInWorkers(
  options: SimulateInWorkersOptions,
): Promise<SimulationResult> {
  if (options.policies.length === 0) throw new RangeError('simulate needs at least one policy');
  const settings: ReplaySettings = {
    startMs: options.startMs ?? 0,
    sampleIntervalS: options.sampleIntervalS ?? 3600,
    billingPeriodS: options.billingPeriodS ?? 3600,
    ...(options.heartbeatS !== undefined ? { heartbeatS: options.heartbeatS } : {}),
    ...(options.resubmitVictimsS !== undefined
      ? { resubmitVictimsS: options.resubmitVictimsS }
      : {}),
  };
  const seed = options.seed ?? 0;
  const drain = options.drain ?? false;
  const jobs: PolicyJob[] = options.policies.map((p, i) => {
    const events = options.eventsFile?.(i);
    return {
      policy: {
        name: p.name,
        paths: [...p.paths],
        seed,
        ...(p.cwd !== undefined ? { cwd: p.cwd } : {}),
      },
      cloud: options.cloud,
      trace: { path: options.trace.path, options: options.trace.options ?? {} },
      settings,
      drain,
      ...(events !== undefined ? { eventsFile: events } : {}),
      progressEvery: Math.max(1, options.progressEvery ?? 1000),
    };
  });
  const progress = jobs.map(() => ({ rows: 0, events: 0 }));
  const report = (): void => {
    if (options.onProgress === undefined) return;
    const p: SimulationProgress = {
      rows: Math.min(...progress.map((x) => x.rows)),
      events: progress.reduce((sum, x) => sum + x.events, 0),
    };
    options.onProgress(p);
  };
  const handler = (i: number) => (message: PolicyJobMessage) => {
    if (message.type === 'progress') {
      progress[i] = { rows: message.rows, events: message.events };
      report();
    } else if (message.type === 'warning') {
      options.onWarning?.(jobs[i]?.policy.name ?? '', message.message);
    }
  };
  const url = options.workerUrl ?? defaultWorkerUrl();
  const threads = Math.max(
    1,
    Math.min(jobs.length, Math.floor(options.threads ?? availableParallelism())),
  );
  const outcomes: PolicyJobOutcome[] = new Array<PolicyJobOutcome>(jobs.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < jobs.length) {
      const i = next++;
      const job = jobs[i] as PolicyJob;
      outcomes[i] =
        url !== undefined && threads > 1
          ? await runInWorker(url, job, handler(i))
          : await runPolicyJob(job, handler(i));
    }
  };
  await Promise.all(Array.from({ length: threads }, lane));
  const first = outcomes[0] as PolicyJobOutcome;
  return assembleResult({
    settings,
    seed,
    drain,
    cloud: options.cloud,
    ...(options.provenance !== undefined ? { provenance: options.provenance } : {}),
    trace: {
      file: first.trace.file,
      format: first.trace.format,
      rows: first.rows,
      badRows: first.trace.badRows,
      firstBadRows: first.trace.firstBadRows,
      firstArrivalS: first.firstArrivalS,
      lastArrivalS: first.lastArrivalS,
      spanS: Math.max(0, ...outcomes.map((o) => o.spanS)),
    },
    policies: outcomes.map((o) => o.result),
    options: outcomes.map((o) => o.options),
  });
}
