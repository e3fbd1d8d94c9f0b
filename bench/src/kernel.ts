/**
 * The typed-array baseline the scheduler is measured against: the same
 * parsed cloud as plain columns (one slot per host, in inventory order), and
 * one fused loop doing the checks of the bench's filters and the weighted
 * sum of its weighers, with per-call min/max normalisation and an argmax.
 * It is what a decision costs when nothing but the numbers is touched.
 *
 * The rules are written here from nova's own code, independently of the
 * scheduler's implementation, so that agreement between the two (counted by
 * the bench) is a check of both:
 * - ComputeFilter: a `nova-compute` service, enabled, not forced down, last
 *   heartbeat (last_seen_up, else updated_at, else created_at) within
 *   `service_down_time` of the clock (nova/servicegroup/drivers/db.py).
 * - AvailabilityZoneFilter: a host's zones are the comma-separated, stripped
 *   `availability_zone` values of its aggregates, else the default zone;
 *   held as a bit mask per host.
 * - AggregateInstanceExtraSpecsFilter: every un-namespaced or
 *   `aggregate_instance_extra_specs:` extra spec `key=value` (plain values:
 *   Python `value == req`) must equal one comma-separated, stripped value of
 *   `key` in the host's aggregates; each (key, value) pair of the cloud's
 *   aggregate metadata is one bit of a per-host mask.
 * - ImagePropertiesFilter: some [arch, hv_type, vm_mode] triple of the host
 *   holds every image property given; the hosts' distinct supported-instance
 *   lists are interned and checked once per request.
 * - ServerGroupAntiAffinityFilter: hosts of the group are marked for the request.
 * - RamFilter, CoreFilter, DiskFilter (nova/scheduler/filters/ram_filter.py,
 *   core_filter.py, disk_filter.py), NumInstancesFilter and IoOpsFilter
 *   (`count < max`), with the record's allocation ratios, else the
 *   scheduler's, else 16.0 (cpu) / 1.5 (ram) (nova/objects/compute_node.py).
 * - RAM, CPU, disk and I/O ops weighers: raw free RAM, `vcpus * ratio -
 *   used`, free disk (`min(free_disk_gb, disk_available_least)` in MB) and io
 *   ops; bounds from 0 (their minval) and the maximum over the hosts that
 *   passed; `Σ multiplier * (raw - min) / (max - min)` in weigher order (0 for
 *   a flat weigher); the first host of the highest total wins
 *   (nova/weights.py).
 * - Claims (nova's consume_from_instance): RAM, root + ephemeral disk, vCPUs,
 *   +1 instance, +1 io op; a released victim gives back RAM, disk, vCPUs and
 *   the instance. The preemptible-as-free view is the full view plus each
 *   host's preemptible instances (opie's HostStatePartial).
 *
 * Requests that need what the kernel does not model (retries, forced hosts,
 * capabilities or operator extra specs, version requirements, affinity)
 * are refused with an error naming the field.
 */
import type { Aggregate, ComputeNode, Instance, RequestSpec, Service } from '@opie/core';
import { isPreemptibleInstance } from '@opie/core';

/** The scheduler settings the kernel needs; the bench's nova.conf is written from the same values. */
export interface KernelSettings {
  ramAllocationRatio: number;
  cpuAllocationRatio: number;
  diskAllocationRatio: number;
  maxInstancesPerHost: number;
  maxIoOpsPerHost: number;
  serviceDownTime: number;
  defaultAvailabilityZone: string;
  ramWeightMultiplier: number;
  cpuWeightMultiplier: number;
  diskWeightMultiplier: number;
  ioOpsWeightMultiplier: number;
}

export interface KernelCloud {
  nodes: readonly ComputeNode[];
  services: readonly Service[];
  aggregates: readonly Aggregate[];
  instances: readonly Instance[];
}

/** What the scheduler decided for one request, to apply to the kernel's columns. */
export interface AppliedDecision {
  /** Host of each placed instance. */
  hosts: readonly string[];
  victims: readonly { host: string; victim: Instance }[];
}

const FALLBACK_CPU_RATIO = 16;
const FALLBACK_RAM_RATIO = 1.5;
const AGGREGATE_SCOPE = 'aggregate_instance_extra_specs';
const ZONE_KEY = 'availability_zone';

function positiveOr(node: number | undefined, configured: number, fallback: number): number {
  if (node !== undefined && node > 0) return node;
  return configured > 0 ? configured : fallback;
}

/** Python `int(s)` for the stats the bench's records carry (plain decimal strings). */
function statInt(
  stats: Readonly<Record<string, string>> | undefined,
  key: string,
): number | undefined {
  const raw = stats?.[key];
  if (raw === undefined) return undefined;
  const n = Number.parseInt(raw.trim(), 10);
  return Number.isNaN(n) ? 0 : n;
}

function commaPieces(raw: string): string[] {
  return raw.split(',').map((s) => s.trim());
}

export class TypedArrayKernel {
  readonly size: number;
  readonly hostNames: readonly string[];
  // The full view, updated in place by claims and releases.
  readonly freeRamMb: Float64Array;
  readonly freeDiskMb: Float64Array;
  readonly vcpusUsed: Float64Array;
  readonly numInstances: Int32Array;
  readonly numIoOps: Int32Array;
  // Totals and ratios (per record).
  readonly totalRamMb: Float64Array;
  readonly totalDiskGb: Float64Array;
  readonly vcpusTotal: Float64Array;
  readonly ramRatio: Float64Array;
  readonly cpuRatio: Float64Array;
  readonly diskRatio: Float64Array;
  // What the preemptible instances on each host hold (free view = full + these).
  readonly preemptibleRamMb: Float64Array;
  readonly preemptibleDiskMb: Float64Array;
  readonly preemptibleVcpus: Float64Array;
  readonly preemptibleCount: Int32Array;
  /** 1 when the compute service is enabled and up at the clock. */
  readonly serviceOk: Uint8Array;
  /** Bit z: the host is in zone z (`zoneBits`). */
  readonly zoneMask: Int32Array;
  /** Bit b: one of the host's aggregates has metadata pair b (`pairBits`). */
  readonly aggregateFlags: Int32Array;
  /** The interned supported-instances list of the host. */
  readonly platform: Int32Array;

  private readonly settings: KernelSettings;
  private readonly indexOf = new Map<string, number>();
  private readonly zoneBits = new Map<string, number>();
  private readonly pairBits = new Map<string, number>();
  private readonly platforms: (readonly (readonly string[])[])[] = [];
  private readonly platformOk: Uint8Array;
  private readonly groupMark: Uint8Array;
  private readonly passed: Int32Array;

  constructor(cloud: KernelCloud, settings: KernelSettings, now: number) {
    this.settings = settings;
    const n = cloud.nodes.length;
    this.size = n;
    this.freeRamMb = new Float64Array(n);
    this.freeDiskMb = new Float64Array(n);
    this.vcpusUsed = new Float64Array(n);
    this.numInstances = new Int32Array(n);
    this.numIoOps = new Int32Array(n);
    this.totalRamMb = new Float64Array(n);
    this.totalDiskGb = new Float64Array(n);
    this.vcpusTotal = new Float64Array(n);
    this.ramRatio = new Float64Array(n);
    this.cpuRatio = new Float64Array(n);
    this.diskRatio = new Float64Array(n);
    this.preemptibleRamMb = new Float64Array(n);
    this.preemptibleDiskMb = new Float64Array(n);
    this.preemptibleVcpus = new Float64Array(n);
    this.preemptibleCount = new Int32Array(n);
    this.serviceOk = new Uint8Array(n);
    this.zoneMask = new Int32Array(n);
    this.aggregateFlags = new Int32Array(n);
    this.platform = new Int32Array(n);
    this.groupMark = new Uint8Array(n);
    this.passed = new Int32Array(n);

    const names: string[] = [];
    const platformIds = new Map<string, number>();
    const listed = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const node = cloud.nodes[i] as ComputeNode;
      if (this.indexOf.has(node.host)) {
        throw new Error(
          `kernel: host ${node.host} has several nodes (nodes[${i}]); the kernel models one node per host`,
        );
      }
      this.indexOf.set(node.host, i);
      names.push(node.host);
      this.totalRamMb[i] = node.memoryMb;
      this.totalDiskGb[i] = node.localGb;
      this.vcpusTotal[i] = node.vcpus;
      this.freeRamMb[i] = node.freeRamMb;
      const least = node.diskAvailableLeast;
      const freeGb =
        least === undefined || least === null ? node.freeDiskGb : Math.min(least, node.freeDiskGb);
      this.freeDiskMb[i] = freeGb * 1024;
      this.vcpusUsed[i] = node.vcpusUsed;
      this.ramRatio[i] = positiveOr(
        node.ramAllocationRatio,
        settings.ramAllocationRatio,
        FALLBACK_RAM_RATIO,
      );
      this.cpuRatio[i] = positiveOr(
        node.cpuAllocationRatio,
        settings.cpuAllocationRatio,
        FALLBACK_CPU_RATIO,
      );
      const disk = node.diskAllocationRatio;
      this.diskRatio[i] = disk !== undefined && disk > 0 ? disk : settings.diskAllocationRatio;
      const supported = node.supportedInstances ?? [];
      const key = JSON.stringify(supported);
      let id = platformIds.get(key);
      if (id === undefined) {
        id = this.platforms.length;
        platformIds.set(key, id);
        this.platforms.push(supported.map((t) => [...t]));
      }
      this.platform[i] = id;
    }
    this.hostNames = names;
    this.platformOk = new Uint8Array(this.platforms.length);

    for (const inst of cloud.instances) {
      const i = inst.host === undefined ? undefined : this.indexOf.get(inst.host);
      if (i === undefined) continue;
      listed[i] = (listed[i] as number) + 1;
      if (!isPreemptibleInstance(inst)) continue;
      this.preemptibleRamMb[i] = (this.preemptibleRamMb[i] as number) + inst.memoryMb;
      this.preemptibleDiskMb[i] =
        (this.preemptibleDiskMb[i] as number) + (inst.rootGb + inst.ephemeralGb) * 1024;
      this.preemptibleVcpus[i] = (this.preemptibleVcpus[i] as number) + inst.vcpus;
      this.preemptibleCount[i] = (this.preemptibleCount[i] as number) + 1;
    }
    for (let i = 0; i < n; i++) {
      const node = cloud.nodes[i] as ComputeNode;
      this.numInstances[i] = statInt(node.stats, 'num_instances') ?? (listed[i] as number);
      this.numIoOps[i] = statInt(node.stats, 'io_workload') ?? 0;
    }

    const downMs = settings.serviceDownTime * 1000;
    for (const s of cloud.services) {
      if ((s.binary ?? 'nova-compute') !== 'nova-compute') continue;
      const i = this.indexOf.get(s.host);
      if (i === undefined) continue;
      const heartbeat = s.lastSeenUp ?? s.updatedAt ?? s.createdAt;
      const up =
        s.forcedDown !== true && heartbeat !== undefined && Math.abs(now - heartbeat) <= downMs;
      this.serviceOk[i] = !s.disabled && up ? 1 : 0;
    }

    const zoned = new Uint8Array(n);
    for (const agg of cloud.aggregates) {
      const zoneRaw = Object.prototype.hasOwnProperty.call(agg.metadata, ZONE_KEY)
        ? agg.metadata[ZONE_KEY]
        : undefined;
      let zones = 0;
      if (zoneRaw !== undefined) for (const z of commaPieces(zoneRaw)) zones |= this.zoneBit(z);
      let pairs = 0;
      for (const [key, raw] of Object.entries(agg.metadata)) {
        for (const piece of commaPieces(raw)) pairs |= this.pairBit(key, piece);
      }
      for (const host of agg.hosts) {
        const i = this.indexOf.get(host);
        if (i === undefined) continue;
        if (zoneRaw !== undefined) {
          zoned[i] = 1;
          this.zoneMask[i] = (this.zoneMask[i] as number) | zones;
        }
        this.aggregateFlags[i] = (this.aggregateFlags[i] as number) | pairs;
      }
    }
    const defaultBit = this.zoneBit(settings.defaultAvailabilityZone);
    for (let i = 0; i < n; i++) if (zoned[i] === 0) this.zoneMask[i] = defaultBit;
  }

  private zoneBit(zone: string): number {
    let bit = this.zoneBits.get(zone);
    if (bit === undefined) {
      if (this.zoneBits.size >= 31) throw new Error('kernel: more than 31 availability zones');
      bit = 1 << this.zoneBits.size;
      this.zoneBits.set(zone, bit);
    }
    return bit;
  }

  private pairBit(key: string, value: string): number {
    const pair = `${key}=${value}`;
    let bit = this.pairBits.get(pair);
    if (bit === undefined) {
      // Pairs beyond 31 are not interned: no request of the bench names them.
      if (this.pairBits.size >= 31) return 0;
      bit = 1 << this.pairBits.size;
      this.pairBits.set(pair, bit);
    }
    return bit;
  }

  /** The index of `host`, or an error naming it. */
  hostIndex(host: string): number {
    const i = this.indexOf.get(host);
    if (i === undefined) throw new Error(`kernel: unknown host ${host}`);
    return i;
  }

  /**
   * The host the kernel chooses for `spec` (one instance), or -1 when no host
   * passes. `preemptibleAsFree`: filter on the free view (opie's normal
   * request), weigh on the full view, and prefer hosts that need no
   * preemption (pass on the full view too); when there is none, the best
   * weighed host (the kernel does not plan victims).
   */
  decide(spec: RequestSpec, preemptibleAsFree: boolean): number {
    refuseUnmodelled(spec);
    const s = this.settings;
    const flavor = spec.flavor;
    const reqRam = flavor.memoryMb;
    const reqVcpus = flavor.vcpus;
    const reqDiskMb = 1024 * (flavor.rootGb + flavor.ephemeralGb) + flavor.swap;
    const zone = spec.availabilityZone;
    let zoneBit = 0;
    if (zone !== undefined && zone !== '') zoneBit = this.zoneBits.get(zone) ?? -1;
    if (zoneBit === -1) return -1;
    const required = this.requiredFlags(flavor.extraSpecs);
    if (required === -1) return -1;
    this.preparePlatforms(spec.image.properties);
    const group = spec.instanceGroup;
    const anti = group !== undefined && group.policies.includes('anti-affinity');
    if (anti) for (const h of group.hosts) this.markGroup(h, 1);

    const maxInstances = s.maxInstancesPerHost;
    const maxIo = s.maxIoOpsPerHost;
    const serviceOk = this.serviceOk;
    const zoneMask = this.zoneMask;
    const flags = this.aggregateFlags;
    const platform = this.platform;
    const platformOk = this.platformOk;
    const groupMark = this.groupMark;
    const totalRam = this.totalRamMb;
    const freeRam = this.freeRamMb;
    const ramRatio = this.ramRatio;
    const vcpusTotal = this.vcpusTotal;
    const vcpusUsed = this.vcpusUsed;
    const cpuRatio = this.cpuRatio;
    const totalDisk = this.totalDiskGb;
    const freeDisk = this.freeDiskMb;
    const diskRatio = this.diskRatio;
    const numInstances = this.numInstances;
    const numIoOps = this.numIoOps;
    const prRam = this.preemptibleRamMb;
    const prDisk = this.preemptibleDiskMb;
    const prVcpus = this.preemptibleVcpus;
    const prCount = this.preemptibleCount;
    const passed = this.passed;
    let m = 0;
    // Bounds of the four weighers: min from minval 0, max from the first host.
    let ramMin = 0;
    let ramMax = 0;
    let cpuMin = 0;
    let cpuMax = 0;
    let diskMin = 0;
    let diskMax = 0;
    let ioMin = 0;
    let ioMax = 0;
    let anyFitsFull = false;
    const n = this.size;
    for (let i = 0; i < n; i++) {
      if (serviceOk[i] === 0) continue;
      if (zoneBit !== 0 && ((zoneMask[i] as number) & zoneBit) === 0) continue;
      if (((flags[i] as number) & required) !== required) continue;
      if (platformOk[platform[i] as number] === 0) continue;
      if (anti && groupMark[i] === 1) continue;
      const io = numIoOps[i] as number;
      if (!(io < maxIo)) continue;
      const tRam = totalRam[i] as number;
      const vt = vcpusTotal[i] as number;
      const tDiskMb = (totalDisk[i] as number) * 1024;
      const fullRam = freeRam[i] as number;
      const fullUsed = vcpusUsed[i] as number;
      const fullDisk = freeDisk[i] as number;
      const fullCount = numInstances[i] as number;
      let fRam = fullRam;
      let fUsed = fullUsed;
      let fDisk = fullDisk;
      let fCount = fullCount;
      if (preemptibleAsFree) {
        fRam += prRam[i] as number;
        fUsed -= prVcpus[i] as number;
        fDisk += prDisk[i] as number;
        fCount -= prCount[i] as number;
      }
      if (!resourcesFit(tRam, ramRatio[i] as number, fRam, reqRam)) continue;
      if (!coresFit(vt, cpuRatio[i] as number, fUsed, reqVcpus)) continue;
      if (!diskFits(tDiskMb, diskRatio[i] as number, fDisk, reqDiskMb)) continue;
      if (!(fCount < maxInstances)) continue;
      if (preemptibleAsFree) {
        const noPreemption =
          resourcesFit(tRam, ramRatio[i] as number, fullRam, reqRam) &&
          coresFit(vt, cpuRatio[i] as number, fullUsed, reqVcpus) &&
          diskFits(tDiskMb, diskRatio[i] as number, fullDisk, reqDiskMb) &&
          fullCount < maxInstances;
        if (noPreemption) anyFitsFull = true;
        passed[m] = noPreemption ? i | 0x40000000 : i;
      } else {
        passed[m] = i;
      }
      const cpuFree = vt * (cpuRatio[i] as number) - fullUsed;
      if (m === 0) {
        ramMax = fullRam;
        cpuMax = cpuFree;
        diskMax = fullDisk;
        ioMax = io;
      }
      if (fullRam < ramMin) ramMin = fullRam;
      else if (fullRam > ramMax) ramMax = fullRam;
      if (cpuFree < cpuMin) cpuMin = cpuFree;
      else if (cpuFree > cpuMax) cpuMax = cpuFree;
      if (fullDisk < diskMin) diskMin = fullDisk;
      else if (fullDisk > diskMax) diskMax = fullDisk;
      if (io < ioMin) ioMin = io;
      else if (io > ioMax) ioMax = io;
      m += 1;
    }
    if (anti) for (const h of group.hosts) this.markGroup(h, 0);
    if (m === 0) return -1;
    if (m === 1) return (passed[0] as number) & 0x3fffffff;

    const ramRange = ramMax - ramMin;
    const cpuRange = cpuMax - cpuMin;
    const diskRange = diskMax - diskMin;
    const ioRange = ioMax - ioMin;
    const mRam = s.ramWeightMultiplier;
    const mCpu = s.cpuWeightMultiplier;
    const mDisk = s.diskWeightMultiplier;
    const mIo = s.ioOpsWeightMultiplier;
    let best = -1;
    let bestWeight = -Infinity;
    for (let k = 0; k < m; k++) {
      const tagged = passed[k] as number;
      if (anyFitsFull && (tagged & 0x40000000) === 0) continue;
      const i = tagged & 0x3fffffff;
      let w = 0;
      w += mRam * (ramRange === 0 ? 0 : ((freeRam[i] as number) - ramMin) / ramRange);
      const cpuFree =
        (vcpusTotal[i] as number) * (cpuRatio[i] as number) - (vcpusUsed[i] as number);
      w += mCpu * (cpuRange === 0 ? 0 : (cpuFree - cpuMin) / cpuRange);
      w += mDisk * (diskRange === 0 ? 0 : ((freeDisk[i] as number) - diskMin) / diskRange);
      w += mIo * (ioRange === 0 ? 0 : ((numIoOps[i] as number) - ioMin) / ioRange);
      if (w > bestWeight) {
        bestWeight = w;
        best = i;
      }
    }
    return best;
  }

  /** Applies what the scheduler decided (so the kernel's columns follow the scheduler's state). */
  apply(decision: AppliedDecision, spec: RequestSpec): void {
    const flavor = spec.flavor;
    for (const v of decision.victims) {
      const i = this.hostIndex(v.host);
      const inst = v.victim;
      const diskMb = (inst.rootGb + inst.ephemeralGb) * 1024;
      this.freeRamMb[i] = (this.freeRamMb[i] as number) + inst.memoryMb;
      this.freeDiskMb[i] = (this.freeDiskMb[i] as number) + diskMb;
      this.vcpusUsed[i] = (this.vcpusUsed[i] as number) - inst.vcpus;
      this.numInstances[i] = (this.numInstances[i] as number) - 1;
      if (isPreemptibleInstance(inst)) {
        this.preemptibleRamMb[i] = (this.preemptibleRamMb[i] as number) - inst.memoryMb;
        this.preemptibleDiskMb[i] = (this.preemptibleDiskMb[i] as number) - diskMb;
        this.preemptibleVcpus[i] = (this.preemptibleVcpus[i] as number) - inst.vcpus;
        this.preemptibleCount[i] = (this.preemptibleCount[i] as number) - 1;
      }
    }
    for (const host of decision.hosts) {
      const i = this.hostIndex(host);
      this.freeRamMb[i] = (this.freeRamMb[i] as number) - flavor.memoryMb;
      this.freeDiskMb[i] =
        (this.freeDiskMb[i] as number) - (flavor.rootGb + flavor.ephemeralGb) * 1024;
      this.vcpusUsed[i] = (this.vcpusUsed[i] as number) + flavor.vcpus;
      this.numInstances[i] = (this.numInstances[i] as number) + 1;
      this.numIoOps[i] = (this.numIoOps[i] as number) + 1;
    }
  }

  /** Undoes `apply` of a decision without victims (its instances leave again). */
  undo(decision: AppliedDecision, spec: RequestSpec): void {
    if (decision.victims.length > 0) throw new Error('kernel: cannot undo a decision with victims');
    const flavor = spec.flavor;
    for (const host of decision.hosts) {
      const i = this.hostIndex(host);
      this.freeRamMb[i] = (this.freeRamMb[i] as number) + flavor.memoryMb;
      this.freeDiskMb[i] =
        (this.freeDiskMb[i] as number) + (flavor.rootGb + flavor.ephemeralGb) * 1024;
      this.vcpusUsed[i] = (this.vcpusUsed[i] as number) - flavor.vcpus;
      this.numInstances[i] = (this.numInstances[i] as number) - 1;
      this.numIoOps[i] = (this.numIoOps[i] as number) - 1;
    }
  }

  /** Bytes held by the columns (what a host table of these numbers costs). */
  get columnBytes(): number {
    let bytes = 0;
    for (const value of Object.values(this)) {
      if (ArrayBuffer.isView(value)) bytes += value.byteLength;
    }
    return bytes;
  }

  private markGroup(host: string, mark: 0 | 1): void {
    const i = this.indexOf.get(host);
    if (i !== undefined) this.groupMark[i] = mark;
  }

  /** The aggregate pairs every passing host must have; -1 when no host can. */
  private requiredFlags(extraSpecs: Readonly<Record<string, string>>): number {
    let required = 0;
    for (const [rawKey, req] of Object.entries(extraSpecs)) {
      const colon = rawKey.indexOf(':');
      if (colon < 0) {
        throw new Error(
          `kernel: flavor extra spec "${rawKey}" has no namespace (ComputeCapabilitiesFilter would read it); use aggregate_instance_extra_specs:${rawKey}`,
        );
      }
      if (rawKey.slice(0, colon) !== AGGREGATE_SCOPE) {
        throw new Error(
          `kernel: flavor extra spec "${rawKey}" is not modelled; only ${AGGREGATE_SCOPE}: keys are`,
        );
      }
      if (/^\s*(=|<in>|<all-in>|<or>|s==|s!=|s>=|s>|s<=|s<|==|!=|>=|<=)(\s|$)/.test(req)) {
        throw new Error(
          `kernel: flavor extra spec "${rawKey}": operator value "${req}" is not modelled; give a plain value`,
        );
      }
      const bit = this.pairBits.get(`${rawKey.slice(colon + 1)}=${req}`);
      if (bit === undefined) return -1;
      required |= bit;
    }
    return required;
  }

  /** `platformOk[p]`: the supported instances `p` hold the image's properties. */
  private preparePlatforms(properties: Readonly<Record<string, unknown>>): void {
    if (properties['hypervisor_version_requires'] !== undefined) {
      throw new Error('kernel: image property hypervisor_version_requires is not modelled');
    }
    const wanted: string[] = [];
    for (const key of ['architecture', 'hypervisor_type', 'vm_mode']) {
      const v = properties[key];
      if (v === undefined || v === null || v === '') continue;
      if (typeof v !== 'string') throw new Error(`kernel: image property ${key} must be a string`);
      wanted.push(v);
    }
    for (let p = 0; p < this.platforms.length; p++) {
      let ok = wanted.length === 0;
      for (const triple of this.platforms[p] ?? []) {
        if (wanted.every((w) => triple.includes(w))) {
          ok = true;
          break;
        }
      }
      this.platformOk[p] = ok ? 1 : 0;
    }
  }
}

function refuseUnmodelled(spec: RequestSpec): void {
  const field = (name: string): never => {
    throw new Error(`kernel: request field ${name} is not modelled; leave it out`);
  };
  if (spec.numInstances !== 1) field('numInstances (only 1)');
  if (spec.retry !== undefined && spec.retry.hosts.length > 0) field('retry');
  if (spec.forceHosts !== undefined && spec.forceHosts.length > 0) field('forceHosts');
  if (spec.forceNodes !== undefined && spec.forceNodes.length > 0) field('forceNodes');
  if (spec.ignoreHosts !== undefined && spec.ignoreHosts.length > 0) field('ignoreHosts');
  if (spec.availabilityZone?.includes(':') === true) field('availabilityZone (host forcing)');
  if (spec.instanceGroup?.policies.includes('affinity') === true) field('instanceGroup affinity');
}

/** RamFilter: `total >= requested` and `total * ratio - (total - free) >= requested`. */
function resourcesFit(total: number, ratio: number, free: number, requested: number): boolean {
  if (!(total >= requested)) return false;
  return total * ratio - (total - free) >= requested;
}

/** CoreFilter: a host with no vCPUs passes; else within `total * ratio`, and not over `total`. */
function coresFit(total: number, ratio: number, used: number, requested: number): boolean {
  if (!total) return true;
  const limit = total * ratio;
  if (limit > 0 && requested > total) return false;
  return !(limit - used < requested);
}

/** DiskFilter, in MB: `total * ratio - (total - free) >= requested`. */
function diskFits(totalMb: number, ratio: number, freeMb: number, requestedMb: number): boolean {
  return totalMb * ratio - (totalMb - freeMb) >= requestedMb;
}
