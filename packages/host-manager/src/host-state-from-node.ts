import type { Aggregate, ComputeNode, HostView, Instance, Service } from '@opie/core';
import { InvalidArgumentError } from '@opie/core';
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
  validateNode(node);
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

const NODE_NUMBERS = [
  'memoryMb',
  'freeRamMb',
  'localGb',
  'localGbUsed',
  'freeDiskGb',
  'vcpus',
  'vcpusUsed',
] as const;
const NON_NEGATIVE = new Set<string>(['memoryMb', 'localGb', 'vcpus']);

/**
 * The record is checked at the door: `host` and `hypervisorHostname`
 * non-empty strings, every size a finite number (totals >= 0; used and free
 * amounts may be negative, as an overcommitted compute reports them), and
 * the ratios, when set, finite and >= 0. An `InvalidArgumentError` names the
 * field (`node.freeRamMb`) and the value.
 */
function validateNode(node: ComputeNode): void {
  if (typeof node !== 'object' || node === null) {
    throw new InvalidArgumentError('node', node, 'a compute node record');
  }
  for (const key of ['host', 'hypervisorHostname'] as const) {
    if (typeof node[key] !== 'string' || node[key] === '') {
      throw new InvalidArgumentError(`node.${key}`, node[key], 'a non-empty string');
    }
  }
  for (const key of NODE_NUMBERS) {
    const v = node[key];
    const min = NON_NEGATIVE.has(key) ? 0 : -Infinity;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < min) {
      const expected = min === 0 ? 'a finite number >= 0' : 'a finite number';
      throw new InvalidArgumentError(`node.${key}`, v, expected);
    }
  }
  for (const key of ['ramAllocationRatio', 'cpuAllocationRatio', 'diskAllocationRatio'] as const) {
    const v = node[key];
    if (v === undefined || v === null) continue;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
      throw new InvalidArgumentError(`node.${key}`, v, 'a finite number >= 0, or absent');
    }
  }
}
