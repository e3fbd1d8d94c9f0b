import type { Aggregate, ComputeNode, Instance, Service } from '@opie/core';
import { hostKey } from '@opie/core';
import { ChangeJournal, DEFAULT_JOURNAL_CAPACITY } from '@opie/host-manager';
import type { HostSource, HostSourceChanges } from '@opie/host-manager';
import { liveComputeNode } from './live-compute-node.js';
import type { NodeRow } from './live-compute-node.js';
import type { Inventory } from './store/server-store.js';
import type { ServerRecord } from './server-record.js';
import { toInstance } from './server-record.js';

interface CachedNode {
  /** Position in `nodes`. */
  index: number;
  row: NodeRow;
  key: string;
  instances: Map<string, Instance>;
  record: ComputeNode;
}

const NO_INSTANCES: readonly Instance[] = Object.freeze([]);

/**
 * The scheduler's copy of the store: compute node records (usage derived
 * from the live servers), services, aggregates and the instances on each
 * node, as a `HostSource`. Each node remembers the store generation it was
 * read at, so a claim can tell whether the copy was current.
 *
 * The service stands in for the computes, so their nova-compute services
 * heartbeat while it runs: `heartbeat(now)` refreshes every service's
 * `lastSeenUp` once per `heartbeatMs` (forced-down and disabled services
 * stay as the cloud file says).
 *
 * Every change is journaled (`changesSince`, `getComputeNode`), so the host
 * manager re-reads only the nodes that changed since its last refresh; a
 * whole re-read of the store (`replaceAll`) makes it re-read everything.
 */
export class StoreHostSource implements HostSource {
  private versionValue = 0;
  private nodes: CachedNode[] = [];
  private readonly byKey = new Map<string, CachedNode>();
  private storedServices: Service[] = [];
  private liveServices: Service[] = [];
  private aggregates: Aggregate[] = [];
  private lastHeartbeat = Number.NEGATIVE_INFINITY;
  private readonly heartbeatMs: number;
  /** The change feed; undefined when turned off. */
  private readonly journal: ChangeJournal | undefined;
  /** The store's inventory version this copy was read at. */
  inventoryVersion = 0;

  /**
   * @param options.heartbeatMs how often services heartbeat (default 10 s)
   * @param options.journalCapacity changes the change feed remembers
   *   (default 4096); a host manager further behind re-reads the copy whole.
   *   0 turns the feed off.
   */
  constructor(options: { heartbeatMs?: number; journalCapacity?: number } = {}) {
    this.heartbeatMs = options.heartbeatMs ?? 10_000;
    const capacity = options.journalCapacity ?? DEFAULT_JOURNAL_CAPACITY;
    this.journal = capacity > 0 ? new ChangeJournal(capacity, this.versionValue) : undefined;
  }

  get version(): number {
    return this.versionValue;
  }

  listComputeNodes(): Iterable<ComputeNode> {
    const records: ComputeNode[] = new Array<ComputeNode>(this.nodes.length);
    for (let i = 0; i < this.nodes.length; i++) records[i] = (this.nodes[i] as CachedNode).record;
    return records;
  }

  listServices(): Iterable<Service> {
    return this.liveServices;
  }

  listAggregates(): Iterable<Aggregate> {
    return this.aggregates;
  }

  listInstances(host: string, nodename: string): Iterable<Instance> {
    return this.byKey.get(hostKey(host, nodename))?.instances.values() ?? NO_INSTANCES;
  }

  /** The change feed: what changed after `version`, or undefined when it cannot tell. */
  changesSince(version: number): HostSourceChanges | undefined {
    return this.journal?.changesSince(version, this.versionValue);
  }

  /** The current record of a node (the change feed's read of one node). */
  getComputeNode(host: string, nodename: string): ComputeNode | undefined {
    return this.byKey.get(hostKey(host, nodename))?.record;
  }

  /** The store generation the copy of a node was read at (undefined: unknown node). */
  generationOf(host: string, node: string): number | undefined {
    return this.byKey.get(hostKey(host, node))?.row.generation;
  }

  /** The current record of a node. */
  recordOf(host: string, node: string): ComputeNode | undefined {
    return this.byKey.get(hostKey(host, node))?.record;
  }

  /** Every node's key and generation. */
  generations(): Array<{ host: string; node: string; generation: number }> {
    return this.nodes.map((n) => ({
      host: n.row.host,
      node: n.row.node,
      generation: n.row.generation,
    }));
  }

  /** Replaces everything with a fresh read of the store. */
  replaceAll(inventory: Inventory, now: number): void {
    const byNode = new Map<string, Map<string, Instance>>();
    for (const server of inventory.servers) {
      if (server.host === null || server.node === null) continue;
      const key = hostKey(server.host, server.node);
      let map = byNode.get(key);
      if (map === undefined) {
        map = new Map();
        byNode.set(key, map);
      }
      map.set(server.uuid, toInstance(server));
    }
    this.byKey.clear();
    this.nodes = inventory.nodes.map((row, index) => {
      const key = hostKey(row.host, row.node);
      const instances = byNode.get(key) ?? new Map<string, Instance>();
      const node: CachedNode = {
        index,
        row,
        key,
        instances,
        record: liveComputeNode(row, instances.values()),
      };
      this.byKey.set(key, node);
      return node;
    });
    this.storedServices = inventory.services;
    this.aggregates = inventory.aggregates;
    this.inventoryVersion = inventory.version;
    this.lastHeartbeat = Number.NEGATIVE_INFINITY;
    this.heartbeat(now);
    this.bump();
    // Nodes may have come, gone or moved: readers re-read the copy whole.
    this.journal?.reset(this.versionValue);
  }

  /**
   * Replaces nodes with a fresh read of them and of the servers on them
   * (a node not known yet is appended).
   */
  replaceNodes(rows: readonly NodeRow[], servers: readonly ServerRecord[]): void {
    const byNode = new Map<string, Map<string, Instance>>();
    for (const row of rows) byNode.set(hostKey(row.host, row.node), new Map());
    for (const server of servers) {
      if (server.host === null || server.node === null) continue;
      byNode.get(hostKey(server.host, server.node))?.set(server.uuid, toInstance(server));
    }
    this.bump();
    for (const row of rows) {
      const key = hostKey(row.host, row.node);
      const instances = byNode.get(key) ?? new Map<string, Instance>();
      this.setNode(row, instances);
    }
  }

  /**
   * Applies a committed change to a node: instances added and removed, and
   * the generation the change left the node at.
   */
  applyChange(
    host: string,
    node: string,
    change: { add?: readonly Instance[]; remove?: readonly string[]; generation: number },
  ): void {
    const cached = this.byKey.get(hostKey(host, node));
    if (cached === undefined) return;
    const instances = new Map(cached.instances);
    for (const uuid of change.remove ?? []) instances.delete(uuid);
    for (const inst of change.add ?? []) instances.set(inst.uuid, inst);
    this.bump();
    this.setNode({ ...cached.row, generation: change.generation }, instances);
  }

  /** Refreshes the services' heartbeats when `heartbeatMs` has passed. */
  heartbeat(now: number): void {
    if (now - this.lastHeartbeat < this.heartbeatMs) return;
    this.lastHeartbeat = now;
    this.liveServices = this.storedServices.map((s) =>
      s.forcedDown === true ? s : { ...s, lastSeenUp: now, updatedAt: now },
    );
    this.bump();
    this.journal?.services(this.versionValue);
  }

  /** Sets a node's copy and journals it at the current version (call after `bump`). */
  private setNode(row: NodeRow, instances: Map<string, Instance>): void {
    const key = hostKey(row.host, row.node);
    const old = this.byKey.get(key);
    const next: CachedNode = {
      index: old?.index ?? this.nodes.length,
      row,
      key,
      instances,
      record: liveComputeNode(row, instances.values()),
    };
    this.byKey.set(key, next);
    this.nodes[next.index] = next;
    if (old === undefined) this.journal?.inventory(this.versionValue, key);
    else this.journal?.node(this.versionValue, key);
  }

  private bump(): void {
    this.versionValue += 1;
  }
}
