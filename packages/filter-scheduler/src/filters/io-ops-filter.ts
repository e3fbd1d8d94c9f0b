import type { FilterPlugin, HostFilter, HostState, Logger, OptionSpec } from '@opie/core';
import { silentLogger } from '@opie/core';
import { aggregateNumber } from './aggregate-number.js';

/** `[filter_scheduler] max_io_ops_per_host` (Liberty: `[DEFAULT] max_io_ops_per_host`). */
export const maxIoOpsPerHostOption: OptionSpec = {
  group: 'filter_scheduler',
  name: 'max_io_ops_per_host',
  type: 'int',
  default: 8,
  help:
    'IoOpsFilter: hosts with this many or more concurrent I/O-heavy operations ' +
    '(builds, resizes, snapshots, rescues, ...) are filtered out.',
  deprecatedNames: [{ group: 'DEFAULT', name: 'max_io_ops_per_host' }],
};

/** `num < max`; a `null` max (empty IntOpt, Python `None`) fails every host, as in Python 2. */
function below(value: number, max: number | null): boolean {
  return max !== null && value < max;
}

/**
 * Passes hosts with fewer than `maxIoOpsPerHost` I/O-heavy operations in progress.
 * Records the maximum in `host.limits.ioOps` when the host passes (not in
 * nova: the preemption planner reads it).
 * @see nova/scheduler/filters/io_ops_filter.py IoOpsFilter
 */
export function createIoOpsFilter(options: { maxIoOpsPerHost: number | null }): HostFilter {
  const max = options.maxIoOpsPerHost;
  return {
    name: 'IoOpsFilter',
    runFilterOncePerRequest: false,
    ...(max !== null
      ? { limitDeclarations: [{ resource: 'ioOps', kind: 'constant', value: max }] as const }
      : {}),
    filterColumns(cols, rows, count) {
      if (max === null) return 0;
      const { numIoOps } = cols;
      let kept = 0;
      for (let j = 0; j < count; j++) {
        const i = rows[j] as number;
        if ((numIoOps[i] as number) < max) rows[kept++] = i;
      }
      return kept;
    },
    rejection(host) {
      if (below(host.numIoOps, max)) return undefined;
      return {
        filter: 'IoOpsFilter',
        resource: 'io_ops',
        requested: 1,
        ...(max !== null ? { available: max - host.numIoOps, limit: max } : {}),
        reason: `${host.numIoOps} I/O-heavy operations, max_io_ops_per_host ${max ?? 'unset'}`,
      };
    },
    hostPasses(host) {
      if (!below(host.numIoOps, max)) return false;
      host.limits.ioOps = max as number;
      return true;
    },
    filterAll(hosts, count) {
      let kept = 0;
      for (let i = 0; i < count; i++) {
        const host = hosts[i] as HostState;
        if (!below(host.numIoOps, max)) continue;
        host.limits.ioOps = max as number;
        hosts[kept++] = host;
      }
      return kept;
    },
  };
}

/**
 * IoOpsFilter whose maximum is the minimum `max_io_ops_per_host` of the host's
 * aggregates (Python `int()`: `'8.0'` is invalid), else `maxIoOpsPerHost`.
 * Records the maximum in `host.limits.ioOps` when the host passes (not in
 * nova: the preemption planner reads it).
 * @see nova/scheduler/filters/io_ops_filter.py AggregateIoOpsFilter
 */
export function createAggregateIoOpsFilter(options: {
  maxIoOpsPerHost: number | null;
  logger?: Logger;
}): HostFilter {
  const fallback = options.maxIoOpsPerHost;
  const logger = options.logger ?? silentLogger;
  return {
    name: 'AggregateIoOpsFilter',
    runFilterOncePerRequest: false,
    hostPasses(host) {
      const max = aggregateNumber(host, 'max_io_ops_per_host', fallback, 'int', (value) =>
        logger.warn('Could not decode int value of aggregate max_io_ops_per_host', {
          host: host.host,
          value,
        }),
      );
      if (!below(host.numIoOps, max)) return false;
      host.limits.ioOps = max as number;
      return true;
    },
  };
}

export const ioOpsFilterPlugin: FilterPlugin = {
  kind: 'filter',
  classPath: 'nova.scheduler.filters.io_ops_filter.IoOpsFilter',
  description: 'Passes hosts with fewer than max_io_ops_per_host I/O-heavy operations in progress.',
  options: [maxIoOpsPerHostOption],
  create: (ctx) =>
    createIoOpsFilter({
      maxIoOpsPerHost: ctx.conf.int('filter_scheduler', 'max_io_ops_per_host'),
    }),
};

export const aggregateIoOpsFilterPlugin: FilterPlugin = {
  kind: 'filter',
  classPath: 'nova.scheduler.filters.io_ops_filter.AggregateIoOpsFilter',
  description:
    'IoOpsFilter with the maximum taken from aggregate metadata max_io_ops_per_host (minimum).',
  options: [maxIoOpsPerHostOption],
  create: (ctx) =>
    createAggregateIoOpsFilter({
      maxIoOpsPerHost: ctx.conf.int('filter_scheduler', 'max_io_ops_per_host'),
      logger: ctx.runtime.logger,
    }),
};
