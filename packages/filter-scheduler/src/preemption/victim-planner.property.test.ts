import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { HostState, Instance, Need, VictimWeigher } from '@opie/core';
import {
  createAgeVictimWeigher,
  createBillingRemainderVictimWeigher,
  createPriorityVictimWeigher,
  createVictimCountWeigher,
  createWasteVictimWeigher,
} from '@opie/weighers';
import { costAwareVictimSelector } from './cost-aware-victim-selector.js';
import { needOf } from './need.js';
import type { LimitsExtra } from './need.js';
import { planVictims } from './victim-planner.js';
import {
  hasRedundantVictim,
  hostWith,
  LIMITS,
  normal,
  NOW,
  onlyPreemptible,
  preemptible,
  sufficient,
} from './__fixtures__/victim-host.js';

interface Scenario {
  host: HostState;
  candidates: Instance[];
  extra: LimitsExtra;
  weighers: VictimWeigher[];
}

const instanceArb = fc.record({
  preemptible: fc.boolean(),
  memoryMb: fc.integer({ min: 0, max: 600 }),
  vcpus: fc.integer({ min: 0, max: 4 }),
  rootGb: fc.integer({ min: 0, max: 40 }),
  ephemeralGb: fc.integer({ min: 0, max: 10 }),
  priority: fc.integer({ min: 0, max: 3 }),
  ageSeconds: fc.integer({ min: -600, max: 20_000 }),
  building: fc.integer({ min: 0, max: 3 }).map((k) => k === 0),
});

function scenarioArb(maxCandidates: number, onlyPreemptibles: boolean): fc.Arbitrary<Scenario> {
  return fc
    .record({
      instances: fc.array(instanceArb, { maxLength: maxCandidates }),
      base: fc.record({
        memoryMb: fc.integer({ min: 0, max: 1200 }),
        vcpus: fc.integer({ min: 0, max: 8 }),
        diskGb: fc.integer({ min: 0, max: 100 }),
        ioOps: fc.integer({ min: 0, max: 1 }),
      }),
      maxInstances: fc.option(fc.integer({ min: 0, max: 10 }), { nil: undefined, freq: 2 }),
      maxIoOps: fc.option(fc.integer({ min: 1, max: 4 }), { nil: undefined, freq: 2 }),
      multipliers: fc.tuple(
        fc.integer({ min: 0, max: 10 }),
        fc.integer({ min: 0, max: 10 }),
        fc.integer({ min: 0, max: 3 }),
        fc.integer({ min: 0, max: 200 }),
        fc.integer({ min: 0, max: 5 }),
      ),
    })
    .map(({ instances, base, maxInstances, maxIoOps, multipliers }) => {
      const candidates = instances.map((spec, k) => {
        const parts: Partial<Instance> = {
          memoryMb: spec.memoryMb,
          vcpus: spec.vcpus,
          rootGb: spec.rootGb,
          ephemeralGb: spec.ephemeralGb,
          priority: spec.priority,
          createdAt: NOW - spec.ageSeconds * 1000,
          ...(spec.building ? { vmState: 'building' } : {}),
        };
        return onlyPreemptibles || spec.preemptible
          ? preemptible(`c${k}`, parts)
          : normal(`c${k}`, parts);
      });
      const [count, priority, billing, waste, age] = multipliers;
      return {
        host: hostWith(candidates, base),
        candidates,
        extra: { maxInstances, maxIoOps },
        weighers: [
          createVictimCountWeigher({ multiplier: count }),
          createPriorityVictimWeigher({ multiplier: priority }),
          createBillingRemainderVictimWeigher({ multiplier: billing / 10 }),
          createWasteVictimWeigher({ multiplier: waste }),
          createAgeVictimWeigher({ multiplier: age }),
        ],
      };
    });
}

/** Total cost of a set, every weigher evaluated on the whole set. */
function setCost(s: Scenario, need: Need, set: Instance[]): number {
  const ctx = { host: s.host, now: NOW, need, set };
  let total = 0;
  for (const w of s.weighers) for (const v of set) total += w.multiplier * w.cost(v, ctx);
  return total;
}

/** The cheapest sufficient subset of the preemptible candidates, by enumeration. */
function bruteForce(s: Scenario): number | null {
  const need = needOf(s.host, LIMITS, s.extra);
  const pool = s.candidates.filter((c) => c.preemptible === true);
  let best: number | null = null;
  for (let mask = 0; mask < 1 << pool.length; mask++) {
    const set = pool.filter((_, k) => (mask & (1 << k)) !== 0);
    if (!sufficient(s.host, LIMITS, set, s.extra)) continue;
    const cost = setCost(s, need, set);
    if (best === null || cost < best) best = cost;
  }
  return best;
}

const close = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));

/** `maxExactCandidates` 0 with `budgetMs` 0: the heuristic alone. */
function plan(s: Scenario, maxExactCandidates?: number) {
  return planVictims({
    host: s.host,
    limits: LIMITS,
    candidates: s.candidates,
    weighers: s.weighers,
    now: NOW,
    limitsExtra: s.extra,
    maxExactCandidates,
    ...(maxExactCandidates === 0 ? { budgetMs: 0 } : {}),
  });
}

describe('planVictims properties (fast-check)', () => {
  it('exact search is optimal against brute force (n <= 10)', () => {
    fc.assert(
      fc.property(scenarioArb(10, true), (s) => {
        const best = bruteForce(s);
        const result = plan(s);
        if (best === null) {
          expect(result).toBeNull();
          return;
        }
        expect(result).not.toBeNull();
        expect(result!.exact).toBe(true);
        expect(close(result!.cost, best)).toBe(true);
        expect(close(result!.cost, setCost(s, result!.need, result!.victims))).toBe(true);
        expect(sufficient(s.host, LIMITS, result!.victims, s.extra)).toBe(true);
        expect(hasRedundantVictim(s.host, LIMITS, result!.victims, s.extra)).toBe(false);
      }),
      { numRuns: 300 },
    );
  });

  it('the heuristic is always sufficient, never keeps a redundant victim, never beats exact', () => {
    fc.assert(
      fc.property(scenarioArb(10, true), (s) => {
        const exact = plan(s);
        const greedy = plan(s, 0);
        if (exact === null) {
          expect(greedy).toBeNull();
          return;
        }
        expect(greedy).not.toBeNull();
        expect(sufficient(s.host, LIMITS, greedy!.victims, s.extra)).toBe(true);
        expect(hasRedundantVictim(s.host, LIMITS, greedy!.victims, s.extra)).toBe(false);
        expect(greedy!.cost).toBeGreaterThanOrEqual(exact.cost - 1e-9 * Math.max(1, exact.cost));
        if (greedy!.victims.length > 0) expect(greedy!.exact).toBe(false);
      }),
      { numRuns: 300 },
    );
  });

  it('never chooses a normal instance (planner, both modes, and the selector)', () => {
    const selector = costAwareVictimSelector(
      [createVictimCountWeigher(), createWasteVictimWeigher()],
      { now: () => NOW },
    );
    fc.assert(
      fc.property(scenarioArb(30, false), (s) => {
        for (const result of [plan(s), plan(s, 0)]) {
          if (result !== null) expect(onlyPreemptible(result.victims)).toBe(true);
        }
        const choice = selector({
          host: s.host,
          limits: LIMITS,
          alreadyChosen: new Set(),
          alreadyFreed: { memoryMb: 0, diskGb: 0, vcpus: 0 },
        });
        if (choice !== null) expect(onlyPreemptible(choice.victims)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});
