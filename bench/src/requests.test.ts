import { describe, expect, it } from 'vitest';
import { hostName } from './cloud.js';
import { benchRequest, GROUP_MEMBERS, preempts } from './requests.js';

describe('benchRequest', () => {
  it('asks for one m1.medium with no zone in the normal and preempt runs', () => {
    for (const scenario of ['normal', 'preempt'] as const) {
      const spec = benchRequest(scenario, 3, 100);
      expect(spec.flavor.name).toBe('m1.medium');
      expect(spec.numInstances).toBe(1);
      expect(spec.availabilityZone).toBeUndefined();
      expect(spec.instanceGroup).toBeUndefined();
    }
    expect(preempts('preempt')).toBe(true);
    expect(preempts('normal')).toBe(false);
  });

  it('constrains by zone in turn, ssd aggregate and an anti-affinity group', () => {
    const zones = [0, 1, 2, 3].map((i) => benchRequest('constrained', i, 100).availabilityZone);
    expect(zones).toEqual(['az1', 'az2', 'az3', 'az1']);
    const spec = benchRequest('constrained', 5, 100);
    expect(spec.flavor.extraSpecs).toEqual({ 'aggregate_instance_extra_specs:ssd': 'true' });
    expect(spec.instanceGroup?.policies).toEqual(['anti-affinity']);
    expect(spec.instanceGroup?.hosts).toHaveLength(GROUP_MEMBERS);
    const known = new Set(Array.from({ length: 100 }, (_, i) => hostName(i)));
    for (const h of spec.instanceGroup?.hosts ?? []) expect(known.has(h)).toBe(true);
  });

  it('builds the same request for the same index (fresh objects)', () => {
    const a = benchRequest('constrained', 9, 100);
    const b = benchRequest('constrained', 9, 100);
    expect(a).toEqual(b);
    expect(a.instanceGroup).not.toBe(b.instanceGroup);
    expect(a.flavor.extraSpecs).not.toBe(b.flavor.extraSpecs);
  });
});
