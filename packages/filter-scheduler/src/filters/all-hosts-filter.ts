import type { FilterPlugin, HostFilter } from '@opie/core';

/**
 * Passes every host.
 * @see nova/scheduler/filters/all_hosts_filter.py AllHostsFilter
 */
export function createAllHostsFilter(): HostFilter {
  return {
    name: 'AllHostsFilter',
    runFilterOncePerRequest: true,
    passesAll: () => true,
    hostPasses: () => true,
  };
}

export const allHostsFilterPlugin: FilterPlugin = {
  kind: 'filter',
  classPath: 'nova.scheduler.filters.all_hosts_filter.AllHostsFilter',
  description: 'Passes every host.',
  create: () => createAllHostsFilter(),
};
