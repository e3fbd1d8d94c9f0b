import type { OptionSpec } from '@opie/core';
import { z } from 'zod';

/** Liberty's `scheduler_default_filters` (nova/scheduler/*.py options in Liberty), the default of `enabled_filters`. */
export const LIBERTY_DEFAULT_FILTERS: readonly string[] = [
  'RetryFilter',
  'AvailabilityZoneFilter',
  'RamFilter',
  'DiskFilter',
  'ComputeFilter',
  'ComputeCapabilitiesFilter',
  'ImagePropertiesFilter',
  'ServerGroupAntiAffinityFilter',
  'ServerGroupAffinityFilter',
];

/** `[scheduler] driver` (Liberty `[DEFAULT] scheduler_driver`). */
export const driverOption: OptionSpec = {
  group: 'scheduler',
  name: 'driver',
  type: 'str',
  default: 'filter_scheduler',
  help: 'The scheduler driver: a class path or entry-point name (filter_scheduler, opie.scheduler.filter_scheduler.FilterScheduler).',
  deprecatedNames: [{ group: 'DEFAULT', name: 'scheduler_driver' }],
};

/** `[scheduler] host_manager` (Liberty `[DEFAULT] scheduler_host_manager`). */
export const hostManagerOption: OptionSpec = {
  group: 'scheduler',
  name: 'host_manager',
  type: 'str',
  default: 'host_manager',
  help: 'The host manager: a class path or entry-point name (host_manager, opie.scheduler.host_manager.HostManager).',
  deprecatedNames: [{ group: 'DEFAULT', name: 'scheduler_host_manager' }],
};

/** `[filter_scheduler] available_filters` (Liberty `[DEFAULT] scheduler_available_filters`). */
export const availableFiltersOption: OptionSpec = {
  group: 'filter_scheduler',
  name: 'available_filters',
  type: 'multistr',
  default: ['nova.scheduler.filters.all_filters'],
  help: 'Filter class paths or groups (one per occurrence) whose class names enabled_filters may use.',
  deprecatedNames: [{ group: 'DEFAULT', name: 'scheduler_available_filters' }],
};

/** `[filter_scheduler] enabled_filters` (Liberty `[DEFAULT] scheduler_default_filters`). */
export const enabledFiltersOption: OptionSpec = {
  group: 'filter_scheduler',
  name: 'enabled_filters',
  type: 'list',
  default: [...LIBERTY_DEFAULT_FILTERS],
  help: 'Filter class names, applied in this order.',
  deprecatedNames: [{ group: 'DEFAULT', name: 'scheduler_default_filters' }],
};

/** `[filter_scheduler] weight_classes` (Liberty `[DEFAULT] scheduler_weight_classes`). */
export const weightClassesOption: OptionSpec = {
  group: 'filter_scheduler',
  name: 'weight_classes',
  type: 'list',
  default: ['nova.scheduler.weights.all_weighers'],
  help: 'Weigher class paths or groups; each entry is one weigher instance (no de-duplication).',
  deprecatedNames: [{ group: 'DEFAULT', name: 'scheduler_weight_classes' }],
};

/** `[scheduler] periodic_task_interval` (Liberty `[DEFAULT] scheduler_driver_task_period`). */
export const periodicTaskIntervalOption: OptionSpec = {
  group: 'scheduler',
  name: 'periodic_task_interval',
  type: 'int',
  default: 60,
  help: "Seconds between runs of the driver's periodic task.",
  deprecatedNames: [{ group: 'DEFAULT', name: 'scheduler_driver_task_period' }],
  schema: z.number().int().nullable(),
};

/**
 * opie's `[preemptible_instances_scheduler] weight_classes`: victim weigher
 * class paths or groups, read when the driver prices victims (opie registered
 * it but never read it, docs/nova-and-opie-notes.md, enabling opie).
 */
export const preemptibleWeightClassesOption: OptionSpec = {
  group: 'preemptible_instances_scheduler',
  name: 'weight_classes',
  type: 'list',
  default: ['nova.scheduler.weights.all_preemptible_weighers'],
  help: 'Victim weigher class paths or groups pricing preemption victims; each entry is one weigher (opie registered it but never read it).',
};

/** `[opie] plugin_modules`: ours, modules to import for third-party plugins. */
export const pluginModulesOption: OptionSpec = {
  group: 'opie',
  name: 'plugin_modules',
  type: 'list',
  default: [],
  help: 'Modules exporting `plugins` (plugin definitions) to register; relative paths are relative to the config file.',
};

/** Every option the loader itself owns. */
export const loaderOptions: readonly OptionSpec[] = [
  driverOption,
  hostManagerOption,
  availableFiltersOption,
  enabledFiltersOption,
  weightClassesOption,
  periodicTaskIntervalOption,
  preemptibleWeightClassesOption,
  pluginModulesOption,
];
