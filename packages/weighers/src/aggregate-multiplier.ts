import type { Aggregate, HostColumns, HostState, HostWeigher, Logger } from '@opie/core';
import { parsePythonFloat } from '@opie/core';

/** What a weigher needs to follow nova Zed's weighing. */
export interface ZedWeighing {
  /** Where an invalid aggregate multiplier is reported (once per aggregate list). */
  logger?: Logger | undefined;
}

/**
 * A host's multiplier in nova Zed: the smallest `key` over the host's
 * aggregates' metadata, each value read with Python's `float()`; the
 * configured value when no aggregate sets it. When any value does not read as
 * a number, nova logs a warning and uses the configured value: so does this,
 * telling `onInvalid`. A value that reads as `inf` or `nan` is treated the same
 * way (nova would use it, and every weight would become infinite or NaN).
 * @see nova/scheduler/utils.py (stable/zed) get_weight_multiplier
 * @see nova/scheduler/filters/utils.py (stable/zed) validate_num_values
 */
export function aggregateMultiplier(
  aggregates: readonly Aggregate[],
  key: string,
  configured: number,
  onInvalid?: (values: string[]) => void,
): number {
  if (aggregates.length === 0) return configured;
  const values = new Set<string>();
  for (const agg of aggregates) {
    if (Object.hasOwn(agg.metadata, key)) values.add(agg.metadata[key] as string);
  }
  if (values.size === 0) return configured;
  let min = Infinity;
  const bad: string[] = [];
  for (const v of values) {
    const n = parsePythonFloat(v);
    if (n === undefined || !Number.isFinite(n)) bad.push(v);
    else if (n < min) min = n;
  }
  if (bad.length > 0) {
    onInvalid?.(bad);
    return configured;
  }
  return min;
}

/**
 * Memoised per-host multipliers for one weigher: one computation per
 * aggregate list (hosts share their lists; records are immutable values, as
 * the host columns' interner assumes) and per interned aggregates key of the
 * columns. `negate` gives nova's `-1 * get_weight_multiplier(...)`
 * (BuildFailureWeigher).
 */
export function aggregateMultipliers(
  weigher: string,
  key: string,
  configured: number,
  zed: ZedWeighing,
  negate = false,
): Pick<HostWeigher, 'multiplierFor' | 'multipliersColumns'> {
  const byList = new WeakMap<readonly Aggregate[], number>();
  const byColumns = new WeakMap<HostColumns, Map<number, number>>();
  const sign = negate ? -1 : 1;
  const compute = (list: readonly Aggregate[]): number => {
    const m = aggregateMultiplier(list, key, configured, (bad) => {
      zed.logger?.warn(`Could not decode '${key}' weight multiplier; using the configured value`, {
        weigher,
        values: bad,
        aggregates: list.map((a) => a.name),
        configured,
      });
    });
    return sign * m;
  };
  const multiplierFor = (host: HostState): number => {
    const list = host.aggregates;
    if (list.length === 0) return sign * configured;
    let m = byList.get(list);
    if (m === undefined) {
      m = compute(list);
      byList.set(list, m);
    }
    return m;
  };
  return {
    multiplierFor,
    multipliersColumns(cols, rows, count, out) {
      const keys = cols.key('aggregates');
      let memo = byColumns.get(cols);
      if (memo === undefined) {
        memo = new Map();
        byColumns.set(cols, memo);
      }
      for (let j = 0; j < count; j++) {
        const row = rows[j] as number;
        const k = keys[row] as number;
        let m = memo.get(k);
        if (m === undefined) {
          m = multiplierFor(cols.states[row] as HostState);
          memo.set(k, m);
        }
        out[j] = m;
      }
    },
  };
}

/**
 * `base` as nova Zed weighs with it: raw weights clamped into the class
 * bounds, and each host's multiplier read from its aggregates' metadata
 * (`key`, e.g. `ram_weight_multiplier`), else `base.multiplier`.
 */
export function followZed(base: HostWeigher, key: string, zed: ZedWeighing): HostWeigher {
  return {
    ...base,
    clampRaw: true,
    ...aggregateMultipliers(base.name, key, base.multiplier, zed),
  };
}
