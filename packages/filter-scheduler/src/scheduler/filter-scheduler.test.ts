import { describe, expect, it } from 'vitest';
import type { ComputeNode, HostFilter, Instance, RequestSpec } from '@opie/core';
import {
  createRuntime,
  MemoryNotifier,
  NoValidHostError,
  RecordingComputePort,
  seededRandom,
} from '@opie/core';
import { HostManager, InMemoryHostSource } from '@opie/host-manager';
import { makeComputeNode, makeFlavor, makeInstance, makeService, makeSpec } from '@opie/testing';
import { createPreemptibleCountWeigher, createRamWeigher } from '@opie/weighers';
import {
  createCoreFilter,
  createDiskFilter,
  createRamFilter,
} from '../filters/resource-filters.js';
import { createServerGroupAntiAffinityFilter } from '../filters/resource-filters.js';
import { FilterScheduler, SchedulingFailure } from './filter-scheduler.js';
import type { FilterSchedulerOptions } from './filter-scheduler.js';

const NOW = Date.UTC(2026, 0, 1, 12, 0, 0);

interface HostSpec {
  name: string;
  memoryMb?: number;
  vcpus?: number;
  localGb?: number;
  instances?: Instance[];
}

/** A node whose usage is exactly its instances (no reservation), like a resource tracker would write. */
function node(spec: HostSpec): ComputeNode {
  const instances = spec.instances ?? [];
  const memoryMb = spec.memoryMb ?? 4096;
  const localGb = spec.localGb ?? 100;
  const usedMem = instances.reduce((s, i) => s + i.memoryMb, 0);
  const usedDisk = instances.reduce((s, i) => s + i.rootGb + i.ephemeralGb, 0);
  return makeComputeNode({
    host: spec.name,
    hypervisorHostname: spec.name,
    memoryMb,
    freeRamMb: memoryMb - usedMem,
    localGb,
    localGbUsed: usedDisk,
    freeDiskGb: localGb - usedDisk,
    vcpus: spec.vcpus ?? 8,
    vcpusUsed: instances.reduce((s, i) => s + i.vcpus, 0),
    stats: { num_instances: String(instances.length) },
    ramAllocationRatio: 1,
    cpuAllocationRatio: 1,
    diskAllocationRatio: 1,
    updatedAt: NOW - 60_000,
  });
}

function cloud(hosts: HostSpec[]): { source: InMemoryHostSource; manager: HostManager } {
  const source = new InMemoryHostSource({
    nodes: hosts.map(node),
    services: hosts.map((h) => makeService({ host: h.name, lastSeenUp: NOW })),
    instances: hosts.flatMap((h) =>
      (h.instances ?? []).map((i) => ({ ...i, host: h.name, node: h.name })),
    ),
  });
  return { source, manager: new HostManager({ source }) };
}

function preemptible(uuid: string, memoryMb: number, extra: Partial<Instance> = {}): Instance {
  return makeInstance({
    uuid,
    memoryMb,
    vcpus: 1,
    rootGb: 10,
    preemptible: true,
    systemMetadata: { preemptible: 'True' },
    createdAt: NOW - 30 * 60_000,
    ...extra,
  });
}

function normal(uuid: string, memoryMb: number, extra: Partial<Instance> = {}): Instance {
  return makeInstance({
    uuid,
    memoryMb,
    vcpus: 1,
    rootGb: 10,
    createdAt: NOW - 3_600_000,
    ...extra,
  });
}

const resourceFilters = (): HostFilter[] => [
  createRamFilter(),
  createCoreFilter(),
  createDiskFilter(),
];

function scheduler(
  manager: HostManager,
  extra: Partial<FilterSchedulerOptions> = {},
): { s: FilterScheduler; compute: RecordingComputePort; notifier: MemoryNotifier } {
  const compute = new RecordingComputePort();
  const notifier = new MemoryNotifier();
  const s = new FilterScheduler({
    hostManager: manager,
    filters: resourceFilters(),
    weighers: [createRamWeigher({ multiplier: 1 })],
    runtime: createRuntime({ now: () => NOW, random: seededRandom(1) }),
    compute,
    notifier,
    explain: true,
    ...extra,
  });
  return { s, compute, notifier };
}

const spec = (memoryMb: number, extra: Partial<RequestSpec> = {}): RequestSpec =>
  makeSpec({ flavor: makeFlavor({ memoryMb, vcpus: 1, rootGb: 10 }), ...extra });

describe('FilterScheduler, nova behaviour', () => {
  it('places on the host with most free RAM (RAMWeigher spreads)', async () => {
    const { manager } = cloud([
      { name: 'a', instances: [normal('n1', 3000)] },
      { name: 'b', instances: [normal('n2', 1000)] },
    ]);
    const { s } = scheduler(manager);
    const result = await s.selectDestinations(spec(512));
    expect(result.destinations).toEqual([
      { host: 'b', nodename: 'b', limits: { memoryMb: 4096, vcpu: 8, diskGb: 100 } },
    ]);
    expect(result.preemptions).toEqual([]);
  });

  it('consumes each placed instance before the next (test_schedule_consumes)', async () => {
    const { manager } = cloud([{ name: 'a' }, { name: 'b', memoryMb: 3000 }]);
    const { s } = scheduler(manager);
    const result = await s.selectDestinations(spec(1500, { numInstances: 3 }));
    // a (4096 free) → a (2596) ; b (3000) → b ; then a (2596) vs b (1500) → a
    expect(result.destinations.map((d) => d.host)).toEqual(['a', 'b', 'a']);
    expect(manager.hostStateFor('a', 'a', 'full')?.freeRamMb).toBe(4096 - 3000);
    expect(manager.hostStateFor('a', 'a', 'full')?.numIoOps).toBe(2);
  });

  it("raises NoValidHost with nova's reason and the filter that emptied the list", async () => {
    const { manager } = cloud([{ name: 'a', memoryMb: 1024 }]);
    const { s, notifier } = scheduler(manager);
    const err = await s.selectDestinations(spec(2048)).catch((e: unknown) => e);
    expect(NoValidHostError.isInstance(err)).toBe(true);
    expect((err as Error).message).toBe(
      'No valid host was found. There are not enough hosts available. Instance 1 of 1: no host passed RamFilter.',
    );
    expect(notifier.notifications.map((n) => n.eventType)).toEqual([
      'scheduler.select_destinations.start',
    ]);
  });

  it('emits start and end notifications with the request spec', async () => {
    const { manager } = cloud([{ name: 'a' }]);
    const { s, notifier } = scheduler(manager);
    const req = spec(512);
    await s.selectDestinations(req);
    expect(notifier.notifications.map((n) => [n.eventType, n.priority])).toEqual([
      ['scheduler.select_destinations.start', 'INFO'],
      ['scheduler.select_destinations.end', 'INFO'],
    ]);
    expect(notifier.notifications[1]?.payload).toEqual({ request_spec: req });
  });

  it('chooses at random among the best host_subset_size hosts with the injected source', async () => {
    const hosts = [{ name: 'a' }, { name: 'b', memoryMb: 3000 }, { name: 'c', memoryMb: 2000 }];
    const picks = new Set<string>();
    for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
      const { manager } = cloud(hosts);
      const { s } = scheduler(manager, {
        hostSubsetSize: 2,
        runtime: createRuntime({ now: () => NOW, random: seededRandom(seed) }),
      });
      picks.add((await s.selectDestinations(spec(512))).destinations[0]!.host);
    }
    expect([...picks].sort()).toEqual(['a', 'b']);
  });

  it('is reproducible: same seed, same choices', async () => {
    const run = async (): Promise<string[]> => {
      const { manager } = cloud([{ name: 'a' }, { name: 'b' }, { name: 'c' }]);
      const { s } = scheduler(manager, {
        hostSubsetSize: 3,
        runtime: createRuntime({ now: () => NOW, random: seededRandom(42) }),
      });
      const r = await s.selectDestinations(spec(256, { numInstances: 5 }));
      return r.destinations.map((d) => d.host);
    };
    expect(await run()).toEqual(await run());
  });

  it('grows the group hosts so anti-affinity spreads a multi-instance request', async () => {
    const { manager } = cloud([{ name: 'a' }, { name: 'b' }, { name: 'c' }]);
    const { s } = scheduler(manager, {
      filters: [...resourceFilters(), createServerGroupAntiAffinityFilter()],
    });
    const r = await s.selectDestinations(
      spec(256, { numInstances: 3, instanceGroup: { policies: ['anti-affinity'], hosts: [] } }),
    );
    expect(new Set(r.destinations.map((d) => d.host)).size).toBe(3);
  });

  it('skips every filter for forced hosts (force_hosts)', async () => {
    const { manager } = cloud([{ name: 'a', memoryMb: 256 }, { name: 'b' }]);
    const { s } = scheduler(manager);
    const r = await s.selectDestinations(spec(1024, { forceHosts: ['a'] }));
    expect(r.destinations[0]?.host).toBe('a');
  });

  it('nova driver counts preemptible instances as used and never preempts', async () => {
    const { manager } = cloud([{ name: 'a', instances: [preemptible('p1', 3500)] }]);
    const { s, compute } = scheduler(manager, { preemption: false });
    await expect(s.selectDestinations(spec(1024))).rejects.toThrow(NoValidHostError);
    expect(compute.orders).toEqual([]);
  });
});

describe('FilterScheduler, opie preemption', () => {
  it('filters a normal request on the free view and terminates enough victims', async () => {
    const { manager } = cloud([
      {
        name: 'a',
        instances: [normal('n1', 1024), preemptible('p1', 1024), preemptible('p2', 1024)],
      },
    ]);
    const { s, compute, notifier } = scheduler(manager);
    const r = await s.selectDestinations(spec(3000));
    expect(r.destinations.map((d) => d.host)).toEqual(['a']);
    // 1024 normal + 3000 new = 4024 of 4096: both 1024 MB preemptibles must go.
    expect(r.preemptions.map((p) => p.victim.uuid).sort()).toEqual(['p1', 'p2']);
    // The cost-aware planner lists victims in host order.
    expect(compute.orders.map((o) => [o.uuid, o.action])).toEqual([
      ['p1', 'delete'],
      ['p2', 'delete'],
    ]);
    // Views reflect the terminations at once.
    const full = manager.hostStateFor('a', 'a', 'full')!;
    expect(full.freeRamMb).toBe(4096 - 1024 - 3000);
    expect([...full.instances.keys()]).toEqual(['n1']);
    expect(
      notifier.notifications.filter((n) => n.eventType === 'scheduler.preemption'),
    ).toHaveLength(2);
  });

  it('does not preempt when the request fits next to the preemptibles', async () => {
    const { manager } = cloud([{ name: 'a', instances: [preemptible('p1', 1024)] }]);
    const { s, compute } = scheduler(manager);
    const r = await s.selectDestinations(spec(1024));
    expect(r.preemptions).toEqual([]);
    expect(compute.orders).toEqual([]);
  });

  it('a preemptible request uses the full view and never preempts', async () => {
    const { manager } = cloud([{ name: 'a', instances: [preemptible('p1', 3500)] }]);
    const { s, compute } = scheduler(manager);
    await expect(
      s.selectDestinations(spec(1024, { schedulerHints: { preemptible: 'true' } })),
    ).rejects.toThrow(NoValidHostError);
    expect(compute.orders).toEqual([]);
  });

  it('reads the hint "false" as a normal request (opie bug 12/13 fixed)', async () => {
    const { manager } = cloud([{ name: 'a', instances: [preemptible('p1', 3500)] }]);
    const { s } = scheduler(manager);
    const r = await s.selectDestinations(spec(1024, { schedulerHints: { preemptible: 'false' } }));
    expect(r.preemptible).toBe(false);
    expect(r.preemptions.map((p) => p.victim.uuid)).toEqual(['p1']);
  });

  it('carries the limits of the filtered (free) view to the destination (opie bug 7 fixed)', async () => {
    const { manager } = cloud([{ name: 'a', instances: [preemptible('p1', 3500)] }]);
    const { s } = scheduler(manager);
    const r = await s.selectDestinations(spec(1024));
    expect(r.destinations[0]?.limits).toEqual({ memoryMb: 4096, vcpu: 8, diskGb: 100 });
  });

  it('never chooses a victim twice when the same host takes two instances (opie bug 3 fixed)', async () => {
    const { manager } = cloud([
      {
        name: 'a',
        instances: [
          preemptible('p1', 1024),
          preemptible('p2', 1024),
          preemptible('p3', 1024),
          preemptible('p4', 1024),
        ],
      },
    ]);
    const { s, compute } = scheduler(manager);
    const r = await s.selectDestinations(spec(1500, { numInstances: 2 }));
    const victims = r.preemptions.map((p) => p.victim.uuid);
    expect(new Set(victims).size).toBe(victims.length);
    // 3000 MB placed on 4096: at most 1096 MB of preemptibles may stay, so three go.
    expect(victims).toHaveLength(3);
    expect(compute.orders).toHaveLength(3);
    expect(manager.hostStateFor('a', 'a', 'full')!.freeRamMb).toBe(4096 - 3000 - 1024);
  });

  it('a multi-instance request failing on its third instance terminates nothing and releases its claims', async () => {
    const { manager } = cloud([
      { name: 'a', instances: [preemptible('p1', 2048)] },
      { name: 'b', instances: [preemptible('p2', 2048)] },
    ]);
    const { s, compute } = scheduler(manager);
    manager.getHostStates('full', NOW);
    const before = manager.hostStateFor('a', 'a', 'full')!.freeRamMb;
    const err = await s
      .selectDestinations(spec(3000, { numInstances: 3 }))
      .catch((e: unknown) => e);
    expect(NoValidHostError.isInstance(err)).toBe(true);
    expect((err as Error).message).toContain('Instance 3 of 3');
    expect(compute.orders).toEqual([]);
    expect(manager.hostStateFor('a', 'a', 'full')!.freeRamMb).toBe(before);
    expect(manager.hostStateFor('a', 'a', 'full')!.instances.has('p1')).toBe(true);
  });

  it('explains every host: the filter that rejected it, or its weight terms and rank', async () => {
    const { manager } = cloud([
      { name: 'small', memoryMb: 512 },
      { name: 'a' },
      { name: 'b', memoryMb: 2048 },
    ]);
    const { s } = scheduler(manager);
    const r = await s.selectDestinations(spec(1024));
    const [inst] = r.explanation;
    expect(inst?.view).toBe('free');
    expect(inst?.chosen).toEqual({ host: 'a', nodename: 'a' });
    const byHost = new Map(inst!.hosts.map((h) => [h.host, h]));
    expect(byHost.get('small')?.filteredBy).toBe('RamFilter');
    expect(byHost.get('a')?.rank).toBe(0);
    expect(byHost.get('b')?.rank).toBe(1);
    expect(byHost.get('a')?.terms?.[0]).toMatchObject({
      raw: 4096,
      normalized: 1,
      multiplier: 1,
      weighted: 1,
    });
  });

  it('weighs normal requests on the full view so preemptible weighers see preemptibles', async () => {
    const { manager } = cloud([
      { name: 'a', instances: [preemptible('p1', 512), preemptible('p2', 512)] },
      { name: 'b', instances: [preemptible('p3', 512)] },
    ]);
    const { s } = scheduler(manager, {
      weighers: [createPreemptibleCountWeigher({ multiplier: 1000 })],
    });
    const r = await s.selectDestinations(spec(512));
    expect(r.destinations[0]?.host).toBe('b');
    expect(r.explanation[0]?.hosts.find((h) => h.host === 'a')?.terms?.[0]?.raw).toBe(-2);
  });
});

describe('SchedulingFailure: NoValidHost from plan() keeps the explanation', () => {
  it('carries every host verdict of the instance no host passed', () => {
    const { manager } = cloud([{ name: 'small', memoryMb: 1024 }, { name: 'big' }]);
    const { s } = scheduler(manager);
    const err = (() => {
      try {
        s.plan(spec(2048, { numInstances: 3 }));
      } catch (e) {
        return e;
      }
      throw new Error('expected plan() to throw');
    })();
    expect(err).toBeInstanceOf(SchedulingFailure);
    expect(err).toBeInstanceOf(NoValidHostError);
    expect(SchedulingFailure.isInstance(err)).toBe(true);
    const failure = err as SchedulingFailure;
    expect(failure.code).toBe('NO_VALID_HOST');
    expect(failure.reason).toBe(
      'There are not enough hosts available. Instance 3 of 3: no host passed RamFilter.',
    );
    expect(failure.preemptible).toBe(false);
    // big (4096 MB): instance 1 leaves 2048, instance 2 leaves 0; small never fits.
    expect(failure.explanation.map((e) => e.chosen?.host ?? null)).toEqual(['big', 'big', null]);
    const last = failure.explanation[2]!;
    expect(last.failure).toBe('no host passed RamFilter');
    // Why, as data: 2048 MB asked; big's limit is 4096 x ratio 1.0 = 4096, and
    // two instances used 2 x 2048, so 4096 - 4096 = 0 MB is left.
    expect(last.hosts).toEqual([
      {
        host: 'big',
        nodename: 'big',
        filteredBy: 'RamFilter',
        rejection: {
          filter: 'RamFilter',
          resource: 'memory_mb',
          requested: 2048,
          available: 0,
          limit: 4096,
          reason: 'insufficient RAM: 2048 MB requested, 0 MB available',
        },
      },
    ]);
    expect(failure.explanation[0]?.hosts.map((h) => [h.host, h.filteredBy])).toEqual([
      ['small', 'RamFilter'],
      ['big', null],
    ]);
  });

  it('carries the explanation when no preemptible instance can free enough', async () => {
    const { manager } = cloud([{ name: 'a', instances: [preemptible('p1', 3500)] }]);
    const { s, compute } = scheduler(manager, { victimSelector: () => null });
    const err = await s.selectDestinations(spec(1024)).catch((e: unknown) => e);
    expect(SchedulingFailure.isInstance(err)).toBe(true);
    const failure = err as SchedulingFailure;
    expect(failure.reason).toBe('Cannot terminate enough preemptible instances on a (a).');
    expect(failure.explanation).toHaveLength(1);
    expect(failure.explanation[0]).toMatchObject({
      chosen: { host: 'a', nodename: 'a' },
      failure: 'Cannot terminate enough preemptible instances on a (a).',
    });
    expect(compute.orders).toEqual([]);
  });

  it('has an empty explanation when the scheduler does not explain, and says a preemptible request failed', async () => {
    const { manager } = cloud([{ name: 'a', memoryMb: 512 }]);
    const { s } = scheduler(manager, { explain: false });
    const err = await s
      .selectDestinations(spec(1024, { preemptible: true }))
      .catch((e: unknown) => e);
    expect(SchedulingFailure.isInstance(err)).toBe(true);
    expect((err as SchedulingFailure).explanation).toEqual([]);
    expect((err as SchedulingFailure).preemptible).toBe(true);
    expect(SchedulingFailure.isInstance(new NoValidHostError('plain'))).toBe(false);
  });
});
