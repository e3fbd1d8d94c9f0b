import type { FilterRequest, HostFilter, HostState } from '@opie/core';

/** The result of filtering the candidate hosts for one instance. */
export interface FilterOutcome {
  /** Hosts that passed, in input order. */
  passed: HostState[];
  /**
   * Why each rejected host was rejected (a filter name, or `ignore_hosts`,
   * `force_hosts`, `force_nodes`); only filled when `explain` is on.
   */
  rejectedBy: Map<HostState, string>;
  /** The filter that left no host, if one did. */
  emptiedBy: string | undefined;
  /** Forced hosts were returned without running any filter (nova/scheduler/host_manager.py). */
  forced: boolean;
}

/**
 * nova's `get_filtered_hosts` + `get_filtered_objects` (nova/scheduler/host_manager.py get_filtered_hosts): the
 * ignore/force handling, then every filter in order, skipping
 * once-per-request filters after the first instance, stopping at the first
 * filter that leaves no host. A filter whose `passesAll(request)` is true
 * is not called per host (same outcome, fewer calls).
 * @see nova/scheduler/host_manager.py get_filtered_hosts
 * @see nova/filters.py BaseFilterHandler.get_filtered_objects
 */
export function filterHosts(
  filters: readonly HostFilter[],
  hosts: readonly HostState[],
  request: FilterRequest,
  explain = false,
): FilterOutcome {
  const rejectedBy = new Map<HostState, string>();
  const { ignoreHosts = [], forceHosts = [], forceNodes = [] } = request.spec;
  let current: HostState[] = hosts.slice();

  if (ignoreHosts.length > 0 || forceHosts.length > 0 || forceNodes.length > 0) {
    const keep = (pred: (h: HostState) => boolean, reason: string): void => {
      current = current.filter((h) => {
        const ok = pred(h);
        if (!ok && explain) rejectedBy.set(h, reason);
        return ok;
      });
    };
    if (ignoreHosts.length > 0) {
      const ignored = new Set(ignoreHosts);
      keep((h) => !ignored.has(h.host), 'ignore_hosts');
      if (current.length === 0) {
        return { passed: [], rejectedBy, emptiedBy: 'ignore_hosts', forced: false };
      }
    }
    if (forceHosts.length > 0) {
      const forced = new Set(forceHosts);
      keep((h) => forced.has(h.host), 'force_hosts');
    }
    if (forceNodes.length > 0) {
      const forced = new Set(forceNodes);
      keep((h) => forced.has(h.nodename), 'force_nodes');
    }
    if ((forceHosts.length > 0 || forceNodes.length > 0) && current.length > 0) {
      return { passed: current, rejectedBy, emptiedBy: undefined, forced: true };
    }
  }

  for (const filter of filters) {
    if (filter.runFilterOncePerRequest && request.index > 0) continue;
    // Nothing to check for this request: every host would pass (never skipped
    // on an empty list, which the filter empties by definition).
    if (current.length > 0 && filter.passesAll?.(request) === true) continue;
    // In-place compaction: no new array per filter; one batch call when the
    // filter has one and no rejection needs recording.
    if (!explain && filter.filterAll !== undefined) {
      const kept = filter.filterAll(current, current.length, request);
      current.length = kept;
      if (kept === 0) return { passed: current, rejectedBy, emptiedBy: filter.name, forced: false };
      continue;
    }
    let kept = 0;
    for (let i = 0; i < current.length; i++) {
      const h = current[i] as HostState;
      if (filter.hostPasses(h, request)) {
        current[kept++] = h;
      } else if (explain) {
        rejectedBy.set(h, filter.name);
      }
    }
    current.length = kept;
    if (kept === 0) return { passed: current, rejectedBy, emptiedBy: filter.name, forced: false };
  }
  return { passed: current, rejectedBy, emptiedBy: undefined, forced: false };
}
