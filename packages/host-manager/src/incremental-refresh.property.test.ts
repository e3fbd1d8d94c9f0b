import type { Claim, HostState, Instance } from '@opie/core';
import { createRuntime } from '@opie/core';
import {
  makeAggregate,
  makeComputeNode,
  makeFlavor,
  makeService,
  makeSpec,
  recordingLogger,
} from '@opie/testing';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HostManager } from './host-manager.js';
import type { HostSource } from './host-source.js';
import { InMemoryHostSource } from './in-memory-host-source.js';

/** Four nodes on two hosts (two nodes each), so services and aggregates cover several nodes. */
const NODES = 4;
const HOSTS = 2;
const UUIDS = 4;
const hostOf = (i: number) => `h${i % HOSTS}`;
const nodeOf = (i: number) => `n${i}`;

const node = fc.integer({ min: 0, max: NODES - 1 });
const host = fc.integer({ min: 0, max: HOSTS - 1 });
const uuid = fc.integer({ min: 0, max: UUIDS - 1 });
/** An instance usually stays on its home node (uuid mod nodes), sometimes moves to the next. */
const instance = fc.record({
  uuid,
  moved: fc.oneof(
    { weight: 3, arbitrary: fc.constant(false) },
    { weight: 1, arbitrary: fc.constant(true) },
  ),
  memoryMb: fc.integer({ min: 0, max: 4096 }),
  vcpus: fc.integer({ min: 0, max: 4 }),
  preemptible: fc.boolean(),
  createdAt: fc.integer({ min: 0, max: 100 }),
});

/** A source mutation (what a compute, an operator or a simulator does); node-level ones most often. */
const sourceOp = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      op: fc.constant('upsertNode' as const),
      node,
      freeRamMb: fc.integer({ min: -512, max: 4096 }),
      vcpusUsed: fc.integer({ min: 0, max: 8 }),
      numInstances: fc.option(fc.integer({ min: 0, max: 9 }), { nil: undefined }),
      updatedAt: fc.option(fc.integer({ min: 0, max: 60 }), { nil: undefined }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('removeNode' as const), node }) },
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constant('upsertService' as const),
      host,
      disabled: fc.boolean(),
    }),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('removeService' as const), host }) },
  {
    weight: 1,
    arbitrary: fc.oneof(
      fc.record({
        op: fc.constant('upsertAggregate' as const),
        id: fc.integer({ min: 1, max: 3 }),
        hosts: fc.subarray([0, 1, 2]),
      }),
      fc.record({
        op: fc.constant('removeAggregate' as const),
        id: fc.integer({ min: 1, max: 3 }),
      }),
      fc.record({ op: fc.constant('setAggregates' as const), hosts: fc.subarray([0, 1, 2]) }),
    ),
  },
  { weight: 6, arbitrary: fc.record({ op: fc.constant('addInstance' as const), instance }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('removeInstance' as const), uuid }) },
);

/** What the scheduler itself does between refreshes. */
const managerOp = fc.oneof(
  fc.record({ op: fc.constant('refresh' as const) }),
  fc.record({ op: fc.constant('refresh' as const) }),
  fc.record({
    op: fc.constant('consume' as const),
    node,
    memoryMb: fc.integer({ min: 0, max: 2048 }),
    preemptible: fc.boolean(),
    uuid: fc.option(uuid, { nil: undefined }),
  }),
  fc.record({ op: fc.constant('undoClaim' as const), index: fc.nat() }),
  fc.record({ op: fc.constant('releaseInstance' as const), uuid }),
  fc.record({ op: fc.constant('pushAdd' as const), instance }),
  fc.record({ op: fc.constant('pushRemove' as const), uuid }),
);

type SourceOp = typeof sourceOp extends fc.Arbitrary<infer T> ? T : never;
type ManagerOp = typeof managerOp extends fc.Arbitrary<infer T> ? T : never;
type InstanceArb = typeof instance extends fc.Arbitrary<infer T> ? T : never;

function makeInst(i: InstanceArb): Instance {
  const nodeIndex = (i.uuid + (i.moved ? 1 : 0)) % NODES;
  return {
    uuid: `u${i.uuid}`,
    host: hostOf(nodeIndex),
    node: nodeOf(nodeIndex),
    memoryMb: i.memoryMb,
    vcpus: i.vcpus,
    rootGb: 1,
    ephemeralGb: 0,
    systemMetadata: i.preemptible ? { preemptible: 'True' } : {},
    createdAt: i.createdAt,
  };
}

function initialSource(journalCapacity: number): InMemoryHostSource {
  const nodes = [];
  for (let i = 0; i < NODES; i++) {
    nodes.push(makeComputeNode({ host: hostOf(i), hypervisorHostname: nodeOf(i), updatedAt: 0 }));
  }
  return new InMemoryHostSource(
    {
      nodes,
      services: [makeService({ host: 'h0', binary: 'nova-compute' }), makeService({ host: 'h1' })],
      aggregates: [makeAggregate({ id: 1, hosts: ['h0'], metadata: { availability_zone: 'az' } })],
    },
    { journalCapacity },
  );
}

function applySourceOp(src: InMemoryHostSource, o: SourceOp): void {
  switch (o.op) {
    case 'upsertNode': {
      const stats: Record<string, string> = { io_workload: String(o.vcpusUsed % 3) };
      if (o.numInstances !== undefined) stats['num_instances'] = String(o.numInstances);
      src.upsertNode(
        makeComputeNode({
          host: hostOf(o.node),
          hypervisorHostname: nodeOf(o.node),
          freeRamMb: o.freeRamMb,
          vcpusUsed: o.vcpusUsed,
          stats,
          updatedAt: o.updatedAt,
          hostIp: `10.0.0.${o.node}`,
        }),
      );
      return;
    }
    case 'removeNode':
      src.removeNode(hostOf(o.node), nodeOf(o.node));
      return;
    case 'upsertService':
      src.upsertService(makeService({ host: `h${o.host}`, disabled: o.disabled }));
      return;
    case 'removeService':
      src.removeService(`h${o.host}`);
      return;
    case 'upsertAggregate':
      src.upsertAggregate(makeAggregate({ id: o.id, hosts: o.hosts.map((h) => `h${h}`) }));
      return;
    case 'removeAggregate':
      src.removeAggregate(o.id);
      return;
    case 'setAggregates':
      src.setAggregates([makeAggregate({ id: 7, hosts: o.hosts.map((h) => `h${h}`) })]);
      return;
    case 'addInstance':
      src.addInstance(makeInst(o.instance));
      return;
    case 'removeInstance':
      src.removeInstance(`u${o.uuid}`);
      return;
  }
}

/** The same source without its change feed: the manager re-reads it whole on every change. */
function withoutFeed(src: InMemoryHostSource): HostSource {
  return {
    get version() {
      return src.version;
    },
    listComputeNodes: () => src.listComputeNodes(),
    listServices: () => src.listServices(),
    listAggregates: () => src.listAggregates(),
    listInstances: (h, n) => src.listInstances(h, n),
  };
}

/** Every field of a state, instances and caches included, as plain data. */
function snapshotState(s: HostState) {
  return {
    ...s,
    sibling: undefined,
    owner: undefined,
    instances: [...s.instances.entries()],
    preemptibleInstances: s.preemptibleInstances?.map((i) => i.uuid),
    preemptibleCreatedAt: s.preemptibleCreatedAt && Array.from(s.preemptibleCreatedAt),
  };
}

function snapshot(hm: HostManager, now: number) {
  return {
    full: hm.getHostStates('full', now).map(snapshotState),
    free: hm.getHostStates('free', now).map(snapshotState),
  };
}

class Twin {
  readonly logger = recordingLogger();
  readonly hm: HostManager;
  readonly claims: Claim[] = [];
  constructor(source: HostSource) {
    this.hm = new HostManager({ source, runtime: createRuntime({ logger: this.logger }) });
  }

  apply(o: ManagerOp, now: number): void {
    const hm = this.hm;
    switch (o.op) {
      case 'refresh':
        hm.getHostStates('free', now);
        return;
      case 'consume': {
        const flavor = makeFlavor({ memoryMb: o.memoryMb, vcpus: 1, rootGb: 1, ephemeralGb: 0 });
        const spec = makeSpec({
          flavor,
          preemptible: o.preemptible,
          ...(o.uuid !== undefined ? { instanceUuids: [`u${o.uuid}`] } : {}),
        });
        this.claims.push(hm.consumeFromRequest(hostOf(o.node), nodeOf(o.node), spec, now));
        return;
      }
      case 'undoClaim':
        if (this.claims.length > 0) this.claims[o.index % this.claims.length]?.release();
        return;
      case 'releaseInstance':
        hm.releaseInstance(`u${o.uuid}`, now);
        return;
      case 'pushAdd':
        hm.addInstance(makeInst(o.instance));
        return;
      case 'pushRemove':
        hm.removeInstance(`u${o.uuid}`);
        return;
    }
  }
}

/** Mostly a journal that reaches back far enough; sometimes one that is too short, or none. */
const journalCapacity = fc.oneof(
  { weight: 4, arbitrary: fc.constant(4096) },
  { weight: 1, arbitrary: fc.constantFrom(0, 1, 2, 5) },
);

describe('incremental refresh through the change feed (property)', () => {
  it('equals a whole re-read: both views, every field, order, instances, claims and warnings', () => {
    const step = fc.oneof(
      { arbitrary: sourceOp.map((o) => ({ source: o })), weight: 3 },
      { arbitrary: managerOp.map((o) => ({ manager: o })), weight: 2 },
    );
    fc.assert(
      fc.property(journalCapacity, fc.array(step, { maxLength: 80 }), (capacity, steps) => {
        const src = initialSource(capacity);
        const incremental = new Twin(src);
        const whole = new Twin(withoutFeed(src));
        let now = 1;
        expect(snapshot(incremental.hm, now)).toEqual(snapshot(whole.hm, now));
        for (const s of steps) {
          now += 1;
          if ('source' in s) {
            applySourceOp(src, s.source);
            continue;
          }
          incremental.apply(s.manager, now);
          whole.apply(s.manager, now);
          if (s.manager.op === 'refresh') {
            expect(snapshot(incremental.hm, now)).toEqual(snapshot(whole.hm, now));
          }
        }
        expect(snapshot(incremental.hm, now)).toEqual(snapshot(whole.hm, now));
        expect(incremental.logger.warnings).toEqual(whole.logger.warnings);
        // Claims stay in force alike: undoing all of them leaves the same states.
        for (const c of incremental.claims) c.release();
        for (const c of whole.claims) c.release();
        expect(snapshot(incremental.hm, now)).toEqual(snapshot(whole.hm, now));
      }),
      { numRuns: 800 },
    );
  });

  it('after source changes only, equals a fresh manager reading the source whole', () => {
    fc.assert(
      fc.property(
        journalCapacity,
        fc.array(fc.array(sourceOp, { maxLength: 6 }), { maxLength: 12 }),
        (capacity, batches) => {
          const src = initialSource(capacity);
          const incremental = new HostManager({ source: src });
          incremental.getHostStates('full', 0);
          for (const batch of batches) {
            for (const o of batch) applySourceOp(src, o);
            const fresh = new HostManager({ source: src });
            expect(snapshot(incremental, 0)).toEqual(snapshot(fresh, 0));
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
