import type { FilterPlugin, FilterRequest, HostFilter, HostState } from '@opie/core';

/**
 * Passes hosts where every instance has the requested flavor
 * (`instanceTypeId` equal to `spec.flavor.id`); an empty host passes.
 * Instances without an `instanceTypeId` do not count (nova's SQL `!=`
 * skips NULLs). nova queries the database by host name; we read the
 * host state's instances, the same set except on multi-node (Ironic) hosts.
 * @see nova/scheduler/filters/type_filter.py TypeAffinityFilter
 */
export function createTypeAffinityFilter(): HostFilter {
  return {
    name: 'TypeAffinityFilter',
    runFilterOncePerRequest: false,
    hostPasses(host: HostState, request: FilterRequest): boolean {
      const flavorId = request.spec.flavor.id;
      for (const instance of host.instances.values()) {
        const typeId = instance.instanceTypeId;
        if (typeId !== undefined && typeId !== null && typeId !== flavorId) return false;
      }
      return true;
    },
  };
}

export const typeAffinityFilterPlugin: FilterPlugin = {
  kind: 'filter',
  classPath: 'nova.scheduler.filters.type_filter.TypeAffinityFilter',
  description: 'Passes hosts that run no instance of another flavor.',
  create: () => createTypeAffinityFilter(),
};
