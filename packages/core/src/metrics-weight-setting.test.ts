import { describe, expect, it } from 'vitest';
import { parseMetricsWeightSetting } from './metrics-weight-setting.js';

const idle = 'cpu.idle.time';
const kernel = 'cpu.kernel.time';

describe('parseMetricsWeightSetting', () => {
  it('test_parse_setting (nova): one good item', () => {
    expect(parseMetricsWeightSetting([`${idle}=1`])).toEqual({
      setting: [{ name: idle, ratio: 1.0 }],
      problems: [],
    });
  });

  it('test_parse_setting (nova): two good items, in order', () => {
    expect(parseMetricsWeightSetting([`${idle}=1`, `${kernel}=-2.1`]).setting).toEqual([
      { name: idle, ratio: 1.0 },
      { name: kernel, ratio: -2.1 },
    ]);
  });

  it('test_parse_setting (nova): a ratio that is not a float is dropped', () => {
    const parsed = parseMetricsWeightSetting([`${idle}=a1`, `${kernel}=-2.1`]);
    expect(parsed.setting).toEqual([{ name: kernel, ratio: -2.1 }]);
    expect(parsed.problems).toEqual([
      {
        section: 'metrics',
        key: 'weight_setting',
        message: `ignoring invalid item "${idle}=a1": the ratio is not a number`,
        hint: 'items look like name=ratio, e.g. cpu.percent=1.0',
      },
    ]);
  });

  it('test_parse_setting (nova): an item without "=" is dropped', () => {
    const parsed = parseMetricsWeightSetting([idle, `${kernel}=-2.1`]);
    expect(parsed.setting).toEqual([{ name: kernel, ratio: -2.1 }]);
    expect(parsed.problems).toHaveLength(1);
    expect(parsed.problems[0]!.message).toContain('no "="');
  });

  it('test_parse_setting (nova): an item with an empty name is dropped', () => {
    const parsed = parseMetricsWeightSetting(['=5', `${kernel}=-2.1`]);
    expect(parsed.setting).toEqual([{ name: kernel, ratio: -2.1 }]);
    expect(parsed.problems[0]!.message).toContain('the metric name is empty');
  });

  it('an empty ratio and an empty item are problems', () => {
    const parsed = parseMetricsWeightSetting([`${idle}=`, '']);
    expect(parsed.setting).toEqual([]);
    expect(parsed.problems).toHaveLength(2);
  });

  it('splits at the first "=" only', () => {
    const parsed = parseMetricsWeightSetting([`${idle}=1=2`]);
    expect(parsed.setting).toEqual([]);
    expect(parsed.problems).toHaveLength(1);
  });

  it('strips the name (nova kept "cpu.percent " and never matched it)', () => {
    expect(parseMetricsWeightSetting([' cpu.percent = 1 ']).setting).toEqual([
      { name: 'cpu.percent', ratio: 1 },
    ]);
  });

  it('a blank-only name is empty once stripped', () => {
    expect(parseMetricsWeightSetting(['  =1']).setting).toEqual([]);
  });

  it('converts ratios like Python float()', () => {
    const parsed = parseMetricsWeightSetting(['a=1e3', 'b= -.5', 'c=inf', 'd=1_0']);
    expect(parsed.setting.map((s) => s.ratio)).toEqual([1000, -0.5, Infinity, 10]);
    expect(parseMetricsWeightSetting([`${kernel} = 2.0t`]).setting).toEqual([]);
  });

  it('keeps repeated names (each item counts)', () => {
    expect(parseMetricsWeightSetting([`${idle}=-2`, `${idle}=1`]).setting).toHaveLength(2);
  });
});
