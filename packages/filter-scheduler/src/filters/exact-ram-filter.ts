import type { FilterPlugin, HostFilter } from '@opie/core';

/**
 * Passes only hosts whose free RAM equals the flavor's RAM exactly (bare
 * metal). On pass writes `limits.memoryMb = totalUsableRamMb` (nova 12.0.2+).
 * @see nova/scheduler/filters/exact_ram_filter.py ExactRamFilter
 */
export function createExactRamFilter(): HostFilter {
  return {
    name: 'ExactRamFilter',
    runFilterOncePerRequest: false,
    hostPasses(host, request) {
      if (request.spec.flavor.memoryMb !== host.freeRamMb) return false;
      host.limits.memoryMb = host.totalUsableRamMb;
      return true;
    },
  };
}

export const exactRamFilterPlugin: FilterPlugin = {
  kind: 'filter',
  classPath: 'nova.scheduler.filters.exact_ram_filter.ExactRamFilter',
  description: "Passes hosts whose free RAM equals the flavor's RAM exactly (bare metal).",
  create: () => createExactRamFilter(),
};
