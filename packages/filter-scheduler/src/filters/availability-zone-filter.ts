import type { FilterPlugin, FilterRequest, HostFilter, HostState, OptionSpec } from '@opie/core';
import { commaListIncludes } from './comma-list.js';
import { ownValue } from './own-value.js';

/** `[DEFAULT] default_availability_zone`: the zone of hosts in no zone aggregate. */
export const defaultAvailabilityZoneOption: OptionSpec = {
  group: 'DEFAULT',
  name: 'default_availability_zone',
  type: 'str',
  default: 'nova',
  help: 'The availability zone of compute hosts that are in no aggregate with availability_zone metadata.',
};

/**
 * Passes hosts in the requested availability zone. A request without a zone
 * passes every host. A host's zones are the `availability_zone` metadata
 * values of its aggregates (comma-separated, stripped); a host in no such
 * aggregate is in `defaultAvailabilityZone`.
 * @see nova/scheduler/filters/availability_zone_filter.py
 */
export function createAvailabilityZoneFilter(
  options: { defaultAvailabilityZone?: string | null } = {},
): HostFilter {
  const defaultZone =
    options.defaultAvailabilityZone === undefined ? 'nova' : options.defaultAvailabilityZone;
  return {
    name: 'AvailabilityZoneFilter',
    runFilterOncePerRequest: true,
    dependsOn: 'aggregates',
    rejection(host, request) {
      if (this.hostPasses(host, request)) return undefined;
      return {
        filter: 'AvailabilityZoneFilter',
        reason: `not in availability zone ${request.spec.availabilityZone ?? ''}`,
      };
    },
    passesAll(request: FilterRequest): boolean {
      const zone = request.spec.availabilityZone;
      return zone === undefined || zone === '';
    },
    hostPasses(host: HostState, request: FilterRequest): boolean {
      const zone = request.spec.availabilityZone;
      if (zone === undefined || zone === '') return true;
      let zoned = false;
      for (const agg of host.aggregates) {
        const raw = ownValue(agg.metadata, 'availability_zone');
        if (raw === undefined) continue;
        zoned = true;
        if (commaListIncludes(raw, zone)) return true;
      }
      return !zoned && zone === defaultZone;
    },
  };
}

export const availabilityZoneFilterPlugin: FilterPlugin = {
  kind: 'filter',
  classPath: 'nova.scheduler.filters.availability_zone_filter.AvailabilityZoneFilter',
  description:
    'Passes hosts in the requested availability zone (aggregate metadata, else default_availability_zone).',
  options: [defaultAvailabilityZoneOption],
  create: (ctx) =>
    createAvailabilityZoneFilter({
      defaultAvailabilityZone: ctx.conf.str('DEFAULT', 'default_availability_zone'),
    }),
};
