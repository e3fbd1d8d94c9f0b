import type { FilterPlugin, HostFilter, HostState, NovaVersion, SchedulerHints } from '@opie/core';
import { novaVersionOf, novaVersionOption } from '@opie/core';

/** Whether any of the hinted uuids (a string or a list) runs on the host. */
function anyInstanceOnHost(host: HostState, uuids: string | readonly string[]): boolean {
  if (typeof uuids === 'string') return host.instances.has(uuids);
  for (const uuid of uuids) if (host.instances.has(uuid)) return true;
  return false;
}

/**
 * Fails hosts running any instance named in the `different_host` hint (a
 * uuid or a list of uuids); passes everything without the hint.
 * @see nova/scheduler/filters/affinity_filter.py DifferentHostFilter
 */
export function createDifferentHostFilter(): HostFilter {
  return {
    name: 'DifferentHostFilter',
    runFilterOncePerRequest: true,
    hostPasses(host, request) {
      const hints: SchedulerHints | undefined = request.spec.schedulerHints;
      const uuids = hints?.['different_host'];
      if (uuids === undefined || uuids.length === 0) return true;
      return !anyInstanceOnHost(host, uuids);
    },
  };
}

/** Options of the affinity filters whose rule depends on the nova release. */
export interface AffinityFilterOptions {
  /** `[opie] nova_version` (default `liberty`). */
  novaVersion?: NovaVersion;
}

/**
 * Passes hosts running any instance named in the `same_host` hint; passes
 * everything without the hint. [quirk] Liberty also passes hosts with no
 * instances at all; under `novaVersion: 'zed'` they fail, as in nova Zed.
 * @see nova/scheduler/filters/affinity_filter.py SameHostFilter (stable/zed)
 */
export function createSameHostFilter(options: AffinityFilterOptions = {}): HostFilter {
  const passEmptyHosts = options.novaVersion !== 'zed';
  return {
    name: 'SameHostFilter',
    runFilterOncePerRequest: true,
    hostPasses(host, request) {
      const hints: SchedulerHints | undefined = request.spec.schedulerHints;
      const uuids = hints?.['same_host'];
      if (uuids === undefined || uuids.length === 0) return true;
      if (passEmptyHosts && host.instances.size === 0) return true;
      return anyInstanceOnHost(host, uuids);
    },
  };
}

export const differentHostFilterPlugin: FilterPlugin = {
  kind: 'filter',
  classPath: 'nova.scheduler.filters.affinity_filter.DifferentHostFilter',
  description: 'Fails hosts running an instance named in the different_host scheduler hint.',
  create: () => createDifferentHostFilter(),
};

export const sameHostFilterPlugin: FilterPlugin = {
  kind: 'filter',
  classPath: 'nova.scheduler.filters.affinity_filter.SameHostFilter',
  description:
    'Passes hosts running an instance named in the same_host scheduler hint (Liberty: and empty hosts).',
  options: [novaVersionOption],
  create: (ctx) => createSameHostFilter({ novaVersion: novaVersionOf(ctx.conf) }),
};
