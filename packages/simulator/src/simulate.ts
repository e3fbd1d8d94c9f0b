import { distinctOptions, policyDifferences } from './policy-differences.js';
import { ReplayEngine } from './replay-engine.js';
import type { ReplayEventSink } from './replay-event.js';
import type { ReplaySettings } from './replay-engine.js';
import type { ReplayPolicy } from './replay-policy.js';
import { TraceReader } from './read-trace.js';
import type { CloudRecords } from './simulated-cloud.js';
import type {
  CloudSummary,
  InputFile,
  PolicyResult,
  SimulationResult,
} from './simulation-result.js';
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
  /** Re-submit preempted preemptible trace instances after this many seconds (default: never). */
  resubmitVictimsS?: number;
  /** Each policy's events (`--events`): called with the policy's index and name. */
  onEvent?: (policy: number, name: string) => ReplayEventSink | undefined;
  /** Recorded in the result, for the reports: the cloud file as named, the tool, the input digests. */
  provenance?: { cloudFile?: string; tool?: string; inputs?: readonly InputFile[] };
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
    ...(options.resubmitVictimsS !== undefined
      ? { resubmitVictimsS: options.resubmitVictimsS }
      : {}),
  };
  if (options.policies.length === 0) throw new RangeError('simulate needs at least one policy');
  const engines = options.policies.map((p, i) => {
    const sink = options.onEvent?.(i, p.name);
    return new ReplayEngine(
      p,
      options.cloud,
      settings,
      sink !== undefined ? { onEvent: sink } : {},
    );
  });
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
  return assembleResult({
    settings,
    seed: options.seed ?? 0,
    drain,
    cloud: options.cloud,
    ...(options.provenance !== undefined ? { provenance: options.provenance } : {}),
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
    options: options.policies.map((p) => p.options),
  });
}

/** The starting cloud in a few numbers. */
export function summariseCloud(cloud: CloudRecords, file?: string): CloudSummary {
  let vcpus = 0;
  let memoryMb = 0;
  let diskGb = 0;
  for (const n of cloud.nodes) {
    vcpus += n.vcpus;
    memoryMb += n.memoryMb;
    diskGb += n.localGb;
  }
  return {
    ...(file !== undefined ? { file } : {}),
    hosts: cloud.nodes.length,
    vcpus,
    memoryMb,
    diskGb,
    instances: cloud.instances.length,
  };
}

/** Above this fraction of normal requests rejected, the cloud is probably too small for the trace. */
export const UNDERSIZED_REJECTION = 0.5;

/** A warning for each policy that rejected most normal requests. */
export function undersizedWarnings(
  cloud: CloudSummary,
  policies: readonly PolicyResult[],
): string[] {
  const out: string[] = [];
  for (const p of policies) {
    const asked = p.requests.normal;
    if (asked === 0 || p.rejected.normal / asked <= UNDERSIZED_REJECTION) continue;
    const share = ((p.rejected.normal / asked) * 100).toFixed(1);
    out.push(
      `${p.name} rejected ${p.rejected.normal} of ${asked} normal requests (${share} %): ` +
        `the cloud (${cloud.hosts} hosts, ${cloud.vcpus} vCPUs, ${cloud.memoryMb} MB) is too small ` +
        'for this trace and the comparison says little; build one of the right size with ' +
        '`opie cloud generate --hosts N --vcpus V --memory-mb M --disk-gb D`',
    );
  }
  return out;
}

/** What `assembleResult` puts together (shared by the in-process and worker replays). */
export interface ResultParts {
  settings: ReplaySettings;
  seed: number;
  drain: boolean;
  cloud: CloudRecords;
  provenance?: SimulateOptions['provenance'];
  trace: SimulationResult['trace'];
  policies: PolicyResult[];
  /** Each policy's resolved options (`ReplayPolicy.options`). */
  options: readonly (Readonly<Record<string, string>> | undefined)[];
}

/** The run's result from its policies' figures: cloud, inputs, differences, warnings. */
export function assembleResult(parts: ResultParts): SimulationResult {
  const { settings, provenance } = parts;
  const distinct = distinctOptions(parts.options);
  const policies = parts.policies.map((p, i) => {
    const d = distinct[i];
    return d !== undefined && Object.keys(d).length > 0 ? { ...p, distinctOptions: d } : p;
  });
  const cloud = summariseCloud(parts.cloud, provenance?.cloudFile);
  return {
    ...(provenance?.tool !== undefined ? { tool: provenance.tool } : {}),
    cloud,
    inputs: [...(provenance?.inputs ?? [])],
    seed: parts.seed,
    startMs: settings.startMs,
    sampleIntervalS: settings.sampleIntervalS,
    billingPeriodS: settings.billingPeriodS,
    ...(settings.resubmitVictimsS !== undefined
      ? { resubmitVictimsS: settings.resubmitVictimsS }
      : {}),
    drain: parts.drain,
    trace: parts.trace,
    policies,
    differences: policyDifferences(policies),
    warnings: undersizedWarnings(cloud, policies),
  };
}
