import type { ComputeNode, Instance } from '@opie/core';
import { parsePythonInt } from '@opie/core';
import type { Delta } from './deltas.js';
import { instanceDiskMb } from './deltas.js';

/** The usage numbers that differ between views and change with deltas. */
export interface UsageNumbers {
  freeRamMb: number;
  freeDiskMb: number;
  vcpusUsed: number;
  numInstances: number;
  numIoOps: number;
  updated: number | undefined;
}

/** Python `int(stats.get(key, 0))`; an unparsable value counts as 0 (nova would raise). */
function statInt(
  stats: Readonly<Record<string, string>> | undefined,
  key: string,
): number | undefined {
  const raw = stats?.[key];
  if (raw === undefined) return undefined;
  return parsePythonInt(raw) ?? 0;
}

/**
 * Free disk of a record in MB: `min(free_disk_gb, disk_available_least) * 1024`
 * (the least value only when set).
 * @see nova/scheduler/host_manager.py HostState._update_from_compute_node
 */
export function recordFreeDiskMb(record: ComputeNode): number {
  const least = record.diskAvailableLeast;
  const freeGb =
    least === undefined || least === null ? record.freeDiskGb : Math.min(least, record.freeDiskGb);
  return freeGb * 1024;
}

/**
 * The full view: the record (nova/scheduler/host_manager.py), minus every consumption, plus every
 * release made since it. A consumption is nova's `consume_from_instance`
 * (nova/scheduler/host_manager.py consume_from_instance: RAM, disk without swap, vCPUs, +1 instance, +1 I/O op); a
 * release gives back RAM, disk, vCPUs and the instance, not the I/O op.
 * `listedCount` (instances the host reports) stands in for a missing
 * `num_instances` stat. `updated` is the latest of the record and the deltas.
 */
export function writeFullView(
  target: UsageNumbers,
  record: ComputeNode,
  listedCount: number,
  deltas: readonly Delta[],
): void {
  let freeRamMb = record.freeRamMb;
  let freeDiskMb = recordFreeDiskMb(record);
  let vcpusUsed = record.vcpusUsed;
  let numInstances = statInt(record.stats, 'num_instances') ?? listedCount;
  let numIoOps = statInt(record.stats, 'io_workload') ?? 0;
  let updated = record.updatedAt;
  for (const d of deltas) {
    if (d.kind === 'consume') {
      freeRamMb -= d.memoryMb;
      freeDiskMb -= d.diskMb;
      vcpusUsed += d.vcpus;
      numInstances += 1;
      numIoOps += 1;
    } else {
      freeRamMb += d.memoryMb;
      freeDiskMb += d.diskMb;
      vcpusUsed -= d.vcpus;
      numInstances -= 1;
    }
    if (updated === undefined || d.at > updated) updated = d.at;
  }
  target.freeRamMb = freeRamMb;
  target.freeDiskMb = freeDiskMb;
  target.vcpusUsed = vcpusUsed;
  target.numInstances = numInstances;
  target.numIoOps = numIoOps;
  target.updated = updated;
}

/**
 * The free ("preemptible-as-free") view: the full view with every preemptible
 * instance still on the host un-consumed (opie's HostStatePartial, opie/scheduler/host_manager.py HostStatePartial:
 * RAM, disk, vCPUs, instance count; I/O ops and swap are not reverted), and
 * every in-flight preemptible claim too, unless its instance is already
 * listed or released (so it is never freed twice). `preemptible` is the
 * preemptible instances still on the host (the node keeps that list).
 * @see opie/scheduler/host_manager.py HostStatePartial
 */
export function writeFreeView(
  target: UsageNumbers,
  full: Readonly<UsageNumbers>,
  preemptible: Iterable<Instance>,
  deltas: readonly Delta[],
  knownUuid: (uuid: string) => boolean,
): void {
  let freeRamMb = full.freeRamMb;
  let freeDiskMb = full.freeDiskMb;
  let vcpusUsed = full.vcpusUsed;
  let numInstances = full.numInstances;
  for (const inst of preemptible) {
    freeRamMb += inst.memoryMb;
    freeDiskMb += instanceDiskMb(inst);
    vcpusUsed -= inst.vcpus;
    numInstances -= 1;
  }
  for (const d of deltas) {
    if (d.kind !== 'consume' || !d.preemptible) continue;
    if (d.uuid !== undefined && knownUuid(d.uuid)) continue;
    freeRamMb += d.memoryMb;
    freeDiskMb += d.diskMb;
    vcpusUsed -= d.vcpus;
    numInstances -= 1;
  }
  target.freeRamMb = freeRamMb;
  target.freeDiskMb = freeDiskMb;
  target.vcpusUsed = vcpusUsed;
  target.numInstances = numInstances;
  target.numIoOps = full.numIoOps;
  target.updated = full.updated;
}
