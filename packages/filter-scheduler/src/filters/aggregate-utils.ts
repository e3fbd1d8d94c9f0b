import type { HostState } from '@opie/core';
import { parsePythonFloat, parsePythonInt } from '@opie/core';
import { ownValue } from './own-value.js';

/**
 * nova's aggregate metadata helpers (nova/scheduler/filters/utils.py "Agg-values", "Min-or-default").
 * @see nova/scheduler/filters/utils.py
 */

/** Agg-values(h, key): the raw (unsplit) values of `key` over the host's aggregates. */
export function aggregateValues(host: HostState, key: string): Set<string> {
  const out = new Set<string>();
  for (const agg of host.aggregates) {
    const v = ownValue(agg.metadata, key);
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
