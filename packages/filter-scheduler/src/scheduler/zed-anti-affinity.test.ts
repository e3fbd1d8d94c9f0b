import { describe, expect, it } from 'vitest';
import type { ComputeNode } from '@opie/core';
import {
  createRuntime,
  MemoryNotifier,
  NoValidHostError,
  RecordingComputePort,
  seededRandom,
} from '@opie/core';
import { HostManager, InMemoryHostSource } from '@opie/host-manager';
import { makeComputeNode, makeFlavor, makeService, makeSpec } from '@opie/testing';
import { createRamWeigher } from '@opie/weighers';
import { createServerGroupAntiAffinityFilter } from '../filters/resource-filters.js';
import { FilterScheduler } from './filter-scheduler.js';

/*
 * A multi-instance request with an anti-affinity group through the whole
 * scheduler: nova Zed counts each instance already placed by the request on
 * its node (nova/scheduler/manager.py _consume_selected_host adds it to the
 * node's instances), per node, against max_server_per_host; Liberty compares
 * host names. Expected placements follow from that rule and the RAM weigher
 * (the node with most free RAM first; every node here starts equal, so the
 * first in inventory order wins a tie and is then 512 MB lower).
 */

const NOW = Date.UTC(2026, 0, 1, 12, 0, 0);

function node(host: string, nodename: string): ComputeNode {
  return makeComputeNode({
    host,
    hypervisorHostname: nodename,
    memoryMb: 4096,
    freeRamMb: 4096,
    localGb: 100,
    localGbUsed: 0,
    freeDiskGb: 100,
    vcpus: 8,
    vcpusUsed: 0,
    updatedAt: NOW - 60_000,
  });
}

function schedulerFor(novaVersion: 'liberty' | 'zed'): FilterScheduler {
  const source = new InMemoryHostSource({
    nodes: [node('a', 'a1'), node('a', 'a2'), node('b', 'b1')],
    services: ['a', 'b'].map((host) => makeService({ host, lastSeenUp: NOW })),
    instances: [],
  });
  return new FilterScheduler({
    hostManager: new HostManager({ source }),
    filters: [createServerGroupAntiAffinityFilter({ novaVersion })],
    weighers: [createRamWeigher({ multiplier: 1 })],
    runtime: createRuntime({ now: () => NOW, random: seededRandom(1) }),
    compute: new RecordingComputePort(),
    notifier: new MemoryNotifier(),
  });
}

const request = (numInstances: number, max?: number) =>
  makeSpec({
    flavor: makeFlavor({ memoryMb: 512, vcpus: 1, rootGb: 1 }),
    numInstances,
    instanceUuids: Array.from({ length: numInstances }, (_, i) => `new-${i}`),
    instanceGroup: {
      policies: ['anti-affinity'],
      hosts: [],
      members: [],
      ...(max !== undefined ? { rules: { max_server_per_host: max } } : {}),
    },
  });

describe('anti-affinity across a multi-instance request', () => {
  it('zed: one instance per node, so three nodes of two hosts take three instances', async () => {
    const result = await schedulerFor('zed').selectDestinations(request(3));
    expect(result.destinations.map((d) => d.nodename)).toEqual(['a1', 'a2', 'b1']);
  });

  it('zed: a fourth instance finds no node (each holds one member)', () => {
    expect(() => schedulerFor('zed').plan(request(4))).toThrow(NoValidHostError);
  });

  it('zed: max_server_per_host 2 lets a node take a second instance', async () => {
    // RAM spreading visits the nodes in turn; the rule stops each at two members.
    const result = await schedulerFor('zed').selectDestinations(request(6, 2));
    const perNode = new Map<string, number>();
    for (const d of result.destinations)
      perNode.set(d.nodename, (perNode.get(d.nodename) ?? 0) + 1);
    expect(Object.fromEntries(perNode)).toEqual({ a1: 2, a2: 2, b1: 2 });
    expect(() => schedulerFor('zed').plan(request(7, 2))).toThrow(NoValidHostError);
  });

  it('liberty: host names count, so two hosts take only two instances', async () => {
    const result = await schedulerFor('liberty').selectDestinations(request(2));
    expect(result.destinations.map((d) => d.host).sort()).toEqual(['a', 'b']);
    expect(() => schedulerFor('liberty').plan(request(3))).toThrow(NoValidHostError);
  });
});
