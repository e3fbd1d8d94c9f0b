import { describe, expect, it } from 'vitest';
import { novaVersionOption } from '@opie/core';
import { makeHost, makeRequest, pluginContext } from '@opie/testing';
import {
  createServerGroupAffinityFilter,
  createServerGroupAntiAffinityFilter,
  serverGroupAffinityFilterPlugin,
  serverGroupAntiAffinityFilterPlugin,
} from './server-group-filter.js';

const host1 = makeHost({ host: 'host1', nodename: 'node1' });
const group = (policies: string[], hosts: string[] = []) =>
  makeRequest({ instanceGroup: { policies, hosts } });

describe('ServerGroupAntiAffinityFilter', () => {
  const filter = createServerGroupAntiAffinityFilter();

  it('test_group_anti_affinity_filter_passes (nova)', () => {
    expect(filter.hostPasses(host1, makeRequest())).toBe(true);
    expect(filter.hostPasses(host1, group(['affinity'], ['host1']))).toBe(true);
    expect(filter.hostPasses(host1, group(['anti-affinity'], []))).toBe(true);
    expect(filter.hostPasses(host1, group(['anti-affinity'], ['host2']))).toBe(true);
  });

  it('test_group_anti_affinity_filter_fails (nova)', () => {
    expect(filter.hostPasses(host1, group(['anti-affinity'], ['host1']))).toBe(false);
  });

  it('compares host names, not nodes', () => {
    expect(filter.hostPasses(host1, group(['anti-affinity'], ['node1']))).toBe(true);
    const otherNode = makeHost({ host: 'host1', nodename: 'node2' });
    expect(filter.hostPasses(otherNode, group(['anti-affinity'], ['host1']))).toBe(false);
  });

  it('sees hosts the scheduler adds to request.groupHosts while placing (nova/scheduler/filter_scheduler.py _schedule step 4e)', () => {
    const request = group(['anti-affinity']);
    expect(filter.hostPasses(host1, request)).toBe(true);
    request.groupHosts.add('host1');
    expect(filter.hostPasses(host1, request)).toBe(false);
  });

  it('plugin definition', () => {
    expect(serverGroupAntiAffinityFilterPlugin.classPath).toBe(
      'nova.scheduler.filters.affinity_filter.ServerGroupAntiAffinityFilter',
    );
    // Its only option is [opie] nova_version (the Zed rule; see the .zed.test.ts file).
    expect(serverGroupAntiAffinityFilterPlugin.options).toEqual([novaVersionOption]);
    const created = serverGroupAntiAffinityFilterPlugin.create(
      pluginContext(serverGroupAntiAffinityFilterPlugin),
    );
    expect(created.name).toBe('ServerGroupAntiAffinityFilter');
    expect(created.runFilterOncePerRequest).toBe(false);
  });
});

describe('ServerGroupAffinityFilter', () => {
  const filter = createServerGroupAffinityFilter();

  it('test_group_affinity_filter_passes (nova)', () => {
    expect(filter.hostPasses(host1, makeRequest())).toBe(true);
    expect(filter.hostPasses(host1, group(['anti-affinity'], ['host2']))).toBe(true);
    expect(filter.hostPasses(host1, group(['affinity'], ['host1']))).toBe(true);
  });

  it('test_group_affinity_filter_fails (nova)', () => {
    expect(filter.hostPasses(host1, group(['affinity'], ['host2']))).toBe(false);
  });

  it('passes every host while the group has no host yet', () => {
    expect(filter.hostPasses(host1, group(['affinity'], []))).toBe(true);
  });

  it('compares host names, not nodes', () => {
    const otherNode = makeHost({ host: 'host1', nodename: 'node2' });
    expect(filter.hostPasses(otherNode, group(['affinity'], ['host1']))).toBe(true);
    expect(filter.hostPasses(host1, group(['affinity'], ['node1']))).toBe(false);
  });

  it('plugin definition', () => {
    expect(serverGroupAffinityFilterPlugin.classPath).toBe(
      'nova.scheduler.filters.affinity_filter.ServerGroupAffinityFilter',
    );
    expect(serverGroupAffinityFilterPlugin.options).toBeUndefined();
    const created = serverGroupAffinityFilterPlugin.create(
      pluginContext(serverGroupAffinityFilterPlugin),
    );
    expect(created.name).toBe('ServerGroupAffinityFilter');
    expect(created.runFilterOncePerRequest).toBe(false);
  });
});
