import { describe, expect, it } from 'vitest';
import { makeInstance, pluginContext } from '@opie/testing';
import {
  AGE_VICTIM_WEIGHER,
  ageVictimWeigherPlugin,
  createAgeVictimWeigher,
} from './age-victim-weigher.js';
import { costContext } from './__fixtures__/cost-context.js';

const HOUR = 3_600_000;

describe('AgeVictimWeigher', () => {
  const weigher = createAgeVictimWeigher();
  const cost = (ageMs: number) => {
    const victim = makeInstance({ createdAt: 1_000 * HOUR - ageMs });
    return weigher.cost(victim, costContext({ now: 1_000 * HOUR, set: [victim] }));
  };

  it('costs log2(1 + age in hours): younger victims are cheaper', () => {
    expect(weigher.name).toBe(AGE_VICTIM_WEIGHER);
    expect(weigher.multiplier).toBe(60);
    expect(cost(0)).toBe(0);
    expect(cost(HOUR)).toBe(1);
    expect(cost(3 * HOUR)).toBe(2);
    expect(cost(24 * HOUR)).toBeCloseTo(Math.log2(25), 12);
    const ages = [1, 60_000, HOUR, 24 * HOUR, 30 * 24 * HOUR, 365 * 24 * HOUR];
    const costs = ages.map(cost);
    for (let i = 1; i < costs.length; i++) expect(costs[i]).toBeGreaterThan(costs[i - 1]!);
  });

  it('costs 0 for an instance created in the future', () => {
    expect(cost(-HOUR)).toBe(0);
  });

  it('rejects a negative multiplier; plugin reads age_weight_multiplier', () => {
    expect(() => createAgeVictimWeigher({ multiplier: -1 })).toThrow(/age_weight_multiplier/);
    const plugin = ageVictimWeigherPlugin;
    expect(plugin.create(pluginContext(plugin)).multiplier).toBe(60);
    const ctx = pluginContext(plugin, {
      'preemptible_instances_scheduler.age_weight_multiplier': 0,
    });
    expect(plugin.create(ctx).multiplier).toBe(0);
  });
});
