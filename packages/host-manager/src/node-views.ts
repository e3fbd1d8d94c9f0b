import type { Aggregate, ComputeNode, Instance, Service } from '@opie/core';
import { hostKey, isPreemptibleInstance } from '@opie/core';
import type { ConfiguredRatios } from './allocation-ratios.js';
import { resolveAllocationRatios } from './allocation-ratios.js';
import type { Delta } from './deltas.js';
import { NodeHostState } from './host-state.js';
import type { HostTable } from './host-table.js';
import { writeFreeView, writeFullView } from './view-math.js';

const NO_DELTAS: readonly Delta[] = Object.freeze([]);
const NO_INSTANCES: readonly Instance[] = Object.freeze([]);
/** Shared by every node without preemptible instances (never written). */
const NO_TIMES = new Float64Array(0);

/**
 * Everything the host manager knows about one (host, node): the latest
 * compute node record, the instances the host reports (in reported order),
 * and the deltas this scheduler made since that record. Both views are a
 * pure function of these three and are recomputed, in place on the two
 * stable state objects, only when one of them changes: O(instances + deltas)
 * per change and nothing at all on a read.
 */
export class NodeViews {
  readonly host: string;
  readonly nodename: string;
  readonly key: string;
  readonly full: NodeHostState;
  readonly free: NodeHostState;
  /** Refresh generation that last saw this node in the source (dead-node sweep). */
  generation = 0;
  /** This node's row in the manager's `HostTable` (-1: none). */
  row = -1;
  /** The table to keep up to date, once the manager has one. */
  table: HostTable | undefined = undefined;
  private fieldsDirty = true;
  private serviceDirty = false;

  private recordValue: ComputeNode;
  private listed: Instance[] = [];
  private readonly listedByUuid = new Map<string, Instance>();
  /** Listed minus released: the `instances` map both views share. */
  private readonly visible = new Map<string, Instance>();
  /** The preemptible ones of `visible`, in order: shared by both views. */
  private preemptible: readonly Instance[] = NO_INSTANCES;
  private deltas: Delta[] = [];
  private readonly released = new Set<string>();
  private instancesDirty = true;
  private numbersDirty = true;
  private readonly configured: ConfiguredRatios;
  /** uuid → node of every listed instance, shared by all nodes of a manager. */
  private readonly index: Map<string, NodeViews>;
  private readonly knownUuid = (uuid: string): boolean =>
    this.listedByUuid.has(uuid) || this.released.has(uuid);

  /**
   * @param states the node's two states, when allocated beforehand (see
   *   `allocateStates`); their `instances` become this node's.
   */
  constructor(
    record: ComputeNode,
    configured: ConfiguredRatios,
    index: Map<string, NodeViews>,
    owner?: object,
    states?: { full: NodeHostState; free: NodeHostState },
    key: string = hostKey(record.host, record.hypervisorHostname),
  ) {
    this.host = record.host;
    this.nodename = record.hypervisorHostname;
    this.key = key;
    this.configured = configured;
    this.index = index;
    if (states === undefined) {
      this.full = new NodeHostState(this.host, this.nodename, 'full', this.visible);
      this.free = new NodeHostState(this.host, this.nodename, 'free', this.visible);
    } else {
      this.full = states.full;
      this.free = states.free;
      this.full.instances = this.visible;
      this.free.instances = this.visible;
    }
    this.setPreemptible(NO_INSTANCES);
    this.full.sibling = this.free;
    this.free.sibling = this.full;
    this.full.owner = owner;
    this.free.owner = owner;
    this.recordValue = record;
    this.applyRecordFields();
  }

  get record(): ComputeNode {
    return this.recordValue;
  }

  /** Active deltas, oldest first. */
  get activeDeltas(): readonly Delta[] {
    return this.deltas;
  }

  /** Instances the host reports (released ones included), in reported order. */
  get listedInstances(): readonly Instance[] {
    return this.listed;
  }

  /**
   * Takes a (possibly new) record. A new record drops the deltas it already
   * includes: those made before its `updatedAt`, or all of them when it has
   * no `updatedAt` (nova's staleness guard, nova/scheduler/host_manager.py, made explicit). Unlike
   * nova, a delta made at the record's own time is kept (deliberate).
   * Returns the dropped deltas.
   */
  setRecord(record: ComputeNode): readonly Delta[] {
    if (record === this.recordValue) return NO_DELTAS;
    this.recordValue = record;
    this.applyRecordFields();
    this.numbersDirty = true;
    if (this.deltas.length === 0) return NO_DELTAS;
    const at = record.updatedAt;
    const kept: Delta[] = [];
    const dropped: Delta[] = [];
    for (const d of this.deltas) {
      if (at === undefined || at > d.at) dropped.push(d);
      else kept.push(d);
    }
    if (dropped.length === 0) return NO_DELTAS;
    this.deltas = kept;
    for (const d of dropped) if (d.kind === 'release') this.forgetRelease(d.instance.uuid);
    return dropped;
  }

  setService(service: Service): void {
    if (this.full.service === service) return;
    this.full.service = service;
    this.free.service = service;
    this.serviceDirty = true;
  }

  setAggregates(aggregates: readonly Aggregate[]): void {
    if (this.full.aggregates === aggregates) return;
    this.full.aggregates = aggregates;
    this.free.aggregates = aggregates;
    this.fieldsDirty = true;
  }

  /** Replaces the reported instances; a no-op (no allocation) when the list is the same. */
  setListed(instances: readonly Instance[]): void {
    if (sameList(this.listed, instances)) return;
    for (const uuid of this.listedByUuid.keys()) {
      if (this.index.get(uuid) === this) this.index.delete(uuid);
    }
    this.listed = instances.slice();
    this.listedByUuid.clear();
    for (const inst of this.listed) {
      this.listedByUuid.set(inst.uuid, inst);
      this.index.set(inst.uuid, this);
    }
    this.markInstancesChanged();
  }

  /** Adds or replaces one reported instance (replacing keeps its position). */
  upsertListed(instance: Instance): void {
    const old = this.listedByUuid.get(instance.uuid);
    if (old === instance) return;
    if (old === undefined) {
      this.listed.push(instance);
    } else {
      this.listed[this.listed.indexOf(old)] = instance;
    }
    this.listedByUuid.set(instance.uuid, instance);
    this.index.set(instance.uuid, this);
    this.markInstancesChanged();
  }

  /** Removes one reported instance; returns it, if it was listed. */
  removeListed(uuid: string): Instance | undefined {
    const old = this.listedByUuid.get(uuid);
    if (old === undefined) return undefined;
    this.listed.splice(this.listed.indexOf(old), 1);
    this.listedByUuid.delete(uuid);
    if (this.index.get(uuid) === this) this.index.delete(uuid);
    this.markInstancesChanged();
    return old;
  }

  isListed(uuid: string): boolean {
    return this.listedByUuid.has(uuid);
  }

  /** A listed, not released instance. */
  visibleInstance(uuid: string): Instance | undefined {
    return this.released.has(uuid) ? undefined : this.listedByUuid.get(uuid);
  }

  addDelta(delta: Delta): void {
    this.deltas.push(delta);
    if (delta.kind === 'release') {
      this.released.add(delta.instance.uuid);
      this.instancesDirty = true;
    }
    this.numbersDirty = true;
  }

  /** Removes a delta that is still active; false if it was already dropped. */
  removeDelta(delta: Delta): boolean {
    const i = this.deltas.indexOf(delta);
    if (i < 0) return false;
    this.deltas.splice(i, 1);
    if (delta.kind === 'release') this.forgetRelease(delta.instance.uuid);
    this.numbersDirty = true;
    return true;
  }

  /** Brings both views up to date, if anything changed. */
  recompute(): void {
    if (this.instancesDirty) {
      this.visible.clear();
      for (const inst of this.listed) {
        if (!this.released.has(inst.uuid)) this.visible.set(inst.uuid, inst);
      }
      const preemptible: Instance[] = [];
      for (const inst of this.visible.values()) {
        if (isPreemptibleInstance(inst)) preemptible.push(inst);
      }
      this.setPreemptible(preemptible);
      this.instancesDirty = false;
    }
    const numbers = this.numbersDirty;
    if (numbers) {
      writeFullView(this.full, this.recordValue, this.reportedCount(), this.deltas);
      writeFreeView(this.free, this.full, this.preemptible, this.deltas, this.knownUuid);
      this.numbersDirty = false;
    }
    const table = this.table;
    if (table !== undefined) {
      if (this.fieldsDirty) table.writeRow(this);
      else {
        if (numbers) table.writeUsage(this);
        if (this.serviceDirty) table.writeService(this);
      }
    }
    this.fieldsDirty = false;
    this.serviceDirty = false;
  }

  /**
   * Instances the host reports that no active claim of ours stands for (a
   * claimed instance the compute already reports is counted by its claim),
   * the fallback for a missing `num_instances` stat.
   */
  private reportedCount(): number {
    let n = this.listed.length;
    for (const d of this.deltas) {
      if (d.kind === 'consume' && d.uuid !== undefined && this.listedByUuid.has(d.uuid)) n -= 1;
    }
    return n;
  }

  /** Forgets this node's instances in the shared index (the node is gone). */
  detach(): void {
    this.table = undefined;
    this.row = -1;
    this.full.owner = undefined;
    this.free.owner = undefined;
    for (const uuid of this.listedByUuid.keys()) {
      if (this.index.get(uuid) === this) this.index.delete(uuid);
    }
  }

  private forgetRelease(uuid: string): void {
    for (const d of this.deltas) {
      if (d.kind === 'release' && d.instance.uuid === uuid) return;
    }
    this.released.delete(uuid);
    this.instancesDirty = true;
  }

  /** The preemptible list and its creation times, shared by both views. */
  private setPreemptible(preemptible: readonly Instance[]): void {
    const createdAt =
      preemptible.length === 0 ? NO_TIMES : Float64Array.from(preemptible, (i) => i.createdAt);
    this.preemptible = preemptible;
    this.full.preemptibleInstances = preemptible;
    this.free.preemptibleInstances = preemptible;
    this.full.preemptibleCreatedAt = createdAt;
    this.free.preemptibleCreatedAt = createdAt;
  }

  private markInstancesChanged(): void {
    this.instancesDirty = true;
    this.numbersDirty = true;
  }

  private applyRecordFields(): void {
    const ratios = resolveAllocationRatios(this.recordValue, this.configured);
    this.full.setRecordFields(this.recordValue, ratios);
    this.free.setRecordFields(this.recordValue, ratios);
    this.fieldsDirty = true;
  }
}

function sameList(a: readonly Instance[], b: readonly Instance[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** States allocated ahead of their nodes, by record index (see `allocateStates`). */
export interface AllocatedStates {
  readonly full: readonly (NodeHostState | undefined)[];
  readonly free: readonly (NodeHostState | undefined)[];
}

/**
 * The two states of each of `records` where `wanted` is true, allocated in
 * one run: first every `full` state, then every `free` one, held in two
 * arrays in record order (the order the garbage collector also copies them
 * in). States that the filters (free) or the weighers (full) read one after
 * the other then lie side by side in memory, which the CPU's prefetcher
 * streams; allocated node by node they would lie a node's other objects apart.
 */
export function allocateStates(
  records: readonly ComputeNode[],
  wanted: readonly boolean[],
): AllocatedStates {
  const full = new Array<NodeHostState | undefined>(records.length);
  const free = new Array<NodeHostState | undefined>(records.length);
  for (let i = 0; i < records.length; i++) {
    if (wanted[i] !== true) continue;
    const r = records[i] as ComputeNode;
    full[i] = new NodeHostState(r.host, r.hypervisorHostname, 'full');
  }
  for (let i = 0; i < records.length; i++) {
    if (wanted[i] !== true) continue;
    const r = records[i] as ComputeNode;
    free[i] = new NodeHostState(r.host, r.hypervisorHostname, 'free');
  }
  return { full, free };
}
