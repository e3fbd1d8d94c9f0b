import type { ComputeNode, Instance } from '@opie/core';
import { deriveNodeUsage } from '@opie/cloud';
import { NOT_COUNTED_VM_STATES } from './server-record.js';

/**
 * Usage on a node that no instance explains (the host's reserved memory and
 * disk, and whatever the cloud file reported beyond its instances).
 */
export interface BaseUsage {
  memoryMbUsed: number;
  localGbUsed: number;
  vcpusUsed: number;
}

/** A compute node as the store keeps it. */
export interface NodeRow {
  host: string;
  node: string;
  /** Inventory order. */
  position: number;
  /** The record as the cloud file gave it (its usage as of that file). */
  record: ComputeNode;
  base: BaseUsage;
  /** Bumped by every change to the node's instances. */
  generation: number;
}

function counted(instance: Instance): boolean {
  return !NOT_COUNTED_VM_STATES.includes(instance.vmState ?? 'active');
}

/**
 * The base usage of a node record: its reported usage minus what its
 * instances use (the reserved host memory and disk, when the file's numbers
 * were derived from the instances).
 */
export function baseUsageOf(record: ComputeNode, instances: Iterable<Instance>): BaseUsage {
  let memoryMb = 0;
  let diskGb = 0;
  let vcpus = 0;
  for (const i of instances) {
    if (!counted(i)) continue;
    memoryMb += i.memoryMb;
    diskGb += i.rootGb + i.ephemeralGb;
    vcpus += i.vcpus;
  }
  return {
    memoryMbUsed: record.memoryMb - record.freeRamMb - memoryMb,
    localGbUsed: record.localGbUsed - diskGb,
    vcpusUsed: record.vcpusUsed - vcpus,
  };
}

const DERIVED_STAT = /^(num_instances|io_workload|num_vm_|num_task_|num_proj_)/;

/**
 * The compute node record the resource tracker would write now: base usage
 * plus the node's live instances (nova/compute/resource_tracker.py), the derived counters over any
 * other counters of the file, `disk_available_least` moved by the change in
 * used disk. No `updatedAt`: a new record replaces every virtual claim the
 * host manager holds on the node (it includes them).
 * @see nova/compute/resource_tracker.py _update_usage_from_instances
 */
export function liveComputeNode(row: NodeRow, instances: Iterable<Instance>): ComputeNode {
  const { record, base } = row;
  const usage = deriveNodeUsage(record, instances, {
    reservedHostMemoryMb: base.memoryMbUsed,
    reservedHostDiskMb: base.localGbUsed * 1024,
  });
  const stats: Record<string, string> = {};
  for (const [k, v] of Object.entries(record.stats ?? {})) {
    if (!DERIVED_STAT.test(k)) stats[k] = v;
  }
  Object.assign(stats, usage.stats);
  const live: ComputeNode = {
    ...record,
    freeRamMb: usage.freeRamMb,
    localGbUsed: usage.localGbUsed,
    freeDiskGb: usage.freeDiskGb,
    vcpusUsed: base.vcpusUsed + usage.vcpusUsed,
    stats,
  };
  delete live.updatedAt;
  if (record.diskAvailableLeast !== undefined && record.diskAvailableLeast !== null) {
    live.diskAvailableLeast = record.diskAvailableLeast - (usage.localGbUsed - record.localGbUsed);
  }
  return live;
}
