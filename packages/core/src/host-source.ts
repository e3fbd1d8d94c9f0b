import type { Aggregate, ComputeNode, Instance, Service } from '@opie/core';

/**
 * What changed in a `HostSource` since one of its versions: its change feed
 * (`HostSource.changesSince`). The host manager then re-reads only the nodes
 * named here instead of the whole source.
 */
export interface HostSourceChanges {
  /**
   * `hostKey(host, nodename)` of every node whose compute record was added,
   * replaced or removed, or whose instances changed (an instance added to,
   * replaced on or removed from it).
   */
  readonly nodes: ReadonlySet<string>;
  /**
   * True when a node was added or removed (or moved in inventory order): the
   * host manager then walks `listComputeNodes()` for the new order, still
   * re-reading the instances of the changed nodes only.
   */
  readonly inventory: boolean;
  /** True when any service record was added, replaced or removed. */
  readonly services: boolean;
  /** True when any aggregate was added, replaced or removed. */
  readonly aggregates: boolean;
}

/**
 * Where the host manager reads the cloud from: nova's database reads in
 * `get_all_host_states`, as a synchronous port. Records are treated as
 * immutable values: a changed record must be a new object.
 * @see nova/scheduler/host_manager.py HostManager.get_all_host_states
 */
export interface HostSource {
  /**
   * Optional change counter that grows with every change. When it is present
   * and unchanged since the last refresh, the host manager does not re-read
   * anything.
   */
  readonly version?: number;
  /** Compute node records, in inventory order. */
  listComputeNodes(): Iterable<ComputeNode>;
  /** Service records; only `nova-compute` ones (or ones without `binary`) are used. */
  listServices(): Iterable<Service>;
  listAggregates(): Iterable<Aggregate>;
  /** The instances on one node, in the order the host reports them. */
  listInstances(host: string, nodename: string): Iterable<Instance>;
  /**
   * Optional change feed, used only together with `version` and
   * `getComputeNode`: what changed after `version` (a value `version` had)
   * up to now, or `undefined` when the source cannot tell (say, its journal
   * no longer reaches back that far), and the host manager re-reads it whole.
   */
  changesSince?(version: number): HostSourceChanges | undefined;
  /**
   * Optional, required by the change feed: the record `listComputeNodes()`
   * lists (first) for one (host, node), or `undefined` when it lists none.
   */
  getComputeNode?(host: string, nodename: string): ComputeNode | undefined;
}
