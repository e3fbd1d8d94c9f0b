import { describe, expect, it } from 'vitest';
import { makeHost, makeRequest, pluginContext } from '@opie/testing';
import { createRamWeigher, ramWeigherPlugin, ramWeightMultiplierOption } from './ram-weigher.js';
import { weighHosts } from './weigh-hosts.js';

const request = makeRequest();
const hosts = () =>
  [512, 1024, 3072, 8192].map((freeRamMb, i) => makeHost({ host: `host${i + 1}`, freeRamMb }));

describe('RAMWeigher', () => {
  it('test_default_of_spreading_first (nova)', () => {
    const [best] = weighHosts([createRamWeigher()], hosts(), request);
    expect(best!.weight).toBe(1.0);
    expect(best!.host.host).toBe('host4');
  });

  it('test_ram_filter_multiplier1 (nova)', () => {
    const [best] = weighHosts([createRamWeigher({ multiplier: 0.0 })], hosts(), request);
    expect(best!.weight).toBe(0.0);
  });

  it('test_ram_filter_multiplier2 (nova)', () => {
    const [best] = weighHosts([createRamWeigher({ multiplier: 2.0 })], hosts(), request);
    expect(best!.weight).toBe(2.0);
    expect(best!.host.host).toBe('host4');
  });

  it('test_ram_filter_negative (nova)', () => {
    const all = [...hosts(), makeHost({ host: 'negative', freeRamMb: -512 })];
    const weighed = weighHosts([createRamWeigher({ multiplier: 1.0 })], all, request);
    expect(weighed[0]!.weight).toBe(1);
    expect(weighed[0]!.host.host).toBe('host4');
    expect(weighed.at(-1)!.weight).toBe(0);
    expect(weighed.at(-1)!.host.host).toBe('negative');
  });

  it('a negative multiplier stacks: the fullest host wins', () => {
    const [best] = weighHosts([createRamWeigher({ multiplier: -1.0 })], hosts(), request);
    expect(best!.host.host).toBe('host1');
  });

  it('raw weight is freeRamMb, class minval 0', () => {
    const weigher = createRamWeigher();
    expect(weigher.weigh(makeHost({ freeRamMb: 700 }), request)).toBe(700);
    expect(weigher.minval).toBe(0);
    expect(weigher.maxval).toBeUndefined();
    expect(weigher.name).toBe('nova.scheduler.weights.ram.RAMWeigher');
  });

  it('plugin reads [filter_scheduler] ram_weight_multiplier (default 1.0)', () => {
    expect(ramWeigherPlugin.create(pluginContext(ramWeigherPlugin)).multiplier).toBe(1.0);
    const ctx = pluginContext(ramWeigherPlugin, { 'filter_scheduler.ram_weight_multiplier': -2 });
    expect(ramWeigherPlugin.create(ctx).multiplier).toBe(-2);
  });

  it('declares the option under its Ocata name with the Liberty name deprecated', () => {
    expect(ramWeigherPlugin.classPath).toBe('nova.scheduler.weights.ram.RAMWeigher');
    expect(ramWeightMultiplierOption).toMatchObject({
      group: 'filter_scheduler',
      name: 'ram_weight_multiplier',
      type: 'float',
      default: 1.0,
      deprecatedNames: [{ group: 'DEFAULT', name: 'ram_weight_multiplier' }],
    });
  });
});

describe('weigher factories refuse a multiplier that is not a finite number', () => {
  it.each([Number.NaN, Number.POSITIVE_INFINITY])('%s', (bad) => {
    expect(() => createRamWeigher({ multiplier: bad })).toThrow(
      /Invalid nova.scheduler.weights.ram.RAMWeigher multiplier: (NaN|Infinity); expected a finite number/,
    );
  });
});
