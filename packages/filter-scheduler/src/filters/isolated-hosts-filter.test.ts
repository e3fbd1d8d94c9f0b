import { configValuesFrom, createRuntime } from '@opie/core';
import { makeHost, makeRequest } from '@opie/testing';
import { describe, expect, it } from 'vitest';
import type { IsolatedHostsOptions } from './isolated-hosts-filter.js';
import { createIsolatedHostsFilter, isolatedHostsFilterPlugin } from './isolated-hosts-filter.js';

const IMAGE = 'image-ref';
const OTHER_IMAGE = 'fake-image-ref';

function run(options: IsolatedHostsOptions, hostInList: boolean, imageInList: boolean): boolean {
  const filter = createIsolatedHostsFilter(options);
  const host = makeHost({ host: hostInList ? 'isolated_host' : 'free_host' });
  return filter.hostPasses(
    host,
    makeRequest({ image: { id: imageInList ? IMAGE : OTHER_IMAGE, properties: {} } }),
  );
}

const flags = (restrict: boolean): IsolatedHostsOptions => ({
  isolatedImages: [IMAGE],
  isolatedHosts: ['isolated_host'],
  restrictIsolatedHostsToIsolatedImages: restrict,
});

describe('IsolatedHostsFilter', () => {
  it('is nova IsolatedHostsFilter, run once per request, owning its three options', () => {
    const filter = createIsolatedHostsFilter();
    expect(filter.name).toBe('IsolatedHostsFilter');
    expect(filter.runFilterOncePerRequest).toBe(true);
    expect(isolatedHostsFilterPlugin.classPath).toBe(
      'nova.scheduler.filters.isolated_hosts_filter.IsolatedHostsFilter',
    );
    const options = isolatedHostsFilterPlugin.options ?? [];
    expect(options.map((o) => [o.group, o.name, o.type, o.default])).toEqual([
      ['filter_scheduler', 'isolated_images', 'list', []],
      ['filter_scheduler', 'isolated_hosts', 'list', []],
      ['filter_scheduler', 'restrict_isolated_hosts_to_isolated_images', 'bool', true],
    ]);
    for (const o of options)
      expect(o.deprecatedNames).toEqual([{ group: 'DEFAULT', name: o.name }]);
  });

  it('test_isolated_hosts_fails_isolated_on_non_isolated (nova)', () => {
    expect(run(flags(true), false, true)).toBe(false);
  });

  it('test_isolated_hosts_fails_non_isolated_on_isolated (nova)', () => {
    expect(run(flags(true), true, false)).toBe(false);
  });

  it('test_isolated_hosts_passes_isolated_on_isolated (nova)', () => {
    expect(run(flags(true), true, true)).toBe(true);
  });

  it('test_isolated_hosts_passes_non_isolated_on_non_isolated (nova)', () => {
    expect(run(flags(true), false, false)).toBe(true);
  });

  it('test_isolated_hosts_no_config (nova)', () => {
    expect(run({}, false, true)).toBe(true);
    expect(run({}, true, false)).toBe(true);
    expect(run({}, true, true)).toBe(true);
    expect(run({}, false, false)).toBe(true);
  });

  it('test_isolated_hosts_no_hosts_config (nova)', () => {
    const options = { isolatedImages: [IMAGE] };
    expect(run(options, false, true)).toBe(false);
    expect(run(options, true, false)).toBe(true);
    expect(run(options, true, true)).toBe(false);
    expect(run(options, false, false)).toBe(true);
  });

  it('test_isolated_hosts_no_images_config (nova)', () => {
    const options = { isolatedHosts: ['isolated_host'] };
    expect(run(options, false, true)).toBe(true);
    expect(run(options, true, false)).toBe(false);
    expect(run(options, true, true)).toBe(false);
    expect(run(options, false, false)).toBe(true);
  });

  it('test_isolated_hosts_less_restrictive (nova)', () => {
    expect(run(flags(false), true, false)).toBe(true);
    expect(run(flags(false), true, true)).toBe(true);
    expect(run(flags(false), false, false)).toBe(true);
    expect(run(flags(false), false, true)).toBe(false);
  });

  it('without isolated images and unrestricted, isolated hosts take anything', () => {
    const options = {
      isolatedHosts: ['isolated_host'],
      restrictIsolatedHostsToIsolatedImages: false,
    };
    expect(run(options, true, false)).toBe(true);
    expect(run(options, true, true)).toBe(true);
  });

  it('a request without an image id counts as a non-isolated image', () => {
    const filter = createIsolatedHostsFilter(flags(true));
    const request = makeRequest();
    expect(filter.hostPasses(makeHost({ host: 'free_host' }), request)).toBe(true);
    expect(filter.hostPasses(makeHost({ host: 'isolated_host' }), request)).toBe(false);
  });

  it('reads its options from the configuration', () => {
    const conf = configValuesFrom(isolatedHostsFilterPlugin.options ?? [], {
      'filter_scheduler.isolated_images': [IMAGE],
      'filter_scheduler.isolated_hosts': ['isolated_host'],
      'filter_scheduler.restrict_isolated_hosts_to_isolated_images': false,
    });
    const filter = isolatedHostsFilterPlugin.create({ conf, runtime: createRuntime() });
    const isolated = makeHost({ host: 'isolated_host' });
    const free = makeHost({ host: 'free_host' });
    const other = makeRequest({ image: { id: OTHER_IMAGE, properties: {} } });
    const mine = makeRequest({ image: { id: IMAGE, properties: {} } });
    expect(filter.hostPasses(isolated, other)).toBe(true);
    expect(filter.hostPasses(free, mine)).toBe(false);
  });
});
