import type { HostState, HostView } from './host-state.js';
import { preemptibleInstancesOf } from './host-state.js';
import type { Aggregate, Limits } from './records.js';

/**
 * A group of host fields that many hosts share, interned to a small integer
 * per host so that a filter reading only those fields is evaluated once per
 * distinct value and request, not once per host:
 *
 * - `aggregates`: the host's aggregate list (membership and metadata);
 * - `image`: `supportedInstances` and `hypervisorVersion`;
 * - `host`: the host name (server-group and same/different-host checks).
 */
export type HostKeyKind = 'aggregates' | 'image' | 'host';

export const HOST_KEY_KINDS: readonly HostKeyKind[] = ['aggregates', 'image', 'host'];

/** Bits of `HostColumns.service`. */
export const SERVICE_PRESENT = 1;
export const SERVICE_DISABLED = 2;
export const SERVICE_FORCED_DOWN = 4;

/**
 * One view of every host as columns, indexed by a dense row number: what the
 * built-in filter and weigher kernels read instead of `HostState` objects.
 * Row `i` describes `states[i]` exactly (the same numbers); the host manager
 * keeps both up to date in place. Read-only to kernels.
 */
export interface HostColumns {
  readonly view: HostView;
  /** Rows in use: `states.length`. */
  readonly size: number;
  /** The object view of each row (for scalar plugins and explanations). */
  readonly states: readonly HostState[];
  readonly freeRamMb: Float64Array;
  readonly freeDiskMb: Float64Array;
  readonly vcpusUsed: Float64Array;
  readonly numInstances: Float64Array;
  readonly numIoOps: Float64Array;
  /** Preemptible instances on the host (`preemptibleInstancesOf(state).length`). */
  readonly numPreemptible: Float64Array;
  readonly totalUsableRamMb: Float64Array;
  readonly totalUsableDiskGb: Float64Array;
  readonly vcpusTotal: Float64Array;
  readonly ramAllocationRatio: Float64Array;
  readonly cpuAllocationRatio: Float64Array;
  readonly diskAllocationRatio: Float64Array;
  /** `SERVICE_*` bits of the host's compute service. */
  readonly service: Uint8Array;
  /** Epoch ms of the service's last heartbeat (`lastSeenUp ?? updatedAt ?? createdAt`), NaN if none. */
  readonly heartbeat: Float64Array;
  /** The interned key of each row for `kind`. */
  key(kind: HostKeyKind): Int32Array;
  /** How many distinct keys of `kind` exist (every key is below it). */
  keyCount(kind: HostKeyKind): number;
  /** The key of a host name (`kind` `host`), -1 when no row has it. */
  hostKeyOf(name: string): number;
}

/**
 * What a filter writes into `limits` of a host it passes, declared so that a
 * batch path can know a host's limits without running the filter on it:
 * `ratio` is the host's total times its allocation ratio, computed as those
 * filters do (RamFilter: `total * ratio`; DiskFilter: `total * 1024 * ratio /
 * 1024`; CoreFilter: `total * ratio`, only when above 0), `constant` a
 * configured maximum (NumInstancesFilter, IoOpsFilter).
 * A filter that writes limits and declares nothing is run on the host itself
 * whenever its limits are needed.
 */
export type LimitDeclaration =
  | { readonly resource: 'memoryMb' | 'diskGb' | 'vcpu'; readonly kind: 'ratio' }
  | {
      readonly resource: 'numInstances' | 'ioOps';
      readonly kind: 'constant';
      readonly value: number;
    };

/** The `limits` key a declaration sets. */
export type LimitKey = keyof Limits & LimitDeclaration['resource'];

/**
 * Why a filter rejected a host, as data (like the Kubernetes scheduler's
 * `InsufficientResource`): the explanation, NoValidHost messages and the CLI
 * read this. `resource` is absent for non-resource checks.
 */
export interface FilterRejection {
  /** The filter's name, e.g. `RamFilter`. */
  filter: string;
  resource?: 'memory_mb' | 'disk_mb' | 'vcpu' | 'instances' | 'io_ops';
  /** What the request asks for, in the resource's unit. */
  requested?: number;
  /** What the host has left for it (limit minus used). */
  available?: number;
  /** The host's limit (total times ratio, or the configured maximum). */
  limit?: number;
  /** A short human reason, e.g. `not in availability zone az1`. */
  reason: string;
}

/** Row writer behind `HostColumns`: typed arrays that grow, and the interned keys. */
export class HostColumnSet implements HostColumns {
  readonly view: HostView;
  size = 0;
  states: HostState[] = [];
  freeRamMb = new Float64Array(0);
  freeDiskMb = new Float64Array(0);
  vcpusUsed = new Float64Array(0);
  numInstances = new Float64Array(0);
  numIoOps = new Float64Array(0);
  numPreemptible = new Float64Array(0);
  totalUsableRamMb = new Float64Array(0);
  totalUsableDiskGb = new Float64Array(0);
  vcpusTotal = new Float64Array(0);
  ramAllocationRatio = new Float64Array(0);
  cpuAllocationRatio = new Float64Array(0);
  diskAllocationRatio = new Float64Array(0);
  service = new Uint8Array(0);
  heartbeat = new Float64Array(0);
  readonly #keys: Record<HostKeyKind, Int32Array> = {
    aggregates: new Int32Array(0),
    image: new Int32Array(0),
    host: new Int32Array(0),
  };
  readonly #interner: KeyInterner;

  constructor(view: HostView, interner: KeyInterner = new KeyInterner()) {
    this.view = view;
    this.#interner = interner;
  }

  key(kind: HostKeyKind): Int32Array {
    return this.#keys[kind];
  }

  keyCount(kind: HostKeyKind): number {
    return this.#interner.count(kind);
  }

  hostKeyOf(name: string): number {
    return this.#interner.lookup('host', name);
  }

  /** Makes room for `size` rows (existing rows kept) and sets `size`. */
  resize(size: number): void {
    if (size > this.freeRamMb.length) {
      const cap = Math.max(size, Math.ceil(this.freeRamMb.length * 1.5), 16);
      this.freeRamMb = grow(this.freeRamMb, cap);
      this.freeDiskMb = grow(this.freeDiskMb, cap);
      this.vcpusUsed = grow(this.vcpusUsed, cap);
      this.numInstances = grow(this.numInstances, cap);
      this.numIoOps = grow(this.numIoOps, cap);
      this.numPreemptible = grow(this.numPreemptible, cap);
      this.totalUsableRamMb = grow(this.totalUsableRamMb, cap);
      this.totalUsableDiskGb = grow(this.totalUsableDiskGb, cap);
      this.vcpusTotal = grow(this.vcpusTotal, cap);
      this.ramAllocationRatio = grow(this.ramAllocationRatio, cap);
      this.cpuAllocationRatio = grow(this.cpuAllocationRatio, cap);
      this.diskAllocationRatio = grow(this.diskAllocationRatio, cap);
      this.heartbeat = grow(this.heartbeat, cap);
      const service = new Uint8Array(cap);
      service.set(this.service);
      this.service = service;
      for (const kind of HOST_KEY_KINDS) {
        const next = new Int32Array(cap);
        next.set(this.#keys[kind]);
        this.#keys[kind] = next;
      }
    }
    this.size = size;
    this.states.length = size;
  }

  /** Row `i` := `state`'s usage numbers (what claims and releases change). */
  writeUsage(i: number, state: HostState): void {
    this.freeRamMb[i] = state.freeRamMb;
    this.freeDiskMb[i] = state.freeDiskMb;
    this.vcpusUsed[i] = state.vcpusUsed;
    this.numInstances[i] = state.numInstances;
    this.numIoOps[i] = state.numIoOps;
    this.numPreemptible[i] = (state.preemptibleInstances ?? preemptibleInstancesOf(state)).length;
  }

  /** Row `i` := `state`, every column. */
  writeRow(i: number, state: HostState): void {
    this.states[i] = state;
    this.writeUsage(i, state);
    this.totalUsableRamMb[i] = state.totalUsableRamMb;
    this.totalUsableDiskGb[i] = state.totalUsableDiskGb;
    this.vcpusTotal[i] = state.vcpusTotal;
    this.ramAllocationRatio[i] = state.ramAllocationRatio;
    this.cpuAllocationRatio[i] = state.cpuAllocationRatio;
    this.diskAllocationRatio[i] = state.diskAllocationRatio;
    this.writeService(i, state);
    this.writeKeys(i, state);
  }

  writeService(i: number, state: HostState): void {
    const s = state.service;
    if (s === undefined) {
      this.service[i] = 0;
      this.heartbeat[i] = NaN;
      return;
    }
    this.service[i] =
      SERVICE_PRESENT |
      (s.disabled ? SERVICE_DISABLED : 0) |
      (s.forcedDown === true ? SERVICE_FORCED_DOWN : 0);
    this.heartbeat[i] = s.lastSeenUp ?? s.updatedAt ?? s.createdAt ?? NaN;
  }

  writeKeys(i: number, state: HostState): void {
    const interner = this.#interner;
    this.#keys.aggregates[i] = interner.aggregates(state.aggregates);
    this.#keys.image[i] = interner.image(state);
    this.#keys.host[i] = interner.intern('host', state.host);
  }
}

function grow(a: Float64Array, cap: number): Float64Array<ArrayBuffer> {
  const next = new Float64Array(cap);
  next.set(a);
  return next;
}

/**
 * Interns the shared host fields of `HostKeyKind` to small integers. Records
 * are treated as immutable values: an aggregate object is identified by
 * identity (a changed aggregate is a new object from the source).
 */
export class KeyInterner {
  readonly #ids: Record<HostKeyKind, Map<string, number>> = {
    aggregates: new Map(),
    image: new Map(),
    host: new Map(),
  };
  readonly #aggregateIds = new WeakMap<Aggregate, number>();
  readonly #listIds = new WeakMap<readonly Aggregate[], number>();
  readonly #imageIds = new WeakMap<object, Map<number | undefined, number>>();
  #nextAggregate = 0;

  count(kind: HostKeyKind): number {
    return this.#ids[kind].size;
  }

  /** The id of `text` for `kind`, -1 when it was never interned. */
  lookup(kind: HostKeyKind, text: string): number {
    return this.#ids[kind].get(text) ?? -1;
  }

  intern(kind: HostKeyKind, text: string): number {
    const ids = this.#ids[kind];
    let id = ids.get(text);
    if (id === undefined) {
      id = ids.size;
      ids.set(text, id);
    }
    return id;
  }

  aggregates(list: readonly Aggregate[]): number {
    const known = this.#listIds.get(list);
    if (known !== undefined) return known;
    let text = '';
    for (const agg of list) {
      let id = this.#aggregateIds.get(agg);
      if (id === undefined) {
        id = this.#nextAggregate++;
        this.#aggregateIds.set(agg, id);
      }
      text += `${id},`;
    }
    const id = this.intern('aggregates', text);
    this.#listIds.set(list, id);
    return id;
  }

  image(state: HostState): number {
    // Records share their supported-instances lists rarely by identity, but
    // re-reading a record keeps its list: remember the key per list object.
    const version = state.hypervisorVersion;
    const list = state.supportedInstances;
    let byVersion = this.#imageIds.get(list);
    const known = byVersion?.get(version);
    if (known !== undefined) return known;
    const id = this.intern('image', `${version ?? ''}|${JSON.stringify(list)}`);
    if (byVersion === undefined) {
      byVersion = new Map();
      this.#imageIds.set(list, byVersion);
    }
    byVersion.set(version, id);
    return id;
  }
}

/** Columns of `states` (a driver's fallback when its host manager keeps none). */
export function columnsOf(states: readonly HostState[], view: HostView): HostColumns {
  const cols = new HostColumnSet(view);
  cols.resize(states.length);
  for (let i = 0; i < states.length; i++) cols.writeRow(i, states[i] as HostState);
  return cols;
}
