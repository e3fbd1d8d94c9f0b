import { describe, expect, it } from 'vitest';
import type { HostState, InstanceGroupInfo } from '@opie/core';
import { columnsOf } from '@opie/core';
import { makeAggregate, makeHost, makeInstance, makeRequest, pluginContext } from '@opie/testing';
import {
  createSoftAffinityWeigher,
  createSoftAntiAffinityWeigher,
  groupMembersOnHost,
  softAffinityWeigherPlugin,
  softAffinityWeightMultiplierOption,
  softAntiAffinityWeigherPlugin,
  softAntiAffinityWeightMultiplierOption,
} from './affinity-weigher.js';
import { weighHosts } from './weigh-hosts.js';
import { weighRows } from './weigh-rows.js';

/*
 * Ported by behaviour from nova Zed's soft-affinity weigher tests
 * (nova/tests/unit/scheduler/weights/test_weights_affinity.py). The cloud:
 * host1 has 1 member of the default group, host2 4 (and both members of the
 * other group), host3 none, host4 2. Expected weights by hand: soft-affinity
 * raw = members on the host, bounds [0, 4], so host2 normalises to 1;
 * soft-anti-affinity raw = minus that, bounds [-4, 0], so host3 gets 1.
 */

const DEFAULT_MEMBERS = ['m1', 'm2', 'm3', 'm4', 'm5', 'm6', 'm7'];
const OTHER_MEMBERS = ['o1', 'o2'];
const onHost = (uuids: string[]) => uuids.map((uuid) => makeInstance({ uuid }));
const hosts = (): HostState[] => [
  makeHost({ host: 'host1', instances: onHost(['m1', 'x13']) }),
  makeHost({ host: 'host2', instances: onHost(['m2', 'm3', 'm4', 'm5', 'o1', 'o2', 'x14']) }),
  makeHost({ host: 'host3', instances: onHost(['x15']) }),
  makeHost({ host: 'host4', instances: onHost(['m6', 'm7', 'x16']) }),
];
const groupRequest = (policy: string, members = DEFAULT_MEMBERS) => {
  const instanceGroup: InstanceGroupInfo = { policies: [policy], hosts: [], members };
  return makeRequest({ instanceGroup });
};

describe('ServerGroupSoftAffinityWeigher', () => {
  const best = (multiplier?: number, request = groupRequest('soft-affinity'), list = hosts()) =>
    weighHosts([createSoftAffinityWeigher({ multiplier })], list, request)[0];

  it('default multiplier 1.0: the host with most members wins with 1.0', () => {
    expect(best()).toMatchObject({ weight: 1, host: { host: 'host2' } });
  });

  it('multiplier 0: every host weighs 0', () => {
    expect(best(0)?.weight).toBe(0);
  });

  it('multiplier 2: 2.0 for host2', () => {
    expect(best(2)).toMatchObject({ weight: 2, host: { host: 'host2' } });
  });

  it('running twice with different groups: each time the host with most members of it', () => {
    expect(best()).toMatchObject({ weight: 1, host: { host: 'host2' } });
    // The other group: host2 has both members, the rest none: bounds [0, 2].
    const other = groupRequest('soft-affinity', OTHER_MEMBERS);
    expect(best(undefined, other)).toMatchObject({ weight: 1, host: { host: 'host2' } });
  });

  it('the aggregate multiplier "1.5" overrides the configured 0 (test_host_with_agg)', () => {
    const aggs = [makeAggregate({ metadata: { soft_affinity_weight_multiplier: '1.5' } })];
    const list = hosts().map((h) => ({ ...h, aggregates: aggs }));
    expect(best(0, groupRequest('soft-affinity'), list)).toMatchObject({
      weight: 1.5,
      host: { host: 'host2' },
    });
  });

  it('weighs 0 for a request without a group, or with another policy', () => {
    const w = createSoftAffinityWeigher();
    for (const request of [
      makeRequest(),
      groupRequest('soft-anti-affinity'),
      groupRequest('affinity'),
    ]) {
      expect(hosts().map((h) => w.weigh(h, request))).toEqual([0, 0, 0, 0]);
    }
  });

  it('counts members, not instances; a member listed twice counts once; no members: 0', () => {
    const request = groupRequest('soft-affinity', ['m2', 'm2', 'm3', 'nowhere']);
    expect(groupMembersOnHost(hosts()[1] as HostState, request, 'soft-affinity')).toBe(2);
    const noMembers = makeRequest({ instanceGroup: { policies: ['soft-affinity'], hosts: [] } });
    expect(groupMembersOnHost(hosts()[1] as HostState, noMembers, 'soft-affinity')).toBe(0);
  });
});

describe('ServerGroupSoftAntiAffinityWeigher', () => {
  const best = (multiplier?: number, list = hosts()) =>
    weighHosts(
      [createSoftAntiAffinityWeigher({ multiplier })],
      list,
      groupRequest('soft-anti-affinity'),
    )[0];

  it('default multiplier 1.0: the host with no member wins with 1.0', () => {
    expect(best()).toMatchObject({ weight: 1, host: { host: 'host3' } });
  });

  it('multiplier 0: 0; multiplier 2: 2.0 for host3', () => {
    expect(best(0)?.weight).toBe(0);
    expect(best(2)).toMatchObject({ weight: 2, host: { host: 'host3' } });
  });

  it('raw weights are minus the members, and never a negative zero', () => {
    const w = createSoftAntiAffinityWeigher();
    const raw = hosts().map((h) => w.weigh(h, groupRequest('soft-anti-affinity')));
    expect(raw).toEqual([-1, -4, 0, -2]);
    expect(Object.is(raw[2], 0)).toBe(true);
  });

  it('the aggregate multiplier "1.5" overrides the configured 0 (test_host_with_agg)', () => {
    const aggs = [makeAggregate({ metadata: { soft_anti_affinity_weight_multiplier: '1.5' } })];
    expect(
      best(
        0,
        hosts().map((h) => ({ ...h, aggregates: aggs })),
      ),
    ).toMatchObject({
      weight: 1.5,
      host: { host: 'host3' },
    });
  });
});

describe('affinity weigher plugins', () => {
  it('read their [filter_scheduler] multipliers (Zed defaults 1.0, minimum 0)', () => {
    for (const [plugin, option, key] of [
      [
        softAffinityWeigherPlugin,
        softAffinityWeightMultiplierOption,
        'soft_affinity_weight_multiplier',
      ],
      [
        softAntiAffinityWeigherPlugin,
        softAntiAffinityWeightMultiplierOption,
        'soft_anti_affinity_weight_multiplier',
      ],
    ] as const) {
      expect(option).toMatchObject({
        group: 'filter_scheduler',
        name: key,
        type: 'float',
        default: 1,
      });
      expect(option.schema?.safeParse(-0.5).success).toBe(false);
      expect(option.schema?.safeParse(0).success).toBe(true);
      expect(plugin.create(pluginContext(plugin)).multiplier).toBe(1);
      expect(
        plugin.create(pluginContext(plugin, { [`filter_scheduler.${key}`]: 3 })).multiplier,
      ).toBe(3);
    }
  });

  it('the column kernel gives the scalar weighing', () => {
    const list = hosts();
    const cols = columnsOf(list, 'full');
    const rows = Int32Array.from([3, 1, 0, 2]);
    for (const policy of ['soft-affinity', 'soft-anti-affinity', 'affinity']) {
      const weighers = [
        createSoftAffinityWeigher(),
        createSoftAntiAffinityWeigher({ multiplier: 2 }),
      ];
      const request = groupRequest(policy);
      const scalar = weighHosts(
        weighers,
        [...rows].map((r) => list[r] as HostState),
        request,
      );
      const kernel = weighRows(weighers, cols, rows, 4, request, { explain: false });
      expect(kernel.map((w) => [w.host.host, w.weight])).toEqual(
        scalar.map((w) => [w.host.host, w.weight]),
      );
    }
  });
});
