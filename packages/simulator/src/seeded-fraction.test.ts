import { describe, expect, it } from 'vitest';
import { inSeededFraction, seededUnit } from './seeded-fraction.js';

describe('seeded fraction', () => {
  it('depends only on the seed and the key', () => {
    expect(seededUnit(7, 'vm-1')).toBe(seededUnit(7, 'vm-1'));
    expect(seededUnit(7, 'vm-1')).not.toBe(seededUnit(8, 'vm-1'));
    expect(seededUnit(7, 'vm-1')).not.toBe(seededUnit(7, 'vm-2'));
    const u = seededUnit(123, 'x');
    expect(u).toBeGreaterThanOrEqual(0);
    expect(u).toBeLessThan(1);
  });

  it('marks about the given fraction of keys', () => {
    let marked = 0;
    for (let i = 0; i < 20000; i++) if (inSeededFraction(42, String(i), 0.3)) marked += 1;
    expect(marked / 20000).toBeGreaterThan(0.28);
    expect(marked / 20000).toBeLessThan(0.32);
  });

  it('marks none at 0 and all at 1', () => {
    expect(inSeededFraction(1, 'a', 0)).toBe(false);
    expect(inSeededFraction(1, 'a', 1)).toBe(true);
  });
});
