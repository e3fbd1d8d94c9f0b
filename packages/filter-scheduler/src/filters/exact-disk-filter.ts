import type { FilterPlugin, HostFilter } from '@opie/core';
import { requestedDiskMb } from './disk-filter.js';

/**
 * Passes only hosts whose free disk equals root + ephemeral + swap exactly
 * (bare metal). On pass writes `limits.diskGb = totalUsableDiskGb` (nova 12.0.2+).
 * @see nova/scheduler/filters/exact_disk_filter.py ExactDiskFilter
 */
export function createExactDiskFilter(): HostFilter {
  return {
    name: 'ExactDiskFilter',
    runFilterOncePerRequest: false,
    hostPasses(host, request) {
      if (requestedDiskMb(request.spec.flavor) !== host.freeDiskMb) return false;
      host.limits.diskGb = host.totalUsableDiskGb;
      return true;
    },
  };
}

export const exactDiskFilterPlugin: FilterPlugin = {
  kind: 'filter',
  classPath: 'nova.scheduler.filters.exact_disk_filter.ExactDiskFilter',
  description: "Passes hosts whose free disk equals the flavor's root + ephemeral + swap exactly.",
  create: () => createExactDiskFilter(),
};
