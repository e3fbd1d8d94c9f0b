import type { HostState } from '@opie/core';
import { HostManager } from '@opie/host-manager';
import type { HostSource } from '@opie/host-manager';
import { makeComputeNode, makeService } from '@opie/testing';
import { describe, expect, it } from 'vitest';
import { startTestApi } from './__fixtures__/harness.js';
import { testCloud } from './__fixtures__/test-cloud.js';
import type { NodeRow } from './live-compute-node.js';
import type { ServerRecord } from './server-record.js';
import { StoreHostSource } from './store-host-source.js';
import type { Inventory } from './store/server-store.js';

function row(host: string, generation = 1): NodeRow {
  return {
    host,
    node: host,
    position: 0,
    record: makeComputeNode({
      host,
      hypervisorHostname: host,
      memoryMb: 4096,
      freeRamMb: 3584,
      localGb: 100,
      localGbUsed: 0,
      freeDiskGb: 100,
    }),
    base: { memoryMbUsed: 512, localGbUsed: 0, vcpusUsed: 0 },
    generation,
  };
}

function server(uuid: string, host: string | null, memoryMb = 1024): ServerRecord {
  return {
    uuid,
    id: 1,
    name: uuid,
    projectId: 'p',
    userId: 'u',
    flavorId: '1',
    imageId: null,
    host,
    node: host,
    lastHost: host,
    lastNode: host,
    vmState: 'active',
    taskState: null,
    powerState: 1,
    memoryMb,
    vcpus: 1,
    rootGb: 10,
    ephemeralGb: 0,
    swap: 0,
    preemptible: false,
    priority: null,
    systemMetadata: {},
    metadata: {},
    availabilityZone: null,
    schedulerHints: {},
    requestId: null,
    reservationId: null,
    launchIndex: 0,
    keyName: null,
    fault: null,
    origin: 'api',
    createdAt: 0,
    updatedAt: 0,
    launchedAt: 0,
    terminatedAt: null,
    deletedAt: null,
  };
}

const inventory = (servers: ServerRecord[] = []): Inventory => ({
  nodes: [row('a'), row('b', 5)],
  services: [
    makeService({ host: 'a', lastSeenUp: 0 }),
    makeService({ host: 'b', forcedDown: true }),
  ],
  aggregates: [],
  servers,
  version: 3,
});

describe('StoreHostSource', () => {
  it('serves the store as a HostSource with usage derived from the servers', () => {
    const source = new StoreHostSource();
    source.replaceAll(inventory([server('s1', 'a')]), 1000);
    expect([...source.listComputeNodes()].map((n) => [n.host, n.freeRamMb])).toEqual([
      ['a', 4096 - 512 - 1024],
      ['b', 4096 - 512],
    ]);
    expect([...source.listInstances('a', 'a')].map((i) => i.uuid)).toEqual(['s1']);
    expect([...source.listInstances('zz', 'zz')]).toEqual([]);
    expect(source.generationOf('b', 'b')).toBe(5);
    expect(source.inventoryVersion).toBe(3);
  });

  it('heartbeats the services once per interval, leaving forced-down ones down', () => {
    const source = new StoreHostSource({ heartbeatMs: 10_000 });
    source.replaceAll(inventory(), 1000);
    const version = source.version;
    expect([...source.listServices()].map((s) => s.lastSeenUp)).toEqual([1000, undefined]);
    source.heartbeat(5000);
    expect(source.version).toBe(version);
    source.heartbeat(11_000);
    expect(source.version).toBe(version + 1);
    expect([...source.listServices()][0]?.lastSeenUp).toBe(11_000);
  });

  it('applies a committed change with a new record object and generation', () => {
    const source = new StoreHostSource();
    source.replaceAll(inventory([server('s1', 'a')]), 0);
    const before = source.recordOf('a', 'a');
    const added = { ...server('s2', 'a', 2048) };
    source.applyChange('a', 'a', {
      add: [{ ...added, uuid: 's2', host: 'a', node: 'a' } as never],
      remove: ['s1'],
      generation: 2,
    });
    expect(source.recordOf('a', 'a')).not.toBe(before);
    expect([...source.listInstances('a', 'a')].map((i) => i.uuid)).toEqual(['s2']);
    expect(source.generationOf('a', 'a')).toBe(2);
    source.applyChange('nowhere', 'nowhere', { generation: 9 });
    expect(source.generations().map((g) => g.host)).toEqual(['a', 'b']);
  });

  it('replaces nodes with a fresh read, appending new ones in order', () => {
    const source = new StoreHostSource();
    source.replaceAll(inventory([server('s1', 'a')]), 0);
    source.replaceNodes([row('a', 7), row('c', 1)], [server('s3', 'c')]);
    expect(source.generations()).toEqual([
      { host: 'a', node: 'a', generation: 7 },
      { host: 'b', node: 'b', generation: 5 },
      { host: 'c', node: 'c', generation: 1 },
    ]);
    expect([...source.listInstances('a', 'a')]).toEqual([]);
    expect([...source.listInstances('c', 'c')].map((i) => i.uuid)).toEqual(['s3']);
  });
});

/** The source as the host manager sees it, counting node-list walks; `feed` false hides the feed. */
function counted(src: StoreHostSource, feed = true) {
  const reads = { nodeLists: 0, instanceLists: [] as string[] };
  const source: HostSource = {
    get version() {
      return src.version;
    },
    listComputeNodes: () => {
      reads.nodeLists += 1;
      return src.listComputeNodes();
    },
    listServices: () => src.listServices(),
    listAggregates: () => src.listAggregates(),
    listInstances: (h, n) => {
      reads.instanceLists.push(n);
      return src.listInstances(h, n);
    },
    ...(feed
      ? {
          changesSince: (v: number) => src.changesSince(v),
          getComputeNode: (h: string, n: string) => src.getComputeNode(h, n),
        }
      : {}),
  };
  return { source, reads };
}

/** A state as plain data (instances by uuid; heartbeat times and filters' limits left out). */
function plain(s: HostState) {
  return {
    ...s,
    limits: undefined,
    sibling: undefined,
    owner: undefined,
    service: s.service && { ...s.service, lastSeenUp: undefined, updatedAt: undefined },
    instances: [...s.instances.entries()].sort(([a], [b]) => a.localeCompare(b)),
    preemptibleInstances: s.preemptibleInstances?.map((i) => i.uuid).sort(),
    preemptibleCreatedAt: undefined,
  };
}

function states(hm: HostManager) {
  return {
    full: hm.getHostStates('full', 0).map(plain),
    free: hm.getHostStates('free', 0).map(plain),
  };
}

describe('StoreHostSource change feed', () => {
  it('journals applied changes, new nodes, heartbeats; a whole re-read forgets', () => {
    const source = new StoreHostSource({ heartbeatMs: 10 });
    source.replaceAll(inventory([server('s1', 'a')]), 0);
    const v0 = source.version;
    expect(source.changesSince(v0)).toEqual({
      nodes: new Set(),
      inventory: false,
      services: false,
      aggregates: false,
    });
    source.applyChange('a', 'a', { remove: ['s1'], generation: 2 });
    expect(source.changesSince(v0)).toEqual({
      nodes: new Set(['a\u0000a']),
      inventory: false,
      services: false,
      aggregates: false,
    });
    const v1 = source.version;
    source.replaceNodes([row('b', 6), row('c', 1)], []);
    expect(source.changesSince(v1)).toMatchObject({
      nodes: new Set(['b\u0000b', 'c\u0000c']),
      inventory: true,
      services: false,
    });
    const v2 = source.version;
    source.heartbeat(100);
    expect(source.changesSince(v2)).toMatchObject({ nodes: new Set(), services: true });
    expect(source.changesSince(v0)?.nodes.size).toBe(3);
    expect(source.getComputeNode('c', 'c')).toBe(source.recordOf('c', 'c'));
    expect(source.getComputeNode('zz', 'zz')).toBeUndefined();
    source.replaceAll(inventory(), 200);
    expect(source.changesSince(v2)).toBeUndefined();
    expect(source.changesSince(source.version)?.nodes.size).toBe(0);
  });

  it('has no feed when its journal is turned off', () => {
    const source = new StoreHostSource({ journalCapacity: 0 });
    source.replaceAll(inventory(), 0);
    const v = source.version;
    source.applyChange('a', 'a', { generation: 2 });
    expect(source.changesSince(v)).toBeUndefined();
  });

  it('lets a host manager re-read only changed nodes, matching a whole re-read', () => {
    const source = new StoreHostSource();
    source.replaceAll(inventory([server('s1', 'a')]), 0);
    const fed = counted(source);
    const hm = new HostManager({ source: fed.source });
    states(hm);
    fed.reads.nodeLists = 0;
    fed.reads.instanceLists.length = 0;
    source.applyChange('b', 'b', {
      add: [{ ...server('s2', 'b'), host: 'b', node: 'b' } as never],
      generation: 6,
    });
    source.applyChange('a', 'a', { remove: ['s1'], generation: 2 });
    const incremental = states(hm);
    expect(fed.reads.nodeLists).toBe(0);
    expect(fed.reads.instanceLists.sort()).toEqual(['a', 'b']);
    expect(incremental.full.map((h) => [h.host, h.numInstances])).toEqual([
      ['a', 0],
      ['b', 1],
    ]);
    expect(incremental).toEqual(states(new HostManager({ source: counted(source, false).source })));
  });
});

describe('the API service reads its copy through the change feed', () => {
  it('gives the same host states after creates and deletes as a fresh full read', async () => {
    const t = await startTestApi({ cloud: testCloud({ hosts: 3 }) });
    try {
      const { service } = t.api;
      const hm = service.scheduler.hostManager as HostManager;
      const fresh = async () => {
        const copy = new StoreHostSource();
        copy.replaceAll(await service.store.loadInventory(), 0);
        // The test nova.conf's allocation ratios are all 1.0.
        const ratios = { cpuAllocationRatio: 1, ramAllocationRatio: 1, diskAllocationRatio: 1 };
        return states(new HostManager({ source: counted(copy, false).source, ...ratios }));
      };
      expect(states(hm)).toEqual(await fresh());
      const ids: string[] = [];
      for (const [i, flavorRef] of ['1', '2', '4', '1'].entries()) {
        const r = await t.client.createServer({ name: `s${i}`, flavorRef, preemptible: i === 3 });
        expect(r.status).toBe(202);
        ids.push((r.body as { server: { id: string } }).server.id);
      }
      const before = service.source.version;
      expect(states(hm)).toEqual(await fresh());
      expect((await t.client.delete(`/v2.1/servers/${ids[1]}`)).status).toBe(204);
      expect((await t.client.delete(`/v2.1/servers/${ids[3]}`)).status).toBe(204);
      expect(service.source.changesSince(before)).toMatchObject({
        inventory: false,
        services: false,
        aggregates: false,
      });
      const after = states(hm);
      expect(after.full.reduce((n, h) => n + h.numInstances, 0)).toBe(2);
      expect(after).toEqual(await fresh());
    } finally {
      await t.close();
    }
  });
});
