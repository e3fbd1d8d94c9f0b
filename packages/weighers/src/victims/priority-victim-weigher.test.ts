import { describe, expect, it } from 'vitest';
import { makeInstance, pluginContext } from '@opie/testing';
import {
  PRIORITY_VICTIM_WEIGHER,
  createPriorityVictimWeigher,
  priorityVictimWeigherPlugin,
} from './priority-victim-weigher.js';
import { costContext } from './__fixtures__/cost-context.js';

describe('PriorityVictimWeigher', () => {
  const weigher = createPriorityVictimWeigher();
  const cost = (priority: number | undefined) => {
    const victim = makeInstance(priority === undefined ? {} : { priority });
    return weigher.cost(victim, costContext({ set: [victim] }));
  };

  it('costs the priority (higher survives longer); default priority 0', () => {
    expect(weigher.name).toBe(PRIORITY_VICTIM_WEIGHER);
    expect(weigher.multiplier).toBe(36000);
    expect(cost(undefined)).toBe(0);
    expect(cost(3)).toBe(3);
    expect(cost(0.5)).toBe(0.5);
  });

  it('costs 0 for a negative or non-finite priority (costs are never negative)', () => {
    expect(cost(-2)).toBe(0);
    expect(cost(Number.NaN)).toBe(0);
    expect(cost(Number.POSITIVE_INFINITY)).toBe(0);
  });

  it('rejects a negative multiplier; plugin reads priority_weight_multiplier', () => {
    expect(() => createPriorityVictimWeigher({ multiplier: -5 })).toThrow(
      /priority_weight_multiplier/,
    );
    const plugin = priorityVictimWeigherPlugin;
    expect(plugin.create(pluginContext(plugin)).multiplier).toBe(36000);
    const ctx = pluginContext(plugin, {
      'preemptible_instances_scheduler.priority_weight_multiplier': 10,
    });
    expect(plugin.create(ctx).multiplier).toBe(10);
  });
});
