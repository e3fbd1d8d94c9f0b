import type { ComputePort, NotificationPort, Runtime } from '@opie/core';
import { FilterScheduler } from '@opie/filter-scheduler';
import { HostManager } from '@opie/host-manager';
import { loadScheduler } from '@opie/loader';
import type { KernelSettings } from './kernel.js';

/**
 * The values the bench's nova.conf sets (or leaves at nova's defaults), in
 * one place: the nova.conf below is written from them and the typed-array
 * kernel reads them, so both apply the same rules.
 */
export const BENCH_SETTINGS: KernelSettings = {
  ramAllocationRatio: 1.0,
  cpuAllocationRatio: 4.0,
  diskAllocationRatio: 1.0,
  maxInstancesPerHost: 50,
  maxIoOpsPerHost: 8,
  serviceDownTime: 60,
  defaultAvailabilityZone: 'nova',
  ramWeightMultiplier: 1.0,
  cpuWeightMultiplier: 1.0,
  diskWeightMultiplier: 1.0,
  ioOpsWeightMultiplier: -1.0,
};

export const BENCH_FILTERS = [
  'RetryFilter',
  'AvailabilityZoneFilter',
  'RamFilter',
  'CoreFilter',
  'DiskFilter',
  'ComputeFilter',
  'ComputeCapabilitiesFilter',
  'ImagePropertiesFilter',
  'ServerGroupAntiAffinityFilter',
  'ServerGroupAffinityFilter',
  'NumInstancesFilter',
  'IoOpsFilter',
  'AggregateInstanceExtraSpecsFilter',
] as const;

export const BENCH_WEIGHERS = [
  'nova.scheduler.weights.ram.RAMWeigher',
  'nova.scheduler.weights.cpu.CPUWeigher',
  'nova.scheduler.weights.disk.DiskWeigher',
  'nova.scheduler.weights.io_ops.IoOpsWeigher',
] as const;

/** Which driver a run uses: nova's FilterScheduler, or opie's (normal requests may preempt). */
export type BenchDriver = 'nova' | 'opie';

/** The nova.conf of a run, as a user would write it. */
export function benchNovaConf(driver: BenchDriver, s: KernelSettings = BENCH_SETTINGS): string {
  const lines = [
    '[DEFAULT]',
    `ram_allocation_ratio = ${s.ramAllocationRatio.toFixed(1)}`,
    `cpu_allocation_ratio = ${s.cpuAllocationRatio.toFixed(1)}`,
    `disk_allocation_ratio = ${s.diskAllocationRatio.toFixed(1)}`,
    `service_down_time = ${s.serviceDownTime}`,
    `default_availability_zone = ${s.defaultAvailabilityZone}`,
    '',
    '[scheduler]',
    `driver = ${driver}.scheduler.filter_scheduler.FilterScheduler`,
    `host_manager = ${driver}.scheduler.host_manager.HostManager`,
    '',
    '[filter_scheduler]',
    `enabled_filters = ${BENCH_FILTERS.join(',\n    ')}`,
    `weight_classes = ${BENCH_WEIGHERS.join(',\n    ')}`,
    `max_instances_per_host = ${s.maxInstancesPerHost}`,
    `max_io_ops_per_host = ${s.maxIoOpsPerHost}`,
    `ram_weight_multiplier = ${s.ramWeightMultiplier.toFixed(1)}`,
    `cpu_weight_multiplier = ${s.cpuWeightMultiplier.toFixed(1)}`,
    `disk_weight_multiplier = ${s.diskWeightMultiplier.toFixed(1)}`,
    `io_ops_weight_multiplier = ${s.ioOpsWeightMultiplier.toFixed(1)}`,
  ];
  if (driver === 'opie') {
    lines.push('', '[preemptible_instances_scheduler]', 'host_selection = prefer-no-preemption');
  }
  return `${lines.join('\n')}\n`;
}

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

/** Builds the scheduler through the loader, as `opie` users do, from `benchNovaConf(driver)`. */
export async function loadBenchScheduler(
  runtime: Runtime,
  driver: BenchDriver = 'nova',
): Promise<BenchScheduler> {
  const compute = new CountingComputePort();
  const loaded = await loadScheduler({
    files: [{ path: `bench-${driver}.conf`, text: benchNovaConf(driver) }],
    runtime,
    compute,
    notifier: nullNotifier,
  });
  const { driver: scheduler, hostManager } = loaded;
  if (!(scheduler instanceof FilterScheduler)) throw new Error('expected a FilterScheduler driver');
  if (!(hostManager instanceof HostManager)) throw new Error('expected a HostManager');
  return { scheduler, hostManager, compute };
}
