import type { Flavor, FilterPlugin, FilterRequest, HostFilter, HostState } from '@opie/core';
import { novaVersionOf, novaVersionOption, silentLogger } from '@opie/core';
import { aggregateNumber } from './aggregate-number.js';
import type { ResourceFilterOptions } from './ram-filter.js';
import { round2 } from './round2.js';

/** Disk a flavor asks for, in MB: root and ephemeral disks plus swap (nova counts swap here). */
export function requestedDiskMb(flavor: Flavor): number {
  return 1024 * (flavor.rootGb + flavor.ephemeralGb) + flavor.swap;
}

/**
 * The DISK_GB amount placement is asked for (nova Zed), in MB: root and
 * ephemeral disks plus swap rounded up to whole GB.
 * @see nova/scheduler/utils.py ResourceRequest.from_request_spec (stable/zed)
 */
export function placementDiskMb(flavor: Flavor): number {
  return 1024 * (flavor.rootGb + flavor.ephemeralGb + Math.ceil(flavor.swap / 1024));
}

/**
 * The disk check shared by DiskFilter and AggregateDiskFilter. `freeDiskMb`
 * already reflects `disk_available_least`. There is no "instance larger than
 * the whole disk" check in Liberty. On pass writes `limits.diskGb`. With
 * `zed`, placement's check: the amount is `placementDiskMb`, none passes,
 * and it must also fit the whole disk (`max_unit`).
 */
function diskPasses(host: HostState, request: FilterRequest, ratio: number, zed = false): boolean {
  const totalMb = host.totalUsableDiskGb * 1024;
  const limitMb = totalMb * ratio;
  const requested = zed
    ? placementDiskMb(request.spec.flavor)
    : requestedDiskMb(request.spec.flavor);
  if (zed && requested > 0) {
    if (!(requested <= totalMb)) return false;
  }
  if (!zed || requested > 0) {
    const usedMb = totalMb - host.freeDiskMb;
    const usableMb = limitMb - usedMb;
    if (!(usableMb >= requested)) return false;
  }
  host.limits.diskGb = limitMb / 1024;
  return true;
}

/**
 * Passes hosts with enough free disk (root + ephemeral + swap), oversubscribed
 * by `host.diskAllocationRatio` (resolved by the host manager from the node or
 * `[DEFAULT] disk_allocation_ratio`, so Liberty's CONF behaviour is kept).
 * Under `novaVersion: 'zed'`, placement's DISK_GB check (see
 * `ResourceFilterOptions`): swap counts in whole GB (`placementDiskMb`), a
 * flavor with no disk passes, and the flavor's disk must fit the whole disk.
 * @see nova/scheduler/filters/disk_filter.py DiskFilter
 */
export function createDiskFilter(options: ResourceFilterOptions = {}): HostFilter {
  const zed = options.novaVersion === 'zed';
  const amountOf = zed ? placementDiskMb : requestedDiskMb;
  return {
    name: 'DiskFilter',
    runFilterOncePerRequest: false,
    hostPasses: (host, request) => diskPasses(host, request, host.diskAllocationRatio, zed),
    limitDeclarations: [{ resource: 'diskGb', kind: 'ratio' }],
    filterColumns(cols, rows, count, request) {
      const requested = amountOf(request.spec.flavor);
      if (zed && requested === 0) return count;
      const { totalUsableDiskGb, freeDiskMb, diskAllocationRatio } = cols;
      let kept = 0;
      for (let j = 0; j < count; j++) {
        const i = rows[j] as number;
        const totalMb = (totalUsableDiskGb[i] as number) * 1024;
        if (zed && !(requested <= totalMb)) continue;
        const usableMb =
          totalMb * (diskAllocationRatio[i] as number) - (totalMb - (freeDiskMb[i] as number));
        if (usableMb >= requested) rows[kept++] = i;
      }
      return kept;
    },
    rejection(host, request) {
      const requested = amountOf(request.spec.flavor);
      const totalMb = host.totalUsableDiskGb * 1024;
      const limit = totalMb * host.diskAllocationRatio;
      const available = limit - (totalMb - host.freeDiskMb);
      if (zed && requested === 0) return undefined;
      if (zed && !(requested <= totalMb)) {
        const reason = `insufficient disk: ${requested} MB requested, host total ${totalMb} MB`;
        return { filter: 'DiskFilter', resource: 'disk_mb', requested, available, limit, reason };
      }
      if (available >= requested) return undefined;
      const reason = `insufficient disk: ${requested} MB requested, ${round2(available)} MB available`;
      return { filter: 'DiskFilter', resource: 'disk_mb', requested, available, limit, reason };
    },
    filterAll(hosts, count, request) {
      let kept = 0;
      for (let i = 0; i < count; i++) {
        const host = hosts[i] as HostState;
        if (diskPasses(host, request, host.diskAllocationRatio, zed)) hosts[kept++] = host;
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
export function createAggregateDiskFilter(options: ResourceFilterOptions = {}): HostFilter {
  const logger = options.logger ?? silentLogger;
  const zed = options.novaVersion === 'zed';
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
      return diskPasses(host, request, ratio, zed);
    },
  };
}

export const diskFilterPlugin: FilterPlugin = {
  kind: 'filter',
  classPath: 'nova.scheduler.filters.disk_filter.DiskFilter',
  description:
    'Passes hosts with enough disk for root + ephemeral + swap, oversubscribed by disk_allocation_ratio.',
  options: [novaVersionOption],
  create: (ctx) => createDiskFilter({ novaVersion: novaVersionOf(ctx.conf) }),
};

export const aggregateDiskFilterPlugin: FilterPlugin = {
  kind: 'filter',
  classPath: 'nova.scheduler.filters.disk_filter.AggregateDiskFilter',
  description:
    'DiskFilter with the ratio taken from aggregate metadata disk_allocation_ratio (minimum), else the host.',
  options: [novaVersionOption],
  create: (ctx) =>
    createAggregateDiskFilter({ logger: ctx.runtime.logger, novaVersion: novaVersionOf(ctx.conf) }),
};
