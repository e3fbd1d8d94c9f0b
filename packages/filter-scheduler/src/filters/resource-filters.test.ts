import { describe, expect, it } from 'vitest';
import { pluginContext } from '@opie/testing';
import type { OptionSpec } from '@opie/core';
import { className } from '@opie/core';
import { coreFilterPlugins } from './resource-filters.js';

const ONCE = new Set([
  'AllHostsFilter',
  'ComputeFilter',
  'DifferentHostFilter',
  'SameHostFilter',
  'SimpleCIDRAffinityFilter',
]);

describe('coreFilterPlugins', () => {
  it('lists the 26 part-A filters of nova Liberty all_filters, each once', () => {
    const names = coreFilterPlugins.map((p) => className(p.classPath));
    expect(new Set(names).size).toBe(26);
    expect(names.sort()).toEqual(
      [
        'AggregateCoreFilter',
        'AggregateDiskFilter',
        'AggregateIoOpsFilter',
        'AggregateNumInstancesFilter',
        'AggregateRamFilter',
        'AllHostsFilter',
        'BaseCoreFilter',
        'BaseRamFilter',
        'ComputeFilter',
        'CoreFilter',
        'DifferentHostFilter',
        'DiskFilter',
        'ExactCoreFilter',
        'ExactDiskFilter',
        'ExactRamFilter',
        'IoOpsFilter',
        'NUMATopologyFilter',
        'NumInstancesFilter',
        'PciPassthroughFilter',
        'RamFilter',
        'RetryFilter',
        'SameHostFilter',
        'ServerGroupAffinityFilter',
        'ServerGroupAntiAffinityFilter',
        'SimpleCIDRAffinityFilter',
        'TrustedFilter',
      ].sort(),
    );
  });

  it('every class path is under nova.scheduler.filters and every plugin has a description', () => {
    for (const plugin of coreFilterPlugins) {
      expect(plugin.kind).toBe('filter');
      expect(plugin.classPath).toMatch(/^nova\.scheduler\.filters\.[a-z_]+\.[A-Za-z]+$/);
      expect(plugin.description.length).toBeGreaterThan(10);
    }
  });

  it('supported plugins create a filter named after the class, with nova once flags', () => {
    for (const plugin of coreFilterPlugins.filter((p) => p.unsupported === undefined)) {
      const filter = plugin.create(pluginContext(plugin));
      expect(filter.name).toBe(className(plugin.classPath));
      expect(filter.runFilterOncePerRequest).toBe(ONCE.has(filter.name));
    }
  });

  it('options declared by several plugins are identical', () => {
    const seen = new Map<string, OptionSpec>();
    for (const plugin of coreFilterPlugins) {
      for (const option of plugin.options ?? []) {
        const key = `${option.group}.${option.name}`;
        const previous = seen.get(key);
        if (previous !== undefined) expect(option).toEqual(previous);
        seen.set(key, option);
      }
    }
    expect([...seen.keys()]).toContain('filter_scheduler.max_io_ops_per_host');
  });
});
