import type { ComputeNode } from '@opie/core';

/** The scheduler's own configured ratios (nova.conf `[DEFAULT] *_allocation_ratio`). */
export interface ConfiguredRatios {
  /** `cpu_allocation_ratio`; 0 means "not set" (default 0.0). */
  cpuAllocationRatio: number;
  /** `ram_allocation_ratio`; 0 means "not set" (default 0.0). */
  ramAllocationRatio: number;
  /** `disk_allocation_ratio` (default 1.0). */
  diskAllocationRatio: number;
}

/** A host's effective allocation ratios. */
export interface AllocationRatios {
  cpuAllocationRatio: number;
  ramAllocationRatio: number;
  diskAllocationRatio: number;
}

/** nova's defaults: cpu and ram unset (0.0), disk 1.0. */
export const DEFAULT_CONFIGURED_RATIOS: Readonly<ConfiguredRatios> = Object.freeze({
  cpuAllocationRatio: 0,
  ramAllocationRatio: 0,
  diskAllocationRatio: 1,
});

/**
 * nova Zed's `[DEFAULT] initial_disk_allocation_ratio` default: the disk ratio
 * when neither the node nor `disk_allocation_ratio` sets one (> 0).
 * @see nova/objects/compute_node.py _from_db_object (stable/zed)
 */
export const ZED_INITIAL_DISK_ALLOCATION_RATIO = 1.0;

/** Liberty's last-resort cpu ratio when neither the node nor the scheduler sets one. */
export const FALLBACK_CPU_ALLOCATION_RATIO = 16;
/** Liberty's last-resort ram ratio when neither the node nor the scheduler sets one. */
export const FALLBACK_RAM_ALLOCATION_RATIO = 1.5;

function firstPositive(node: number | undefined, configured: number, fallback: number): number {
  if (node !== undefined && node > 0) return node;
  if (configured > 0) return configured;
  return fallback;
}

/**
 * Resolves a node's ratios (nova/compute/resource_tracker.py): the node's value when > 0, else the
 * scheduler's configured value when > 0, else 16.0 (cpu) / 1.5 (ram). The disk
 * ratio is the node's when > 0 (Mitaka+ records), else the configured
 * `disk_allocation_ratio` as is (Liberty reads it from CONF only).
 * @see nova/objects/compute_node.py _from_db_object (allocation ratio fallback)
 */
export function resolveAllocationRatios(
  node: Pick<ComputeNode, 'cpuAllocationRatio' | 'ramAllocationRatio' | 'diskAllocationRatio'>,
  configured: ConfiguredRatios = DEFAULT_CONFIGURED_RATIOS,
): AllocationRatios {
  const disk = node.diskAllocationRatio;
  return {
    cpuAllocationRatio: firstPositive(
      node.cpuAllocationRatio,
      configured.cpuAllocationRatio,
      FALLBACK_CPU_ALLOCATION_RATIO,
    ),
    ramAllocationRatio: firstPositive(
      node.ramAllocationRatio,
      configured.ramAllocationRatio,
      FALLBACK_RAM_ALLOCATION_RATIO,
    ),
    diskAllocationRatio: disk !== undefined && disk > 0 ? disk : configured.diskAllocationRatio,
  };
}
