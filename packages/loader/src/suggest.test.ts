import { describe, expect, it } from 'vitest';
import { editDistance, nearestNames } from './suggest.js';

describe('editDistance', () => {
  it('counts insertions, deletions and substitutions', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('abc', '')).toBe(3);
    expect(editDistance('same', 'same')).toBe(0);
  });
});

describe('nearestNames', () => {
  const weighers = [
    'nova.scheduler.weights.ram.RAMWeigher',
    'nova.scheduler.weights.io_ops.IoOpsWeigher',
    'opie.scheduler.weights.preemptible.PreemptibleCountWeigher',
    'opie.scheduler.weights.preemptible.PreemptibleDurationWeigher',
    'nova.scheduler.weights.all_weighers',
  ];

  it('finds a long class path with a typo in its class name', () => {
    expect(
      nearestNames('opie.scheduler.weights.preemptible.PreemptibleCuontWeigher', weighers)[0],
    ).toBe('opie.scheduler.weights.preemptible.PreemptibleCountWeigher');
  });

  it('finds the right class name under a wrong module', () => {
    expect(nearestNames('nova.scheduler.weights.RAMWeigher', weighers)[0]).toBe(
      'nova.scheduler.weights.ram.RAMWeigher',
    );
  });

  it('compares case-insensitively and returns at most three names', () => {
    expect(nearestNames('ramfilter', ['RamFilter', 'CoreFilter'])).toEqual(['RamFilter']);
    expect(nearestNames('Filter', ['AFilter', 'BFilter', 'CFilter', 'DFilter'])).toHaveLength(3);
  });

  it('suggests nothing for a name far from every known one', () => {
    expect(nearestNames('completely.different.Thing', weighers)).toEqual([]);
  });
});
