/**
 * The indices of `values` (all finite) in stable descending order: what a
 * stable sort by `b - a` gives (equal values, `-0` and `+0` included, keep
 * their input order), without a comparator call per comparison.
 *
 * Each value becomes a 64-bit key (`hi`, `lo` words) that orders like the
 * values reversed. An LSD radix sort (11 bits a pass) orders by `hi`; runs of
 * equal `hi` (values equal in their top 32 bits) are then ordered by `lo`,
 * by insertion when short, else by radix passes over `lo` for the whole list.
 * The buffers are reused across calls: the result is valid until the next call.
 */
export function descendingOrder(values: Float64Array): Uint32Array {
  const n = values.length;
  const { bits, words, lo, hi, a, b, counts } = scratchFor(n);
  for (let i = 0; i < n; i++) bits[i] = (values[i] as number) + 0; // -0 -> +0
  const loAt = LITTLE_ENDIAN ? 0 : 1;
  const hiAt = 1 - loAt;
  // Negatives keep their bits, the rest flip all but the sign: ascending keys
  // are descending values.
  for (let i = 0; i < n; i++) {
    let l = words[2 * i + loAt] as number;
    let h = words[2 * i + hiAt] as number;
    if (h >>> 31 === 0) {
      h = (h ^ 0x7fffffff) >>> 0;
      l = ~l >>> 0;
    }
    lo[i] = l;
    hi[i] = h;
  }
  for (let i = 0; i < n; i++) a[i] = i;
  const byHi = radixPasses(hi, a, b, counts);
  if (orderRuns(hi, lo, byHi)) return byHi;
  // Long runs out of `lo` order: a full LSD sort, `lo` then `hi` (stable).
  for (let i = 0; i < n; i++) a[i] = i;
  const byLo = radixPasses(lo, a, b, counts);
  return radixPasses(hi, byLo, byLo === a ? b : a, counts);
}

interface Scratch {
  bits: Float64Array;
  words: Uint32Array;
  lo: Uint32Array;
  hi: Uint32Array;
  a: Uint32Array;
  b: Uint32Array;
  counts: Uint32Array;
}

let scratch: Scratch | undefined;

/** Buffers of exactly `n` entries (views of buffers kept for the largest `n` seen). */
function scratchFor(n: number): Scratch {
  if (scratch === undefined || scratch.lo.length < n) {
    const size = Math.max(n, 64);
    const bits = new Float64Array(size);
    scratch = {
      bits,
      words: new Uint32Array(bits.buffer),
      lo: new Uint32Array(size),
      hi: new Uint32Array(size),
      a: new Uint32Array(size),
      b: new Uint32Array(size),
      counts: new Uint32Array(3 * RADIX),
    };
  }
  const s = scratch;
  if (s.lo.length === n) return s;
  return {
    bits: s.bits.subarray(0, n),
    words: s.words.subarray(0, 2 * n),
    lo: s.lo.subarray(0, n),
    hi: s.hi.subarray(0, n),
    a: s.a.subarray(0, n),
    b: s.b.subarray(0, n),
    counts: s.counts,
  };
}

const DIGIT = 11;
const RADIX = 1 << DIGIT;
const MASK = RADIX - 1;
/** Runs of equal `hi` longer than this are not insertion-sorted. */
const MAX_INSERTION_RUN = 32;

/**
 * `order` stably sorted by `keys` (three passes of 11 bits, a pass skipped
 * when every key has the same digit); returns `order` or `spare`, whichever
 * holds the result (the other is overwritten).
 */
function radixPasses(
  keys: Uint32Array,
  order: Uint32Array,
  spare: Uint32Array,
  counts: Uint32Array,
): Uint32Array {
  const n = order.length;
  counts.fill(0);
  for (let i = 0; i < n; i++) {
    const k = keys[i] as number;
    bump(counts, k & MASK);
    bump(counts, RADIX + ((k >>> DIGIT) & MASK));
    bump(counts, 2 * RADIX + (k >>> (2 * DIGIT)));
  }
  let from = order;
  let to = spare;
  for (let pass = 0; pass < 3; pass++) {
    const base = pass * RADIX;
    const shift = pass * DIGIT;
    let skip = false;
    let sum = 0;
    for (let d = 0; d < RADIX; d++) {
      const c = counts[base + d] as number;
      if (c === n) {
        skip = true; // every key has this digit: the pass changes nothing
        break;
      }
      counts[base + d] = sum;
      sum += c;
    }
    if (skip) continue;
    for (let j = 0; j < n; j++) {
      const i = from[j] as number;
      const at = base + (((keys[i] as number) >>> shift) & MASK);
      const to_ = counts[at] as number;
      counts[at] = to_ + 1;
      to[to_] = i;
    }
    const t = from;
    from = to;
    to = t;
  }
  return from;
}

/**
 * Orders each run of equal `hi` in `order` by `lo`, stably, by insertion;
 * false (with `order` partly reordered) when a run longer than
 * `MAX_INSERTION_RUN` is not already in `lo` order.
 */
function orderRuns(hi: Uint32Array, lo: Uint32Array, order: Uint32Array): boolean {
  const n = order.length;
  let s = 0;
  while (s < n) {
    const h = hi[order[s] as number] as number;
    let e = s + 1;
    let sorted = true;
    let prev = lo[order[s] as number] as number;
    while (e < n && hi[order[e] as number] === h) {
      const l = lo[order[e] as number] as number;
      if (l < prev) sorted = false;
      prev = l;
      e++;
    }
    if (!sorted) {
      if (e - s > MAX_INSERTION_RUN) return false;
      for (let j = s + 1; j < e; j++) {
        const i = order[j] as number;
        const l = lo[i] as number;
        let p = j;
        while (p > s && (lo[order[p - 1] as number] as number) > l) {
          order[p] = order[p - 1] as number;
          p--;
        }
        order[p] = i;
      }
    }
    s = e;
  }
  return true;
}

function bump(counts: Uint32Array, at: number): void {
  counts[at] = (counts[at] as number) + 1;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
