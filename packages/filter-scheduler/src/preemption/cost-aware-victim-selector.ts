import type { Instance, Need, VictimWeigher } from '@opie/core';
import { isPreemptibleInstance } from '@opie/core';
import { detectOvercommit, NOTHING_FREED } from '../scheduler/overcommit.js';
import type { VictimChoice, VictimQuery, VictimSelector } from '../scheduler/victims.js';
import { ioOpsOf } from './io-ops-of.js';
import type { LimitsExtra } from './need.js';
import { planVictims } from './victim-planner.js';
import type { VictimPlan } from './victim-planner.js';

export interface CostAwareSelectorOptions {
  /**
   * The request's time, when the query does not carry one as `now`
   * (e.g. `() => runtime.now()`). Read once per query.
   */
  now: () => number;
  /** Instance-count and I/O-op maxima, when those filters are on. */
  limitsExtra?: LimitsExtra;
  /** See `planVictims`. */
  maxExactCandidates?: number;
  /** See `planVictims`. */
  maxExactNodes?: number;
  /** See `planVictims` (`budgetMs`). */
  budgetMs?: number;
}

/** A victim choice with the plan behind it (costs per victim and weigher). */
export interface CostAwareVictimChoice extends VictimChoice {
  plan: VictimPlan;
}

/** A query that may also carry the request's time and extra limits. */
type Query = VictimQuery & { now?: number; limitsExtra?: LimitsExtra };

/**
 * A `VictimSelector` that plans with `planVictims`: the least-cost set of the
 * host's preemptible instances (not already chosen) that brings it within
 * its limits. What victims chosen earlier on this host free is taken from
 * `alreadyFreed` (RAM, disk, vCPU) and from the host's instances in
 * `alreadyChosen` (instance count, I/O ops). `overcommit` lists what was over
 * its limit among RAM, disk and vCPU (a host short only of instance slots or
 * I/O ops gets victims with an empty list).
 * @see opie/scheduler/filter_scheduler.py select_preemptibles_from_host
 */
export function costAwareVictimSelector(
  weighers: readonly VictimWeigher[],
  options: CostAwareSelectorOptions,
): VictimSelector {
  return (query: Query): CostAwareVictimChoice | null => {
    const { host, limits, alreadyChosen } = query;
    const freed = query.alreadyFreed ?? NOTHING_FREED;
    const candidates: Instance[] = [];
    let instances = 0;
    let ioOps = 0;
    for (const instance of host.instances.values()) {
      if (alreadyChosen.has(instance.uuid)) {
        instances += 1;
        ioOps += ioOpsOf(instance);
      } else if (isPreemptibleInstance(instance)) {
        candidates.push(instance);
      }
    }
    const alreadyFreed: Need = { ...freed, instances, ioOps };
    const plan = planVictims({
      host,
      limits,
      candidates,
      weighers,
      now: typeof query.now === 'number' ? query.now : options.now(),
      limitsExtra: query.limitsExtra ?? options.limitsExtra ?? {},
      alreadyFreed,
      maxExactCandidates: options.maxExactCandidates,
      maxExactNodes: options.maxExactNodes,
      budgetMs: options.budgetMs,
    });
    if (plan === null) return null;
    return { victims: plan.victims, overcommit: detectOvercommit(host, limits, freed), plan };
  };
}
