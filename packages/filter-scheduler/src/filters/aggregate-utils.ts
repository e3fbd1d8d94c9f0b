import type { HostState } from '@opie/core';
import { parsePythonFloat, parsePythonInt } from '@opie/core';

/**
 * nova's aggregate metadata helpers (spec §5 "Agg-meta", "Agg-values",
 * "Min-or-default").
 * @see nova/scheduler/filters/utils.py
 */

/**
 * Agg-meta(h[, key]): for the host's aggregates (only those having `key`
 * when given), split every metadata value on `,`, strip the pieces, and
 * union them per metadata key.
 */
export function aggregateMetadata(host: HostState, key?: string): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const agg of host.aggregates) {
    if (key !== undefined && !Object.prototype.hasOwnProperty.call(agg.metadata, key)) continue;
    for (const [k, v] of Object.entries(agg.metadata)) {
      let set = out.get(k);
      if (set === undefined) {
        set = new Set<string>();
        out.set(k, set);
      }
      for (const piece of v.split(',')) set.add(piece.trim());
    }
  }
  return out;
}

/** Agg-values(h, key): the raw (unsplit) values of `key` over the host's aggregates. */
export function aggregateValues(host: HostState, key: string): Set<string> {
  const out = new Set<string>();
  for (const agg of host.aggregates) {
    const v = agg.metadata[key];
    if (v !== undefined) out.add(v);
  }
  return out;
}

/**
 * Min-or-default: `fallback` when there are no values; else the minimum of
 * the values cast with Python `int()`/`float()`; if any cast fails, `fallback`
 * (nova logs a warning; `onInvalid` receives the bad value).
 * @see nova/scheduler/filters/utils.py validate_num_values
 */
export function minOrDefault(
  values: ReadonlySet<string>,
  fallback: number,
  cast: 'int' | 'float',
  onInvalid?: (value: string) => void,
): number {
  if (values.size === 0) return fallback;
  const parse = cast === 'int' ? parsePythonInt : parsePythonFloat;
  let min = Infinity;
  for (const v of values) {
    const n = parse(v);
    if (n === undefined) {
      onInvalid?.(v);
      return fallback;
    }
    if (n < min) min = n;
  }
  return min;
}
