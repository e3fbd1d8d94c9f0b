import { describe, expect, it } from 'vitest';
import { makeHost, makeRequest, pluginContext } from '@opie/testing';
import {
  createDiskWeigher,
  diskWeigherPlugin,
  diskWeightMultiplierOption,
} from './disk-weigher.js';
import { weighHosts } from './weigh-hosts.js';

const request = makeRequest();
const hosts = () =>
  [5120, 10240, 30720, 81920].map((freeDiskMb, i) =>
    makeHost({ host: `host${i + 1}`, freeDiskMb }),
  );

describe('DiskWeigher', () => {
  it('test_default_of_spreading_first (nova)', () => {
    const weigher = diskWeigherPlugin.create(pluginContext(diskWeigherPlugin));
    const [best] = weighHosts([weigher], hosts(), request);
    expect(best!.weight).toBe(1.0);
    expect(best!.host.host).toBe('host4');
  });

  it('test_disk_filter_multiplier1 (nova)', () => {
    const [best] = weighHosts([createDiskWeigher({ multiplier: 0.0 })], hosts(), request);
    expect(best!.weight).toBe(0.0);
  });

  it('test_disk_filter_multiplier2 (nova)', () => {
    const [best] = weighHosts([createDiskWeigher({ multiplier: 2.0 })], hosts(), request);
    expect(best!.weight).toBe(2.0);
    expect(best!.host.host).toBe('host4');
  });

  it('test_disk_filter_negative (nova)', () => {
    const all = [...hosts(), makeHost({ host: 'negative', freeDiskMb: -5120 })];
    const weighed = weighHosts([createDiskWeigher({ multiplier: 1.0 })], all, request);
    expect(weighed[0]!.weight).toBe(1);
    expect(weighed[0]!.host.host).toBe('host4');
    expect(weighed.at(-1)!.weight).toBe(0);
    expect(weighed.at(-1)!.host.host).toBe('negative');
  });

  it('raw weight is freeDiskMb, class minval 0', () => {
    const weigher = createDiskWeigher();
    expect(weigher.weigh(makeHost({ freeDiskMb: 2048 }), request)).toBe(2048);
    expect(weigher.minval).toBe(0);
  });

  it('plugin reads [filter_scheduler] disk_weight_multiplier', () => {
    const ctx = pluginContext(diskWeigherPlugin, { 'filter_scheduler.disk_weight_multiplier': 4 });
    expect(diskWeigherPlugin.create(ctx).multiplier).toBe(4);
    expect(diskWeightMultiplierOption).toMatchObject({
      group: 'filter_scheduler',
      default: 1.0,
      deprecatedNames: [{ group: 'DEFAULT', name: 'disk_weight_multiplier' }],
    });
  });
});
