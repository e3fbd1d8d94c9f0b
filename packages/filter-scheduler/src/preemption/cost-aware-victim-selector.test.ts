import { describe, expect, it } from 'vitest';
import type { ComputeNode, Instance } from '@opie/core';
import { createRuntime, seededRandom } from '@opie/core';
import { HostManager, InMemoryHostSource } from '@opie/host-manager';
import { makeComputeNode, makeFlavor, makeService, makeSpec } from '@opie/testing';
import {
  createBillingRemainderVictimWeigher,
  createRamWeigher,
  createVictimCountWeigher,
} from '@opie/weighers';
import {
  createCoreFilter,
  createDiskFilter,
  createRamFilter,
} from '../filters/resource-filters.js';
import { FilterScheduler } from '../scheduler/filter-scheduler.js';
import type { VictimSelector } from '../scheduler/victims.js';
import { costAwareVictimSelector } from './cost-aware-victim-selector.js';
import type { CostAwareVictimChoice } from './cost-aware-victim-selector.js';
import { hostWith, LIMITS, MINUTE, normal, NOW, preemptible } from './__fixtures__/victim-host.js';

const NOTHING = { memoryMb: 0, diskGb: 0, vcpus: 0 };
const billing = createBillingRemainderVictimWeigher();
const count = createVictimCountWeigher();

describe('costAwareVictimSelector', () => {
  // need 400 MB; 'late' is 50 min into its hour, 'fresh' 5 min, 'mid' 20 min.
  const instances = [
    normal('n1', { memoryMb: 700 }),
    preemptible('late', { memoryMb: 512, createdAt: NOW - 50 * MINUTE }),
    preemptible('fresh', { memoryMb: 512, createdAt: NOW - 5 * MINUTE }),
    preemptible('mid', { memoryMb: 512, createdAt: NOW - 20 * MINUTE }),
  ];
  const host = hostWith(instances, { memoryMb: 1424 - 2236 });

  it('is a VictimSelector that takes the cheapest sufficient set, with its plan', () => {
    const selector: VictimSelector = costAwareVictimSelector([count, billing], { now: () => NOW });
    const choice = selector({
      host,
      limits: LIMITS,
      alreadyChosen: new Set(),
      alreadyFreed: NOTHING,
    }) as CostAwareVictimChoice | null;
    expect(choice?.victims.map((v) => v.uuid)).toEqual(['fresh']);
    expect(choice?.overcommit).toEqual([{ resource: 'memory_mb', used: 1424, limit: 1024 }]);
    expect(choice?.plan.exact).toBe(true);
    expect(choice?.plan.cost).toBe(300 + 300);
  });

  it("prefers the query's now over the option's clock", () => {
    let reads = 0;
    const selector = costAwareVictimSelector([billing], {
      now: () => {
        reads += 1;
        return NOW;
      },
    });
    const query = { host, limits: LIMITS, alreadyChosen: new Set<string>(), alreadyFreed: NOTHING };
    // 30 minutes later, 'late' is 20 min into its next hour, 'fresh' 35, 'mid' 50.
    const later = selector({ ...query, now: NOW + 30 * MINUTE } as Parameters<VictimSelector>[0]);
    expect(later?.victims.map((v) => v.uuid)).toEqual(['late']);
    expect(reads).toBe(0);
    expect(selector(query)?.victims.map((v) => v.uuid)).toEqual(['fresh']);
    expect(reads).toBe(1);
  });

  it('never takes an already chosen victim again, and counts what it freed (opie bug 3)', () => {
    const selector = costAwareVictimSelector([count, billing], { now: () => NOW });
    const chosen = selector({
      host,
      limits: LIMITS,
      alreadyChosen: new Set(['fresh']),
      alreadyFreed: { memoryMb: 100, diskGb: 0, vcpus: 0 },
    });
    expect(chosen?.victims.map((v) => v.uuid)).toEqual(['mid']);
    const done = selector({
      host,
      limits: LIMITS,
      alreadyChosen: new Set(['fresh']),
      alreadyFreed: { memoryMb: 512, diskGb: 1, vcpus: 1 },
    });
    expect(done).toEqual({
      victims: [],
      overcommit: [],
      plan: expect.objectContaining({ victims: [], exact: true }) as unknown,
    });
  });

  it('counts already chosen victims as freed instance slots', () => {
    const small = [
      normal('a', { memoryMb: 10 }),
      preemptible('p1', { memoryMb: 10 }),
      preemptible('p2', { memoryMb: 10 }),
    ];
    const h = hostWith(small);
    const selector = costAwareVictimSelector([count], {
      now: () => NOW,
      limitsExtra: { maxInstances: 2 },
    });
    const query = { host: h, limits: LIMITS, alreadyFreed: NOTHING };
    expect(selector({ ...query, alreadyChosen: new Set() })?.victims).toHaveLength(1);
    expect(selector({ ...query, alreadyChosen: new Set(['p1']) })?.victims).toEqual([]);
    expect(selector({ ...query, alreadyChosen: new Set(['p1', 'p2']) })?.victims).toEqual([]);
  });

  it('returns null when the preemptible instances cannot free enough', () => {
    const selector = costAwareVictimSelector([count], { now: () => NOW });
    const h = hostWith([normal('n1', { memoryMb: 1500 }), preemptible('p1', { memoryMb: 100 })]);
    expect(
      selector({ host: h, limits: LIMITS, alreadyChosen: new Set(), alreadyFreed: NOTHING }),
    ).toBeNull();
  });

  it('drops into FilterScheduler as its victimSelector (one-line switch)', async () => {
    const inst: Instance[] = [
      preemptible('p-late', { memoryMb: 1024, rootGb: 10, createdAt: NOW - 55 * MINUTE }),
      preemptible('p-fresh', { memoryMb: 1024, rootGb: 10, createdAt: NOW - 2 * MINUTE }),
      normal('n1', { memoryMb: 1024, rootGb: 10 }),
    ];
    const node: ComputeNode = makeComputeNode({
      host: 'a',
      hypervisorHostname: 'a',
      memoryMb: 3072,
      freeRamMb: 0,
      localGb: 100,
      localGbUsed: 30,
      freeDiskGb: 70,
      vcpus: 8,
      vcpusUsed: 3,
      stats: { num_instances: '3' },
      ramAllocationRatio: 1,
      cpuAllocationRatio: 1,
      diskAllocationRatio: 1,
      updatedAt: NOW - 60_000,
    });
    const source = new InMemoryHostSource({
      nodes: [node],
      services: [makeService({ host: 'a', lastSeenUp: NOW })],
      instances: inst.map((i) => ({ ...i, host: 'a', node: 'a' })),
    });
    const runtime = createRuntime({ now: () => NOW, random: seededRandom(1) });
    const s = new FilterScheduler({
      hostManager: new HostManager({ source }),
      filters: [createRamFilter(), createCoreFilter(), createDiskFilter()],
      weighers: [createRamWeigher()],
      runtime,
      victimSelector: costAwareVictimSelector([count, billing], { now: () => runtime.now() }),
    });
    const result = await s.selectDestinations(
      makeSpec({ flavor: makeFlavor({ memoryMb: 1024, vcpus: 1, rootGb: 10 }) }),
    );
    expect(result.destinations.map((d) => d.host)).toEqual(['a']);
    expect(result.preemptions.map((p) => p.victim.uuid)).toEqual(['p-fresh']);
  });
});
