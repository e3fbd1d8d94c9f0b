import type { HostState, HostView } from './host-state.js';
import type { Instance } from './records.js';
import type { Destination, RequestSpec } from './request.js';

/**
 * What a scheduler driver needs of a host manager.
 * @see nova/scheduler/host_manager.py HostManager
 */
export interface HostManagerLike {
  /**
   * Host states for `view`, in inventory order (spec §13.1), refreshed from
   * the source. The `free` view counts preemptible instances as free.
   */
  getHostStates(view: HostView, now: number): HostState[];
  /**
   * Virtual claim of one instance of `spec` on (host, node), in every view
   * (nova's `consume_from_request`). The returned claim can be released, which
   * undoes exactly this consumption (used when a multi-instance request fails).
   */
  consumeFromRequest(host: string, nodename: string, spec: RequestSpec, now: number): Claim;
  /** The state of one (host, node) in `view`, if the node is known. */
  hostStateFor(host: string, nodename: string, view: HostView): HostState | undefined;
  /**
   * Optional fast path of `hostStateFor` over a list: the `view` states of
   * the nodes of `states`, in the same order, leaving out nodes that are not
   * known. Drivers fall back to `hostStateFor` when it is absent.
   */
  statesInView?(states: readonly HostState[], view: HostView): HostState[];
  /** Forget a terminated instance at once, in every view. */
  releaseInstance(uuid: string, now: number): Instance | undefined;
}

/** A virtual claim made by `consumeFromRequest`. */
export interface Claim {
  /** Undo this consumption in every view. Releasing twice does nothing. */
  release(): void;
}

/** One weigher's part in a host's weight. */
export interface WeightTerm {
  weigher: string;
  raw: number;
  normalized: number;
  multiplier: number;
  weighted: number;
}

/** How one host fared for one instance of a request. */
export interface HostVerdict {
  host: string;
  nodename: string;
  /** The filter that rejected the host, or null if it passed every filter. */
  filteredBy: string | null;
  /** Total weight (hosts that passed and were weighed). */
  weight?: number;
  terms?: WeightTerm[];
  /** Position in the weighed order, 0 = best. */
  rank?: number;
}

/** Explanation of one instance's placement. */
export interface InstanceExplanation {
  index: number;
  view: HostView;
  hosts: HostVerdict[];
  chosen: { host: string; nodename: string } | null;
  /** Why nothing was chosen, when nothing was. */
  failure?: string;
}

/** A preemptible instance chosen for termination. */
export interface Preemption {
  victim: Instance;
  host: string;
  nodename: string;
  /** Index of the placed instance that needed the room. */
  forIndex: number;
  reason: string;
}

export interface SchedulingResult {
  destinations: Destination[];
  preemptions: Preemption[];
  preemptible: boolean;
  explanation: InstanceExplanation[];
}

/** A scheduler driver. @see nova/scheduler/driver.py Scheduler */
export interface SchedulerDriver {
  selectDestinations(spec: RequestSpec): Promise<SchedulingResult>;
}
