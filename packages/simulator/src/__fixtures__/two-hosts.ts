import type { TraceRow } from '../trace-row.js';
import type { CloudRecords } from '../simulated-cloud.js';
import { makeComputeNode, makeService } from '@opie/testing';

/** Virtual epoch of the hand-checked scenarios. */
export const START = Date.UTC(2024, 0, 1);

/**
 * opie's driver and host manager, RamFilter + ComputeFilter, RAMWeigher
 * only (spread: the host with the most free RAM; ties keep host order),
 * RAM and CPU allocation ratios 1.0.
 */
export const SPREAD_CONF = `
[DEFAULT]
ram_allocation_ratio = 1.0
cpu_allocation_ratio = 1.0

[scheduler]
driver = opie.scheduler.filter_scheduler.FilterScheduler
host_manager = opie.scheduler.host_manager.HostManager

[filter_scheduler]
enabled_filters = RamFilter, ComputeFilter
weight_classes = nova.scheduler.weights.ram.RAMWeigher
`;

/** Two empty hosts, h1 and h2: 4096 MB, 8 vCPUs, 100 GB each, services up at START. */
export function twoHosts(): CloudRecords {
  return {
    nodes: ['h1', 'h2'].map((host) =>
      makeComputeNode({
        host,
        hypervisorHostname: host,
        memoryMb: 4096,
        freeRamMb: 4096,
        vcpus: 8,
        vcpusUsed: 0,
        localGb: 100,
        localGbUsed: 0,
        freeDiskGb: 100,
        stats: { num_instances: '0', io_workload: '0' },
        updatedAt: START,
      }),
    ),
    services: ['h1', 'h2'].map((host) =>
      makeService({ host, binary: 'nova-compute', lastSeenUp: START, updatedAt: START }),
    ),
    aggregates: [],
    instances: [],
  };
}

/** A trace row with 1 vCPU and no disk. */
export function vm(
  id: string,
  arrival: number,
  lifetime: number,
  memoryMb: number,
  preemptible: boolean,
): TraceRow {
  return {
    line: 0,
    id,
    arrival,
    lifetime,
    vcpus: 1,
    memoryMb,
    diskGb: 0,
    preemptible,
    priority: undefined,
  };
}
