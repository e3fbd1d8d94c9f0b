import { describe, expect, it } from 'vitest';
import { makeHost, makeRequest, makeService, pluginContext } from '@opie/testing';
import { allHostsFilterPlugin, createAllHostsFilter } from './all-hosts-filter.js';

describe('AllHostsFilter', () => {
  it('test_all_host_filter (nova)', () => {
    const filter = createAllHostsFilter();
    expect(filter.hostPasses(makeHost(), makeRequest())).toBe(true);
    const disabled = makeHost({ service: makeService({ disabled: true }), freeRamMb: -1 });
    expect(filter.hostPasses(disabled, makeRequest())).toBe(true);
  });

  it('plugin definition', () => {
    expect(allHostsFilterPlugin.classPath).toBe(
      'nova.scheduler.filters.all_hosts_filter.AllHostsFilter',
    );
    expect(allHostsFilterPlugin.options).toBeUndefined();
    const created = allHostsFilterPlugin.create(pluginContext(allHostsFilterPlugin));
    expect(created.name).toBe('AllHostsFilter');
    expect(created.runFilterOncePerRequest).toBe(true);
  });
});
