import type { FilterPlugin, HostFilter, HostState, OptionSpec } from '@opie/core';
import { SERVICE_PRESENT } from '@opie/core';
import { effectiveServiceDownTime, serviceIsUp } from './service-liveness.js';

/** `[DEFAULT] service_down_time` and `[DEFAULT] report_interval` (not moved by Ocata). */
export const serviceDownTimeOptions: readonly OptionSpec[] = [
  {
    group: 'DEFAULT',
    name: 'service_down_time',
    type: 'int',
    default: 60,
    help: 'Seconds since the last heartbeat after which a compute service counts as down.',
  },
  {
    group: 'DEFAULT',
    name: 'report_interval',
    type: 'int',
    default: 10,
    help:
      'Seconds between service heartbeats; if service_down_time is not above it, ' +
      'int(report_interval * 2.5) is used as the down time.',
  },
];

/**
 * Fails hosts whose compute service is missing, disabled, forced down or
 * has not reported within `serviceDownTime` seconds of `request.now`.
 * A missing service record or a service with no heartbeat at all fails the
 * host (nova raises and the request errors).
 * @see nova/scheduler/filters/compute_filter.py ComputeFilter
 */
export function createComputeFilter(options: { serviceDownTime: number }): HostFilter {
  const downTime = options.serviceDownTime;
  return {
    name: 'ComputeFilter',
    runFilterOncePerRequest: true,
    hostPasses(host, request) {
      const service = host.service;
      if (service === undefined || service.disabled) return false;
      return serviceIsUp(service, request.now, downTime);
    },
    filterColumns(cols, rows, count, request) {
      const now = request.now;
      const limitMs = downTime * 1000;
      const { service, heartbeat } = cols;
      let kept = 0;
      for (let j = 0; j < count; j++) {
        const i = rows[j] as number;
        // present, not disabled, not forced down, heartbeat within the down time
        // (a NaN heartbeat, none known, fails: serviceIsUp's arithmetic).
        if ((service[i] as number) !== SERVICE_PRESENT) continue;
        if (Math.abs(now - (heartbeat[i] as number)) <= limitMs) rows[kept++] = i;
      }
      return kept;
    },
    rejection(host, request) {
      const s = host.service;
      if (s === undefined) return { filter: 'ComputeFilter', reason: 'no compute service' };
      if (s.disabled) return { filter: 'ComputeFilter', reason: 'compute service disabled' };
      if (serviceIsUp(s, request.now, downTime)) return undefined;
      return { filter: 'ComputeFilter', reason: 'compute service down' };
    },
    filterAll(hosts, count, request) {
      const now = request.now;
      let kept = 0;
      for (let i = 0; i < count; i++) {
        const host = hosts[i] as HostState;
        const service = host.service;
        if (service === undefined || service.disabled) continue;
        if (serviceIsUp(service, now, downTime)) hosts[kept++] = host;
      }
      return kept;
    },
  };
}

export const computeFilterPlugin: FilterPlugin = {
  kind: 'filter',
  classPath: 'nova.scheduler.filters.compute_filter.ComputeFilter',
  description: 'Passes hosts whose compute service is enabled and up.',
  options: serviceDownTimeOptions,
  create: (ctx) =>
    createComputeFilter({
      serviceDownTime: effectiveServiceDownTime(
        ctx.conf.int('DEFAULT', 'service_down_time'),
        ctx.conf.int('DEFAULT', 'report_interval'),
      ),
    }),
};
