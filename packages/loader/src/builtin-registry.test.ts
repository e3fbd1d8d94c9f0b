import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { driverPlugins, filterPlugins } from '@opie/filter-scheduler';
import { hostManagerPlugins } from '@opie/host-manager';
import { victimWeigherPlugins, weigherPlugins } from '@opie/weighers';
import { describe, expect, it } from 'vitest';
import { createBuiltinRegistry } from './builtin-registry.js';
import { LIBERTY_DEFAULT_FILTERS } from './options.js';
import { resolveSchedulerConfig } from './resolve-scheduler-config.js';
import type { ConfigFile } from './scheduler-config.js';

const examples = fileURLToPath(new URL('../../../examples/', import.meta.url));
const example = (name: string): ConfigFile => ({
  path: `examples/${name}`,
  text: readFileSync(`${examples}${name}`, 'utf8'),
});
const COUNT = 'opie.scheduler.weights.preemptible.PreemptibleCountWeigher';
const DURATION = 'opie.scheduler.weights.preemptible.PreemptibleDurationWeigher';

describe('createBuiltinRegistry', () => {
  it('returns a fresh registry each call', () => {
    const a = createBuiltinRegistry();
    const b = createBuiltinRegistry();
    expect(a).not.toBe(b);
    expect(a.list().length).toBe(b.list().length);
  });

  it('holds every builtin plugin list', () => {
    const registry = createBuiltinRegistry();
    const expected =
      driverPlugins.length +
      hostManagerPlugins.length +
      filterPlugins.length +
      weigherPlugins.length +
      victimWeigherPlugins.length;
    expect(registry.list()).toHaveLength(expected);
    expect(registry.get('filter_scheduler')?.classPath).toBe(
      'nova.scheduler.filter_scheduler.FilterScheduler',
    );
    expect(registry.has('opie.scheduler.filter_scheduler.FilterScheduler')).toBe(true);
    expect(registry.get('host_manager')?.classPath).toBe('nova.scheduler.host_manager.HostManager');
    expect(registry.has('opie.scheduler.host_manager.HostManager')).toBe(true);
    expect(registry.get('nova.scheduler.filters.all_filters')?.kind).toBe('group');
    expect(registry.get('nova.scheduler.weights.all_weighers')?.kind).toBe('group');
    expect(registry.has(COUNT)).toBe(true);
    expect(registry.has(DURATION)).toBe(true);
    expect(registry.get('nova.scheduler.weights.all_preemptible_weighers')).toMatchObject({
      kind: 'group',
      of: 'victim-weigher',
    });
    expect(registry.names('victim-weigher')).toContain(
      'opie.scheduler.weights.victims.VictimCountWeigher',
    );
  });
});

describe('builtin plugins with the example configs', () => {
  it('an empty file gives the Liberty filters and all_weighers', () => {
    const config = resolveSchedulerConfig({
      files: [{ path: 'empty.conf', text: '' }],
      registry: createBuiltinRegistry(),
    });
    expect(config.driver.classPath).toBe('nova.scheduler.filter_scheduler.FilterScheduler');
    expect(config.filters.map((f) => f.name)).toEqual(LIBERTY_DEFAULT_FILTERS);
    expect(config.weighers.map((w) => w.classPath).sort()).toEqual([
      'nova.scheduler.weights.io_ops.IoOpsWeigher',
      'nova.scheduler.weights.metrics.MetricsWeigher',
      'nova.scheduler.weights.ram.RAMWeigher',
    ]);
    expect(config.warnings).toEqual([]);
  });

  it('examples/opie-docs.conf enables opie with both weighers at 1000.0', () => {
    const config = resolveSchedulerConfig({
      files: [example('opie-docs.conf')],
      registry: createBuiltinRegistry(),
    });
    expect(config.driver.classPath).toBe('opie.scheduler.filter_scheduler.FilterScheduler');
    expect(config.hostManager.classPath).toBe('opie.scheduler.host_manager.HostManager');
    const opie = config.weighers.filter((w) => w.classPath.startsWith('opie.'));
    expect(opie.map((w) => [w.classPath, w.multiplier?.value])).toEqual([
      [DURATION, 1000],
      [COUNT, 1000],
    ]);
  });

  it('examples/nova.conf, zed.conf and liberty-defaults.conf resolve', () => {
    for (const name of ['nova.conf', 'zed.conf', 'liberty-defaults.conf']) {
      const config = resolveSchedulerConfig({
        files: [example(name)],
        registry: createBuiltinRegistry(),
      });
      expect(config.filters.length).toBeGreaterThan(0);
    }
  });

  it('examples/liberty-defaults.conf sets nothing the builtins do not know', () => {
    const config = resolveSchedulerConfig({
      files: [example('liberty-defaults.conf')],
      registry: createBuiltinRegistry(),
    });
    const unknown = config.warnings.filter((w) => w.message.startsWith('unknown option'));
    expect(unknown.map((w) => w.key)).toEqual([]);
  });
});
