import { describe, expect, it } from 'vitest';
import { vm } from './__fixtures__/two-hosts.js';
import { ReorderBuffer } from './reorder-buffer.js';

describe('ReorderBuffer', () => {
  it('sorts rows within the window, equal arrivals in file order', () => {
    const buffer = new ReorderBuffer(2);
    const out: string[] = [];
    for (const row of [
      vm('a', 5, 1, 1, false),
      vm('b', 3, 1, 1, false),
      vm('c', 3, 1, 1, false),
      vm('d', 9, 1, 1, false),
    ]) {
      expect(buffer.isLate(row)).toBe(false);
      const released = buffer.push(row);
      if (released !== undefined) out.push(released.id ?? '');
    }
    for (const row of buffer.drain()) out.push(row.id ?? '');
    expect(out).toEqual(['b', 'c', 'a', 'd']);
  });

  it('calls a row late when it is earlier than one already let out', () => {
    const buffer = new ReorderBuffer(1);
    buffer.push(vm('a', 10, 1, 1, false));
    buffer.push(vm('b', 20, 1, 1, false)); // lets a (10) out
    expect(buffer.lastArrival).toBe(10);
    expect(buffer.isLate(vm('c', 9, 1, 1, false))).toBe(true);
    expect(buffer.isLate(vm('d', 10, 1, 1, false))).toBe(false);
  });

  it('lets every row out at once with a window of 0', () => {
    const buffer = new ReorderBuffer(0);
    expect(buffer.push(vm('a', 1, 1, 1, false))?.id).toBe('a');
    expect([...buffer.drain()]).toEqual([]);
  });
});
