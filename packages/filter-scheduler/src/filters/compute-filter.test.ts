import { describe, expect, it } from 'vitest';
import { ConfigError } from '@opie/core';
import { makeHost, makeRequest, makeService, pluginContext } from '@opie/testing';
import {
  computeFilterPlugin,
  createComputeFilter,
  serviceDownTimeOptions,
} from './compute-filter.js';

const NOW = 1_000_000_000_000;
const request = makeRequest({}, { now: NOW });
const withService = (service: Parameters<typeof makeService>[0]) =>
  makeHost({ service: makeService(service) });

describe('ComputeFilter', () => {
  const filter = createComputeFilter({ serviceDownTime: 60 });

  it('test_compute_filter_manual_disable (nova)', () => {
    expect(filter.hostPasses(withService({ disabled: true, updatedAt: NOW }), request)).toBe(false);
  });

  it('test_compute_filter_sgapi_passes (nova)', () => {
    expect(filter.hostPasses(withService({ updatedAt: NOW - 10_000 }), request)).toBe(true);
  });

  it('test_compute_filter_sgapi_fails (nova)', () => {
    expect(filter.hostPasses(withService({ updatedAt: NOW - 61_000 }), request)).toBe(false);
  });

  it('a forced-down service fails (servicegroup forced_down)', () => {
    expect(filter.hostPasses(withService({ forcedDown: true, updatedAt: NOW }), request)).toBe(
      false,
    );
  });

  it('a host without a service record fails', () => {
    expect(filter.hostPasses(makeHost({ service: undefined }), request)).toBe(false);
  });

  it('a service that never reported a heartbeat fails', () => {
    expect(filter.hostPasses(withService({}), request)).toBe(false);
  });

  it('plugin definition: once per request, service_down_time / report_interval', () => {
    expect(computeFilterPlugin.classPath).toBe(
      'nova.scheduler.filters.compute_filter.ComputeFilter',
    );
    expect(computeFilterPlugin.options).toBe(serviceDownTimeOptions);
    expect(serviceDownTimeOptions).toMatchObject([
      { group: 'DEFAULT', name: 'service_down_time', type: 'int', default: 60 },
      { group: 'DEFAULT', name: 'report_interval', type: 'int', default: 10 },
    ]);
    const created = computeFilterPlugin.create(pluginContext(computeFilterPlugin));
    expect(created.name).toBe('ComputeFilter');
    expect(created.runFilterOncePerRequest).toBe(true);
    expect(created.hostPasses(withService({ updatedAt: NOW - 60_000 }), request)).toBe(true);
    expect(created.hostPasses(withService({ updatedAt: NOW - 61_000 }), request)).toBe(false);
  });

  it('plugin: service_down_time <= report_interval gives int(report_interval * 2.5)', () => {
    const created = computeFilterPlugin.create(
      pluginContext(computeFilterPlugin, {
        'DEFAULT.service_down_time': 20,
        'DEFAULT.report_interval': 30,
      }),
    );
    expect(created.hostPasses(withService({ updatedAt: NOW - 75_000 }), request)).toBe(true);
    expect(created.hostPasses(withService({ updatedAt: NOW - 75_001 }), request)).toBe(false);
  });

  it('plugin: both options empty fails at creation', () => {
    const ctx = pluginContext(computeFilterPlugin, {
      'DEFAULT.service_down_time': null,
      'DEFAULT.report_interval': null,
    });
    expect(() => computeFilterPlugin.create(ctx)).toThrow(ConfigError);
  });
});
