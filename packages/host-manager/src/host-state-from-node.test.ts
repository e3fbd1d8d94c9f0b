import { InvalidArgumentError } from '@opie/core';
import { makeComputeNode, makeInstance, makeService } from '@opie/testing';
import { describe, expect, it } from 'vitest';
import { hostStateFromNode } from './host-state-from-node.js';

const preemptible = (overrides: Parameters<typeof makeInstance>[0] = {}) =>
  makeInstance({ systemMetadata: { preemptible: 'True' }, ...overrides });

describe('hostStateFromNode: full view (nova/scheduler/host_manager.py)', () => {
  it('test_stat_consumption_from_compute_node (nova): copies the record fields', () => {
    const node = makeComputeNode({
      host: 'h1',
      hypervisorHostname: 'n1',
      memoryMb: 8192,
      freeRamMb: 2048,
      localGb: 200,
      localGbUsed: 150,
      freeDiskGb: 50,
      vcpus: 16,
      vcpusUsed: 6,
      stats: { num_instances: '5', io_workload: '2', num_proj_12345: '3' },
      hostIp: '10.0.0.1',
      hypervisorType: 'QEMU',
      hypervisorVersion: 2001000,
      cpuInfo: '{"arch":"x86_64"}',
      supportedInstances: [['x86_64', 'kvm', 'hvm']],
      metrics: [{ name: 'cpu.percent', value: 12 }],
      updatedAt: 1000,
    });
    const h = hostStateFromNode(node);
    expect(h.host).toBe('h1');
    expect(h.nodename).toBe('n1');
    expect(h.view).toBe('full');
    expect(h.totalUsableRamMb).toBe(8192);
    expect(h.freeRamMb).toBe(2048);
    expect(h.totalUsableDiskGb).toBe(200);
    expect(h.freeDiskMb).toBe(50 * 1024);
    expect(h.diskMbUsed).toBe(150 * 1024);
    expect(h.vcpusTotal).toBe(16);
    expect(h.vcpusUsed).toBe(6);
    expect(h.numInstances).toBe(5);
    expect(h.numIoOps).toBe(2);
    expect(h.hostIp).toBe('10.0.0.1');
    expect(h.hypervisorType).toBe('QEMU');
    expect(h.hypervisorVersion).toBe(2001000);
    expect(h.hypervisorHostname).toBe('n1');
    expect(h.cpuInfo).toBe('{"arch":"x86_64"}');
    expect(h.supportedInstances).toEqual([['x86_64', 'kvm', 'hvm']]);
    expect(h.stats['num_proj_12345']).toBe('3');
    expect(h.updated).toBe(1000);
    expect(h.limits).toEqual({});
  });

  it('takes metrics as given (the cloud file states percent metrics as percent)', () => {
    const h = hostStateFromNode(
      makeComputeNode({ metrics: [{ name: 'cpu.user.percent', value: 12, source: 'libvirt' }] }),
    );
    expect(h.metrics).toEqual([{ name: 'cpu.user.percent', value: 12, source: 'libvirt' }]);
  });

  it('uses min(free_disk_gb, disk_available_least) for free disk', () => {
    expect(
      hostStateFromNode(makeComputeNode({ freeDiskGb: 50, diskAvailableLeast: 30 })).freeDiskMb,
    ).toBe(30 * 1024);
    expect(
      hostStateFromNode(makeComputeNode({ freeDiskGb: 50, diskAvailableLeast: 80 })).freeDiskMb,
    ).toBe(50 * 1024);
    expect(
      hostStateFromNode(makeComputeNode({ freeDiskGb: 50, diskAvailableLeast: null })).freeDiskMb,
    ).toBe(50 * 1024);
  });

  it('keeps a disk_available_least below zero (nova does not clamp)', () => {
    const h = hostStateFromNode(makeComputeNode({ freeDiskGb: 10, diskAvailableLeast: -2 }));
    expect(h.freeDiskMb).toBe(-2048);
  });

  it('test_resources_consumption_from_compute_node (nova): keeps negative free RAM', () => {
    const h = hostStateFromNode(makeComputeNode({ memoryMb: 1024, freeRamMb: -512 }));
    expect(h.freeRamMb).toBe(-512);
    expect(h.totalUsableRamMb).toBe(1024);
  });

  it('counts stats num_instances and io_workload with Python int()', () => {
    const h = hostStateFromNode(
      makeComputeNode({ stats: { num_instances: ' 7 ', io_workload: '3' } }),
    );
    expect(h.numInstances).toBe(7);
    expect(h.numIoOps).toBe(3);
  });

  it('reads unparsable counters as 0', () => {
    const h = hostStateFromNode(
      makeComputeNode({ stats: { num_instances: '2.0', io_workload: 'x' } }),
    );
    expect(h.numInstances).toBe(0);
    expect(h.numIoOps).toBe(0);
  });

  it('without a num_instances stat, counts the instances the host reports; io ops default to 0', () => {
    const h = hostStateFromNode(makeComputeNode({ stats: {} }), {
      instances: [makeInstance(), makeInstance(), makeInstance()],
    });
    expect(h.numInstances).toBe(3);
    expect(h.numIoOps).toBe(0);
  });

  it('lists instances by uuid in reported order', () => {
    const a = makeInstance({ uuid: 'b' });
    const b = makeInstance({ uuid: 'a' });
    const h = hostStateFromNode(makeComputeNode(), { instances: [a, b] });
    expect([...h.instances.keys()]).toEqual(['b', 'a']);
  });

  it('resolves ratios: node, then configured, then 16.0 / 1.5; disk from conf', () => {
    const h = hostStateFromNode(
      makeComputeNode({ cpuAllocationRatio: 0, ramAllocationRatio: 1.2 }),
      {
        configured: { cpuAllocationRatio: 4, diskAllocationRatio: 1.5 },
      },
    );
    expect(h.cpuAllocationRatio).toBe(4);
    expect(h.ramAllocationRatio).toBe(1.2);
    expect(h.diskAllocationRatio).toBe(1.5);
    const d = hostStateFromNode(makeComputeNode());
    expect([d.cpuAllocationRatio, d.ramAllocationRatio, d.diskAllocationRatio]).toEqual([
      16, 1.5, 1,
    ]);
  });

  it('sets service and aggregates when given', () => {
    const service = makeService({ host: 'host1' });
    const agg = { id: 1, name: 'a', hosts: ['host1'], metadata: {} };
    const h = hostStateFromNode(makeComputeNode(), { service, aggregates: [agg] });
    expect(h.service).toBe(service);
    expect(h.aggregates).toEqual([agg]);
  });

  it('counts preemptible instances as used in the full view', () => {
    const node = makeComputeNode({ freeRamMb: 1000, vcpusUsed: 4, stats: { num_instances: '1' } });
    const h = hostStateFromNode(node, { instances: [preemptible({ memoryMb: 500, vcpus: 2 })] });
    expect(h.freeRamMb).toBe(1000);
    expect(h.vcpusUsed).toBe(4);
    expect(h.numInstances).toBe(1);
  });
});

describe('hostStateFromNode: free view (opie/scheduler/host_manager.py HostStatePartial)', () => {
  const node = makeComputeNode({
    memoryMb: 4096,
    freeRamMb: 1024,
    localGb: 100,
    localGbUsed: 60,
    freeDiskGb: 40,
    vcpus: 8,
    vcpusUsed: 6,
    stats: { num_instances: '3', io_workload: '2' },
  });
  const normal = makeInstance({ uuid: 'normal', memoryMb: 1024, vcpus: 2, rootGb: 20 });
  const spot = preemptible({
    uuid: 'spot',
    memoryMb: 2048,
    vcpus: 3,
    rootGb: 10,
    ephemeralGb: 5,
    swap: 512,
  });

  it('test_stat_unconsumption_from_instance_list (opie): frees preemptible usage, not normal usage', () => {
    const h = hostStateFromNode(node, { view: 'free', instances: [normal, spot] });
    expect(h.view).toBe('free');
    expect(h.freeRamMb).toBe(1024 + 2048);
    expect(h.freeDiskMb).toBe((40 + 15) * 1024);
    expect(h.vcpusUsed).toBe(6 - 3);
    expect(h.numInstances).toBe(3 - 1);
    expect([...h.instances.keys()]).toEqual(['normal', 'spot']);
  });

  it('test_stat_unconsumption_from_instance (opie): io ops, swap and disk_mb_used are not reverted', () => {
    const h = hostStateFromNode(node, { view: 'free', instances: [spot] });
    expect(h.numIoOps).toBe(2);
    expect(h.diskMbUsed).toBe(60 * 1024);
    expect(h.freeDiskMb).toBe((40 + 15) * 1024); // swap (512 MB) is not given back
  });

  it('does not free a normal instance', () => {
    const h = hostStateFromNode(node, { view: 'free', instances: [normal] });
    expect(h.freeRamMb).toBe(1024);
    expect(h.vcpusUsed).toBe(6);
    expect(h.numInstances).toBe(3);
  });

  it('reads the "false" mark as not preemptible (opie bug 13 fixed)', () => {
    const h = hostStateFromNode(node, {
      view: 'free',
      instances: [makeInstance({ memoryMb: 100, systemMetadata: { preemptible: 'false' } })],
    });
    expect(h.freeRamMb).toBe(1024);
  });
});

describe('hostStateFromNode checks the record at the door', () => {
  it.each([
    ['freeRamMb', Number.NaN, 'a finite number'],
    ['memoryMb', -1, 'a finite number >= 0'],
    ['vcpus', Number.POSITIVE_INFINITY, 'a finite number >= 0'],
    ['localGbUsed', '20', 'a finite number'],
    ['ramAllocationRatio', Number.NaN, 'a finite number >= 0, or absent'],
    ['host', '', 'a non-empty string'],
  ] as const)('node.%s = %s is refused', (key, value, expected) => {
    const node = { ...makeComputeNode(), [key]: value };
    let error: unknown;
    try {
      hostStateFromNode(node);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect((error as InvalidArgumentError).parameter).toBe(`node.${key}`);
    expect((error as Error).message).toContain(expected);
  });

  it('an overcommitted record (negative free RAM) is accepted as reported', () => {
    const state = hostStateFromNode(makeComputeNode({ memoryMb: 4096, freeRamMb: -512 }));
    expect(state.freeRamMb).toBe(-512);
  });
});
