import type { ComputePort, NotificationPort, Runtime } from '@opie/core';
import { FilterScheduler } from '@opie/filter-scheduler';
import { HostManager } from '@opie/host-manager';
import { loadScheduler } from '@opie/loader';

/**
 * The benchmarked configuration: opie's driver and host manager, Liberty's
 * default filters plus CoreFilter and IoOpsFilter, and the RAM, CPU, disk,
 * I/O ops and both preemptible weighers.
 */
export const BENCH_NOVA_CONF = `
[DEFAULT]
ram_allocation_ratio = 1.0
cpu_allocation_ratio = 4.0
disk_allocation_ratio = 1.0

[scheduler]
driver = opie.scheduler.filter_scheduler.FilterScheduler
host_manager = opie.scheduler.host_manager.HostManager

[filter_scheduler]
enabled_filters = RetryFilter, AvailabilityZoneFilter, RamFilter, DiskFilter, ComputeFilter,
    ComputeCapabilitiesFilter, ImagePropertiesFilter, ServerGroupAntiAffinityFilter,
    ServerGroupAffinityFilter, CoreFilter, IoOpsFilter
weight_classes = nova.scheduler.weights.ram.RAMWeigher,
    nova.scheduler.weights.cpu.CPUWeigher,
    nova.scheduler.weights.disk.DiskWeigher,
    nova.scheduler.weights.io_ops.IoOpsWeigher,
    opie.scheduler.weights.preemptible.PreemptibleCountWeigher,
    opie.scheduler.weights.preemptible.PreemptibleDurationWeigher
`;

/** Terminations are only counted (the bench has no compute service). */
export class CountingComputePort implements ComputePort {
  terminated = 0;
  terminateInstance(): Promise<void> {
    this.terminated += 1;
    return Promise.resolve();
  }
}

/** Notifications are dropped (a memory notifier would grow with every decision). */
export const nullNotifier: NotificationPort = { notify: () => undefined };

export interface BenchScheduler {
  scheduler: FilterScheduler;
  hostManager: HostManager;
  compute: CountingComputePort;
}

/** Builds the scheduler through the loader, as `opie` users do, from `BENCH_NOVA_CONF`. */
export async function loadBenchScheduler(runtime: Runtime): Promise<BenchScheduler> {
  const compute = new CountingComputePort();
  const loaded = await loadScheduler({
    files: [{ path: 'bench.conf', text: BENCH_NOVA_CONF }],
    runtime,
    compute,
    notifier: nullNotifier,
  });
  const { driver, hostManager } = loaded;
  if (!(driver instanceof FilterScheduler)) throw new Error('expected a FilterScheduler driver');
  if (!(hostManager instanceof HostManager)) throw new Error('expected a HostManager');
  return { scheduler: driver, hostManager, compute };
}
