import type { FilterRequest, HostState, HostWeigher, WeightTerm } from '@opie/core';
import { OpieError, PluginFailedError } from '@opie/core';
import { descendingOrder } from './descending-order.js';

/** A host with its total weight and, when explained, each weigher's part in it. */
export interface WeighedHost {
  host: HostState;
  weight: number;
  /** One term per weigher, in weigher order; empty when not explained or not weighed. */
  terms: WeightTerm[];
}

export interface WeighOptions {
  /**
   * Build `terms` for every host (default `true`). Pass `false` on the hot
   * path: every host then shares one frozen empty `terms` array.
   */
  explain?: boolean;
  /**
   * Return only the best `limit` hosts (a whole number >= 0), exactly the
   * first `limit` of the full result. Ignored when explaining. Picked in one
   * pass without sorting every host, and only the returned hosts get a
   * `WeighedHost`: the scheduler's hot path passes `host_subset_size`.
   */
  limit?: number;
}

export const NO_TERMS = Object.freeze([]) as readonly WeightTerm[] as WeightTerm[];

/**
 * Weighs `hosts` with every weigher and sorts them best first (nova/weights.py).
 *
 * With 0 or 1 hosts no weigher runs and the hosts come back with weight 0.
 * Otherwise, for each weigher in order: raw weights in host order; bounds
 * start at the weigher's `minval` / `maxval` when set, else at the first raw
 * weight, and are widened by raw weights beyond them; each host gains
 * `multiplier * (raw - min) / (max - min)` (0 when `min === max`). The final
 * sort is by weight, descending and stable (ties keep the input order).
 *
 * The bounds are computed per call, as nova does since Victoria (bug
 * 1870096); Liberty kept them on the weigher across requests (nova/weights.py).
 * Raw weights outside the bounds are not clamped, unless the weigher follows
 * nova Zed (`clampRaw`): then each is first clamped into the class bounds
 * that are set. A weigher with `multiplierFor` (Zed: aggregate metadata
 * multipliers) gives each host its own multiplier.
 * @see nova/weights.py BaseWeightHandler.get_weighed_objects
 * @see nova/weights.py (stable/zed) BaseWeigher.weigh_objects
 */
export function weighHosts(
  weighers: readonly HostWeigher[],
  hosts: readonly HostState[],
  request: FilterRequest,
  options: WeighOptions = {},
): WeighedHost[] {
  if (options.explain !== false) return weighExplained(weighers, hosts, request);
  const n = hosts.length;
  const limit = options.limit;
  const k = limit === undefined || !(limit < n) ? n : Math.max(0, Math.floor(limit));
  if (k === 0) return [];
  if (n < 2) return hosts.map((host) => ({ host, weight: 0, terms: NO_TERMS }));
  const totals = sharedTotals(n);
  totalWeights(weighers, hosts, request, totals);
  if (k < n && !hasNaN(totals)) return best(hosts, totals, k);
  const weighed: WeighedHost[] = [];
  if (allFinite(totals)) {
    // The stable descending order by a radix sort of the weights' bits: the
    // same order as the comparator sort below, without 10^5 comparator calls.
    const order = descendingOrder(totals);
    for (let j = 0; j < k; j++) {
      const i = order[j] as number;
      weighed.push({ host: hosts[i] as HostState, weight: totals[i] as number, terms: NO_TERMS });
    }
    return weighed;
  }
  for (let i = 0; i < n; i++) {
    weighed.push({ host: hosts[i] as HostState, weight: totals[i] as number, terms: NO_TERMS });
  }
  // Array.prototype.sort is stable: equal weights keep the input order.
  weighed.sort(byWeightDescending);
  return k < n ? weighed.slice(0, k) : weighed;
}

export function allFinite(values: Float64Array): boolean {
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i])) return false;
  return true;
}

export function byWeightDescending(a: WeighedHost, b: WeighedHost): number {
  return b.weight - a.weight;
}

/** `weighHosts` with every weigher's term recorded for every host. */
function weighExplained(
  weighers: readonly HostWeigher[],
  hosts: readonly HostState[],
  request: FilterRequest,
): WeighedHost[] {
  const weighed: WeighedHost[] = hosts.map((host) => ({ host, weight: 0, terms: [] }));
  if (weighed.length < 2) return weighed;

  const raw = new Float64Array(weighed.length);
  for (const weigher of weighers) {
    const { min, max } = rawWeights(weigher, hosts, request, raw);
    const flat = min === max;
    const range = max - min;
    const multiplierFor = weigher.multiplierFor?.bind(weigher);
    let i = 0;
    for (const entry of weighed) {
      const w = raw[i++] as number; // i < raw.length: one raw weight per host
      const normalized = flat ? 0 : (w - min) / range;
      const multiplier =
        multiplierFor === undefined ? weigher.multiplier : multiplierFor(entry.host);
      const weighted = multiplier * normalized;
      entry.weight += weighted;
      entry.terms.push({ weigher: weigher.name, raw: w, normalized, multiplier, weighted });
    }
  }
  return weighed.sort(byWeightDescending);
}

/**
 * One weigher's raw weight of every host, in host order, into `raw`, and its
 * bounds for this call. nova BaseWeigher.weigh_objects: None bounds take the
 * first weight, then a weight below the minimum lowers it, else one above the
 * maximum raises it.
 */
function rawWeights(
  weigher: HostWeigher,
  hosts: readonly HostState[],
  request: FilterRequest,
  raw: Float64Array,
): { min: number; max: number } {
  const classMin = weigher.minval;
  const classMax = weigher.maxval;
  let haveMin = classMin !== undefined;
  let haveMax = classMax !== undefined;
  let min = classMin ?? 0;
  let max = classMax ?? 0;
  const n = hosts.length;
  // One batch call when the weigher has one (the same numbers as `weigh`).
  const batch = weigher.weighAll !== undefined;
  try {
    if (batch) weigher.weighAll?.(hosts, request, raw);
    else for (let i = 0; i < n; i++) raw[i] = weigher.weigh(hosts[i] as HostState, request);
  } catch (error) {
    throw OpieError.isInstance(error)
      ? error
      : new PluginFailedError(weigher.name, 'weigher', error);
  }
  if (weigher.clampRaw === true) clampInto(raw, n, classMin, classMax);
  for (let i = 0; i < n; i++) {
    const w = raw[i] as number;
    if (!haveMin) {
      min = w;
      haveMin = true;
    }
    if (!haveMax) {
      max = w;
      haveMax = true;
    }
    if (w < min) min = w;
    else if (w > max) max = w;
  }
  return { min, max };
}

/**
 * nova Zed: `weight = max(weight, minval)` then `min(weight, maxval)`, for
 * the bounds that are set, as Python's `max`/`min` pick (the first argument
 * unless the second is strictly beyond it).
 * @see nova/weights.py (stable/zed) BaseWeigher.weigh_objects
 */
export function clampInto(
  raw: Float64Array,
  n: number,
  minval: number | undefined,
  maxval: number | undefined,
): void {
  for (let i = 0; i < n; i++) {
    let w = raw[i] as number;
    if (minval !== undefined && minval > w) w = minval;
    if (maxval !== undefined && maxval < w) w = maxval;
    raw[i] = w;
  }
}

/** Every host's total weight into `totals` (zeroed), by `weighExplained`'s arithmetic. */
function totalWeights(
  weighers: readonly HostWeigher[],
  hosts: readonly HostState[],
  request: FilterRequest,
  totals: Float64Array,
): void {
  const n = hosts.length;
  const raw = sharedRaw(n);
  for (const weigher of weighers) {
    const { min, max } = rawWeights(weigher, hosts, request, raw);
    const flat = min === max;
    const range = max - min;
    const multiplierFor = weigher.multiplierFor?.bind(weigher);
    const multiplier = weigher.multiplier;
    for (let i = 0; i < n; i++) {
      const normalized = flat ? 0 : ((raw[i] as number) - min) / range;
      const m = multiplierFor === undefined ? multiplier : multiplierFor(hosts[i] as HostState);
      totals[i] = (totals[i] as number) + m * normalized;
    }
  }
}

// Buffers reused across calls (weighing is synchronous and reads them only
// before returning): no typed-array allocation per decision.
let totalsBuffer = new Float64Array(0);
let rawBuffer = new Float64Array(0);

/** `n` zeroed totals. */
function sharedTotals(n: number): Float64Array {
  if (totalsBuffer.length < n) totalsBuffer = new Float64Array(n);
  const totals = totalsBuffer.length === n ? totalsBuffer : totalsBuffer.subarray(0, n);
  totals.fill(0);
  return totals;
}

function sharedRaw(n: number): Float64Array {
  if (rawBuffer.length < n) rawBuffer = new Float64Array(n);
  return rawBuffer.length === n ? rawBuffer : rawBuffer.subarray(0, n);
}

export function hasNaN(values: Float64Array): boolean {
  for (let i = 0; i < values.length; i++) if (Number.isNaN(values[i])) return true;
  return false;
}

/**
 * The first `k` (< n) hosts of the stable descending sort, without sorting:
 * a sorted window of the best indices, which a host enters only when strictly
 * heavier than the window's last, placed after every host of equal weight
 * (the sort's tie order: lowest input index first). Needs no NaN weights (a
 * comparator sort orders those arbitrarily; the caller sorts instead).
 */
function best(hosts: readonly HostState[], totals: Float64Array, k: number): WeighedHost[] {
  const m = bestIndices(totals, hosts.length, k, scratchTop(k));
  const top = topBuffer;
  const out: WeighedHost[] = [];
  for (let j = 0; j < m; j++) {
    const i = top[j] as number;
    out.push({ host: hosts[i] as HostState, weight: totals[i] as number, terms: NO_TERMS });
  }
  return out;
}

let topBuffer = new Int32Array(0);

function scratchTop(k: number): Int32Array {
  if (topBuffer.length < k) topBuffer = new Int32Array(k);
  return topBuffer;
}

/**
 * The positions of the best `k` of `totals[0..n)` (no NaN) in the stable
 * descending order, into `top`; returns how many (min(k, n)).
 */
export function bestIndices(totals: Float64Array, n: number, k: number, top: Int32Array): number {
  let m = 0;
  for (let i = 0; i < n; i++) {
    const w = totals[i] as number;
    if (m === k && !(w > (totals[top[k - 1] as number] as number))) continue;
    let p = m === k ? k - 1 : m;
    while (p > 0 && (totals[top[p - 1] as number] as number) < w) {
      top[p] = top[p - 1] as number;
      p--;
    }
    top[p] = i;
    if (m < k) m++;
  }
  return m;
}
