import { describe, expect, it } from 'vitest';
import type { OptionSpec, WeigherPlugin } from '@opie/core';
import { makeHost, makeRequest, pluginContext } from '@opie/testing';
import { weighHosts } from './weigh-hosts.js';
import { weigherPlugins } from './weigher-plugins.js';

const weighers = weigherPlugins.filter((p): p is WeigherPlugin => p.kind === 'weigher');

describe('weigherPlugins', () => {
  it("lists the seven weighers, nova Zed's five and the all_weighers group", () => {
    expect(weigherPlugins.map((p) => p.classPath)).toEqual([
      'nova.scheduler.weights.ram.RAMWeigher',
      'nova.scheduler.weights.io_ops.IoOpsWeigher',
      'nova.scheduler.weights.metrics.MetricsWeigher',
      'nova.scheduler.weights.cpu.CPUWeigher',
      'nova.scheduler.weights.disk.DiskWeigher',
      'opie.scheduler.weights.preemptible.PreemptibleCountWeigher',
      'opie.scheduler.weights.preemptible.PreemptibleDurationWeigher',
      'nova.scheduler.weights.affinity.ServerGroupSoftAffinityWeigher',
      'nova.scheduler.weights.affinity.ServerGroupSoftAntiAffinityWeigher',
      'nova.scheduler.weights.compute.BuildFailureWeigher',
      'nova.scheduler.weights.cross_cell.CrossCellWeigher',
      'nova.scheduler.weights.pci.PCIWeigher',
      'nova.scheduler.weights.all_weighers',
    ]);
  });

  it('every group member is a listed weigher', () => {
    const known = new Set(weighers.map((w) => w.classPath));
    for (const p of weigherPlugins) {
      if (p.kind === 'group') expect(p.members.every((m) => known.has(m))).toBe(true);
    }
  });

  it('each weigher names itself by class path, has a description and one multiplier option', () => {
    for (const plugin of weighers) {
      const weigher = plugin.create(pluginContext(plugin));
      expect(weigher.name).toBe(plugin.classPath);
      expect(plugin.description.length).toBeGreaterThan(0);
      const multipliers = (plugin.options ?? []).filter(
        (o) => o.type === 'float' && o.name.endsWith('weight_multiplier'),
      );
      expect(multipliers).toHaveLength(1);
    }
  });

  it('an option declared twice is declared identically', () => {
    const seen = new Map<string, OptionSpec>();
    for (const plugin of weighers) {
      for (const option of plugin.options ?? []) {
        const key = `${option.group}.${option.name}`;
        const other = seen.get(key);
        if (other !== undefined) expect(option).toEqual(other);
        seen.set(key, option);
      }
    }
    // 11 Liberty-era options, [opie] nova_version, and the five Zed weighers' multipliers.
    expect(seen.size).toBe(17);
  });

  it('every weigher built with default options weighs two plain hosts', () => {
    const request = makeRequest();
    const hosts = [makeHost({ host: 'a' }), makeHost({ host: 'b', freeRamMb: 10 })];
    const built = weighers.map((p) => p.create(pluginContext(p)));
    const weighed = weighHosts(built, hosts, request);
    expect(weighed).toHaveLength(2);
    expect(weighed[0]!.terms.map((t) => t.weigher)).toEqual(weighers.map((p) => p.classPath));
  });
});
