import { describe, expect, it } from 'vitest';
import { makeHost, makeRequest, pluginContext } from '@opie/testing';
import {
  createIoOpsWeigher,
  ioOpsWeigherPlugin,
  ioOpsWeightMultiplierOption,
} from './io-ops-weigher.js';
import { weighHosts } from './weigh-hosts.js';

const request = makeRequest();
const hosts = () => [1, 2, 0, 4].map((numIoOps, i) => makeHost({ host: `host${i + 1}`, numIoOps }));

describe('IoOpsWeigher', () => {
  it('test_io_ops_weight_multiplier_by_default (nova)', () => {
    const weigher = ioOpsWeigherPlugin.create(pluginContext(ioOpsWeigherPlugin));
    const [best] = weighHosts([weigher], hosts(), request);
    expect(best!.weight).toBe(0.0);
    expect(best!.host.host).toBe('host3');
  });

  it('test_io_ops_weight_multiplier_zero_value (nova)', () => {
    const [best] = weighHosts([createIoOpsWeigher({ multiplier: 0.0 })], hosts(), request);
    expect(best!.weight).toBe(0.0);
  });

  it('test_io_ops_weight_multiplier_positive_value (nova)', () => {
    const [best] = weighHosts([createIoOpsWeigher({ multiplier: 2.0 })], hosts(), request);
    expect(best!.weight).toBe(2.0);
    expect(best!.host.host).toBe('host4');
  });

  it('the idlest host gets 0 and the busiest -1 by default', () => {
    const weighed = weighHosts([createIoOpsWeigher()], hosts(), request);
    expect(weighed.map((w) => [w.host.host, w.weight])).toEqual([
      ['host3', 0],
      ['host1', -0.25],
      ['host2', -0.5],
      ['host4', -1],
    ]);
  });

  it('raw weight is numIoOps, class minval 0', () => {
    const weigher = createIoOpsWeigher();
    expect(weigher.weigh(makeHost({ numIoOps: 3 }), request)).toBe(3);
    expect(weigher.minval).toBe(0);
    expect(weigher.multiplier).toBe(-1.0);
  });

  it('plugin reads [filter_scheduler] io_ops_weight_multiplier', () => {
    const ctx = pluginContext(ioOpsWeigherPlugin, {
      'filter_scheduler.io_ops_weight_multiplier': 3,
    });
    expect(ioOpsWeigherPlugin.create(ctx).multiplier).toBe(3);
    expect(ioOpsWeightMultiplierOption).toMatchObject({
      group: 'filter_scheduler',
      type: 'float',
      default: -1.0,
      deprecatedNames: [{ group: 'DEFAULT', name: 'io_ops_weight_multiplier' }],
    });
  });
});
