import type { ComputeNode } from '@opie/core';
import { createRuntime } from '@opie/core';
import {
  makeComputeNode,
  makeInstance,
  makeService,
  makeSpec,
  recordingLogger,
} from '@opie/testing';
import { describe, expect, it } from 'vitest';
import { HostManager } from './host-manager.js';
import type { HostSource } from './host-source.js';
import { InMemoryHostSource } from './in-memory-host-source.js';

/** host1..hostN, one node each (`nodeN`), with a compute service each. */
function cloud(n: number, capacity?: number): InMemoryHostSource {
  const nodes: ComputeNode[] = [];
  const services = [];
  for (let i = 1; i <= n; i++) {
    nodes.push(makeComputeNode({ host: `host${i}`, hypervisorHostname: `node${i}` }));
    services.push(makeService({ host: `host${i}` }));
  }
  return new InMemoryHostSource(
    { nodes, services },
    capacity === undefined ? {} : { journalCapacity: capacity },
  );
}

/** The source, counting what the host manager reads of it. */
function counting(src: InMemoryHostSource, feed = true) {
  const reads = { nodeLists: 0, instanceLists: [] as string[], serviceLists: 0 };
  const source: HostSource = {
    get version() {
      return src.version;
    },
    listComputeNodes: () => {
      reads.nodeLists += 1;
      return src.listComputeNodes();
    },
    listServices: () => {
      reads.serviceLists += 1;
      return src.listServices();
    },
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
  const reset = () => {
    reads.nodeLists = 0;
    reads.instanceLists.length = 0;
    reads.serviceLists = 0;
  };
  return { source, reads, reset };
}

const names = (hm: HostManager) => hm.getHostStates('full', 0).map((h) => h.nodename);

describe('HostManager incremental refresh (change feed)', () => {
  it('re-reads only the node whose record or instances changed, in place', () => {
    const src = cloud(3);
    const { source, reads, reset } = counting(src);
    const hm = new HostManager({ source });
    const before = hm.getHostStates('free', 0);
    const state = before[1]!;
    reset();
    src.upsertNode(makeComputeNode({ host: 'host2', hypervisorHostname: 'node2', freeRamMb: 7 }));
    src.addInstance(makeInstance({ uuid: 'i', host: 'host2', node: 'node2', memoryMb: 100 }));
    const after = hm.getHostStates('free', 0);
    expect(reads).toEqual({ nodeLists: 0, instanceLists: ['node2'], serviceLists: 0 });
    expect(after).toBe(before);
    expect(after[1]).toBe(state);
    expect(state.freeRamMb).toBe(7);
    expect([...state.instances.keys()]).toEqual(['i']);
  });

  it('walks the node list when nodes come or go, re-reading only new and changed nodes', () => {
    const src = cloud(3);
    const { source, reads, reset } = counting(src);
    const hm = new HostManager({ source });
    hm.getHostStates('full', 0);
    reset();
    src.upsertNode(makeComputeNode({ host: 'host1', hypervisorHostname: 'node4' }));
    src.removeNode('host2', 'node2');
    expect(names(hm)).toEqual(['node1', 'node3', 'node4']);
    expect(reads.nodeLists).toBe(1);
    expect(reads.instanceLists).toEqual(['node4']);
    expect(reads.serviceLists).toBe(0);
  });

  it('a node removed and added again moves to the end, as a whole re-read gives', () => {
    const src = cloud(3);
    const hm = new HostManager({ source: src });
    hm.getHostStates('full', 0);
    const node1 = src.getComputeNode('host1', 'node1')!;
    src.removeNode('host1', 'node1');
    src.upsertNode(node1);
    expect(names(hm)).toEqual(['node2', 'node3', 'node1']);
    expect(names(new HostManager({ source: src }))).toEqual(['node2', 'node3', 'node1']);
  });

  it('re-reads services (and so which nodes count) when a service changed', () => {
    const src = cloud(2);
    const { source, reads, reset } = counting(src);
    const logger = recordingLogger();
    const hm = new HostManager({ source, runtime: createRuntime({ logger }) });
    hm.getHostStates('full', 0);
    reset();
    src.removeService('host1');
    expect(names(hm)).toEqual(['node2']);
    expect(logger.warnings.map((w) => w.fields)).toEqual([{ host: 'host1' }]);
    // A node of a host without a service changes: still skipped, not warned again.
    src.upsertNode(makeComputeNode({ host: 'host1', hypervisorHostname: 'node1', freeRamMb: 1 }));
    expect(names(hm)).toEqual(['node2']);
    expect(logger.warnings).toHaveLength(1);
    src.upsertService(makeService({ host: 'host1', disabled: true }));
    const states = hm.getHostStates('full', 0);
    expect(states.map((h) => [h.nodename, h.service?.disabled, h.freeRamMb])).toEqual([
      ['node1', true, 1],
      ['node2', false, 4096],
    ]);
    expect(reads.serviceLists).toBe(2);
    expect(reads.instanceLists).toEqual(['node1']);
  });

  it('re-reads a node this manager was told about, so the source wins as in a whole re-read', () => {
    const src = cloud(2);
    src.addInstance(makeInstance({ uuid: 'i', host: 'host1', node: 'node1', memoryMb: 1 }));
    const hm = new HostManager({ source: src });
    hm.getHostStates('full', 0);
    hm.addInstance(makeInstance({ uuid: 'i', host: 'host1', node: 'node1', memoryMb: 2 }));
    expect(hm.getHostStates('full', 0)[0]!.instances.get('i')?.memoryMb).toBe(2);
    src.upsertNode(makeComputeNode({ host: 'host2', hypervisorHostname: 'node2', freeRamMb: 5 }));
    expect(hm.getHostStates('full', 0)[0]!.instances.get('i')?.memoryMb).toBe(1);
  });

  it('keeps claims a changed record does not include, drops those it does', () => {
    const src = cloud(1);
    const hm = new HostManager({ source: src });
    hm.getHostStates('full', 0);
    hm.consumeFromRequest('host1', 'node1', makeSpec(), 10);
    const node = () => makeComputeNode({ host: 'host1', hypervisorHostname: 'node1' });
    src.upsertNode({ ...node(), updatedAt: 5 });
    expect(hm.getHostStates('full', 20)[0]!.freeRamMb).toBe(4096 - 1024);
    src.upsertNode({ ...node(), updatedAt: 15 });
    expect(hm.getHostStates('full', 20)[0]!.freeRamMb).toBe(4096);
  });

  it('re-reads the whole source when the journal no longer reaches back', () => {
    const src = cloud(3, 1);
    const { source, reads, reset } = counting(src);
    const hm = new HostManager({ source });
    hm.getHostStates('full', 0);
    reset();
    src.upsertNode(makeComputeNode({ host: 'host1', hypervisorHostname: 'node1', freeRamMb: 1 }));
    src.upsertNode(makeComputeNode({ host: 'host2', hypervisorHostname: 'node2', freeRamMb: 2 }));
    expect(hm.getHostStates('full', 0).map((h) => h.freeRamMb)).toEqual([1, 2, 4096]);
    expect(reads.nodeLists).toBe(1);
    expect(reads.instanceLists).toEqual(['node1', 'node2', 'node3']);
  });

  it('re-reads the whole source when it has no change feed', () => {
    const src = cloud(2);
    const { source, reads, reset } = counting(src, false);
    const hm = new HostManager({ source });
    hm.getHostStates('full', 0);
    reset();
    src.upsertNode(makeComputeNode({ host: 'host1', hypervisorHostname: 'node1', freeRamMb: 1 }));
    expect(hm.getHostStates('full', 0)[0]!.freeRamMb).toBe(1);
    expect(reads.instanceLists).toEqual(['node1', 'node2']);
  });

  it('walks the node list when the feed names a node that vanished without an inventory change', () => {
    const src = cloud(2);
    let lie = false;
    const source: HostSource = {
      get version() {
        return src.version;
      },
      listComputeNodes: () => src.listComputeNodes(),
      listServices: () => src.listServices(),
      listAggregates: () => src.listAggregates(),
      listInstances: (h, n) => src.listInstances(h, n),
      changesSince: (v) => {
        const c = src.changesSince(v);
        return c && lie ? { ...c, inventory: false } : c;
      },
      getComputeNode: (h, n) => src.getComputeNode(h, n),
    };
    const hm = new HostManager({ source });
    hm.getHostStates('full', 0);
    lie = true;
    src.removeNode('host1', 'node1');
    expect(names(hm)).toEqual(['node2']);
    src.upsertNode(makeComputeNode({ host: 'host1', hypervisorHostname: 'node1' }));
    expect(names(hm)).toEqual(['node2', 'node1']);
  });
});
