import { describe, expect, it } from 'vitest';
import { makeComputeNode, makeInstance } from '@opie/testing';
import { holdsResources, recordWith } from './node-record.js';

describe('recordWith', () => {
  const node = makeComputeNode({
    memoryMb: 8192,
    freeRamMb: 7680,
    localGb: 100,
    localGbUsed: 0,
    freeDiskGb: 100,
    diskAvailableLeast: 90,
    vcpus: 4,
    vcpusUsed: 0,
    stats: { num_instances: '0', io_workload: '0' },
    updatedAt: 1,
  });
  const inst = makeInstance({
    memoryMb: 2048,
    vcpus: 2,
    rootGb: 20,
    ephemeralGb: 5,
    projectId: 'p1',
    vmState: 'active',
  });

  it('adds an instance: RAM, disk, least disk, vCPUs, stats, updatedAt (a new object)', () => {
    const after = recordWith(node, inst, 1, 50);
    expect(after).not.toBe(node);
    expect(after).toMatchObject({
      freeRamMb: 5632,
      localGbUsed: 25,
      freeDiskGb: 75,
      diskAvailableLeast: 65,
      vcpusUsed: 2,
      updatedAt: 50,
    });
    expect(after.stats).toEqual({
      num_instances: '1',
      io_workload: '0',
      num_vm_active: '1',
      num_task_None: '1',
      num_proj_p1: '1',
    });
    expect(node.freeRamMb).toBe(7680); // untouched
  });

  it('removing undoes adding (zero counters other than the two totals are dropped)', () => {
    const back = recordWith(recordWith(node, inst, 1, 50), inst, -1, 60);
    expect(back).toEqual({ ...node, updatedAt: 60 });
  });

  it('counts io_workload for building instances and leaves stats absent when absent', () => {
    const building = makeInstance({ vmState: 'building', memoryMb: 1 });
    expect(recordWith(node, building, 1, 2).stats?.['io_workload']).toBe('1');
    const { stats: _stats, ...bare } = node;
    expect(recordWith(bare, inst, 1, 2).stats).toBeUndefined();
  });

  it('moves nothing for instances that hold no resources (deleted, shelved_offloaded)', () => {
    const deleted = makeInstance({ vmState: 'deleted', memoryMb: 4096 });
    expect(holdsResources(deleted)).toBe(false);
    expect(holdsResources(inst)).toBe(true);
    expect(recordWith(node, deleted, 1, 9)).toEqual({ ...node, updatedAt: 9 });
  });
});
