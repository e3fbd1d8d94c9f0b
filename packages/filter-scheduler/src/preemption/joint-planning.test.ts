import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Instance } from '@opie/core';
import { NoValidHostError } from '@opie/core';
import type { FilterSchedulerOptions } from '../scheduler/filter-scheduler.js';
import type { HostManager } from '@opie/host-manager';
import { makeInstance } from '@opie/testing';
import { createVictimCountWeigher } from '@opie/weighers';
import type { HostSpec } from '../scheduler/__fixtures__/scheduler-cloud.js';
import {
  cloud,
  MINUTE,
  normal,
  NOW,
  preemptible,
  request,
  resourceFilters,
  scheduler,
} from '../scheduler/__fixtures__/scheduler-cloud.js';
import { createNumInstancesFilter } from '../filters/resource-filters.js';
import {
  createServerGroupAffinityFilter,
  createServerGroupAntiAffinityFilter,
} from '../filters/server-group-filter.js';

// More runs or another seed: OPIE_PROPERTY_RUNS=1000 OPIE_PROPERTY_SEED=7 npx vitest run ...
const RUNS = Number(process.env['OPIE_PROPERTY_RUNS'] ?? 150);
const SEED = Number(process.env['OPIE_PROPERTY_SEED'] ?? 20260113);

const countOnly = { victimWeighers: [createVictimCountWeigher()] };

function built(manager: HostManager, options: Partial<FilterSchedulerOptions>) {
  return { ...scheduler(manager, options), manager };
}

describe('joint planning of a multi-instance request', () => {
  /*
   * The worst case. b, c, d (listed first, so they weigh first: every host has 0 MB
   * free) each hold 2048 MB of normal and two 1024 MB preemptibles on 4096 MB: one victim per
   * 1024 MB copy. a holds 4096 MB normal and one 4096 MB preemptible on 8192 MB: that one
   * victim makes room for all four copies.
   */
  const worstCase = () =>
    cloud([
      ...['b', 'c', 'd'].map((name): HostSpec => ({
        name,
        memoryMb: 4096,
        instances: [
          normal(`${name}-n`, 2048),
          preemptible(`${name}-p1`, 1024),
          preemptible(`${name}-p2`, 1024),
        ],
      })),
      { name: 'a', memoryMb: 8192, instances: [normal('a-n', 4096), preemptible('a-p', 4096)] },
    ]);

  it('4 copies: one victim on one host instead of one per copy', async () => {
    const apart = await scheduler(worstCase(), {
      ...countOnly,
      jointPlanning: false,
    }).s.selectDestinations(request(1024, { numInstances: 4 }));
    // One at a time: each copy takes the cheapest host (1 victim), the better-weighed first.
    expect(apart.preemptions).toHaveLength(4);

    const { s } = scheduler(worstCase(), countOnly);
    const joint = await s.selectDestinations(request(1024, { numInstances: 4 }));
    expect(joint.destinations.map((d) => d.host)).toEqual(['a', 'a', 'a', 'a']);
    expect(joint.preemptions.map((p) => [p.victim.uuid, p.forIndex])).toEqual([['a-p', 0]]);
    expect(joint.preemptions[0]?.reason).toBe(
      'over limits after placing instance 1: memory_mb 9216 > 8192; frees room for 4 instances of the request (planned jointly)',
    );
    // The explanation: the first copy carries the victims, the others need none.
    const summaries = joint.explanation.map((e) => e.preemption);
    expect(summaries[0]).toEqual({
      policy: 'cost',
      hostSelection: 'prefer-no-preemption',
      plannedHosts: 4,
      joint: { instances: 4, cost: 300, optimal: true },
    });
    expect(summaries[3]?.plannedHosts).toBe(0);
    const verdictOf = (i: number) =>
      joint.explanation[i]?.hosts.find((h) => h.host === 'a')?.preemption;
    expect(verdictOf(0)).toMatchObject({ needed: true, cost: 300, optimal: true });
    expect(verdictOf(1)).toEqual({ needed: false, cost: 0 });
  });

  it('past its deadline the curves stop growing and the plan says it is not proven optimal', async () => {
    // The injected clock moves 10 s per reading; the deadline is 20 x 50 ms after the first, so
    // every host's curve stops at one copy: one copy (one victim) on each of the 4 hosts.
    let t = 0;
    const { s } = scheduler(worstCase(), { ...countOnly, victimSearchClock: () => (t += 10_000) });
    const r = await s.selectDestinations(request(1024, { numInstances: 4 }));
    expect(r.destinations.map((d) => d.host)).toEqual(['b', 'c', 'd', 'a']);
    expect(r.preemptions).toHaveLength(4);
    expect(r.explanation[0]?.preemption?.joint).toEqual({
      instances: 4,
      cost: 1200,
      optimal: false,
    });
  });

  it('NumInstancesFilter decides how many copies a host takes', async () => {
    // max_instances_per_host = 4. On a the free view counts 1 instance (a-p counts as free), so
    // the filter lets 3 copies in (1, 2, 3 < 4), and a-p's termination keeps a at 4 instances:
    // curve a = 0, 1, 1, 1. b, c, d: one victim per copy (curve 0, 1, 2). The least total is
    // 2: 3 copies on a and 1 on b (the best-weighed of b, c, d), in weighed order b, a, a, a.
    const filters = [...resourceFilters(), createNumInstancesFilter({ maxInstancesPerHost: 4 })];
    const { s, manager } = built(worstCase(), { ...countOnly, filters });
    const r = await s.selectDestinations(request(1024, { numInstances: 4 }));
    expect(r.destinations.map((d) => d.host)).toEqual(['b', 'a', 'a', 'a']);
    expect(r.preemptions.map((p) => [p.victim.uuid, p.forIndex])).toEqual([
      ['b-p1', 0],
      ['a-p', 1],
    ]);
    expect(manager.hostStateFor('a', 'a', 'full')?.numInstances).toBe(4);
  });

  it('single-instance requests and joint_planning = false plan one instance at a time', async () => {
    // One copy: the cheapest host, the better-weighed first among equal costs (b).
    const one = await scheduler(worstCase(), countOnly).s.selectDestinations(request(1024));
    expect(one.destinations.map((d) => d.host)).toEqual(['b']);
    expect(one.explanation[0]?.preemption?.joint).toBeUndefined();
  });

  it('copies that fit without preemption go there first (prefer-no-preemption)', async () => {
    // e has room for one copy without preemption; the other three then go to a, jointly.
    const manager = cloud([
      { name: 'e', memoryMb: 2048, instances: [normal('e-n', 1024)] },
      { name: 'a', memoryMb: 8192, instances: [normal('a-n', 4096), preemptible('a-p', 4096)] },
    ]);
    const r = await scheduler(manager, countOnly).s.selectDestinations(
      request(1024, { numInstances: 4 }),
    );
    expect(r.destinations.map((d) => d.host)).toEqual(['e', 'a', 'a', 'a']);
    expect(r.preemptions.map((p) => p.victim.uuid)).toEqual(['a-p']);
    expect(r.explanation[1]?.preemption?.joint).toEqual({ instances: 3, cost: 300, optimal: true });
  });

  it('affinity: every copy on the one host that takes them all at the least cost', async () => {
    // One at a time, copy 1 takes b (cost 1, best-weighed); affinity then pins the others to b,
    // whose free view has room for 2 copies only: NoValidHost. Jointly: all 4 on a, one victim.
    const filters = [...resourceFilters(), createServerGroupAffinityFilter()];
    const group = { uuid: 'g', policies: ['affinity'], hosts: [] };
    const spec = () => request(1024, { numInstances: 4, instanceGroup: group });
    await expect(
      scheduler(worstCase(), { ...countOnly, filters, jointPlanning: false }).s.selectDestinations(
        spec(),
      ),
    ).rejects.toThrow(NoValidHostError);
    const r = await scheduler(worstCase(), { ...countOnly, filters }).s.selectDestinations(spec());
    expect(r.destinations.map((d) => d.host)).toEqual(['a', 'a', 'a', 'a']);
    expect(r.preemptions.map((p) => p.victim.uuid)).toEqual(['a-p']);
  });

  it('anti-affinity: one copy per host, the cheapest hosts', async () => {
    // The filter keeps each host's curve to one copy: 2 copies on 2 hosts, one victim each;
    // all cost 1, so the best-weighed: b and c.
    const filters = [...resourceFilters(), createServerGroupAntiAffinityFilter()];
    const r = await scheduler(worstCase(), { ...countOnly, filters }).s.selectDestinations(
      request(1024, {
        numInstances: 2,
        instanceGroup: { uuid: 'g', policies: ['anti-affinity'], hosts: [] },
      }),
    );
    expect(r.destinations.map((d) => d.host)).toEqual(['b', 'c']);
    expect(r.preemptions).toHaveLength(2);
    expect(r.explanation[0]?.preemption?.joint).toEqual({ instances: 2, cost: 600, optimal: true });
  });
});

/*
 * Property: on random tiny clouds (2-4 hosts, up to 16 preemptibles each, RAM/Core/Disk
 * filters at ratio 1, count cost), a request of 2-4 copies takes exactly the whole-request
 * minimum number of victims. The oracle is independent of the planner: per host and number of
 * copies k, the filters let k copies in when the normal instances plus k copies fit (the free
 * view; with NumInstancesFilter, when normal instances + k <= max), and the least victims is
 * found by enumerating victim subsets by size (at least instances + k - max of them); the request's
 * minimum is then the least sum over every way of spreading the copies over the hosts.
 */
interface Tiny {
  hosts: HostSpec[];
  flavor: { memoryMb: number; vcpus: number; rootGb: number };
  copies: number;
  /** Explaining takes the scheduler's other path (no column pre-scan). */
  explain: boolean;
  /** NumInstancesFilter's max_instances_per_host, when on. */
  maxInstances: number | undefined;
}

const tinyArb: fc.Arbitrary<Tiny> = fc
  .record({
    hosts: fc.array(
      fc.record({
        memoryMb: fc.constantFrom(2048, 4096, 8192),
        vcpus: fc.constantFrom(4, 8),
        normals: fc.array(fc.constantFrom(512, 1024, 2048), { maxLength: 2 }),
        pre: fc.array(
          fc.record({
            memoryMb: fc.constantFrom(256, 512, 1024),
            rootGb: fc.constantFrom(1, 5, 10),
          }),
          { maxLength: 16 },
        ),
      }),
      { minLength: 2, maxLength: 4 },
    ),
    flavor: fc.record({
      memoryMb: fc.constantFrom(512, 1024, 2048),
      vcpus: fc.constantFrom(1, 2),
      rootGb: fc.constantFrom(5, 10),
    }),
    copies: fc.integer({ min: 2, max: 4 }),
    explain: fc.boolean(),
    maxInstances: fc.option(fc.integer({ min: 2, max: 12 }), { nil: undefined }),
  })
  .map(({ hosts, flavor, copies, explain, maxInstances }) => ({
    flavor,
    copies,
    explain,
    maxInstances,
    hosts: hosts.map((h, i): HostSpec => {
      // Keep what the node reports within its capacity (RAM, 16 vCPUs, 100 GB).
      const vcpus = h.vcpus * 2;
      const kept: Instance[] = [];
      let ram = 0;
      let cpu = 0;
      let disk = 0;
      const add = (inst: Instance) => {
        if (ram + inst.memoryMb > h.memoryMb || cpu + inst.vcpus > vcpus) return;
        if (disk + inst.rootGb > 100) return;
        ram += inst.memoryMb;
        cpu += inst.vcpus;
        disk += inst.rootGb;
        kept.push(inst);
      };
      h.normals.forEach((m, k) => add(normal(`h${i}-n${k}`, m, { rootGb: 5 })));
      h.pre.forEach((p, k) =>
        add(
          makeInstance({
            uuid: `h${i}-p${k}`,
            memoryMb: p.memoryMb,
            vcpus: 1,
            rootGb: p.rootGb,
            preemptible: true,
            systemMetadata: { preemptible: 'True' },
            createdAt: NOW - (k + 1) * MINUTE,
          }),
        ),
      );
      return { name: `h${i}`, memoryMb: h.memoryMb, vcpus, localGb: 100, instances: kept };
    }),
  }));

/** The least victims for `k` copies on `h` (null: the filters or the candidates forbid it). */
function leastVictims(
  h: HostSpec,
  f: Tiny['flavor'],
  k: number,
  maxInstances: number | undefined,
): number | null {
  const all = h.instances ?? [];
  const pre = all.filter((i) => i.preemptible === true);
  const used = (list: readonly Instance[], key: 'memoryMb' | 'vcpus' | 'rootGb') =>
    list.reduce((s, i) => s + i[key], 0);
  const totals = { memoryMb: h.memoryMb ?? 4096, vcpus: h.vcpus ?? 8, rootGb: h.localGb ?? 100 };
  const keys = ['memoryMb', 'vcpus', 'rootGb'] as const;
  // The free view (preemptibles count as free) must take k copies.
  const normals = all.filter((i) => i.preemptible !== true);
  if (keys.some((r) => used(normals, r) + k * f[r] > totals[r])) return null;
  // NumInstancesFilter passes the k-th copy while the free view's count before it is below max.
  if (maxInstances !== undefined && normals.length + k > maxInstances) return null;
  const short = keys.map((r) => used(all, r) + k * f[r] - totals[r]);
  // ... and the full view must come back to max instances: that many victims at least.
  const fewest = maxInstances === undefined ? 0 : all.length + k - maxInstances;
  // Subsets by size: the first size with a sufficient subset is the least.
  const n = pre.length;
  for (let size = Math.max(0, fewest); size <= n; size++) {
    const pick: number[] = [];
    const walk = (from: number): boolean => {
      if (pick.length === size) {
        return keys.every((r, j) => pick.reduce((s, p) => s + pre[p]![r], 0) >= short[j]!);
      }
      for (let p = from; p <= n - (size - pick.length); p++) {
        pick.push(p);
        if (walk(p + 1)) return true;
        pick.pop();
      }
      return false;
    };
    if (walk(0)) return size;
  }
  return null;
}

/** The request's least victims over every spread of the copies (null: none places them all). */
function wholeRequestMinimum(t: Tiny): number | null {
  const curves = t.hosts.map((h) => {
    const c = [0];
    for (let k = 1; k <= t.copies; k++) {
      const v = leastVictims(h, t.flavor, k, t.maxInstances);
      if (v === null) break;
      c.push(v);
    }
    return c;
  });
  let best: number | null = null;
  const walk = (h: number, left: number, cost: number): void => {
    if (h === curves.length) {
      if (left === 0 && (best === null || cost < best)) best = cost;
      return;
    }
    const curve = curves[h]!;
    for (let k = 0; k <= left && k < curve.length; k++) walk(h + 1, left - k, cost + curve[k]!);
  };
  walk(0, t.copies, 0);
  return best;
}

describe('joint planning (property)', () => {
  it('takes the whole-request minimum number of victims on tiny clouds', async () => {
    let placed = 0;
    let preempting = 0;
    await fc.assert(
      fc.asyncProperty(tinyArb, async (t) => {
        const expected = wholeRequestMinimum(t);
        const filters = [...resourceFilters()];
        if (t.maxInstances !== undefined) {
          filters.push(createNumInstancesFilter({ maxInstancesPerHost: t.maxInstances }));
        }
        const { s } = scheduler(cloud(t.hosts), { ...countOnly, explain: t.explain, filters });
        const spec = request(t.flavor.memoryMb, { numInstances: t.copies }, t.flavor);
        if (expected === null) {
          await expect(s.selectDestinations(spec)).rejects.toThrow(NoValidHostError);
          return;
        }
        const r = await s.selectDestinations(spec);
        placed += 1;
        if (expected > 0) preempting += 1;
        expect(r.destinations).toHaveLength(t.copies);
        expect(r.preemptions.length).toBe(expected);
      }),
      { numRuns: RUNS, seed: SEED },
    );
    // The arbitrary does reach requests that place and preempt.
    expect(placed).toBeGreaterThan(RUNS / 4);
    expect(preempting).toBeGreaterThan(RUNS / 10);
  }, 20_000);
});
