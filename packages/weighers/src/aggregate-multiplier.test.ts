import { describe, expect, it } from 'vitest';
import { columnsOf } from '@opie/core';
import { makeAggregate, makeHost, recordingLogger } from '@opie/testing';
import { aggregateMultiplier, aggregateMultipliers } from './aggregate-multiplier.js';

const KEY = 'ram_weight_multiplier';
const agg = (id: number, value?: string, extra: Record<string, string> = {}) =>
  makeAggregate({
    id,
    name: `agg${id}`,
    metadata: value === undefined ? extra : { [KEY]: value, ...extra },
  });

describe('aggregateMultiplier (nova Zed get_weight_multiplier)', () => {
  it('no aggregate, or none setting the key: the configured value', () => {
    expect(aggregateMultiplier([], KEY, -1)).toBe(-1);
    expect(aggregateMultiplier([agg(1, undefined, { other: '5' })], KEY, -1)).toBe(-1);
  });

  it('one aggregate overrides the configuration (nova test_ram_weigher_multiplier: "2" -> 2.0)', () => {
    expect(aggregateMultiplier([agg(1, '2')], KEY, -1)).toBe(2);
  });

  it('several aggregates: the smallest value wins ("2" and "1.5" -> 1.5)', () => {
    expect(aggregateMultiplier([agg(1, '2'), agg(2, '1.5')], KEY, -1)).toBe(1.5);
    expect(aggregateMultiplier([agg(1, '-3'), agg(2, ' 1e1 ')], KEY, 0)).toBe(-3);
  });

  it('a value Python float() refuses: the configured value, the bad values reported', () => {
    const bad: string[][] = [];
    expect(aggregateMultiplier([agg(1, '2'), agg(2, 'two')], KEY, -1, (v) => bad.push(v))).toBe(-1);
    expect(bad).toEqual([['two']]);
  });

  it('inf and nan are refused too (they would make every weight infinite or NaN)', () => {
    const bad: string[][] = [];
    expect(aggregateMultiplier([agg(1, 'inf')], KEY, 1, (v) => bad.push(v))).toBe(1);
    expect(aggregateMultiplier([agg(1, 'nan')], KEY, 1, (v) => bad.push(v))).toBe(1);
    expect(bad).toEqual([['inf'], ['nan']]);
  });
});

describe('aggregateMultipliers (per host, memoised)', () => {
  it('scalar and column forms agree; negate gives -1 * the multiplier', () => {
    const shared = [agg(1, '4')];
    const hosts = [
      makeHost({ host: 'a', aggregates: shared }),
      makeHost({ host: 'b', aggregates: shared }),
      makeHost({ host: 'c' }),
      makeHost({ host: 'd', aggregates: [agg(2, '0.5'), agg(3, '3')] }),
    ];
    const cols = columnsOf(hosts, 'full');
    const rows = Int32Array.from([3, 2, 1, 0]);
    for (const negate of [false, true]) {
      const m = aggregateMultipliers('W', KEY, 2, {}, negate);
      const s = negate ? -1 : 1;
      // a, b: "4"; c: configured 2; d: min(0.5, 3).
      expect(hosts.map((h) => m.multiplierFor?.(h))).toEqual([4 * s, 4 * s, 2 * s, 0.5 * s]);
      const out = new Float64Array(4);
      m.multipliersColumns?.(cols, rows, 4, out);
      expect([...out]).toEqual([0.5 * s, 2 * s, 4 * s, 4 * s]);
    }
  });

  it('an invalid value is logged once per aggregate list, naming the key and values', () => {
    const logger = recordingLogger();
    const list = [agg(1, 'x')];
    const m = aggregateMultipliers('W', KEY, 1.5, { logger });
    const host = makeHost({ aggregates: list });
    expect(m.multiplierFor?.(host)).toBe(1.5);
    expect(m.multiplierFor?.(host)).toBe(1.5);
    expect(logger.warnings).toHaveLength(1);
    expect(logger.warnings[0]?.message).toContain("Could not decode 'ram_weight_multiplier'");
    expect(logger.warnings[0]?.fields).toMatchObject({ weigher: 'W', values: ['x'] });
  });
});
