import { describe, expect, it } from 'vitest';
import { parseMetricsWeightSetting } from './metrics-weight-setting.js';

describe('parseMetricsWeightSetting', () => {
  it('splits items at the first = and converts the ratio with Python float()', () => {
    expect(
      parseMetricsWeightSetting(['cpu.frequency=1', 'cpu.percent=-1.5', 'x=1e3', 'y= 2 ']),
    ).toEqual({
      items: [
        ['cpu.frequency', 1],
        ['cpu.percent', -1.5],
        ['x', 1000],
        ['y', 2],
      ],
      bad: [],
    });
  });

  it('drops items without =, without a name, or without a number', () => {
    expect(parseMetricsWeightSetting(['foo', '=1', ' =1', 'bar=', 'baz=x', 'a=b=1'])).toEqual({
      items: [],
      bad: ['foo', '=1', ' =1', 'bar=', 'baz=x', 'a=b=1'],
    });
  });

  it('strips the name (a fix of nova, which keeps the blanks)', () => {
    expect(parseMetricsWeightSetting(['  cpu.percent = 1']).items).toEqual([['cpu.percent', 1]]);
  });
});
