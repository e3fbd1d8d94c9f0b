import { describe, expect, it } from 'vitest';
import { novaVersionOption } from '@opie/core';
import {
  makeAggregate,
  makeFlavor,
  makeHost,
  makeRequest,
  pluginContext,
  recordingLogger,
} from '@opie/testing';
import {
  aggregateDiskFilterPlugin,
  createAggregateDiskFilter,
  createDiskFilter,
  diskFilterPlugin,
  requestedDiskMb,
} from './disk-filter.js';

const disk = (rootGb: number, ephemeralGb: number, swap: number) =>
  makeRequest({ flavor: makeFlavor({ rootGb, ephemeralGb, swap }) });
const ratioAggs = (...ratios: string[]) =>
  ratios.map((r, i) => makeAggregate({ id: i + 1, metadata: { disk_allocation_ratio: r } }));

describe('DiskFilter', () => {
  const filter = createDiskFilter();

  it('test_disk_filter_passes (nova)', () => {
    const host = makeHost({ freeDiskMb: 11 * 1024, totalUsableDiskGb: 13 });
    expect(filter.hostPasses(host, disk(1, 1, 512))).toBe(true);
    expect(host.limits.diskGb).toBe(13);
  });

  it('test_disk_filter_fails (nova)', () => {
    const host = makeHost({ freeDiskMb: 11 * 1024, totalUsableDiskGb: 13 });
    expect(filter.hostPasses(host, disk(10, 1, 1024))).toBe(false);
    expect(host.limits.diskGb).toBeUndefined();
  });

  it('test_disk_filter_oversubscribe (nova)', () => {
    const host = makeHost({ freeDiskMb: 1 * 1024, totalUsableDiskGb: 12, diskAllocationRatio: 10 });
    expect(filter.hostPasses(host, disk(3, 3, 1024))).toBe(true);
    expect(host.limits.diskGb).toBe(12 * 10.0);
  });

  it('test_disk_filter_oversubscribe_fail (nova)', () => {
    const host = makeHost({
      freeDiskMb: 11 * 1024,
      totalUsableDiskGb: 12,
      diskAllocationRatio: 10,
    });
    expect(filter.hostPasses(host, disk(100, 19, 1024))).toBe(false);
  });

  it('test_disk_filter_oversubscribe_single_instance_fails (nova, Mitaka+): Liberty passes it', () => {
    // Liberty has no "larger than the whole disk" check: 13 GB fits a 12 GB disk at ratio 10.
    const host = makeHost({
      freeDiskMb: 11 * 1024,
      totalUsableDiskGb: 12,
      diskAllocationRatio: 10,
    });
    expect(filter.hostPasses(host, disk(10, 2, 1024))).toBe(true);
  });

  it('swap is counted (docs/nova-and-opie-notes.md)', () => {
    expect(requestedDiskMb(makeFlavor({ rootGb: 1, ephemeralGb: 2, swap: 100 }))).toBe(3172);
    const host = makeHost({ freeDiskMb: 2 * 1024, totalUsableDiskGb: 2 });
    expect(filter.hostPasses(host, disk(2, 0, 0))).toBe(true);
    expect(filter.hostPasses(host, disk(2, 0, 1))).toBe(false);
  });

  it('free_disk_mb (already min(free_disk_gb, disk_available_least)) decides, not the total (docs/nova-and-opie-notes.md)', () => {
    // 100 GB disk, nothing allocated, but disk_available_least = 10 GB.
    const host = makeHost({ freeDiskMb: 10 * 1024, totalUsableDiskGb: 100 });
    expect(filter.hostPasses(host, disk(10, 0, 0))).toBe(true);
    expect(filter.hostPasses(host, disk(11, 0, 0))).toBe(false);
  });
});

describe('AggregateDiskFilter', () => {
  it('test_aggregate_disk_filter_value_error (nova)', () => {
    const logger = recordingLogger();
    const host = makeHost({
      freeDiskMb: 3 * 1024,
      totalUsableDiskGb: 4,
      diskAllocationRatio: 1.0,
      aggregates: ratioAggs('XXX'),
    });
    expect(createAggregateDiskFilter({ logger }).hostPasses(host, disk(1, 1, 1024))).toBe(true);
    expect(host.limits.diskGb).toBe(4);
    expect(logger.warnings).toHaveLength(1);
  });

  it('test_aggregate_disk_filter_default_value (nova)', () => {
    const filter = createAggregateDiskFilter();
    const base = { freeDiskMb: 3 * 1024, totalUsableDiskGb: 4, diskAllocationRatio: 1.0 };
    expect(filter.hostPasses(makeHost(base), disk(2, 1, 1024))).toBe(false);
    const host = makeHost({ ...base, aggregates: ratioAggs('2') });
    expect(filter.hostPasses(host, disk(2, 1, 1024))).toBe(true);
    expect(host.limits.diskGb).toBe(8);
  });

  it('conflicting aggregate values: the minimum wins', () => {
    const host = makeHost({
      freeDiskMb: 3 * 1024,
      totalUsableDiskGb: 4,
      diskAllocationRatio: 1.0,
      aggregates: ratioAggs('3', '1.5'),
    });
    expect(createAggregateDiskFilter().hostPasses(host, disk(2, 0, 0))).toBe(true);
    expect(host.limits.diskGb).toBe(6);
  });
});

describe('disk filter plugins', () => {
  it('DiskFilter definition', () => {
    expect(diskFilterPlugin.classPath).toBe('nova.scheduler.filters.disk_filter.DiskFilter');
    // Its only option is [opie] nova_version (placement's check: see the .zed.test.ts file).
    expect(diskFilterPlugin.options).toEqual([novaVersionOption]);
    const filter = diskFilterPlugin.create(pluginContext(diskFilterPlugin));
    expect(filter.name).toBe('DiskFilter');
    expect(filter.runFilterOncePerRequest).toBe(false);
  });

  it('AggregateDiskFilter definition logs through the runtime logger', () => {
    expect(aggregateDiskFilterPlugin.classPath).toBe(
      'nova.scheduler.filters.disk_filter.AggregateDiskFilter',
    );
    const logger = recordingLogger();
    const filter = aggregateDiskFilterPlugin.create(
      pluginContext(aggregateDiskFilterPlugin, {}, logger),
    );
    expect(filter.name).toBe('AggregateDiskFilter');
    expect(filter.runFilterOncePerRequest).toBe(false);
    filter.hostPasses(makeHost({ aggregates: ratioAggs('x') }), disk(1, 0, 0));
    expect(logger.warnings).toHaveLength(1);
  });
});
