import type {
  Flavor,
  FilterPlugin,
  FilterRequest,
  HostFilter,
  HostState,
  Logger,
} from '@opie/core';
import { silentLogger } from '@opie/core';
import { aggregateNumber } from './aggregate-number.js';
import { round2 } from './round2.js';

/** Disk a flavor asks for, in MB: root and ephemeral disks plus swap (nova counts swap here). */
export function requestedDiskMb(flavor: Flavor): number {
  return 1024 * (flavor.rootGb + flavor.ephemeralGb) + flavor.swap;
}

/**
 * The disk check shared by DiskFilter and AggregateDiskFilter. `freeDiskMb`
 * already reflects `disk_available_least`. There is no "instance larger than
 * the whole disk" check in Liberty. On pass writes `limits.diskGb`.
 */
function diskPasses(host: HostState, request: FilterRequest, ratio: number): boolean {
  const requested = requestedDiskMb(request.spec.flavor);
  const totalMb = host.totalUsableDiskGb * 1024;
  const limitMb = totalMb * ratio;
  const usedMb = totalMb - host.freeDiskMb;
  const usableMb = limitMb - usedMb;
  if (!(usableMb >= requested)) return false;
  host.limits.diskGb = limitMb / 1024;
  return true;
}

/**
 * Passes hosts with enough free disk (root + ephemeral + swap), oversubscribed
 * by `host.diskAllocationRatio` (resolved by the host manager from the node or
 * `[DEFAULT] disk_allocation_ratio`, so Liberty's CONF behaviour is kept).
 * @see nova/scheduler/filters/disk_filter.py DiskFilter
 */
export function createDiskFilter(): HostFilter {
  return {
    name: 'DiskFilter',
    runFilterOncePerRequest: false,
    hostPasses: (host, request) => diskPasses(host, request, host.diskAllocationRatio),
    limitDeclarations: [{ resource: 'diskGb', kind: 'ratio' }],
    filterColumns(cols, rows, count, request) {
      const requested = requestedDiskMb(request.spec.flavor);
      const { totalUsableDiskGb, freeDiskMb, diskAllocationRatio } = cols;
      let kept = 0;
      for (let j = 0; j < count; j++) {
        const i = rows[j] as number;
        const totalMb = (totalUsableDiskGb[i] as number) * 1024;
        const usableMb =
          totalMb * (diskAllocationRatio[i] as number) - (totalMb - (freeDiskMb[i] as number));
        if (usableMb >= requested) rows[kept++] = i;
      }
      return kept;
    },
    rejection(host, request) {
      const requested = requestedDiskMb(request.spec.flavor);
      const totalMb = host.totalUsableDiskGb * 1024;
      const limit = totalMb * host.diskAllocationRatio;
      const available = limit - (totalMb - host.freeDiskMb);
      if (available >= requested) return undefined;
      const reason = `insufficient disk: ${requested} MB requested, ${round2(available)} MB available`;
      return { filter: 'DiskFilter', resource: 'disk_mb', requested, available, limit, reason };
    },
    filterAll(hosts, count, request) {
      let kept = 0;
      for (let i = 0; i < count; i++) {
        const host = hosts[i] as HostState;
        if (diskPasses(host, request, host.diskAllocationRatio)) hosts[kept++] = host;
      }
      return kept;
    },
  };
}

/**
 * DiskFilter whose ratio is the minimum `disk_allocation_ratio` of the host's
 * aggregates, else the host's ratio (also when a value is not a float).
 * @see nova/scheduler/filters/disk_filter.py AggregateDiskFilter
 */
export function createAggregateDiskFilter(options: { logger?: Logger } = {}): HostFilter {
  const logger = options.logger ?? silentLogger;
  return {
    name: 'AggregateDiskFilter',
    runFilterOncePerRequest: false,
    hostPasses(host, request) {
      const ratio = aggregateNumber(
        host,
        'disk_allocation_ratio',
        host.diskAllocationRatio,
        'float',
        (value) =>
          logger.warn('Could not decode float value of aggregate disk_allocation_ratio', {
            host: host.host,
            value,
          }),
      );
      return diskPasses(host, request, ratio);
    },
  };
}

export const diskFilterPlugin: FilterPlugin = {
  kind: 'filter',
  classPath: 'nova.scheduler.filters.disk_filter.DiskFilter',
  description:
    'Passes hosts with enough disk for root + ephemeral + swap, oversubscribed by disk_allocation_ratio.',
  create: () => createDiskFilter(),
};

export const aggregateDiskFilterPlugin: FilterPlugin = {
  kind: 'filter',
  classPath: 'nova.scheduler.filters.disk_filter.AggregateDiskFilter',
  description:
    'DiskFilter with the ratio taken from aggregate metadata disk_allocation_ratio (minimum), else the host.',
  create: (ctx) => createAggregateDiskFilter({ logger: ctx.runtime.logger }),
};
