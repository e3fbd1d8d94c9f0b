import type { FilterPlugin } from '@opie/core';
import { differentHostFilterPlugin, sameHostFilterPlugin } from './affinity-filter.js';
import { allHostsFilterPlugin } from './all-hosts-filter.js';
import { computeFilterPlugin } from './compute-filter.js';
import { aggregateCoreFilterPlugin, coreFilterPlugin } from './core-filter.js';
import { aggregateDiskFilterPlugin, diskFilterPlugin } from './disk-filter.js';
import { exactCoreFilterPlugin } from './exact-core-filter.js';
import { exactDiskFilterPlugin } from './exact-disk-filter.js';
import { exactRamFilterPlugin } from './exact-ram-filter.js';
import { aggregateIoOpsFilterPlugin, ioOpsFilterPlugin } from './io-ops-filter.js';
import {
  aggregateNumInstancesFilterPlugin,
  numInstancesFilterPlugin,
} from './num-instances-filter.js';
import { aggregateRamFilterPlugin, ramFilterPlugin } from './ram-filter.js';
import { retryFilterPlugin } from './retry-filter.js';
import {
  serverGroupAffinityFilterPlugin,
  serverGroupAntiAffinityFilterPlugin,
} from './server-group-filter.js';
import { simpleCidrAffinityFilterPlugin } from './simple-cidr-affinity-filter.js';
import {
  baseCoreFilterPlugin,
  baseRamFilterPlugin,
  trustedFilterPlugin,
} from './unsupported-filters.js';
import { numaTopologyFilterPlugin } from './numa-topology-filter.js';
import { pciPassthroughFilterPlugin } from './pci-passthrough-filter.js';

/**
 * The resource, liveness, retry and affinity filters of nova Liberty's
 * `all_filters`, in nova's module order; the placement-policy filters are in
 * `placement-policy-filters.ts`.
 */
export const coreFilterPlugins: FilterPlugin[] = [
  differentHostFilterPlugin,
  sameHostFilterPlugin,
  simpleCidrAffinityFilterPlugin,
  serverGroupAntiAffinityFilterPlugin,
  serverGroupAffinityFilterPlugin,
  allHostsFilterPlugin,
  computeFilterPlugin,
  baseCoreFilterPlugin,
  coreFilterPlugin,
  aggregateCoreFilterPlugin,
  diskFilterPlugin,
  aggregateDiskFilterPlugin,
  exactCoreFilterPlugin,
  exactDiskFilterPlugin,
  exactRamFilterPlugin,
  ioOpsFilterPlugin,
  aggregateIoOpsFilterPlugin,
  numInstancesFilterPlugin,
  aggregateNumInstancesFilterPlugin,
  numaTopologyFilterPlugin,
  pciPassthroughFilterPlugin,
  baseRamFilterPlugin,
  ramFilterPlugin,
  aggregateRamFilterPlugin,
  retryFilterPlugin,
  trustedFilterPlugin,
];

export { createDifferentHostFilter, createSameHostFilter } from './affinity-filter.js';
export { createAllHostsFilter } from './all-hosts-filter.js';
export { createNumaTopologyFilter } from './numa-topology-filter.js';
export { createPciPassthroughFilter } from './pci-passthrough-filter.js';
export { createComputeFilter, serviceDownTimeOptions } from './compute-filter.js';
export { createAggregateCoreFilter, createCoreFilter } from './core-filter.js';
export { createAggregateDiskFilter, createDiskFilter, requestedDiskMb } from './disk-filter.js';
export { createExactCoreFilter } from './exact-core-filter.js';
export { createExactDiskFilter } from './exact-disk-filter.js';
export { createExactRamFilter } from './exact-ram-filter.js';
export {
  createAggregateIoOpsFilter,
  createIoOpsFilter,
  maxIoOpsPerHostOption,
} from './io-ops-filter.js';
export { ipNetworkContains, parseIpAddress, parseIpNetwork } from './ip-network.js';
export type { IpNetwork } from './ip-network.js';
export {
  createAggregateNumInstancesFilter,
  createNumInstancesFilter,
  maxInstancesPerHostOption,
} from './num-instances-filter.js';
export { createAggregateRamFilter, createRamFilter } from './ram-filter.js';
export { createRetryFilter } from './retry-filter.js';
export {
  createServerGroupAffinityFilter,
  createServerGroupAntiAffinityFilter,
} from './server-group-filter.js';
export { effectiveServiceDownTime, serviceIsUp } from './service-liveness.js';
export { createSimpleCidrAffinityFilter } from './simple-cidr-affinity-filter.js';
export { UnsupportedFilterError } from './unsupported-filter-error.js';
export { trustedComputingOptions } from './unsupported-filters.js';
