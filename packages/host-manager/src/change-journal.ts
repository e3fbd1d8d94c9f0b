import type { HostSourceChanges } from './host-source.js';

const NODE = 1;
const INVENTORY = 2;
const SERVICES = 4;
const AGGREGATES = 8;

const NO_KEYS: ReadonlySet<string> = new Set<string>();
const NOTHING: HostSourceChanges = Object.freeze({
  nodes: NO_KEYS,
  inventory: false,
  services: false,
  aggregates: false,
});

/** Default number of entries a `ChangeJournal` keeps. */
export const DEFAULT_JOURNAL_CAPACITY = 4096;

/**
 * A bounded journal of what changed in a versioned `HostSource`, from which
 * it answers `changesSince`: a ring of the last `capacity` changes (a node
 * key and flags, each stamped with the source version it made). A reader
 * further behind than the ring reaches gets `undefined` (re-read whole).
 * Recording is O(1) and allocates nothing.
 */
export class ChangeJournal {
  readonly capacity: number;
  private readonly versions: Float64Array;
  private readonly keys: (string | undefined)[];
  private readonly flags: Uint8Array;
  /** Entries ever written; the newest is at `(written - 1) % capacity`. */
  private written = 0;
  /** Changes at or below this version may be missing (dropped or not recorded). */
  private forgottenUpTo: number;

  /**
   * @param capacity entries kept (at least 1; default 4096)
   * @param version the source's version now: changes up to it are not known
   */
  constructor(capacity: number = DEFAULT_JOURNAL_CAPACITY, version = 0) {
    this.capacity = Math.max(1, Math.floor(capacity));
    this.versions = new Float64Array(this.capacity);
    this.keys = new Array<string | undefined>(this.capacity).fill(undefined);
    this.flags = new Uint8Array(this.capacity);
    this.forgottenUpTo = version;
  }

  /** The compute record or the instances of node `key` (a `hostKey`) changed at `version`. */
  node(version: number, key: string): void {
    this.record(version, key, NODE);
  }

  /** Node `key` was added or removed at `version` (inventory order changed). */
  inventory(version: number, key: string): void {
    this.record(version, key, NODE | INVENTORY);
  }

  /** A service record changed at `version`. */
  services(version: number): void {
    this.record(version, undefined, SERVICES);
  }

  /** An aggregate changed at `version`. */
  aggregates(version: number): void {
    this.record(version, undefined, AGGREGATES);
  }

  /** Forgets every change: readers behind `version` re-read whole. */
  reset(version: number): void {
    this.forgottenUpTo = Math.max(this.forgottenUpTo, version);
  }

  /**
   * What changed after `since` up to `current` (the source's version now),
   * or `undefined` when the journal cannot tell: `since` is before what it
   * keeps, or after `current`.
   */
  changesSince(since: number, current: number): HostSourceChanges | undefined {
    if (since === current) return NOTHING;
    if (since > current || since < this.forgottenUpTo) return undefined;
    const nodes = new Set<string>();
    let inventory = false;
    let services = false;
    let aggregates = false;
    const { capacity } = this;
    const oldest = Math.max(0, this.written - capacity);
    for (let n = this.written - 1; n >= oldest; n--) {
      const i = n % capacity;
      if ((this.versions[i] as number) <= since) break;
      const f = this.flags[i] as number;
      if ((f & NODE) !== 0) nodes.add(this.keys[i] as string);
      if ((f & INVENTORY) !== 0) inventory = true;
      if ((f & SERVICES) !== 0) services = true;
      if ((f & AGGREGATES) !== 0) aggregates = true;
    }
    return { nodes, inventory, services, aggregates };
  }

  private record(version: number, key: string | undefined, flags: number): void {
    const i = this.written % this.capacity;
    if (this.written >= this.capacity) {
      // The entry overwritten here is dropped: readers at or before it re-read whole.
      this.forgottenUpTo = Math.max(this.forgottenUpTo, this.versions[i] as number);
    }
    this.versions[i] = version;
    this.keys[i] = key;
    this.flags[i] = flags;
    this.written += 1;
  }
}
