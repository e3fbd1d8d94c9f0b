/** What a `MinHeap` orders: by `key`, then `seq`; it keeps `heapIndex` up to date. */
export interface HeapItem {
  key: number;
  /** Tie-break: equal keys leave in `seq` order. */
  seq: number;
  /** Position in the heap, -1 when not in one. Maintained by the heap. */
  heapIndex: number;
}

function less(a: HeapItem, b: HeapItem): boolean {
  return a.key < b.key || (a.key === b.key && a.seq < b.seq);
}

/**
 * A binary min-heap whose items know their position, so any item can be
 * removed in O(log n) (a preempted instance's departure, for one).
 */
export class MinHeap<T extends HeapItem> {
  private readonly items: T[] = [];

  get size(): number {
    return this.items.length;
  }

  peek(): T | undefined {
    return this.items[0];
  }

  push(item: T): void {
    item.heapIndex = this.items.length;
    this.items.push(item);
    this.up(item.heapIndex);
  }

  pop(): T | undefined {
    const top = this.items[0];
    if (top !== undefined) this.removeAt(0);
    return top;
  }

  /** Removes `item` if this heap holds it. */
  remove(item: T): boolean {
    const i = item.heapIndex;
    if (i < 0 || this.items[i] !== item) return false;
    this.removeAt(i);
    return true;
  }

  private removeAt(i: number): void {
    const items = this.items;
    const gone = items[i] as T;
    const last = items.pop() as T;
    gone.heapIndex = -1;
    if (i === items.length) return;
    items[i] = last;
    last.heapIndex = i;
    this.down(i);
    this.up(last.heapIndex);
  }

  private up(i: number): void {
    const items = this.items;
    const item = items[i] as T;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = items[parent] as T;
      if (!less(item, p)) break;
      items[i] = p;
      p.heapIndex = i;
      i = parent;
    }
    items[i] = item;
    item.heapIndex = i;
  }

  private down(i: number): void {
    const items = this.items;
    const n = items.length;
    const item = items[i] as T;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      let c = l;
      if (r < n && less(items[r] as T, items[l] as T)) c = r;
      const child = items[c] as T;
      if (!less(child, item)) break;
      items[i] = child;
      child.heapIndex = i;
      i = c;
    }
    items[i] = item;
    item.heapIndex = i;
  }
}
