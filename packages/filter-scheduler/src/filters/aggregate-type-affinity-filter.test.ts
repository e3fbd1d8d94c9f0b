import { configValuesFrom, createRuntime } from '@opie/core';
import type { Aggregate } from '@opie/core';
import { makeAggregate, makeFlavor, makeHost, makeRequest } from '@opie/testing';
import { describe, expect, it } from 'vitest';
import {
  aggregateTypeAffinityFilterPlugin,
  createAggregateTypeAffinityFilter,
} from './aggregate-type-affinity-filter.js';

const filter = createAggregateTypeAffinityFilter();

function passes(aggregates: Aggregate[], flavorName: string): boolean {
  return filter.hostPasses(
    makeHost({ aggregates }),
    makeRequest({ flavor: makeFlavor({ name: flavorName }) }),
  );
}

describe('AggregateTypeAffinityFilter', () => {
  it('is nova AggregateTypeAffinityFilter, run once per request', () => {
    expect(filter.name).toBe('AggregateTypeAffinityFilter');
    expect(filter.runFilterOncePerRequest).toBe(true);
    expect(aggregateTypeAffinityFilterPlugin.classPath).toBe(
      'nova.scheduler.filters.type_filter.AggregateTypeAffinityFilter',
    );
    const f = aggregateTypeAffinityFilterPlugin.create({
      conf: configValuesFrom([]),
      runtime: createRuntime(),
    });
    expect(f.name).toBe('AggregateTypeAffinityFilter');
  });

  it('test_aggregate_type_filter (nova)', () => {
    const aggs = [makeAggregate({ metadata: { instance_type: 'fake1' } })];
    expect(passes(aggs, 'fake1')).toBe(true);
    expect(passes(aggs, 'fake2')).toBe(false);
  });

  it('passes hosts in no aggregate with instance_type metadata', () => {
    expect(passes([], 'fake1')).toBe(true);
    expect(passes([makeAggregate({ metadata: { other: 'x' } })], 'fake1')).toBe(true);
  });

  it('reads comma-separated, stripped names over several aggregates', () => {
    const aggs = [
      makeAggregate({ id: 1, metadata: { instance_type: 'm1.tiny' } }),
      makeAggregate({ id: 2, metadata: { instance_type: 'm1.small , m1.large' } }),
    ];
    expect(passes(aggs, 'm1.large')).toBe(true);
    expect(passes(aggs, 'm1.tiny')).toBe(true);
    expect(passes(aggs, 'm1.medium')).toBe(false);
  });
});
