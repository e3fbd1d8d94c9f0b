import { describe, expect, it } from 'vitest';
// The README's "Preemption planning" example (continuing "Use it alone"), kept here so it runs.
import type { ComputeNode, Instance, RequestSpec } from '@opie/core';
import { createRuntime } from '@opie/core';
import { HostManager, InMemoryHostSource } from '@opie/host-manager';
import {
  createBillingRemainderVictimWeigher,
  createRamWeigher,
  createVictimCountWeigher,
} from '@opie/weighers';
import {
  costAwareVictimSelector,
  createCoreFilter,
  createRamFilter,
  FilterScheduler,
  planVictims,
} from '@opie/filter-scheduler';

// --- from "Use it alone"
const now = Date.UTC(2026, 0, 1, 12, 0, 0);
const node = (host: string): ComputeNode => ({
  host,
  hypervisorHostname: host,
  memoryMb: 8192,
  freeRamMb: 2048,
  localGb: 100,
  localGbUsed: 20,
  freeDiskGb: 80,
  vcpus: 4,
  vcpusUsed: 3,
  ramAllocationRatio: 1,
  cpuAllocationRatio: 1,
  updatedAt: now,
});
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

// --- the "Preemption planning" example
function readmeExample() {
  const weighers = [createVictimCountWeigher(), createBillingRemainderVictimWeigher()];
  const manager = new HostManager({ source });
  manager.getHostStates('full', now);
  manager.consumeFromRequest('c2', 'c2', spec, now); // the 4 GB instance, placed
  const c2 = manager.hostStateFor('c2', 'c2', 'full')!;
  const plan = planVictims({
    host: c2,
    limits: { memoryMb: 8192, vcpu: 4 },
    candidates: [...c2.instances.values()], // normal instances are ignored
    weighers,
    now,
    limitsExtra: { maxInstances: 50 },
  });

  // In the scheduler, instead of opie's last-first choice:
  const costAware = new FilterScheduler({
    hostManager: new HostManager({ source }),
    filters: [createRamFilter(), createCoreFilter()],
    weighers: [createRamWeigher({ multiplier: 1 })],
    runtime: createRuntime({ now: () => now }),
    victimSelector: costAwareVictimSelector(weighers, { now: () => now }),
  });
  return { plan, costAware };
}

describe('README preemption planning example', () => {
  it('plans batch-1 on c2 at cost 900, exactly', () => {
    const { plan } = readmeExample();
    expect(plan?.victims.map((v) => v.uuid)).toEqual(['batch-1']);
    expect(plan?.cost).toBe(900);
    expect(plan?.need).toMatchObject({ memoryMb: 2048, vcpus: 1 });
    expect(plan?.exact).toBe(true);
  });

  it('the scheduler with the cost-aware selector preempts batch-1 for the request', async () => {
    const { costAware } = readmeExample();
    const result = await costAware.selectDestinations(spec);
    expect(result.destinations.map((d) => d.host)).toEqual(['c2']);
    expect(result.preemptions.map((p) => p.victim.uuid)).toEqual(['batch-1']);
  });
});
