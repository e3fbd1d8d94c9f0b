import { describe, expect, it } from 'vitest';
import { makeAggregate, makeHost } from '@opie/testing';
import { aggregateValues, minOrDefault } from './aggregate-utils.js';

const host = makeHost({
  aggregates: [
    makeAggregate({ id: 1, metadata: { availability_zone: 'az1', foo: 'a, b' } }),
    makeAggregate({ id: 2, metadata: { foo: 'c', bar: 'x' } }),
    makeAggregate({ id: 3, metadata: { cpu_allocation_ratio: '2.0' } }),
  ],
});

describe('aggregateValues', () => {
  it('keeps raw values', () => {
    expect([...aggregateValues(host, 'foo')]).toEqual(['a, b', 'c']);
    expect(aggregateValues(host, 'missing').size).toBe(0);
  });
  it('never reads inherited object members as metadata', () => {
    expect(aggregateValues(host, 'constructor').size).toBe(0);
    expect(aggregateValues(host, 'toString').size).toBe(0);
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
