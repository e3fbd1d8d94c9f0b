import { describe, expect, it } from 'vitest';
import { makeAggregate, makeHost } from '@opie/testing';
import { aggregateNumber } from './aggregate-number.js';

describe('aggregateNumber', () => {
  it('returns the fallback for a host in no aggregate', () => {
    expect(aggregateNumber(makeHost(), 'k', 3, 'int')).toBe(3);
    expect(aggregateNumber(makeHost(), 'k', null, 'int')).toBeNull();
  });

  it('returns the fallback when no aggregate sets the key', () => {
    const host = makeHost({ aggregates: [makeAggregate({ metadata: { other: '1' } })] });
    expect(aggregateNumber(host, 'k', 1.5, 'float')).toBe(1.5);
  });

  it('takes the minimum over aggregates', () => {
    const host = makeHost({
      aggregates: [
        makeAggregate({ id: 1, metadata: { k: '2.0' } }),
        makeAggregate({ id: 2, metadata: { k: '1.5' } }),
      ],
    });
    expect(aggregateNumber(host, 'k', 9, 'float')).toBe(1.5);
  });

  it('uses the fallback (even null) and reports a value that does not cast', () => {
    const host = makeHost({ aggregates: [makeAggregate({ metadata: { k: '8.0' } })] });
    const bad: string[] = [];
    expect(aggregateNumber(host, 'k', null, 'int', (v) => bad.push(v))).toBeNull();
    expect(aggregateNumber(host, 'k', 4, 'int')).toBe(4);
    expect(bad).toEqual(['8.0']);
  });
});
