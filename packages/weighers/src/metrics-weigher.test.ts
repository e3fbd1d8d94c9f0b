import { describe, expect, it } from 'vitest';
import type { Metric } from '@opie/core';
import {
  MetricNotFoundError,
  novaVersionOption,
  OpieError,
  parseMetricsWeightSetting,
} from '@opie/core';
import { makeHost, makeRequest, pluginContext, recordingLogger } from '@opie/testing';
import {
  createMetricsWeigher,
  metricsRequiredOption,
  metricsWeigherPlugin,
  metricsWeightMultiplierOption,
  metricsWeightOfUnavailableOption,
  metricsWeightSettingOption,
} from './metrics-weigher.js';
import type { MetricsWeigherOptions } from './metrics-weigher.js';
import { weighHosts } from './weigh-hosts.js';

const idle = 'cpu.idle.time';
const kernel = 'cpu.kernel.time';
const user = 'cpu.user.time';
const request = makeRequest();

const metrics = (values: Record<string, number>): Metric[] =>
  Object.entries(values).map(([name, value]) => ({ name, value }));

const hosts = () => [
  makeHost({ host: 'host1', metrics: metrics({ [idle]: 512, [kernel]: 1 }) }),
  makeHost({ host: 'host2', metrics: metrics({ [idle]: 1024, [kernel]: 2 }) }),
  makeHost({ host: 'host3', metrics: metrics({ [idle]: 3072, [kernel]: 1 }) }),
  makeHost({ host: 'host4', metrics: metrics({ [idle]: 8192, [kernel]: 0 }) }),
  makeHost({ host: 'host5', metrics: metrics({ [idle]: 768, [kernel]: 0, [user]: 1 }) }),
  makeHost({ host: 'host6', metrics: metrics({ [idle]: 2048, [kernel]: 0, [user]: 2 }) }),
];

function best(items: string[], options: Omit<MetricsWeigherOptions, 'setting'> = {}) {
  const { setting } = parseMetricsWeightSetting(items);
  const [top] = weighHosts([createMetricsWeigher({ ...options, setting })], hosts(), request);
  return { weight: top!.weight, host: top!.host.host };
}

describe('MetricsWeigher', () => {
  it('test_single_resource (nova)', () => {
    expect(best([`${idle}=1`])).toEqual({ weight: 1.0, host: 'host4' });
  });

  it('test_multiple_resource (nova)', () => {
    expect(best([`${idle}=0.0001`, `${kernel}=1`])).toEqual({ weight: 1.0, host: 'host2' });
  });

  it('test_single_resource_duplicate_setting (nova)', () => {
    expect(best([`${idle}=-2`, `${idle}=1`])).toEqual({ weight: 1.0, host: 'host1' });
  });

  it('test_single_resourcenegtive_ratio (nova)', () => {
    expect(best([`${idle}=-1`])).toEqual({ weight: 1.0, host: 'host1' });
  });

  it('test_multiple_resource_missing_ratio (nova)', () => {
    expect(best([`${idle}=0.0001`, kernel])).toEqual({ weight: 1.0, host: 'host4' });
  });

  it('test_multiple_resource_wrong_ratio (nova)', () => {
    expect(best([`${idle}=0.0001`, `${kernel} = 2.0t`])).toEqual({ weight: 1.0, host: 'host4' });
  });

  it('test_metric_not_found_required (nova)', () => {
    let caught: unknown;
    try {
      best([`${idle}=1`, `${user}=2`]);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(MetricNotFoundError);
    expect(OpieError.isInstance(caught) && caught.code).toBe('METRIC_NOT_FOUND');
    expect((caught as Error).message).toBe(
      `Metric ${user} could not be found on the compute host node host1.host1-node.`,
    );
  });

  it('test_metric_not_found_non_required (nova)', () => {
    expect(best([`${idle}=0.0001`, `${user}=-1`], { required: false })).toEqual({
      weight: 1.0,
      host: 'host5',
    });
  });

  it('a missing metric weighs weight_of_unavailable at once, dropping the partial sum', () => {
    const weigher = createMetricsWeigher({
      setting: [
        { name: idle, ratio: 1 },
        { name: user, ratio: 1 },
      ],
      required: false,
      weightOfUnavailable: -42,
    });
    const [host1] = hosts();
    expect(weigher.weigh(host1!, request)).toBe(-42);
  });

  it('a zero multiplier skips a missing metric when not required', () => {
    const weigher = createMetricsWeigher({
      setting: [
        { name: idle, ratio: 1 },
        { name: user, ratio: 2 },
      ],
      required: false,
      multiplier: 0,
    });
    const [host1] = hosts();
    expect(weigher.weigh(host1!, request)).toBe(512);
    const weighed = weighHosts([weigher], hosts(), request);
    expect(weighed.every((w) => w.weight === 0)).toBe(true);
  });

  it('a zero ratio skips a missing metric when not required', () => {
    const weigher = createMetricsWeigher({
      setting: [
        { name: idle, ratio: 1 },
        { name: user, ratio: 0 },
      ],
      required: false,
    });
    expect(weigher.weigh(hosts()[0]!, request)).toBe(512);
  });

  it('a zero multiplier still raises for a missing required metric', () => {
    const weigher = createMetricsWeigher({ setting: [{ name: user, ratio: 1 }], multiplier: 0 });
    expect(() => weigher.weigh(hosts()[0]!, request)).toThrow(MetricNotFoundError);
  });

  it('an empty setting weighs every host 0', () => {
    const weigher = createMetricsWeigher();
    expect(weigher.weigh(hosts()[0]!, request)).toBe(0);
    expect(weighHosts([weigher], hosts(), request).every((w) => w.weight === 0)).toBe(true);
  });

  it('a metric reported twice counts with its last value (nova keys metrics by name)', () => {
    const host = makeHost({ metrics: [...metrics({ [idle]: 1 }), ...metrics({ [idle]: 5 })] });
    const weigher = createMetricsWeigher({ setting: [{ name: idle, ratio: 2 }] });
    expect(weigher.weigh(host, request)).toBe(10);
  });

  it('"name = ratio" with blanks works (nova never matched the unstripped key)', () => {
    expect(best([`${idle} = 1`])).toEqual({ weight: 1.0, host: 'host4' });
  });

  it('has no class bounds', () => {
    const weigher = createMetricsWeigher();
    expect(weigher.minval).toBeUndefined();
    expect(weigher.maxval).toBeUndefined();
    expect(weigher.name).toBe('nova.scheduler.weights.metrics.MetricsWeigher');
  });

  describe('plugin', () => {
    it('declares the [metrics] options with nova defaults, and [opie] nova_version', () => {
      expect(metricsWeigherPlugin.options).toEqual([
        metricsWeightMultiplierOption,
        metricsWeightSettingOption,
        metricsRequiredOption,
        metricsWeightOfUnavailableOption,
        novaVersionOption,
      ]);
      expect(
        metricsWeigherPlugin.options!.map((o) => [o.group, o.name, o.type, o.default]),
      ).toEqual([
        ['metrics', 'weight_multiplier', 'float', 1.0],
        ['metrics', 'weight_setting', 'list', []],
        ['metrics', 'required', 'bool', true],
        ['metrics', 'weight_of_unavailable', 'float', -10000.0],
        ['opie', 'nova_version', 'str', 'liberty'],
      ]);
    });

    it('reads every option once at creation', () => {
      const ctx = pluginContext(metricsWeigherPlugin, {
        'metrics.weight_multiplier': 2,
        'metrics.weight_setting': [`${idle}=1`, `${user}=1`],
        'metrics.required': false,
        'metrics.weight_of_unavailable': -7,
      });
      const weigher = metricsWeigherPlugin.create(ctx);
      expect(weigher.multiplier).toBe(2);
      expect(weigher.weigh(hosts()[0]!, request)).toBe(-7);
      expect(weigher.weigh(hosts()[4]!, request)).toBe(769);
    });

    it('drops bad weight_setting items with one warning', () => {
      const logger = recordingLogger();
      const ctx = pluginContext(
        metricsWeigherPlugin,
        { 'metrics.weight_setting': [`${idle}=1`, kernel, '=3'] },
        logger,
      );
      const weigher = metricsWeigherPlugin.create(ctx);
      expect(weigher.weigh(hosts()[0]!, request)).toBe(512);
      expect(logger.warnings).toHaveLength(1);
      expect(logger.warnings[0]!.message).toContain('metrics.weight_setting');
      expect(logger.warnings[0]!.fields).toEqual({
        problems: [
          `ignoring invalid item "${kernel}": no "=" between the metric name and its ratio`,
          'ignoring invalid item "=3": the metric name is empty',
        ],
      });
    });

    it('logs nothing for a good setting', () => {
      const logger = recordingLogger();
      metricsWeigherPlugin.create(pluginContext(metricsWeigherPlugin, {}, logger));
      expect(logger.warnings).toEqual([]);
    });
  });
});
