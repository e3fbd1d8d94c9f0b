import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { allocateCopies } from './joint-allocation.js';

const RUNS = Number(process.env['OPIE_PROPERTY_RUNS'] ?? 300);

/** Every allocation of `copies` over the curves, in lexicographic order of counts, descending. */
function allocations(curves: number[][], copies: number): number[][] {
  const out: number[][] = [];
  const walk = (h: number, left: number, acc: number[]): void => {
    if (h === curves.length) {
      if (left === 0) out.push([...acc]);
      return;
    }
    const most = Math.min(left, (curves[h] as number[]).length - 1);
    for (let k = most; k >= 0; k--) walk(h + 1, left - k, [...acc, k]);
  };
  walk(0, copies, []);
  return out;
}

const costOf = (curves: number[][], counts: number[]) =>
  counts.reduce((s, k, h) => s + (curves[h] as number[])[k]!, 0);

describe('allocateCopies', () => {
  it('one victim set frees room for all 4 copies on one host: 4 copies there, not 1 on each', () => {
    // The worst case: one victim (cost 1) on host 0 makes room for 4 copies; hosts 1-3
    // each need one victim per copy. Per instance: 1 + 1 + 1 + 1 = 4; jointly: 1.
    const curves = [
      [0, 1, 1, 1, 1],
      [0, 1, 2],
      [0, 1, 2],
      [0, 1, 2],
    ];
    expect(allocateCopies(curves, 4)).toEqual({ counts: [4, 0, 0, 0], cost: 1 });
  });

  it('null when the hosts cannot take every copy', () => {
    expect(
      allocateCopies(
        [
          [0, 1],
          [0, 2, 3],
        ],
        4,
      ),
    ).toBeNull();
    expect(allocateCopies([], 1)).toBeNull();
  });

  it('equal costs: more copies on the better-weighed hosts', () => {
    // Both 2 + 0 and 1 + 1 cost 2: the first host takes both.
    expect(
      allocateCopies(
        [
          [0, 1, 2],
          [0, 1, 2],
        ],
        2,
      )?.counts,
    ).toEqual([2, 0]);
  });

  it('is the least-cost allocation, ties broken towards the first hosts (brute force)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 0, maxLength: 5 }), {
          minLength: 1,
          maxLength: 4,
        }),
        fc.integer({ min: 1, max: 6 }),
        (raw, copies) => {
          // Curves start at 0 and never decrease (a set freeing room for k copies frees it
          // for k - 1).
          const curves = raw.map((steps) => {
            const c = [0];
            for (const s of steps) c.push((c[c.length - 1] as number) + s);
            return c;
          });
          const all = allocations(curves, copies);
          const result = allocateCopies(curves, copies);
          if (all.length === 0) {
            expect(result).toBeNull();
            return;
          }
          const least = Math.min(...all.map((a) => costOf(curves, a)));
          // `all` is in descending lexicographic order: the first optimal one is the tie-break.
          const expected = all.find((a) => costOf(curves, a) === least);
          expect(result).toEqual({ counts: expected, cost: least });
        },
      ),
      { numRuns: RUNS },
    );
  });
});
