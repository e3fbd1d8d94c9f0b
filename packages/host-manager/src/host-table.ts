import type { HostColumns, HostView } from '@opie/core';
import { HostColumnSet, KeyInterner } from '@opie/core';
import type { NodeHostState } from './host-state.js';

/** What the table needs of a node: its two states and its row. */
export interface TableNode {
  readonly full: NodeHostState;
  readonly free: NodeHostState;
  row: number;
}

/**
 * The host manager's columnar materialisation of both views: one row per
 * node in inventory order, numeric state in typed arrays and the shared
 * string fields interned (see `HostColumns`). The views' definition (a pure
 * function of the record, the instances and this scheduler's deltas) stays
 * the contract; the table is written from the two state objects whenever a
 * node's views are recomputed, so it never disagrees with them.
 *
 * Layout: `full` and `free` are two `HostColumnSet`s of equal size sharing
 * one interner, so a key means the same in both views.
 */
export class HostTable {
  readonly full: HostColumnSet;
  readonly free: HostColumnSet;

  constructor() {
    const interner = new KeyInterner();
    this.full = new HostColumnSet('full', interner);
    this.free = new HostColumnSet('free', interner);
  }

  view(view: HostView): HostColumns {
    return view === 'full' ? this.full : this.free;
  }

  /** Rows := `order` (row numbers assigned), every column written. */
  rebuild(order: readonly TableNode[]): void {
    this.full.resize(order.length);
    this.free.resize(order.length);
    for (let i = 0; i < order.length; i++) {
      const node = order[i] as TableNode;
      node.row = i;
      this.full.writeRow(i, node.full);
      this.free.writeRow(i, node.free);
    }
  }

  /** A node's usage numbers changed (a claim, a release, new instances). */
  writeUsage(node: TableNode): void {
    if (node.row < 0) return;
    this.full.writeUsage(node.row, node.full);
    this.free.writeUsage(node.row, node.free);
  }

  /** Only a node's service changed (a heartbeat, say). */
  writeService(node: TableNode): void {
    if (node.row < 0) return;
    this.full.writeService(node.row, node.full);
    this.free.writeService(node.row, node.free);
  }

  /** A node's record or aggregates changed. */
  writeRow(node: TableNode): void {
    if (node.row < 0) return;
    this.full.writeRow(node.row, node.full);
    this.free.writeRow(node.row, node.free);
  }
}
