import { describe, expect, it } from 'vitest';
import { comparePaths, jsonPath } from './json-path.js';

describe('jsonPath', () => {
  it('joins keys with dots and indexes with brackets', () => {
    expect(jsonPath(['nodes', 3, 'memory_mb'])).toBe('$.nodes[3].memory_mb');
  });
  it('quotes keys that are not identifiers', () => {
    expect(jsonPath(['flavors', 0, 'extra_specs', 'hw:cpu_policy'])).toBe(
      '$.flavors[0].extra_specs["hw:cpu_policy"]',
    );
  });
  it('is $ for the root', () => {
    expect(jsonPath([])).toBe('$');
  });
});

describe('comparePaths', () => {
  it('orders indexes numerically, parents before children', () => {
    const paths: (string | number)[][] = [
      ['nodes', 10],
      ['nodes', 2, 'host'],
      ['nodes', 2],
      ['aggregates'],
    ];
    expect([...paths].sort(comparePaths)).toEqual([
      ['aggregates'],
      ['nodes', 2],
      ['nodes', 2, 'host'],
      ['nodes', 10],
    ]);
  });
  it('puts indexes before keys at the same depth', () => {
    expect(comparePaths(['a', 0], ['a', 'b'])).toBeLessThan(0);
    expect(comparePaths(['a', 'b'], ['a', 0])).toBeGreaterThan(0);
    expect(comparePaths(['a'], ['a'])).toBe(0);
  });
});
