import type { FilterRequest, HostColumns, HostState, HostWeigher } from '@opie/core';
import { OpieError, PluginFailedError } from '@opie/core';
import { descendingOrder } from './descending-order.js';
import {
  allFinite,
  bestIndices,
  byWeightDescending,
  clampInto,
  hasNaN,
  NO_TERMS,
  weighHosts,
} from './weigh-hosts.js';
import type { WeighedHost } from './weigh-hosts.js';

export interface WeighRowsOptions {
  /** Return only the best `limit` hosts (as `weighHosts`' `limit`). */
  limit?: number;
  /** Record every weigher's term for every host (then `limit` is ignored). */
  explain?: boolean;
  /** Filled with the row of each returned host, in the returned order. */
  rowsOut?: number[];
}

/**
 * The Score stage over columns: exactly `weighHosts(weighers, states, ...)`
 * for the states of `rows[0..count)` of `cols` (same raw weights, bounds,
 * arithmetic and order), reading each weigher's `weighColumns` kernel where
 * it has one, so that no host object is touched on the hot path. Only the
 * returned hosts get a `WeighedHost`. A weigher that throws is reported as a
 * `PluginFailedError` naming it.
 * @see nova/weights.py BaseWeightHandler.get_weighed_objects
 */
export function weighRows(
  weighers: readonly HostWeigher[],
  cols: HostColumns,
  rows: Int32Array,
  count: number,
  request: FilterRequest,
  options: WeighRowsOptions = {},
): WeighedHost[] {
  const states = cols.states;
  if (options.explain === true || !weighers.every((w) => w.weighColumns !== undefined)) {
    // Some weigher reads host objects (or every term is wanted): the object
    // path, on the same hosts in the same order.
    const hosts: HostState[] = new Array<HostState>(count);
    for (let j = 0; j < count; j++) hosts[j] = states[rows[j] as number] as HostState;
    const weighed = weighHosts(weighers, hosts, request, {
      explain: options.explain === true,
      ...(options.limit !== undefined ? { limit: options.limit } : {}),
    });
    const rowsOut = options.rowsOut;
    if (rowsOut !== undefined) {
      const rowOf = new Map<HostState, number>();
      for (let j = 0; j < count; j++) rowOf.set(hosts[j] as HostState, rows[j] as number);
      rowsOut.length = 0;
      for (const w of weighed) rowsOut.push(rowOf.get(w.host) as number);
    }
    return weighed;
  }
  const n = count;
  const limit = options.limit;
  const k = limit === undefined || !(limit < n) ? n : Math.max(0, Math.floor(limit));
  if (k === 0) return [];
  const rowsOut = options.rowsOut;
  if (rowsOut !== undefined) rowsOut.length = 0;
  if (n < 2) {
    const out: WeighedHost[] = [];
    for (let j = 0; j < n; j++) {
      out.push({ host: states[rows[j] as number] as HostState, weight: 0, terms: NO_TERMS });
      rowsOut?.push(rows[j] as number);
    }
    return out;
  }
  const totals = buffer('totals', n);
  rowTotals(weighers, cols, rows, n, request, totals);
  return pick(states, rows, totals, n, k, rowsOut);
}

/**
 * Every row's total weight, exactly as `weighRows` (and so `weighHosts`)
 * computes it, into `totals[0..count)`, without building any object; all
 * weighers must have `weighColumns` (else false, and nothing is written).
 * `count` >= 2 (with fewer hosts nova weighs nothing: every weight is 0).
 */
export function weighRowsTotals(
  weighers: readonly HostWeigher[],
  cols: HostColumns,
  rows: Int32Array,
  count: number,
  request: FilterRequest,
  totals: Float64Array,
): boolean {
  if (!weighers.every((w) => w.weighColumns !== undefined)) return false;
  if (count < 2) {
    totals.fill(0, 0, count);
    return true;
  }
  rowTotals(weighers, cols, rows, count, request, totals);
  return true;
}

function rowTotals(
  weighers: readonly HostWeigher[],
  cols: HostColumns,
  rows: Int32Array,
  n: number,
  request: FilterRequest,
  totals: Float64Array,
): void {
  totals.fill(0, 0, n);
  const raw = buffer('raw', n);
  for (const weigher of weighers) {
    try {
      weigher.weighColumns?.(cols, rows, n, request, raw);
    } catch (error) {
      throw OpieError.isInstance(error)
        ? error
        : new PluginFailedError(weigher.name, 'weigher', error);
    }
    // nova BaseWeigher.weigh_objects: None bounds take the first weight, then
    // a weight below the minimum lowers it, else one above the maximum raises it.
    const classMin = weigher.minval;
    const classMax = weigher.maxval;
    // nova Zed clamps each raw weight into the class bounds first.
    if (weigher.clampRaw === true) clampInto(raw, n, classMin, classMax);
    const first = raw[0] ?? NaN; // n >= 2: always a weight
    let min = classMin ?? first;
    let max = classMax ?? first;
    for (let j = 0; j < n; j++) {
      const w = raw[j] as number;
      if (w < min) min = w;
      else if (w > max) max = w;
    }
    const flat = min === max;
    const range = max - min;
    if (weigher.multiplierFor !== undefined) {
      // Zed: one multiplier per host (aggregate metadata).
      const multipliers = buffer('multipliers', n);
      if (weigher.multipliersColumns !== undefined) {
        weigher.multipliersColumns(cols, rows, n, multipliers);
      } else {
        for (let j = 0; j < n; j++) {
          multipliers[j] = weigher.multiplierFor(cols.states[rows[j] as number] as HostState);
        }
      }
      for (let j = 0; j < n; j++) {
        const normalized = flat ? 0 : ((raw[j] as number) - min) / range;
        totals[j] = (totals[j] as number) + (multipliers[j] as number) * normalized;
      }
      continue;
    }
    const multiplier = weigher.multiplier;
    for (let j = 0; j < n; j++) {
      const normalized = flat ? 0 : ((raw[j] as number) - min) / range;
      totals[j] = (totals[j] as number) + multiplier * normalized;
    }
  }
}

function pick(
  states: readonly HostState[],
  rows: Int32Array,
  totals: Float64Array,
  n: number,
  k: number,
  rowsOut: number[] | undefined,
): WeighedHost[] {
  const out: WeighedHost[] = [];
  if (k < n && !hasNaN(totals)) {
    const top = intBuffer(k);
    const m = bestIndices(totals, n, k, top);
    for (let t = 0; t < m; t++) {
      const j = top[t] as number;
      rowsOut?.push(rows[j] as number);
      out.push({
        host: states[rows[j] as number] as HostState,
        weight: totals[j] as number,
        terms: NO_TERMS,
      });
    }
    return out;
  }
  if (allFinite(totals)) {
    const order = descendingOrder(totals);
    for (let t = 0; t < k; t++) {
      const j = order[t] as number;
      rowsOut?.push(rows[j] as number);
      out.push({
        host: states[rows[j] as number] as HostState,
        weight: totals[j] as number,
        terms: NO_TERMS,
      });
    }
    return out;
  }
  const withRows: { w: WeighedHost; row: number }[] = [];
  for (let j = 0; j < n; j++) {
    const w = {
      host: states[rows[j] as number] as HostState,
      weight: totals[j] as number,
      terms: NO_TERMS,
    };
    withRows.push({ w, row: rows[j] as number });
  }
  // Array.prototype.sort is stable, as weighHosts' comparator sort.
  withRows.sort((a, b) => byWeightDescending(a.w, b.w));
  const sorted = k < n ? withRows.slice(0, k) : withRows;
  for (const e of sorted) {
    out.push(e.w);
    rowsOut?.push(e.row);
  }
  return out;
}

// Buffers reused across calls (weighing is synchronous).
const buffers = {
  totals: new Float64Array(0),
  raw: new Float64Array(0),
  multipliers: new Float64Array(0),
};
let ints = new Int32Array(0);

function buffer(name: keyof typeof buffers, n: number): Float64Array {
  if (buffers[name].length < n) buffers[name] = new Float64Array(Math.max(n, 16));
  const b = buffers[name];
  return b.length === n ? b : b.subarray(0, n);
}

function intBuffer(k: number): Int32Array {
  if (ints.length < k) ints = new Int32Array(k);
  return ints;
}
