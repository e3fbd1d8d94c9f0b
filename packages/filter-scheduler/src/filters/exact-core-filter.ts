import type { FilterPlugin, HostFilter } from '@opie/core';

/**
 * Passes only hosts whose free vCPUs equal the flavor's vCPUs exactly (bare
 * metal). Unlike CoreFilter, a host reporting no vCPUs fails. On pass writes
 * `limits.vcpu = vcpusTotal` (nova 12.0.2+).
 * @see nova/scheduler/filters/exact_core_filter.py ExactCoreFilter
 */
export function createExactCoreFilter(): HostFilter {
  return {
    name: 'ExactCoreFilter',
    runFilterOncePerRequest: false,
    hostPasses(host, request) {
      if (!host.vcpusTotal) return false;
      if (request.spec.flavor.vcpus !== host.vcpusTotal - host.vcpusUsed) return false;
      host.limits.vcpu = host.vcpusTotal;
      return true;
    },
  };
}

export const exactCoreFilterPlugin: FilterPlugin = {
  kind: 'filter',
  classPath: 'nova.scheduler.filters.exact_core_filter.ExactCoreFilter',
  description: "Passes hosts whose free vCPUs equal the flavor's vCPUs exactly (bare metal).",
  create: () => createExactCoreFilter(),
};
