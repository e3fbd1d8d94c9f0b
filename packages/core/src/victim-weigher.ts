import type { HostState } from './host-state.js';
import type { Instance } from './records.js';

/**
 * What a host must give back to be within its limits again, per resource.
 * Every field is `>= 0`; 0 means that resource is not short. Freeing exactly
 * `need` brings the usage to the limit, which is allowed (opie's strict `>`).
 */
export interface Need {
  memoryMb: number;
  /** GB (may be fractional: the host's free disk is reported in MB). */
  diskGb: number;
  vcpus: number;
  /** Instances over `max_instances_per_host` (NumInstancesFilter). */
  instances: number;
  /** I/O-heavy operations over `max_io_ops_per_host` (IoOpsFilter). */
  ioOps: number;
}

/** What a victim weigher is told besides the victim. */
export interface VictimCostContext {
  /** The full-view state of the host the victims are taken from. */
  readonly host: HostState;
  /** The request's time, epoch ms (plugins never read a clock). */
  readonly now: number;
  /** What the host must free (before any victim is taken). */
  readonly need: Need;
  /**
   * The whole set of victims being costed, `victim` included. Only weighers
   * with `setDependent` may read it; the others are costed once per
   * candidate, with `set` holding that candidate alone.
   */
  readonly set: readonly Instance[];
}

/**
 * Prices terminating one preemptible instance (Kubernetes' preemption
 * "victim" ranking, as a cost). A planner picks the set of victims that
 * frees enough at the least total cost, where the total is the sum over the
 * set and over the weighers of `multiplier * cost(victim, ctx)`.
 *
 * Contract: `cost` is pure, finite and `>= 0`, and `multiplier >= 0`, so taking
 * one more victim never lowers the total. A weigher whose cost depends on the
 * rest of the set (e.g. waste) sets `setDependent`; its sum over a set must
 * never decrease when a victim is added (the planner uses a partial set's sum
 * as a lower bound).
 * Not in opie: it registers `[preemptible_instances_scheduler] weight_classes`
 * but never weighs victims (docs/nova-and-opie-notes.md, enabling opie, docs/nova-and-opie-notes.md, opie problem 2).
 */
export interface VictimWeigher {
  /** Class path, e.g. `opie.scheduler.weights.victims.VictimCountWeigher`. */
  readonly name: string;
  /** The configured multiplier (`>= 0`; 0 turns the weigher off). */
  readonly multiplier: number;
  /** True when `cost` reads `ctx.set`. */
  readonly setDependent?: boolean;
  cost(victim: Instance, ctx: VictimCostContext): number;
}
