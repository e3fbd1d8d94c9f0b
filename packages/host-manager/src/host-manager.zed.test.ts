import type { ComputeNode, Logger } from '@opie/core';
import { configValuesFrom, createRuntime } from '@opie/core';
import { makeComputeNode, makeService } from '@opie/testing';
import { describe, expect, it } from 'vitest';
import { HostManager, usageReported } from './host-manager.js';
import { InMemoryHostSource } from './in-memory-host-source.js';
import { hostManagerFromConf, hostManagerOptions } from './plugins.js';

/*
 * nova Zed's HostState._update_from_compute_node, ported by behaviour from
 * nova/tests/unit/scheduler/test_host_manager.py (stable/zed,
 * test_stat_consumption_from_compute_node_not_ready and the ratio cases).
 * Expected values follow from Zed's rule: a record without free_disk_gb is
 * ignored (the state keeps what it had); a node's disk ratio of 0/None
 * falls back to disk_allocation_ratio, and that, when 0/unset, to
 * initial_disk_allocation_ratio (1.0).
 */

function debugLogger(): Logger & { debug: (m: string) => void; messages: string[] } {
  const messages: string[] = [];
  return {
    messages,
    debug: (m: string, f?: Record<string, unknown>) => messages.push(`${m} ${JSON.stringify(f)}`),
    info: () => undefined,
    warn: () => undefined,
    error: () => undefined,
  };
}

/** A record whose compute has not reported its usage yet (nova: free_disk_gb None). */
function unreported(overrides: Partial<ComputeNode> = {}): ComputeNode {
  const record = makeComputeNode({ host: 'h1', hypervisorHostname: 'n1', ...overrides });
  return { ...record, freeDiskGb: null as unknown as number };
}

function manager(
  nodes: ComputeNode[],
  options: Partial<ConstructorParameters<typeof HostManager>[0]> = {},
) {
  const source = new InMemoryHostSource({
    nodes,
    services: [...new Set(nodes.map((n) => n.host))].map((host) => makeService({ host })),
  });
  const logger = debugLogger();
  const hm = new HostManager({
    source,
    runtime: createRuntime({ logger }),
    novaVersion: 'zed',
    ...options,
  });
  return { source, hm, logger };
}

describe('HostManager under nova_version = zed', () => {
  it('test_stat_consumption_from_compute_node_not_ready: a new node without free_disk_gb is not listed', () => {
    const { hm, logger } = manager([
      unreported({ freeRamMb: 100 }),
      makeComputeNode({ host: 'h2', hypervisorHostname: 'n2' }),
    ]);
    expect(hm.getHostStates('full', 0).map((s) => s.nodename)).toEqual(['n2']);
    expect(logger.messages).toEqual([
      'Ignoring compute node record as its usage has not been updated yet (no free_disk_gb) {"host":"h1","node":"n1"}',
    ]);
    // Logged once per node, not on every refresh.
    hm.refresh();
    expect(logger.messages).toHaveLength(1);
  });

  it('a known node keeps its previous record when an unreported one arrives, then takes the next reported one', () => {
    const first = makeComputeNode({
      host: 'h1',
      hypervisorHostname: 'n1',
      freeRamMb: 1000,
      updatedAt: 1,
    });
    const { source, hm } = manager([first]);
    expect(hm.getHostStates('full', 0)[0]?.freeRamMb).toBe(1000);
    source.upsertNode(unreported({ freeRamMb: 50, updatedAt: 2 }));
    hm.refresh();
    expect(hm.getHostStates('full', 0)[0]?.freeRamMb).toBe(1000);
    source.upsertNode(
      makeComputeNode({ host: 'h1', hypervisorHostname: 'n1', freeRamMb: 70, updatedAt: 3 }),
    );
    hm.refresh();
    expect(hm.getHostStates('full', 0)[0]?.freeRamMb).toBe(70);
  });

  it('a missing freeDiskGb counts as unreported too; liberty mode reads every record as before', () => {
    const { freeDiskGb: _omitted, ...rest } = makeComputeNode({
      host: 'h1',
      hypervisorHostname: 'n1',
    });
    expect(usageReported(rest as ComputeNode)).toBe(false);
    expect(usageReported(makeComputeNode())).toBe(true);
    const { hm } = manager([makeComputeNode({ host: 'h1', hypervisorHostname: 'n1' })], {
      novaVersion: 'liberty',
    });
    expect(hm.getHostStates('full', 0)).toHaveLength(1);
  });

  it("the disk ratio: the node's when > 0, else disk_allocation_ratio when > 0, else 1.0", () => {
    const nodes = [
      makeComputeNode({ host: 'h1', hypervisorHostname: 'n1', diskAllocationRatio: 2 }),
      makeComputeNode({ host: 'h2', hypervisorHostname: 'n2', diskAllocationRatio: 0 }),
      makeComputeNode({ host: 'h3', hypervisorHostname: 'n3' }),
    ];
    const ratios = (options: Partial<ConstructorParameters<typeof HostManager>[0]>) =>
      manager(nodes, options)
        .hm.getHostStates('full', 0)
        .map((s) => s.diskAllocationRatio);
    expect(ratios({ diskAllocationRatio: 1.5 })).toEqual([2, 1.5, 1.5]);
    // A configured 0 means unset in Zed (CONF.disk_allocation_ratio or initial_disk_allocation_ratio).
    expect(ratios({ diskAllocationRatio: 0 })).toEqual([2, 1, 1]);
    // Liberty uses the configured value as it is.
    expect(ratios({ diskAllocationRatio: 0, novaVersion: 'liberty' })).toEqual([2, 0, 0]);
  });

  it('the plugin follows [opie] nova_version', () => {
    const source = new InMemoryHostSource({
      nodes: [unreported()],
      services: [makeService({ host: 'h1' })],
    });
    const make = (values: Record<string, string>) =>
      hostManagerFromConf(
        { conf: configValuesFrom(hostManagerOptions, values), runtime: createRuntime() },
        source,
      );
    expect(make({ 'opie.nova_version': 'zed' }).getHostStates('full', 0)).toHaveLength(0);
  });
});
