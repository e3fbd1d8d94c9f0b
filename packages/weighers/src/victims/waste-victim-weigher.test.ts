import { describe, expect, it } from 'vitest';
import type { Instance, Need } from '@opie/core';
import { makeHost, makeInstance, pluginContext } from '@opie/testing';
import {
  WASTE_VICTIM_WEIGHER,
  createWasteVictimWeigher,
  wasteVictimWeigherPlugin,
} from './waste-victim-weigher.js';
import { costContext } from './__fixtures__/cost-context.js';

const weigher = createWasteVictimWeigher();

/** Sum of the costs of a set: the set's waste. */
function waste(set: Instance[], need: Partial<Need>, host = makeHost()): number {
  const ctx = costContext({ host, need, set });
  return set.reduce((sum, v) => sum + weigher.cost(v, ctx), 0);
}

describe('WasteVictimWeigher', () => {
  it('is set-dependent and owns waste_weight_multiplier', () => {
    expect(weigher.name).toBe(WASTE_VICTIM_WEIGHER);
    expect(weigher.setDependent).toBe(true);
    expect(weigher.multiplier).toBe(3600);
    expect(() => createWasteVictimWeigher({ multiplier: -1 })).toThrow(/waste_weight_multiplier/);
  });

  it('one victim: the excess of each resource over the host total (unneeded resources all count)', () => {
    // host: 1024 MB, 100 GB, 8 vCPU. Need 512 MB; the victim frees 1024 MB, 10 GB, 1 vCPU.
    const v = makeInstance({ memoryMb: 1024, rootGb: 10, ephemeralGb: 0, vcpus: 1 });
    expect(waste([v], { memoryMb: 512 })).toBeCloseTo(512 / 1024 + 10 / 100 + 1 / 8, 12);
  });

  it('nothing is wasted when exactly the need is freed', () => {
    const v = makeInstance({ memoryMb: 256, rootGb: 5, ephemeralGb: 5, vcpus: 2 });
    expect(waste([v], { memoryMb: 256, diskGb: 10, vcpus: 2 })).toBe(0);
    expect(waste([v], { memoryMb: 300, diskGb: 20, vcpus: 4 })).toBe(0);
  });

  it('shares the excess of a set among its victims in proportion to what each frees', () => {
    const a = makeInstance({ memoryMb: 768, rootGb: 0, ephemeralGb: 0, vcpus: 0 });
    const b = makeInstance({ memoryMb: 256, rootGb: 0, ephemeralGb: 0, vcpus: 0 });
    const ctx = costContext({ need: { memoryMb: 512 }, set: [a, b] });
    // freed 1024, need 512: excess 512 MB = 0.5 of the host, shared 3:1.
    expect(weigher.cost(a, ctx)).toBeCloseTo(0.375, 12);
    expect(weigher.cost(b, ctx)).toBeCloseTo(0.125, 12);
    // the same victim in a set alone wastes less: costs depend on the set.
    expect(waste([a], { memoryMb: 512 })).toBeCloseTo(0.25, 12);
  });

  it('never decreases when a victim is added (the planner bound relies on it)', () => {
    const vs = [
      makeInstance({ memoryMb: 300, rootGb: 3, vcpus: 1 }),
      makeInstance({ memoryMb: 100, rootGb: 20, vcpus: 4 }),
      makeInstance({ memoryMb: 500, rootGb: 1, vcpus: 2 }),
    ];
    const need = { memoryMb: 350, diskGb: 10, vcpus: 2 };
    let previous = 0;
    for (let k = 1; k <= vs.length; k++) {
      const w = waste(vs.slice(0, k), need);
      expect(w).toBeGreaterThanOrEqual(previous);
      previous = w;
    }
  });

  it('ignores a resource whose host total is 0', () => {
    const host = makeHost({ vcpusTotal: 0, totalUsableDiskGb: 0 });
    const v = makeInstance({ memoryMb: 512, rootGb: 10, vcpus: 4 });
    expect(waste([v], { memoryMb: 256 }, host)).toBeCloseTo(256 / 1024, 12);
  });

  it('computes each context afresh (no stale cache across sets)', () => {
    const a = makeInstance({ memoryMb: 512, rootGb: 0, ephemeralGb: 0, vcpus: 0 });
    const b = makeInstance({ memoryMb: 512, rootGb: 0, ephemeralGb: 0, vcpus: 0 });
    const need = { memoryMb: 512 };
    expect(weigher.cost(a, costContext({ need, set: [a] }))).toBe(0);
    expect(weigher.cost(a, costContext({ need, set: [a, b] }))).toBeCloseTo(0.25, 12);
  });

  it('plugin: reads [preemptible_instances_scheduler] waste_weight_multiplier', () => {
    const plugin = wasteVictimWeigherPlugin;
    expect(plugin.create(pluginContext(plugin)).multiplier).toBe(3600);
    const ctx = pluginContext(plugin, {
      'preemptible_instances_scheduler.waste_weight_multiplier': 1,
    });
    expect(plugin.create(ctx).multiplier).toBe(1);
  });
});
