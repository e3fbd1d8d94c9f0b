import type { Aggregate, ComputeNode, InputIssue, Instance, Service } from '@opie/core';
import { hostKey, InvalidInputError } from '@opie/core';
import { ChangeJournal, DEFAULT_JOURNAL_CAPACITY } from './change-journal.js';
import type { HostSource, HostSourceChanges } from './host-source.js';

/** Initial contents of an `InMemoryHostSource`. */
export interface InMemoryHostSourceData {
  nodes?: Iterable<ComputeNode>;
  services?: Iterable<Service>;
  aggregates?: Iterable<Aggregate>;
  /** Every instance names its `host` and `node`. */
  instances?: Iterable<Instance>;
}

/** Options of an `InMemoryHostSource`. */
export interface InMemoryHostSourceOptions {
  /**
   * Changes its change feed remembers (default 4096); a host manager that
   * falls further behind re-reads the source whole. 0 turns the feed off.
   */
  journalCapacity?: number;
}

const NO_INSTANCES: readonly Instance[] = Object.freeze([]);

function serviceKey(service: Pick<Service, 'host' | 'binary'>): string {
  return `${service.host}\u0000${service.binary ?? ''}`;
}

/**
 * A mutable cloud held in memory, for tests, simulations and the CLI. Every
 * change bumps `version` and is journaled (`changesSince`), so the host
 * manager re-reads only the nodes that changed since its last refresh.
 * Nodes keep the position of their first insertion (inventory order).
 */
export class InMemoryHostSource implements HostSource {
  private versionValue = 0;
  /** The change feed; undefined while the constructor loads the data, or when turned off. */
  private journal: ChangeJournal | undefined = undefined;
  private readonly nodes = new Map<string, ComputeNode>();
  private readonly services = new Map<string, Service>();
  private readonly aggregates = new Map<number | string, Aggregate>();
  private readonly instancesByNode = new Map<string, Map<string, Instance>>();
  private readonly nodeOfInstance = new Map<string, string>();

  constructor(data: InMemoryHostSourceData = {}, options: InMemoryHostSourceOptions = {}) {
    for (const node of data.nodes ?? []) this.upsertNode(node);
    for (const service of data.services ?? []) this.upsertService(service);
    for (const aggregate of data.aggregates ?? []) this.upsertAggregate(aggregate);
    const issues: InputIssue[] = [];
    let i = 0;
    for (const instance of data.instances ?? []) {
      const problem = placementProblem(instance);
      if (problem === undefined) this.addInstance(instance);
      else issues.push({ path: `$.instances[${i}]`, message: problem });
      i += 1;
    }
    if (issues.length > 0) throw new InvalidInputError('host source', issues);
    const capacity = options.journalCapacity ?? DEFAULT_JOURNAL_CAPACITY;
    if (capacity > 0) this.journal = new ChangeJournal(capacity, this.versionValue);
  }

  get version(): number {
    return this.versionValue;
  }

  listComputeNodes(): Iterable<ComputeNode> {
    return this.nodes.values();
  }

  listServices(): Iterable<Service> {
    return this.services.values();
  }

  listAggregates(): Iterable<Aggregate> {
    return this.aggregates.values();
  }

  listInstances(host: string, nodename: string): Iterable<Instance> {
    return this.instancesByNode.get(hostKey(host, nodename))?.values() ?? NO_INSTANCES;
  }

  getComputeNode(host: string, nodename: string): ComputeNode | undefined {
    return this.nodes.get(hostKey(host, nodename));
  }

  /**
   * The change feed: nodes whose record or instances changed after `version`,
   * and whether nodes came or went, services or aggregates changed; undefined
   * when `version` is older than the journal reaches (or the feed is off).
   */
  changesSince(version: number): HostSourceChanges | undefined {
    return this.journal?.changesSince(version, this.versionValue);
  }

  /** Adds a node record or replaces the one with the same (host, node), keeping its position. */
  upsertNode(node: ComputeNode): void {
    const key = hostKey(node.host, node.hypervisorHostname);
    const added = !this.nodes.has(key);
    this.nodes.set(key, node);
    this.bump();
    if (added) this.journal?.inventory(this.versionValue, key);
    else this.journal?.node(this.versionValue, key);
  }

  /** Removes a node record and the instances on it. */
  removeNode(host: string, nodename: string): boolean {
    const key = hostKey(host, nodename);
    if (!this.nodes.delete(key)) return false;
    const instances = this.instancesByNode.get(key);
    if (instances !== undefined) {
      for (const uuid of instances.keys()) this.nodeOfInstance.delete(uuid);
      this.instancesByNode.delete(key);
    }
    this.bump();
    this.journal?.inventory(this.versionValue, key);
    return true;
  }

  /** Adds a service or replaces the one with the same host and binary. */
  upsertService(service: Service): void {
    this.services.set(serviceKey(service), service);
    this.bump();
    this.journal?.services(this.versionValue);
  }

  removeService(host: string, binary?: string): boolean {
    const removed = this.services.delete(
      serviceKey(binary === undefined ? { host } : { host, binary }),
    );
    if (removed) {
      this.bump();
      this.journal?.services(this.versionValue);
    }
    return removed;
  }

  /** Replaces every aggregate. */
  setAggregates(aggregates: Iterable<Aggregate>): void {
    this.aggregates.clear();
    for (const aggregate of aggregates) this.aggregates.set(aggregate.id, aggregate);
    this.bump();
    this.journal?.aggregates(this.versionValue);
  }

  /** Adds an aggregate or replaces the one with the same id. */
  upsertAggregate(aggregate: Aggregate): void {
    this.aggregates.set(aggregate.id, aggregate);
    this.bump();
    this.journal?.aggregates(this.versionValue);
  }

  removeAggregate(id: number | string): boolean {
    const removed = this.aggregates.delete(id);
    if (removed) {
      this.bump();
      this.journal?.aggregates(this.versionValue);
    }
    return removed;
  }

  /**
   * Puts an instance on the node its `host` and `node` name (replacing an
   * instance with the same uuid, wherever it was). Throws if either is missing.
   */
  addInstance(instance: Instance): void {
    const problem = placementProblem(instance);
    if (problem !== undefined) {
      throw new InvalidInputError('instance', [{ path: '$', message: problem }]);
    }
    const key = hostKey(instance.host as string, instance.node as string);
    const previous = this.nodeOfInstance.get(instance.uuid);
    if (previous !== undefined && previous !== key) {
      this.instancesByNode.get(previous)?.delete(instance.uuid);
    }
    let onNode = this.instancesByNode.get(key);
    if (onNode === undefined) {
      onNode = new Map();
      this.instancesByNode.set(key, onNode);
    }
    onNode.set(instance.uuid, instance);
    this.nodeOfInstance.set(instance.uuid, key);
    this.bump();
    if (previous !== undefined && previous !== key) this.journal?.node(this.versionValue, previous);
    this.journal?.node(this.versionValue, key);
  }

  /** Removes an instance; returns it, or undefined if unknown. */
  removeInstance(uuid: string): Instance | undefined {
    const key = this.nodeOfInstance.get(uuid);
    if (key === undefined) return undefined;
    const onNode = this.instancesByNode.get(key);
    const instance = onNode?.get(uuid);
    onNode?.delete(uuid);
    this.nodeOfInstance.delete(uuid);
    this.bump();
    this.journal?.node(this.versionValue, key);
    return instance;
  }

  private bump(): void {
    this.versionValue += 1;
  }
}

function placementProblem(instance: Instance): string | undefined {
  if (instance.host === undefined || instance.host === '')
    return `instance ${instance.uuid} has no host`;
  if (instance.node === undefined || instance.node === '')
    return `instance ${instance.uuid} has no node`;
  return undefined;
}
