import { configValuesFrom, createRuntime, silentLogger } from '@opie/core';
import type { Logger, Metric } from '@opie/core';
import { makeHost, makeRequest } from '@opie/testing';
import { describe, expect, it, vi } from 'vitest';
import { createMetricsFilter, metricsFilterPlugin } from './metrics-filter.js';

const metric = (name: string, value = 1): Metric => ({
  name,
  value,
  timestamp: 0,
  source: 'libvirt',
});
const request = makeRequest();

function filterFor(weightSetting: string[]) {
  const conf = configValuesFrom(metricsFilterPlugin.options ?? [], {
    'metrics.weight_setting': weightSetting,
  });
  return metricsFilterPlugin.create({ conf, runtime: createRuntime() });
}

describe('MetricsFilter', () => {
  it('is nova MetricsFilter, run for every instance, owning [metrics] weight_setting', () => {
    const filter = createMetricsFilter();
    expect(filter.name).toBe('MetricsFilter');
    expect(filter.runFilterOncePerRequest).toBe(false);
    expect(metricsFilterPlugin.classPath).toBe(
      'nova.scheduler.filters.metrics_filter.MetricsFilter',
    );
    expect(metricsFilterPlugin.options).toEqual([
      expect.objectContaining({
        group: 'metrics',
        name: 'weight_setting',
        type: 'list',
        default: [],
      }),
    ]);
  });

  it('test_metrics_filter_pass (nova)', () => {
    const filter = filterFor(['cpu.frequency=1', 'numa.membw.current=2']);
    const host = makeHost({
      metrics: [metric('cpu.frequency', 1000), metric('numa.membw.current')],
    });
    expect(filter.hostPasses(host, request)).toBe(true);
  });

  it('test_metrics_filter_missing_metrics (nova)', () => {
    const filter = filterFor(['foo=1', 'bar=2']);
    const host = makeHost({ metrics: [metric('cpu.frequency', 1000)] });
    expect(filter.hostPasses(host, request)).toBe(false);
  });

  it('passes every host when nothing is configured', () => {
    expect(filterFor([]).hostPasses(makeHost(), request)).toBe(true);
  });

  it('needs every configured metric', () => {
    const filter = filterFor(['cpu.frequency=1', 'cpu.percent=-1']);
    expect(filter.hostPasses(makeHost({ metrics: [metric('cpu.frequency')] }), request)).toBe(
      false,
    );
    expect(
      filter.hostPasses(
        makeHost({ metrics: [metric('cpu.percent'), metric('cpu.frequency')] }),
        request,
      ),
    ).toBe(true);
  });

  it('strips names (nova keeps the blanks and never matches)', () => {
    const filter = filterFor([' cpu.frequency = 1']);
    expect(filter.hostPasses(makeHost({ metrics: [metric('cpu.frequency')] }), request)).toBe(true);
  });

  it('ignores invalid items and warns once', () => {
    const warn = vi.fn();
    const logger: Logger = { ...silentLogger, warn };
    const filter = createMetricsFilter({
      weightSetting: ['foo', '=1', 'bar=x', 'cpu.frequency=1'],
      logger,
    });
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0]?.[1]).toEqual({
      bad: [
        'ignoring invalid item "foo": no "=" between the metric name and its ratio',
        'ignoring invalid item "=1": the metric name is empty',
        'ignoring invalid item "bar=x": the ratio is not a number',
      ],
    });
    expect(filter.hostPasses(makeHost({ metrics: [metric('cpu.frequency')] }), request)).toBe(true);
  });
});
