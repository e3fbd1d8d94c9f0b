import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { HostFilter, Instance } from '@opie/core';
import { isPreemptibleInstance, NoValidHostError } from '@opie/core';
import { makeInstance } from '@opie/testing';
import { createNumInstancesFilter } from '../filters/resource-filters.js';
import type { HostSpec } from './__fixtures__/scheduler-cloud.js';
import {
  cloud,
  MINUTE,
  NOW,
  request,
  resourceFilters,
  scheduler,
} from './__fixtures__/scheduler-cloud.js';
import { detectOvercommit } from './overcommit.js';

const instanceArb = (host: number, k: number) =>
  fc
    .record({
      memoryMb: fc.constantFrom(256, 512, 1024, 2048),
      vcpus: fc.constantFrom(1, 2),
      rootGb: fc.constantFrom(5, 10, 20),
      preemptible: fc.boolean(),
      priority: fc.integer({ min: 0, max: 3 }),
      minutes: fc.integer({ min: 0, max: 600 }),
    })
    .map((r): Instance =>
      makeInstance({
        uuid: `h${host}-i${k}`,
        memoryMb: r.memoryMb,
        vcpus: r.vcpus,
        rootGb: r.rootGb,
        createdAt: NOW - r.minutes * MINUTE,
        ...(r.preemptible
          ? { preemptible: true, systemMetadata: { preemptible: 'True' }, priority: r.priority }
          : {}),
      }),
    );

const hostArb = (i: number) =>
  fc
    .record({
      memoryMb: fc.constantFrom(2048, 4096, 8192),
      vcpus: fc.constantFrom(2, 4, 8),
      localGb: fc.constantFrom(40, 100),
      instances: fc.array(fc.nat(), { maxLength: 6 }),
    })
    .chain((h) =>
      fc.tuple(...h.instances.map((_, k) => instanceArb(i, k))).map((list): HostSpec => {
        // Keep what the node reports within its capacity.
        const kept: Instance[] = [];
        let ram = 0;
        let cpu = 0;
        let disk = 0;
        for (const inst of list) {
          if (ram + inst.memoryMb > h.memoryMb || cpu + inst.vcpus > h.vcpus) continue;
          if (disk + inst.rootGb > h.localGb) continue;
          ram += inst.memoryMb;
          cpu += inst.vcpus;
          disk += inst.rootGb;
          kept.push(inst);
        }
        return {
          name: `h${i}`,
          memoryMb: h.memoryMb,
          vcpus: h.vcpus,
          localGb: h.localGb,
          instances: kept,
        };
      }),
    );

const scenarioArb = fc.record({
  hosts: fc
    .integer({ min: 1, max: 4 })
    .chain((n) => fc.tuple(...[...Array(n).keys()].map(hostArb))),
  memoryMb: fc.constantFrom(256, 512, 1024, 2048, 4096),
  vcpus: fc.constantFrom(1, 2, 4),
  rootGb: fc.constantFrom(5, 10, 20),
  numInstances: fc.integer({ min: 1, max: 3 }),
  preemptible: fc.boolean(),
  priority: fc.integer({ min: 0, max: 4 }),
  allowPriorityPreemption: fc.boolean(),
  victimPolicy: fc.constantFrom('cost' as const, 'opie' as const),
  hostSelection: fc.constantFrom(
    'prefer-no-preemption' as const,
    'weighted' as const,
    'weight-only' as const,
  ),
  maxInstances: fc.option(fc.integer({ min: 2, max: 6 }), { nil: undefined }),
  subset: fc.integer({ min: 1, max: 2 }),
});

describe('preemption properties (fast-check)', () => {
  it('after any plan no host exceeds its limits and no normal instance is ever a victim', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb, async (sc) => {
        const manager = cloud(sc.hosts);
        const filters: HostFilter[] = resourceFilters();
        if (sc.maxInstances !== undefined) {
          filters.push(createNumInstancesFilter({ maxInstancesPerHost: sc.maxInstances }));
        }
        const { s, compute } = scheduler(manager, {
          filters,
          victimPolicy: sc.victimPolicy,
          hostSelection: sc.hostSelection,
          allowPriorityPreemption: sc.allowPriorityPreemption,
          hostSubsetSize: sc.subset,
          explain: false,
        });
        const spec = request(
          sc.memoryMb,
          {
            numInstances: sc.numInstances,
            ...(sc.preemptible ? { preemptible: true, priority: sc.priority } : {}),
          },
          { vcpus: sc.vcpus, rootGb: sc.rootGb },
        );
        manager.getHostStates('full', NOW);
        const before = sc.hosts.map((h) => {
          const st = manager.hostStateFor(h.name, h.name, 'full')!;
          return [st.freeRamMb, st.freeDiskMb, st.vcpusUsed, st.numInstances];
        });
        let plan;
        try {
          plan = s.plan(spec);
        } catch (error) {
          expect(NoValidHostError.isInstance(error)).toBe(true);
          // Every claim released; nothing terminated (wasted victims aside, in opie-compat).
          const after = sc.hosts.map((h) => {
            const st = manager.hostStateFor(h.name, h.name, 'full')!;
            return [st.freeRamMb, st.freeDiskMb, st.vcpusUsed, st.numInstances];
          });
          expect(after).toEqual(before);
          expect(compute.orders).toEqual([]);
          return;
        }
        const victims = plan.result.preemptions.map((p) => p.victim);
        expect(victims.every((v) => isPreemptibleInstance(v))).toBe(true);
        expect(new Set(victims.map((v) => v.uuid)).size).toBe(victims.length);
        if (sc.preemptible) {
          expect(sc.allowPriorityPreemption || victims.length === 0).toBe(true);
          expect(victims.every((v) => (v.priority ?? 0) < sc.priority)).toBe(true);
        }
        await s.execute(plan);
        const seen = new Set<string>();
        for (const d of plan.result.destinations) {
          if (seen.has(d.host)) continue;
          seen.add(d.host);
          const full = manager.hostStateFor(d.host, d.nodename, 'full')!;
          expect(detectOvercommit(full, d.limits)).toEqual([]);
          // opie's detect_overcommit never frees the instance count: the opie policy may leave
          // a host over it, as opie did.
          if (d.limits.numInstances !== undefined && sc.victimPolicy === 'cost') {
            expect(full.numInstances).toBeLessThanOrEqual(d.limits.numInstances);
          }
        }
        expect(compute.orders.map((o) => o.uuid)).toEqual(victims.map((v) => v.uuid));
      }),
      { numRuns: 300, seed: 4 },
    );
  });
});
