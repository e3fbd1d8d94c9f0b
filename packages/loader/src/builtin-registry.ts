import { driverPlugins, filterPlugins } from '@opie/filter-scheduler';
import { hostManagerPlugins } from '@opie/host-manager';
import { victimWeigherPlugins, weigherPlugins } from '@opie/weighers';
import { PluginRegistry } from './registry.js';

/**
 * A fresh registry with every builtin plugin: nova's and opie's drivers, host
 * managers, filters, weighers and victim weighers, and the groups
 * `all_filters` / `all_weighers` / `all_preemptible_weighers`.
 * Each call returns a new registry; there is no global one.
 */
export function createBuiltinRegistry(): PluginRegistry {
  return new PluginRegistry()
    .registerAll(driverPlugins, '@opie/filter-scheduler')
    .registerAll(hostManagerPlugins, '@opie/host-manager')
    .registerAll(filterPlugins, '@opie/filter-scheduler')
    .registerAll(weigherPlugins, '@opie/weighers')
    .registerAll(victimWeigherPlugins, '@opie/weighers');
}
