import type { HostState, Limits, Need } from '@opie/core';
import { detectOvercommit } from '../scheduler/overcommit.js';

/**
 * NumInstancesFilter's and IoOpsFilter's maxima (`max_instances_per_host`,
 * `max_io_ops_per_host`, or the aggregate value the filter used). Those
 * filters also record them in `limits.numInstances` / `limits.ioOps`, which
 * are used when these are absent (`undefined`); `null`: not limited.
 */
export interface LimitsExtra {
  maxInstances?: number | null | undefined;
  maxIoOps?: number | null | undefined;
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
 * placement, so `count <= max` after it is within the limit. Their maxima are
 * `extra`'s, else those the filters recorded in `limits`.
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
  need.instances = excess(
    host.numInstances - (alreadyFreed.instances ?? 0),
    maxInstancesOf(limits, extra),
  );
  need.ioOps = excess(host.numIoOps - (alreadyFreed.ioOps ?? 0), maxIoOpsOf(limits, extra));
  return need;
}

/** The instance-count maximum: `extra`'s, else the one NumInstancesFilter recorded. */
export function maxInstancesOf(limits: Limits, extra: LimitsExtra = {}): number | null | undefined {
  return extra.maxInstances !== undefined ? extra.maxInstances : limits.numInstances;
}

/** The I/O-ops maximum: `extra`'s, else the one IoOpsFilter recorded. */
export function maxIoOpsOf(limits: Limits, extra: LimitsExtra = {}): number | null | undefined {
  return extra.maxIoOps !== undefined ? extra.maxIoOps : limits.ioOps;
}

/** `count - max` when over `max` (absent or null: not limited), else 0. */
export function excess(count: number, max: number | null | undefined): number {
  return max === null || max === undefined || count <= max ? 0 : count - max;
}
