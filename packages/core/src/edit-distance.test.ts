import { describe, expect, it } from 'vitest';
import { editDistance } from './edit-distance.js';

describe('editDistance (optimal string alignment)', () => {
  it('counts insertions, deletions and substitutions', () => {
    // kitten → sitten (s), sittin (i), sitting (+g): the textbook 3.
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('abc', '')).toBe(3);
    expect(editDistance('same', 'same')).toBe(0);
    expect(editDistance('vcpu', 'vcpus')).toBe(1);
  });

  it('counts a swap of two adjacent characters as one edit', () => {
    // "mr" ↔ "rm" once; Levenshtein would count 2.
    expect(editDistance('memroy_mb', 'memory_mb')).toBe(1);
    expect(editDistance('shcedule', 'schedule')).toBe(1);
    expect(editDistance('ab', 'ba')).toBe(1);
  });

  it('is symmetric and never more than the longer length', () => {
    const words = ['', 'a', 'config', 'confgi', 'serve', 'simulate', 'schedule'];
    for (const a of words) {
      for (const b of words) {
        expect(editDistance(a, b)).toBe(editDistance(b, a));
        expect(editDistance(a, b)).toBeLessThanOrEqual(Math.max(a.length, b.length));
      }
    }
  });
});
