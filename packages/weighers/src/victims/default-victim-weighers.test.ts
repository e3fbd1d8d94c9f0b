import { describe, expect, it } from 'vitest';
import { allPreemptibleWeighersGroup } from './all-preemptible-weighers-group.js';
import { defaultVictimWeighers } from './default-victim-weighers.js';

describe('defaultVictimWeighers', () => {
  it('builds the all_preemptible_weighers members in group order with default multipliers', () => {
    const weighers = defaultVictimWeighers();
    expect(weighers.map((w) => w.name)).toEqual(allPreemptibleWeighersGroup.members);
    expect(weighers.map((w) => w.multiplier)).toEqual([1, 300, 3600, 60, 36000]);
  });

  it('returns fresh weighers on every call (the waste weigher caches per context)', () => {
    expect(defaultVictimWeighers()[2]).not.toBe(defaultVictimWeighers()[2]);
  });
});
