import { describe, expect, it } from 'vitest';
import { LIBERTY_DEFAULT_FILTERS, loaderOptions } from './options.js';

const byName = (group: string, name: string) =>
  loaderOptions.find((o) => o.group === group && o.name === name);

describe('loader options (nova/scheduler/*.py options in Liberty, nova/conf/scheduler.py)', () => {
  it('declares each option under its Ocata+ name with its Liberty [DEFAULT] name deprecated', () => {
    const table = loaderOptions.map((o) => [
      `${o.group}.${o.name}`,
      o.type,
      o.deprecatedNames?.map((d) => `${d.group}.${d.name}`) ?? [],
    ]);
    expect(table).toEqual([
      ['scheduler.driver', 'str', ['DEFAULT.scheduler_driver']],
      ['scheduler.host_manager', 'str', ['DEFAULT.scheduler_host_manager']],
      ['filter_scheduler.available_filters', 'multistr', ['DEFAULT.scheduler_available_filters']],
      ['filter_scheduler.enabled_filters', 'list', ['DEFAULT.scheduler_default_filters']],
      ['filter_scheduler.weight_classes', 'list', ['DEFAULT.scheduler_weight_classes']],
      ['scheduler.periodic_task_interval', 'int', ['DEFAULT.scheduler_driver_task_period']],
      ['preemptible_instances_scheduler.weight_classes', 'list', []],
      ['opie.plugin_modules', 'list', []],
      ['opie.nova_version', 'str', []],
    ]);
  });

  it('has the Liberty defaults', () => {
    expect(byName('scheduler', 'driver')?.default).toBe('filter_scheduler');
    expect(byName('scheduler', 'host_manager')?.default).toBe('host_manager');
    expect(byName('filter_scheduler', 'available_filters')?.default).toEqual([
      'nova.scheduler.filters.all_filters',
    ]);
    expect(byName('filter_scheduler', 'enabled_filters')?.default).toEqual(LIBERTY_DEFAULT_FILTERS);
    expect(LIBERTY_DEFAULT_FILTERS).toHaveLength(9);
    expect(byName('filter_scheduler', 'weight_classes')?.default).toEqual([
      'nova.scheduler.weights.all_weighers',
    ]);
    expect(byName('scheduler', 'periodic_task_interval')?.default).toBe(60);
    expect(byName('preemptible_instances_scheduler', 'weight_classes')?.default).toEqual([
      'nova.scheduler.weights.all_preemptible_weighers',
    ]);
    expect(byName('opie', 'plugin_modules')?.default).toEqual([]);
    expect(byName('opie', 'nova_version')?.default).toBe('liberty');
    expect(byName('opie', 'nova_version')?.choices).toEqual(['liberty', 'zed']);
  });

  it('gives every option a help text', () => {
    expect(loaderOptions.every((o) => o.help.length > 10)).toBe(true);
  });
});
