import { describe, expect, it } from 'vitest';
import type { Instance, VictimWeigher } from '@opie/core';
import { InvalidInputError } from '@opie/core';
import {
  createBillingRemainderVictimWeigher,
  createPriorityVictimWeigher,
  createVictimCountWeigher,
  createWasteVictimWeigher,
} from '@opie/weighers';
import { planVictims } from './victim-planner.js';
import type { PlanVictimsInput } from './victim-planner.js';
import {
  hasRedundantVictim,
  hostWith,
  LIMITS,
  MINUTE,
  normal,
  NOW,
  onlyPreemptible,
  preemptible,
  sufficient,
} from './__fixtures__/victim-host.js';

const count = createVictimCountWeigher({ multiplier: 1 });
const priority = createPriorityVictimWeigher({ multiplier: 10 });

function plan(
  instances: Instance[],
  extra: Parameters<typeof hostWith>[1],
  more: Partial<PlanVictimsInput> = {},
) {
  const host = hostWith(instances, extra);
  return planVictims({
    host,
    limits: LIMITS,
    candidates: instances.filter((i) => i.preemptible === true),
    weighers: [count],
    now: NOW,
    ...more,
  });
}

const uuids = (victims: readonly Instance[] | undefined) => victims?.map((v) => v.uuid);

describe('planVictims', () => {
  it('takes nothing when the host is within its limits', () => {
    const result = plan([normal('n1'), preemptible('p1')], {});
    expect(result).toEqual({
      victims: [],
      cost: 0,
      terms: [],
      need: { memoryMb: 0, diskGb: 0, vcpus: 0, instances: 0, ioOps: 0 },
      exact: true,
      optimal: true,
      lowerBound: 0,
    });
  });

  it('takes two victims when one does not free enough (opie FIXME: one victim only)', () => {
    // 1024 MB limit; normal 512 + p1 400 + p2 400 + the new 312 = 1624: need 600.
    const instances = [
      normal('n1', { memoryMb: 512 }),
      preemptible('p1', { memoryMb: 400 }),
      preemptible('p2', { memoryMb: 400 }),
    ];
    const result = plan(instances, { memoryMb: 312 });
    expect(uuids(result?.victims)).toEqual(['p1', 'p2']);
    expect(result?.need.memoryMb).toBe(600);
    expect(result?.exact).toBe(true);
    expect(result?.cost).toBe(2);
  });

  it('adds a victim when RAM is freed but vCPU is still short', () => {
    // need 256 MB and 2 vCPU; big frees the RAM but one vCPU only.
    const instances = [
      normal('n1', { memoryMb: 512, vcpus: 6 }),
      preemptible('big', { memoryMb: 512, vcpus: 1 }),
      preemptible('tiny', { memoryMb: 64, vcpus: 1 }),
      preemptible('mid', { memoryMb: 128, vcpus: 1, priority: 0.1 }),
    ];
    const host = hostWith(instances, { memoryMb: 64, vcpus: 1 });
    const result = planVictims({
      host,
      limits: LIMITS,
      candidates: instances,
      weighers: [count, priority],
      now: NOW,
    });
    expect(result?.need).toMatchObject({ memoryMb: 256, vcpus: 2 });
    expect(uuids(result?.victims)).toEqual(['big', 'tiny']);
    expect(sufficient(host, LIMITS, result?.victims ?? [])).toBe(true);
    // big alone is not enough
    expect(sufficient(host, LIMITS, instances.slice(1, 2))).toBe(false);
  });

  it('frees disk when disk is the binding resource', () => {
    // disk limit 100 GB: 60 + 5 + 35 + the new 30 = 130, need 30 GB.
    const instances = [
      normal('n1', { rootGb: 60, memoryMb: 64 }),
      preemptible('ram-heavy', { memoryMb: 512, rootGb: 5, createdAt: NOW - 1 * MINUTE }),
      preemptible('disk-heavy', {
        memoryMb: 64,
        rootGb: 30,
        ephemeralGb: 5,
        createdAt: NOW - 50 * MINUTE,
      }),
    ];
    const host = hostWith(instances, { diskGb: 30 });
    const result = planVictims({
      host,
      limits: LIMITS,
      candidates: instances,
      weighers: [count, createBillingRemainderVictimWeigher()],
      now: NOW,
    });
    expect(result?.need.diskGb).toBe(30);
    expect(result?.need.memoryMb).toBe(0);
    // the costlier (older in its hour) but only sufficient victim
    expect(uuids(result?.victims)).toEqual(['disk-heavy']);
  });

  it('returns null when the host has no preemptible instance (opie: NoValidHost)', () => {
    const instances = [normal('n1', { memoryMb: 900 }), normal('n2', { memoryMb: 300 })];
    const host = hostWith(instances);
    expect(
      planVictims({ host, limits: LIMITS, candidates: instances, weighers: [count], now: NOW }),
    ).toBeNull();
    expect(
      planVictims({ host, limits: LIMITS, candidates: [], weighers: [count], now: NOW }),
    ).toBeNull();
  });

  it('returns null when even every preemptible instance does not free enough', () => {
    const instances = [normal('n1', { memoryMb: 900 }), preemptible('p1', { memoryMb: 100 })];
    expect(plan(instances, { memoryMb: 300 })).toBeNull();
  });

  it('chooses the cheapest set over a smaller but costlier one', () => {
    // need 500 MB: 'vip' alone would do, but its priority costs 1 + 10 * 5 = 51; two small cost 2.
    const instances = [
      normal('n1', { memoryMb: 500 }),
      preemptible('vip', { memoryMb: 1024, priority: 5 }),
      preemptible('s1', { memoryMb: 256 }),
      preemptible('s2', { memoryMb: 256 }),
    ];
    const host = hostWith(instances.slice(0, 1).concat(instances.slice(2)), { memoryMb: 524 });
    const result = planVictims({
      host,
      limits: LIMITS,
      candidates: instances,
      weighers: [count, priority],
      now: NOW,
    });
    expect(result?.need.memoryMb).toBe(512);
    expect(uuids(result?.victims)).toEqual(['s1', 's2']);
    expect(result?.cost).toBe(2);
    // and with victims counted dear, the single victim wins
    const dear = planVictims({
      host,
      limits: LIMITS,
      candidates: instances,
      weighers: [createVictimCountWeigher({ multiplier: 100 }), priority],
      now: NOW,
    });
    expect(uuids(dear?.victims)).toEqual(['vip']);
  });

  it('costs waste on the whole set: picks the victim that fits the need', () => {
    const waste = createWasteVictimWeigher({ multiplier: 100 });
    const instances = [
      normal('n1', { memoryMb: 900, vcpus: 1 }),
      preemptible('huge', { memoryMb: 1024, vcpus: 4, rootGb: 20 }),
      preemptible('fit', { memoryMb: 128, vcpus: 1, rootGb: 1 }),
    ];
    const host = hostWith(instances, { memoryMb: 1124 - 2052 });
    const result = planVictims({
      host,
      limits: LIMITS,
      candidates: instances,
      weighers: [count, waste],
      now: NOW,
    });
    expect(result?.need.memoryMb).toBe(100);
    expect(uuids(result?.victims)).toEqual(['fit']);
    // fit frees 28 MB, 1 GB and 1 vCPU beyond the need
    expect(result?.cost).toBeCloseTo(1 + 100 * (28 / 1024 + 1 / 100 + 1 / 8), 10);
  });

  it('waste that depends on the set: one exact victim beats two that overshoot', () => {
    const waste = createWasteVictimWeigher({ multiplier: 1000 });
    const instances = [
      normal('n1', { memoryMb: 512, vcpus: 0, rootGb: 0 }),
      preemptible('a', { memoryMb: 384, vcpus: 0, rootGb: 0 }),
      preemptible('b', { memoryMb: 384, vcpus: 0, rootGb: 0 }),
      preemptible('c', { memoryMb: 512, vcpus: 0, rootGb: 0 }),
    ];
    const host = hostWith(instances, { memoryMb: 1024 - 1792 + 512 });
    const result = planVictims({
      host,
      limits: LIMITS,
      candidates: instances,
      weighers: [waste],
      now: NOW,
    });
    expect(result?.need.memoryMb).toBe(512);
    expect(uuids(result?.victims)).toEqual(['c']);
    expect(result?.cost).toBe(0);
  });

  it('frees an instance slot when max_instances_per_host is exceeded', () => {
    const instances = [
      normal('n1', { memoryMb: 64 }),
      preemptible('p-old', { memoryMb: 64, createdAt: NOW - 50 * MINUTE }),
      preemptible('p-new', { memoryMb: 64, createdAt: NOW - 5 * MINUTE }),
      normal('new', { memoryMb: 64 }),
    ];
    const result = plan(
      instances,
      {},
      {
        weighers: [createBillingRemainderVictimWeigher()],
        limitsExtra: { maxInstances: 3 },
      },
    );
    expect(result?.need.instances).toBe(1);
    expect(uuids(result?.victims)).toEqual(['p-new']);
  });

  it('frees an I/O op only with an instance doing I/O work', () => {
    const instances = [
      preemptible('idle', { memoryMb: 64 }),
      preemptible('snap', {
        memoryMb: 64,
        vmState: 'active',
        taskState: 'image_snapshot',
        priority: 1,
      }),
    ];
    const result = plan(
      instances,
      { ioOps: 1 },
      { weighers: [count, priority], limitsExtra: { maxIoOps: 1 } },
    );
    expect(result?.need.ioOps).toBe(1);
    expect(uuids(result?.victims)).toEqual(['snap']);
    expect(plan([preemptible('idle2')], { ioOps: 2 }, { limitsExtra: { maxIoOps: 1 } })).toBeNull();
  });

  it('counts what victims chosen earlier already free', () => {
    const instances = [normal('n1', { memoryMb: 800 }), preemptible('p1', { memoryMb: 300 })];
    const host = hostWith(instances, { memoryMb: 200 });
    const args = { host, limits: LIMITS, candidates: instances, weighers: [count], now: NOW };
    expect(uuids(planVictims(args)?.victims)).toEqual(['p1']);
    expect(planVictims({ ...args, alreadyFreed: { memoryMb: 276 } })?.victims).toEqual([]);
  });

  it('uses a given need instead of computing one', () => {
    const instances = [preemptible('p1', { memoryMb: 64 }), preemptible('p2', { memoryMb: 64 })];
    const host = hostWith(instances);
    const result = planVictims({
      host,
      limits: LIMITS,
      candidates: instances,
      weighers: [count],
      now: NOW,
      need: { memoryMb: 100, diskGb: 0, vcpus: 0, instances: 0, ioOps: 0 },
    });
    expect(uuids(result?.victims)).toEqual(['p1', 'p2']);
  });

  it('ignores normal instances and repeated uuids among candidates', () => {
    const p1 = preemptible('p1', { memoryMb: 512 });
    const instances = [normal('n1', { memoryMb: 600 }), normal('n2', { memoryMb: 10 }), p1];
    const host = hostWith(instances, { memoryMb: 10 });
    const result = planVictims({
      host,
      limits: LIMITS,
      candidates: [instances[0]!, p1, p1, instances[1]!],
      weighers: [count],
      now: NOW,
    });
    expect(uuids(result?.victims)).toEqual(['p1']);
    // Instances marked only in system_metadata are preemptible too; a "false" mark is not.
    const marked = normal('m', { memoryMb: 512, systemMetadata: { preemptible: 'True' } });
    const unmarked = normal('u', { memoryMb: 512, systemMetadata: { preemptible: 'false' } });
    const host2 = hostWith([normal('n3', { memoryMb: 100 }), marked, unmarked], {});
    const result2 = planVictims({
      host: host2,
      limits: LIMITS,
      candidates: [unmarked, marked],
      weighers: [count],
      now: NOW,
    });
    expect(uuids(result2?.victims)).toEqual(['m']);
  });

  it('reports each weigher term per victim, computed on the final set', () => {
    const waste = createWasteVictimWeigher({ multiplier: 10 });
    const instances = [
      normal('n1', { memoryMb: 700, vcpus: 0, rootGb: 0 }),
      preemptible('p1', { memoryMb: 300, vcpus: 0, rootGb: 0, priority: 2 }),
      preemptible('p2', { memoryMb: 100, vcpus: 0, rootGb: 0 }),
    ];
    const host = hostWith(instances, { memoryMb: 300 });
    const result = planVictims({
      host,
      limits: LIMITS,
      candidates: instances,
      weighers: [count, priority, waste],
      now: NOW,
      maxExactCandidates: 0,
      budgetMs: 0, // the heuristic alone
    });
    // need 376 MB: both go; 24 MB wasted, shared 3:1.
    expect(uuids(result?.victims)).toEqual(['p1', 'p2']);
    expect(result?.exact).toBe(false);
    const [t1, t2] = result!.terms;
    expect(t1!.victim.uuid).toBe('p1');
    expect(t1!.terms.map((t) => t.weigher)).toEqual([count.name, priority.name, waste.name]);
    expect(t1!.terms[1]).toEqual({ weigher: priority.name, raw: 2, multiplier: 10, weighted: 20 });
    expect(t1!.terms[2]!.raw).toBeCloseTo((24 * 0.75) / 1024, 12);
    expect(t2!.terms[2]!.raw).toBeCloseTo((24 * 0.25) / 1024, 12);
    for (const t of result!.terms) {
      expect(t.cost).toBeCloseTo(
        t.terms.reduce((s, x) => s + x.weighted, 0),
        12,
      );
    }
    expect(result!.cost).toBeCloseTo(t1!.cost + t2!.cost, 12);
    expect(result!.cost).toBeCloseTo(2 + 20 + (10 * 24) / 1024, 12);
  });

  it('heuristic: never worse than the cheapest single sufficient victim', () => {
    // need 600 MB. Every greedy order takes a + b (cost 2); c alone costs 1 + 10 * 0.06 = 1.6.
    const instances = [
      normal('n1', { memoryMb: 1000 }),
      preemptible('a', { memoryMb: 400 }),
      preemptible('b', { memoryMb: 400 }),
      preemptible('c', { memoryMb: 600, priority: 0.06 }),
    ];
    const host = hostWith(instances, { memoryMb: 1624 - 2400 });
    const result = planVictims({
      host,
      limits: LIMITS,
      candidates: instances,
      weighers: [count, priority],
      now: NOW,
      maxExactCandidates: 0,
      budgetMs: 0, // the heuristic alone
    });
    expect(result?.need.memoryMb).toBe(600);
    expect(result?.exact).toBe(false);
    expect(uuids(result?.victims)).toEqual(['c']);
    expect(result?.cost).toBeCloseTo(1.6, 12);
  });

  it('keeps the best set found and says so when the exact search runs out of nodes', () => {
    // The fractional bound (a + b/2: 1.5) is below the best (c: 1.6), so the search must branch.
    const instances = [
      normal('n1', { memoryMb: 1000 }),
      preemptible('a', { memoryMb: 400 }),
      preemptible('b', { memoryMb: 400 }),
      preemptible('c', { memoryMb: 600, priority: 0.06 }),
    ];
    const host = hostWith(instances, { memoryMb: 1624 - 2400 });
    const args = {
      host,
      limits: LIMITS,
      candidates: instances,
      weighers: [count, priority],
      now: NOW,
    };
    const cut = planVictims({ ...args, maxExactNodes: 1 });
    const full = planVictims(args);
    expect(cut?.exact).toBe(false);
    expect(full?.exact).toBe(true);
    expect(uuids(cut?.victims)).toEqual(['c']);
    expect(uuids(full?.victims)).toEqual(['c']);
  });

  it('plans 500 candidates with the heuristic: sufficient, minimal, preemptible only', () => {
    const instances: Instance[] = [];
    for (let k = 0; k < 500; k++) {
      instances.push(
        k % 5 === 0
          ? normal(`n${k}`, { memoryMb: 1, vcpus: 0, rootGb: 0 })
          : preemptible(`p${k}`, {
              memoryMb: 8 + ((k * 37) % 50),
              vcpus: k % 3,
              rootGb: (k * 13) % 4,
              priority: k % 7,
              createdAt: NOW - ((k * 7919) % 7200) * 1000,
            }),
      );
    }
    const host = hostWith(instances, {
      memoryMb: 1024 - 13_000,
      vcpus: 8 - 390,
      diskGb: 100 - 580,
    });
    const weighers: VictimWeigher[] = [
      count,
      priority,
      createBillingRemainderVictimWeigher(),
      createWasteVictimWeigher(),
    ];
    const result = planVictims({
      host,
      limits: LIMITS,
      candidates: instances,
      weighers,
      now: NOW,
      budgetMs: 0, // the heuristic alone
    });
    expect(result).not.toBeNull();
    expect(result!.exact).toBe(false);
    expect(result!.victims.length).toBeGreaterThan(1);
    expect(sufficient(host, LIMITS, result!.victims)).toBe(true);
    expect(hasRedundantVictim(host, LIMITS, result!.victims)).toBe(false);
    expect(onlyPreemptible(result!.victims)).toBe(true);
  });

  it('rejects a weigher cost that is negative or not finite', () => {
    const bad = (value: number): VictimWeigher => ({
      name: 'acme.Bad',
      multiplier: 1,
      cost: () => value,
    });
    const instances = [normal('n1', { memoryMb: 1000 }), preemptible('p1', { memoryMb: 100 })];
    for (const value of [-1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => plan(instances, {}, { weighers: [bad(value)] })).toThrow(InvalidInputError);
    }
    expect(() => plan(instances, {}, { weighers: [bad(-1)] })).toThrow(/acme\.Bad/);
  });

  it('rejects a negative or non-finite multiplier', () => {
    const instances = [normal('n1', { memoryMb: 1000 }), preemptible('p1', { memoryMb: 100 })];
    for (const multiplier of [-1, Number.NaN]) {
      const w: VictimWeigher = { name: 'acme.Neg', multiplier, cost: () => 1 };
      expect(() => plan(instances, {}, { weighers: [w] })).toThrow(/multiplier/);
    }
  });

  it('with no weighers (or all at 0) still frees enough, with a minimal set', () => {
    const instances = [
      normal('n1', { memoryMb: 700 }),
      preemptible('p1', { memoryMb: 200 }),
      preemptible('p2', { memoryMb: 200 }),
      preemptible('p3', { memoryMb: 200 }),
    ];
    const host = hostWith(instances, { memoryMb: 200 });
    for (const weighers of [[], [createVictimCountWeigher({ multiplier: 0 })]]) {
      const result = planVictims({
        host,
        limits: LIMITS,
        candidates: instances,
        weighers,
        now: NOW,
      });
      expect(result?.cost).toBe(0);
      expect(sufficient(host, LIMITS, result!.victims)).toBe(true);
      expect(hasRedundantVictim(host, LIMITS, result!.victims)).toBe(false);
    }
  });
  it('beyond maxExactCandidates the search is exact: 500 candidates, least count', () => {
    // need 1000 MB and 3 vCPU. a: 256 MB, 0 vCPU; b: 32 MB, 1 vCPU. vCPU needs >= 3 b (96 MB);
    // the other 904 MB need ceil(904 / 256) = 4 a; a fourth b would still leave 4 a: 7 is least.
    const instances: Instance[] = [];
    for (let k = 0; k < 250; k++) {
      instances.push(preemptible(`a${k}`, { memoryMb: 256, vcpus: 0, rootGb: 0 }));
      instances.push(preemptible(`b${k}`, { memoryMb: 32, vcpus: 1, rootGb: 0 }));
    }
    const result = plan(instances, { memoryMb: 1024 + 1000 - 72_000, vcpus: 8 + 3 - 250 });
    expect(result?.need.memoryMb).toBe(1000);
    expect(result?.need.vcpus).toBe(3);
    expect(result?.victims).toHaveLength(7);
    expect(result?.optimal).toBe(true);
    expect(result?.exact).toBe(true);
    expect(result?.lowerBound).toBe(result?.cost);
  });

  it("out of time: the best set found, optimal false and the open nodes' bound", () => {
    // need 600 MB; a, b: 400 MB, cost 1 each; c: 600 MB, cost 1 + 10 x 0.06 = 1.6 (the
    // heuristic's set). The root's fractional bound: a + half of b = 1.5 < 1.6, so the search
    // branches; the injected clock is past the deadline at its first node.
    const instances = [
      normal('n1', { memoryMb: 1000 }),
      preemptible('a', { memoryMb: 400 }),
      preemptible('b', { memoryMb: 400 }),
      preemptible('c', { memoryMb: 600, priority: 0.06 }),
    ];
    let t = 0;
    const args = { weighers: [count, priority], maxExactCandidates: 0 };
    const cut = plan(
      instances,
      { memoryMb: 1624 - 2400 },
      {
        ...args,
        budgetMs: 10,
        clock: () => (t += 100),
      },
    );
    expect(uuids(cut?.victims)).toEqual(['c']);
    expect(cut?.optimal).toBe(false);
    expect(cut?.exact).toBe(false);
    expect(cut?.lowerBound).toBeCloseTo(1.5, 12);
    const full = plan(instances, { memoryMb: 1624 - 2400 }, { ...args, clock: () => 0 });
    expect(uuids(full?.victims)).toEqual(['c']); // a + b cost 2
    expect(full?.optimal).toBe(true);
    expect(full?.lowerBound).toBeCloseTo(1.6, 12);
  });

  it('the heuristic alone (budget 0) still reports the root bound', () => {
    // Same host: the root's bound is 1.5, the heuristic's set (c) costs 1.6.
    const instances = [
      normal('n1', { memoryMb: 1000 }),
      preemptible('a', { memoryMb: 400 }),
      preemptible('b', { memoryMb: 400 }),
      preemptible('c', { memoryMb: 600, priority: 0.06 }),
    ];
    const result = plan(
      instances,
      { memoryMb: 1624 - 2400 },
      {
        weighers: [count, priority],
        maxExactCandidates: 0,
        budgetMs: 0,
      },
    );
    expect(result?.exact).toBe(false);
    expect(result?.optimal).toBe(false);
    expect(result?.lowerBound).toBeCloseTo(1.5, 12);
  });
});
