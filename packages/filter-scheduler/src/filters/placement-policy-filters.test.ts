import { className, configValuesFrom, createRuntime } from '@opie/core';
import { describe, expect, it } from 'vitest';
import { specFilterPlugins } from './placement-policy-filters.js';

describe('specFilterPlugins', () => {
  it('lists the eleven filters, each named after its nova class', () => {
    expect(specFilterPlugins.map((p) => className(p.classPath))).toEqual([
      'AvailabilityZoneFilter',
      'ComputeCapabilitiesFilter',
      'ImagePropertiesFilter',
      'AggregateInstanceExtraSpecsFilter',
      'AggregateImagePropertiesIsolation',
      'AggregateMultiTenancyIsolation',
      'IsolatedHostsFilter',
      'TypeAffinityFilter',
      'AggregateTypeAffinityFilter',
      'JsonFilter',
      'MetricsFilter',
    ]);
    for (const plugin of specFilterPlugins) {
      expect(plugin.kind).toBe('filter');
      expect(plugin.classPath.startsWith('nova.scheduler.filters.')).toBe(true);
      expect(plugin.description.length).toBeGreaterThan(0);
      const conf = configValuesFrom(plugin.options ?? []);
      const filter = plugin.create({ conf, runtime: createRuntime() });
      expect(filter.name).toBe(className(plugin.classPath));
    }
  });

  it('declares each option once (the shared [opie] nova_version aside)', () => {
    const all = specFilterPlugins.flatMap((p) =>
      (p.options ?? []).map((o) => `${o.group}.${o.name}`),
    );
    // nova_version is declared by every filter whose rule differs in nova Zed (shared owners).
    const keys = all.filter((k) => k !== 'opie.nova_version');
    expect(all.length - keys.length).toBe(4);
    expect(new Set(keys).size).toBe(keys.length);
    // The seven Liberty options and Zed's image_properties_default_architecture.
    expect(keys).toHaveLength(8);
  });
});
