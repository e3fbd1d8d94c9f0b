import type { ComputeNode, Service } from '@opie/core';

/** One hypervisor: its live record, its id (1-based inventory position) and its service. */
export interface HypervisorEntry {
  id: number;
  record: ComputeNode;
  service: Service | undefined;
}

function state(service: Service | undefined): 'up' | 'down' {
  return service === undefined || service.forcedDown === true ? 'down' : 'up';
}

function status(service: Service | undefined): 'enabled' | 'disabled' {
  return service === undefined || service.disabled ? 'disabled' : 'enabled';
}

/** `GET /os-hypervisors` entry. */
export function hypervisorSummary(h: HypervisorEntry) {
  return {
    id: h.id,
    hypervisor_hostname: h.record.hypervisorHostname,
    state: state(h.service),
    status: status(h.service),
  };
}

function num(stats: Readonly<Record<string, string>> | undefined, key: string): number {
  const n = Number(stats?.[key] ?? 0);
  return Number.isFinite(n) ? n : 0;
}

/**
 * `GET /os-hypervisors/detail` entry (v2.1).
 * @see nova/api/openstack/compute/hypervisors.py _view_hypervisor
 */
export function hypervisorDetail(h: HypervisorEntry) {
  const r = h.record;
  return {
    ...hypervisorSummary(h),
    vcpus: r.vcpus,
    memory_mb: r.memoryMb,
    local_gb: r.localGb,
    vcpus_used: r.vcpusUsed,
    memory_mb_used: r.memoryMb - r.freeRamMb,
    local_gb_used: r.localGbUsed,
    hypervisor_type: r.hypervisorType ?? 'QEMU',
    hypervisor_version: r.hypervisorVersion ?? 0,
    free_ram_mb: r.freeRamMb,
    free_disk_gb: r.freeDiskGb,
    current_workload: num(r.stats, 'io_workload'),
    running_vms: num(r.stats, 'num_instances'),
    cpu_info: r.cpuInfo ?? '{}',
    disk_available_least: r.diskAvailableLeast ?? r.freeDiskGb,
    host_ip: r.hostIp ?? null,
    service: { host: r.host, id: h.id, disabled_reason: h.service?.disabledReason ?? null },
  };
}

const STAT_KEYS = [
  'vcpus',
  'memory_mb',
  'local_gb',
  'vcpus_used',
  'memory_mb_used',
  'local_gb_used',
  'free_ram_mb',
  'free_disk_gb',
  'current_workload',
  'running_vms',
  'disk_available_least',
] as const;

/**
 * `GET /os-hypervisors/statistics`: sums over every hypervisor.
 * @see nova/db/sqlalchemy/api.py compute_node_statistics
 */
export function hypervisorStatistics(entries: readonly HypervisorEntry[]) {
  const sums: Record<string, number> = { count: entries.length };
  for (const key of STAT_KEYS) sums[key] = 0;
  for (const e of entries) {
    const d = hypervisorDetail(e);
    for (const key of STAT_KEYS) sums[key] = (sums[key] ?? 0) + d[key];
  }
  return { hypervisor_statistics: sums };
}
