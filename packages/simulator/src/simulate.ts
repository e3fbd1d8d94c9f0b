import { ReplayEngine } from './replay-engine.js';
import type { ReplaySettings } from './replay-engine.js';
import type { ReplayPolicy } from './replay-policy.js';
import { TraceReader } from './read-trace.js';
import type { CloudRecords } from './simulated-cloud.js';
import type { SimulationResult } from './simulation-result.js';
import type { TraceRow } from './trace-row.js';

/** Progress of a run, as `simulate` reports it. */
export interface SimulationProgress {
  /** Trace rows replayed (per policy). */
  rows: number;
  /** Arrivals and departures replayed, summed over the policies. */
  events: number;
}

export interface SimulateOptions {
  /** One or more policies; each replays the trace on its own copy of `cloud`. */
  policies: readonly ReplayPolicy[];
  cloud: CloudRecords;
  /** Rows in arrival order: a `TraceReader` (bad rows are then reported) or any iterable. */
  trace: AsyncIterable<TraceRow> | Iterable<TraceRow>;
  /** Recorded in the result (the policies' random sources are seeded by the caller). */
  seed?: number;
  /** Virtual epoch of trace time 0, epoch ms (default 0). */
  startMs?: number;
  /** Default 3600. */
  sampleIntervalS?: number;
  /** Default 3600 (nova/opie's billing hour). */
  billingPeriodS?: number;
  /** Seconds between the simulated compute services' heartbeats (default 10, nova's report_interval). */
  heartbeatS?: number;
  /** Replay the departures after the last arrival too (default false). */
  drain?: boolean;
  /** Called every `progressEvery` rows and at the end. */
  onProgress?: (progress: SimulationProgress) => void;
  progressEvery?: number;
}

/**
 * Replays a trace through every policy in lockstep (the trace is read once),
 * and returns each policy's figures. Deterministic for the same inputs and
 * seeds, except `timing`.
 */
export async function simulate(options: SimulateOptions): Promise<SimulationResult> {
  const settings: ReplaySettings = {
    startMs: options.startMs ?? 0,
    sampleIntervalS: options.sampleIntervalS ?? 3600,
    billingPeriodS: options.billingPeriodS ?? 3600,
    ...(options.heartbeatS !== undefined ? { heartbeatS: options.heartbeatS } : {}),
  };
  if (options.policies.length === 0) throw new RangeError('simulate needs at least one policy');
  const engines = options.policies.map((p) => new ReplayEngine(p, options.cloud, settings));
  const every = Math.max(1, options.progressEvery ?? 1000);
  const report = (rows: number): void => {
    if (options.onProgress === undefined) return;
    let events = 0;
    for (const e of engines) events += e.events;
    options.onProgress({ rows, events });
  };
  let rows = 0;
  let first: number | null = null;
  let last: number | null = null;
  for await (const row of options.trace) {
    if (first === null) first = row.arrival;
    last = row.arrival;
    for (const engine of engines) engine.arrive(row);
    rows += 1;
    if (rows % every === 0) report(rows);
  }
  const drain = options.drain ?? false;
  const policies = engines.map((e) => e.finish(drain));
  report(rows);
  const reader = options.trace instanceof TraceReader ? options.trace : undefined;
  return {
    seed: options.seed ?? 0,
    startMs: settings.startMs,
    sampleIntervalS: settings.sampleIntervalS,
    billingPeriodS: settings.billingPeriodS,
    drain,
    trace: {
      ...(reader !== undefined ? { file: reader.file, format: reader.format } : {}),
      rows,
      badRows: reader?.badRows.count ?? 0,
      firstBadRows: reader?.badRows.first.slice() ?? [],
      firstArrivalS: first,
      lastArrivalS: last,
      spanS: Math.max(0, ...engines.map((e) => e.spanS)),
    },
    policies,
  };
}
