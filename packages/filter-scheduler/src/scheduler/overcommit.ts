import type { HostState, Instance, Limits } from '@opie/core';
import { round2 } from '../filters/round2.js';

/** A resource a host uses beyond its limit. */
export interface Overcommit {
  resource: 'memory_mb' | 'disk_gb' | 'vcpu';
  used: number;
  limit: number;
}

/** Usage given back by instances that are planned to go. */
export interface Freed {
  memoryMb: number;
  diskGb: number;
  vcpus: number;
}

export const NOTHING_FREED: Freed = { memoryMb: 0, diskGb: 0, vcpus: 0 };

/** What terminating `instance` gives back. */
export function usageOf(instance: Instance): Freed {
  return {
    memoryMb: instance.memoryMb,
    diskGb: instance.rootGb + instance.ephemeralGb,
    vcpus: instance.vcpus,
  };
}

/**
 * opie's `detect_overcommit` on a full host state after consumption, with
 * `freed` subtracted from the usage. Differences from opie (docs/nova-and-opie-notes.md, opie problem 9):
 * the limit is the one the filters computed for this request (`limits`,
 * which honours aggregate ratios and is what the compute enforces), falling
 * back to the host's own ratios when no filter set it. Strict `>` as in opie.
 * @see opie/scheduler/filter_scheduler.py detect_overcommit
 */
export function detectOvercommit(
  full: HostState,
  limits: Limits,
  freed: Freed = NOTHING_FREED,
): Overcommit[] {
  const out: Overcommit[] = [];
  const ramLimit = limits.memoryMb ?? full.totalUsableRamMb * full.ramAllocationRatio;
  const ramUsed = full.totalUsableRamMb - full.freeRamMb - freed.memoryMb;
  if (ramUsed > ramLimit) out.push({ resource: 'memory_mb', used: ramUsed, limit: ramLimit });

  const diskLimit = limits.diskGb ?? full.totalUsableDiskGb * full.diskAllocationRatio;
  const diskUsed = full.totalUsableDiskGb - full.freeDiskMb / 1024 - freed.diskGb;
  if (diskUsed > diskLimit) out.push({ resource: 'disk_gb', used: diskUsed, limit: diskLimit });

  const cpuLimit = limits.vcpu ?? full.vcpusTotal * full.cpuAllocationRatio;
  const cpuUsed = full.vcpusUsed - freed.vcpus;
  if (cpuUsed > cpuLimit) out.push({ resource: 'vcpu', used: cpuUsed, limit: cpuLimit });
  return out;
}

/** Human text of overcommits: `memory_mb 2048 > 1536, vcpu 9 > 8`. */
export function describeOvercommit(over: readonly Overcommit[]): string {
  return over.map((o) => `${o.resource} ${round2(o.used)} > ${round2(o.limit)}`).join(', ');
}
