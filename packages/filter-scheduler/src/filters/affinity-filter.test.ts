import { describe, expect, it } from 'vitest';
import { novaVersionOption } from '@opie/core';
import type { SchedulerHints } from '@opie/core';
import { makeHost, makeInstance, makeRequest, pluginContext } from '@opie/testing';
import {
  createDifferentHostFilter,
  createSameHostFilter,
  differentHostFilterPlugin,
  sameHostFilterPlugin,
} from './affinity-filter.js';

const hostWith = (...uuids: string[]) =>
  makeHost({ instances: uuids.map((uuid) => makeInstance({ uuid })) });
const hints = (schedulerHints: SchedulerHints) => makeRequest({ schedulerHints });
const noHints = makeRequest({ schedulerHints: undefined as unknown as SchedulerHints });

describe('DifferentHostFilter', () => {
  const filter = createDifferentHostFilter();

  it('test_affinity_different_filter_passes (nova)', () => {
    expect(filter.hostPasses(hostWith('different'), hints({ different_host: ['same'] }))).toBe(
      true,
    );
  });

  it('test_affinity_different_filter_no_list_passes (nova)', () => {
    expect(filter.hostPasses(hostWith('different'), hints({ different_host: 'same' }))).toBe(true);
  });

  it('test_affinity_different_filter_fails (nova)', () => {
    expect(filter.hostPasses(hostWith('same'), hints({ different_host: ['same'] }))).toBe(false);
  });

  it('test_affinity_different_filter_no_list_fails (nova)', () => {
    expect(filter.hostPasses(hostWith('same'), hints({ different_host: 'same' }))).toBe(false);
  });

  it('test_affinity_different_filter_handles_none (nova)', () => {
    expect(filter.hostPasses(hostWith('same'), noHints)).toBe(true);
    expect(filter.hostPasses(hostWith('same'), hints({}))).toBe(true);
  });

  it('an empty hint (string or list) passes every host', () => {
    expect(filter.hostPasses(hostWith('same'), hints({ different_host: [] }))).toBe(true);
    expect(filter.hostPasses(hostWith('same'), hints({ different_host: '' }))).toBe(true);
  });

  it('fails when any of several uuids is on the host', () => {
    const request = hints({ different_host: ['a', 'b', 'c'] });
    expect(filter.hostPasses(hostWith('x', 'c'), request)).toBe(false);
    expect(filter.hostPasses(hostWith('x', 'y'), request)).toBe(true);
  });

  it('plugin definition', () => {
    expect(differentHostFilterPlugin.classPath).toBe(
      'nova.scheduler.filters.affinity_filter.DifferentHostFilter',
    );
    expect(differentHostFilterPlugin.options).toBeUndefined();
    const created = differentHostFilterPlugin.create(pluginContext(differentHostFilterPlugin));
    expect(created.name).toBe('DifferentHostFilter');
    expect(created.runFilterOncePerRequest).toBe(true);
  });
});

describe('SameHostFilter', () => {
  const filter = createSameHostFilter();

  it('test_affinity_same_filter_passes (nova)', () => {
    expect(filter.hostPasses(hostWith('same'), hints({ same_host: ['same'] }))).toBe(true);
  });

  it('test_affinity_same_filter_no_list_passes (nova)', () => {
    expect(filter.hostPasses(hostWith('same'), hints({ same_host: 'same' }))).toBe(true);
  });

  it('test_affinity_same_filter_fails (nova)', () => {
    expect(filter.hostPasses(hostWith('different'), hints({ same_host: ['same'] }))).toBe(false);
  });

  it('test_affinity_same_filter_no_list_fails (nova)', () => {
    expect(filter.hostPasses(hostWith('different'), hints({ same_host: 'same' }))).toBe(false);
  });

  it('test_affinity_same_filter_handles_none (nova)', () => {
    expect(filter.hostPasses(hostWith('different'), noHints)).toBe(true);
  });

  it('[quirk] Liberty passes a host with no instances (nova Zed fails it)', () => {
    expect(filter.hostPasses(hostWith(), hints({ same_host: ['same'] }))).toBe(true);
  });

  it('plugin definition', () => {
    expect(sameHostFilterPlugin.classPath).toBe(
      'nova.scheduler.filters.affinity_filter.SameHostFilter',
    );
    // Its only option is [opie] nova_version (the Zed rule; see the .zed.test.ts file).
    expect(sameHostFilterPlugin.options).toEqual([novaVersionOption]);
    const created = sameHostFilterPlugin.create(pluginContext(sameHostFilterPlugin));
    expect(created.name).toBe('SameHostFilter');
    expect(created.runFilterOncePerRequest).toBe(true);
  });
});
