import { InvalidInputError } from '@opie/core';
import { makeAggregate, makeComputeNode, makeInstance, makeService } from '@opie/testing';
import { describe, expect, it } from 'vitest';
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
