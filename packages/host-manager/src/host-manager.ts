import type {
  Aggregate,
  Claim,
  ComputeNode,
  HostColumns,
  SourcedHostManager,
  HostState,
  HostView,
  Instance,
  NovaVersion,
  RequestSpec,
  Runtime,
  Service,
} from '@opie/core';
import { createRuntime, hostKey, isPreemptibleRequest } from '@opie/core';
import type { ConfiguredRatios } from './allocation-ratios.js';
import {
  DEFAULT_CONFIGURED_RATIOS,
  ZED_INITIAL_DISK_ALLOCATION_RATIO,
} from './allocation-ratios.js';
import type { ConsumptionDelta, Delta } from './deltas.js';
import { instanceDiskMb, releaseDelta } from './deltas.js';
import { NodeHostState } from './host-state.js';
import type { HostSource } from './host-source.js';
import { allocateStates, NodeViews } from './node-views.js';
import { HostTable } from './host-table.js';

export interface HostManagerOptions {
  source: HostSource;
  runtime?: Runtime | undefined;
  /** Configured `cpu_allocation_ratio` (0 = unset: nodes' values, else 16.0). */
  cpuAllocationRatio?: number | undefined;
  /** Configured `ram_allocation_ratio` (0 = unset: nodes' values, else 1.5). */
  ramAllocationRatio?: number | undefined;
  /** Configured `disk_allocation_ratio` (default 1.0). */
  diskAllocationRatio?: number | undefined;
  /**
   * `[filter_scheduler] track_instance_changes` (default true). When false,
   * `addInstance` / `removeInstance` are ignored, as nova ignores compute
   * instance updates when not tracking.
   */
  trackInstanceChanges?: boolean | undefined;
  /**
   * `[opie] nova_version` (default `liberty`). Under `zed`, nova Zed's
   * `_update_from_compute_node`: a record whose `freeDiskGb` is null or
   * missing (a compute that has not reported its usage yet) is ignored — a
   * known node keeps its previous record, a new node is not listed — and a
   * configured `disk_allocation_ratio` of 0 means unset (1.0, Zed's
   * `initial_disk_allocation_ratio`).
   */
  novaVersion?: NovaVersion | undefined;
}

/** Whether nova Zed reads a record: its usage (`free_disk_gb`) was reported. */
export function usageReported(record: ComputeNode): boolean {
  const free: unknown = record.freeDiskGb;
  return typeof free === 'number';
}

const NO_AGGREGATES: readonly Aggregate[] = Object.freeze([]);
const NOOP_CLAIM: Claim = Object.freeze({ release: () => undefined });

/**
 * nova's HostManager with opie's two views. Each (host, node) has one
 * `full` and one `free` (preemptible-as-free) state object, both a pure
 * function of the latest compute record, the host's instances and this
 * scheduler's own claims and releases since that record; the objects are
 * stable while the node exists and are updated in place.
 * @see nova/scheduler/host_manager.py HostManager
 * @see opie/scheduler/host_manager.py HostManager
 */
export class HostManager implements SourcedHostManager {
  private sourceValue: HostSource;
  private synced = false;
  private lastVersion: number | undefined = undefined;
  private generation = 0;
  private readonly runtime: Runtime;
  private readonly configured: ConfiguredRatios;
  private readonly trackInstanceChanges: boolean;
  /** nova Zed: ignore records without usage (see `HostManagerOptions.novaVersion`). */
  private readonly skipUnreported: boolean;
  /** Keys of the nodes whose unreported record was logged (once each). */
  private readonly unreported = new Set<string>();
  /** Live nodes by `hostKey`. */
  private readonly nodes = new Map<string, NodeViews>();
  /** The columnar views, once `columns()` was called. */
  private table: HostTable | undefined = undefined;
  /** Live nodes in inventory order, and their states per view. */
  private order: NodeViews[] = [];
  private fullList: NodeHostState[] = [];
  private freeList: NodeHostState[] = [];
  private readonly nodesByHost = new Map<string, NodeViews[]>();
  /** uuid → node of every listed instance. */
  private readonly byUuid = new Map<string, NodeViews>();
  /** Instance uuids held by an active consumption. */
  private readonly claimed = new Map<string, ConsumptionDelta>();
  /** Pushed instances the source does not list yet, by node key. */
  private readonly pendingAdds = new Map<string, Map<string, Instance>>();
  /** Pushed removals the source still lists, by node key. */
  private readonly pendingRemoves = new Map<string, Set<string>>();
  private readonly warnedHosts = new Set<string>();
  /** `nova-compute` service by host, and aggregates by host, as last read. */
  private readonly services = new Map<string, Service>();
  private readonly aggregatesByHost = new Map<string, Aggregate[]>();
  /**
   * Keys of nodes whose pushed additions or removals changed since the last
   * refresh: their instances are re-read even when the source did not change them.
   */
  private readonly touched = new Set<string>();
  private readonly scratchOrder: NodeViews[] = [];
  private readonly scratchRecords: ComputeNode[] = [];
  private readonly scratchKeys: string[] = [];
  private readonly scratchFresh: boolean[] = [];
  private readonly scratchInstances: Instance[] = [];
  private readonly scratchStillListed = new Set<string>();

  constructor(options: HostManagerOptions) {
    this.sourceValue = options.source;
    this.runtime = options.runtime ?? createRuntime();
    this.configured = {
      cpuAllocationRatio:
        options.cpuAllocationRatio ?? DEFAULT_CONFIGURED_RATIOS.cpuAllocationRatio,
      ramAllocationRatio:
        options.ramAllocationRatio ?? DEFAULT_CONFIGURED_RATIOS.ramAllocationRatio,
      diskAllocationRatio:
        options.diskAllocationRatio ?? DEFAULT_CONFIGURED_RATIOS.diskAllocationRatio,
    };
    const zed = options.novaVersion === 'zed';
    // Zed: `CONF.disk_allocation_ratio or CONF.initial_disk_allocation_ratio`.
    if (zed && !(this.configured.diskAllocationRatio > 0)) {
      this.configured.diskAllocationRatio = ZED_INITIAL_DISK_ALLOCATION_RATIO;
    }
    this.skipUnreported = zed;
    this.trackInstanceChanges = options.trackInstanceChanges ?? true;
  }

  get source(): HostSource {
    return this.sourceValue;
  }

  /**
   * Switches to another source (the loader builds the manager before the
   * cloud is known). The next refresh re-reads everything; nodes the new
   * source lacks are dropped.
   */
  setSource(source: HostSource): void {
    this.sourceValue = source;
    this.synced = false;
    this.lastVersion = undefined;
    this.pendingAdds.clear();
    this.pendingRemoves.clear();
  }

  /**
   * Host states of `view` in inventory order, refreshed from the source. The
   * array is the manager's own and is reused while nothing changes: read it,
   * do not modify it.
   */
  getHostStates(view: HostView, _now: number): HostState[] {
    this.refresh();
    return view === 'full' ? this.fullList : this.freeList;
  }

  /**
   * Both views as columns (`HostColumns`), row `i` being
   * `getHostStates(view)[i]`: built on first use, then kept up to date in
   * place by every claim, release and refresh.
   */
  columns(view: HostView): HostColumns {
    let table = this.table;
    if (table === undefined) {
      table = new HostTable();
      for (const node of this.nodes.values()) node.table = table;
      table.rebuild(this.order);
      this.table = table;
    }
    return table.view(view);
  }

  hostStateFor(host: string, nodename: string, view: HostView): HostState | undefined {
    return this.nodes.get(hostKey(host, nodename))?.[view];
  }

  /**
   * `hostStateFor` over a list, without building keys: a state this manager
   * holds leads straight to its node's other view; any other state is looked
   * up by (host, node) and left out when unknown.
   */
  statesInView(states: readonly HostState[], view: HostView): HostState[] {
    const out: HostState[] = [];
    for (let i = 0; i < states.length; i++) {
      const state = states[i] as HostState;
      const found =
        state instanceof NodeHostState && state.owner === this
          ? state.view === view
            ? state
            : state.sibling
          : this.hostStateFor(state.host, state.nodename, view);
      if (found !== undefined) out.push(found);
    }
    return out;
  }

  /**
   * Re-reads the source like nova's `get_all_host_states` (nova/scheduler/host_manager.py), unless
   * its `version` is unchanged: services by host (last wins), nodes without a
   * compute service skipped (warned once per host), aggregates by host name,
   * nodes no longer listed removed from both views (opie removed them from
   * one map only, bug 8). States keep the source's inventory order.
   *
   * A source with a change feed (`changesSince` and `getComputeNode`) is read
   * incrementally: only the nodes that changed (and those this manager was
   * told about through `addInstance` / `removeInstance`) are re-read; the
   * node list is walked only when nodes came or went or services or
   * aggregates changed. The result is the same as a whole re-read.
   */
  refresh(): void {
    const source = this.sourceValue;
    const version = source.version;
    if (this.synced && version !== undefined && version === this.lastVersion) return;
    const changes =
      this.synced &&
      version !== undefined &&
      this.lastVersion !== undefined &&
      source.getComputeNode !== undefined
        ? source.changesSince?.(this.lastVersion)
        : undefined;
    if (changes === undefined) {
      this.readAll(source, undefined, true, true);
    } else {
      // Read once: the service fast path and, failing it, the walk use it.
      const services = changes.services ? readServices(source) : undefined;
      if (
        changes.inventory ||
        changes.aggregates ||
        (services !== undefined && !this.applyServiceChanges(services)) ||
        !this.applyNodeChanges(source, changes.nodes)
      ) {
        this.readAll(source, changes.nodes, services ?? false, changes.aggregates);
      }
    }
    this.touched.clear();
    this.synced = true;
    this.lastVersion = version;
  }

  /**
   * Walks the source's node list: the new inventory order, nodes that came
   * or went, every node's service and aggregates. Instances are re-read for
   * new nodes, for `dirty` ones (all when `dirty` is undefined) and for those
   * `touched` by pushed instance updates.
   */
  private readAll(
    source: HostSource,
    dirty: ReadonlySet<string> | undefined,
    services: boolean | ReadonlyMap<string, Service>,
    readAggregates: boolean,
  ): void {
    if (services !== false) {
      const read = services === true ? readServices(source) : services;
      this.services.clear();
      for (const [host, s] of read) this.services.set(host, s);
    }
    if (readAggregates) {
      const aggregatesByHost = this.aggregatesByHost;
      aggregatesByHost.clear();
      for (const agg of source.listAggregates()) {
        for (const h of agg.hosts) {
          const list = aggregatesByHost.get(h);
          if (list === undefined) aggregatesByHost.set(h, [agg]);
          else if (list[list.length - 1] !== agg) list.push(agg);
        }
      }
    }

    const records = this.scratchRecords;
    const keys = this.scratchKeys;
    const fresh = this.scratchFresh;
    records.length = 0;
    for (const record of source.listComputeNodes()) records.push(record);
    keys.length = records.length;
    fresh.length = records.length;
    let freshCount = 0;
    for (let i = 0; i < records.length; i++) {
      const record = records[i] as ComputeNode;
      const key = hostKey(record.host, record.hypervisorHostname);
      keys[i] = key;
      const isFresh = !this.nodes.has(key) && this.services.has(record.host);
      fresh[i] = isFresh;
      if (isFresh) freshCount += 1;
    }
    const allocated = freshCount > 1 ? allocateStates(records, fresh) : undefined;

    const generation = ++this.generation;
    const order = this.scratchOrder;
    order.length = 0;
    for (let i = 0; i < records.length; i++) {
      const record = records[i] as ComputeNode;
      const service = this.services.get(record.host);
      if (service === undefined) {
        if (!this.warnedHosts.has(record.host)) {
          this.warnedHosts.add(record.host);
          this.runtime.logger.warn('No compute service record found for host', {
            host: record.host,
          });
        }
        continue;
      }
      this.warnedHosts.delete(record.host);
      const key = keys[i] as string;
      let node = this.nodes.get(key);
      let reread = dirty === undefined;
      const ignored = this.skipUnreported && !this.reportsUsage(record, key);
      if (ignored && node === undefined) continue; // Zed: not updated, never placeable
      if (node === undefined) {
        const full = allocated?.full[i];
        const free = allocated?.free[i];
        const states = full !== undefined && free !== undefined ? { full, free } : undefined;
        node = new NodeViews(record, this.configured, this.byUuid, this, states, key);
        node.table = this.table;
        this.nodes.set(key, node);
        reread = true;
      } else if (node.generation === generation) {
        continue; // listed twice: the first record wins
      } else {
        // Zed: an unreported record leaves the node as it was.
        if (!ignored) this.forgetClaims(node.setRecord(record));
        if (dirty !== undefined) reread = dirty.has(key) || this.touched.has(key);
      }
      node.generation = generation;
      node.setService(service);
      node.setAggregates(this.aggregatesByHost.get(record.host) ?? NO_AGGREGATES);
      if (reread) node.setListed(this.readInstances(source, node));
      order.push(node);
    }
    // Views after the walk, node by node: what recompute allocates (instance maps,
    // preemptible lists) then lies apart from the walk's own allocations.
    for (let i = 0; i < order.length; i++) (order[i] as NodeViews).recompute();
    records.length = 0;
    keys.length = 0;
    fresh.length = 0;

    for (const [key, node] of this.nodes) {
      if (node.generation === generation) continue;
      this.nodes.delete(key);
      node.detach();
      this.forgetClaims(node.activeDeltas);
      this.pendingAdds.delete(key);
      this.pendingRemoves.delete(key);
    }

    if (!sameNodes(this.order, order)) this.setOrder(order.slice());
  }

  /**
   * The fast path of an incremental refresh when only service records
   * changed (heartbeats, a host disabled or enabled): the new services are
   * given to the nodes in place, without walking the node list. Returns
   * false, having changed nothing, when a host gained or lost its compute
   * service (nodes may then come or go: the caller walks the node list).
   */
  private applyServiceChanges(services: ReadonlyMap<string, Service>): boolean {
    if (services.size !== this.services.size) return false;
    for (const host of services.keys()) if (!this.services.has(host)) return false;
    this.services.clear();
    for (const [host, s] of services) this.services.set(host, s);
    for (const node of this.order) {
      const service = services.get(node.host);
      if (service !== undefined) node.setService(service);
    }
    for (const node of this.order) node.recompute();
    return true;
  }

  /**
   * The fast path of an incremental refresh, when no node came or went and
   * no service or aggregate changed: re-reads the changed (and touched)
   * nodes in place. Returns false, having changed nothing, when a changed
   * node is not one this manager holds or is gone from the source (the
   * caller then walks the node list).
   */
  private applyNodeChanges(source: HostSource, changed: ReadonlySet<string>): boolean {
    const nodes = this.scratchOrder;
    const records = this.scratchRecords;
    nodes.length = 0;
    records.length = 0;
    for (const key of changed) {
      const node = this.nodes.get(key);
      if (node === undefined) return false;
      const record = source.getComputeNode?.(node.host, node.nodename);
      if (record === undefined) return false;
      nodes.push(node);
      records.push(record);
    }
    for (const key of this.touched) {
      if (changed.has(key)) continue;
      const node = this.nodes.get(key);
      if (node === undefined) continue;
      nodes.push(node);
      records.push(node.record);
    }
    for (let i = 0; i < nodes.length; i++) {
      const node = nodes[i] as NodeViews;
      const record = records[i] as ComputeNode;
      if (!this.skipUnreported || this.reportsUsage(record, node.key)) {
        this.forgetClaims(node.setRecord(record));
      }
      node.setListed(this.readInstances(source, node));
      node.recompute();
    }
    nodes.length = 0;
    records.length = 0;
    return true;
  }

  /**
   * nova's `consume_from_request` as a delta on the node, applied once to
   * each view (opie applied it twice to one state for preemptible requests,
   * bug 5). A preemptible request's claim is preemptible usage, so the free
   * view counts it as free. An unknown node yields a claim that does nothing.
   * @see nova/scheduler/host_manager.py HostState.consume_from_request
   */
  consumeFromRequest(host: string, nodename: string, spec: RequestSpec, now: number): Claim {
    const node = this.nodes.get(hostKey(host, nodename));
    if (node === undefined) {
      this.runtime.logger.warn('Cannot consume on an unknown node', { host, nodename });
      return NOOP_CLAIM;
    }
    const { flavor } = spec;
    const delta: ConsumptionDelta = {
      kind: 'consume',
      at: now,
      memoryMb: flavor.memoryMb,
      diskMb: instanceDiskMb(flavor),
      vcpus: flavor.vcpus,
      preemptible: isPreemptibleRequest(spec),
      uuid: this.unclaimedUuid(spec),
    };
    node.addDelta(delta);
    if (delta.uuid !== undefined) this.claimed.set(delta.uuid, delta);
    node.recompute();
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        this.forgetClaim(delta);
        if (node.removeDelta(delta)) node.recompute();
      },
    };
  }

  /**
   * Forgets a terminated instance at once, in both views: it leaves
   * `instances` and its RAM, disk, vCPUs and instance count are given back
   * until a newer compute record (which no longer counts it) arrives. opie
   * waited for that record (bug 3: the same victim chosen again).
   */
  releaseInstance(uuid: string, now: number): Instance | undefined {
    const node = this.byUuid.get(uuid);
    const instance = node?.visibleInstance(uuid);
    if (node === undefined || instance === undefined) return undefined;
    node.addDelta(releaseDelta(instance, now));
    const adds = this.pendingAdds.get(node.key);
    if (adds?.delete(uuid) === true) this.touched.add(node.key);
    node.recompute();
    return instance;
  }

  /**
   * nova's `update_instance_info`: a compute reports an instance on its node
   * (`instance.node`, or the host's first node). Both views see it at once;
   * it stays until the source lists it (the source then wins) or it is
   * removed. Resources come from compute records only.
   * @see nova/scheduler/host_manager.py HostManager.update_instance_info
   */
  addInstance(instance: Instance): void {
    if (!this.trackInstanceChanges) return;
    const key = this.nodeKeyOf(instance);
    if (key === undefined) {
      this.runtime.logger.warn('Instance update for an unknown host ignored', {
        uuid: instance.uuid,
        host: instance.host,
      });
      return;
    }
    const previous = this.byUuid.get(instance.uuid);
    if (previous !== undefined && previous.key !== key) this.removeInstance(instance.uuid);
    this.touched.add(key);
    this.pendingRemoves.get(key)?.delete(instance.uuid);
    let adds = this.pendingAdds.get(key);
    if (adds === undefined) {
      adds = new Map();
      this.pendingAdds.set(key, adds);
    }
    adds.set(instance.uuid, instance);
    const node = this.nodes.get(key);
    if (node !== undefined) {
      node.upsertListed(instance);
      node.recompute();
    }
  }

  /**
   * nova's `delete_instance_info`: the instance leaves both views at once and
   * stays gone while the source still lists it. Resources are not given back
   * (the compute record does that; see `releaseInstance`).
   * @see nova/scheduler/host_manager.py HostManager.delete_instance_info
   */
  removeInstance(uuid: string): Instance | undefined {
    if (!this.trackInstanceChanges) return undefined;
    let removed: Instance | undefined;
    for (const [key, adds] of this.pendingAdds) {
      const pending = adds.get(uuid);
      if (pending === undefined) continue;
      adds.delete(uuid);
      if (adds.size === 0) this.pendingAdds.delete(key);
      this.touched.add(key);
      removed = pending;
    }
    const node = this.byUuid.get(uuid);
    if (node !== undefined) {
      removed = node.removeListed(uuid) ?? removed;
      this.touched.add(node.key);
      let removes = this.pendingRemoves.get(node.key);
      if (removes === undefined) {
        removes = new Set();
        this.pendingRemoves.set(node.key, removes);
      }
      removes.add(uuid);
      node.recompute();
    }
    return removed;
  }

  /** The source's instances of a node, with pushed additions and removals applied. */
  private readInstances(source: HostSource, node: NodeViews): readonly Instance[] {
    const out = this.scratchInstances;
    out.length = 0;
    const adds = this.pendingAdds.get(node.key);
    const removes = this.pendingRemoves.get(node.key);
    const stillListed = this.scratchStillListed;
    stillListed.clear();
    for (const inst of source.listInstances(node.host, node.nodename)) {
      if (removes?.has(inst.uuid) === true) {
        stillListed.add(inst.uuid);
        continue;
      }
      adds?.delete(inst.uuid); // the source lists it now: the source wins
      out.push(inst);
    }
    if (removes !== undefined) {
      for (const uuid of removes) if (!stillListed.has(uuid)) removes.delete(uuid);
      if (removes.size === 0) this.pendingRemoves.delete(node.key);
    }
    if (adds !== undefined) {
      for (const inst of adds.values()) out.push(inst);
      if (adds.size === 0) this.pendingAdds.delete(node.key);
    }
    return out;
  }

  private nodeKeyOf(instance: Instance): string | undefined {
    if (instance.host === undefined) return undefined;
    if (instance.node !== undefined) return hostKey(instance.host, instance.node);
    return this.nodesByHost.get(instance.host)?.[0]?.key;
  }

  /** The first of the request's instance uuids no active claim holds. */
  /** `usageReported`, logging (once per node) a record nova Zed ignores. */
  private reportsUsage(record: ComputeNode, key: string): boolean {
    if (usageReported(record)) {
      this.unreported.delete(key);
      return true;
    }
    if (!this.unreported.has(key)) {
      this.unreported.add(key);
      this.runtime.logger.debug(
        'Ignoring compute node record as its usage has not been updated yet (no free_disk_gb)',
        { host: record.host, node: record.hypervisorHostname },
      );
    }
    return false;
  }

  private unclaimedUuid(spec: RequestSpec): string | undefined {
    for (const uuid of spec.instanceUuids ?? []) if (!this.claimed.has(uuid)) return uuid;
    return undefined;
  }

  private forgetClaim(delta: ConsumptionDelta): void {
    if (delta.uuid !== undefined && this.claimed.get(delta.uuid) === delta) {
      this.claimed.delete(delta.uuid);
    }
  }

  private forgetClaims(deltas: readonly Delta[]): void {
    for (const d of deltas) if (d.kind === 'consume') this.forgetClaim(d);
  }

  private setOrder(order: NodeViews[]): void {
    for (const node of this.order) node.row = -1;
    this.order = order;
    if (this.table !== undefined) this.table.rebuild(order);
    this.fullList = order.map((n) => n.full);
    this.freeList = order.map((n) => n.free);
    this.nodesByHost.clear();
    for (const n of order) {
      const list = this.nodesByHost.get(n.host);
      if (list === undefined) this.nodesByHost.set(n.host, [n]);
      else list.push(n);
    }
  }
}

/** The source's compute services by host (the last listed wins; other binaries left out). */
function readServices(source: HostSource): Map<string, Service> {
  const services = new Map<string, Service>();
  for (const s of source.listServices()) {
    if (s.binary === undefined || s.binary === 'nova-compute') services.set(s.host, s);
  }
  return services;
}

function sameNodes(a: readonly NodeViews[], b: readonly NodeViews[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
