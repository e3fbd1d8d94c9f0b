import type { Flavor, ImageMeta, Instance, Limits, Preemption, RequestSpec } from '@opie/core';
import { hostKey, NoValidHostError } from '@opie/core';
import { LatencyHistogram } from './latency-histogram.js';
import { MinHeap } from './min-heap.js';
import type { HeapItem } from './min-heap.js';
import { pythonMod } from './python-mod.js';
import type { ReplayEvent, ReplayEventSink } from './replay-event.js';
import type { ReplayPolicy } from './replay-policy.js';
import { SimulatedCloud } from './simulated-cloud.js';
import type { CloudRecords, NodeCapacity } from './simulated-cloud.js';
import type { PolicyResult } from './simulation-result.js';
import type { TraceRow } from './trace-row.js';

/** Settings shared by every policy of a run. */
export interface ReplaySettings {
  /** Virtual epoch of trace time 0, epoch ms. */
  startMs: number;
  /** Seconds between utilisation samples (and preemption buckets). */
  sampleIntervalS: number;
  /** Billing period for the paid time lost by victims, seconds. */
  billingPeriodS: number;
  /** Seconds between the simulated compute services' heartbeats (default 10, nova's report_interval). */
  heartbeatS?: number;
  /**
   * Re-submit preempted preemptible trace instances this many seconds after
   * they were terminated (again after every rejection), as spot users do;
   * undefined: never.
   */
  resubmitVictimsS?: number;
}

/** Optional observers of one engine. */
export interface ReplayHooks {
  /** Every event, in order (the `--events` log). */
  onEvent?: ReplayEventSink;
}

interface Departure extends HeapItem {
  uuid: string;
}

/** A live instance the trace placed. */
interface Live {
  /** null: it never leaves. */
  departure: Departure | null;
  /** The trace row's id (events name it). */
  id: string;
  row: TraceRow;
}

/** A victim waiting to be re-submitted. */
interface Resubmission extends HeapItem {
  row: TraceRow;
  id: string;
  /** When it was terminated (the wait is measured from there). */
  preemptedMs: number;
}

/** How a request was scheduled (for the event log and the counts). */
interface Outcome {
  placed: boolean;
}

const IMAGE: ImageMeta = Object.freeze({ properties: Object.freeze({}) });
const NO_HINTS = Object.freeze({});
/** Shared by every instance of a kind (records are never modified). */
const PREEMPTIBLE_META: Record<string, string> = Object.freeze({ preemptible: 'True' });
const NORMAL_META: Record<string, string> = Object.freeze({});
const MAX_FLAVORS = 4096;
/** Warnings kept per policy (all are counted). */
const MAX_WARNINGS = 10;

/** The victims a failed request still cost: `SchedulingFailure.wasted` (opie-compat). */
function wastedOf(error: unknown): readonly Preemption[] {
  const wasted = (error as { wasted?: unknown }).wasted;
  return Array.isArray(wasted) ? (wasted as Preemption[]) : [];
}

const round6 = (x: number): number => Math.round(x * 1e6) / 1e6;

/**
 * Replays a trace through one policy in virtual time. Call `arrive` with rows
 * in arrival order, then `finish`. Each arrival first replays the departures
 * due by then, then plans the request with the real scheduler and applies the
 * plan at once: victims leave the cloud (their lost work is counted), the
 * instance joins it, the node records are rewritten with `updatedAt = now`
 * and the scheduler's claims are released (the records now hold them).
 * Only live instances are held: memory is flat in trace length.
 */
export class ReplayEngine {
  readonly policy: ReplayPolicy;
  readonly cloud: SimulatedCloud;
  private readonly settings: ReplaySettings;
  private readonly intervalMs: number;
  private readonly heartbeatMs: number;
  private readonly departures = new MinHeap<Departure>();
  /** Every live instance the trace placed, by uuid. */
  private readonly live = new Map<string, Live>();
  private readonly resubmissions = new MinHeap<Resubmission>();
  private readonly onEvent: ReplayEventSink | undefined;
  /** Instances of the starting cloud still on it. */
  private readonly initial = new Set<string>();
  private readonly flavors = new Map<string, Flavor>();
  private readonly timing = new LatencyHistogram();
  private seq = 0;
  /** Arrivals and departures replayed. */
  events = 0;

  private readonly requests = { normal: 0, preemptible: 0 };
  private readonly placed = { normal: 0, preemptible: 0 };
  private readonly rejected = { normal: 0, preemptible: 0 };
  private departed = 0;
  private preemptionCount = 0;
  private victimCount = 0;
  private victimsOfFailed = 0;
  private maxVictims = 0;
  private readonly victimHistogram = new Map<number, number>();
  private lostInstanceSeconds = 0;
  private lostPaidSeconds = 0;
  private overLimits = 0;
  private duplicateIds = 0;
  private readonly warnings: string[] = [];
  private readonly resubmitted = {
    victims: 0,
    attempts: 0,
    ran: 0,
    rejectedAttempts: 0,
    /** Rejected after the last arrival with nothing left to depart: never tried again. */
    abandoned: 0,
    waitTotalS: 0,
    waitMaxS: 0,
  };

  private firstMs: number | undefined;
  private lastMs = 0;
  private nextSampleMs = 0;
  private ramArea = 0;
  private vcpuArea = 0;
  private ramPeak = 0;
  private vcpuPeak = 0;
  private readonly sampleT: number[] = [];
  private readonly sampleRam: number[] = [];
  private readonly sampleVcpu: number[] = [];
  private readonly bucketPreemptions: number[] = [];
  private readonly bucketVictims: number[] = [];

  constructor(
    policy: ReplayPolicy,
    cloud: CloudRecords,
    settings: ReplaySettings,
    hooks: ReplayHooks = {},
  ) {
    if (!(settings.sampleIntervalS > 0)) throw new RangeError('sampleIntervalS must be > 0');
    if (!(settings.billingPeriodS > 0)) throw new RangeError('billingPeriodS must be > 0');
    const delay = settings.resubmitVictimsS;
    if (delay !== undefined && !(delay >= 0 && Number.isFinite(delay)))
      throw new RangeError(`resubmitVictimsS must be a number of seconds >= 0, got ${delay}`);
    this.onEvent = hooks.onEvent;
    this.policy = policy;
    this.settings = settings;
    this.intervalMs = settings.sampleIntervalS * 1000;
    this.heartbeatMs = (settings.heartbeatS ?? 10) * 1000;
    this.cloud = new SimulatedCloud(cloud, settings.startMs);
    for (const inst of cloud.instances) this.initial.add(inst.uuid);
    policy.clock.set(settings.startMs);
    policy.hostManager.setSource(this.cloud.source);
    this.cloud.track(this.capacities());
  }

  /** Schedulable RAM and vCPUs of the nodes with an up, enabled compute service. */
  private capacities(): Map<string, NodeCapacity> {
    const out = new Map<string, NodeCapacity>();
    const states = this.policy.hostManager.getHostStates('full', this.settings.startMs);
    for (const s of states) {
      const service = s.service;
      if (service === undefined || service.disabled || service.forcedDown === true) continue;
      out.set(hostKey(s.host, s.nodename), {
        ramMb: s.totalUsableRamMb * s.ramAllocationRatio,
        vcpus: s.vcpusTotal * s.cpuAllocationRatio,
      });
    }
    return out;
  }

  /** Virtual time of a trace time in seconds, epoch ms. */
  private msOf(seconds: number): number {
    return this.settings.startMs + Math.round(seconds * 1000);
  }

  /** Replays one arrival (rows must come in arrival order). */
  arrive(row: TraceRow): void {
    const now = this.msOf(row.arrival);
    this.catchUp(now);
    this.advance(now);
    this.policy.clock.set(now);
    this.cloud.heartbeat(now, this.heartbeatMs);
    this.events += 1;
    const id = row.id ?? `row-${row.line}`;
    const kind = row.preemptible ? 'preemptible' : 'normal';
    this.requests[kind] += 1;
    const outcome = this.request(row, id, this.uuidFor(row, id), now, false);
    if (outcome.placed) this.placed[kind] += 1;
    else this.rejected[kind] += 1;
  }

  /**
   * Plans one request and applies the plan: its victims leave (also when
   * the request fails, under opie-compat: opie had deleted them already),
   * the instance joins its node. Logs arrive, preempts, place or reject.
   */
  private request(
    row: TraceRow,
    id: string,
    uuid: string,
    now: number,
    resubmission: boolean,
  ): Outcome {
    const flavor = this.flavorFor(row);
    const extra = resubmission ? { resubmission: true } : {};
    this.emit({ timeMs: now, type: 'arrive', id, preemptible: row.preemptible, ...extra });
    const spec: RequestSpec = {
      instanceUuids: [uuid],
      requestId: uuid,
      flavor,
      image: IMAGE,
      schedulerHints: NO_HINTS,
      numInstances: 1,
      preemptible: row.preemptible,
      systemMetadata: row.preemptible ? PREEMPTIBLE_META : NORMAL_META,
      ...(row.priority !== undefined ? { priority: row.priority } : {}),
    };

    let plan;
    const t0 = performance.now();
    try {
      plan = this.policy.scheduler.plan(spec);
    } catch (error) {
      this.timing.add((performance.now() - t0) * 1000);
      if (!NoValidHostError.isInstance(error)) throw error;
      // opie-compat: the victims opie deleted before the request failed are gone too.
      let victims = 0;
      for (const p of wastedOf(error)) {
        if (this.preempt(p.victim.uuid, now, id, true)) victims += 1;
      }
      if (victims > 0) {
        this.victimsOfFailed += victims;
        this.countPreemption(victims, now);
      }
      this.emit({
        timeMs: now,
        type: 'reject',
        id,
        preemptible: row.preemptible,
        reason: error.message,
        ...extra,
      });
      return { placed: false };
    }
    this.timing.add((performance.now() - t0) * 1000);

    const { result, claims } = plan;
    const destination = result.destinations[0];
    const failed = destination === undefined;
    let victims = 0;
    for (const p of result.preemptions) {
      if (this.preempt(p.victim.uuid, now, id, failed)) victims += 1;
    }
    if (victims > 0) {
      if (failed) this.victimsOfFailed += victims;
      this.countPreemption(victims, now);
    }
    if (destination !== undefined) {
      const instance: Instance = {
        uuid,
        host: destination.host,
        node: destination.nodename,
        memoryMb: flavor.memoryMb,
        vcpus: flavor.vcpus,
        rootGb: flavor.rootGb,
        ephemeralGb: 0,
        swap: 0,
        instanceTypeId: flavor.id,
        systemMetadata: spec.systemMetadata ?? NORMAL_META,
        createdAt: now,
        vmState: 'active',
        taskState: null,
        preemptible: row.preemptible,
        ...(row.priority !== undefined ? { priority: row.priority } : {}),
      };
      this.cloud.place(instance, now);
      this.checkLimits(destination.host, destination.nodename, destination.limits);
      let departure: Departure | null = null;
      if (Number.isFinite(row.lifetime)) {
        departure = {
          key: now + Math.round(row.lifetime * 1000),
          seq: this.seq++,
          heapIndex: -1,
          uuid,
        };
        this.departures.push(departure);
      }
      this.live.set(uuid, { departure, id, row });
      this.emit({
        timeMs: now,
        type: 'place',
        id,
        preemptible: row.preemptible,
        host: destination.host,
        ...extra,
      });
    } else {
      this.emit({
        timeMs: now,
        type: 'reject',
        id,
        preemptible: row.preemptible,
        reason: 'the scheduler returned no destination',
        ...extra,
      });
    }
    // The rewritten records hold the placement: the scheduler's claims go.
    for (const claim of claims) claim.release();
    return { placed: !failed };
  }

  private emit(event: ReplayEvent): void {
    if (this.onEvent !== undefined) this.onEvent(event);
  }

  /**
   * Ends the replay at the last arrival, or, with `drain`, after the last
   * departure, and returns the policy's figures.
   */
  finish(drain = false): PolicyResult {
    if (drain) this.catchUp(Infinity);
    const end = this.lastMs;
    this.flushSamples(end);
    const span = this.firstMs === undefined ? 0 : end - this.firstMs;
    const ramNow = this.ramUtilisation();
    const vcpuNow = this.vcpuUtilisation();
    const n = this.sampleT.length;
    const pad = (a: readonly number[]): number[] => {
      const out = a.slice(0, n);
      while (out.length < n) out.push(0);
      return out;
    };
    const histogram: Record<string, number> = {};
    for (const k of [...this.victimHistogram.keys()].sort((a, b) => a - b)) {
      histogram[String(k)] = this.victimHistogram.get(k) ?? 0;
    }
    const p = this.policy;
    return {
      name: p.name,
      configFiles: p.configFiles ?? [],
      ...(p.driver !== undefined ? { driver: p.driver } : {}),
      filters: p.filters ?? [],
      weighers: p.weighers ?? [],
      ...(p.victimPolicy !== undefined ? { victimPolicy: p.victimPolicy } : {}),
      requests: { ...this.requests },
      placed: { ...this.placed },
      rejected: { ...this.rejected },
      departures: this.departed,
      preemptions: {
        count: this.preemptionCount,
        victims: this.victimCount,
        victimsOfFailedRequests: this.victimsOfFailed,
        victimsPerPreemption:
          this.preemptionCount === 0 ? 0 : round6(this.victimCount / this.preemptionCount),
        maxVictims: this.maxVictims,
        histogram,
      },
      lostWork: {
        instanceSeconds: round6(this.lostInstanceSeconds),
        paidPeriodSeconds: round6(this.lostPaidSeconds),
      },
      placementsOverLimits: this.overLimits,
      duplicateLiveIds: this.duplicateIds,
      warnings: this.warnings.slice(),
      ...(this.settings.resubmitVictimsS !== undefined
        ? {
            resubmissions: {
              delayS: this.settings.resubmitVictimsS,
              victims: this.resubmitted.victims,
              attempts: this.resubmitted.attempts,
              ran: this.resubmitted.ran,
              rejectedAttempts: this.resubmitted.rejectedAttempts,
              waitingAtEnd: this.resubmissions.size + this.resubmitted.abandoned,
              meanWaitS:
                this.resubmitted.ran === 0
                  ? 0
                  : round6(this.resubmitted.waitTotalS / this.resubmitted.ran),
              maxWaitS: round6(this.resubmitted.waitMaxS),
            },
          }
        : {}),
      utilisation: {
        ram: {
          average: round6(span > 0 ? this.ramArea / span : ramNow),
          peak: round6(Math.max(this.ramPeak, ramNow)),
        },
        vcpu: {
          average: round6(span > 0 ? this.vcpuArea / span : vcpuNow),
          peak: round6(Math.max(this.vcpuPeak, vcpuNow)),
        },
      },
      series: {
        t: this.sampleT.slice(),
        ram: this.sampleRam.slice(),
        vcpu: this.sampleVcpu.slice(),
        preemptions: pad(this.bucketPreemptions),
        victims: pad(this.bucketVictims),
      },
      timing: this.timing.summary(),
    };
  }

  /** Virtual time replayed so far, first event to last, seconds. */
  get spanS(): number {
    return this.firstMs === undefined ? 0 : (this.lastMs - this.firstMs) / 1000;
  }

  /** Instances live now (trace-placed and starting ones). */
  get liveInstances(): number {
    return this.live.size + this.initial.size;
  }

  /**
   * The instance's uuid: the row's id, unless an instance of that id is
   * still live; then a warning and `id#n` (the event log keeps the id).
   */
  private uuidFor(row: TraceRow, id: string): string {
    if (!this.live.has(id) && !this.initial.has(id)) return id;
    const uuid = `${id}#${this.seq++}`;
    this.duplicateIds += 1;
    if (this.warnings.length < MAX_WARNINGS) {
      this.warnings.push(
        `${row.line > 0 ? `line ${row.line}: ` : ''}id "${id}" arrives while an instance of that id is still live; replayed as "${uuid}"`,
      );
    }
    return uuid;
  }

  private flavorFor(row: TraceRow): Flavor {
    const key = `${row.vcpus}/${row.memoryMb}/${row.diskGb}`;
    let flavor = this.flavors.get(key);
    if (flavor === undefined) {
      flavor = {
        id: `sim-${key}`,
        name: `sim.${row.vcpus}c.${row.memoryMb}m.${row.diskGb}g`,
        memoryMb: row.memoryMb,
        vcpus: row.vcpus,
        rootGb: row.diskGb,
        ephemeralGb: 0,
        swap: 0,
        extraSpecs: {},
      };
      if (this.flavors.size >= MAX_FLAVORS) this.flavors.clear();
      this.flavors.set(key, flavor);
    }
    return flavor;
  }

  /**
   * Terminates a victim of request `by`: counts its lost work, logs it, and
   * queues its re-submission when asked; false if it was not on the cloud.
   */
  private preempt(uuid: string, now: number, by: string, failedRequest: boolean): boolean {
    const victim = this.cloud.remove(uuid, now);
    if (victim === undefined) return false;
    const live = this.live.get(uuid);
    if (live !== undefined) {
      if (live.departure !== null) this.departures.remove(live.departure);
      this.live.delete(uuid);
    }
    this.initial.delete(uuid);
    this.victimCount += 1;
    const ranS = (now - victim.createdAt) / 1000;
    this.lostInstanceSeconds += ranS;
    this.lostPaidSeconds += pythonMod(ranS, this.settings.billingPeriodS);
    this.emit({
      timeMs: now,
      type: 'preempt',
      id: live?.id ?? uuid,
      preemptible: victim.preemptible === true,
      host: victim.host ?? '',
      by,
      failedRequest,
    });
    const delay = this.settings.resubmitVictimsS;
    if (delay !== undefined && live !== undefined && live.row.preemptible) {
      this.resubmitted.victims += 1;
      this.resubmissions.push({
        key: now + Math.round(delay * 1000),
        seq: this.seq++,
        heapIndex: -1,
        row: live.row,
        id: live.id,
        preemptedMs: now,
      });
    }
    return true;
  }

  private countPreemption(victims: number, now: number): void {
    this.preemptionCount += 1;
    if (victims > this.maxVictims) this.maxVictims = victims;
    this.victimHistogram.set(victims, (this.victimHistogram.get(victims) ?? 0) + 1);
    const k = Math.floor((now - (this.firstMs ?? now)) / this.intervalMs);
    while (this.bucketPreemptions.length <= k) {
      this.bucketPreemptions.push(0);
      this.bucketVictims.push(0);
    }
    this.bucketPreemptions[k] = (this.bucketPreemptions[k] ?? 0) + 1;
    this.bucketVictims[k] = (this.bucketVictims[k] ?? 0) + victims;
  }

  /** Counts a placement that left its node over a limit the filters set. */
  private checkLimits(host: string, nodename: string, limits: Limits): void {
    const record = this.cloud.record(host, nodename);
    if (record === undefined) return;
    const eps = 1e-9;
    const ramOver =
      limits.memoryMb !== undefined && record.memoryMb - record.freeRamMb > limits.memoryMb + eps;
    const cpuOver = limits.vcpu !== undefined && record.vcpusUsed > limits.vcpu + eps;
    const diskOver = limits.diskGb !== undefined && record.localGbUsed > limits.diskGb + eps;
    if (ramOver || cpuOver || diskOver) this.overLimits += 1;
  }

  /**
   * Replays, in time order, every departure and re-submission due at or
   * before `until` (departures first at equal times). A re-submission that
   * is rejected is tried again `resubmitVictimsS` later; after the last
   * arrival (`until` = Infinity) only while departures remain.
   */
  private catchUp(until: number): void {
    for (;;) {
      const dep = this.departures.peek();
      const sub = this.resubmissions.peek();
      const depDue = dep !== undefined && dep.key <= until;
      const subDue = sub !== undefined && sub.key <= until;
      if (!depDue && !subDue) return;
      if (depDue && (!subDue || dep.key <= sub.key)) {
        this.departures.pop();
        this.depart(dep);
      } else if (sub !== undefined) {
        this.resubmissions.pop();
        this.resubmit(sub, until);
      }
    }
  }

  private depart(next: Departure): void {
    this.advance(next.key);
    this.policy.clock.set(next.key);
    const live = this.live.get(next.uuid);
    this.live.delete(next.uuid);
    const instance = this.cloud.remove(next.uuid, next.key);
    this.departed += 1;
    this.events += 1;
    this.emit({
      timeMs: next.key,
      type: 'depart',
      id: live?.id ?? next.uuid,
      preemptible: instance?.preemptible === true,
      host: instance?.host ?? '',
    });
  }

  private resubmit(sub: Resubmission, until: number): void {
    const now = sub.key;
    this.advance(now);
    this.policy.clock.set(now);
    this.cloud.heartbeat(now, this.heartbeatMs);
    this.events += 1;
    this.resubmitted.attempts += 1;
    const outcome = this.request(sub.row, sub.id, this.uuidFor(sub.row, sub.id), now, true);
    if (outcome.placed) {
      const waitS = (now - sub.preemptedMs) / 1000;
      this.resubmitted.ran += 1;
      this.resubmitted.waitTotalS += waitS;
      if (waitS > this.resubmitted.waitMaxS) this.resubmitted.waitMaxS = waitS;
      return;
    }
    this.resubmitted.rejectedAttempts += 1;
    if (until === Infinity && this.departures.size === 0) {
      this.resubmitted.abandoned += 1;
      return;
    }
    sub.key = now + Math.max(1, Math.round((this.settings.resubmitVictimsS ?? 0) * 1000));
    sub.seq = this.seq++;
    this.resubmissions.push(sub);
  }

  private ramUtilisation(): number {
    const cap = this.cloud.capacityRamMb;
    return cap > 0 ? this.cloud.usedRamMb / cap : 0;
  }

  private vcpuUtilisation(): number {
    const cap = this.cloud.capacityVcpus;
    return cap > 0 ? this.cloud.usedVcpus / cap : 0;
  }

  /**
   * Moves the measurement to `t` before the events at `t` are applied: the
   * state since the last event held over [last, t); samples in that range
   * take it, and the time-weighted sums grow by it.
   */
  private advance(t: number): void {
    if (this.firstMs === undefined) {
      this.firstMs = t;
      this.lastMs = t;
      this.nextSampleMs = t;
      this.notePeaks();
      return;
    }
    if (t <= this.lastMs) return;
    this.flushSamples(t - 1);
    const ram = this.ramUtilisation();
    const vcpu = this.vcpuUtilisation();
    this.ramArea += ram * (t - this.lastMs);
    this.vcpuArea += vcpu * (t - this.lastMs);
    this.lastMs = t;
  }

  /** Samples due at or before `t`, with the current state; then notes the peaks. */
  private flushSamples(t: number): void {
    if (this.firstMs === undefined) return;
    const ram = this.ramUtilisation();
    const vcpu = this.vcpuUtilisation();
    while (this.nextSampleMs <= t) {
      this.sampleT.push(round6((this.nextSampleMs - this.settings.startMs) / 1000));
      this.sampleRam.push(round6(ram));
      this.sampleVcpu.push(round6(vcpu));
      this.nextSampleMs += this.intervalMs;
    }
    this.notePeaks();
  }

  private notePeaks(): void {
    const ram = this.ramUtilisation();
    const vcpu = this.vcpuUtilisation();
    if (ram > this.ramPeak) this.ramPeak = ram;
    if (vcpu > this.vcpuPeak) this.vcpuPeak = vcpu;
  }
}
