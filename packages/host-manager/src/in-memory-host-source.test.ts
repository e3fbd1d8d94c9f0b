import { hostKey, InvalidInputError } from '@opie/core';
import { makeAggregate, makeComputeNode, makeInstance, makeService } from '@opie/testing';
import { describe, expect, it } from 'vitest';
import type { HostSourceChanges } from './host-source.js';
import { InMemoryHostSource } from './in-memory-host-source.js';

describe('InMemoryHostSource', () => {
  it('is built from nodes, services, aggregates and placed instances', () => {
    const n1 = makeComputeNode({ host: 'h1', hypervisorHostname: 'n1' });
    const n2 = makeComputeNode({ host: 'h2', hypervisorHostname: 'n2' });
    const i1 = makeInstance({ uuid: 'i1', host: 'h1', node: 'n1' });
    const src = new InMemoryHostSource({
      nodes: [n1, n2],
      services: [makeService({ host: 'h1' })],
      aggregates: [makeAggregate({ hosts: ['h1'] })],
      instances: [i1],
    });
    expect([...src.listComputeNodes()]).toEqual([n1, n2]);
    expect([...src.listServices()]).toHaveLength(1);
    expect([...src.listAggregates()]).toHaveLength(1);
    expect([...src.listInstances('h1', 'n1')]).toEqual([i1]);
    expect([...src.listInstances('h2', 'n2')]).toEqual([]);
  });

  it('rejects instances without host or node, listing every one', () => {
    const build = () =>
      new InMemoryHostSource({
        instances: [makeInstance({ host: 'h1' }), makeInstance({ node: 'n1' })],
      });
    expect(build).toThrow(InvalidInputError);
    try {
      build();
    } catch (err) {
      expect((err as InvalidInputError).issues.map((i) => i.path)).toEqual([
        '$.instances[0]',
        '$.instances[1]',
      ]);
    }
    expect(() => new InMemoryHostSource().addInstance(makeInstance())).toThrow(/no host/);
  });

  it('bumps version on every change', () => {
    const src = new InMemoryHostSource();
    const versions = [src.version];
    src.upsertNode(makeComputeNode());
    versions.push(src.version);
    src.upsertService(makeService());
    versions.push(src.version);
    src.upsertAggregate(makeAggregate());
    versions.push(src.version);
    src.setAggregates([]);
    versions.push(src.version);
    src.addInstance(makeInstance({ uuid: 'x', host: 'host1', node: 'host1-node' }));
    versions.push(src.version);
    src.removeInstance('x');
    versions.push(src.version);
    expect(new Set(versions).size).toBe(versions.length);
    const v = src.version;
    expect(src.removeInstance('x')).toBeUndefined();
    expect(src.removeNode('nope', 'nope')).toBe(false);
    expect(src.removeService('nope')).toBe(false);
    expect(src.removeAggregate(99)).toBe(false);
    expect(src.version).toBe(v);
  });

  it('keeps a replaced node at its inventory position', () => {
    const a = makeComputeNode({ host: 'a' });
    const b = makeComputeNode({ host: 'b' });
    const src = new InMemoryHostSource({ nodes: [a, b] });
    const a2 = { ...a, freeRamMb: 1 };
    src.upsertNode(a2);
    expect([...src.listComputeNodes()]).toEqual([a2, b]);
  });

  it('removes a node with its instances', () => {
    const src = new InMemoryHostSource({
      nodes: [makeComputeNode({ host: 'h', hypervisorHostname: 'n' })],
      instances: [makeInstance({ uuid: 'i', host: 'h', node: 'n' })],
    });
    expect(src.removeNode('h', 'n')).toBe(true);
    expect([...src.listComputeNodes()]).toEqual([]);
    expect([...src.listInstances('h', 'n')]).toEqual([]);
    expect(src.removeInstance('i')).toBeUndefined();
  });

  it('moves an instance re-added on another node', () => {
    const src = new InMemoryHostSource();
    src.addInstance(makeInstance({ uuid: 'i', host: 'h', node: 'n1' }));
    const moved = makeInstance({ uuid: 'i', host: 'h', node: 'n2' });
    src.addInstance(moved);
    expect([...src.listInstances('h', 'n1')]).toEqual([]);
    expect([...src.listInstances('h', 'n2')]).toEqual([moved]);
    expect(src.removeInstance('i')).toBe(moved);
  });

  it('keys services by host and binary, and aggregates by id', () => {
    const src = new InMemoryHostSource();
    src.upsertService(makeService({ host: 'h', binary: 'nova-compute' }));
    src.upsertService(makeService({ host: 'h', binary: 'nova-compute', disabled: true }));
    src.upsertService(makeService({ host: 'h', binary: 'nova-conductor' }));
    expect([...src.listServices()].map((s) => [s.binary, s.disabled])).toEqual([
      ['nova-compute', true],
      ['nova-conductor', false],
    ]);
    expect(src.removeService('h', 'nova-conductor')).toBe(true);
    src.upsertAggregate(makeAggregate({ id: 1, name: 'x' }));
    src.upsertAggregate(makeAggregate({ id: 1, name: 'y' }));
    expect([...src.listAggregates()].map((a) => a.name)).toEqual(['y']);
    expect(src.removeAggregate(1)).toBe(true);
  });
});

describe('InMemoryHostSource change feed', () => {
  const n1 = makeComputeNode({ host: 'h1', hypervisorHostname: 'n1' });
  const n2 = makeComputeNode({ host: 'h2', hypervisorHostname: 'n2' });
  const k1 = hostKey('h1', 'n1');
  const k2 = hostKey('h2', 'n2');
  const keys = (c: HostSourceChanges | undefined) => [...(c?.nodes ?? [])].sort();

  it('getComputeNode finds a record by (host, node)', () => {
    const src = new InMemoryHostSource({ nodes: [n1] });
    expect(src.getComputeNode('h1', 'n1')).toBe(n1);
    expect(src.getComputeNode('h1', 'n2')).toBeUndefined();
  });

  it('journals node records: a replaced one as changed, an added or removed one as inventory', () => {
    const src = new InMemoryHostSource({ nodes: [n1] });
    const v0 = src.version;
    src.upsertNode({ ...n1, freeRamMb: 1 });
    expect(src.changesSince(v0)).toEqual({
      nodes: new Set([k1]),
      inventory: false,
      services: false,
      aggregates: false,
    });
    const v1 = src.version;
    src.upsertNode(n2);
    expect(src.changesSince(v1)).toMatchObject({ nodes: new Set([k2]), inventory: true });
    const v2 = src.version;
    expect(src.removeNode('h1', 'n1')).toBe(true);
    expect(src.changesSince(v2)).toMatchObject({ nodes: new Set([k1]), inventory: true });
    expect(keys(src.changesSince(v0))).toEqual([k1, k2].sort());
  });

  it('journals instances on the nodes they leave and join', () => {
    const src = new InMemoryHostSource({ nodes: [n1, n2] });
    const v0 = src.version;
    src.addInstance(makeInstance({ uuid: 'i', host: 'h1', node: 'n1' }));
    expect(keys(src.changesSince(v0))).toEqual([k1]);
    const v1 = src.version;
    src.addInstance(makeInstance({ uuid: 'i', host: 'h2', node: 'n2' }));
    expect(keys(src.changesSince(v1))).toEqual([k1, k2].sort());
    const v2 = src.version;
    src.removeInstance('i');
    expect(src.changesSince(v2)).toEqual({
      nodes: new Set([k2]),
      inventory: false,
      services: false,
      aggregates: false,
    });
  });

  it('journals service and aggregate changes as flags', () => {
    const src = new InMemoryHostSource();
    let v = src.version;
    const since = () => {
      const c = src.changesSince(v);
      v = src.version;
      return c && [c.nodes.size, c.inventory, c.services, c.aggregates];
    };
    src.upsertService(makeService({ host: 'h1' }));
    expect(since()).toEqual([0, false, true, false]);
    src.removeService('h1');
    expect(since()).toEqual([0, false, true, false]);
    src.upsertAggregate(makeAggregate({ id: 1 }));
    expect(since()).toEqual([0, false, false, true]);
    src.removeAggregate(1);
    expect(since()).toEqual([0, false, false, true]);
    src.setAggregates([]);
    expect(since()).toEqual([0, false, false, true]);
    expect(since()).toEqual([0, false, false, false]);
  });

  it('cannot tell about versions before it was built, beyond its journal, or with the feed off', () => {
    const src = new InMemoryHostSource({ nodes: [n1, n2] }, { journalCapacity: 2 });
    expect(src.changesSince(0)).toBeUndefined();
    const v0 = src.version;
    src.upsertNode({ ...n1, freeRamMb: 1 });
    src.upsertNode({ ...n2, freeRamMb: 1 });
    expect(keys(src.changesSince(v0))).toEqual([k1, k2].sort());
    src.upsertNode({ ...n1, freeRamMb: 2 });
    expect(src.changesSince(v0)).toBeUndefined();
    const off = new InMemoryHostSource({ nodes: [n1] }, { journalCapacity: 0 });
    const v = off.version;
    expect(off.changesSince(v)).toBeUndefined();
  });
});
