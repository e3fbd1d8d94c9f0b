import type {
  FilterRequest,
  Flavor,
  HostColumns,
  HostFilter,
  HostState,
  LimitDeclaration,
  Limits,
  Need,
} from '@opie/core';
import type { Freed } from '../preemption/placement-need.js';

/**
 * Writes what `declaration` says its filter writes into `limits` of a host
 * it passes, with that filter's own arithmetic (bit-identical).
 */
export function applyLimitDeclaration(d: LimitDeclaration, host: HostState, limits: Limits): void {
  switch (d.resource) {
    case 'memoryMb':
      limits.memoryMb = host.totalUsableRamMb * host.ramAllocationRatio;
      return;
    case 'diskGb':
      limits.diskGb = (host.totalUsableDiskGb * 1024 * host.diskAllocationRatio) / 1024;
      return;
    case 'vcpu': {
      const limit = host.vcpusTotal * host.cpuAllocationRatio;
      if (limit > 0) limits.vcpu = limit;
      return;
    }
    case 'numInstances':
      limits.numInstances = d.value;
      return;
    case 'ioOps':
      limits.ioOps = d.value;
      return;
  }
}

/**
 * The filters' limits on `host` (a host that passed every filter for
 * `request`, in the filtered view), written into `host.limits` as nova's
 * filters write them, in filter order, and returned. The batch kernels write
 * no limits, so their declarations are applied here, only for the hosts a
 * decision needs; a filter with neither a kernel nor a key form is run on
 * the host again, in its place in the order, so that what it writes lands
 * exactly where it did (a later filter overwrites an earlier one's key).
 */
export function limitsOf(
  filters: readonly HostFilter[],
  host: HostState,
  request: FilterRequest,
): Limits {
  for (const f of filters) {
    if (f.runFilterOncePerRequest && request.index > 0) continue;
    const declarations = f.limitDeclarations;
    if (declarations !== undefined) {
      for (const d of declarations) applyLimitDeclaration(d, host, host.limits);
    } else if (f.filterColumns === undefined && f.dependsOn === undefined) {
      if (f.passesAll?.(request) !== true) f.hostPasses(host, request);
    }
  }
  return host.limits;
}

/**
 * The limits every host that passed gets from the filters that ran, known
 * without host objects (see `FilterStageResult.columnLimits`).
 */
export interface ColumnLimits {
  /** DiskFilter's arithmetic (`t * 1024 * r / 1024`) rather than the fallback `t * r`. */
  diskByFilter: boolean;
  maxInstances: number | undefined;
  maxIoOps: number | undefined;
}

/**
 * `placementNeed` of row `i` of the full-view columns with the declared
 * limits: what the host must free if one instance of `flavor` were placed on
 * it, with the same arithmetic (and so the same numbers) as
 * `placementNeed(full, limitsOf(...), flavor, freed)`.
 * @see opie/scheduler/filter_scheduler.py detect_overcommit
 */
export function placementNeedAt(
  cols: HostColumns,
  i: number,
  limits: ColumnLimits,
  flavor: Flavor,
  freed: Freed | undefined,
): Need {
  const f = freed ?? {};
  const total = cols.totalUsableRamMb[i] as number;
  const ramLimit = total * (cols.ramAllocationRatio[i] as number);
  const ramUsed = total - ((cols.freeRamMb[i] as number) - flavor.memoryMb) - (f.memoryMb ?? 0);
  const diskGb = cols.totalUsableDiskGb[i] as number;
  const diskRatio = cols.diskAllocationRatio[i] as number;
  const diskLimit = limits.diskByFilter ? (diskGb * 1024 * diskRatio) / 1024 : diskGb * diskRatio;
  const diskMb = (flavor.rootGb + flavor.ephemeralGb) * 1024;
  const diskUsed = diskGb - ((cols.freeDiskMb[i] as number) - diskMb) / 1024 - (f.diskGb ?? 0);
  const cpuLimit = (cols.vcpusTotal[i] as number) * (cols.cpuAllocationRatio[i] as number);
  const cpuUsed = (cols.vcpusUsed[i] as number) + flavor.vcpus - (f.vcpus ?? 0);
  const count = (cols.numInstances[i] as number) + 1 - (f.instances ?? 0);
  const io = (cols.numIoOps[i] as number) + 1 - (f.ioOps ?? 0);
  const maxI = limits.maxInstances;
  const maxIo = limits.maxIoOps;
  return {
    memoryMb: ramUsed > ramLimit ? ramUsed - ramLimit : 0,
    diskGb: diskUsed > diskLimit ? diskUsed - diskLimit : 0,
    vcpus: cpuUsed > cpuLimit ? cpuUsed - cpuLimit : 0,
    instances: maxI === undefined || count <= maxI ? 0 : count - maxI,
    ioOps: maxIo === undefined || io <= maxIo ? 0 : io - maxIo,
  };
}

/** `needsSomething(placementNeedAt(...))` without building the `Need` (the pre-scan). */
export function placementNeedsPreemptionAt(
  cols: HostColumns,
  i: number,
  limits: ColumnLimits,
  flavor: Flavor,
  freed: Freed | undefined,
): boolean {
  const f = freed ?? {};
  const total = cols.totalUsableRamMb[i] as number;
  const ramLimit = total * (cols.ramAllocationRatio[i] as number);
  if (total - ((cols.freeRamMb[i] as number) - flavor.memoryMb) - (f.memoryMb ?? 0) > ramLimit) {
    return true;
  }
  const cpuLimit = (cols.vcpusTotal[i] as number) * (cols.cpuAllocationRatio[i] as number);
  if ((cols.vcpusUsed[i] as number) + flavor.vcpus - (f.vcpus ?? 0) > cpuLimit) return true;
  const diskGb = cols.totalUsableDiskGb[i] as number;
  const diskRatio = cols.diskAllocationRatio[i] as number;
  const diskLimit = limits.diskByFilter ? (diskGb * 1024 * diskRatio) / 1024 : diskGb * diskRatio;
  const diskMb = (flavor.rootGb + flavor.ephemeralGb) * 1024;
  if (diskGb - ((cols.freeDiskMb[i] as number) - diskMb) / 1024 - (f.diskGb ?? 0) > diskLimit) {
    return true;
  }
  const maxI = limits.maxInstances;
  if (maxI !== undefined && (cols.numInstances[i] as number) + 1 - (f.instances ?? 0) > maxI) {
    return true;
  }
  const maxIo = limits.maxIoOps;
  return maxIo !== undefined && (cols.numIoOps[i] as number) + 1 - (f.ioOps ?? 0) > maxIo;
}
