import type {
  HostState,
  Instance,
  Limits,
  Need,
  VictimCostContext,
  VictimCostTerm as CoreVictimCostTerm,
  VictimWeigher,
} from '@opie/core';
import { InvalidInputError, isPreemptibleInstance } from '@opie/core';
import { ioOpsOf } from './io-ops-of.js';
import { needOf } from './need.js';
import type { LimitsExtra } from './need.js';
import { exactSearch } from './exact-search.js';
import type { SearchProblem } from './exact-search.js';
import { needsSomething } from './placement-need.js';
import { shortfallOf } from './shortfall.js';

/** What `planVictims` is asked. */
export interface PlanVictimsInput {
  /** The full-view state of the host, after this placement's consumption. */
  host: HostState;
  /** The limits the filters set for this placement. */
  limits: Limits;
  /**
   * Instances that may be terminated: the host's preemptible instances not
   * already planned to go. Others (normal instances, repeated uuids) are ignored.
   */
  candidates: readonly Instance[];
  weighers: readonly VictimWeigher[];
  /** The request's time, epoch ms. */
  now: number;
  /** Instance-count and I/O-op maxima, when those filters are on. */
  limitsExtra?: LimitsExtra | undefined;
  /** What victims planned earlier on this host already free (`needOf`). */
  alreadyFreed?: Partial<Need> | undefined;
  /** What must be freed; computed with `needOf` when absent. */
  need?: Need | undefined;
  /**
   * Up to this many useful candidates (default 20) the include-first branch
   * and bound runs; beyond, the grouped branch and bound (`exactSearch`).
   */
  maxExactCandidates?: number | undefined;
  /** Node budget of either search (default 200,000); past it the best set found is kept. */
  maxExactNodes?: number | undefined;
  /**
   * Time budget of the search on this host, ms (default 50): past it the best
   * set found is kept with `optimal: false` and a proven `lowerBound`. 0: the
   * heuristic alone beyond `maxExactCandidates`.
   */
  budgetMs?: number | undefined;
  /** The clock the time budget is read from, ms (default `performance.now`; tests inject one). */
  clock?: (() => number) | undefined;
}

/** `[preemptible_instances_scheduler] victim_search_budget_ms`'s default. */
export const DEFAULT_VICTIM_SEARCH_BUDGET_MS = 50;

/** One weigher's part in a victim's cost (core's `VictimCostTerm`). */
export type VictimCostTerm = CoreVictimCostTerm;

/** One victim's cost, with each weigher's part (on the final set). */
export interface VictimCost {
  victim: Instance;
  cost: number;
  terms: VictimCostTerm[];
}

export interface VictimPlan {
  /** The victims, in candidate order. Empty when nothing is short. */
  victims: Instance[];
  /** Σ over victims and weighers of `multiplier * cost`. */
  cost: number;
  /** Per victim, aligned with `victims`. */
  terms: VictimCost[];
  /** What had to be freed. */
  need: Need;
  /** True when the set is proven cheapest (exact search completed). */
  exact: boolean;
  /**
   * True when the set is proven cheapest (by either search; `exact` is the
   * same for plans of `planVictims`). Absent on plans built elsewhere.
   */
  optimal?: boolean;
  /** A proven lower bound on the least cost (`cost` when `optimal`). */
  lowerBound?: number;
}

/** Resources in vector order: RAM MB, disk GB, vCPU, instances, I/O ops. */
const RESOURCES = 5;

interface Candidate {
  instance: Instance;
  /** Position in the input, for stable ties and output order. */
  index: number;
  /** What its termination frees, per resource. */
  usage: Float64Array;
  /** Sum of `multiplier * cost` over the set-independent weighers. */
  additive: number;
}

function needVector(need: Need): Float64Array {
  return Float64Array.of(need.memoryMb, need.diskGb, need.vcpus, need.instances, need.ioOps);
}

function usageVector(i: Instance): Float64Array {
  return Float64Array.of(i.memoryMb, i.rootGb + i.ephemeralGb, i.vcpus, 1, ioOpsOf(i));
}

function checkCost(w: VictimWeigher, victim: Instance, raw: number): number {
  if (!Number.isFinite(raw) || raw < 0) {
    throw new InvalidInputError('victim weigher cost', [
      {
        path: w.name,
        message: `cost of ${victim.uuid} is ${String(raw)}; costs must be finite and >= 0`,
      },
    ]);
  }
  return raw;
}

function checkMultiplier(w: VictimWeigher): void {
  if (!Number.isFinite(w.multiplier) || w.multiplier < 0) {
    throw new InvalidInputError('victim weigher', [
      {
        path: w.name,
        message: `multiplier is ${String(w.multiplier)}; it must be finite and >= 0`,
      },
    ]);
  }
}

/**
 * The search problem of one host: candidates that free something short,
 * the short resources and the cost function.
 */
class Problem implements SearchProblem<Candidate> {
  readonly short: number[];
  readonly needs: Float64Array;
  readonly additiveWeighers: readonly VictimWeigher[];
  readonly setWeighers: readonly VictimWeigher[];
  readonly candidates: Candidate[] = [];
  readonly setDependent: boolean;

  constructor(
    readonly host: HostState,
    readonly now: number,
    readonly need: Need,
    weighers: readonly VictimWeigher[],
    input: readonly Instance[],
  ) {
    for (const w of weighers) checkMultiplier(w);
    this.needs = needVector(need);
    this.short = [];
    for (let r = 0; r < RESOURCES; r++) if ((this.needs[r] as number) > 0) this.short.push(r);
    this.additiveWeighers = weighers.filter((w) => w.setDependent !== true && w.multiplier > 0);
    this.setWeighers = weighers.filter((w) => w.setDependent === true && w.multiplier > 0);
    this.setDependent = this.setWeighers.length > 0;
    if (this.short.length === 0) return;
    const seen = new Set<string>();
    input.forEach((instance, index) => {
      if (!isPreemptibleInstance(instance) || seen.has(instance.uuid)) return;
      seen.add(instance.uuid);
      const usage = usageVector(instance);
      if (!this.short.some((r) => (usage[r] as number) > 0)) return; // frees nothing short
      const ctx = this.context([instance]);
      let additive = 0;
      for (const w of this.additiveWeighers) {
        additive += w.multiplier * checkCost(w, instance, w.cost(instance, ctx));
      }
      this.candidates.push({ instance, index, usage, additive });
    });
  }

  context(set: readonly Instance[]): VictimCostContext {
    return { host: this.host, now: this.now, need: this.need, set };
  }

  /** Whether all candidates together free enough. */
  feasible(): boolean {
    return this.short.every((r) => {
      let sum = 0;
      for (const c of this.candidates) sum += c.usage[r] as number;
      return sum >= (this.needs[r] as number);
    });
  }

  /** The set-dependent part of the cost of `set` (0 without such weighers). */
  setCost(set: readonly Candidate[]): number {
    if (this.setWeighers.length === 0 || set.length === 0) return 0;
    const instances = set.map((c) => c.instance);
    const ctx = this.context(instances);
    let total = 0;
    for (const w of this.setWeighers) {
      for (const v of instances) total += w.multiplier * checkCost(w, v, w.cost(v, ctx));
    }
    return total;
  }

  total(set: readonly Candidate[]): number {
    let sum = this.setCost(set);
    for (const c of set) sum += c.additive;
    return sum;
  }

  coversSet(set: readonly Candidate[]): boolean {
    const freed = new Float64Array(RESOURCES);
    for (const c of set) for (let r = 0; r < RESOURCES; r++) freed[r]! += c.usage[r] as number;
    return this.covers(freed);
  }

  covers(freed: Float64Array): boolean {
    for (const r of this.short) if ((freed[r] as number) < (this.needs[r] as number)) return false;
    return true;
  }

  /** Whether `c` frees some resource that `freed` still lacks. */
  helps(c: Candidate, freed: Float64Array): boolean {
    for (const r of this.short) {
      if ((freed[r] as number) < (this.needs[r] as number) && (c.usage[r] as number) > 0) {
        return true;
      }
    }
    return false;
  }

  /**
   * Drops victims that are not needed, the costliest first: the result is
   * minimal (removing any one victim leaves something short). Costs never
   * rise by removing a victim, so this never makes a set worse.
   */
  prune(set: Candidate[]): Candidate[] {
    const freed = new Float64Array(RESOURCES);
    for (const c of set) for (let r = 0; r < RESOURCES; r++) freed[r]! += c.usage[r] as number;
    const byCostDesc = [...set].sort((a, b) => b.additive - a.additive || b.index - a.index);
    const dropped = new Set<Candidate>();
    for (const c of byCostDesc) {
      let stillCovers = true;
      for (const r of this.short) {
        if ((freed[r] as number) - (c.usage[r] as number) < (this.needs[r] as number)) {
          stillCovers = false;
          break;
        }
      }
      if (stillCovers) {
        dropped.add(c);
        for (let r = 0; r < RESOURCES; r++) freed[r]! -= c.usage[r] as number;
      }
    }
    return set.filter((c) => !dropped.has(c));
  }

  /** Takes helpful candidates in `order` until nothing is short, then prunes. */
  greedy(order: readonly Candidate[]): Candidate[] {
    const freed = new Float64Array(RESOURCES);
    const set: Candidate[] = [];
    for (const c of order) {
      if (!this.helps(c, freed)) continue;
      set.push(c);
      for (let r = 0; r < RESOURCES; r++) freed[r]! += c.usage[r] as number;
      if (this.covers(freed)) return this.prune(set);
    }
    return this.prune(set); // not reached when feasible()
  }
}

interface Best {
  set: Candidate[];
  cost: number;
}

function better(a: Best | undefined, set: Candidate[], cost: number): Best {
  return a === undefined || cost < a.cost ? { set, cost } : a;
}

/** Sorted copy by `key` ascending, ties by input position. */
function sortedBy(cands: readonly Candidate[], key: (c: Candidate) => number): Candidate[] {
  const keyed = cands.map((c) => ({ c, k: key(c) }));
  keyed.sort((a, b) => a.k - b.k || a.c.index - b.c.index);
  return keyed.map((x) => x.c);
}

/**
 * The bounded heuristic, O(n log n) in candidates: the cheapest of
 * (a) the best single candidate that suffices alone, and the greedy, then
 * pruned, sets taken in order of (b) cost per unit of normalised need covered
 * (`Σ over short resources of min(frees, need) / need`), (c) cost per unit of
 * each short resource alone, (d) cost alone.
 */
function heuristic(p: Problem): Best {
  const cands = p.candidates;
  let best: Best | undefined;
  // (a) single victims that free enough alone.
  for (const c of cands) {
    if (p.covers(c.usage)) best = better(best, [c], p.total([c]));
  }
  // (b) cost per unit of normalised need.
  const coverage = (c: Candidate) => {
    let s = 0;
    for (const r of p.short)
      s += Math.min(c.usage[r] as number, p.needs[r] as number) / (p.needs[r] as number);
    return s;
  };
  const orders: Candidate[][] = [sortedBy(cands, (c) => c.additive / coverage(c))];
  // (c) cost per unit of each short resource (those that free none of it last).
  for (const r of p.short) {
    orders.push(
      sortedBy(cands, (c) => {
        const u = c.usage[r] as number;
        return u > 0 ? c.additive / u : Number.POSITIVE_INFINITY;
      }),
    );
  }
  // (d) cost alone.
  orders.push(sortedBy(cands, (c) => c.additive));
  for (const order of orders) {
    const set = p.greedy(order);
    best = better(best, set, p.total(set));
  }
  return best as Best;
}

/**
 * Branch and bound over candidates sorted by cost, include-first. A node is
 * cut when the rest cannot free enough, or when its lower bound reaches the
 * best cost so far: bound = cost of the partial set (set-dependent part
 * included: it never decreases as victims are added) + the largest, over
 * short resources, fractional-knapsack cost of covering what is still short
 * with the remaining candidates. Returns whether the search completed.
 */
function branchAndBound(
  p: Problem,
  start: Best,
  maxNodes: number,
): { best: Best; complete: boolean } {
  const cands = sortedBy(p.candidates, (c) => c.additive);
  const n = cands.length;
  const short = p.short;
  // suffix[i * RESOURCES + r]: what candidates i.. free of r together.
  const suffix = new Float64Array((n + 1) * RESOURCES);
  for (let i = n - 1; i >= 0; i--) {
    const u = (cands[i] as Candidate).usage;
    for (let r = 0; r < RESOURCES; r++) {
      suffix[i * RESOURCES + r] = (suffix[(i + 1) * RESOURCES + r] as number) + (u[r] as number);
    }
  }
  // Per short resource: positions of candidates freeing some of it, by cost per unit.
  const byRatio = short.map((r) => {
    const positions: number[] = [];
    for (let i = 0; i < n; i++)
      if (((cands[i] as Candidate).usage[r] as number) > 0) positions.push(i);
    positions.sort((a, b) => {
      const ca = cands[a] as Candidate;
      const cb = cands[b] as Candidate;
      return ca.additive / (ca.usage[r] as number) - cb.additive / (cb.usage[r] as number) || a - b;
    });
    return positions;
  });

  let best = start;
  let nodes = 0;
  let complete = true;
  const chosen: Candidate[] = [];
  const freed = new Float64Array(RESOURCES);

  const fractional = (from: number): number => {
    let bound = 0;
    for (let k = 0; k < short.length; k++) {
      const r = short[k] as number;
      let left = (p.needs[r] as number) - (freed[r] as number);
      if (left <= 0) continue;
      let cost = 0;
      for (const i of byRatio[k] as number[]) {
        if (i < from) continue;
        const c = cands[i] as Candidate;
        const u = c.usage[r] as number;
        if (u >= left) {
          cost += (c.additive * left) / u;
          left = 0;
          break;
        }
        cost += c.additive;
        left -= u;
      }
      if (cost > bound) bound = cost;
    }
    return bound;
  };

  const visit = (i: number, additive: number): void => {
    if (!complete) return;
    if (p.covers(freed)) {
      const cost = additive + p.setCost(chosen);
      if (cost < best.cost) best = { set: [...chosen], cost };
      return;
    }
    if (i === n) return;
    for (const r of short) {
      if ((freed[r] as number) + (suffix[i * RESOURCES + r] as number) < (p.needs[r] as number))
        return;
    }
    if (additive + p.setCost(chosen) + fractional(i) >= best.cost) return;
    if (++nodes > maxNodes) {
      complete = false;
      return;
    }
    const c = cands[i] as Candidate;
    if (p.helps(c, freed)) {
      chosen.push(c);
      for (let r = 0; r < RESOURCES; r++) freed[r]! += c.usage[r] as number;
      visit(i + 1, additive + c.additive);
      for (let r = 0; r < RESOURCES; r++) freed[r]! -= c.usage[r] as number;
      chosen.pop();
    }
    visit(i + 1, additive);
  };
  visit(0, 0);
  return { best, complete };
}

/**
 * Chooses the preemptible instances to terminate on one host so that every
 * limited resource (RAM, disk, vCPU, and the instance count / I/O ops when
 * `limitsExtra` gives their maxima) is within its limit, at the least total
 * cost `Σ over victims and weighers of multiplier * cost` (set-dependent
 * costs, e.g. waste, evaluated on the whole set). Returns `null` when even
 * every candidate together cannot free enough.
 *
 * Up to `maxExactCandidates` useful candidates (default 20): exact branch and
 * bound, seeded with the heuristic's set (`exact: true` unless the node budget
 * ran out, in which case the best set found, never worse than the heuristic's,
 * is returned with `exact: false`). Beyond that, the heuristic (`exact: false`),
 * O(n log n): its set always frees enough, never holds a victim that could be
 * dropped, and costs no more than any of: the cheapest single sufficient
 * victim, and the pruned greedy sets by cost per unit of normalised need, by
 * cost per unit of each short resource, and by cost alone. It has no
 * constant-factor bound against the optimum.
 *
 * opie terminated the last preemptible instance in the host's list, one only,
 * whatever it freed (docs/nova-and-opie-notes.md, opie problems 1-2); this replaces that choice.
 * @see opie/scheduler/filter_scheduler.py select_preemptibles_from_host
 */
export function planVictims(input: PlanVictimsInput): VictimPlan | null {
  const need =
    input.need ?? needOf(input.host, input.limits, input.limitsExtra, input.alreadyFreed);
  if (!needsSomething(need)) return nothingToFree(need);
  // Cheap necessary condition first (no weigher runs): every candidate together frees enough.
  if (needsSomething(shortfallOf(need, input.candidates))) return null;
  const p = new Problem(input.host, input.now, need, input.weighers, input.candidates);
  if (p.short.length === 0) return nothingToFree(need);
  if (!p.feasible()) return null;

  const greedy = heuristic(p);
  const maxNodes = input.maxExactNodes ?? 200_000;
  const budgetMs = input.budgetMs ?? DEFAULT_VICTIM_SEARCH_BUDGET_MS;
  const clock = input.clock ?? (() => performance.now());
  let chosen = greedy.set;
  let exact = false;
  let optimal = false;
  let lowerBound: number;
  if (p.candidates.length <= (input.maxExactCandidates ?? 20)) {
    const search = branchAndBound(p, greedy, maxNodes);
    chosen = p.prune(search.best.set);
    exact = search.complete;
    optimal = exact;
    lowerBound = search.best.cost;
    if (!exact) {
      // The node budget ran out: the grouped search, seeded with the best
      // set so far, gives a proven bound (and a cheaper set if it finds one).
      const more = exactSearch(p, search.best, { clock, deadline: clock() + budgetMs, maxNodes });
      if (more.cost < search.best.cost) chosen = p.prune(more.set);
      optimal = more.optimal;
      lowerBound = more.lowerBound;
    }
  } else if (budgetMs > 0) {
    const search = exactSearch(p, greedy, { clock, deadline: clock() + budgetMs, maxNodes });
    chosen = p.prune(search.set);
    exact = search.optimal;
    optimal = exact;
    lowerBound = search.lowerBound;
  } else {
    // The heuristic alone: the root's bound (which may prove it optimal).
    const root = exactSearch(p, greedy, { maxNodes: 0 });
    optimal = root.optimal;
    lowerBound = root.lowerBound;
  }
  const set = [...chosen].sort((a, b) => a.index - b.index);
  return explain(p, set, { exact, optimal, lowerBound }, input.weighers);
}

function nothingToFree(need: Need): VictimPlan {
  return { victims: [], cost: 0, terms: [], need, exact: true, optimal: true, lowerBound: 0 };
}

/** The plan of `set`, every weigher's part computed on the final set. */
function explain(
  p: Problem,
  set: readonly Candidate[],
  proof: { exact: boolean; optimal: boolean; lowerBound: number },
  weighers: readonly VictimWeigher[],
): VictimPlan {
  const victims = set.map((c) => c.instance);
  const ctx = p.context(victims);
  let cost = 0;
  const terms = victims.map((victim) => {
    let own = 0;
    const parts = weighers.map((w) => {
      const raw = checkCost(w, victim, w.cost(victim, ctx));
      const weighted = w.multiplier * raw;
      own += weighted;
      return { weigher: w.name, raw, multiplier: w.multiplier, weighted };
    });
    cost += own;
    return { victim, cost: own, terms: parts };
  });
  // The bound never exceeds the cost of the set returned (sums in another order).
  const { exact, optimal } = proof;
  const lowerBound = optimal ? cost : Math.min(proof.lowerBound, cost);
  return { victims, cost, terms, need: p.need, exact, optimal, lowerBound };
}
