import type { Instance } from '@opie/core';
import { makeComputeNode, makeFlavor, makeService, makeSpec } from '@opie/testing';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HostManager } from './host-manager.js';
import { InMemoryHostSource } from './in-memory-host-source.js';

interface Usage {
  memoryMb: number;
  vcpus: number;
  rootGb: number;
  ephemeralGb: number;
}

const usage = fc.record({
  memoryMb: fc.integer({ min: 0, max: 8192 }),
  vcpus: fc.integer({ min: 0, max: 8 }),
  rootGb: fc.integer({ min: 0, max: 80 }),
  ephemeralGb: fc.integer({ min: 0, max: 20 }),
});

const scenario = fc.record({
  record: fc.record({
    freeRamMb: fc.integer({ min: -4096, max: 65536 }),
    freeDiskGb: fc.integer({ min: -10, max: 2000 }),
    diskAvailableLeast: fc.option(fc.integer({ min: -10, max: 2000 }), { nil: undefined }),
    vcpusUsed: fc.integer({ min: 0, max: 64 }),
    numInstances: fc.option(fc.integer({ min: 0, max: 50 }), { nil: undefined }),
    ioWorkload: fc.integer({ min: 0, max: 10 }),
  }),
  instances: fc.array(
    fc.record({ usage, preemptible: fc.boolean(), swap: fc.integer({ min: 0, max: 2048 }) }),
    {
      maxLength: 12,
    },
  ),
  consumptions: fc.array(
    fc.record({ usage, preemptible: fc.boolean(), swap: fc.integer({ min: 0, max: 2048 }) }),
    {
      maxLength: 8,
    },
  ),
  /** Indexes (mod #instances) of instances to release. */
  releases: fc.array(fc.nat(), { maxLength: 6 }),
  /** Indexes (mod #claims) of claims to release again. */
  undo: fc.array(fc.nat(), { maxLength: 4 }),
  refreshBetween: fc.boolean(),
});

type Scenario = typeof scenario extends fc.Arbitrary<infer T> ? T : never;

function diskMb(u: Usage): number {
  return (u.rootGb + u.ephemeralGb) * 1024;
}

function run(s: Scenario) {
  const instances: Instance[] = s.instances.map((i, k): Instance => ({
    uuid: `i${k}`,
    host: 'h',
    node: 'n',
    ...i.usage,
    swap: i.swap,
    systemMetadata: i.preemptible ? { preemptible: 'True' } : {},
    createdAt: 0,
  }));
  const stats: Record<string, string> = { io_workload: String(s.record.ioWorkload) };
  if (s.record.numInstances !== undefined) stats['num_instances'] = String(s.record.numInstances);
  const record = makeComputeNode({
    host: 'h',
    hypervisorHostname: 'n',
    freeRamMb: s.record.freeRamMb,
    freeDiskGb: s.record.freeDiskGb,
    diskAvailableLeast: s.record.diskAvailableLeast,
    vcpusUsed: s.record.vcpusUsed,
    stats,
    updatedAt: 0,
  });
  const source = new InMemoryHostSource({
    nodes: [record],
    services: [makeService({ host: 'h' })],
    instances,
  });
  const hm = new HostManager({ source });
  hm.getHostStates('free', 0);

  let t = 1;
  const claims = s.consumptions.map((c) => {
    const claim = hm.consumeFromRequest(
      'h',
      'n',
      makeSpec({ flavor: makeFlavor({ ...c.usage, swap: c.swap }), preemptible: c.preemptible }),
      t++,
    );
    if (s.refreshBetween) hm.getHostStates('full', t);
    return { claim, c };
  });
  const released = new Set<number>();
  if (instances.length > 0) {
    for (const r of s.releases) {
      const k = r % instances.length;
      const got = hm.releaseInstance(`i${k}`, t++);
      expect(got === undefined).toBe(released.has(k));
      released.add(k);
      if (s.refreshBetween) hm.getHostStates('free', t);
    }
  }
  const undone = new Set<number>();
  if (claims.length > 0) {
    for (const u of s.undo) {
      const k = u % claims.length;
      claims[k]!.claim.release();
      undone.add(k);
    }
  }
  return { hm, record, instances, released, undone, claims };
}

describe('HostManager views are a pure function (property)', () => {
  it('full view = record − consumptions + releases; free view = full view + preemptible usage', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const { hm, record, instances, released, undone, claims } = run(s);
        const full = hm.hostStateFor('h', 'n', 'full')!;
        const free = hm.hostStateFor('h', 'n', 'free')!;

        const least = record.diskAvailableLeast;
        let ram = record.freeRamMb;
        let disk =
          (least === undefined || least === null
            ? record.freeDiskGb
            : Math.min(least, record.freeDiskGb)) * 1024;
        let vcpus = record.vcpusUsed;
        let count = s.record.numInstances ?? instances.length;
        let io = s.record.ioWorkload;
        claims.forEach(({ c }, k) => {
          if (undone.has(k)) return;
          ram -= c.usage.memoryMb;
          disk -= diskMb(c.usage);
          vcpus += c.usage.vcpus;
          count += 1;
          io += 1;
        });
        for (const k of released) {
          const i = instances[k]!;
          ram += i.memoryMb;
          disk += diskMb(i);
          vcpus -= i.vcpus;
          count -= 1;
        }
        expect([
          full.freeRamMb,
          full.freeDiskMb,
          full.vcpusUsed,
          full.numInstances,
          full.numIoOps,
        ]).toEqual([ram, disk, vcpus, count, io]);

        let pRam = 0;
        let pDisk = 0;
        let pVcpus = 0;
        let pCount = 0;
        const add = (u: Usage) => {
          pRam += u.memoryMb;
          pDisk += diskMb(u);
          pVcpus += u.vcpus;
          pCount += 1;
        };
        instances.forEach((inst, k) => {
          if (!released.has(k) && inst.systemMetadata['preemptible'] === 'True') add(inst);
        });
        claims.forEach(({ c }, k) => {
          if (!undone.has(k) && c.preemptible) add(c.usage);
        });
        expect([
          free.freeRamMb,
          free.freeDiskMb,
          free.vcpusUsed,
          free.numInstances,
          free.numIoOps,
        ]).toEqual([
          full.freeRamMb + pRam,
          full.freeDiskMb + pDisk,
          full.vcpusUsed - pVcpus,
          full.numInstances - pCount,
          full.numIoOps,
        ]);

        const visible = instances.filter((_, k) => !released.has(k)).map((i) => i.uuid);
        expect([...full.instances.keys()]).toEqual(visible);
        expect([...free.instances.keys()]).toEqual(visible);
        // The cached preemptible list is exactly the visible preemptible instances.
        const spots = instances
          .filter((i, k) => !released.has(k) && i.systemMetadata['preemptible'] === 'True')
          .map((i) => i.uuid);
        expect(full.preemptibleInstances?.map((i) => i.uuid)).toEqual(spots);
        expect(free.preemptibleInstances).toBe(full.preemptibleInstances);
        expect(full.preemptibleCreatedAt).toHaveLength(spots.length);
        expect(free.preemptibleCreatedAt).toBe(full.preemptibleCreatedAt);
      }),
      { numRuns: 300 },
    );
  });

  it('a refresh changes nothing and a newer record replaces every delta', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const { hm, record } = run(s);
        const full = hm.hostStateFor('h', 'n', 'full')!;
        const free = hm.hostStateFor('h', 'n', 'free')!;
        const snapshot = () => [
          full.freeRamMb,
          full.numInstances,
          free.freeRamMb,
          free.vcpusUsed,
          free.numIoOps,
        ];
        const before = snapshot();
        hm.getHostStates('full', 1000);
        hm.getHostStates('free', 1000);
        expect(snapshot()).toEqual(before);

        const source = hm.source as InMemoryHostSource;
        const newer = { ...record, updatedAt: 10_000 };
        source.upsertNode(newer);
        hm.getHostStates('full', 10_001);
        expect(full.freeRamMb).toBe(newer.freeRamMb);
        expect(full.vcpusUsed).toBe(newer.vcpusUsed);
        expect(full.numIoOps).toBe(s.record.ioWorkload);
        expect(full.updated).toBe(10_000);
      }),
      { numRuns: 200 },
    );
  });
});
