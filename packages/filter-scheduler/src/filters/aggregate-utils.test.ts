import { describe, expect, it } from 'vitest';
import { makeAggregate, makeHost } from '@opie/testing';
import { aggregateMetadata, aggregateValues, minOrDefault } from './aggregate-utils.js';

const host = makeHost({
  aggregates: [
    makeAggregate({ id: 1, metadata: { availability_zone: 'az1', foo: 'a, b' } }),
    makeAggregate({ id: 2, metadata: { foo: 'c', bar: 'x' } }),
    makeAggregate({ id: 3, metadata: { cpu_allocation_ratio: '2.0' } }),
  ],
});

describe('aggregateMetadata', () => {
  it('splits on commas, strips and unions per key (test_aggregate_metadata_get_by_host)', () => {
    const m = aggregateMetadata(host);
    expect([...(m.get('foo') ?? [])]).toEqual(['a', 'b', 'c']);
    expect([...(m.get('availability_zone') ?? [])]).toEqual(['az1']);
  });
  it('restricted to aggregates having the key, includes all their keys', () => {
    const m = aggregateMetadata(host, 'availability_zone');
    expect([...m.keys()].sort()).toEqual(['availability_zone', 'foo']);
    expect([...(m.get('foo') ?? [])]).toEqual(['a', 'b']);
  });
});

describe('aggregateValues', () => {
  it('keeps raw values', () => {
    expect([...aggregateValues(host, 'foo')]).toEqual(['a, b', 'c']);
    expect(aggregateValues(host, 'missing').size).toBe(0);
  });
});

describe('minOrDefault (test_validate_num_values)', () => {
  it('default on empty', () => expect(minOrDefault(new Set(), 7, 'int')).toBe(7));
  it('min of values', () => expect(minOrDefault(new Set(['3', '2']), 7, 'int')).toBe(2));
  it('float cast', () => expect(minOrDefault(new Set(['1.5', '2']), 9, 'float')).toBe(1.5));
  it('bad value gives the default and reports it', () => {
    const bad: string[] = [];
    expect(minOrDefault(new Set(['8.0']), 8, 'int', (v) => bad.push(v))).toBe(8);
    expect(bad).toEqual(['8.0']);
  });
});
