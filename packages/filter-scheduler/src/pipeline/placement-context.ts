import type {
  HostState,
  HostWeigher,
  Instance,
  Limits,
  Need,
  Preemption,
  PreemptionSummary,
  VictimWeigher,
} from '@opie/core';
import type { WeighedHost } from '@opie/weighers';
import type { HostSelection } from '../preemption/host-selection.js';
import type { Candidates, Cycle, Rows } from './cycle.js';

/**
 * What the stages give a preemption policy (the driver implements it): a
 * policy strings these together for one instance and decides nothing else.
 */
export interface PlacementContext {
  readonly hostSubsetSize: number;
  /** The weighers (the Score stage's plugins). */
  readonly weighers: readonly HostWeigher[];
  readonly hostSelection: HostSelection;
  readonly maxPlannedHosts: number;
  readonly preemptionCostMultiplier: number;
  readonly maxAttempts: number;
  readonly victimWeighers: readonly VictimWeigher[];
  readonly maxExactCandidates: number | undefined;
  readonly maxExactNodes: number | undefined;
  /** The victim search's time budget per host, ms (`undefined`: the default). */
  readonly victimSearchBudgetMs: number | undefined;
  /** Its clock (`undefined`: `performance.now`). */
  readonly victimSearchClock: (() => number) | undefined;
  /** Plan the copies of a multi-instance request together (`joint_planning`). */
  readonly jointPlanning: boolean;
  /** Filter: `input` (less the `excluded` host keys) for the cycle's current instance. */
  filter(cycle: Cycle, input: Rows, excluded?: ReadonlySet<string>): Candidates;
  /** Score + select: the passed hosts weighed on the full view, best first (`limit`: only the best). */
  weigh(cycle: Cycle, c: Candidates, limit?: number, rowsOut?: number[]): WeighedHost[];
  /** Random choice among the best `host_subset_size` of `n`. */
  pick(n: number): number;
  /** The host manager's full-view state of `full`'s node now (after claims), else `full`. */
  currentFull(full: HostState): HostState;
  /** The filtered-view state of a full state (itself without preemption). */
  filteredOf(cycle: Cycle, full: HostState): HostState;
  /** The filters' limits on a filtered-view state that passed. */
  limitsOf(cycle: Cycle, filtered: HostState): Limits;
  /** Reserve: consumes one instance on `full`'s node, records the destination, returns its limits. */
  claim(cycle: Cycle, full: HostState, filtered: HostState): Limits;
  /** Undoes the last claim and destination (a build that failed on its host). */
  dropLastClaim(cycle: Cycle): void;
  /** Records a planned victim. */
  takeVictim(
    cycle: Cycle,
    full: HostState,
    victim: Instance,
    index: number,
    reason: string,
    extra?: Partial<Preemption>,
  ): Preemption;
  /** What victims planned earlier in the request free on `host`. */
  freedOn(cycle: Cycle, host: HostState): Need | undefined;
  /** The victims `full` may give (in host order): its eligible preemptibles not chosen yet. */
  victimCandidates(cycle: Cycle, full: HostState): readonly Instance[];
  /** What a victim is, for messages. */
  candidatesWhat(cycle: Cycle): string;
  /** Fails the instance: no host passed the filters. */
  noHost(cycle: Cycle, index: number, c: Candidates, summary?: PreemptionSummary): never;
  /** Fails the request with `reason` (the explanation so far attached). */
  fail(cycle: Cycle, reason: string, wasted?: readonly Preemption[]): never;
  /** Tells the observer how instance `index` ended. */
  finish(
    cycle: Cycle,
    index: number,
    chosen: HostState | null,
    failure?: string,
    summary?: PreemptionSummary,
  ): void;
}

/**
 * The Preempt stage (like a Kubernetes PostFilter plugin): places one
 * instance of a request that may preempt, choosing its host and the victims
 * there. Returns the rows the next instance starts from.
 */
export interface PreemptionPolicy {
  /** `cost`, `opie` or `selector`. */
  readonly name: string;
  placeInstance(ctx: PlacementContext, cycle: Cycle, index: number, input: Rows): Rows;
}
