import { describe, expect, it } from 'vitest';
import { makeFlavor, makeHost, makeRequest, pluginContext } from '@opie/testing';
import { createExactRamFilter, exactRamFilterPlugin } from './exact-ram-filter.js';

describe('ExactRamFilter', () => {
  const filter = createExactRamFilter();

  it('test_exact_ram_filter_passes (nova)', () => {
    const host = makeHost({ freeRamMb: 1024, totalUsableRamMb: 1024 });
    expect(filter.hostPasses(host, makeRequest({ flavor: makeFlavor({ memoryMb: 1024 }) }))).toBe(
      true,
    );
    expect(host.limits.memoryMb).toBe(1024);
  });

  it('test_exact_ram_filter_fails (nova)', () => {
    const host = makeHost({ freeRamMb: 1024 });
    expect(filter.hostPasses(host, makeRequest({ flavor: makeFlavor({ memoryMb: 512 }) }))).toBe(
      false,
    );
    expect(host.limits.memoryMb).toBeUndefined();
  });

  it('plugin definition', () => {
    expect(exactRamFilterPlugin.classPath).toBe(
      'nova.scheduler.filters.exact_ram_filter.ExactRamFilter',
    );
    expect(exactRamFilterPlugin.options).toBeUndefined();
    const created = exactRamFilterPlugin.create(pluginContext(exactRamFilterPlugin));
    expect(created.name).toBe('ExactRamFilter');
    expect(created.runFilterOncePerRequest).toBe(false);
  });
});
