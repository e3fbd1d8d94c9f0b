import type { HostState } from '@opie/core';
import { aggregateValues, minOrDefault } from './aggregate-utils.js';

/**
 * A per-host number from aggregate metadata: the minimum of `key` over the
 * host's aggregates cast with Python `int()`/`float()`, or `fallback` when no
 * aggregate sets it or any value fails to cast (nova logs a warning; here
 * `onInvalid` is told). Allocation-free for hosts in no aggregate.
 * @see nova/scheduler/filters/utils.py validate_num_values
 */
export function aggregateNumber<F extends number | null>(
  host: HostState,
  key: string,
  fallback: F,
  cast: 'int' | 'float',
  onInvalid?: (value: string) => void,
): number | F {
  if (host.aggregates.length === 0) return fallback;
  const values = aggregateValues(host, key);
  if (values.size === 0) return fallback;
  let invalid = false;
  const min = minOrDefault(values, 0, cast, (value) => {
    invalid = true;
    onInvalid?.(value);
  });
  return invalid ? fallback : min;
}
