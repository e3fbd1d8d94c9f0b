import type { FilterPlugin, FilterRequest, HostFilter, Logger } from '@opie/core';
import { silentLogger } from '@opie/core';
import { matchingEntries, unmodelledNeedsFilter } from './unmodelled-needs.js';

const NOT_MODELLED = 'host NUMA topologies (cells, CPU pinning, huge pages)';

/**
 * Whether a flavor extra spec or image property asks for a NUMA topology, as
 * nova's `numa_get_constraints` builds one: `hw:numa_*` (`hw_numa_*`),
 * `hw:mem_page_size` (`hw_mem_page_size`), or a `hw:cpu_policy`
 * (`hw_cpu_policy`) other than `shared` (a shared policy alone builds none).
 * @see nova/virt/hardware.py numa_get_constraints
 */
function asksForNuma(prefix: string): (key: string, value: unknown) => boolean {
  return (key, value) => {
    if (!key.startsWith(prefix)) return false;
    const rest = key.slice(prefix.length);
    if (rest.startsWith('numa_') || rest === 'mem_page_size') return true;
    return rest === 'cpu_policy' && String(value).trim().toLowerCase() !== 'shared';
  };
}

const flavorAsks = asksForNuma('hw:');
const imageAsks = asksForNuma('hw_');

/** What a request asks for that needs NUMA modelling (empty: nothing). */
export function numaNeeds(request: FilterRequest): string[] {
  const { spec } = request;
  const needs = [
    ...matchingEntries('flavor extra spec', spec.flavor.extraSpecs, flavorAsks),
    ...matchingEntries('image property', spec.image.properties, imageAsks),
  ];
  if (spec.numaTopology !== undefined && spec.numaTopology !== null) {
    needs.push('a NUMA topology (numaTopology)');
  }
  return needs;
}

/**
 * nova's NUMATopologyFilter for clouds opie models: a request without a NUMA
 * topology passes every host (as in nova, which checks nothing then); one
 * that asks for NUMA cells, CPU pinning or huge pages fails every host with a
 * logged reason naming the filter, since opie has no host NUMA model.
 * @see nova/scheduler/filters/numa_topology_filter.py NUMATopologyFilter
 */
export function createNumaTopologyFilter(options: { logger?: Logger } = {}): HostFilter {
  return unmodelledNeedsFilter(
    'NUMATopologyFilter',
    NOT_MODELLED,
    numaNeeds,
    options.logger ?? silentLogger,
  );
}

export const numaTopologyFilterPlugin: FilterPlugin = {
  kind: 'filter',
  classPath: 'nova.scheduler.filters.numa_topology_filter.NUMATopologyFilter',
  description:
    'Passes every host for a request without NUMA needs; fails a request with hw:numa_*, hw:cpu_policy (not shared) or hw:mem_page_size, which opie does not model.',
  create: (ctx) => createNumaTopologyFilter({ logger: ctx.runtime.logger }),
};
