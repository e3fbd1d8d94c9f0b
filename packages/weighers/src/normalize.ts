/**
 * Maps raw weights onto `[0, 1]` between `minval` and `maxval`. A bound not
 * given is taken from the values (their minimum or maximum). When the bounds
 * are equal every value becomes 0. There is no clamping: a value outside the
 * bounds maps outside `[0, 1]` (nova/weights.py).
 * @see nova/weights.py normalize
 */
export function normalize(values: readonly number[], minval?: number, maxval?: number): number[] {
  if (values.length === 0) return [];
  let lo = minval;
  let hi = maxval;
  if (lo === undefined || hi === undefined) {
    // Python's min()/max(): start at the first item, replace on a strict `<` / `>`.
    let first = true;
    let seenLo = 0;
    let seenHi = 0;
    for (const v of values) {
      if (first) {
        seenLo = v;
        seenHi = v;
        first = false;
      } else if (v < seenLo) seenLo = v;
      else if (v > seenHi) seenHi = v;
    }
    lo ??= seenLo;
    hi ??= seenHi;
  }
  if (lo === hi) return values.map(() => 0);
  const range = hi - lo;
  const low = lo;
  return values.map((v) => (v - low) / range);
}
