import { describe, expect, it } from 'vitest';
import { syntheticTrace } from './synthetic-trace.js';

describe('syntheticTrace', () => {
  it('is seeded, lazy and in arrival order', () => {
    const a = [...syntheticTrace({ requests: 500, seed: 4 })];
    const b = [...syntheticTrace({ requests: 500, seed: 4 })];
    expect(a).toEqual(b);
    expect(a).toHaveLength(500);
    for (let i = 1; i < a.length; i++)
      expect(a[i]!.arrival).toBeGreaterThanOrEqual(a[i - 1]!.arrival);
    expect(a[0]).toMatchObject({ line: 0, id: 'vm-0', priority: undefined });
    expect([...syntheticTrace({ requests: 500, seed: 5 })]).not.toEqual(a);
  });

  it('follows the means, the preemptible share and the flavors given', () => {
    const rows = [
      ...syntheticTrace({
        requests: 20000,
        seed: 1,
        meanInterarrivalS: 2,
        meanLifetimeS: 100,
        preemptibleFraction: 0.25,
        flavors: [
          { vcpus: 1, memoryMb: 512, diskGb: 1, weight: 3 },
          { vcpus: 2, memoryMb: 1024, diskGb: 2, weight: 1 },
        ],
      }),
    ];
    const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
    expect(rows.at(-1)!.arrival / rows.length).toBeCloseTo(2, 1);
    expect(mean(rows.map((r) => r.lifetime))).toBeGreaterThan(95);
    expect(mean(rows.map((r) => r.lifetime))).toBeLessThan(105);
    expect(mean(rows.map((r) => (r.preemptible ? 1 : 0)))).toBeCloseTo(0.25, 1);
    expect(mean(rows.map((r) => (r.vcpus === 1 ? 1 : 0)))).toBeCloseTo(0.75, 1);
    expect(new Set(rows.map((r) => r.memoryMb))).toEqual(new Set([512, 1024]));
  });
});
