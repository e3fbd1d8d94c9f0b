import type { BadRow } from './bad-row.js';
import type { LatencySummary } from './latency-histogram.js';

/** Counts split by request kind. */
export interface SplitCount {
  normal: number;
  preemptible: number;
}

/** What one policy did to the cloud over the trace. */
export interface PolicyResult {
  /** The policy's name (its config file's base name, by default). */
  name: string;
  configFiles: string[];
  /** Driver class path, when loaded from nova.conf. */
  driver?: string;
  filters: string[];
  weighers: string[];
  /** `[preemptible_instances_scheduler] victim_policy`, when the config has that option. */
  victimPolicy?: string;
  requests: SplitCount;
  placed: SplitCount;
  /** NoValidHost answers. */
  rejected: SplitCount;
  /** Instances that left at the end of their lifetime. */
  departures: number;
  preemptions: {
    /** Placements that terminated at least one preemptible instance. */
    count: number;
    /** Instances terminated. */
    victims: number;
    /** victims / count (0 without preemptions). */
    victimsPerPreemption: number;
    maxVictims: number;
    /** How many preemptions terminated 1, 2, ... victims. */
    histogram: Record<string, number>;
  };
  lostWork: {
    /** Σ over victims of the seconds they had run. */
    instanceSeconds: number;
    /** Σ over victims of the seconds into their current billing period (paid, not used). */
    paidPeriodSeconds: number;
  };
  /** Placements that left their host over the limits the filters set (should be 0). */
  placementsOverLimits: number;
  utilisation: {
    /** Time-weighted averages and peaks, as fractions of the schedulable capacity. */
    ram: { average: number; peak: number };
    vcpu: { average: number; peak: number };
  };
  /** One entry per sample interval, from the first event. */
  series: {
    /** Sample times, seconds of trace time. */
    t: number[];
    /** RAM and vCPU utilisation at each sample time (fraction). */
    ram: number[];
    vcpu: number[];
    /** Preemptions and victims in [t, t + interval). */
    preemptions: number[];
    victims: number[];
  };
  /** Wall time of each `plan()` call; varies run to run (everything else is deterministic). */
  timing: LatencySummary;
}

/** A whole run: the trace, the settings, and each policy's result. */
export interface SimulationResult {
  seed: number;
  /** Virtual epoch of trace time 0, epoch ms. */
  startMs: number;
  sampleIntervalS: number;
  billingPeriodS: number;
  /** Whether departures after the last arrival were replayed. */
  drain: boolean;
  trace: {
    file?: string;
    format?: string;
    /** Good rows replayed. */
    rows: number;
    /** Bad rows skipped, and the first of them. */
    badRows: number;
    firstBadRows: BadRow[];
    /** First and last arrival, seconds of trace time (null for an empty trace). */
    firstArrivalS: number | null;
    lastArrivalS: number | null;
    /** Time replayed, first arrival to the end, seconds. */
    spanS: number;
  };
  policies: PolicyResult[];
}
