import { makeAggregate, makeHost, makeInstance } from '@opie/testing';
import { describe, expect, it } from 'vitest';
import {
  isNovaFloatAttribute,
  novaHostAttribute,
  novaHostAttributeNames,
} from './host-attributes.js';

describe('novaHostAttribute', () => {
  const instance = makeInstance({ uuid: 'u1' });
  const host = makeHost({
    host: 'h1',
    nodename: 'n1',
    freeRamMb: 100,
    freeDiskMb: 200,
    totalUsableRamMb: 300,
    totalUsableDiskGb: 400,
    diskMbUsed: 500,
    vcpusTotal: 8,
    vcpusUsed: 2,
    numIoOps: 3,
    hostIp: '10.0.0.1',
    hypervisorType: 'QEMU',
    hypervisorVersion: 2005000,
    hypervisorHostname: 'n1.example',
    cpuInfo: '{"vendor": "Intel"}',
    supportedInstances: [['x86_64', 'kvm', 'hvm']],
    stats: { io_workload: '3' },
    metrics: [{ name: 'cpu.frequency', value: 1000 }],
    aggregates: [makeAggregate()],
    service: { host: 'h1', disabled: true, disabledReason: 'maint', forcedDown: false },
    ramAllocationRatio: 1.5,
    cpuAllocationRatio: 16,
    limits: { memoryMb: 450, vcpu: 128 },
    updated: 1234,
    instances: [instance],
  });

  it('maps every nova HostState attribute name to our field', () => {
    expect(novaHostAttribute(host, 'host')).toBe('h1');
    expect(novaHostAttribute(host, 'nodename')).toBe('n1');
    expect(novaHostAttribute(host, 'free_ram_mb')).toBe(100);
    expect(novaHostAttribute(host, 'free_disk_mb')).toBe(200);
    expect(novaHostAttribute(host, 'total_usable_ram_mb')).toBe(300);
    expect(novaHostAttribute(host, 'total_usable_disk_gb')).toBe(400);
    expect(novaHostAttribute(host, 'disk_mb_used')).toBe(500);
    expect(novaHostAttribute(host, 'vcpus_total')).toBe(8);
    expect(novaHostAttribute(host, 'vcpus_used')).toBe(2);
    expect(novaHostAttribute(host, 'num_instances')).toBe(1);
    expect(novaHostAttribute(host, 'num_io_ops')).toBe(3);
    expect(novaHostAttribute(host, 'host_ip')).toBe('10.0.0.1');
    expect(novaHostAttribute(host, 'hypervisor_type')).toBe('QEMU');
    expect(novaHostAttribute(host, 'hypervisor_version')).toBe(2005000);
    expect(novaHostAttribute(host, 'hypervisor_hostname')).toBe('n1.example');
    expect(novaHostAttribute(host, 'cpu_info')).toBe('{"vendor": "Intel"}');
    expect(novaHostAttribute(host, 'supported_instances')).toEqual([['x86_64', 'kvm', 'hvm']]);
    expect(novaHostAttribute(host, 'stats')).toEqual({ io_workload: '3' });
    expect(novaHostAttribute(host, 'metrics')).toEqual([{ name: 'cpu.frequency', value: 1000 }]);
    expect(novaHostAttribute(host, 'aggregates')).toBe(host.aggregates);
    expect(novaHostAttribute(host, 'ram_allocation_ratio')).toBe(1.5);
    expect(novaHostAttribute(host, 'cpu_allocation_ratio')).toBe(16);
    expect(novaHostAttribute(host, 'updated')).toBe(1234);
    expect(novaHostAttribute(host, 'instances')).toEqual({ u1: instance });
  });

  it('gives dict attributes nova snake_case keys', () => {
    expect(novaHostAttribute(host, 'service')).toEqual({
      host: 'h1',
      disabled: true,
      disabled_reason: 'maint',
      forced_down: false,
    });
    expect(novaHostAttribute(host, 'service')).toBe(novaHostAttribute(host, 'service'));
    expect(novaHostAttribute(host, 'limits')).toEqual({ memory_mb: 450, vcpu: 128 });
    const full = makeHost({
      service: {
        host: 'h',
        disabled: false,
        binary: 'nova-compute',
        lastSeenUp: 1,
        updatedAt: 2,
        createdAt: 3,
      },
      limits: { diskGb: 5, numaTopology: { x: 1 } },
    });
    expect(novaHostAttribute(full, 'service')).toEqual({
      host: 'h',
      disabled: false,
      binary: 'nova-compute',
      last_seen_up: 1,
      updated_at: 2,
      created_at: 3,
    });
    expect(novaHostAttribute(full, 'limits')).toEqual({ disk_gb: 5, numa_topology: { x: 1 } });
  });

  it('gives undefined for None values and unknown names', () => {
    const bare = makeHost({ service: undefined });
    expect(novaHostAttribute(bare, 'service')).toBeUndefined();
    expect(novaHostAttribute(bare, 'host_ip')).toBeUndefined();
    expect(novaHostAttribute(bare, 'hypervisor_version')).toBeUndefined();
    expect(novaHostAttribute(bare, 'disk_allocation_ratio')).toBeUndefined();
    expect(novaHostAttribute(bare, 'freeRamMb')).toBeUndefined();
    expect(novaHostAttribute(bare, 'constructor')).toBeUndefined();
  });

  it('lists its names and knows the float ones', () => {
    expect(novaHostAttributeNames).toHaveLength(26);
    expect(novaHostAttributeNames).toContain('free_ram_mb');
    expect(isNovaFloatAttribute('cpu_allocation_ratio')).toBe(true);
    expect(isNovaFloatAttribute('free_ram_mb')).toBe(false);
  });
});
