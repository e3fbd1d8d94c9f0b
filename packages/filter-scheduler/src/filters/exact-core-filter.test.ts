import { describe, expect, it } from 'vitest';
import { makeFlavor, makeHost, makeRequest, pluginContext } from '@opie/testing';
import { createExactCoreFilter, exactCoreFilterPlugin } from './exact-core-filter.js';

const vcpus = (n: number) => makeRequest({ flavor: makeFlavor({ vcpus: n }) });

describe('ExactCoreFilter', () => {
  const filter = createExactCoreFilter();

  it('test_exact_core_filter_passes (nova)', () => {
    const host = makeHost({ vcpusTotal: 3, vcpusUsed: 2 });
    expect(filter.hostPasses(host, vcpus(1))).toBe(true);
    expect(host.limits.vcpu).toBe(3);
  });

  it('test_exact_core_filter_fails (nova)', () => {
    const host = makeHost({ vcpusTotal: 3, vcpusUsed: 2 });
    expect(filter.hostPasses(host, vcpus(2))).toBe(false);
    expect(host.limits.vcpu).toBeUndefined();
  });

  it('test_exact_core_filter_fails_host_vcpus_not_set (nova)', () => {
    const host = makeHost({ vcpusTotal: 0, vcpusUsed: 0 });
    expect(filter.hostPasses(host, vcpus(0))).toBe(false);
    expect(host.limits.vcpu).toBeUndefined();
  });

  it('plugin definition', () => {
    expect(exactCoreFilterPlugin.classPath).toBe(
      'nova.scheduler.filters.exact_core_filter.ExactCoreFilter',
    );
    expect(exactCoreFilterPlugin.options).toBeUndefined();
    const created = exactCoreFilterPlugin.create(pluginContext(exactCoreFilterPlugin));
    expect(created.name).toBe('ExactCoreFilter');
    expect(created.runFilterOncePerRequest).toBe(false);
  });
});
