import type {
  FilterPlugin,
  FilterRejection,
  FilterRequest,
  HostFilter,
  HostState,
  Logger,
} from '@opie/core';
import { novaVersionOf, novaVersionOption, silentLogger } from '@opie/core';
import { aggregateNumber } from './aggregate-number.js';
import type { ResourceFilterOptions } from './ram-filter.js';
import { round2 } from './round2.js';

/**
 * The vCPU check shared by CoreFilter and AggregateCoreFilter.
 * [quirk] `limits.vcpu = vcpusTotal * ratio` is written whenever it is > 0,
 * before the checks, so it is set even on a host that then fails (nova/scheduler/filters/ram_filter.py, core_filter.py).
 * A host reporting no vCPUs passes (nova's "fail safe").
 */
function corePasses(
  host: HostState,
  request: FilterRequest,
  ratio: number,
  logger: Logger,
  zed = false,
): boolean {
  if (zed) return zedCorePasses(host, request, ratio);
  if (!host.vcpusTotal) {
    logger.warn('VCPUs not set; assuming CPU collection broken', { host: host.host });
    return true;
  }
  const requested = request.spec.flavor.vcpus;
  const limit = host.vcpusTotal * ratio;
  if (limit > 0) {
    host.limits.vcpu = limit;
    // An instance may overcommit against other instances, never against itself.
    if (requested > host.vcpusTotal) return false;
  }
  const free = limit - host.vcpusUsed;
  return !(free < requested);
}

/**
 * Placement's VCPU check (nova Zed, see `ResourceFilterOptions`): a flavor
 * with no vCPUs passes; else the flavor must fit the host's total (so a host
 * reporting none fails: no VCPU inventory) and `total * ratio - used`.
 * `limits.vcpu` is written as Liberty writes it (when > 0, before the checks).
 */
function zedCorePasses(host: HostState, request: FilterRequest, ratio: number): boolean {
  const requested = request.spec.flavor.vcpus;
  const total = host.vcpusTotal;
  const limit = total * ratio;
  if (limit > 0) host.limits.vcpu = limit;
  if (requested === 0) return true;
  if (!(requested <= total)) return false;
  return limit - host.vcpusUsed >= requested;
}

/** Why a host fails the vCPU check, as data. */
function coreRejection(
  filter: string,
  host: HostState,
  request: FilterRequest,
  ratio: number,
  zed = false,
): FilterRejection | undefined {
  const requested = request.spec.flavor.vcpus;
  if (zed ? requested === 0 : !host.vcpusTotal) return undefined;
  const limit = host.vcpusTotal * ratio;
  const available = limit - host.vcpusUsed;
  if ((zed || limit > 0) && requested > host.vcpusTotal) {
    const reason = `insufficient vCPUs: ${requested} requested, host total ${host.vcpusTotal}`;
    return { filter, resource: 'vcpu', requested, available, limit, reason };
  }
  if (zed ? available >= requested : !(available < requested)) return undefined;
  const reason = `insufficient vCPUs: ${requested} requested, ${round2(available)} available`;
  return { filter, resource: 'vcpu', requested, available, limit, reason };
}

/**
 * Passes hosts with enough free vCPUs for the flavor, oversubscribed by the
 * host's `cpuAllocationRatio`. Under `novaVersion: 'zed'`, placement's VCPU
 * check (`zedCorePasses`): a host reporting no vCPUs fails instead of
 * passing, and the "instance larger than the host" check holds whatever the
 * ratio.
 * @see nova/scheduler/filters/core_filter.py CoreFilter
 */
export function createCoreFilter(options: ResourceFilterOptions = {}): HostFilter {
  const logger = options.logger ?? silentLogger;
  const zed = options.novaVersion === 'zed';
  return {
    name: 'CoreFilter',
    runFilterOncePerRequest: false,
    hostPasses: (host, request) => corePasses(host, request, host.cpuAllocationRatio, logger, zed),
    limitDeclarations: [{ resource: 'vcpu', kind: 'ratio' }],
    filterColumns(cols, rows, count, request) {
      const requested = request.spec.flavor.vcpus;
      const { vcpusTotal, vcpusUsed, cpuAllocationRatio, states } = cols;
      let kept = 0;
      if (zed) {
        if (requested === 0) return count;
        for (let j = 0; j < count; j++) {
          const i = rows[j] as number;
          const total = vcpusTotal[i] as number;
          // The same arithmetic as zedCorePasses, in the same order.
          if (!(requested <= total)) continue;
          const limit = total * (cpuAllocationRatio[i] as number);
          if (limit - (vcpusUsed[i] as number) >= requested) rows[kept++] = i;
        }
        return kept;
      }
      for (let j = 0; j < count; j++) {
        const i = rows[j] as number;
        const total = vcpusTotal[i] as number;
        if (!total) {
          // nova's fail-safe, with its warning (rare: run the scalar check).
          if (
            corePasses(states[i] as HostState, request, cpuAllocationRatio[i] as number, logger)
          ) {
            rows[kept++] = i;
          }
          continue;
        }
        const limit = total * (cpuAllocationRatio[i] as number);
        if (limit > 0 && requested > total) continue;
        if (!(limit - (vcpusUsed[i] as number) < requested)) rows[kept++] = i;
      }
      return kept;
    },
    rejection: (host, request) =>
      coreRejection('CoreFilter', host, request, host.cpuAllocationRatio, zed),
    filterAll(hosts, count, request) {
      let kept = 0;
      for (let i = 0; i < count; i++) {
        const host = hosts[i] as HostState;
        if (corePasses(host, request, host.cpuAllocationRatio, logger, zed)) hosts[kept++] = host;
      }
      return kept;
    },
  };
}

/**
 * CoreFilter whose ratio is the minimum `cpu_allocation_ratio` of the host's
 * aggregates, else the host's ratio (also when a value is not a float).
 * @see nova/scheduler/filters/core_filter.py AggregateCoreFilter
 */
export function createAggregateCoreFilter(options: ResourceFilterOptions = {}): HostFilter {
  const logger = options.logger ?? silentLogger;
  const zed = options.novaVersion === 'zed';
  return {
    name: 'AggregateCoreFilter',
    runFilterOncePerRequest: false,
    hostPasses(host, request) {
      const ratio = aggregateNumber(
        host,
        'cpu_allocation_ratio',
        host.cpuAllocationRatio,
        'float',
        (value) =>
          logger.warn('Could not decode float value of aggregate cpu_allocation_ratio', {
            host: host.host,
            value,
          }),
      );
      return corePasses(host, request, ratio, logger, zed);
    },
  };
}

export const coreFilterPlugin: FilterPlugin = {
  kind: 'filter',
  classPath: 'nova.scheduler.filters.core_filter.CoreFilter',
  description: "Passes hosts with enough vCPUs, oversubscribed by the host's cpu_allocation_ratio.",
  options: [novaVersionOption],
  create: (ctx) =>
    createCoreFilter({ logger: ctx.runtime.logger, novaVersion: novaVersionOf(ctx.conf) }),
};

export const aggregateCoreFilterPlugin: FilterPlugin = {
  kind: 'filter',
  classPath: 'nova.scheduler.filters.core_filter.AggregateCoreFilter',
  description:
    'CoreFilter with the ratio taken from aggregate metadata cpu_allocation_ratio (minimum), else the host.',
  options: [novaVersionOption],
  create: (ctx) =>
    createAggregateCoreFilter({ logger: ctx.runtime.logger, novaVersion: novaVersionOf(ctx.conf) }),
};
