import type { Instance } from '@opie/core';
import { holdsResources, isIoWorkload } from '@opie/core';

/** Compute-side reservations ([DEFAULT] reserved_host_memory_mb / reserved_host_disk_mb). */
export interface ReservedResources {
  reservedHostMemoryMb: number;
  reservedHostDiskMb: number;
}

/** What the resource tracker writes on a compute node record. */
export interface NodeUsage {
  memoryMbUsed: number;
  freeRamMb: number;
  localGbUsed: number;
  freeDiskGb: number;
  vcpusUsed: number;
  /** `num_instances`, `io_workload`, `num_vm_<state>`, `num_task_<state>`, `num_proj_<id>`. */
  stats: Record<string, string>;
}

/**
 * Usage of a node from the instances on it, as the Liberty resource tracker
 * computes it (nova/compute/resource_tracker.py): used memory = reserved + Σ memory_mb (no driver
 * overhead), used disk = reserved_host_disk_mb // 1024 + Σ (root_gb +
 * ephemeral_gb) (swap not counted), used vCPUs = Σ vcpus, and the stats
 * counters as strings. Instances in vm_state `deleted` or `shelved_offloaded`
 * hold nothing. A missing vm_state counts as `active`, a missing task_state as `None`.
 * @see nova/compute/resource_tracker.py _update_usage_from_instances
 */
export function deriveNodeUsage(
  node: { memoryMb: number; localGb: number },
  instances: Iterable<Instance>,
  reserved: ReservedResources,
): NodeUsage {
  let memoryMbUsed = reserved.reservedHostMemoryMb;
  let localGbUsed = Math.floor(reserved.reservedHostDiskMb / 1024);
  let vcpusUsed = 0;
  let count = 0;
  let io = 0;
  const counters = new Map<string, number>();
  const bump = (key: string) => counters.set(key, (counters.get(key) ?? 0) + 1);
  for (const inst of instances) {
    if (!holdsResources(inst)) continue;
    const vmState = inst.vmState ?? 'active';
    memoryMbUsed += inst.memoryMb;
    localGbUsed += inst.rootGb + inst.ephemeralGb;
    vcpusUsed += inst.vcpus;
    count += 1;
    const taskState = inst.taskState ?? 'None';
    if (isIoWorkload(inst)) io += 1;
    bump(`num_vm_${vmState}`);
    bump(`num_task_${taskState}`);
    if (inst.projectId !== undefined) bump(`num_proj_${inst.projectId}`);
  }
  const stats: Record<string, string> = {
    num_instances: String(count),
    io_workload: String(io),
  };
  for (const [k, v] of counters) stats[k] = String(v);
  return {
    memoryMbUsed,
    freeRamMb: node.memoryMb - memoryMbUsed,
    localGbUsed,
    freeDiskGb: node.localGb - localGbUsed,
    vcpusUsed,
    stats,
  };
}
