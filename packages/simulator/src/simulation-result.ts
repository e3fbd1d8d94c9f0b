import type { BadRow } from './bad-row.js';
import type { LatencySummary } from './latency-histogram.js';
import type { PolicyDifference } from './policy-differences.js';

/** Counts split by request kind. */
export interface SplitCount {
  normal: number;
  preemptible: number;
}

/** Preemptible victims re-submitted after a delay, as spot users do. */
export interface ResubmissionResult {
  /** Seconds between a termination (or a rejected re-submission) and the next try. */
  delayS: number;
  /** Preemptible trace instances terminated and re-submitted. */
  victims: number;
  /** Re-submissions tried (each is an arrive in the event log). */
  attempts: number;
  /** Re-submissions placed: victims that eventually ran again. */
  ran: number;
  /** Re-submissions rejected (tried again after the delay). */
  rejectedAttempts: number;
  /** Victims still waiting when the replay ended. */
  waitingAtEnd: number;
  /** Termination to placement, over the victims that ran again, seconds. */
  meanWaitS: number;
  maxWaitS: number;
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
  /**
   * The options, as the scheduler applies them, that not every policy of the
   * run shares (`group.name` → value): what sets this policy apart.
   */
  distinctOptions?: Record<string, string>;
  requests: SplitCount;
  placed: SplitCount;
  /** NoValidHost answers. */
  rejected: SplitCount;
  /** Instances that left at the end of their lifetime. */
  departures: number;
  preemptions: {
    /**
     * Requests whose scheduling terminated at least one instance: placements,
     * and under opie-compat also requests rejected after opie had deleted victims.
     */
    count: number;
    /** Instances terminated, victims of failed requests included. */
    victims: number;
    /** Of those, the victims of requests that were then rejected (opie-compat; else 0). */
    victimsOfFailedRequests: number;
    /** victims / count (0 without preemptions). */
    victimsPerPreemption: number;
    maxVictims: number;
    /** How many preemptions terminated 1, 2, ... victims. */
    histogram: Record<string, number>;
  };
  lostWork: {
    /** Σ over victims of the seconds they had run. */
    instanceSeconds: number;
    /**
     * Σ over victims of (seconds run mod billing period): the work done in the
     * victim's current, already paid, billing period, lost with it.
     */
    paidPeriodSeconds: number;
  };
  /** Placements that left their host over the limits the filters set (should be 0). */
  placementsOverLimits: number;
  /** Rows whose id was already live (replayed as `id#n`); the first few are in `warnings`. */
  duplicateLiveIds: number;
  /** Things a reader of the figures should know (duplicate ids, the first 10). */
  warnings: string[];
  /** With `resubmitVictimsS`: what became of the re-submitted victims. */
  resubmissions?: ResubmissionResult;
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

/** The starting cloud, in a few numbers (every node, enabled or not). */
export interface CloudSummary {
  /** The cloud file as given, when read from one. */
  file?: string;
  hosts: number;
  vcpus: number;
  memoryMb: number;
  diskGb: number;
  /** Instances on the cloud at the start. */
  instances: number;
}

/** An input file of a run and its digest (reports name them so a run can be repeated). */
export interface InputFile {
  role: 'cloud' | 'trace' | 'config';
  file: string;
  sha256: string;
}

/** A whole run: the trace, the settings, and each policy's result. */
export interface SimulationResult {
  /** The tool and version that produced it, e.g. `opie simulate (@opie/simulator 0.1.0)`. */
  tool?: string;
  cloud: CloudSummary;
  /** The files read, with their sha256 (empty when the inputs were given in code). */
  inputs: InputFile[];
  seed: number;
  /** Re-submission delay of preempted preemptible instances, when re-submitted. */
  resubmitVictimsS?: number;
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
  /** Each policy against the previous one and the first: option changes and their effects. */
  differences: PolicyDifference[];
  /** Things that make the figures doubtful (most normal requests rejected: the cloud is too small). */
  warnings: string[];
}
