import {
  NOVA_VERSIONS,
  NOVA_VERSION_LABEL,
  novaVersionOption as coreNovaVersionOption,
} from '@opie/core';
import type { NovaVersion, OptionSpec } from '@opie/core';
import { z } from 'zod';

export { NOVA_VERSIONS, NOVA_VERSION_LABEL };
export type { NovaVersion };

/** `[opie] nova_version` (core's spec), validated with zod by the loader. */
export const novaVersionOption: OptionSpec = {
  ...coreNovaVersionOption,
  schema: z.enum(NOVA_VERSIONS),
};

/**
 * nova Zed's `[filter_scheduler] enabled_filters` default.
 * @see nova/conf/scheduler.py (stable/zed) enabled_filters
 */
export const ZED_DEFAULT_FILTERS: readonly string[] = [
  'ComputeFilter',
  'ComputeCapabilitiesFilter',
  'ImagePropertiesFilter',
  'ServerGroupAntiAffinityFilter',
  'ServerGroupAffinityFilter',
];

/** The group name both versions use for "every weigher". */
export const ALL_WEIGHERS = 'nova.scheduler.weights.all_weighers';

/**
 * nova Zed's `all_weighers()`, in its module order. In `zed` mode the
 * `nova.scheduler.weights.all_weighers` entry stands for these; any that no
 * plugin is registered for (a registry without @opie/weighers' Zed weighers)
 * is left out with one warning.
 * @see nova/scheduler/weights/__init__.py (stable/zed) all_weighers
 */
export const ZED_ALL_WEIGHERS: readonly string[] = [
  'nova.scheduler.weights.affinity.ServerGroupSoftAffinityWeigher',
  'nova.scheduler.weights.affinity.ServerGroupSoftAntiAffinityWeigher',
  'nova.scheduler.weights.compute.BuildFailureWeigher',
  'nova.scheduler.weights.cpu.CPUWeigher',
  'nova.scheduler.weights.cross_cell.CrossCellWeigher',
  'nova.scheduler.weights.disk.DiskWeigher',
  'nova.scheduler.weights.io_ops.IoOpsWeigher',
  'nova.scheduler.weights.metrics.MetricsWeigher',
  'nova.scheduler.weights.pci.PCIWeigher',
  'nova.scheduler.weights.ram.RAMWeigher',
];

/**
 * The weighers of nova Zed's `all_weighers` that Liberty lacks (CPUWeigher
 * and DiskWeigher, Rocky and Mitaka, are usable in both versions as before):
 * accepted only under `[opie] nova_version = zed`.
 * @see nova/scheduler/weights/__init__.py (stable/zed) all_weighers
 */
export const ZED_ONLY_WEIGHERS: readonly string[] = [
  'nova.scheduler.weights.affinity.ServerGroupSoftAffinityWeigher',
  'nova.scheduler.weights.affinity.ServerGroupSoftAntiAffinityWeigher',
  'nova.scheduler.weights.compute.BuildFailureWeigher',
  'nova.scheduler.weights.cross_cell.CrossCellWeigher',
  'nova.scheduler.weights.pci.PCIWeigher',
];

/** A nova Zed option that Liberty lacks. */
export interface ZedOnlyOption {
  /** The weigher it is the multiplier of, if any (its class name). */
  of?: string;
  /** The `group.name` nova Zed reads instead (an old spelling Zed no longer reads). */
  renamedTo?: string;
}

/**
 * Options of nova Zed that Liberty lacks and no opie plugin declares, by
 * `group.name`: the Mitaka `[DEFAULT]` spellings of the soft-affinity
 * weighers' multipliers (nova Zed reads only the `[filter_scheduler]` ones,
 * which the weighers declare) and Zed scheduler options opie does not model.
 * @see nova/conf/scheduler.py (stable/zed)
 */
export const ZED_ONLY_OPTIONS: ReadonlyMap<string, ZedOnlyOption> = new Map([
  [
    'DEFAULT.soft_affinity_weight_multiplier',
    {
      of: 'ServerGroupSoftAffinityWeigher',
      renamedTo: 'filter_scheduler.soft_affinity_weight_multiplier',
    },
  ],
  [
    'DEFAULT.soft_anti_affinity_weight_multiplier',
    {
      of: 'ServerGroupSoftAntiAffinityWeigher',
      renamedTo: 'filter_scheduler.soft_anti_affinity_weight_multiplier',
    },
  ],
  ['filter_scheduler.shuffle_best_same_weighed_hosts', {}],
  ['filter_scheduler.image_properties_default_architecture', {}],
  ['filter_scheduler.pci_in_placement', {}],
  ['scheduler.discover_hosts_in_cells_interval', {}],
  ['scheduler.workers', {}],
  ['scheduler.max_placement_results', {}],
  ['scheduler.limit_tenants_to_placement_aggregate', {}],
  ['scheduler.placement_aggregate_required_for_tenants', {}],
  ['scheduler.query_placement_for_availability_zone', {}],
  ['scheduler.query_placement_for_image_type_support', {}],
  ['scheduler.query_placement_for_routed_network_aggregates', {}],
  ['scheduler.enable_isolated_aggregate_filtering', {}],
  ['scheduler.image_metadata_prefilter', {}],
]);

/**
 * nova Liberty scheduler options that opie does not model and nova Zed no
 * longer has, by `group.name`, with what to do instead (if anything). The
 * `[filter_scheduler]` baremetal names are their Pike renames, also gone by Zed.
 * @see nova/conf/scheduler.py (Mitaka, the first with Liberty's options gathered)
 */
export const LIBERTY_ONLY_OPTIONS: ReadonlyMap<string, string | undefined> = new Map([
  [
    'DEFAULT.scheduler_use_baremetal_filters',
    'list ExactRamFilter, ExactCoreFilter, ExactDiskFilter in enabled_filters instead',
  ],
  [
    'DEFAULT.baremetal_scheduler_default_filters',
    'list the baremetal filters in enabled_filters instead',
  ],
  [
    'filter_scheduler.use_baremetal_filters',
    'list ExactRamFilter, ExactCoreFilter, ExactDiskFilter in enabled_filters instead',
  ],
  [
    'filter_scheduler.baremetal_enabled_filters',
    'list the baremetal filters in enabled_filters instead',
  ],
  ['DEFAULT.scheduler_json_config_location', undefined],
  ['DEFAULT.scheduler_topic', undefined],
  ['DEFAULT.scheduler_manager', undefined],
]);

/**
 * Liberty filters that nova Zed no longer ships (placement checks RAM, vCPU
 * and disk before the filters run); opie keeps them usable in `zed` mode.
 */
export const LIBERTY_ONLY_FILTERS: ReadonlyMap<string, string> = new Map([
  ['RamFilter', 'placement checks RAM (MEMORY_MB) before the filters run'],
  ['AggregateRamFilter', 'placement checks RAM with the aggregate ratio set on the provider'],
  ['CoreFilter', 'placement checks vCPUs (VCPU) before the filters run'],
  ['AggregateCoreFilter', 'placement checks vCPUs with the aggregate ratio set on the provider'],
  ['DiskFilter', 'placement checks disk (DISK_GB) before the filters run'],
  ['AggregateDiskFilter', 'placement checks disk with the aggregate ratio set on the provider'],
  ['ExactRamFilter', 'baremetal nodes are matched by resource class in placement'],
  ['ExactCoreFilter', 'baremetal nodes are matched by resource class in placement'],
  ['ExactDiskFilter', 'baremetal nodes are matched by resource class in placement'],
]);

/**
 * Sections nova Liberty does not have: a file with one is written for a newer
 * nova (`[placement]` Newton+, `[scheduler]` and `[filter_scheduler]` Pike+).
 */
export const POST_LIBERTY_SECTIONS: readonly string[] = [
  'filter_scheduler',
  'scheduler',
  'placement',
];
