import { ClassNotFoundError, ConfigError } from '@opie/core';
import type { OptionSpec } from '@opie/core';
import { describe, expect, it } from 'vitest';
import {
  COUNT_WEIGHER,
  IO_OPS_WEIGHER,
  RAM_WEIGHER,
  fakeDriver,
  fakeFilter,
  fakeRegistry,
  fakeWeigher,
} from './__fixtures__/fake-plugins.js';
import { victimWeigherPlugins, weigherPlugins } from '@opie/weighers';
import { PluginRegistry } from './registry.js';

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

const option = (extra: Partial<OptionSpec> = {}): OptionSpec => ({
  group: 'DEFAULT',
  name: 'shared_opt',
  type: 'float',
  default: 1,
  help: 'shared',
  ...extra,
});

describe('PluginRegistry', () => {
  it('looks plugins up by class path and by alias, exactly', () => {
    const registry = fakeRegistry();
    const byPath = registry.get('nova.scheduler.filter_scheduler.FilterScheduler');
    expect(byPath?.kind).toBe('driver');
    expect(registry.get('filter_scheduler')).toBe(byPath);
    expect(registry.get('Filter_Scheduler')).toBeUndefined();
    expect(registry.has('host_manager')).toBe(true);
  });

  it('lists registered items by kind, in registration order', () => {
    const registry = fakeRegistry();
    expect(registry.list('driver').map((d) => d.classPath)).toEqual([
      'nova.scheduler.filter_scheduler.FilterScheduler',
      'opie.scheduler.filter_scheduler.FilterScheduler',
    ]);
    expect(registry.list('group')).toHaveLength(2);
    expect(registry.list().length).toBeGreaterThan(10);
    expect(registry.names('host-manager')).toEqual([
      'nova.scheduler.host_manager.HostManager',
      'host_manager',
      'opie.scheduler.host_manager.HostManager',
      'opie_host_manager',
    ]);
    expect(registry.names('weigher')).toContain('nova.scheduler.weights.all_weighers');
  });

  it('rejects a class path registered twice, naming both registrations', () => {
    const registry = new PluginRegistry().register(fakeFilter('acme.RamFilter'), 'package a');
    const error = thrown(() => registry.register(fakeFilter('acme.RamFilter'), 'module b'));
    expect(ConfigError.isInstance(error)).toBe(true);
    expect((error as ConfigError).message).toMatch(
      /class path acme\.RamFilter is registered twice: host filter acme\.RamFilter from package a, and host filter acme\.RamFilter from module b/,
    );
  });

  it('rejects an alias that is taken, and leaves the registry unchanged', () => {
    const registry = new PluginRegistry().register(fakeDriver('a.Driver', ['short']), 'one');
    const error = thrown(() =>
      registry.register(fakeDriver('b.Driver', ['other', 'short']), 'two'),
    );
    expect((error as Error).message).toMatch(/alias short is registered twice/);
    expect(registry.has('b.Driver')).toBe(false);
    expect(registry.has('other')).toBe(false);
  });

  it('accepts identical declarations of one option and rejects different ones', () => {
    const registry = new PluginRegistry()
      .register(fakeWeigher('a.W', option()))
      .register(fakeWeigher('b.W', option()));
    expect(registry.option('DEFAULT', 'shared_opt')?.default).toBe(1);
    const error = thrown(() => registry.register(fakeWeigher('c.W', option({ default: 2 })), 'm'));
    expect((error as Error).message).toMatch(
      /option \[DEFAULT\] shared_opt is declared differently by a\.W .* and by c\.W from m/,
    );
  });

  it('declares the loader options even when empty', () => {
    const names = new PluginRegistry().options().map((o) => `${o.group}.${o.name}`);
    expect(names).toContain('scheduler.driver');
    expect(names).toContain('opie.plugin_modules');
  });

  it('rejects a definition that is not one', () => {
    const registry = new PluginRegistry();
    const noCreate = { kind: 'filter', classPath: 'x.F', description: '' };
    expect(() => registry.register(noCreate as never, 'mod')).toThrow(/has no create\(\) factory/);
    const badKind = { kind: 'scheduler', classPath: 'x.S', description: '' };
    expect(() => registry.register(badKind as never)).toThrow(/has kind "scheduler"/);
    expect(() => registry.register({ kind: 'filter' } as never)).toThrow(/has no classPath/);
    expect(() =>
      registry.register({
        kind: 'group',
        of: 'filter',
        classPath: 'g',
        description: '',
        members: [1],
      } as never),
    ).toThrow(/members must be class paths/);
    expect(() =>
      registry.register({
        kind: 'group',
        of: 'x',
        classPath: 'g',
        description: '',
        members: [],
      } as never),
    ).toThrow(/of must be filter, weigher or victim-weigher/);
    expect(() => registry.register({ ...fakeFilter('y.F'), aliases: [''] })).toThrow(
      /aliases must be non-empty strings/,
    );
    expect(() => registry.register(null as never)).toThrow(/is not an object/);
  });

  it('resolves a name of the right kind', () => {
    expect(fakeRegistry().resolve('host_manager', 'host-manager').classPath).toBe(
      'nova.scheduler.host_manager.HostManager',
    );
  });

  it('fails on an unknown name with the nearest known names, matching the last segment', () => {
    const error = thrown(() =>
      fakeRegistry().resolve(
        'opie.scheduler.weights.preemptible.PreemptibleCuontWeigher',
        'weigher',
      ),
    );
    expect(ClassNotFoundError.isInstance(error)).toBe(true);
    const e = error as ClassNotFoundError;
    expect(e.suggestions[0]).toBe(COUNT_WEIGHER);
    expect(e.message).toMatch(
      /^Class opie\.scheduler\.weights\.preemptible\.PreemptibleCuontWeigher could not be found: no host weigher is registered under this name\. Did you mean: /,
    );
  });

  it('fails on a name of another kind', () => {
    const error = thrown(() => fakeRegistry().resolve('filter_scheduler', 'host-manager'));
    expect((error as Error).message).toMatch(/it is a scheduler driver, not a host manager/);
  });

  it('expands groups, including groups of groups, in order', () => {
    const registry = fakeRegistry().register({
      kind: 'group',
      of: 'weigher',
      classPath: 'acme.everything',
      description: 'all and more',
      members: ['nova.scheduler.weights.all_weighers', COUNT_WEIGHER],
    });
    expect(registry.expand('acme.everything', 'weigher').map((w) => w.classPath)).toEqual([
      IO_OPS_WEIGHER,
      RAM_WEIGHER,
      COUNT_WEIGHER,
    ]);
    expect(registry.expand(RAM_WEIGHER, 'weigher').map((w) => w.classPath)).toEqual([RAM_WEIGHER]);
  });

  it('reports a group member that is missing or of another kind', () => {
    const registry = new PluginRegistry()
      .register({
        kind: 'group',
        of: 'weigher',
        classPath: 'g.missing',
        description: '',
        members: ['x.Gone'],
      })
      .register(fakeFilter('x.F'))
      .register({
        kind: 'group',
        of: 'weigher',
        classPath: 'g.wrong',
        description: '',
        members: ['x.F'],
      })
      .register({
        kind: 'group',
        of: 'filter',
        classPath: 'g.filters',
        description: '',
        members: [],
      });
    expect(() => registry.expand('g.missing', 'weigher')).toThrow(
      /Class x\.Gone could not be found: it is a member of group g\.missing/,
    );
    expect(() => registry.expand('g.wrong', 'weigher')).toThrow(
      /it is a host filter, not a host weigher/,
    );
    expect(() => registry.expand('g.filters', 'weigher')).toThrow(
      /it is a group of host filters, not a host weigher/,
    );
  });

  it('reports a group that contains itself', () => {
    const registry = new PluginRegistry()
      .register({
        kind: 'group',
        of: 'filter',
        classPath: 'g.a',
        description: '',
        members: ['g.b'],
      })
      .register({
        kind: 'group',
        of: 'filter',
        classPath: 'g.b',
        description: '',
        members: ['g.a'],
      });
    expect(() => registry.expand('g.a', 'filter')).toThrow(
      /contains itself \(g\.a → g\.b → g\.a\)/,
    );
  });

  it('builds the filter map by class name; a later class of the same name wins', () => {
    const registry = fakeRegistry().register(fakeFilter('acme.filters.RamFilter'));
    const map = registry.availableFilterMap([
      'nova.scheduler.filters.all_filters',
      'acme.filters.RamFilter',
    ]);
    expect(map.get('RamFilter')?.classPath).toBe('acme.filters.RamFilter');
    expect(map.get('CoreFilter')?.classPath).toBe('nova.scheduler.filters.core_filter.CoreFilter');
  });

  it('passes bad available entries to onError, or throws', () => {
    const registry = fakeRegistry();
    const errors: string[] = [];
    const map = registry.availableFilterMap(
      ['nope.Filter', 'nova.scheduler.filters.all_filters'],
      (entry, index) => errors.push(`${index}:${entry}`),
    );
    expect(errors).toEqual(['0:nope.Filter']);
    expect(map.size).toBe(11);
    expect(() => registry.availableFilterMap(['nope.Filter'])).toThrow(ClassNotFoundError);
  });

  it('clones into an independent registry', () => {
    const original = fakeRegistry();
    const copy = original.clone().register(fakeFilter('acme.Extra'));
    expect(copy.has('acme.Extra')).toBe(true);
    expect(original.has('acme.Extra')).toBe(false);
    expect(copy.list().length).toBe(original.list().length + 1);
  });
});

describe('PluginRegistry, victim weighers', () => {
  it('registers victim weighers beside the host weighers and expands all_preemptible_weighers', () => {
    const registry = new PluginRegistry()
      .registerAll(weigherPlugins, '@opie/weighers')
      .registerAll(victimWeigherPlugins, '@opie/weighers');
    const group = 'nova.scheduler.weights.all_preemptible_weighers';
    expect(registry.expand(group, 'victim-weigher').map((p) => p.kind)).toEqual(
      Array(5).fill('victim-weigher'),
    );
    expect(() => registry.expand(group, 'weigher')).toThrow(
      /group of victim weighers, not a host weigher/,
    );
    expect(() =>
      registry.resolve('opie.scheduler.weights.victims.VictimCountWeigher', 'weigher'),
    ).toThrow(/it is a victim weigher, not a host weigher/);
  });
});
