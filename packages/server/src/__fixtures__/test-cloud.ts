import { parseCloud } from '@opie/cloud';
import type { CloudSnapshot } from '@opie/cloud';
import type { ConfigFile } from '@opie/loader';

/** opie's scheduler with the resource filters, no overcommit (limits = totals). */
export const TEST_NOVA_CONF = `
[DEFAULT]
ram_allocation_ratio = 1.0
cpu_allocation_ratio = 1.0
disk_allocation_ratio = 1.0

[scheduler]
driver = opie.scheduler.filter_scheduler.FilterScheduler
host_manager = opie.scheduler.host_manager.HostManager

[filter_scheduler]
enabled_filters = RetryFilter, AvailabilityZoneFilter, RamFilter, CoreFilter, DiskFilter,
    ComputeFilter, ImagePropertiesFilter
weight_classes = nova.scheduler.weights.all_weighers,
    opie.scheduler.weights.preemptible.PreemptibleCountWeigher
`;

export const TEST_CONFIG_FILES: ConfigFile[] = [{ path: 'test-nova.conf', text: TEST_NOVA_CONF }];

export const CIRROS = '11111111-2222-4333-8444-555555555555';
export const BIG_IMAGE = '11111111-2222-4333-8444-666666666666';

/**
 * A small cloud: `hosts` nodes of 8704 MB (8192 usable after the 512 MB
 * reservation), 4 vCPUs and 100 GB, in zones az1 (first half) and az2,
 * flavors tiny (1 GB, 1 vCPU, 10 GB) to large (8 GB, 4 vCPUs, 40 GB), and
 * `instances` as given.
 */
export function testCloudDocument(
  options: { hosts?: number; instances?: unknown[] } = {},
): Record<string, unknown> {
  const hosts = options.hosts ?? 2;
  const names = Array.from({ length: hosts }, (_, i) => `node${i + 1}`);
  const half = Math.ceil(hosts / 2);
  return {
    now: '2025-01-01T00:00:00Z',
    defaults: { reserved_host_memory_mb: 512 },
    flavors: [
      { id: '1', name: 'tiny', memory_mb: 1024, vcpus: 1, root_gb: 10 },
      { id: '2', name: 'small', memory_mb: 2048, vcpus: 1, root_gb: 20 },
      { id: '3', name: 'medium', memory_mb: 4096, vcpus: 2, root_gb: 20 },
      { id: '4', name: 'large', memory_mb: 8192, vcpus: 4, root_gb: 40 },
    ],
    images: [
      {
        id: CIRROS,
        name: 'cirros',
        properties: { architecture: 'x86_64' },
        min_ram: 64,
        min_disk: 1,
        disk_format: 'qcow2',
        container_format: 'bare',
        size: 21430272,
      },
      { id: BIG_IMAGE, name: 'big', min_ram: 4096, min_disk: 30 },
      { id: 'queued-image', name: 'queued', status: 'queued' },
    ],
    nodes: names.map((host, i) => ({
      host,
      memory_mb: 8704,
      local_gb: 100,
      vcpus: 4,
      host_ip: `10.0.0.${i + 1}`,
      hypervisor_type: 'QEMU',
      hypervisor_version: 6002000,
      supported_instances: [['x86_64', 'kvm', 'hvm']],
    })),
    aggregates: [
      { id: 1, name: 'a', availability_zone: 'az1', hosts: names.slice(0, half) },
      { id: 2, name: 'b', availability_zone: 'az2', hosts: names.slice(half) },
    ],
    instances: options.instances ?? [],
  };
}

export function testCloud(options: { hosts?: number; instances?: unknown[] } = {}): CloudSnapshot {
  return parseCloud(testCloudDocument(options), { source: 'test cloud' });
}
