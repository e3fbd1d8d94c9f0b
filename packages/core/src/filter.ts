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
}
