import type { OptionValue, PluginContext } from '@opie/core';
import { ConfigError, configValuesFrom, createRuntime } from '@opie/core';
import { makeComputeNode, makeService } from '@opie/testing';
import { describe, expect, it } from 'vitest';
import { HostManager } from './host-manager.js';
import { InMemoryHostSource } from './in-memory-host-source.js';
import { createHostManagerPlugins, hostManagerOptions, hostManagerPlugins } from './plugins.js';

function ctx(values: Record<string, OptionValue> = {}): PluginContext {
  return { conf: configValuesFrom(hostManagerOptions, values), runtime: createRuntime() };
}

describe('hostManagerPlugins', () => {
  it("declares nova's and opie's host manager with their aliases", () => {
    expect(hostManagerPlugins.map((p) => [p.classPath, p.aliases])).toEqual([
      ['nova.scheduler.host_manager.HostManager', ['host_manager']],
      ['opie.scheduler.host_manager.HostManager', ['opie_host_manager']],
    ]);
    for (const p of hostManagerPlugins) {
      expect(p.kind).toBe('host-manager');
      expect(p.description.length).toBeGreaterThan(0);
      expect(p.options).toBe(hostManagerOptions);
    }
  });

  it('owns the ratio, reservation and instance tracking options with nova defaults', () => {
    expect(hostManagerOptions.map((o) => [o.group, o.name, o.type, o.default])).toEqual([
      ['DEFAULT', 'cpu_allocation_ratio', 'float', 0],
      ['DEFAULT', 'ram_allocation_ratio', 'float', 0],
      ['DEFAULT', 'disk_allocation_ratio', 'float', 1],
      ['DEFAULT', 'reserved_host_memory_mb', 'int', 512],
      ['DEFAULT', 'reserved_host_disk_mb', 'int', 0],
      ['filter_scheduler', 'track_instance_changes', 'bool', true],
      // The shared [opie] nova_version (nova Zed's record rules: host-manager.zed.test.ts).
      ['opie', 'nova_version', 'str', 'liberty'],
    ]);
    const track = hostManagerOptions.find((o) => o.name === 'track_instance_changes');
    expect(track?.deprecatedNames).toEqual([
      { group: 'DEFAULT', name: 'scheduler_tracks_instance_changes' },
    ]);
  });

  it('creates a HostManager on an empty source that setSource() replaces', () => {
    const hm = hostManagerPlugins[1]!.create(ctx());
    expect(hm).toBeInstanceOf(HostManager);
    expect(hm.getHostStates('full', 0)).toEqual([]);
    (hm as HostManager).setSource(
      new InMemoryHostSource({
        nodes: [makeComputeNode({ host: 'h' })],
        services: [makeService({ host: 'h' })],
      }),
    );
    expect(hm.getHostStates('free', 0)).toHaveLength(1);
  });

  it('reads the configured ratios into the host states', () => {
    const source = new InMemoryHostSource({
      nodes: [makeComputeNode({ host: 'h' })],
      services: [makeService({ host: 'h' })],
    });
    const [nova] = createHostManagerPlugins({ source: () => source });
    const hm = nova!.create(
      ctx({
        'DEFAULT.cpu_allocation_ratio': 4,
        'DEFAULT.ram_allocation_ratio': 1.25,
        'DEFAULT.disk_allocation_ratio': 2,
      }),
    );
    const [h] = hm.getHostStates('full', 0);
    expect([h!.cpuAllocationRatio, h!.ramAllocationRatio, h!.diskAllocationRatio]).toEqual([
      4, 1.25, 2,
    ]);
  });

  it('honours track_instance_changes = false', () => {
    const source = new InMemoryHostSource({
      nodes: [makeComputeNode({ host: 'h', hypervisorHostname: 'n' })],
      services: [makeService({ host: 'h' })],
    });
    const [nova] = createHostManagerPlugins({ source: () => source });
    const hm = nova!.create(
      ctx({ 'filter_scheduler.track_instance_changes': false }),
    ) as HostManager;
    hm.getHostStates('full', 0);
    hm.addInstance({
      uuid: 'x',
      host: 'h',
      node: 'n',
      memoryMb: 1,
      vcpus: 1,
      rootGb: 0,
      ephemeralGb: 0,
      systemMetadata: {},
      createdAt: 0,
    });
    expect(hm.hostStateFor('h', 'n', 'full')!.instances.size).toBe(0);
  });

  it('rejects negative or NaN ratios, listing each one', () => {
    const create = () =>
      hostManagerPlugins[0]!.create(
        ctx({ 'DEFAULT.cpu_allocation_ratio': -1, 'DEFAULT.disk_allocation_ratio': Number.NaN }),
      );
    expect(create).toThrow(ConfigError);
    try {
      create();
    } catch (err) {
      expect((err as ConfigError).issues.map((i) => [i.section, i.key])).toEqual([
        ['DEFAULT', 'cpu_allocation_ratio'],
        ['DEFAULT', 'disk_allocation_ratio'],
      ]);
    }
  });
});
