import type { FilterPlugin, FilterRequest, HostFilter, HostState } from '@opie/core';
import { commaListIncludes } from './comma-list.js';
import { ownValue } from './own-value.js';

/**
 * Passes hosts in no aggregate with `filter_tenant_id` metadata, and hosts
 * whose aggregates list the request's project among their `filter_tenant_id`
 * values (comma-separated, stripped). A request without a project fails
 * every restricted host. Only the exact key `filter_tenant_id` counts
 * (Liberty; later releases also read `filter_tenant_id*` keys).
 * @see nova/scheduler/filters/aggregate_multitenancy_isolation.py
 */
export function createAggregateMultiTenancyIsolationFilter(): HostFilter {
  return {
    name: 'AggregateMultiTenancyIsolation',
    runFilterOncePerRequest: true,
    dependsOn: 'aggregates',
    hostPasses(host: HostState, request: FilterRequest): boolean {
      const projectId = request.spec.projectId;
      let restricted = false;
      for (const agg of host.aggregates) {
        const raw = ownValue(agg.metadata, 'filter_tenant_id');
        if (raw === undefined) continue;
        restricted = true;
        if (projectId === undefined) continue;
        if (commaListIncludes(raw, projectId)) return true;
      }
      return !restricted;
    },
  };
}

export const aggregateMultiTenancyIsolationFilterPlugin: FilterPlugin = {
  kind: 'filter',
  classPath:
    'nova.scheduler.filters.aggregate_multitenancy_isolation.AggregateMultiTenancyIsolation',
  description:
    'Passes hosts of aggregates with filter_tenant_id metadata only for the listed projects; other hosts pass.',
  create: () => createAggregateMultiTenancyIsolationFilter(),
};
