import { configValuesFrom, createRuntime } from '@opie/core';
import type { Aggregate } from '@opie/core';
import { makeAggregate, makeFlavor, makeHost, makeRequest } from '@opie/testing';
import { describe, expect, it } from 'vitest';
import {
  aggregateInstanceExtraSpecsFilterPlugin,
  createAggregateInstanceExtraSpecsFilter,
} from './aggregate-instance-extra-specs-filter.js';

const filter = createAggregateInstanceExtraSpecsFilter();

function passes(aggregates: Aggregate[], extraSpecs: Record<string, string>): boolean {
  const request = makeRequest({ flavor: makeFlavor({ memoryMb: 1024, extraSpecs }) });
  return filter.hostPasses(makeHost({ aggregates }), request);
}

const opts = [makeAggregate({ id: 1, metadata: { opt1: '1', opt2: '2' } })];

describe('AggregateInstanceExtraSpecsFilter', () => {
  it('is nova AggregateInstanceExtraSpecsFilter, run once per request', () => {
    expect(filter.name).toBe('AggregateInstanceExtraSpecsFilter');
    expect(filter.runFilterOncePerRequest).toBe(true);
    expect(aggregateInstanceExtraSpecsFilterPlugin.classPath).toBe(
      'nova.scheduler.filters.aggregate_instance_extra_specs.AggregateInstanceExtraSpecsFilter',
    );
    const f = aggregateInstanceExtraSpecsFilterPlugin.create({
      conf: configValuesFrom([]),
      runtime: createRuntime(),
    });
    expect(f.name).toBe('AggregateInstanceExtraSpecsFilter');
  });

  it('test_aggregate_filter_passes_no_extra_specs (nova)', () => {
    expect(passes([], {})).toBe(true);
  });

  it('test_aggregate_filter_passes_empty_extra_specs (nova)', () => {
    expect(passes(opts, {})).toBe(true);
  });

  it('test_aggregate_filter_passes_extra_specs_simple (nova)', () => {
    expect(passes(opts, { opt1: '1', 'aggregate_instance_extra_specs:opt2': '2' })).toBe(true);
  });

  it('test_aggregate_filter_passes_extra_specs_simple_comma (nova)', () => {
    const aggs = [makeAggregate({ metadata: { opt1: '1,3', opt2: '2' } })];
    expect(passes(aggs, { opt1: '1', 'aggregate_instance_extra_specs:opt1': '3' })).toBe(true);
  });

  it('test_aggregate_filter_passes_with_key_same_as_scope (nova)', () => {
    const aggs = [makeAggregate({ metadata: { aggregate_instance_extra_specs: '1' } })];
    expect(passes(aggs, { aggregate_instance_extra_specs: '1' })).toBe(true);
  });

  it('test_aggregate_filter_fails_extra_specs_simple (nova)', () => {
    expect(passes(opts, { opt1: '1', opt2: '222' })).toBe(false);
  });

  it('fails a host when no aggregate has the key', () => {
    expect(passes(opts, { opt3: '1' })).toBe(false);
    expect(passes([], { opt1: '1' })).toBe(false);
    expect(passes(opts, { constructor: '1' })).toBe(false);
  });

  it('ignores other namespaces and splits only at the first colon', () => {
    expect(passes([], { 'capabilities:opt1': '1', 'hw:cpu_policy': 'dedicated' })).toBe(true);
    const aggs = [makeAggregate({ metadata: { 'a:b': 'x' } })];
    expect(passes(aggs, { 'aggregate_instance_extra_specs:a:b': 'x' })).toBe(true);
  });

  it('matches values across aggregates, stripped, with the extra-spec operators', () => {
    const aggs = [
      makeAggregate({ id: 1, metadata: { ssd: 'false' } }),
      makeAggregate({ id: 2, metadata: { ssd: ' true ', speed: '10, 40' } }),
    ];
    expect(passes(aggs, { ssd: 'true' })).toBe(true);
    expect(passes(aggs, { speed: '>= 25' })).toBe(true);
    expect(passes(aggs, { speed: '>= 50' })).toBe(false);
    expect(passes(aggs, { ssd: '<or> yes <or> true' })).toBe(true);
  });
});
