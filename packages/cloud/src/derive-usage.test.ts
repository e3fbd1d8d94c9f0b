import { makeInstance } from '@opie/testing';
import { describe, expect, it } from 'vitest';
import { deriveNodeUsage } from './derive-usage.js';

const NODE = { memoryMb: 16384, localGb: 200 };
const NOVA_DEFAULTS = { reservedHostMemoryMb: 512, reservedHostDiskMb: 0 };

describe('deriveNodeUsage (resource tracker, nova/compute/resource_tracker.py)', () => {
  it('counts only the reservations on an empty node', () => {
    expect(deriveNodeUsage(NODE, [], NOVA_DEFAULTS)).toEqual({
      memoryMbUsed: 512,
      freeRamMb: 15872,
      localGbUsed: 0,
      freeDiskGb: 200,
      vcpusUsed: 0,
      stats: { num_instances: '0', io_workload: '0' },
    });
  });

  it('sums memory, root + ephemeral disk and vCPUs of every instance, preemptible or not', () => {
    const usage = deriveNodeUsage(
      NODE,
      [
        makeInstance({ memoryMb: 8192, vcpus: 4, rootGb: 80, ephemeralGb: 0, projectId: 'web' }),
        makeInstance({ memoryMb: 2048, vcpus: 1, rootGb: 20, ephemeralGb: 10, swap: 1024 }),
        makeInstance({ memoryMb: 2048, vcpus: 1, rootGb: 20, ephemeralGb: 0, preemptible: true }),
      ],
      NOVA_DEFAULTS,
    );
    // 512 + 8192 + 2048 + 2048 = 12800; 16384 - 12800 = 3584
    expect(usage.memoryMbUsed).toBe(12800);
    expect(usage.freeRamMb).toBe(3584);
    // 80 + (20 + 10) + 20 = 130 (swap is not counted); 200 - 130 = 70
    expect(usage.localGbUsed).toBe(130);
    expect(usage.freeDiskGb).toBe(70);
    expect(usage.vcpusUsed).toBe(6);
    expect(usage.stats).toEqual({
      num_instances: '3',
      io_workload: '0',
      num_vm_active: '3',
      num_task_None: '3',
      num_proj_web: '1',
    });
  });

  it('floors the reserved disk to whole GB and lets free RAM go negative', () => {
    const usage = deriveNodeUsage(
      { memoryMb: 1024, localGb: 10 },
      [makeInstance({ memoryMb: 2048, vcpus: 1, rootGb: 1, ephemeralGb: 0 })],
      { reservedHostMemoryMb: 0, reservedHostDiskMb: 2047 },
    );
    expect(usage.localGbUsed).toBe(1 + 1);
    expect(usage.freeDiskGb).toBe(8);
    expect(usage.freeRamMb).toBe(-1024);
  });

  it('counts building instances and I/O task states in io_workload', () => {
    const usage = deriveNodeUsage(
      NODE,
      [
        makeInstance({ vmState: 'building', taskState: 'spawning' }),
        makeInstance({ vmState: 'active', taskState: 'image_snapshot' }),
        makeInstance({ vmState: 'active', taskState: 'resize_migrating' }),
        makeInstance({ vmState: 'stopped', taskState: null }),
      ],
      NOVA_DEFAULTS,
    );
    expect(usage.stats).toMatchObject({
      num_instances: '4',
      io_workload: '3',
      num_vm_building: '1',
      num_vm_active: '2',
      num_vm_stopped: '1',
      num_task_spawning: '1',
      num_task_image_snapshot: '1',
      num_task_None: '1',
    });
  });

  it('skips deleted and shelved-offloaded instances', () => {
    const usage = deriveNodeUsage(
      NODE,
      [
        makeInstance({ memoryMb: 4096, vmState: 'deleted' }),
        makeInstance({ memoryMb: 4096, vmState: 'shelved_offloaded' }),
        makeInstance({ memoryMb: 1024, vcpus: 1, rootGb: 1 }),
      ],
      NOVA_DEFAULTS,
    );
    expect(usage.memoryMbUsed).toBe(512 + 1024);
    expect(usage.stats['num_instances']).toBe('1');
  });
});
