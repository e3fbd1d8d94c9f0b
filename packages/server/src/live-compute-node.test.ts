import { makeComputeNode, makeInstance } from '@opie/testing';
import { describe, expect, it } from 'vitest';
import { baseUsageOf, liveComputeNode } from './live-compute-node.js';
import type { NodeRow } from './live-compute-node.js';

const record = makeComputeNode({
  host: 'h',
  hypervisorHostname: 'h',
  memoryMb: 8704,
  freeRamMb: 8704 - 512 - 2048,
  localGb: 100,
  localGbUsed: 20,
  freeDiskGb: 80,
  vcpus: 4,
  vcpusUsed: 1,
  stats: { num_instances: '1', custom_counter: '7' },
  updatedAt: 1000,
});
const a = makeInstance({ uuid: 'a', host: 'h', node: 'h', memoryMb: 2048, rootGb: 20, vcpus: 1 });
const b = makeInstance({ uuid: 'b', host: 'h', node: 'h', memoryMb: 1024, rootGb: 10, vcpus: 2 });

describe('baseUsageOf', () => {
  it('is the usage no instance explains (the reserved memory)', () => {
    expect(baseUsageOf(record, [a])).toEqual({ memoryMbUsed: 512, localGbUsed: 0, vcpusUsed: 0 });
  });
  it('does not count deleted or offloaded instances', () => {
    const gone = makeInstance({ memoryMb: 4096, vmState: 'deleted' });
    expect(baseUsageOf(record, [a, gone]).memoryMbUsed).toBe(512);
  });
});

describe('liveComputeNode', () => {
  const row: NodeRow = {
    host: 'h',
    node: 'h',
    position: 0,
    record,
    base: baseUsageOf(record, [a]),
    generation: 1,
  };

  it('derives usage from the live instances like the resource tracker', () => {
    const live = liveComputeNode(row, [a, b]);
    expect(live).toMatchObject({
      freeRamMb: 8704 - 512 - 3072,
      localGbUsed: 30,
      freeDiskGb: 70,
      vcpusUsed: 3,
    });
    expect(live.stats).toMatchObject({
      num_instances: '2',
      custom_counter: '7',
      num_vm_active: '2',
    });
  });
  it('has no updatedAt, so it replaces the host manager claims on the node', () => {
    expect(liveComputeNode(row, [a]).updatedAt).toBeUndefined();
    expect(liveComputeNode(row, [a])).toMatchObject({ freeRamMb: record.freeRamMb });
  });
  it('moves disk_available_least by the change in used disk', () => {
    const withLeast = { ...row, record: { ...record, diskAvailableLeast: 60 } };
    expect(liveComputeNode(withLeast, [a, b]).diskAvailableLeast).toBe(50);
    expect(liveComputeNode(withLeast, []).diskAvailableLeast).toBe(80);
  });
});
