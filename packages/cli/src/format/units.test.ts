import { describe, expect, it } from 'vitest';
import { formatDuration, formatLimits, formatNumber, formatSize } from './units.js';

describe('formatNumber', () => {
  it('writes integers as they are and others with at most 4 decimals', () => {
    expect(formatNumber(3584)).toBe('3584');
    expect(formatNumber(-1)).toBe('-1');
    expect(formatNumber(-0)).toBe('0');
    expect(formatNumber(1000 / 3)).toBe('333.3333');
    expect(formatNumber(0.5)).toBe('0.5');
    expect(formatNumber(-0.00001)).toBe('0');
    expect(formatNumber(Infinity)).toBe('Infinity');
  });
});

describe('formatDuration', () => {
  it('uses two units at most and drops a zero second unit', () => {
    expect(formatDuration(45_000)).toBe('45s');
    expect(formatDuration(30 * 60_000)).toBe('30m');
    expect(formatDuration(30 * 60_000 + 15_000)).toBe('30m 15s');
    expect(formatDuration(122 * 60_000)).toBe('2h 2m');
    expect(formatDuration(2 * 3_600_000)).toBe('2h');
    expect(formatDuration(14 * 86_400_000 + 4 * 3_600_000)).toBe('14d 4h');
    expect(formatDuration(-90_000)).toBe('-1m 30s');
  });
});

describe('formatSize', () => {
  it('counts root and ephemeral disk together and shows swap when there is some', () => {
    expect(formatSize({ memoryMb: 2048, vcpus: 1, rootGb: 20, ephemeralGb: 0 })).toBe(
      '2048 MB RAM, 1 vCPU, 20 GB disk',
    );
    expect(formatSize({ memoryMb: 8192, vcpus: 4, rootGb: 80, ephemeralGb: 20, swap: 512 })).toBe(
      '8192 MB RAM, 4 vCPUs, 100 GB disk, 512 MB swap',
    );
  });
});

describe('formatLimits', () => {
  it("uses nova's limit names", () => {
    expect(formatLimits({ memoryMb: 24576, diskGb: 200, vcpu: 32 })).toBe(
      'memory_mb 24576, disk_gb 200, vcpu 32',
    );
    expect(formatLimits({ numaTopology: {} })).toBe('numa_topology');
    expect(formatLimits({})).toBe('none');
  });
});
