/**
 * How many copies of a request each host takes so that the total cost is
 * least: hosts `h` (best-weighed first) with a cost curve `curves[h][k]`, the
 * least victim cost for `k` copies on `h` (`curves[h][0]` is 0; the curve
 * stops where `h` cannot take more). Minimises `Σ curves[h][k_h]` subject to
 * `Σ k_h = copies`, exactly: a dynamic programme over hosts, O(H · copies²).
 *
 * Ties (costs within a relative 1e-9) go to more copies on better-weighed
 * hosts: at the first host, the most copies among the least-cost
 * allocations, then the same at the next, so the result is deterministic and
 * follows the weighed order. Returns `null` when the hosts cannot take
 * `copies` between them.
 */
export function allocateCopies(
  curves: readonly (readonly number[])[],
  copies: number,
): { counts: number[]; cost: number } | null {
  const H = curves.length;
  // best[h][m]: least cost of placing m copies on hosts h.. (Infinity: impossible).
  const best: Float64Array[] = Array.from({ length: H + 1 }, () =>
    new Float64Array(copies + 1).fill(Number.POSITIVE_INFINITY),
  );
  (best[H] as Float64Array)[0] = 0;
  for (let h = H - 1; h >= 0; h--) {
    const curve = curves[h] as readonly number[];
    const row = best[h] as Float64Array;
    const next = best[h + 1] as Float64Array;
    for (let m = 0; m <= copies; m++) {
      let least = Number.POSITIVE_INFINITY;
      for (let k = 0; k <= m && k < curve.length; k++) {
        const cost = (curve[k] as number) + (next[m - k] as number);
        if (cost < least) least = cost;
      }
      row[m] = least;
    }
  }
  const total = (best[0] as Float64Array)[copies] as number;
  if (!Number.isFinite(total)) return null;
  const counts: number[] = [];
  let left = copies;
  for (let h = 0; h < H; h++) {
    const curve = curves[h] as readonly number[];
    const target = (best[h] as Float64Array)[left] as number;
    const next = best[h + 1] as Float64Array;
    let chosen = 0;
    for (let k = Math.min(left, curve.length - 1); k >= 0; k--) {
      const cost = (curve[k] as number) + (next[left - k] as number);
      if (cost <= target + 1e-9 * Math.max(1, Math.abs(target))) {
        chosen = k;
        break;
      }
    }
    counts.push(chosen);
    left -= chosen;
  }
  return { counts, cost: total };
}
