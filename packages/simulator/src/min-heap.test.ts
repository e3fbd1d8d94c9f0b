import { describe, expect, it } from 'vitest';
import { seededRandom } from '@opie/core';
import { MinHeap } from './min-heap.js';
import type { HeapItem } from './min-heap.js';

interface Item extends HeapItem {
  name: string;
}

const item = (key: number, seq: number, name = `${key}/${seq}`): Item => ({
  key,
  seq,
  heapIndex: -1,
  name,
});

describe('MinHeap', () => {
  it('pops by key, then by seq', () => {
    const heap = new MinHeap<Item>();
    for (const [k, s] of [
      [5, 0],
      [1, 3],
      [1, 1],
      [3, 2],
    ] as const)
      heap.push(item(k, s));
    expect(heap.size).toBe(4);
    expect(heap.peek()?.name).toBe('1/1');
    const out: string[] = [];
    for (let x = heap.pop(); x !== undefined; x = heap.pop()) out.push(x.name);
    expect(out).toEqual(['1/1', '1/3', '3/2', '5/0']);
    expect(heap.pop()).toBeUndefined();
  });

  it('removes any item and stays ordered (randomised against a sort)', () => {
    const random = seededRandom(9);
    const heap = new MinHeap<Item>();
    const live = new Set<Item>();
    for (let i = 0; i < 2000; i++) {
      const it = item(Math.floor(random() * 100), i);
      heap.push(it);
      live.add(it);
      if (random() < 0.3) {
        const victim = [...live][Math.floor(random() * live.size)]!;
        expect(heap.remove(victim)).toBe(true);
        expect(victim.heapIndex).toBe(-1);
        live.delete(victim);
      }
    }
    const expected = [...live].sort((a, b) => a.key - b.key || a.seq - b.seq).map((i) => i.name);
    const out: string[] = [];
    for (let x = heap.pop(); x !== undefined; x = heap.pop()) out.push(x.name);
    expect(out).toEqual(expected);
  });

  it('does not remove an item it does not hold', () => {
    const heap = new MinHeap<Item>();
    const a = item(1, 0);
    expect(heap.remove(a)).toBe(false);
    heap.push(a);
    heap.pop();
    expect(heap.remove(a)).toBe(false);
  });
});
