import type { HostState, Limits, Need } from '@opie/core';
import { detectOvercommit } from '../scheduler/overcommit.js';

/**
 * Limits that nova does not put in `limits`: NumInstancesFilter's and
 * IoOpsFilter's maxima (`max_instances_per_host`, `max_io_ops_per_host`, or
 * the aggregate value the filter used). Absent or `null`: not limited.
 */
export interface LimitsExtra {
  maxInstances?: number | null;
  maxIoOps?: number | null;
}

/** Nothing needed, nothing freed. */
export const NO_NEED: Readonly<Need> = Object.freeze({
  memoryMb: 0,
  diskGb: 0,
  vcpus: 0,
  instances: 0,
  ioOps: 0,
});

/**
 * What `host` (full view, after this placement's consumption) must free to be
 * within `limits` and `extra`, given what planned victims already free.
 * RAM, disk and vCPU are `used - limit` as `detectOvercommit` measures them
 * (the filters' limits, else the host's ratios); instances and I/O ops are
 * `count - max`: the filters pass a host with `count < max` before the
 * placement, so `count <= max` after it is within the limit.
 * @see opie/scheduler/filter_scheduler.py detect_overcommit
 */
export function needOf(
  host: HostState,
  limits: Limits,
  extra: LimitsExtra = {},
  alreadyFreed: Partial<Need> = {},
): Need {
  const need: Need = { ...NO_NEED };
  const freed = {
    memoryMb: alreadyFreed.memoryMb ?? 0,
    diskGb: alreadyFreed.diskGb ?? 0,
    vcpus: alreadyFreed.vcpus ?? 0,
  };
  for (const over of detectOvercommit(host, limits, freed)) {
    const short = over.used - over.limit;
    if (over.resource === 'memory_mb') need.memoryMb = short;
    else if (over.resource === 'disk_gb') need.diskGb = short;
    else need.vcpus = short;
  }
  need.instances = excess(host.numInstances - (alreadyFreed.instances ?? 0), extra.maxInstances);
  need.ioOps = excess(host.numIoOps - (alreadyFreed.ioOps ?? 0), extra.maxIoOps);
  return need;
}

function excess(count: number, max: number | null | undefined): number {
  return max === null || max === undefined || count <= max ? 0 : count - max;
}
