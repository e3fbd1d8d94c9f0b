import { describe, expect, it } from 'vitest';
import { hostKey } from '@opie/core';
import { makeInstance } from '@opie/testing';
import { START, twoHosts } from './__fixtures__/two-hosts.js';
import { SimulatedCloud } from './simulated-cloud.js';

describe('SimulatedCloud', () => {
  it('places and removes instances, rewriting records and the tracked usage', () => {
    const cloud = new SimulatedCloud(twoHosts(), START);
    cloud.track(
      new Map([
        [hostKey('h1', 'h1'), { ramMb: 4096, vcpus: 8 }],
        [hostKey('h2', 'h2'), { ramMb: 4096, vcpus: 8 }],
      ]),
    );
    expect([cloud.capacityRamMb, cloud.capacityVcpus, cloud.usedRamMb, cloud.usedVcpus]).toEqual([
      8192, 16, 0, 0,
    ]);
    const v0 = cloud.source.version;
    cloud.place(
      makeInstance({ uuid: 'x', host: 'h1', node: 'h1', memoryMb: 1024, vcpus: 2 }),
      START + 5,
    );
    expect(cloud.source.version).toBeGreaterThan(v0);
    expect(cloud.record('h1', 'h1')).toMatchObject({
      freeRamMb: 3072,
      vcpusUsed: 2,
      updatedAt: START + 5,
    });
    expect([cloud.usedRamMb, cloud.usedVcpus]).toEqual([1024, 2]);
    expect(cloud.remove('x', START + 9)?.uuid).toBe('x');
    expect(cloud.record('h1', 'h1')).toMatchObject({
      freeRamMb: 4096,
      vcpusUsed: 0,
      updatedAt: START + 9,
    });
    expect([cloud.usedRamMb, cloud.usedVcpus]).toEqual([0, 0]);
    expect(cloud.remove('x', START + 10)).toBeUndefined();
  });

  it('tracks only the nodes it is given', () => {
    const cloud = new SimulatedCloud(twoHosts(), START);
    cloud.track(new Map([[hostKey('h2', 'h2'), { ramMb: 100, vcpus: 1 }]]));
    cloud.place(makeInstance({ uuid: 'y', host: 'h1', node: 'h1', memoryMb: 1024 }), START);
    expect(cloud.usedRamMb).toBe(0);
    expect(cloud.capacityRamMb).toBe(100);
  });

  it('refuses an instance on an unknown node', () => {
    const cloud = new SimulatedCloud(twoHosts(), START);
    expect(() => cloud.place(makeInstance({ host: 'h9', node: 'h9' }), START)).toThrow(/h9/);
  });

  it('heartbeats every service at most once per interval, keeping its age', () => {
    const records = twoHosts();
    records.services = [
      { ...records.services[0]!, lastSeenUp: START - 5000 },
      { ...records.services[1]!, lastSeenUp: START - 3_600_000 }, // stale: stays stale
    ];
    const cloud = new SimulatedCloud(records, START);
    cloud.heartbeat(START + 60_000, 10_000);
    const seen = () => [...cloud.source.listServices()].map((s) => s.lastSeenUp);
    expect(seen()).toEqual([START + 55_000, START - 3_540_000]);
    const v = cloud.source.version;
    cloud.heartbeat(START + 65_000, 10_000); // too soon
    expect(cloud.source.version).toBe(v);
    cloud.heartbeat(START + 70_000, 10_000);
    expect(seen()).toEqual([START + 65_000, START - 3_530_000]);
  });
});
