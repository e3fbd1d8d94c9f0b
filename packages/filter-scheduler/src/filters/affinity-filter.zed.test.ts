import { describe, expect, it } from 'vitest';
import type { SchedulerHints } from '@opie/core';
import { makeHost, makeInstance, makeRequest, pluginContext } from '@opie/testing';
import {
  createDifferentHostFilter,
  createSameHostFilter,
  sameHostFilterPlugin,
} from './affinity-filter.js';

/*
 * nova Zed's SameHostFilter and DifferentHostFilter, ported by behaviour from
 * nova/tests/unit/scheduler/filters/test_affinity_filters.py (stable/zed).
 * Expected values follow from Zed's rule: with a truthy `same_host` hint a
 * host passes iff one of the named uuids is among its instances (an empty
 * host has none, so it fails); DifferentHostFilter is unchanged from Liberty.
 */

const hostWith = (...uuids: string[]) =>
  makeHost({ instances: uuids.map((uuid) => makeInstance({ uuid })) });
const hints = (schedulerHints: SchedulerHints) => makeRequest({ schedulerHints });

describe('SameHostFilter (nova Zed)', () => {
  const zed = createSameHostFilter({ novaVersion: 'zed' });

  it('test_affinity_same_filter_passes: a host running a named instance passes', () => {
    expect(zed.hostPasses(hostWith('u1'), hints({ same_host: ['u1'] }))).toBe(true);
    expect(zed.hostPasses(hostWith('x', 'u1'), hints({ same_host: 'u1' }))).toBe(true);
  });

  it('test_affinity_same_filter_no_list_passes: an empty host fails under zed (passes under liberty)', () => {
    const request = hints({ same_host: ['same'] });
    expect(zed.hostPasses(hostWith(), request)).toBe(false);
    expect(createSameHostFilter().hostPasses(hostWith(), request)).toBe(true);
    expect(createSameHostFilter({ novaVersion: 'liberty' }).hostPasses(hostWith(), request)).toBe(
      true,
    );
  });

  it('test_affinity_same_filter_fails: a host running other instances fails', () => {
    expect(zed.hostPasses(hostWith('u1'), hints({ same_host: ['same'] }))).toBe(false);
  });

  it('test_affinity_same_filter_handles_none: no hint (or an empty one) passes every host, empty or not', () => {
    expect(zed.hostPasses(hostWith('u1'), hints({}))).toBe(true);
    expect(zed.hostPasses(hostWith(), hints({}))).toBe(true);
    expect(zed.hostPasses(hostWith(), hints({ same_host: [] }))).toBe(true);
    expect(zed.hostPasses(hostWith(), hints({ same_host: '' }))).toBe(true);
  });

  it('the plugin follows [opie] nova_version', () => {
    expect(sameHostFilterPlugin.options?.map((o) => `${o.group}.${o.name}`)).toEqual([
      'opie.nova_version',
    ]);
    const request = hints({ same_host: ['u1'] });
    const zedFilter = sameHostFilterPlugin.create(
      pluginContext(sameHostFilterPlugin, { 'opie.nova_version': 'zed' }),
    );
    const libertyFilter = sameHostFilterPlugin.create(pluginContext(sameHostFilterPlugin));
    expect(zedFilter.hostPasses(hostWith(), request)).toBe(false);
    expect(libertyFilter.hostPasses(hostWith(), request)).toBe(true);
  });
});

describe('DifferentHostFilter (nova Zed: same rule as Liberty)', () => {
  const filter = createDifferentHostFilter();
  it('test_affinity_different_filter_passes / _fails / _handles_none', () => {
    expect(filter.hostPasses(hostWith('other'), hints({ different_host: ['u1'] }))).toBe(true);
    expect(filter.hostPasses(hostWith('u1'), hints({ different_host: ['u1'] }))).toBe(false);
    expect(filter.hostPasses(hostWith('u1'), hints({}))).toBe(true);
    // An empty host never runs a named instance: it passes in both releases.
    expect(filter.hostPasses(hostWith(), hints({ different_host: ['u1'] }))).toBe(true);
  });
});
