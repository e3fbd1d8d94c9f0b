import { describe, expect, it } from 'vitest';
import type { PluginGroup, VictimWeigherPlugin } from '@opie/core';
import { pluginContext } from '@opie/testing';
import { preemptibleDurationWeigherPlugin } from '../preemptible-duration-weigher.js';
import { allPreemptibleWeighersGroup } from './all-preemptible-weighers-group.js';
import { victimWeigherPlugins } from './victim-weigher-plugins.js';

const plugins = victimWeigherPlugins.filter(
  (p): p is VictimWeigherPlugin => p.kind === 'victim-weigher',
);

describe('victim weigher plugins', () => {
  it('lists five victim weighers under opie.scheduler.weights.victims and the group', () => {
    expect(plugins).toHaveLength(5);
    for (const p of plugins) {
      expect(p.classPath).toMatch(/^opie\.scheduler\.weights\.victims\.\w+Weigher$/);
      expect(p.description).not.toBe('');
      const weigher = p.create(pluginContext(p));
      expect(weigher.name).toBe(p.classPath);
      expect(weigher.multiplier).toBeGreaterThan(0);
    }
    expect(victimWeigherPlugins).toContain(allPreemptibleWeighersGroup);
  });

  it('all_preemptible_weighers (opie default weight_classes) expands to every victim weigher', () => {
    const group: PluginGroup = allPreemptibleWeighersGroup;
    expect(group.classPath).toBe('nova.scheduler.weights.all_preemptible_weighers');
    expect(group.of).toBe('victim-weigher');
    expect([...group.members].sort()).toEqual(plugins.map((p) => p.classPath).sort());
  });

  it('each owns a float multiplier >= 0 in [preemptible_instances_scheduler], with a schema', () => {
    for (const p of plugins) {
      const own = p.options?.filter((o) => o.group === 'preemptible_instances_scheduler') ?? [];
      expect(own).toHaveLength(1);
      const option = own[0]!;
      expect(option.name).toMatch(/_weight_multiplier$/);
      expect(option.type).toBe('float');
      expect(option.schema?.safeParse(-1).success).toBe(false);
      expect(option.schema?.safeParse(option.default).success).toBe(true);
    }
  });

  it('shares [DEFAULT] preemptible_billing_period with the duration weigher, identically', () => {
    const shared = plugins
      .flatMap((p) => p.options ?? [])
      .filter((o) => o.name === 'preemptible_billing_period');
    const original = preemptibleDurationWeigherPlugin.options?.find(
      (o) => o.name === 'preemptible_billing_period',
    );
    expect(shared).toEqual([original]);
  });
});
