import type { FilterPlugin, FilterRequest, HostFilter, Logger } from '@opie/core';
import { silentLogger } from '@opie/core';
import { matchingEntries, unmodelledNeedsFilter } from './unmodelled-needs.js';

const NOT_MODELLED = 'host PCI device pools';

/** Whether `pciRequests` holds a request (nova: `pci_requests.requests` is not empty). */
function hasPciRequests(value: unknown): boolean {
  if (value === undefined || value === null) return false;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'object' && 'requests' in value) {
    const { requests } = value;
    return !Array.isArray(requests) || requests.length > 0;
  }
  return true;
}

/** What a request asks for that needs PCI modelling (empty: nothing). */
export function pciNeeds(request: FilterRequest): string[] {
  const { spec } = request;
  const needs = matchingEntries(
    'flavor extra spec',
    spec.flavor.extraSpecs,
    (key) => key === 'pci_passthrough:alias',
  );
  if (hasPciRequests(spec.pciRequests)) needs.push('PCI devices (pciRequests)');
  return needs;
}

/**
 * nova's PciPassthroughFilter for clouds opie models: a request without PCI
 * requests passes every host (as in nova); one with a `pci_passthrough:alias`
 * extra spec or PCI requests fails every host with a logged reason naming
 * the filter, since opie has no PCI device pools.
 * @see nova/scheduler/filters/pci_passthrough_filter.py PciPassthroughFilter
 */
export function createPciPassthroughFilter(options: { logger?: Logger } = {}): HostFilter {
  return unmodelledNeedsFilter(
    'PciPassthroughFilter',
    NOT_MODELLED,
    pciNeeds,
    options.logger ?? silentLogger,
  );
}

export const pciPassthroughFilterPlugin: FilterPlugin = {
  kind: 'filter',
  classPath: 'nova.scheduler.filters.pci_passthrough_filter.PciPassthroughFilter',
  description:
    'Passes every host for a request without PCI needs; fails a request with pci_passthrough:alias or PCI requests, which opie does not model.',
  create: (ctx) => createPciPassthroughFilter({ logger: ctx.runtime.logger }),
};
