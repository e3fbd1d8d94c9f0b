import { describe, expect, it } from 'vitest';
import { makeFlavor, makeHost, makeRequest, pluginContext } from '@opie/testing';
import { createExactDiskFilter, exactDiskFilterPlugin } from './exact-disk-filter.js';

const request = makeRequest({ flavor: makeFlavor({ rootGb: 1, ephemeralGb: 1, swap: 1024 }) });

describe('ExactDiskFilter', () => {
  const filter = createExactDiskFilter();

  it('test_exact_disk_filter_passes (nova)', () => {
    const host = makeHost({ freeDiskMb: 3 * 1024, totalUsableDiskGb: 3 });
    expect(filter.hostPasses(host, request)).toBe(true);
    expect(host.limits.diskGb).toBe(3);
  });

  it('test_exact_disk_filter_fails (nova)', () => {
    const host = makeHost({ freeDiskMb: 2 * 1024 });
    expect(filter.hostPasses(host, request)).toBe(false);
    expect(host.limits.diskGb).toBeUndefined();
  });

  it('swap is part of the exact size (docs/nova-and-opie-notes.md)', () => {
    const noSwap = makeRequest({ flavor: makeFlavor({ rootGb: 1, ephemeralGb: 1, swap: 0 }) });
    const host = makeHost({ freeDiskMb: 3 * 1024, totalUsableDiskGb: 3 });
    expect(filter.hostPasses(host, noSwap)).toBe(false);
  });

  it('plugin definition', () => {
    expect(exactDiskFilterPlugin.classPath).toBe(
      'nova.scheduler.filters.exact_disk_filter.ExactDiskFilter',
    );
    expect(exactDiskFilterPlugin.options).toBeUndefined();
    const created = exactDiskFilterPlugin.create(pluginContext(exactDiskFilterPlugin));
    expect(created.name).toBe('ExactDiskFilter');
    expect(created.runFilterOncePerRequest).toBe(false);
  });
});
