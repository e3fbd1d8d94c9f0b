import type { FilterPlugin, FilterRequest, HostFilter, HostState } from '@opie/core';
import { commaListIncludes } from './comma-list.js';
import { ownValue } from './own-value.js';

/**
 * Passes hosts in no aggregate with `instance_type` metadata, and hosts whose
 * aggregates list the requested flavor name among their `instance_type`
 * values (comma-separated, stripped).
 * @see nova/scheduler/filters/type_filter.py AggregateTypeAffinityFilter
 */
export function createAggregateTypeAffinityFilter(): HostFilter {
  return {
    name: 'AggregateTypeAffinityFilter',
    runFilterOncePerRequest: true,
    dependsOn: 'aggregates',
    hostPasses(host: HostState, request: FilterRequest): boolean {
      const flavorName = request.spec.flavor.name;
      let restricted = false;
      for (const agg of host.aggregates) {
        const raw = ownValue(agg.metadata, 'instance_type');
        if (raw === undefined) continue;
        restricted = true;
        if (commaListIncludes(raw, flavorName)) return true;
      }
      return !restricted;
    },
  };
}

export const aggregateTypeAffinityFilterPlugin: FilterPlugin = {
  kind: 'filter',
  classPath: 'nova.scheduler.filters.type_filter.AggregateTypeAffinityFilter',
  description:
    'Passes hosts of aggregates with instance_type metadata only for the listed flavor names; other hosts pass.',
  create: () => createAggregateTypeAffinityFilter(),
};
