import { describe, expect, it } from 'vitest';
import { LatencyHistogram } from './latency-histogram.js';

describe('LatencyHistogram', () => {
  it('summarises nothing as zeros', () => {
    expect(new LatencyHistogram().summary()).toEqual({
      count: 0,
      totalMs: 0,
      meanUs: 0,
      p50Us: 0,
      p90Us: 0,
      p99Us: 0,
      maxUs: 0,
    });
  });

  it('keeps count, mean and max exactly and quantiles within one bucket (~9 %)', () => {
    const h = new LatencyHistogram();
    for (let i = 1; i <= 1000; i++) h.add(i);
    const s = h.summary();
    expect(s.count).toBe(1000);
    expect(s.meanUs).toBeCloseTo(500.5, 9);
    expect(s.totalMs).toBeCloseTo(500.5, 9);
    expect(s.maxUs).toBe(1000);
    expect(s.p50Us / 500).toBeGreaterThan(0.91);
    expect(s.p50Us / 500).toBeLessThan(1.09);
    expect(s.p99Us / 990).toBeGreaterThan(0.91);
    expect(s.p99Us).toBeLessThanOrEqual(1000);
  });

  it('clamps negative and huge values into the end buckets', () => {
    const h = new LatencyHistogram();
    h.add(-5);
    h.add(1e15);
    expect(h.summary().maxUs).toBe(1e15);
    expect(h.quantile(0)).toBeLessThan(1);
    expect(h.quantile(1)).toBeGreaterThan(1e6);
  });
});
