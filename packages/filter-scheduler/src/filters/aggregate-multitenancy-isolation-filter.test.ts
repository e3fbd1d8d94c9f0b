import { configValuesFrom, createRuntime } from '@opie/core';
import type { Aggregate } from '@opie/core';
import { makeAggregate, makeHost, makeRequest } from '@opie/testing';
import { describe, expect, it } from 'vitest';
import {
  aggregateMultiTenancyIsolationFilterPlugin,
  createAggregateMultiTenancyIsolationFilter,
} from './aggregate-multitenancy-isolation-filter.js';

const filter = createAggregateMultiTenancyIsolationFilter();

function passes(aggregates: Aggregate[], projectId: string | undefined): boolean {
  return filter.hostPasses(makeHost({ aggregates }), makeRequest({ projectId }));
}

const tenants = (v: string): Aggregate[] => [makeAggregate({ metadata: { filter_tenant_id: v } })];

describe('AggregateMultiTenancyIsolation', () => {
  it('is nova AggregateMultiTenancyIsolation, run once per request', () => {
    expect(filter.name).toBe('AggregateMultiTenancyIsolation');
    expect(filter.runFilterOncePerRequest).toBe(true);
    expect(aggregateMultiTenancyIsolationFilterPlugin.classPath).toBe(
      'nova.scheduler.filters.aggregate_multitenancy_isolation.AggregateMultiTenancyIsolation',
    );
    const f = aggregateMultiTenancyIsolationFilterPlugin.create({
      conf: configValuesFrom([]),
      runtime: createRuntime(),
    });
    expect(f.name).toBe('AggregateMultiTenancyIsolation');
  });

  it('test_aggregate_multi_tenancy_isolation_with_meta_passes (nova)', () => {
    expect(passes(tenants('my_tenantid'), 'my_tenantid')).toBe(true);
  });

  it('test_aggregate_multi_tenancy_isolation_with_meta_passes_comma (nova)', () => {
    expect(passes(tenants('my_tenantid, mytenantid2'), 'my_tenantid')).toBe(true);
  });

  it('test_aggregate_multi_tenancy_isolation_fails (nova)', () => {
    expect(passes(tenants('other_tenantid'), 'my_tenantid')).toBe(false);
  });

  it('test_aggregate_multi_tenancy_isolation_fails_comma (nova)', () => {
    expect(passes(tenants('other_tenantid,other_tenantid2'), 'my_tenantid')).toBe(false);
  });

  it('test_aggregate_multi_tenancy_isolation_no_meta_passes (nova)', () => {
    expect(passes([], 'my_tenantid')).toBe(true);
    expect(passes([makeAggregate({ metadata: { other: 'x' } })], 'my_tenantid')).toBe(true);
  });

  it('test_aggregate_multi_tenancy_isolation_with_prefix (nova Rocky+): Liberty reads only filter_tenant_id', () => {
    const aggs = [
      makeAggregate({
        metadata: { filter_tenant_id: 'my_tenantid', filter_tenant_id_gr1: 'my_tenantid2' },
      }),
    ];
    expect(passes(aggs, 'my_tenantid')).toBe(true);
    expect(passes(aggs, 'my_tenantid2')).toBe(false);
  });

  it('a request without a project fails restricted hosts', () => {
    expect(passes(tenants('my_tenantid'), undefined)).toBe(false);
    expect(passes([], undefined)).toBe(true);
  });

  it('unions tenants over the host aggregates', () => {
    const aggs = [
      makeAggregate({ id: 1, metadata: { filter_tenant_id: 'a' } }),
      makeAggregate({ id: 2, metadata: { filter_tenant_id: 'b' } }),
    ];
    expect(passes(aggs, 'b')).toBe(true);
    expect(passes(aggs, 'c')).toBe(false);
  });
});
