import { describe, expect, it } from 'vitest';
import { normalize } from './normalize.js';

describe('normalize', () => {
  it('test_normalization (nova): empty input gives empty output', () => {
    expect(normalize([])).toEqual([]);
  });

  it('test_normalization (nova): equal values give zeros', () => {
    expect(normalize([0.0, 0.0])).toEqual([0, 0]);
    expect(normalize([1.0, 1.0])).toEqual([0, 0]);
  });

  it('test_normalization (nova): bounds from the values', () => {
    expect(normalize([20.0, 50.0])).toEqual([0.0, 1.0]);
  });

  it('test_normalization (nova): given maxval', () => {
    expect(normalize([20.0, 50.0], undefined, 100.0)).toEqual([0.0, 0.375]);
  });

  it('test_normalization (nova): given minval', () => {
    expect(normalize([20.0, 50.0], 0.0)).toEqual([0.4, 1.0]);
  });

  it('test_normalization (nova): given both bounds', () => {
    expect(normalize([20.0, 50.0], 0.0, 100.0)).toEqual([0.2, 0.5]);
  });

  it('does not clamp values outside the given bounds (Liberty)', () => {
    expect(normalize([-50, 150], 0, 100)).toEqual([-0.5, 1.5]);
  });

  it('equal given bounds give zeros whatever the values', () => {
    expect(normalize([3, 7], 5, 5)).toEqual([0, 0]);
  });

  it('one value gives 0', () => {
    expect(normalize([42])).toEqual([0]);
  });

  it('takes min and max from anywhere in the list', () => {
    expect(normalize([5, 10, 0])).toEqual([0.5, 1, 0]);
  });
});
