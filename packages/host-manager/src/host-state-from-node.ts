import type { Aggregate, ComputeNode, HostView, Instance, Service } from '@opie/core';
import type { ConfiguredRatios } from './allocation-ratios.js';
import { DEFAULT_CONFIGURED_RATIOS } from './allocation-ratios.js';
import type { NodeHostState } from './host-state.js';
import { NodeViews } from './node-views.js';

export interface HostStateFromNodeOptions {
  /** Default `full`. */
  view?: HostView;
  /** The instances the host reports, in order. */
  instances?: Iterable<Instance>;
  service?: Service;
  aggregates?: readonly Aggregate[];
  /** The scheduler's configured ratios (default: nova's 0.0 / 0.0 / 1.0). */
  configured?: Partial<ConfiguredRatios>;
}

/**
 * A host state built from one compute node record and its instances, with no
 * claims: nova's `HostState.update_from_compute_node` (nova/scheduler/host_manager.py), or opie's
 * partial state for `view: 'free'`. Pure; a fresh object on every call.
 * @see nova/scheduler/host_manager.py HostState.update_from_compute_node
 */
export function hostStateFromNode(
  node: ComputeNode,
  options: HostStateFromNodeOptions = {},
): NodeHostState {
  const c = options.configured ?? {};
  const configured: ConfiguredRatios = {
    cpuAllocationRatio: c.cpuAllocationRatio ?? DEFAULT_CONFIGURED_RATIOS.cpuAllocationRatio,
    ramAllocationRatio: c.ramAllocationRatio ?? DEFAULT_CONFIGURED_RATIOS.ramAllocationRatio,
    diskAllocationRatio: c.diskAllocationRatio ?? DEFAULT_CONFIGURED_RATIOS.diskAllocationRatio,
  };
  const views = new NodeViews(node, configured, new Map());
  views.setListed([...(options.instances ?? [])]);
  if (options.service !== undefined) views.setService(options.service);
  if (options.aggregates !== undefined) views.setAggregates(options.aggregates);
  views.recompute();
  return options.view === 'free' ? views.free : views.full;
}
