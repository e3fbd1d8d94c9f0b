import type { ComputeNode, Instance } from '@opie/core';
import { holdsResources, isIoWorkload } from '@opie/core';

export { holdsResources };

function bump(stats: Record<string, string>, key: string, by: number): void {
  const next = Number(stats[key] ?? '0') + by;
  if (next === 0 && key !== 'num_instances' && key !== 'io_workload') delete stats[key];
  else stats[key] = String(next);
}

/**
 * The compute node record the resource tracker would write after `instance`
 * arrived (`sign` 1) or left (`sign` -1), at `now`: RAM, disk (swap not
 * counted) and vCPUs moved by the instance's usage, the stats counters
 * (`num_instances`, `num_vm_*`, `num_task_*`, `num_proj_*`, `io_workload`)
 * adjusted when the record has stats, and `updatedAt = now`. A new object:
 * records are immutable values.
 * @see nova/compute/resource_tracker.py _update_usage_from_instance
 */
export function recordWith(
  record: ComputeNode,
  instance: Instance,
  sign: 1 | -1,
  now: number,
): ComputeNode {
  if (!holdsResources(instance)) return { ...record, updatedAt: now };
  const disk = (instance.rootGb + instance.ephemeralGb) * sign;
  const next: ComputeNode = {
    ...record,
    freeRamMb: record.freeRamMb - instance.memoryMb * sign,
    localGbUsed: record.localGbUsed + disk,
    freeDiskGb: record.freeDiskGb - disk,
    vcpusUsed: record.vcpusUsed + instance.vcpus * sign,
    updatedAt: now,
  };
  const least = record.diskAvailableLeast;
  if (least !== undefined && least !== null) next.diskAvailableLeast = least - disk;
  if (record.stats !== undefined) {
    const stats = { ...record.stats };
    const vmState = instance.vmState ?? 'active';
    const taskState = instance.taskState ?? 'None';
    bump(stats, 'num_instances', sign);
    bump(stats, `num_vm_${vmState}`, sign);
    bump(stats, `num_task_${taskState}`, sign);
    if (instance.projectId !== undefined) bump(stats, `num_proj_${instance.projectId}`, sign);
    if (isIoWorkload(instance)) bump(stats, 'io_workload', sign);
    next.stats = stats;
  }
  return next;
}
