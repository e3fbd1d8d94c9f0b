import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { HostColumns, HostState, HostView } from '@opie/core';
import { preemptibleInstancesOf, SERVICE_DISABLED, SERVICE_PRESENT } from '@opie/core';
import { makeAggregate, makeComputeNode, makeInstance, makeService, makeSpec } from '@opie/testing';
import { HostManager } from './host-manager.js';
import { InMemoryHostSource } from './in-memory-host-source.js';

/*
 * The table is the views' materialisation: after any mix of claims,
 * releases, instance reports and source changes (records, services,
 * aggregates, nodes coming and going), row `i` of `columns(view)` must hold
 * exactly the numbers of `getHostStates(view)[i]`, and rows with equal
 * shared fields must share their interned keys. The expected values are the
 * state objects' own fields.
 */

const NOW = Date.UTC(2026, 0, 1, 12, 0, 0);

function node(i: number, freeRamMb = 8192) {
  return makeComputeNode({
    host: `h${i}`,
    hypervisorHostname: `h${i}`,
    memoryMb: 8192,
    freeRamMb,
    vcpus: 8,
    localGb: 100,
    freeDiskGb: 100,
    updatedAt: NOW - 1000,
    supportedInstances: i % 2 === 0 ? [['x86_64', 'qemu', 'hvm']] : [['aarch64', 'qemu', 'hvm']],
  });
}

function expectRowsMatch(cols: HostColumns, states: readonly HostState[], view: HostView): void {
  expect(cols.view).toBe(view);
  expect(cols.size).toBe(states.length);
  states.forEach((s, i) => {
    expect(cols.states[i]).toBe(s);
    expect([
      cols.freeRamMb[i],
      cols.freeDiskMb[i],
      cols.vcpusUsed[i],
      cols.numInstances[i],
      cols.numIoOps[i],
      cols.numPreemptible[i],
      cols.totalUsableRamMb[i],
      cols.totalUsableDiskGb[i],
      cols.vcpusTotal[i],
      cols.ramAllocationRatio[i],
      cols.cpuAllocationRatio[i],
      cols.diskAllocationRatio[i],
    ]).toEqual([
      s.freeRamMb,
      s.freeDiskMb,
      s.vcpusUsed,
      s.numInstances,
      s.numIoOps,
      preemptibleInstancesOf(s).length,
      s.totalUsableRamMb,
      s.totalUsableDiskGb,
      s.vcpusTotal,
      s.ramAllocationRatio,
      s.cpuAllocationRatio,
      s.diskAllocationRatio,
    ]);
    const service = s.service;
    const bits =
      service === undefined ? 0 : SERVICE_PRESENT | (service.disabled ? SERVICE_DISABLED : 0);
    expect(cols.service[i]).toBe(bits);
  });
  // Equal aggregate lists and images share a key; different ones do not.
  for (let a = 0; a < states.length; a++) {
    for (let b = 0; b < states.length; b++) {
      const sa = states[a] as HostState;
      const sb = states[b] as HostState;
      const sameImage =
        JSON.stringify(sa.supportedInstances) === JSON.stringify(sb.supportedInstances);
      expect(cols.key('image')[a] === cols.key('image')[b]).toBe(sameImage);
      expect(cols.key('host')[a] === cols.key('host')[b]).toBe(sa.host === sb.host);
      const sameAggs =
        sa.aggregates.length === sb.aggregates.length &&
        sa.aggregates.every((x, k) => x === sb.aggregates[k]);
      expect(cols.key('aggregates')[a] === cols.key('aggregates')[b]).toBe(sameAggs);
    }
  }
}

const op = fc.oneof(
  fc.record({
    kind: fc.constant('claim' as const),
    host: fc.nat(5),
    ram: fc.constantFrom(512, 2048),
  }),
  fc.record({ kind: fc.constant('release-claim' as const), k: fc.nat(10) }),
  fc.record({ kind: fc.constant('instance' as const), host: fc.nat(5), pre: fc.boolean() }),
  fc.record({ kind: fc.constant('terminate' as const), k: fc.nat(20) }),
  fc.record({ kind: fc.constant('record' as const), host: fc.nat(5), free: fc.nat(8192) }),
  fc.record({ kind: fc.constant('service' as const), host: fc.nat(5), disabled: fc.boolean() }),
  fc.record({ kind: fc.constant('aggregate' as const), host: fc.nat(5) }),
  fc.record({ kind: fc.constant('remove-node' as const), host: fc.nat(5) }),
  fc.record({ kind: fc.constant('add-node' as const), host: fc.nat(5) }),
);

describe('HostManager.columns: the table equals the views (property)', () => {
  it('row i of each view holds the numbers and keys of state i after any operations', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 30 }), fc.boolean(), (ops, early) => {
        const hosts = [0, 1, 2, 3];
        const source = new InMemoryHostSource({
          nodes: hosts.map((i) => node(i)),
          services: hosts.map((i) => makeService({ host: `h${i}`, lastSeenUp: NOW })),
          aggregates: [makeAggregate({ id: 1, name: 'a', hosts: ['h0', 'h1'] })],
        });
        const manager = new HostManager({ source });
        // The table is built on first use: before or after the first changes.
        if (early) manager.columns('full');
        const claims: { release(): void }[] = [];
        const uuids: string[] = [];
        let n = 0;
        for (const o of ops) {
          manager.getHostStates('full', NOW);
          if (o.kind === 'claim') {
            const spec = makeSpec({ flavor: { ...makeSpec().flavor, memoryMb: o.ram } });
            claims.push(manager.consumeFromRequest(`h${o.host}`, `h${o.host}`, spec, NOW));
          } else if (o.kind === 'release-claim') {
            claims[o.k % Math.max(1, claims.length)]?.release();
          } else if (o.kind === 'instance') {
            const uuid = `i${n++}`;
            uuids.push(uuid);
            source.addInstance(
              makeInstance({
                uuid,
                host: `h${o.host}`,
                node: `h${o.host}`,
                memoryMb: 1024,
                ...(o.pre ? { preemptible: true, systemMetadata: { preemptible: 'True' } } : {}),
              }),
            );
          } else if (o.kind === 'terminate') {
            const uuid = uuids[o.k % Math.max(1, uuids.length)];
            if (uuid !== undefined) manager.releaseInstance(uuid, NOW);
          } else if (o.kind === 'record') {
            source.upsertNode({ ...node(o.host, o.free), updatedAt: NOW + n++ });
          } else if (o.kind === 'service') {
            source.upsertService(
              makeService({ host: `h${o.host}`, disabled: o.disabled, lastSeenUp: NOW }),
            );
          } else if (o.kind === 'aggregate') {
            source.upsertAggregate(makeAggregate({ id: 2, name: 'b', hosts: [`h${o.host}`] }));
          } else if (o.kind === 'remove-node') {
            source.removeNode(`h${o.host}`, `h${o.host}`);
          } else {
            source.upsertNode(node(o.host));
            source.upsertService(makeService({ host: `h${o.host}`, lastSeenUp: NOW }));
          }
        }
        for (const view of ['full', 'free'] as const) {
          const states = manager.getHostStates(view, NOW);
          expectRowsMatch(manager.columns(view), states, view);
        }
      }),
      { numRuns: 300, seed: 11 },
    );
  });
});
