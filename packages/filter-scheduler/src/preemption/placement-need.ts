import type { Flavor, HostState, Limits, Need } from '@opie/core';
import { excess, maxInstancesOf, maxIoOpsOf } from './need.js';
import type { LimitsExtra } from './need.js';

/** What planned victims already give back on a host (`Need` fields; absent: 0). */
export type Freed = Partial<Need>;

/**
 * What `full` would have to free if one instance of `flavor` were placed on
 * it now, without consuming anything: O(1), no allocation but the result.
 * The arithmetic is nova's `consume_from_request` (RAM, disk without swap,
 * vCPUs, +1 instance, +1 I/O op) followed by `needOf`, written so that it
 * gives exactly `needOf` of the consumed state.
 * @see nova/scheduler/host_manager.py HostState.consume_from_request
 * @see opie/scheduler/filter_scheduler.py detect_overcommit
 */
export function placementNeed(
  full: HostState,
  limits: Limits,
  flavor: Flavor,
  freed: Freed = {},
  extra: LimitsExtra = {},
): Need {
  const ramLimit = limits.memoryMb ?? full.totalUsableRamMb * full.ramAllocationRatio;
  const ramUsed =
    full.totalUsableRamMb - (full.freeRamMb - flavor.memoryMb) - (freed.memoryMb ?? 0);
  const diskLimit = limits.diskGb ?? full.totalUsableDiskGb * full.diskAllocationRatio;
  const diskMb = (flavor.rootGb + flavor.ephemeralGb) * 1024;
  const diskUsed = full.totalUsableDiskGb - (full.freeDiskMb - diskMb) / 1024 - (freed.diskGb ?? 0);
  const cpuLimit = limits.vcpu ?? full.vcpusTotal * full.cpuAllocationRatio;
  const cpuUsed = full.vcpusUsed + flavor.vcpus - (freed.vcpus ?? 0);
  return {
    memoryMb: ramUsed > ramLimit ? ramUsed - ramLimit : 0,
    diskGb: diskUsed > diskLimit ? diskUsed - diskLimit : 0,
    vcpus: cpuUsed > cpuLimit ? cpuUsed - cpuLimit : 0,
    instances: excess(
      full.numInstances + 1 - (freed.instances ?? 0),
      maxInstancesOf(limits, extra),
    ),
    ioOps: excess(full.numIoOps + 1 - (freed.ioOps ?? 0), maxIoOpsOf(limits, extra)),
  };
}

/**
 * `needsSomething(placementNeed(...))` without building the `Need`: the
 * per-host pre-scan of host selection (no allocation).
 */
export function placementNeedsPreemption(
  full: HostState,
  limits: Limits,
  flavor: Flavor,
  freed: Freed | undefined,
): boolean {
  const f = freed ?? {};
  const ramLimit = limits.memoryMb ?? full.totalUsableRamMb * full.ramAllocationRatio;
  if (full.totalUsableRamMb - (full.freeRamMb - flavor.memoryMb) - (f.memoryMb ?? 0) > ramLimit) {
    return true;
  }
  const cpuLimit = limits.vcpu ?? full.vcpusTotal * full.cpuAllocationRatio;
  if (full.vcpusUsed + flavor.vcpus - (f.vcpus ?? 0) > cpuLimit) return true;
  const diskLimit = limits.diskGb ?? full.totalUsableDiskGb * full.diskAllocationRatio;
  const diskMb = (flavor.rootGb + flavor.ephemeralGb) * 1024;
  if (full.totalUsableDiskGb - (full.freeDiskMb - diskMb) / 1024 - (f.diskGb ?? 0) > diskLimit) {
    return true;
  }
  if (excess(full.numInstances + 1 - (f.instances ?? 0), limits.numInstances) > 0) return true;
  return excess(full.numIoOps + 1 - (f.ioOps ?? 0), limits.ioOps) > 0;
}

/** Whether anything must be freed. */
export function needsSomething(need: Need): boolean {
  return (
    need.memoryMb > 0 || need.diskGb > 0 || need.vcpus > 0 || need.instances > 0 || need.ioOps > 0
  );
}
