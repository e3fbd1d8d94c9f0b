import type { DriverPlugin, FilterPlugin, PluginGroup } from '@opie/core';
import { allFiltersGroup, builtinFilterPlugins } from './filters/all-filters.js';
import { driverPlugins as drivers } from './scheduler/driver-plugins.js';

/** Every filter plugin and the `all_filters` group, for a registry. */
// (`concat` marked pure rather than spreads, which bundlers must keep, so that a
// bundle of a few filters leaves the drivers and the other filters out.)
export const filterPlugins: (FilterPlugin | PluginGroup)[] = /* @__PURE__ */ (
  [] as (FilterPlugin | PluginGroup)[]
).concat(builtinFilterPlugins, [allFiltersGroup]);
/** nova's and opie's FilterScheduler drivers. */
export const driverPlugins: DriverPlugin[] = /* @__PURE__ */ drivers.slice();

export { allFiltersGroup, builtinFilterPlugins } from './filters/all-filters.js';
export * from './filters/resource-filters.js';
export * from './filters/placement-policy-filters.js';

export { FilterScheduler, SchedulingFailure } from './scheduler/filter-scheduler.js';
export type { FilterSchedulerOptions, SchedulingPlan } from './scheduler/filter-scheduler.js';
export { actOnPreemptions } from './scheduler/act-on-preemptions.js';
export type { ActingOptions, TerminationOutcome } from './scheduler/act-on-preemptions.js';
export {
  PREEMPTION_GROUP,
  VICTIM_POLICIES,
  preemptionOptions,
  preemptionSettings,
} from './scheduler/preemption-options.js';
export type { PreemptionSettings, VictimPolicy } from './scheduler/preemption-options.js';
export { filterHosts } from './scheduler/filter-hosts.js';
export type { FilterOutcome } from './scheduler/filter-hosts.js';
export { detectOvercommit, describeOvercommit, usageOf } from './scheduler/overcommit.js';
export type { Overcommit, Freed } from './scheduler/overcommit.js';
export { lastFirstVictimSelector } from './scheduler/victims.js';
export type { VictimSelector, VictimQuery, VictimChoice } from './scheduler/victims.js';
export {
  driverOptions,
  novaFilterSchedulerPlugin,
  opieFilterSchedulerPlugin,
} from './scheduler/driver-plugins.js';

export { createAggregateImagePropertiesIsolationFilter } from './filters/aggregate-image-properties-isolation-filter.js';
export { createAggregateInstanceExtraSpecsFilter } from './filters/aggregate-instance-extra-specs-filter.js';
export { createAggregateMultiTenancyIsolationFilter } from './filters/aggregate-multitenancy-isolation-filter.js';
export { createAggregateTypeAffinityFilter } from './filters/aggregate-type-affinity-filter.js';
export { createAvailabilityZoneFilter } from './filters/availability-zone-filter.js';
export { createComputeCapabilitiesFilter } from './filters/compute-capabilities-filter.js';
export { compileExtraSpec, matchExtraSpec } from './filters/extra-specs-ops.js';
export { novaHostAttribute } from './filters/host-attributes.js';
export { createImagePropertiesFilter } from './filters/image-properties-filter.js';
export { createIsolatedHostsFilter } from './filters/isolated-hosts-filter.js';
export { createJsonFilter } from './filters/json-filter.js';
export { createMetricsFilter } from './filters/metrics-filter.js';
export { createTypeAffinityFilter } from './filters/type-affinity-filter.js';

export { planVictims } from './preemption/victim-planner.js';
export type {
  PlanVictimsInput,
  VictimPlan,
  VictimCost,
  VictimCostTerm,
} from './preemption/victim-planner.js';
export { needOf, NO_NEED } from './preemption/need.js';
export { placementNeed, needsSomething } from './preemption/placement-need.js';
export { describeNeed, describeShortfall, shortfallOf } from './preemption/shortfall.js';
export {
  HOST_SELECTIONS,
  PREEMPTION_COST_SCALE,
  normalisedCost,
  selectHosts,
} from './preemption/host-selection.js';
export type {
  HostOption,
  HostSelection,
  HostSelectionResult,
  SelectHostsInput,
  WeighedCandidate,
} from './preemption/host-selection.js';
export type { LimitsExtra } from './preemption/need.js';
export { ioOpsOf } from './preemption/io-ops-of.js';
export { costAwareVictimSelector } from './preemption/cost-aware-victim-selector.js';
export type {
  CostAwareSelectorOptions,
  CostAwareVictimChoice,
} from './preemption/cost-aware-victim-selector.js';
