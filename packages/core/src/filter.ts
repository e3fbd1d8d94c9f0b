import type {
  FilterRejection,
  HostColumns,
  HostKeyKind,
  LimitDeclaration,
} from './host-columns.js';
import type { HostState } from './host-state.js';
import type { FilterRequest } from './request.js';

/**
 * A host filter: pass or fail one host for one instance of a request.
 * @see nova/scheduler/filters/__init__.py BaseHostFilter
 */
export interface HostFilter {
  /** nova class name, e.g. `RamFilter` (how `scheduler_default_filters` names it). */
  readonly name: string;
  /** Skip this filter for the 2nd and later instances of a request (nova/filters.py). */
  readonly runFilterOncePerRequest: boolean;
  hostPasses(host: HostState, request: FilterRequest): boolean;
  /**
   * Optional: `true` when the filter has nothing to check for this request
   * (e.g. RetryFilter on a first attempt), so the scheduler may skip its
   * per-host calls, like a Kubernetes PreFilter returning Skip. Must be
   * `true` only when every `hostPasses` call would return `true` and do nothing else.
   */
  passesAll?(request: FilterRequest): boolean;
  /**
   * Optional batch form of `hostPasses`, for speed: keeps in place, in order,
   * the hosts of `hosts[0..count)` for which `hostPasses(host, request)` would
   * be true (with the same side effects, in host order), and returns how many
   * it kept. Entries from the returned count on are unspecified.
   */
  filterAll?(hosts: HostState[], count: number, request: FilterRequest): number;
  /**
   * Optional batch kernel over the columns (built-in filters): keeps in place,
   * in order, the rows of `rows[0..count)` that `hostPasses` would pass, and
   * returns how many it kept. Unlike `hostPasses` it writes no `limits`
   * (declare them in `limitDeclarations`): the scheduler computes limits only
   * for the hosts it chooses.
   */
  filterColumns?(
    cols: HostColumns,
    rows: Int32Array,
    count: number,
    request: FilterRequest,
  ): number;
  /**
   * Optional: `hostPasses` reads only the request and the host fields of this
   * key (see `HostKeyKind`) and writes nothing, so the scheduler evaluates it
   * once per distinct key and request instead of once per host.
   */
  readonly dependsOn?: HostKeyKind;
  /**
   * What the filter writes into `limits` of a host it passes (absent: nothing,
   * or not declared, in which case the filter is run on a host whose limits
   * are needed). Must be exactly what `hostPasses` writes.
   */
  readonly limitDeclarations?: readonly LimitDeclaration[];
  /**
   * Optional: why `host` fails this filter, as data (`undefined` when it
   * passes). Called only to explain a rejection, never on the hot path.
   */
  rejection?(host: HostState, request: FilterRequest): FilterRejection | undefined;
}
