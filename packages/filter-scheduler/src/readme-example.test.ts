import { describe, expect, it } from 'vitest';
// The README's "Use it alone" example, kept here so it always compiles and runs.
import type { ComputeNode, Instance, RequestSpec } from '@opie/core';
import { createRuntime, NoValidHostError, RecordingComputePort } from '@opie/core';
import { HostManager, InMemoryHostSource } from '@opie/host-manager';
import { createRamWeigher } from '@opie/weighers';
import {
  createComputeFilter,
  createCoreFilter,
  createRamFilter,
  FilterScheduler,
} from '@opie/filter-scheduler';

async function readmeExample() {
  const now = Date.UTC(2026, 0, 1, 12, 0, 0);
  const node = (host: string): ComputeNode => ({
    host,
    hypervisorHostname: host,
    memoryMb: 8192,
    freeRamMb: 2048, // 6 GB used on each
    localGb: 100,
    localGbUsed: 20,
    freeDiskGb: 80,
    vcpus: 4,
    vcpusUsed: 3,
    ramAllocationRatio: 1,
    cpuAllocationRatio: 1,
    updatedAt: now,
  });
  // c2's 6 GB include a 4 GB preemptible instance.
  const batch: Instance = {
    uuid: 'batch-1',
    host: 'c2',
    node: 'c2',
    memoryMb: 4096,
    vcpus: 2,
    rootGb: 10,
    ephemeralGb: 0,
    systemMetadata: { preemptible: 'True' },
    createdAt: now - 600_000,
  };
  const source = new InMemoryHostSource({
    nodes: [node('c1'), node('c2')],
    services: ['c1', 'c2'].map((host) => ({ host, disabled: false, lastSeenUp: now })),
    instances: [batch],
  });

  const compute = new RecordingComputePort(); // records terminations instead of doing them
  const scheduler = new FilterScheduler({
    hostManager: new HostManager({ source }),
    filters: [createComputeFilter({ serviceDownTime: 60 }), createRamFilter(), createCoreFilter()],
    weighers: [createRamWeigher({ multiplier: 1 })],
    runtime: createRuntime({ now: () => now }),
    compute,
    preemption: true, // opie; `false` is nova's FilterScheduler
    explain: true,
  });

  const spec: RequestSpec = {
    flavor: {
      id: '3',
      name: 'm1.medium',
      memoryMb: 4096,
      vcpus: 2,
      rootGb: 40,
      ephemeralGb: 0,
      swap: 0,
      extraSpecs: {},
    },
    image: { properties: {} },
    schedulerHints: {},
    numInstances: 1,
  };
  const result = await scheduler.selectDestinations(spec);
  // result.destinations: [{ host: 'c2', nodename: 'c2', limits: { memoryMb: 8192, vcpu: 4 } }]
  // result.preemptions[0].victim.uuid: 'batch-1'; compute.orders[0].uuid: 'batch-1'
  // result.explanation[0].hosts[0].filteredBy: 'RamFilter' (c1 has only 2 GB free)
  return { result, compute, spec, source, now };
}

describe('README example', () => {
  it('places the request on c2 and preempts batch-1', async () => {
    const { result, compute } = await readmeExample();
    expect(result.destinations).toEqual([
      { host: 'c2', nodename: 'c2', limits: { memoryMb: 8192, vcpu: 4 } },
    ]);
    expect(result.preemptions.map((p) => p.victim.uuid)).toEqual(['batch-1']);
    expect(compute.orders.map((o) => [o.uuid, o.host, o.action])).toEqual([
      ['batch-1', 'c2', 'delete'],
    ]);
    expect(result.explanation[0]?.hosts.map((h) => [h.host, h.filteredBy])).toEqual([
      ['c1', 'RamFilter'],
      ['c2', null],
    ]);
  });

  it("fails with NoValidHost under nova's FilterScheduler (no preemption)", async () => {
    const { source, spec } = await readmeExample();
    // RecordingComputePort only records: the source still lists batch-1 on c2.
    const nova = new FilterScheduler({
      hostManager: new HostManager({ source }),
      filters: [createRamFilter()],
      weighers: [],
      preemption: false,
    });
    const err = await nova.selectDestinations(spec).catch((e: unknown) => e);
    expect(NoValidHostError.isInstance(err)).toBe(true);
    expect((err as Error).message).toContain('no host passed RamFilter');
  });
});
