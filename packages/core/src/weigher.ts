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
  /**
   * nova Zed's engine: each raw weight is clamped into `[minval, maxval]`
   * (the bounds that are set) before normalising. Absent or false: Liberty's,
   * where a raw weight beyond a bound widens this call's range instead.
   * @see nova/weights.py (stable/zed) BaseWeigher.weigh_objects
   */
  readonly clampRaw?: boolean;
  /**
   * nova Zed's `weight_multiplier(host_state)`: the multiplier of one host,
   * when it may differ per host (`<name>_weight_multiplier` in the host's
   * aggregates' metadata). Absent: `multiplier` for every host.
   * @see nova/scheduler/utils.py (stable/zed) get_weight_multiplier
   */
  multiplierFor?(host: HostState): number;
  /**
   * Optional column form of `multiplierFor`: sets `out[j]` to exactly
   * `multiplierFor(cols.states[rows[j]])` for `j < count`.
   */
  multipliersColumns?(cols: HostColumns, rows: Int32Array, count: number, out: Float64Array): void;
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
