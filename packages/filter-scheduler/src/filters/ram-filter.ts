import type {
  FilterPlugin,
  FilterRejection,
  FilterRequest,
  HostFilter,
  HostState,
  Logger,
  NovaVersion,
} from '@opie/core';
import { novaVersionOf, novaVersionOption, silentLogger } from '@opie/core';
import { aggregateNumber } from './aggregate-number.js';
import { round2 } from './round2.js';

/**
 * The RAM check shared by RamFilter and AggregateRamFilter. On pass it writes
 * `limits.memoryMb = total * ratio` (nova/scheduler/filters/ram_filter.py, core_filter.py). Comparisons are written as
 * nova's `not a >= b` so a NaN ratio fails the host, as in Python.
 */
function ramPasses(host: HostState, request: FilterRequest, ratio: number, zed = false): boolean {
  const requested = request.spec.flavor.memoryMb;
  const total = host.totalUsableRamMb;
  // Placement (zed) is not asked for a resource the flavor does not use.
  if (zed && requested === 0) {
    host.limits.memoryMb = total * ratio;
    return true;
  }
  // An instance may overcommit against other instances, never against itself.
  if (!(total >= requested)) return false;
  const limit = total * ratio;
  const used = total - host.freeRamMb;
  const usable = limit - used;
  if (!(usable >= requested)) return false;
  host.limits.memoryMb = limit;
  return true;
}

/** Why a host fails the RAM check, as data. */
function ramRejection(
  filter: string,
  host: HostState,
  request: FilterRequest,
  ratio: number,
  zed = false,
): FilterRejection | undefined {
  const requested = request.spec.flavor.memoryMb;
  if (zed && requested === 0) return undefined;
  const total = host.totalUsableRamMb;
  const limit = total * ratio;
  const available = limit - (total - host.freeRamMb);
  if (total >= requested && available >= requested) return undefined;
  const reason =
    total >= requested
      ? `insufficient RAM: ${requested} MB requested, ${round2(available)} MB available`
      : `insufficient RAM: ${requested} MB requested, host total ${total} MB`;
  return { filter, resource: 'memory_mb', requested, available, limit, reason };
}

/** Options of the resource filters whose rule depends on the nova release. */
export interface ResourceFilterOptions {
  logger?: Logger;
  /**
   * `[opie] nova_version` (default `liberty`). nova Zed has no such filter
   * (placement checks resources); under `zed` the filter applies
   * placement's check: a flavor asking for none of the resource passes, and
   * otherwise one instance must fit the host's total (placement's
   * `max_unit`) and `total * ratio - used` (used includes the reserved
   * amount, as the compute node's free figures do).
   */
  novaVersion?: NovaVersion;
}

/**
 * Passes hosts with enough free RAM for the flavor, oversubscribed by the
 * host's `ramAllocationRatio`. Under `novaVersion: 'zed'`, placement's
 * MEMORY_MB check (see `ResourceFilterOptions`): Liberty's rule already
 * refuses an instance larger than the host's total, so only a flavor with
 * no RAM differs (it passes every host).
 * @see nova/scheduler/filters/ram_filter.py RamFilter
 */
export function createRamFilter(options: ResourceFilterOptions = {}): HostFilter {
  const zed = options.novaVersion === 'zed';
  return {
    name: 'RamFilter',
    runFilterOncePerRequest: false,
    hostPasses: (host, request) => ramPasses(host, request, host.ramAllocationRatio, zed),
    limitDeclarations: [{ resource: 'memoryMb', kind: 'ratio' }],
    filterColumns(cols, rows, count, request) {
      const requested = request.spec.flavor.memoryMb;
      if (zed && requested === 0) return count;
      const { totalUsableRamMb, freeRamMb, ramAllocationRatio } = cols;
      let kept = 0;
      for (let j = 0; j < count; j++) {
        const i = rows[j] as number;
        const total = totalUsableRamMb[i] as number;
        // The same arithmetic as ramPasses, in the same order (bit-identical).
        if (!(total >= requested)) continue;
        const usable =
          total * (ramAllocationRatio[i] as number) - (total - (freeRamMb[i] as number));
        if (usable >= requested) rows[kept++] = i;
      }
      return kept;
    },
    rejection: (host, request) =>
      ramRejection('RamFilter', host, request, host.ramAllocationRatio, zed),
    filterAll(hosts, count, request) {
      let kept = 0;
      for (let i = 0; i < count; i++) {
        const host = hosts[i] as HostState;
        if (ramPasses(host, request, host.ramAllocationRatio, zed)) hosts[kept++] = host;
      }
      return kept;
    },
  };
}

/**
 * RamFilter whose ratio is the minimum `ram_allocation_ratio` of the host's
 * aggregates, else the host's ratio (also when a value is not a float).
 * @see nova/scheduler/filters/ram_filter.py AggregateRamFilter
 */
export function createAggregateRamFilter(options: ResourceFilterOptions = {}): HostFilter {
  const logger = options.logger ?? silentLogger;
  const zed = options.novaVersion === 'zed';
  return {
    name: 'AggregateRamFilter',
    runFilterOncePerRequest: false,
    hostPasses(host, request) {
      const ratio = aggregateNumber(
        host,
        'ram_allocation_ratio',
        host.ramAllocationRatio,
        'float',
        (value) =>
          logger.warn('Could not decode float value of aggregate ram_allocation_ratio', {
            host: host.host,
            value,
          }),
      );
      return ramPasses(host, request, ratio, zed);
    },
  };
}

export const ramFilterPlugin: FilterPlugin = {
  kind: 'filter',
  classPath: 'nova.scheduler.filters.ram_filter.RamFilter',
  description: "Passes hosts with enough RAM, oversubscribed by the host's ram_allocation_ratio.",
  options: [novaVersionOption],
  create: (ctx) => createRamFilter({ novaVersion: novaVersionOf(ctx.conf) }),
};

export const aggregateRamFilterPlugin: FilterPlugin = {
  kind: 'filter',
  classPath: 'nova.scheduler.filters.ram_filter.AggregateRamFilter',
  description:
    'RamFilter with the ratio taken from aggregate metadata ram_allocation_ratio (minimum), else the host.',
  options: [novaVersionOption],
  create: (ctx) =>
    createAggregateRamFilter({ logger: ctx.runtime.logger, novaVersion: novaVersionOf(ctx.conf) }),
};
