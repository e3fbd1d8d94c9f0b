import { describe, expect, it } from 'vitest';
import {
  isCpuRounding,
  isMemoryUnit,
  isTimeUnit,
  mbPer,
  roundVcpus,
  secondsPer,
  toMemoryMb,
} from './units.js';

describe('units', () => {
  it('converts memory to whole MB (nova MB = MiB), rounding up', () => {
    expect(toMemoryMb(2, 'gb')).toBe(2048);
    expect(toMemoryMb(2, 'gib')).toBe(2048);
    expect(toMemoryMb(5600, 'mib')).toBe(5600);
    expect(toMemoryMb(1536, 'kib')).toBe(2);
    expect(toMemoryMb(0.1 * 3, 'mb')).toBe(1);
    expect(toMemoryMb(2.0000000000000004, 'mb')).toBe(2);
    expect(mbPer('kb')).toBe(1 / 1024);
  });

  it('converts time units to seconds', () => {
    expect(secondsPer('ms')).toBe(0.001);
    expect(secondsPer('us')).toBe(1e-6);
    expect(secondsPer('min')).toBe(60);
    expect(secondsPer('h')).toBe(3600);
    expect(secondsPer('d')).toBe(86400);
  });

  it('rounds fractional vCPUs up, or keeps them', () => {
    expect(roundVcpus(3.152, 'ceil')).toBe(4);
    expect(roundVcpus(4, 'ceil')).toBe(4);
    expect(roundVcpus(3.152, 'none')).toBe(3.152);
  });

  it('recognises unit names', () => {
    expect(isMemoryUnit('gb')).toBe(true);
    expect(isMemoryUnit('tb')).toBe(false);
    expect(isMemoryUnit('toString')).toBe(false);
    expect(isTimeUnit('min')).toBe(true);
    expect(isTimeUnit('week')).toBe(false);
    expect(isCpuRounding('none')).toBe(true);
    expect(isCpuRounding('floor')).toBe(false);
  });
});
