import type { HostState, Need, PreemptionVerdict } from '@opie/core';
import { needsSomething } from './placement-need.js';
import type { VictimPlan } from './victim-planner.js';

/**
 * How host choice combines nova's weights with the cost of preemption:
 * - `prefer-no-preemption`: hosts that need no preemption, by weight; only
 *   when there is none, hosts by least preemption cost, weight breaking ties;
 * - `weighted`: by `weight - preemption_cost_multiplier * cost / (cost + 3600)`;
 * - `weight-only`: by weight alone, as opie (the cost only picks the victims).
 */
export type HostSelection = 'prefer-no-preemption' | 'weighted' | 'weight-only';

export const HOST_SELECTIONS: readonly HostSelection[] = [
  'prefer-no-preemption',
  'weighted',
  'weight-only',
];

/**
 * The cost at which `weighted` host selection halves a host's cost penalty:
 * normalised cost is `cost / (cost + 3600)` (0 without preemption, 0.5 for one
 * hour of lost paid work, the unit of the default victim weighers, towards 1
 * beyond). Fixed, so a host's score does not depend on the other hosts and
 * the walk in weight order can stop early.
 */
export const PREEMPTION_COST_SCALE = 3600;

/** `cost / (cost + PREEMPTION_COST_SCALE)`, in [0, 1). */
export function normalisedCost(cost: number): number {
  return cost <= 0 ? 0 : cost / (cost + PREEMPTION_COST_SCALE);
}

/** A host that passed the filters, with its weight (hosts come best first). */
export interface WeighedCandidate {
  /** The full-view state. */
  host: HostState;
  weight: number;
}

/** A host that can take the instance, and at what cost. */
export interface HostOption {
  host: HostState;
  weight: number;
  /** Position in the weighed order, 0 = best. */
  rank: number;
  /** What placing the instance here leaves to free (all 0: no preemption). */
  need: Need;
  /** The victims; empty when nothing is needed. */
  plan: VictimPlan;
  /** What the options are ranked by, higher first (`weighted`, `weight-only`). */
  score: number;
}

export interface SelectHostsInput {
  /** Hosts that passed the filters, best-weighed first. */
  ordered: readonly WeighedCandidate[];
  mode: HostSelection;
  /** How many of the best options are wanted (`host_subset_size`). */
  subset: number;
  /** Victim plans that succeed, at most, per call (hosts needing no preemption are not counted). */
  maxPlannedHosts: number;
  /** `preemption_cost_multiplier` (`weighted`). */
  costMultiplier: number;
  /** The O(1) test: what placing the instance on `host` leaves to free. */
  needOf(host: HostState, rank: number): Need;
  /** The victim plan of `host` for `need`, or null when its candidates cannot free enough. */
  planOf(host: HostState, need: Need): VictimPlan | null;
  /** Why `planOf` found nothing (explanations). */
  rejectionOf(host: HostState, need: Need): string;
  /** Keep a verdict for every host looked at. */
  explain: boolean;
}

export interface HostSelectionResult {
  /** The best options, best first, at most `subset`. */
  options: HostOption[];
  /** Victim plans computed (successful or not). */
  planned: number;
  /** Hosts whose candidates could not free enough. */
  rejected: number;
  /** The first of them, best-weighed first, with why (error messages). */
  firstRejection?: { host: string; reason: string };
  /** Per host looked at, when explaining. */
  verdicts: Map<HostState, PreemptionVerdict>;
}

const NO_VICTIMS = (need: Need): VictimPlan => ({
  victims: [],
  cost: 0,
  terms: [],
  need,
  exact: true,
});

function verdictOf(option: HostOption, withScore: boolean): PreemptionVerdict {
  const needed = option.plan.victims.length > 0 || needsSomething(option.need);
  const v: PreemptionVerdict = { needed, cost: option.plan.cost };
  if (needed) {
    v.need = option.need;
    v.victims = option.plan.terms.map((t) => ({
      uuid: t.victim.uuid,
      cost: t.cost,
      terms: t.terms,
    }));
    v.exact = option.plan.exact;
    const optimal = option.plan.optimal ?? option.plan.exact;
    v.optimal = optimal;
    if (!optimal) v.lowerBound = option.plan.lowerBound ?? 0;
  }
  if (withScore) v.score = option.score;
  return v;
}

/** Inserts into `top` (sorted best first by `better`), keeping at most `k`. */
function insertTop(
  top: HostOption[],
  option: HostOption,
  k: number,
  better: (a: HostOption, b: HostOption) => boolean,
): void {
  let i = top.length;
  while (i > 0 && better(option, top[i - 1] as HostOption)) i--;
  if (i >= k) return;
  top.splice(i, 0, option);
  if (top.length > k) top.pop();
}

const byScore = (a: HostOption, b: HostOption): boolean =>
  a.score > b.score || (a.score === b.score && a.rank < b.rank);
const byCost = (a: HostOption, b: HostOption): boolean =>
  a.plan.cost < b.plan.cost ||
  (a.plan.cost === b.plan.cost &&
    (a.weight > b.weight || (a.weight === b.weight && a.rank < b.rank)));

/**
 * Chooses the hosts an instance may go to when it may preempt, planning
 * victims for as few hosts as the mode allows. Hosts are walked in weighed
 * order; each gets the O(1) `needOf` test first, and only hosts that need
 * preemption get a victim plan. A host whose candidates cannot free enough is
 * rejected (never chosen: no overcommit is left behind).
 *
 * - `prefer-no-preemption`: the walk stops at the `subset`-th host needing no
 *   preemption. Only when no host at all needs none, hosts are planned in
 *   weighed order until `maxPlannedHosts` plans succeed (like Kubernetes'
 *   preemption, which evaluates a bounded number of candidate nodes), and the
 *   cheapest wins, the higher weight breaking ties, then the weighed order.
 * - `weighted`: score = weight - `costMultiplier` x `normalisedCost(cost)`.
 *   A score never exceeds the weight, so the walk stops once the next host's
 *   weight cannot beat the `subset`-th best score: the result is exact. Past
 *   `maxPlannedHosts` successful plans, later hosts needing preemption are
 *   not planned (they are passed over).
 * - `weight-only`: the first `subset` hosts in weighed order that need no
 *   preemption or whose plan succeeds.
 */
export function selectHosts(input: SelectHostsInput): HostSelectionResult {
  const { ordered, mode, explain } = input;
  const k = Math.max(1, input.subset);
  const verdicts = new Map<HostState, PreemptionVerdict>();
  let planned = 0;
  let succeeded = 0;
  let rejected = 0;
  let firstRejection: { host: string; reason: string } | undefined;

  const plan = (host: HostState, weight: number, rank: number, need: Need): HostOption | null => {
    planned += 1;
    const p = input.planOf(host, need);
    if (p === null) {
      rejected += 1;
      if (explain || firstRejection === undefined) {
        const reason = input.rejectionOf(host, need);
        firstRejection ??= { host: host.host, reason };
        if (explain) verdicts.set(host, { needed: true, need, rejected: reason });
      }
      return null;
    }
    succeeded += 1;
    return { host, weight, rank, need, plan: p, score: weight };
  };
  const free = (host: HostState, weight: number, rank: number, need: Need): HostOption => ({
    host,
    weight,
    rank,
    need,
    plan: NO_VICTIMS(need),
    score: weight,
  });
  const record = (o: HostOption, withScore: boolean): void => {
    if (explain) verdicts.set(o.host, verdictOf(o, withScore));
  };

  const top: HostOption[] = [];
  if (mode === 'prefer-no-preemption') {
    const needs: Need[] = [];
    for (let rank = 0; rank < ordered.length && top.length < k; rank++) {
      const c = ordered[rank] as WeighedCandidate;
      const need = input.needOf(c.host, rank);
      needs.push(need);
      if (needsSomething(need)) {
        if (explain) verdicts.set(c.host, { needed: true, need });
        continue;
      }
      const o = free(c.host, c.weight, rank, need);
      record(o, false);
      top.push(o);
    }
    if (top.length === 0) {
      for (let rank = 0; rank < ordered.length && succeeded < input.maxPlannedHosts; rank++) {
        const c = ordered[rank] as WeighedCandidate;
        const o = plan(c.host, c.weight, rank, needs[rank] ?? input.needOf(c.host, rank));
        if (o === null) continue;
        record(o, false);
        insertTop(top, o, k, byCost);
      }
    }
  } else if (mode === 'weighted') {
    for (let rank = 0; rank < ordered.length; rank++) {
      const c = ordered[rank] as WeighedCandidate;
      const kth = top.length === k ? (top[k - 1] as HostOption) : undefined;
      if (kth !== undefined && c.weight <= kth.score) break; // no later host can enter the top k
      const need = input.needOf(c.host, rank);
      let o: HostOption | null;
      if (!needsSomething(need)) {
        o = free(c.host, c.weight, rank, need);
      } else if (succeeded >= input.maxPlannedHosts) {
        if (explain) verdicts.set(c.host, { needed: true, need });
        continue;
      } else {
        o = plan(c.host, c.weight, rank, need);
        if (o === null) continue;
        o.score = c.weight - input.costMultiplier * normalisedCost(o.plan.cost);
      }
      record(o, true);
      insertTop(top, o, k, byScore);
    }
  } else {
    for (let rank = 0; rank < ordered.length && top.length < k; rank++) {
      const c = ordered[rank] as WeighedCandidate;
      const need = input.needOf(c.host, rank);
      let o: HostOption | null;
      if (!needsSomething(need)) {
        o = free(c.host, c.weight, rank, need);
      } else {
        if (succeeded >= input.maxPlannedHosts) break;
        o = plan(c.host, c.weight, rank, need);
        if (o === null) continue;
      }
      record(o, true);
      top.push(o);
    }
  }
  return {
    options: top,
    planned,
    rejected,
    verdicts,
    ...(firstRejection !== undefined ? { firstRejection } : {}),
  };
}
