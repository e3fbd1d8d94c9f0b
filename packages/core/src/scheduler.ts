import type { FilterRejection, HostColumns } from './host-columns.js';
import type { HostSource } from './host-source.js';
import type { HostState, HostView } from './host-state.js';
import type { Instance } from './records.js';
import type { Destination, RequestSpec } from './request.js';
import type { Need } from './victim-weigher.js';

/**
 * What a scheduler driver needs of a host manager.
 * @see nova/scheduler/host_manager.py HostManager
 */
export interface HostManagerLike {
  /**
   * Host states for `view`, in the source's (inventory) order, refreshed from
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
  /**
   * Optional: the hosts of `view` as columns, row `i` being
   * `getHostStates(view, now)[i]`, kept up to date in place by claims,
   * releases and refreshes (call after `getHostStates`). Drivers build the
   * columns themselves when it is absent.
   */
  columns?(view: HostView): HostColumns;
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

/** One victim weigher's part in a victim's cost. */
export interface VictimCostTerm {
  /** The victim weigher's class path. */
  weigher: string;
  /** Its cost of the victim, before the multiplier. */
  raw: number;
  multiplier: number;
  /** `multiplier * raw`. */
  weighted: number;
}

/** A planned victim and what it costs (explanations). */
export interface VictimVerdict {
  uuid: string;
  /** Σ of `terms[].weighted`. */
  cost: number;
  terms: VictimCostTerm[];
}

/** How one host that passed the filters fared in preemption planning. */
export interface PreemptionVerdict {
  /** Placing the instance here exceeds a limit unless victims are terminated. */
  needed: boolean;
  /** What must be freed, per resource (when `needed`). */
  need?: Need;
  /** The planned victims, when a sufficient set was found. */
  victims?: VictimVerdict[];
  /** Total cost of `victims` (0 when nothing is needed). */
  cost?: number;
  /** The victim set is proven cheapest. */
  exact?: boolean;
  /**
   * The victim set is proven cheapest (the exact search completed within its
   * budget). False: the best set found when the budget ran out.
   */
  optimal?: boolean;
  /** When not `optimal`: a proven lower bound on the least cost (`<= cost`). */
  lowerBound?: number;
  /** The score host selection ranked it by (`weighted`: weight minus the cost penalty). */
  score?: number;
  /** Why the host cannot take the instance by preemption, e.g. `cannot free enough: vcpu short by 2`. */
  rejected?: string;
}

/** How one host fared for one instance of a request. */
export interface HostVerdict {
  host: string;
  nodename: string;
  /** The filter that rejected the host, or null if it passed every filter. */
  filteredBy: string | null;
  /** Why, as data, when the filter can say (resource, requested, available, limit). */
  rejection?: FilterRejection;
  /** Total weight (hosts that passed and were weighed). */
  weight?: number;
  terms?: WeightTerm[];
  /** Position in the weighed order, 0 = best. */
  rank?: number;
  /** Preemption planning of this host, when host selection looked at it. */
  preemption?: PreemptionVerdict;
}

/** One failed build attempt of an instance (opie-compat victim policy). */
export interface AttemptExplanation {
  /** 1-based attempt number. */
  attempt: number;
  host: string;
  nodename: string;
  /** The one victim terminated on that attempt, if any. */
  victim?: string;
  /** Why the attempt failed (still over a limit). */
  failure: string;
}

/** How preemption chose the host of one instance. */
export interface PreemptionSummary {
  /** `cost` (least-cost victim sets) or `opie` (one last-listed victim per attempt). */
  policy: string;
  /** `prefer-no-preemption`, `weighted` or `weight-only`. */
  hostSelection: string;
  /** Hosts for which a victim plan was computed. */
  plannedHosts: number;
  /** Failed attempts before the one explained (opie-compat retries). */
  attempts?: AttemptExplanation[];
  /**
   * When the request's remaining copies were planned together (multi-instance
   * requests): how many, their total victim cost, and whether every plan
   * behind it is proven optimal.
   */
  joint?: { instances: number; cost: number; optimal: boolean };
}

/** Explanation of one instance's placement. */
export interface InstanceExplanation {
  index: number;
  view: HostView;
  hosts: HostVerdict[];
  chosen: { host: string; nodename: string } | null;
  /** Why nothing was chosen, when nothing was. */
  failure?: string;
  /** How preemption took part in the choice (requests that may preempt). */
  preemption?: PreemptionSummary;
}

/** A preemptible instance chosen for termination. */
export interface Preemption {
  victim: Instance;
  host: string;
  nodename: string;
  /** Index of the placed instance that needed the room. */
  forIndex: number;
  reason: string;
  /** Total cost of this victim (cost-aware planning). */
  cost?: number;
  /** Each victim weigher's part in `cost`. */
  terms?: VictimCostTerm[];
  /**
   * Terminated without making room for a placement (opie-compat: the one
   * victim did not free enough and the build was retried elsewhere).
   */
  wasted?: boolean;
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

/** A fully planned request: claims are held, nothing has been terminated yet. */
export interface SchedulingPlan {
  spec: RequestSpec;
  now: number;
  result: SchedulingResult;
  claims: Claim[];
}

/**
 * The scheduler an application holds (what the loader builds, what the CLI,
 * the API server and the simulator drive): it plans a request synchronously
 * (destinations, claims and victims, nothing terminated), acts on a plan
 * (victims noticed and terminated), or does both, and says how it preempts.
 * `FilterScheduler` is one; a third-party driver must be one to be loaded.
 */
export interface Scheduler extends SchedulerDriver {
  /** Normal requests may preempt preemptible instances (opie's driver). */
  readonly preemption: boolean;
  /** Seconds between a victim's notice and its termination. */
  readonly gracePeriod: number;
  /** Every decision carries its explanation. */
  readonly explain: boolean;
  /** Plans every instance; throws a `NoValidHostError` (every claim released) when one cannot be placed. */
  plan(spec: RequestSpec): SchedulingPlan;
  /** Acts on a plan: victims released in the views, noticed, then terminated. */
  execute(plan: SchedulingPlan): Promise<void>;
}

/** A host manager an application can feed: it reads the hosts from a `HostSource`. */
export interface SourcedHostManager extends HostManagerLike {
  readonly source: HostSource;
  /** Reads the cloud from `source` from the next refresh on. */
  setSource(source: HostSource): void;
}

/** Whether `driver` fulfils the `Scheduler` contract (the loader checks every driver it builds). */
export function isScheduler(driver: SchedulerDriver): driver is Scheduler {
  const d = driver as Partial<Scheduler>;
  return (
    typeof d.plan === 'function' &&
    typeof d.execute === 'function' &&
    typeof d.selectDestinations === 'function'
  );
}

/** Whether `manager` can be given a `HostSource`. */
export function isSourcedHostManager(manager: HostManagerLike): manager is SourcedHostManager {
  return typeof (manager as Partial<SourcedHostManager>).setSource === 'function';
}
