import type { HostState, Need, PreemptionVerdict } from '@opie/core';
import type { WeighedHost } from '@opie/weighers';
import type { Candidates, Cycle, JointStep } from '../pipeline/cycle.js';
import type { PlacementContext } from '../pipeline/placement-context.js';
import { ioOpsOf } from './io-ops-of.js';
import { allocateCopies } from './joint-allocation.js';
import { NO_NEED } from './need.js';
import { placementNeed, needsSomething } from './placement-need.js';
import { DEFAULT_VICTIM_SEARCH_BUDGET_MS, planVictims } from './victim-planner.js';
import type { VictimPlan } from './victim-planner.js';

/** All `copies` on the single host that takes them at the least cost (null: none can). */
function oneHost(
  curves: readonly (readonly number[])[],
  copies: number,
): { counts: number[]; cost: number } | null {
  let best = -1;
  curves.forEach((curve, h) => {
    const cost = curve[copies];
    if (cost === undefined) return;
    if (best < 0 || cost < ((curves[best] as readonly number[])[copies] as number)) best = h;
  });
  if (best < 0) return null;
  return {
    counts: curves.map((_, h) => (h === best ? copies : 0)),
    cost: (curves[best] as readonly number[])[copies] as number,
  };
}

/** A joint plan of the remaining copies of a request. */
export interface JointResult {
  steps: JointStep[];
  /** Σ of the victim plans' costs. */
  cost: number;
  optimal: boolean;
  /** Hosts whose curve was computed. */
  planned: number;
}

/** Freed resources of `plan`'s victims added to `freed`. */
function plus(freed: Need | undefined, plan: VictimPlan): Need {
  const f = { ...(freed ?? NO_NEED) };
  for (const v of plan.victims) {
    f.memoryMb += v.memoryMb;
    f.diskGb += v.rootGb + v.ephemeralGb;
    f.vcpus += v.vcpus;
    f.instances += 1;
    f.ioOps += ioOpsOf(v);
  }
  return f;
}

/**
 * Joint planning of the copies of a multi-instance request that are left
 * when none of them fits anywhere without preemption (under
 * `prefer-no-preemption`, copies that fit without preemption were placed
 * first, one by one, as before).
 *
 * For each host that passed the filters, in weighed order, until
 * `max_planned_hosts` hosts can take a copy: its cost curve `c(k)`, the least
 * victim cost (`planVictims`, the configured victim weighers) of placing `k`
 * of the remaining copies there, `k = 1, 2, ...` while the filters let one
 * more copy in (each copy is claimed, the host's row filtered again, and
 * every claim released after) and its candidates can free enough. Then
 * `allocateCopies` spreads the copies over the hosts at the least total
 * cost, ties to the better-weighed hosts. One victim set thus frees room for
 * every copy a host takes: the victims are taken with its first copy, the
 * next copies need none.
 *
 * Server groups: each host's copies are simulated with the group's hosts as
 * they are (restored after), so the group filters take part in how many
 * copies a host takes; under `affinity` every copy goes to one host, the
 * one that takes them all at the least cost.
 *
 * Exact when every plan is proven optimal and every curve complete; the
 * curves stop growing past a deadline (20 victim-search budgets), and the
 * summary then says `optimal: false`.
 */
export function planJointly(
  ctx: PlacementContext,
  cycle: Cycle,
  index: number,
  weighed: readonly WeighedHost[],
  orderRows: readonly number[],
): JointResult | undefined {
  const copies = cycle.spec.numInstances - index;
  const flavor = cycle.spec.flavor;
  const clock = ctx.victimSearchClock ?? (() => performance.now());
  const budget = ctx.victimSearchBudgetMs ?? DEFAULT_VICTIM_SEARCH_BUDGET_MS;
  const deadline = clock() + 20 * Math.max(budget, 1);
  const curves: number[][] = [];
  const plans: (VictimPlan | null)[][] = [];
  const hosts: HostState[] = [];
  let optimal = true;
  let feasibleHosts = 0;
  // The simulated claims' filter runs are not the request's: no observer.
  const observer = cycle.observer;
  cycle.observer = undefined;
  try {
    for (let rank = 0; rank < weighed.length && feasibleHosts < ctx.maxPlannedHosts; rank++) {
      const full = (weighed[rank] as WeighedHost).host;
      const row = orderRows[rank];
      if (row === undefined) return undefined;
      const curve = [0];
      const hostPlans: (VictimPlan | null)[] = [null];
      const candidates = ctx.victimCandidates(cycle, full);
      // Claims record the host in the server group's hosts: restored after.
      const groupHosts = [...cycle.request.groupHosts];
      let claimed = 0;
      try {
        for (let k = 1; k <= copies; k++) {
          if (k > 1) {
            if (clock() > deadline) {
              optimal = false;
              break;
            }
            // One more copy claimed: does the host still pass the filters?
            ctx.claim(cycle, full, ctx.filteredOf(cycle, full));
            claimed += 1;
            const again = ctx.filter(cycle, { rows: Int32Array.of(row), count: 1 });
            if (again.passed.count === 0) break;
          }
          const now = ctx.currentFull(full);
          const filtered = ctx.filteredOf(cycle, full);
          const limits = ctx.limitsOf(cycle, filtered);
          const need = placementNeed(now, limits, flavor, ctx.freedOn(cycle, full));
          const plan = needsSomething(need)
            ? planVictims({
                host: now,
                limits,
                candidates,
                weighers: ctx.victimWeighers,
                now: cycle.now,
                need,
                maxExactCandidates: ctx.maxExactCandidates,
                maxExactNodes: ctx.maxExactNodes,
                budgetMs: ctx.victimSearchBudgetMs,
                clock: ctx.victimSearchClock,
              })
            : null;
          if (needsSomething(need) && plan === null) break; // cannot free enough for k copies
          curve.push(plan?.cost ?? 0);
          hostPlans.push(plan);
          if (plan !== null && plan.optimal === false) optimal = false;
        }
      } finally {
        for (; claimed > 0; claimed--) ctx.dropLastClaim(cycle);
        cycle.request.groupHosts.clear();
        for (const h of groupHosts) cycle.request.groupHosts.add(h);
      }
      if (curve.length > 1) feasibleHosts += 1;
      curves.push(curve);
      plans.push(hostPlans);
      hosts.push(full);
    }
  } finally {
    cycle.observer = observer;
  }
  // Affinity: every copy on one host (the least-cost one that can take them all, the
  // better-weighed on ties); otherwise spread by the allocation (anti-affinity's filter
  // already keeps each curve to one copy).
  const allocation = cycle.request.groupPolicies.includes('affinity')
    ? oneHost(curves, copies)
    : allocateCopies(curves, copies);
  if (allocation === null) return undefined;
  const steps: JointStep[] = [];
  allocation.counts.forEach((k, h) => {
    if (k === 0) return;
    const plan = (plans[h] as (VictimPlan | null)[])[k] ?? null;
    for (let j = 0; j < k; j++) {
      steps.push({ host: hosts[h] as HostState, plan: j === 0 ? plan : null, copies: k });
    }
  });
  return { steps, cost: allocation.cost, optimal, planned: hosts.length };
}

/**
 * Whether `step` can be followed for the instance being placed: its host
 * passed this instance's filters, and with the planned victims (and those
 * planned before) nothing is left to free.
 */
export function stepHolds(
  ctx: PlacementContext,
  cycle: Cycle,
  c: Candidates,
  step: JointStep,
): boolean {
  const states = cycle.full.states;
  let passed = false;
  for (let j = 0; j < c.passed.count; j++) {
    if (states[c.passed.rows[j] as number] === step.host) {
      passed = true;
      break;
    }
  }
  if (!passed) return false;
  const freed = ctx.freedOn(cycle, step.host);
  const limits = ctx.limitsOf(cycle, ctx.filteredOf(cycle, step.host));
  const after = step.plan !== null ? plus(freed, step.plan) : freed;
  return !needsSomething(
    placementNeed(ctx.currentFull(step.host), limits, cycle.spec.flavor, after),
  );
}

/** The explanation verdict of a joint step's host. */
export function jointVerdict(step: JointStep): PreemptionVerdict {
  const plan = step.plan;
  if (plan === null || plan.victims.length === 0) return { needed: false, cost: 0 };
  const optimal = plan.optimal ?? plan.exact;
  return {
    needed: true,
    need: plan.need,
    victims: plan.terms.map((t) => ({ uuid: t.victim.uuid, cost: t.cost, terms: t.terms })),
    cost: plan.cost,
    exact: plan.exact,
    optimal,
    ...(optimal ? {} : { lowerBound: plan.lowerBound ?? 0 }),
  };
}
