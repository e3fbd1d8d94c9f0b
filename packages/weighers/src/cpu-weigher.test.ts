import { describe, expect, it } from 'vitest';
import { makeHost, makeRequest, pluginContext } from '@opie/testing';
import { cpuWeigherPlugin, cpuWeightMultiplierOption, createCpuWeigher } from './cpu-weigher.js';
import { weighHosts } from './weigh-hosts.js';

const request = makeRequest();
const hosts = () => [
  makeHost({ host: 'host1', vcpusTotal: 8, vcpusUsed: 8, cpuAllocationRatio: 1.0 }), // 0 free
  makeHost({ host: 'host2', vcpusTotal: 4, vcpusUsed: 2, cpuAllocationRatio: 1.0 }), // 2 free
  makeHost({ host: 'host3', vcpusTotal: 6, vcpusUsed: 0, cpuAllocationRatio: 1.0 }), // 6 free
  makeHost({ host: 'host4', vcpusTotal: 8, vcpusUsed: 0, cpuAllocationRatio: 2.0 }), // 16 free
];

describe('CPUWeigher', () => {
  it('test_multiplier_default (nova)', () => {
    const weigher = cpuWeigherPlugin.create(pluginContext(cpuWeigherPlugin));
    const [best] = weighHosts([weigher], hosts(), request);
    expect(best!.weight).toBe(1.0);
    expect(best!.host.host).toBe('host4');
  });

  it('test_multiplier_none (nova)', () => {
    const [best] = weighHosts([createCpuWeigher({ multiplier: 0.0 })], hosts(), request);
    expect(best!.weight).toBe(0.0);
  });

  it('test_multiplier_positive (nova)', () => {
    const [best] = weighHosts([createCpuWeigher({ multiplier: 2.0 })], hosts(), request);
    expect(best!.weight).toBe(2.0);
    expect(best!.host.host).toBe('host4');
  });

  it('test_multiplier_negative (nova)', () => {
    const [best] = weighHosts([createCpuWeigher({ multiplier: -1.0 })], hosts(), request);
    expect(best!.host.host).toBe('host1');
  });

  it('test_negative_host (nova)', () => {
    const all = [
      ...hosts(),
      makeHost({ host: 'negative', vcpusTotal: 4, vcpusUsed: 6, cpuAllocationRatio: 1.0 }),
    ];
    const weighed = weighHosts([createCpuWeigher({ multiplier: 1.0 })], all, request);
    expect(weighed[0]!.weight).toBe(1);
    expect(weighed[0]!.host.host).toBe('host4');
    expect(weighed.at(-1)!.weight).toBe(0);
    expect(weighed.at(-1)!.host.host).toBe('negative');
  });

  it('raw weight is free vCPUs under the allocation ratio, class minval 0', () => {
    const weigher = createCpuWeigher();
    const host = makeHost({ vcpusTotal: 4, vcpusUsed: 3, cpuAllocationRatio: 1.5 });
    expect(weigher.weigh(host, request)).toBe(3);
    expect(weigher.minval).toBe(0);
  });

  it('plugin reads [filter_scheduler] cpu_weight_multiplier (no Liberty name)', () => {
    const ctx = pluginContext(cpuWeigherPlugin, { 'filter_scheduler.cpu_weight_multiplier': -1 });
    expect(cpuWeigherPlugin.create(ctx).multiplier).toBe(-1);
    expect(cpuWeightMultiplierOption).toMatchObject({ type: 'float', default: 1.0 });
    expect(cpuWeightMultiplierOption.deprecatedNames).toBeUndefined();
  });
});
