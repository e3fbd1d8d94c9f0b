import { describe, expect, it } from 'vitest';
import { closestNames, didYouMean, editDistance } from './suggest.js';

describe('editDistance', () => {
  it('counts insertions, deletions, substitutions and transpositions', () => {
    expect(editDistance('memory_mb', 'memory_mb')).toBe(0);
    expect(editDistance('memroy_mb', 'memory_mb')).toBe(1);
    expect(editDistance('vcpu', 'vcpus')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });
});

describe('closestNames', () => {
  const known = ['memory_mb', 'free_ram_mb', 'vcpus', 'vcpus_used', 'local_gb'];
  it('maps camelCase to the snake_case name', () => {
    expect(closestNames('memoryMb', known)).toEqual(['memory_mb']);
    expect(closestNames('freeRamMB', known)).toEqual(['free_ram_mb']);
  });
  it('finds near misspellings, best first', () => {
    expect(closestNames('vcpu', known)).toEqual(['vcpus', 'vcpus_used']);
    expect(closestNames('vcpsu', known)).toEqual(['vcpus']);
    expect(closestNames('forced_hosts', ['force_hosts', 'force_nodes'])).toEqual(['force_hosts']);
    expect(closestNames('policy', ['policies', 'hosts'])).toEqual(['policies']);
    expect(closestNames('localgb', known)).toEqual(['local_gb']);
  });
  it('suggests nothing for unrelated names', () => {
    expect(closestNames('banana', known)).toEqual([]);
    expect(didYouMean('banana', known)).toBe('');
  });
  it('words the suggestion', () => {
    expect(didYouMean('memroy_mb', known)).toBe(' Did you mean "memory_mb"?');
    expect(didYouMean('ab', ['aa', 'bb'])).toBe(' Did you mean "aa" or "bb"?');
  });
});
