import type { FilterPlugin } from '@opie/core';
import { aggregateImagePropertiesIsolationFilterPlugin } from './aggregate-image-properties-isolation-filter.js';
import { aggregateInstanceExtraSpecsFilterPlugin } from './aggregate-instance-extra-specs-filter.js';
import { aggregateMultiTenancyIsolationFilterPlugin } from './aggregate-multitenancy-isolation-filter.js';
import { aggregateTypeAffinityFilterPlugin } from './aggregate-type-affinity-filter.js';
import { availabilityZoneFilterPlugin } from './availability-zone-filter.js';
import { computeCapabilitiesFilterPlugin } from './compute-capabilities-filter.js';
import { imagePropertiesFilterPlugin } from './image-properties-filter.js';
import { isolatedHostsFilterPlugin } from './isolated-hosts-filter.js';
import { jsonFilterPlugin } from './json-filter.js';
import { metricsFilterPlugin } from './metrics-filter.js';
import { typeAffinityFilterPlugin } from './type-affinity-filter.js';

/**
 * The nova placement-policy filters that read the request's flavor extra
 * specs, image, hints, project and aggregates (nova/scheduler/filters/).
 */
export const specFilterPlugins: FilterPlugin[] = [
  availabilityZoneFilterPlugin,
  computeCapabilitiesFilterPlugin,
  imagePropertiesFilterPlugin,
  aggregateInstanceExtraSpecsFilterPlugin,
  aggregateImagePropertiesIsolationFilterPlugin,
  aggregateMultiTenancyIsolationFilterPlugin,
  isolatedHostsFilterPlugin,
  typeAffinityFilterPlugin,
  aggregateTypeAffinityFilterPlugin,
  jsonFilterPlugin,
  metricsFilterPlugin,
];
