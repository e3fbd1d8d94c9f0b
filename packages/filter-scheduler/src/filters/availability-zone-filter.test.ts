import { configValuesFrom, createRuntime } from '@opie/core';
import type { Aggregate, HostFilter } from '@opie/core';
import { makeAggregate, makeHost, makeRequest } from '@opie/testing';
import { describe, expect, it } from 'vitest';
import {
  availabilityZoneFilterPlugin,
  createAvailabilityZoneFilter,
} from './availability-zone-filter.js';

const filter = createAvailabilityZoneFilter();

function passes(
  aggregates: Aggregate[],
  zone: string | undefined,
  f: HostFilter = filter,
): boolean {
  return f.hostPasses(makeHost({ aggregates }), makeRequest({ availabilityZone: zone }));
}

const inZone = (zone: string): Aggregate[] => [
  makeAggregate({ metadata: { availability_zone: zone } }),
];

describe('AvailabilityZoneFilter', () => {
  it('is nova AvailabilityZoneFilter, run once per request, owning default_availability_zone', () => {
    expect(filter.name).toBe('AvailabilityZoneFilter');
    expect(filter.runFilterOncePerRequest).toBe(true);
    expect(availabilityZoneFilterPlugin.classPath).toBe(
      'nova.scheduler.filters.availability_zone_filter.AvailabilityZoneFilter',
    );
    expect(availabilityZoneFilterPlugin.options).toEqual([
      expect.objectContaining({
        group: 'DEFAULT',
        name: 'default_availability_zone',
        type: 'str',
        default: 'nova',
      }),
    ]);
  });

  it('test_availability_zone_filter_same (nova)', () => {
    expect(passes(inZone('nova'), 'nova')).toBe(true);
  });

  it('test_availability_zone_filter_different (nova)', () => {
    expect(passes(inZone('nova'), 'bad')).toBe(false);
  });

  it('a request without a zone passes every host', () => {
    expect(passes(inZone('az1'), undefined)).toBe(true);
    expect(passes(inZone('az1'), '')).toBe(true);
  });

  it('a host in no zone aggregate is in the default zone', () => {
    expect(passes([], 'nova')).toBe(true);
    expect(passes([], 'az1')).toBe(false);
    expect(passes([makeAggregate({ metadata: { ssd: 'true' } })], 'nova')).toBe(true);
  });

  it('a host in a zone aggregate is not in the default zone', () => {
    expect(passes(inZone('az1'), 'nova')).toBe(false);
  });

  it('reads the default zone from the configuration', () => {
    const conf = configValuesFrom(availabilityZoneFilterPlugin.options ?? [], {
      'DEFAULT.default_availability_zone': 'zone0',
    });
    const f = availabilityZoneFilterPlugin.create({ conf, runtime: createRuntime() });
    expect(passes([], 'zone0', f)).toBe(true);
    expect(passes([], 'nova', f)).toBe(false);
    const byDefault = availabilityZoneFilterPlugin.create({
      conf: configValuesFrom(availabilityZoneFilterPlugin.options ?? []),
      runtime: createRuntime(),
    });
    expect(passes([], 'nova', byDefault)).toBe(true);
  });

  it('a host in several zones (aggregates or comma-separated values) is in each', () => {
    const aggs = [
      makeAggregate({ id: 1, metadata: { availability_zone: 'az1' } }),
      makeAggregate({ id: 2, metadata: { availability_zone: 'az2, az3' } }),
    ];
    expect(passes(aggs, 'az1')).toBe(true);
    expect(passes(aggs, 'az3')).toBe(true);
    expect(passes(aggs, 'az4')).toBe(false);
  });
});
