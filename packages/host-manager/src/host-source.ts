import type { Aggregate, ComputeNode, Instance, Service } from '@opie/core';

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
}
