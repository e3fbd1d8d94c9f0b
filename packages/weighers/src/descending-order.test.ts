import { describe, expect, it } from 'vitest';
import { descendingOrder } from './descending-order.js';

/** The reference: a stable comparator sort by `b - a`. */
function reference(values: readonly number[]): number[] {
  return values
    .map((w, i) => ({ w, i }))
    .sort((a, b) => b.w - a.w)
    .map((e) => e.i);
}

/** A small seeded generator (mulberry32), so failures reproduce. */
function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const order = (values: readonly number[]) => [...descendingOrder(Float64Array.from(values))];

describe('descendingOrder', () => {
  it('orders by value, highest first', () => {
    expect(order([1, 3, -2, 2.5, 0])).toEqual([1, 3, 0, 4, 2]);
  });

  it('keeps equal values in input order, -0 and +0 included', () => {
    expect(order([0, -0, 1, -0, 0, 1])).toEqual([2, 5, 0, 1, 3, 4]);
    expect(order([-1, -1, -1])).toEqual([0, 1, 2]);
  });

  it('handles an empty list and a single value', () => {
    expect(order([])).toEqual([]);
    expect(order([42])).toEqual([0]);
  });

  it('orders tiny, huge and negative magnitudes', () => {
    const values = [5e-324, -5e-324, 1e308, -1e308, 1e-300, -1e-300, 0];
    expect(order(values)).toEqual(reference(values));
  });

  it('matches the comparator sort on random, tied, close and long-run values', () => {
    const random = seeded(7);
    const kinds: ((i: number) => number)[] = [
      () => random() * 3000 - 1500,
      () => Math.floor(random() * 20) / 7,
      // equal top 32 bits, different low bits: long runs ordered by the low word
      () => 1 + random() * 1e-7,
      // mixes a long run of close negatives with tiny positives
      (i) => (i % 3 === 0 ? random() * 1e-300 : -1 - random() * 1e-9),
      // short runs of equal top bits, out of order in the low bits
      (i) => Math.floor(i / 4) + random() * 1e-9,
    ];
    for (const kind of kinds) {
      for (const n of [2, 31, 33, 500, 5000]) {
        const values = Array.from({ length: n }, (_, i) => kind(i));
        expect(order(values)).toEqual(reference(values));
      }
    }
  });

  it('gives the same answer when called with shrinking and growing sizes (buffers reused)', () => {
    const random = seeded(11);
    for (const n of [1000, 10, 1000, 3, 2000]) {
      const values = Array.from({ length: n }, () => random() - 0.5);
      expect(order(values)).toEqual(reference(values));
    }
  });
});
