import type { FilterPlugin, HostFilter, Logger, OptionSpec } from '@opie/core';
import { silentLogger } from '@opie/core';
import { aggregateNumber } from './aggregate-number.js';

/** `[filter_scheduler] max_instances_per_host` (Liberty: `[DEFAULT] max_instances_per_host`). */
export const maxInstancesPerHostOption: OptionSpec = {
  group: 'filter_scheduler',
  name: 'max_instances_per_host',
  type: 'int',
  default: 50,
  help: 'NumInstancesFilter: hosts with this many or more instances are filtered out.',
  deprecatedNames: [{ group: 'DEFAULT', name: 'max_instances_per_host' }],
};

/** `num < max`; a `null` max (empty IntOpt, Python `None`) fails every host, as in Python 2. */
function below(value: number, max: number | null): boolean {
  return max !== null && value < max;
}

/**
 * Passes hosts with fewer than `maxInstancesPerHost` instances.
 * Records the maximum in `host.limits.numInstances` when the host passes (not in
 * nova: the preemption planner reads it).
 * @see nova/scheduler/filters/num_instances_filter.py NumInstancesFilter
 */
export function createNumInstancesFilter(options: {
  maxInstancesPerHost: number | null;
}): HostFilter {
  const max = options.maxInstancesPerHost;
  return {
    name: 'NumInstancesFilter',
    runFilterOncePerRequest: false,
    ...(max !== null
      ? { limitDeclarations: [{ resource: 'numInstances', kind: 'constant', value: max }] as const }
      : {}),
    filterColumns(cols, rows, count) {
      if (max === null) return 0;
      const { numInstances } = cols;
      let kept = 0;
      for (let j = 0; j < count; j++) {
        const i = rows[j] as number;
        if ((numInstances[i] as number) < max) rows[kept++] = i;
      }
      return kept;
    },
    rejection(host) {
      if (below(host.numInstances, max)) return undefined;
      return {
        filter: 'NumInstancesFilter',
        resource: 'instances',
        requested: 1,
        ...(max !== null ? { available: max - host.numInstances, limit: max } : {}),
        reason: `${host.numInstances} instances, max_instances_per_host ${max ?? 'unset'}`,
      };
    },
    hostPasses(host) {
      if (!below(host.numInstances, max)) return false;
      host.limits.numInstances = max as number;
      return true;
    },
  };
}

/**
 * NumInstancesFilter whose maximum is the minimum `max_instances_per_host` of
 * the host's aggregates (Python `int()`), else `maxInstancesPerHost`.
 * Records the maximum in `host.limits.numInstances` when the host passes (not in
 * nova: the preemption planner reads it).
 * @see nova/scheduler/filters/num_instances_filter.py AggregateNumInstancesFilter
 */
export function createAggregateNumInstancesFilter(options: {
  maxInstancesPerHost: number | null;
  logger?: Logger;
}): HostFilter {
  const fallback = options.maxInstancesPerHost;
  const logger = options.logger ?? silentLogger;
  return {
    name: 'AggregateNumInstancesFilter',
    runFilterOncePerRequest: false,
    hostPasses(host) {
      const max = aggregateNumber(host, 'max_instances_per_host', fallback, 'int', (value) =>
        logger.warn('Could not decode int value of aggregate max_instances_per_host', {
          host: host.host,
          value,
        }),
      );
      if (!below(host.numInstances, max)) return false;
      host.limits.numInstances = max as number;
      return true;
    },
  };
}

export const numInstancesFilterPlugin: FilterPlugin = {
  kind: 'filter',
  classPath: 'nova.scheduler.filters.num_instances_filter.NumInstancesFilter',
  description: 'Passes hosts with fewer than max_instances_per_host instances.',
  options: [maxInstancesPerHostOption],
  create: (ctx) =>
    createNumInstancesFilter({
      maxInstancesPerHost: ctx.conf.int('filter_scheduler', 'max_instances_per_host'),
    }),
};

export const aggregateNumInstancesFilterPlugin: FilterPlugin = {
  kind: 'filter',
  classPath: 'nova.scheduler.filters.num_instances_filter.AggregateNumInstancesFilter',
  description:
    'NumInstancesFilter with the maximum taken from aggregate metadata max_instances_per_host (minimum).',
  options: [maxInstancesPerHostOption],
  create: (ctx) =>
    createAggregateNumInstancesFilter({
      maxInstancesPerHost: ctx.conf.int('filter_scheduler', 'max_instances_per_host'),
      logger: ctx.runtime.logger,
    }),
};
