import type { HostColumns } from './host-columns.js';
import type { HostState } from './host-state.js';
import type { FilterRequest } from './request.js';

/**
 * A host weigher: a raw weight per host, normalised over the candidates and
 * multiplied by `multiplier` (nova/weights.py).
 * @see nova/weights.py BaseWeigher
 */
export interface HostWeigher {
  /** Class path, e.g. `nova.scheduler.weights.ram.RAMWeigher`. */
  readonly name: string;
  /** Class lower bound of raw weights (nova `minval`), if any. */
  readonly minval?: number;
  /** Class upper bound of raw weights (nova `maxval`), if any. */
  readonly maxval?: number;
  /** The configured multiplier. */
  readonly multiplier: number;
  weigh(host: HostState, request: FilterRequest): number;
  /**
   * Optional batch form of `weigh`, for speed: sets `out[i]` to exactly
   * `weigh(hosts[i], request)` for every host (`out.length === hosts.length`).
   */
  weighAll?(hosts: readonly HostState[], request: FilterRequest, out: Float64Array): void;
  /**
   * Optional batch kernel over the columns: sets `out[j]` to exactly
   * `weigh(cols.states[rows[j]], request)` for `j < count`.
   */
  weighColumns?(
    cols: HostColumns,
    rows: Int32Array,
    count: number,
    request: FilterRequest,
    out: Float64Array,
  ): void;
}
