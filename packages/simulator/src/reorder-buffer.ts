import { MinHeap } from './min-heap.js';
import type { HeapItem } from './min-heap.js';
import type { TraceRow } from './trace-row.js';

interface Held extends HeapItem {
  row: TraceRow;
}

/**
 * Puts slightly out-of-order rows back in arrival order, holding at most
 * `window` rows (memory stays bounded). A row earlier than one already let
 * out is late: the caller reports it as a bad row. Equal arrivals keep their
 * file order. A window of 0 lets every row out at once (sorted input only).
 */
export class ReorderBuffer {
  private readonly heap = new MinHeap<Held>();
  private seq = 0;
  private lastOut = -Infinity;

  constructor(readonly window: number) {}

  /** The arrival of the latest row let out (rows before it are late). */
  get lastArrival(): number {
    return this.lastOut;
  }

  isLate(row: TraceRow): boolean {
    return row.arrival < this.lastOut;
  }

  /** Holds `row` (not late); returns the row let out to make room, if any. */
  push(row: TraceRow): TraceRow | undefined {
    this.heap.push({ key: row.arrival, seq: this.seq++, heapIndex: -1, row });
    if (this.heap.size <= this.window) return undefined;
    return this.take();
  }

  /** Lets out every held row, in order. */
  *drain(): Generator<TraceRow> {
    for (;;) {
      const row = this.take();
      if (row === undefined) return;
      yield row;
    }
  }

  private take(): TraceRow | undefined {
    const held = this.heap.pop();
    if (held === undefined) return undefined;
    this.lastOut = held.key;
    return held.row;
  }
}
