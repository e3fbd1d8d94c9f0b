import { describe, expect, it } from 'vitest';
import type { InstanceGroupInfo } from '@opie/core';
import { columnsOf, InvalidArgumentError } from '@opie/core';
import { makeHost, makeInstance, makeRequest, pluginContext } from '@opie/testing';
import {
  createServerGroupAffinityFilter,
  createServerGroupAntiAffinityFilter,
  serverGroupAntiAffinityFilterPlugin,
} from './server-group-filter.js';

/*
 * nova Zed's server-group filters, ported by behaviour from
 * nova/tests/unit/scheduler/filters/test_affinity_filters.py (stable/zed).
 * Expected values follow from Zed's anti-affinity rule: the instance's own
 * node passes; else a node passes iff (its instances that are group members)
 * + (this request's instances already placed on it) < max_server_per_host
 * (default 1). Affinity keeps Liberty's host-name rule.
 */

const inst = (uuid: string) => makeInstance({ uuid });
const node = (host: string, nodename: string, ...uuids: string[]) =>
  makeHost({ host, nodename, instances: uuids.map(inst) });
const request = (
  group: Partial<InstanceGroupInfo> & { policies: string[] },
  instanceUuids?: string[],
) =>
  makeRequest({
    instanceGroup: { hosts: [], ...group },
    ...(instanceUuids !== undefined ? { instanceUuids } : {}),
  });

describe('ServerGroupAntiAffinityFilter (nova Zed)', () => {
  const zed = createServerGroupAntiAffinityFilter({ novaVersion: 'zed' });

  it('test_group_anti_affinity_filter_passes: no group, another policy, or no member on the node', () => {
    const host = node('host1', 'node1');
    expect(zed.hostPasses(host, makeRequest())).toBe(true);
    expect(zed.hostPasses(host, request({ policies: ['affinity'] }))).toBe(true);
    expect(zed.hostPasses(host, request({ policies: ['anti-affinity'], members: [] }))).toBe(true);
    expect(
      zed.hostPasses(host, request({ policies: ['anti-affinity'], hosts: ['host2'], members: [] })),
    ).toBe(true);
    expect(zed.passesAll?.(request({ policies: ['affinity'] }))).toBe(true);
    expect(zed.passesAll?.(request({ policies: ['anti-affinity'] }))).toBe(false);
  });

  it('test_group_anti_affinity_filter_fails: a node holding one member fails (rule default 1)', () => {
    const r = request({
      policies: ['anti-affinity'],
      hosts: ['host1'],
      members: ['i1'],
      rules: {},
    });
    expect(zed.hostPasses(node('host1', 'node1', 'i1'), r)).toBe(false);
  });

  it('test_group_anti_affinity_filter_with_rules_fail / _pass: members on the node against max_server_per_host', () => {
    const twoOnHost = node('host1', 'node1', 'i1', 'i2');
    const r = (max: number, members: string[]) =>
      request({
        policies: ['anti-affinity'],
        hosts: ['host1'],
        members,
        rules: { max_server_per_host: max },
      });
    // 1 member on the node, max 1: 1 < 1 is false.
    expect(zed.hostPasses(twoOnHost, r(1, ['i1']))).toBe(false);
    // 2 members, max 2: 2 < 2 is false.
    expect(zed.hostPasses(twoOnHost, r(2, ['i1', 'i2']))).toBe(false);
    // The node's instances are no members: 0 < 1.
    expect(zed.hostPasses(twoOnHost, r(1, []))).toBe(true);
    // 1 member, max 2: 1 < 2.
    expect(zed.hostPasses(twoOnHost, r(2, ['i1']))).toBe(true);
  });

  it('test_group_anti_affinity_filter_allows_instance_to_same_host: the instance being placed may stay on its node', () => {
    const host = node('host1', 'node1', 'me');
    const r = request({ policies: ['anti-affinity'], hosts: ['host1', 'host2'], members: ['me'] }, [
      'me',
    ]);
    expect(zed.hostPasses(host, r)).toBe(true);
    // The same node fails for another instance of the group.
    const other = request({ policies: ['anti-affinity'], members: ['me'] }, ['other']);
    expect(zed.hostPasses(host, other)).toBe(false);
  });

  it('counts per node, not per host name (Liberty compares host names with group_hosts)', () => {
    const r = request({ policies: ['anti-affinity'], hosts: ['host1'], members: ['i1'] });
    // host1 has two nodes; only node1 holds the member.
    expect(zed.hostPasses(node('host1', 'node1', 'i1'), r)).toBe(false);
    expect(zed.hostPasses(node('host1', 'node2'), r)).toBe(true);
    const liberty = createServerGroupAntiAffinityFilter();
    expect(liberty.hostPasses(node('host1', 'node2'), r)).toBe(false);
  });

  it("counts the request's instances already placed on the node (nova adds each chosen one to the node's instances)", () => {
    const r = request({ policies: ['anti-affinity'], rules: { max_server_per_host: 2 } }, [
      'a',
      'b',
      'c',
    ]);
    const n1 = node('host1', 'node1');
    r.placements?.push({ host: 'host1', nodename: 'node1', uuid: 'a' });
    r.index = 1;
    expect(zed.hostPasses(n1, r)).toBe(true); // 1 < 2
    r.placements?.push({ host: 'host1', nodename: 'node1', uuid: 'b' });
    r.index = 2;
    expect(zed.hostPasses(n1, r)).toBe(false); // 2 < 2 is false
    expect(zed.hostPasses(node('host1', 'node2'), r)).toBe(true);
    // A placed instance the node already lists (and is a member) counts once.
    const listed = node('host1', 'node1', 'a');
    const r2 = request({
      policies: ['anti-affinity'],
      members: ['a'],
      rules: { max_server_per_host: 2 },
    });
    r2.placements?.push({ host: 'host1', nodename: 'node1', uuid: 'a' });
    expect(zed.hostPasses(listed, r2)).toBe(true); // 1 < 2
  });

  it('rejects a max_server_per_host that is not a whole number >= 1, naming it', () => {
    const r = request({
      policies: ['anti-affinity'],
      rules: { max_server_per_host: 0 },
    });
    expect(() => zed.hostPasses(node('h', 'n'), r)).toThrow(InvalidArgumentError);
    expect(() => zed.hostPasses(node('h', 'n'), r)).toThrow(
      /spec\.instanceGroup\.rules\.max_server_per_host: 0; expected a whole number >= 1/,
    );
  });

  it('its kernel keeps the rows hostPasses passes', () => {
    const states = [
      node('host1', 'node1', 'i1'),
      node('host1', 'node2'),
      node('host2', 'node3', 'i2', 'i3'),
      node('host3', 'node4', 'x'),
    ];
    const r = request({
      policies: ['anti-affinity'],
      members: ['i1', 'i2', 'i3'],
      rules: { max_server_per_host: 2 },
    });
    // Expected by the rule: node1 1 < 2, node2 0 < 2, node3 2 < 2 fails, node4 0 < 2.
    const rows = Int32Array.from([0, 1, 2, 3]);
    const kept = zed.filterColumns?.(columnsOf(states, 'full'), rows, 4, r);
    expect([...rows.subarray(0, kept)]).toEqual([0, 1, 3]);
    expect(states.map((s) => zed.hostPasses(s, r))).toEqual([true, true, false, true]);
    expect(zed.limitDeclarations).toEqual([]);
  });

  it('the plugin follows [opie] nova_version', () => {
    const r = request({ policies: ['anti-affinity'], hosts: ['host1'], members: [] });
    const host = node('host1', 'node1', 'i1');
    const make = (values: Record<string, string>) =>
      serverGroupAntiAffinityFilterPlugin.create(
        pluginContext(serverGroupAntiAffinityFilterPlugin, values),
      );
    // Zed: no member on the node passes; Liberty: the host name is in group_hosts.
    expect(make({ 'opie.nova_version': 'zed' }).hostPasses(host, r)).toBe(true);
    expect(make({}).hostPasses(host, r)).toBe(false);
  });
});

describe('ServerGroupAffinityFilter (nova Zed: the same rule as Liberty)', () => {
  const filter = createServerGroupAffinityFilter();
  it('test_group_affinity_filter_passes / _fails', () => {
    const host = node('host1', 'node1');
    expect(filter.hostPasses(host, makeRequest())).toBe(true);
    expect(filter.hostPasses(host, request({ policies: ['anti-affinity'] }))).toBe(true);
    expect(filter.hostPasses(host, request({ policies: ['affinity'], hosts: ['host1'] }))).toBe(
      true,
    );
    expect(filter.hostPasses(host, request({ policies: ['affinity'], hosts: ['host2'] }))).toBe(
      false,
    );
  });
});
