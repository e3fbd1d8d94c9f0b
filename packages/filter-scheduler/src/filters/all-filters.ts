import type { FilterPlugin, PluginGroup } from '@opie/core';
import { className } from '@opie/core';
import { coreFilterPlugins } from './resource-filters.js';
import { specFilterPlugins } from './placement-policy-filters.js';

/** Every nova filter, ported or refused with a reason. */
export const builtinFilterPlugins: readonly FilterPlugin[] = /* @__PURE__ */ (
  [] as FilterPlugin[]
).concat(coreFilterPlugins, specFilterPlugins);

/** Liberty's `all_filters()` names, in its module-walk order (nova/scheduler/filters/__init__.py). */
const LIBERTY_ALL_FILTERS = [
  'DifferentHostFilter',
  'SameHostFilter',
  'SimpleCIDRAffinityFilter',
  'ServerGroupAntiAffinityFilter',
  'ServerGroupAffinityFilter',
  'AggregateImagePropertiesIsolation',
  'AggregateInstanceExtraSpecsFilter',
  'AggregateMultiTenancyIsolation',
  'AllHostsFilter',
  'AvailabilityZoneFilter',
  'ComputeCapabilitiesFilter',
  'ComputeFilter',
  'BaseCoreFilter',
  'CoreFilter',
  'AggregateCoreFilter',
  'DiskFilter',
  'AggregateDiskFilter',
  'ExactCoreFilter',
  'ExactDiskFilter',
  'ExactRamFilter',
  'ImagePropertiesFilter',
  'IoOpsFilter',
  'AggregateIoOpsFilter',
  'IsolatedHostsFilter',
  'JsonFilter',
  'MetricsFilter',
  'NumInstancesFilter',
  'AggregateNumInstancesFilter',
  'NUMATopologyFilter',
  'PciPassthroughFilter',
  'BaseRamFilter',
  'RamFilter',
  'AggregateRamFilter',
  'RetryFilter',
  'TrustedFilter',
  'TypeAffinityFilter',
  'AggregateTypeAffinityFilter',
] as const;

function memberPaths(): string[] {
  const byName = new Map(builtinFilterPlugins.map((p) => [className(p.classPath), p.classPath]));
  return LIBERTY_ALL_FILTERS.map((name) => {
    const path = byName.get(name);
    if (path === undefined) throw new Error(`all_filters: no plugin for ${name}`);
    return path;
  });
}

/**
 * `nova.scheduler.filters.all_filters`: every filter class nova Liberty
 * ships. Listing it in `scheduler_available_filters` makes each available by
 * class name; the refused ones fail only when enabled.
 * @see nova/scheduler/filters/__init__.py all_filters
 */
export const allFiltersGroup: PluginGroup = {
  kind: 'group',
  of: 'filter',
  classPath: 'nova.scheduler.filters.all_filters',
  description: 'Every filter nova Liberty ships (37 classes).',
  members: memberPaths(),
};
