import type { FilterPlugin, HostFilter } from '@opie/core';

/**
 * Fails the `(host, node)` pairs already tried for this request (a
 * reschedule); passes everything when retries are off. Pairs are compared on
 * host AND node.
 * @see nova/scheduler/filters/retry_filter.py RetryFilter
 */
export function createRetryFilter(): HostFilter {
  return {
    name: 'RetryFilter',
    runFilterOncePerRequest: false,
    passesAll: (request) => (request.spec.retry?.hosts.length ?? 0) === 0,
    hostPasses(host, request) {
      const tried = request.spec.retry?.hosts;
      if (tried === undefined) return true;
      for (const [h, node] of tried) {
        if (h === host.host && node === host.nodename) return false;
      }
      return true;
    },
  };
}

export const retryFilterPlugin: FilterPlugin = {
  kind: 'filter',
  classPath: 'nova.scheduler.filters.retry_filter.RetryFilter',
  description: 'Fails the (host, node) pairs a rescheduled request has already tried.',
  create: () => createRetryFilter(),
};
