import { makeComputeNode, makeService } from '@opie/testing';
import { describe, expect, it } from 'vitest';
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
