import type { ComputeNode, Instance, Logger, Service } from '@opie/core';
import { createRuntime } from '@opie/core';
import {
  makeAggregate,
  makeComputeNode,
  makeFlavor,
  makeHost,
  makeInstance,
  makeService,
  makeSpec,
} from '@opie/testing';
import { describe, expect, it } from 'vitest';
import { HostManager } from './host-manager.js';
import type { HostManagerOptions } from './host-manager.js';
import type { HostSource } from './host-source.js';
import { hostStateFromNode } from './host-state-from-node.js';
import { NodeHostState } from './host-state.js';
import { InMemoryHostSource } from './in-memory-host-source.js';

function recordingLogger(): Logger & { warnings: string[] } {
  const warnings: string[] = [];
  return {
    warnings,
    debug: () => undefined,
    info: () => undefined,
    warn: (message, fields) => warnings.push(`${message} ${JSON.stringify(fields ?? {})}`),
    error: () => undefined,
  };
}

/** host1..hostN, one node each (`nodeN`), 4096 MB / 100 GB / 8 vCPU, nothing used. */
function cloud(n = 3, extra: Partial<ComputeNode> = {}): InMemoryHostSource {
  const nodes = [];
  const services = [];
  for (let i = 1; i <= n; i++) {
    nodes.push(makeComputeNode({ host: `host${i}`, hypervisorHostname: `node${i}`, ...extra }));
    services.push(makeService({ host: `host${i}`, binary: 'nova-compute' }));
  }
  return new InMemoryHostSource({ nodes, services });
}

function manager(source: HostSource, options: Partial<HostManagerOptions> = {}) {
  const logger = recordingLogger();
  const hm = new HostManager({ source, runtime: createRuntime({ logger }), ...options });
  return { hm, logger };
}

const spot = (overrides: Partial<Instance> = {}): Instance =>
  makeInstance({ systemMetadata: { preemptible: 'True' }, ...overrides });

const flavor = makeFlavor({ memoryMb: 512, vcpus: 2, rootGb: 10, ephemeralGb: 5, swap: 1024 });

describe('HostManager.getHostStates', () => {
  it('test_get_all_host_states (nova): one state per node with a compute service, in inventory order', () => {
    const src = cloud(3);
    src.upsertNode(makeComputeNode({ host: 'fake', hypervisorHostname: 'fake-node' }));
    const { hm, logger } = manager(src);
    const full = hm.getHostStates('full', 0);
    expect(full.map((h) => [h.host, h.nodename])).toEqual([
      ['host1', 'node1'],
      ['host2', 'node2'],
      ['host3', 'node3'],
    ]);
    expect(full.every((h) => h.view === 'full')).toBe(true);
    expect(full[0]!.service?.host).toBe('host1');
    expect(logger.warnings).toEqual(['No compute service record found for host {"host":"fake"}']);
  });

  it('warns once per host without a service, again after it came back and left', () => {
    const src = new InMemoryHostSource({ nodes: [makeComputeNode({ host: 'h' })] });
    const { hm, logger } = manager(src);
    hm.getHostStates('full', 0);
    src.upsertNode(makeComputeNode({ host: 'h', freeRamMb: 1 }));
    hm.getHostStates('full', 0);
    expect(logger.warnings).toHaveLength(1);
    src.upsertService(makeService({ host: 'h' }));
    expect(hm.getHostStates('full', 0)).toHaveLength(1);
    src.removeService('h');
    expect(hm.getHostStates('full', 0)).toHaveLength(0);
    expect(logger.warnings).toHaveLength(2);
  });

  it('keeps only nova-compute services (or ones without binary); the last per host wins', () => {
    const src = new InMemoryHostSource({
      nodes: [makeComputeNode({ host: 'a' }), makeComputeNode({ host: 'b' })],
      services: [
        makeService({ host: 'a', binary: 'nova-conductor' }),
        makeService({ host: 'b' }),
        makeService({ host: 'b', binary: 'nova-compute', disabled: true }),
      ],
    });
    const { hm } = manager(src);
    const states = hm.getHostStates('full', 0);
    expect(states.map((h) => h.host)).toEqual(['b']);
    expect(states[0]!.service?.disabled).toBe(true);
  });

  it('test_get_all_host_partial_states (opie): both views hold every node', () => {
    const src = cloud(4);
    const { hm } = manager(src);
    const free = hm.getHostStates('free', 0);
    const full = hm.getHostStates('full', 0);
    expect(free).toHaveLength(4);
    expect(full).toHaveLength(4);
    expect(free.every((h) => h.view === 'free')).toBe(true);
    expect(free[0]).not.toBe(full[0]);
    expect(hm.hostStateFor('host2', 'node2', 'free')).toBe(free[1]);
    expect(hm.hostStateFor('host2', 'node2', 'full')).toBe(full[1]);
    expect(hm.hostStateFor('host2', 'nope', 'full')).toBeUndefined();
  });

  it('test_get_all_host_states_with_matching_aggs (nova): aggregates by host name', () => {
    const src = new InMemoryHostSource({
      nodes: [
        makeComputeNode({ host: 'h1', hypervisorHostname: 'n1a' }),
        makeComputeNode({ host: 'h1', hypervisorHostname: 'n1b' }),
      ],
      services: [makeService({ host: 'h1' })],
      aggregates: [
        makeAggregate({ id: 1, hosts: ['h1'] }),
        makeAggregate({ id: 2, hosts: ['n1a'] }),
        makeAggregate({ id: 3, hosts: ['h1', 'h1'] }),
      ],
    });
    const { hm } = manager(src);
    for (const h of hm.getHostStates('full', 0)) {
      expect(h.aggregates.map((a) => a.id)).toEqual([1, 3]);
    }
    expect(hm.hostStateFor('h1', 'n1a', 'free')!.aggregates.map((a) => a.id)).toEqual([1, 3]);
  });

  it('test_get_all_host_states_with_not_matching_aggs / _with_no_aggs (nova)', () => {
    const src = cloud(1);
    const { hm } = manager(src);
    expect(hm.getHostStates('full', 0)[0]!.aggregates).toEqual([]);
    src.upsertAggregate(makeAggregate({ hosts: ['other'] }));
    expect(hm.getHostStates('full', 0)[0]!.aggregates).toEqual([]);
  });

  it('test_get_all_host_states_after_delete_one (opie): a dead node leaves both views', () => {
    const src = cloud(4);
    const { hm } = manager(src);
    expect(hm.getHostStates('free', 0)).toHaveLength(4);
    src.removeNode('host4', 'node4');
    // opie bug 8: a node known to one map only; here both views drop it together.
    expect(hm.getHostStates('full', 0)).toHaveLength(3);
    expect(hm.getHostStates('free', 0)).toHaveLength(3);
    expect(hm.hostStateFor('host4', 'node4', 'full')).toBeUndefined();
    expect(hm.hostStateFor('host4', 'node4', 'free')).toBeUndefined();
  });

  it('test_get_all_host_partial_states_after_delete_all (opie)', () => {
    const src = cloud(4);
    const { hm } = manager(src);
    hm.getHostStates('full', 0);
    for (let i = 1; i <= 4; i++) src.removeNode(`host${i}`, `node${i}`);
    expect(hm.getHostStates('free', 0)).toEqual([]);
    expect(hm.getHostStates('full', 0)).toEqual([]);
  });

  it('follows a changed inventory order and takes the first of duplicated nodes', () => {
    const a = makeComputeNode({ host: 'a' });
    const b = makeComputeNode({ host: 'b' });
    const nodes: ComputeNode[] = [a, b];
    const services: Service[] = [makeService({ host: 'a' }), makeService({ host: 'b' })];
    const source: HostSource = {
      listComputeNodes: () => nodes,
      listServices: () => services,
      listAggregates: () => [],
      listInstances: () => [],
    };
    const { hm } = manager(source);
    expect(hm.getHostStates('full', 0).map((h) => h.host)).toEqual(['a', 'b']);
    nodes.reverse();
    expect(hm.getHostStates('full', 0).map((h) => h.host)).toEqual(['b', 'a']);
    nodes.push({ ...a, freeRamMb: 1 });
    const states = hm.getHostStates('full', 0);
    expect(states.map((h) => h.host)).toEqual(['b', 'a']);
    expect(states[1]!.freeRamMb).toBe(a.freeRamMb);
  });

  it('keeps one stable object per (node, view) and never resets limits', () => {
    const src = cloud(2);
    const { hm } = manager(src);
    const first = hm.getHostStates('free', 0)[0]!;
    first.limits.memoryMb = 6144;
    src.upsertNode(
      makeComputeNode({ host: 'host1', hypervisorHostname: 'node1', freeRamMb: 10, updatedAt: 1 }),
    );
    hm.consumeFromRequest('host1', 'node1', makeSpec(), 5);
    const again = hm.getHostStates('free', 10)[0]!;
    expect(again).toBe(first);
    expect(again.freeRamMb).toBe(10 - 1024);
    expect(again.limits).toEqual({ memoryMb: 6144 });
  });

  it('does not re-read a versioned source whose version is unchanged', () => {
    const src = cloud(2);
    let reads = 0;
    const counting: HostSource = {
      get version() {
        return src.version;
      },
      listComputeNodes: () => {
        reads += 1;
        return src.listComputeNodes();
      },
      listServices: () => src.listServices(),
      listAggregates: () => src.listAggregates(),
      listInstances: (h, n) => src.listInstances(h, n),
    };
    const { hm } = manager(counting);
    const a = hm.getHostStates('full', 0);
    const b = hm.getHostStates('full', 1);
    expect(reads).toBe(1);
    expect(b).toBe(a);
    src.upsertService(makeService({ host: 'host1', disabled: true }));
    const c = hm.getHostStates('full', 2);
    expect(reads).toBe(2);
    expect(c).toBe(a); // same nodes, same order: the same array
    expect(c[0]!.service?.disabled).toBe(true);
  });

  it('re-reads an unversioned source every time', () => {
    const nodes = [makeComputeNode({ host: 'a', freeRamMb: 100 })];
    const source: HostSource = {
      listComputeNodes: () => nodes,
      listServices: () => [makeService({ host: 'a' })],
      listAggregates: () => [],
      listInstances: () => [],
    };
    const { hm } = manager(source);
    expect(hm.getHostStates('full', 0)[0]!.freeRamMb).toBe(100);
    nodes[0] = makeComputeNode({ host: 'a', freeRamMb: 50 });
    expect(hm.getHostStates('full', 0)[0]!.freeRamMb).toBe(50);
  });

  it('setSource switches to another cloud; nodes it lacks die', () => {
    const { hm } = manager(new InMemoryHostSource());
    expect(hm.getHostStates('full', 0)).toEqual([]);
    const src = cloud(2);
    hm.setSource(src);
    expect(hm.source).toBe(src);
    expect(hm.getHostStates('full', 0)).toHaveLength(2);
    hm.setSource(cloud(1));
    expect(hm.getHostStates('full', 0)).toHaveLength(1);
  });
});

describe('HostManager.consumeFromRequest (nova/scheduler/host_manager.py consume_from_instance)', () => {
  it('test_stat_consumption_from_instance (nova): RAM, disk without swap, vCPUs, instances, io ops, updated', () => {
    const src = cloud(1, { stats: { num_instances: '2', io_workload: '1' }, updatedAt: 10 });
    const { hm } = manager(src);
    hm.getHostStates('full', 0);
    hm.consumeFromRequest('host1', 'node1', makeSpec({ flavor }), 100);
    for (const view of ['full', 'free'] as const) {
      const h = hm.hostStateFor('host1', 'node1', view)!;
      expect(h.freeRamMb).toBe(4096 - 512);
      expect(h.freeDiskMb).toBe((100 - 15) * 1024);
      expect(h.vcpusUsed).toBe(2);
      expect(h.numInstances).toBe(3);
      expect(h.numIoOps).toBe(2);
      expect(h.updated).toBe(100);
    }
  });

  it('is seen at once by states already handed out (the scheduler keeps its list)', () => {
    const { hm } = manager(cloud(1));
    const [h] = hm.getHostStates('free', 0);
    hm.consumeFromRequest('host1', 'node1', makeSpec({ flavor }), 1);
    hm.consumeFromRequest('host1', 'node1', makeSpec({ flavor }), 2);
    expect(h!.freeRamMb).toBe(4096 - 1024);
    expect(h!.numIoOps).toBe(2);
  });

  it('consumes a preemptible request once in each view (opie bug 5 fixed)', () => {
    const { hm } = manager(cloud(1));
    hm.getHostStates('full', 0);
    hm.consumeFromRequest('host1', 'node1', makeSpec({ flavor, preemptible: true }), 1);
    const full = hm.hostStateFor('host1', 'node1', 'full')!;
    const free = hm.hostStateFor('host1', 'node1', 'free')!;
    expect(full.freeRamMb).toBe(4096 - 512);
    expect(full.numInstances).toBe(1);
    expect(full.numIoOps).toBe(1);
    // The free view counts the preemptible claim as free; only the io op stays.
    expect(free.freeRamMb).toBe(4096);
    expect(free.vcpusUsed).toBe(0);
    expect(free.numInstances).toBe(0);
    expect(free.numIoOps).toBe(1);
  });

  it('a released claim undoes exactly its consumption; releasing twice does nothing', () => {
    const { hm } = manager(cloud(1));
    hm.getHostStates('full', 0);
    const c1 = hm.consumeFromRequest('host1', 'node1', makeSpec({ flavor }), 1);
    hm.consumeFromRequest('host1', 'node1', makeSpec({ flavor }), 2);
    c1.release();
    c1.release();
    const h = hm.hostStateFor('host1', 'node1', 'full')!;
    expect(h.freeRamMb).toBe(4096 - 512);
    expect(h.numIoOps).toBe(1);
    expect(h.updated).toBe(2);
  });

  it('returns a claim that does nothing for an unknown node, with a warning', () => {
    const { hm, logger } = manager(cloud(1));
    const claim = hm.consumeFromRequest('nope', 'nope', makeSpec(), 1);
    expect(() => claim.release()).not.toThrow();
    expect(logger.warnings[0]).toMatch(/unknown node/);
  });

  it('test_get_all_host_states_not_updated (nova): an older record keeps the consumption', () => {
    const src = cloud(1, { updatedAt: 50 });
    const { hm } = manager(src);
    hm.getHostStates('full', 0);
    hm.consumeFromRequest('host1', 'node1', makeSpec({ flavor }), 100);
    src.upsertNode(
      makeComputeNode({
        host: 'host1',
        hypervisorHostname: 'node1',
        freeRamMb: 4000,
        updatedAt: 90,
      }),
    );
    const h = hm.getHostStates('full', 101)[0]!;
    expect(h.freeRamMb).toBe(4000 - 512);
    expect(h.updated).toBe(100);
  });

  it('test_get_all_host_states_updated (nova): a newer record drops older deltas', () => {
    const src = cloud(1, { updatedAt: 50 });
    const { hm } = manager(src);
    hm.getHostStates('full', 0);
    const claim = hm.consumeFromRequest('host1', 'node1', makeSpec({ flavor }), 100);
    hm.consumeFromRequest('host1', 'node1', makeSpec({ flavor }), 300);
    src.upsertNode(
      makeComputeNode({
        host: 'host1',
        hypervisorHostname: 'node1',
        freeRamMb: 3584,
        updatedAt: 200,
      }),
    );
    const h = hm.getHostStates('full', 301)[0]!;
    expect(h.freeRamMb).toBe(3584 - 512); // the record includes the first claim, not the second
    expect(h.updated).toBe(300);
    claim.release(); // already part of the record: nothing to undo
    expect(h.freeRamMb).toBe(3584 - 512);
  });

  it('keeps a delta made at the same time as the record', () => {
    const src = cloud(1, { updatedAt: 50 });
    const { hm } = manager(src);
    hm.getHostStates('full', 0);
    hm.consumeFromRequest('host1', 'node1', makeSpec({ flavor }), 100);
    src.upsertNode(makeComputeNode({ host: 'host1', hypervisorHostname: 'node1', updatedAt: 100 }));
    expect(hm.getHostStates('full', 0)[0]!.freeRamMb).toBe(4096 - 512);
  });

  it('a new record without updatedAt replaces the state and clears the deltas', () => {
    const src = cloud(1, { updatedAt: 50 });
    const { hm } = manager(src);
    hm.getHostStates('full', 0);
    hm.consumeFromRequest('host1', 'node1', makeSpec({ flavor }), 100);
    src.upsertNode(
      makeComputeNode({ host: 'host1', hypervisorHostname: 'node1', freeRamMb: 3000 }),
    );
    const h = hm.getHostStates('full', 0)[0]!;
    expect(h.freeRamMb).toBe(3000);
    expect(h.numIoOps).toBe(0);
    expect(h.updated).toBeUndefined();
  });
});

describe('HostManager.releaseInstance', () => {
  function withInstances() {
    const src = cloud(1, { freeRamMb: 1024, vcpusUsed: 4, stats: { num_instances: '2' } });
    const normal = makeInstance({
      uuid: 'n',
      host: 'host1',
      node: 'node1',
      memoryMb: 1024,
      vcpus: 1,
      rootGb: 20,
    });
    const victim = spot({
      uuid: 'v',
      host: 'host1',
      node: 'node1',
      memoryMb: 2048,
      vcpus: 3,
      rootGb: 10,
    });
    src.addInstance(normal);
    src.addInstance(victim);
    return { src, normal, victim };
  }

  it('removes the instance at once from both views and gives back its resources', () => {
    const { src, victim } = withInstances();
    const { hm } = manager(src);
    const [full] = hm.getHostStates('full', 0);
    const [free] = hm.getHostStates('free', 0);
    expect(free!.freeRamMb).toBe(1024 + 2048);
    expect(hm.releaseInstance('v', 5)).toBe(victim);
    for (const h of [full!, free!]) {
      expect([...h.instances.keys()]).toEqual(['n']);
      expect(h.freeRamMb).toBe(1024 + 2048);
      expect(h.freeDiskMb).toBe((100 + 10) * 1024);
      expect(h.vcpusUsed).toBe(1);
      expect(h.numInstances).toBe(1);
      expect(h.updated).toBe(5);
    }
    expect(hm.releaseInstance('v', 6)).toBeUndefined();
    expect(hm.releaseInstance('unknown', 6)).toBeUndefined();
  });

  it('stays released while the source still lists it, until a newer record', () => {
    const { src } = withInstances();
    const { hm } = manager(src);
    hm.getHostStates('full', 0);
    hm.releaseInstance('v', 5);
    src.upsertService(makeService({ host: 'host1' })); // some change: re-read
    expect([...hm.getHostStates('full', 0)[0]!.instances.keys()]).toEqual(['n']);
    src.removeInstance('v');
    src.upsertNode(
      makeComputeNode({
        host: 'host1',
        hypervisorHostname: 'node1',
        freeRamMb: 3072,
        vcpusUsed: 1,
        stats: { num_instances: '1' },
        updatedAt: 10,
      }),
    );
    const h = hm.getHostStates('full', 0)[0]!;
    expect(h.freeRamMb).toBe(3072);
    expect(h.numInstances).toBe(1);
    expect([...h.instances.keys()]).toEqual(['n']);
  });

  it('does not free a released in-flight preemptible claim twice', () => {
    const src = cloud(1);
    const { hm } = manager(src);
    hm.getHostStates('full', 0);
    hm.consumeFromRequest(
      'host1',
      'node1',
      makeSpec({ flavor, preemptible: true, instanceUuids: ['x'] }),
      1,
    );
    hm.addInstance({
      ...spot({ uuid: 'x', memoryMb: 512, vcpus: 2, rootGb: 10, ephemeralGb: 5 }),
      host: 'host1',
      node: 'node1',
    });
    const free = hm.hostStateFor('host1', 'node1', 'free')!;
    expect(free.freeRamMb).toBe(4096);
    hm.releaseInstance('x', 2);
    const full = hm.hostStateFor('host1', 'node1', 'full')!;
    expect(full.freeRamMb).toBe(4096);
    expect(free.freeRamMb).toBe(4096);
    expect(free.numInstances).toBe(0);
  });
});

describe('HostManager instance tracking (update_instance_info / delete_instance_info)', () => {
  it('test_update_instance_info (nova): a pushed instance shows at once in both views', () => {
    const src = cloud(1);
    const { hm } = manager(src);
    hm.getHostStates('full', 0);
    const x = spot({ uuid: 'x', host: 'host1', node: 'node1', memoryMb: 256 });
    hm.addInstance(x);
    expect(hm.hostStateFor('host1', 'node1', 'full')!.instances.get('x')).toBe(x);
    expect(hm.hostStateFor('host1', 'node1', 'free')!.instances.get('x')).toBe(x);
    // opie bug 6c: a newly pushed preemptible instance is freed in the free view.
    expect(hm.hostStateFor('host1', 'node1', 'free')!.freeRamMb).toBe(4096 + 256);
    // It survives re-reads while the source does not list it; then the source wins.
    src.upsertService(makeService({ host: 'host1' }));
    expect(hm.getHostStates('full', 0)[0]!.instances.has('x')).toBe(true);
    const fromSource = { ...x, vmState: 'active' };
    src.addInstance(fromSource);
    expect(hm.getHostStates('full', 0)[0]!.instances.get('x')).toBe(fromSource);
    src.removeInstance('x');
    expect(hm.getHostStates('full', 0)[0]!.instances.has('x')).toBe(false);
  });

  it('puts an instance without node on the first node of its host', () => {
    const src = cloud(1);
    const { hm } = manager(src);
    hm.getHostStates('full', 0);
    hm.addInstance(makeInstance({ uuid: 'y', host: 'host1' }));
    expect(hm.hostStateFor('host1', 'node1', 'full')!.instances.has('y')).toBe(true);
  });

  it('test_update_instance_info_unknown_host (nova): ignored with a warning', () => {
    const { hm, logger } = manager(cloud(1));
    hm.getHostStates('full', 0);
    hm.addInstance(makeInstance({ uuid: 'z', host: 'nowhere' }));
    hm.addInstance(makeInstance({ uuid: 'z2' }));
    expect(logger.warnings).toHaveLength(2);
    expect(hm.removeInstance('z')).toBeUndefined();
  });

  it('applies a pushed instance of a node the manager sees later', () => {
    const src = cloud(1);
    const { hm } = manager(src);
    hm.getHostStates('full', 0);
    hm.addInstance(makeInstance({ uuid: 'w', host: 'host2', node: 'node2' }));
    src.upsertNode(makeComputeNode({ host: 'host2', hypervisorHostname: 'node2' }));
    src.upsertService(makeService({ host: 'host2' }));
    expect(hm.getHostStates('full', 0)[1]!.instances.has('w')).toBe(true);
  });

  it('moves an instance pushed on another node', () => {
    const src = cloud(2);
    const { hm } = manager(src);
    hm.getHostStates('full', 0);
    hm.addInstance(makeInstance({ uuid: 'm', host: 'host1', node: 'node1' }));
    hm.addInstance(makeInstance({ uuid: 'm', host: 'host2', node: 'node2' }));
    expect(hm.hostStateFor('host1', 'node1', 'full')!.instances.has('m')).toBe(false);
    expect(hm.hostStateFor('host2', 'node2', 'full')!.instances.has('m')).toBe(true);
  });

  it('test_delete_instance_info (nova): gone at once, and while the source still lists it', () => {
    const src = cloud(1);
    const d = spot({ uuid: 'd', host: 'host1', node: 'node1', memoryMb: 100 });
    src.addInstance(d);
    const { hm } = manager(src);
    hm.getHostStates('full', 0);
    expect(hm.removeInstance('d')).toBe(d);
    const free = hm.hostStateFor('host1', 'node1', 'free')!;
    expect(free.instances.has('d')).toBe(false);
    expect(free.freeRamMb).toBe(4096); // resources come from records only
    src.upsertService(makeService({ host: 'host1' }));
    expect(hm.getHostStates('full', 0)[0]!.instances.has('d')).toBe(false);
    src.removeInstance('d');
    hm.getHostStates('full', 0);
    src.addInstance(d); // listed again after the source dropped it: the source wins
    expect(hm.getHostStates('full', 0)[0]!.instances.has('d')).toBe(true);
  });

  it('test_delete_instance_info_unknown_host (nova): unknown uuid gives undefined', () => {
    const { hm } = manager(cloud(1));
    hm.getHostStates('full', 0);
    expect(hm.removeInstance('nope')).toBeUndefined();
  });

  it('removes a pushed instance the source never listed', () => {
    const { hm } = manager(cloud(1));
    hm.getHostStates('full', 0);
    const p = makeInstance({ uuid: 'p', host: 'host1', node: 'node1' });
    hm.addInstance(p);
    expect(hm.removeInstance('p')).toBe(p);
    expect(hm.hostStateFor('host1', 'node1', 'full')!.instances.size).toBe(0);
  });

  it('ignores pushed changes when track_instance_changes is false', () => {
    const src = cloud(1);
    src.addInstance(makeInstance({ uuid: 'k', host: 'host1', node: 'node1' }));
    const { hm } = manager(src, { trackInstanceChanges: false });
    hm.getHostStates('full', 0);
    hm.addInstance(makeInstance({ uuid: 'q', host: 'host1', node: 'node1' }));
    expect(hm.removeInstance('k')).toBeUndefined();
    expect([...hm.hostStateFor('host1', 'node1', 'full')!.instances.keys()]).toEqual(['k']);
  });

  it('frees an in-flight preemptible claim once when its instance is reported before the record', () => {
    const src = cloud(1);
    const { hm } = manager(src);
    hm.getHostStates('full', 0);
    hm.consumeFromRequest(
      'host1',
      'node1',
      makeSpec({ flavor, preemptible: true, instanceUuids: ['x', 'y'] }),
      1,
    );
    hm.consumeFromRequest(
      'host1',
      'node1',
      makeSpec({ flavor, preemptible: true, instanceUuids: ['x', 'y'] }),
      1,
    );
    const free = hm.hostStateFor('host1', 'node1', 'free')!;
    expect(free.freeRamMb).toBe(4096);
    hm.addInstance(
      spot({
        uuid: 'x',
        host: 'host1',
        node: 'node1',
        memoryMb: 512,
        vcpus: 2,
        rootGb: 10,
        ephemeralGb: 5,
      }),
    );
    hm.addInstance(
      spot({
        uuid: 'y',
        host: 'host1',
        node: 'node1',
        memoryMb: 512,
        vcpus: 2,
        rootGb: 10,
        ephemeralGb: 5,
      }),
    );
    expect(free.freeRamMb).toBe(4096);
    expect(free.vcpusUsed).toBe(0);
    expect(free.numInstances).toBe(0);
  });
});

describe('opie partial-state drift (docs/nova-and-opie-notes.md, opie problem 6) does not happen', () => {
  const base = { freeRamMb: 2048, vcpusUsed: 2, stats: { num_instances: '1' }, updatedAt: 100 };
  const p1 = spot({
    uuid: 'p1',
    host: 'host1',
    node: 'node1',
    memoryMb: 2048,
    vcpus: 2,
    rootGb: 1,
  });
  const p2 = spot({
    uuid: 'p2',
    host: 'host1',
    node: 'node1',
    memoryMb: 1024,
    vcpus: 1,
    rootGb: 1,
  });

  it('a: a preemptible seen while the record is older than a claim is freed once', () => {
    const src = cloud(1, base);
    src.addInstance(p1);
    const { hm } = manager(src);
    const free = hm.getHostStates('free', 0)[0]!;
    expect(free.freeRamMb).toBe(4096);
    hm.consumeFromRequest('host1', 'node1', makeSpec({ flavor }), 200);
    expect(free.freeRamMb).toBe(4096 - 512);
    // A compute update: p2 is on the host and the record (older than the claim) counts it.
    src.addInstance(p2);
    src.upsertNode(
      makeComputeNode({
        host: 'host1',
        hypervisorHostname: 'node1',
        ...base,
        freeRamMb: 1024,
        vcpusUsed: 3,
        stats: { num_instances: '2' },
        updatedAt: 150,
      }),
    );
    hm.getHostStates('free', 201);
    expect(free.freeRamMb).toBe(1024 - 512 + 2048 + 1024);
    expect(free.vcpusUsed).toBe(3 + 2 - 2 - 1);
    expect(free.numInstances).toBe(2 + 1 - 2);
  });

  it('b: after a newer record, already-known preemptibles are still freed', () => {
    const src = cloud(1, base);
    src.addInstance(p1);
    const { hm } = manager(src);
    const free = hm.getHostStates('free', 0)[0]!;
    hm.consumeFromRequest('host1', 'node1', makeSpec({ flavor }), 200);
    src.upsertNode(
      makeComputeNode({
        host: 'host1',
        hypervisorHostname: 'node1',
        ...base,
        freeRamMb: 1536,
        vcpusUsed: 4,
        stats: { num_instances: '2' },
        updatedAt: 300,
      }),
    );
    hm.getHostStates('free', 301);
    expect(free.freeRamMb).toBe(1536 + 2048);
    expect(free.vcpusUsed).toBe(4 - 2);
    expect(free.numInstances).toBe(1);
  });

  it('c: instances pushed by computes (tracked) are freed when new', () => {
    const src = cloud(1, base);
    src.addInstance(p1);
    const { hm } = manager(src);
    const free = hm.getHostStates('free', 0)[0]!;
    hm.addInstance(p2);
    hm.getHostStates('free', 1);
    expect(free.freeRamMb).toBe(2048 + 2048 + 1024);
    hm.addInstance(p2); // the same push again changes nothing
    expect(free.freeRamMb).toBe(2048 + 2048 + 1024);
  });
});

describe('HostManager.statesInView', () => {
  it('maps free states to the full states of the same nodes, in order', () => {
    const { hm } = manager(cloud(3));
    const free = hm.getHostStates('free', 0);
    const full = hm.getHostStates('full', 0);
    expect(hm.statesInView([free[2]!, free[0]!], 'full')).toEqual([full[2], full[0]]);
    expect(hm.statesInView([full[1]!], 'free')[0]).toBe(free[1]);
    expect(hm.statesInView(full, 'full')).toEqual(full);
  });

  it('gives what hostStateFor gives for states it does not hold, leaving out unknown nodes', () => {
    const { hm } = manager(cloud(2));
    const { hm: other } = manager(cloud(3));
    const foreign = other.getHostStates('free', 0);
    const mine = hm.getHostStates('full', 0);
    expect(hm.statesInView(foreign, 'full')).toEqual([mine[0], mine[1]]);
    const plain = makeHost({ host: 'host2', nodename: 'node2' });
    expect(hm.statesInView([plain], 'full')[0]).toBe(mine[1]);
  });

  it('does not follow the states of a node that was dropped, even when it comes back', () => {
    const src = cloud(2);
    const { hm } = manager(src);
    const old = hm.getHostStates('free', 0)[1]!;
    src.removeNode('host2', 'node2');
    hm.getHostStates('full', 1);
    expect(hm.statesInView([old], 'full')).toEqual([]);
    src.upsertNode(makeComputeNode({ host: 'host2', hypervisorHostname: 'node2' }));
    // Back as a new node: the old state is then looked up by (host, node).
    const back = hm.getHostStates('full', 2)[1]!;
    expect(hm.statesInView([old], 'full')[0]).toBe(back);
  });
});

describe('HostState.preemptibleInstances (kept by the host manager)', () => {
  it('lists the preemptible visible instances in order, shared by both views', () => {
    const src = cloud(1);
    const a = spot({ host: 'host1', node: 'node1', createdAt: 30 });
    const b = makeInstance({ host: 'host1', node: 'node1' });
    const c = spot({ host: 'host1', node: 'node1', systemMetadata: { preemptible: 'no' } });
    const d = makeInstance({ host: 'host1', node: 'node1', preemptible: true, createdAt: 10 });
    for (const i of [a, b, c, d]) src.addInstance(i);
    const { hm } = manager(src);
    const full = hm.getHostStates('full', 0)[0]!;
    const free = hm.getHostStates('free', 0)[0]!;
    expect(full.preemptibleInstances).toEqual([a, d]);
    expect(free.preemptibleInstances).toBe(full.preemptibleInstances);
    expect(Array.from(full.preemptibleCreatedAt!)).toEqual([30, 10]);
    expect(free.preemptibleCreatedAt).toBe(full.preemptibleCreatedAt);
  });

  it('follows releases, pushed instances and removals', () => {
    const src = cloud(1);
    const a = spot({ host: 'host1', node: 'node1' });
    const b = spot({ host: 'host1', node: 'node1' });
    src.addInstance(a);
    src.addInstance(b);
    const { hm } = manager(src);
    const full = hm.getHostStates('full', 0)[0]!;
    hm.releaseInstance(a.uuid, 1);
    expect(full.preemptibleInstances).toEqual([b]);
    expect(Array.from(full.preemptibleCreatedAt!)).toEqual([b.createdAt]);
    const c = spot({ host: 'host1', node: 'node1' });
    hm.addInstance(c);
    expect(full.preemptibleInstances).toEqual([b, c]);
    hm.removeInstance(b.uuid);
    expect(full.preemptibleInstances).toEqual([c]);
    // A newer record drops the release: the source still lists `a`, so it is back.
    src.removeInstance(b.uuid);
    src.upsertNode(makeComputeNode({ host: 'host1', hypervisorHostname: 'node1', updatedAt: 5 }));
    hm.getHostStates('full', 6);
    expect(full.preemptibleInstances).toEqual([a, c]);
  });

  it('is set on a state built with hostStateFromNode too', () => {
    const a = spot();
    const state = hostStateFromNode(makeComputeNode(), { instances: [a, makeInstance()] });
    expect(state.preemptibleInstances).toEqual([a]);
    expect([...state.preemptibleCreatedAt!]).toEqual([a.createdAt]);
  });

  it('is left undefined on a NodeHostState built by hand (readers test instances)', () => {
    const state = new NodeHostState('h', 'n', 'full', new Map([['x', spot({ uuid: 'x' })]]));
    expect(state.preemptibleInstances).toBeUndefined();
    expect(state.preemptibleCreatedAt).toBeUndefined();
  });
});
