import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIGURED_RATIOS, resolveAllocationRatios } from './allocation-ratios.js';

describe('resolveAllocationRatios (nova/compute/resource_tracker.py)', () => {
  it('uses 16.0 / 1.5 / 1.0 with every default', () => {
    expect(resolveAllocationRatios({})).toEqual({
      cpuAllocationRatio: 16,
      ramAllocationRatio: 1.5,
      diskAllocationRatio: 1,
    });
  });

  it("prefers the node's own cpu and ram ratios when > 0", () => {
    const r = resolveAllocationRatios(
      { cpuAllocationRatio: 4, ramAllocationRatio: 1.1 },
      { cpuAllocationRatio: 8, ramAllocationRatio: 2, diskAllocationRatio: 1 },
    );
    expect(r.cpuAllocationRatio).toBe(4);
    expect(r.ramAllocationRatio).toBe(1.1);
  });

  it("falls back from a node's 0.0 to the scheduler's configured value", () => {
    const r = resolveAllocationRatios(
      { cpuAllocationRatio: 0, ramAllocationRatio: 0 },
      { cpuAllocationRatio: 8, ramAllocationRatio: 2, diskAllocationRatio: 1 },
    );
    expect(r.cpuAllocationRatio).toBe(8);
    expect(r.ramAllocationRatio).toBe(2);
  });

  it('falls back to 16.0 / 1.5 when both the node and the scheduler say 0.0', () => {
    const r = resolveAllocationRatios(
      { cpuAllocationRatio: 0, ramAllocationRatio: 0 },
      DEFAULT_CONFIGURED_RATIOS,
    );
    expect(r.cpuAllocationRatio).toBe(16);
    expect(r.ramAllocationRatio).toBe(1.5);
  });

  it('takes the disk ratio from the node when > 0, else the configured value as is', () => {
    const conf = { cpuAllocationRatio: 0, ramAllocationRatio: 0, diskAllocationRatio: 2 };
    expect(resolveAllocationRatios({ diskAllocationRatio: 1.2 }, conf).diskAllocationRatio).toBe(
      1.2,
    );
    expect(resolveAllocationRatios({ diskAllocationRatio: 0 }, conf).diskAllocationRatio).toBe(2);
    expect(resolveAllocationRatios({}, conf).diskAllocationRatio).toBe(2);
  });
});
