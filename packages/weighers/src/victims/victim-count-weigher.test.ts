import { describe, expect, it } from 'vitest';
import { makeInstance, pluginContext } from '@opie/testing';
import {
  VICTIM_COUNT_WEIGHER,
  createVictimCountWeigher,
  victimCountWeigherPlugin,
} from './victim-count-weigher.js';
import { costContext } from './__fixtures__/cost-context.js';

describe('VictimCountWeigher', () => {
  it('costs 1 per victim, whatever its size', () => {
    const weigher = createVictimCountWeigher();
    expect(weigher.name).toBe(VICTIM_COUNT_WEIGHER);
    expect(weigher.multiplier).toBe(300);
    const small = makeInstance({ memoryMb: 64 });
    const big = makeInstance({ memoryMb: 65536, vcpus: 32 });
    const ctx = costContext({ set: [small, big] });
    expect(weigher.cost(small, ctx)).toBe(1);
    expect(weigher.cost(big, ctx)).toBe(1);
  });

  it('rejects a negative multiplier', () => {
    expect(() => createVictimCountWeigher({ multiplier: -300 })).toThrow(
      /victim_count_weight_multiplier/,
    );
  });

  it('plugin: reads [preemptible_instances_scheduler] victim_count_weight_multiplier', () => {
    const plugin = victimCountWeigherPlugin;
    expect(plugin.options?.map((o) => `${o.group}.${o.name}`)).toEqual([
      'preemptible_instances_scheduler.victim_count_weight_multiplier',
    ]);
    expect(plugin.create(pluginContext(plugin)).multiplier).toBe(300);
    const ctx = pluginContext(plugin, {
      'preemptible_instances_scheduler.victim_count_weight_multiplier': 7,
    });
    expect(plugin.create(ctx).multiplier).toBe(7);
  });
});
