/**
 * The exact victim search for hosts with many candidates: a branch and bound
 * over groups of interchangeable candidates, with a time (and node) budget.
 *
 * The problem: choose a set of candidates whose usage covers `needs` on every
 * short resource at the least cost, the cost being each chosen candidate's
 * `additive` part plus the set-dependent part `setCost(set)` (which never
 * decreases as victims are added).
 *
 * - **Clipping**: a candidate's usage of a resource counts up to the need
 *   (`min(usage, need)`); a set covers with the clipped usages exactly when
 *   it covers with the real ones.
 * - **Groups** (dominance of identical candidates): without set-dependent
 *   weighers, candidates with the same clipped usage are interchangeable but
 *   for their cost, so taking `t` of a group means taking its `t` cheapest
 *   (exchanging a taken candidate for a cheaper untaken twin keeps the set
 *   sufficient and lowers its cost). The search branches on how many of each
 *   group are taken, `t` from the most useful down to 0. With set-dependent
 *   weighers every candidate is its own group.
 * - **Bounds** at a node (groups before `g` decided): the cost so far
 *   (set-dependent part of the partial set included) plus the largest of,
 *   per short resource, the fractional-knapsack cost of covering what is
 *   still short with the undecided candidates (an LP bound), and the sum of
 *   the `K` cheapest undecided candidates, `K` being the fewest undecided
 *   candidates that can cover some short resource (any sufficient set has at
 *   least that many). A node whose undecided candidates together cannot
 *   cover is cut.
 * - **Incumbent**: the caller's set (the heuristic's), replaced only by a
 *   strictly cheaper one.
 * - **Budget**: the clock is read at the first node and every 64th after (the
 *   node cap is checked at each). When either runs out the search stops; the lower bound is then the
 *   least over the nodes left open (each unexplored child's bound) and the
 *   best cost, so it is `<=` the optimum.
 */

/** One candidate as the search sees it. */
export interface SearchItem {
  /** What it frees, per resource (vector order). */
  readonly usage: Float64Array;
  /** Its set-independent cost. */
  readonly additive: number;
  /** Position in the input (stable ties). */
  readonly index: number;
}

export interface SearchProblem<T extends SearchItem> {
  readonly candidates: readonly T[];
  /** The short resources (indices into `usage` / `needs`). */
  readonly short: readonly number[];
  readonly needs: Float64Array;
  /** True when some weigher's cost depends on the set (no grouping then). */
  readonly setDependent: boolean;
  /** The set-dependent part of a set's cost; never decreases when a victim is added. */
  setCost(set: readonly T[]): number;
  /** Whether the set covers every short resource (the real usages). */
  coversSet(set: readonly T[]): boolean;
}

export interface SearchBudget {
  /** The clock, ms (default `performance.now`). */
  clock?: (() => number) | undefined;
  /** Stop when `clock()` passes this (default: no time limit). */
  deadline?: number | undefined;
  /** Stop after this many nodes (default: no node limit). */
  maxNodes?: number | undefined;
}

export interface SearchResult<T> {
  set: T[];
  cost: number;
  /** The search completed: `set` is a cheapest sufficient set. */
  optimal: boolean;
  /** A proven lower bound on the least cost (`cost` when optimal). */
  lowerBound: number;
  /** Nodes expanded. */
  nodes: number;
}

/** Relative slack under which a cost does not count as an improvement (float sums). */
function slack(cost: number): number {
  return 1e-9 * Math.max(1, Math.abs(cost));
}

interface Group<T> {
  items: T[];
  /** Clipped usage per short resource (`k` = position in `short`). */
  usage: Float64Array;
  /** prefix[t]: additive cost of the `t` cheapest. */
  prefix: Float64Array;
}

const CLOCK_EVERY = 64;

export function exactSearch<T extends SearchItem>(
  p: SearchProblem<T>,
  start: { set: T[]; cost: number },
  budget: SearchBudget = {},
): SearchResult<T> {
  const short = p.short;
  const R = short.length;
  const need = Float64Array.from(short, (r) => p.needs[r] as number);
  const clipped = (c: T): Float64Array => {
    const u = new Float64Array(R);
    for (let k = 0; k < R; k++) {
      const v = c.usage[short[k] as number] as number;
      const d = need[k] as number;
      u[k] = v < d ? v : d;
    }
    return u;
  };

  // Groups of interchangeable candidates, cheapest first inside each.
  const groups: Group<T>[] = [];
  const raw: { usage: Float64Array; items: T[] }[] = [];
  if (p.setDependent) {
    for (const c of p.candidates) raw.push({ usage: clipped(c), items: [c] });
  } else {
    const byKey = new Map<string, { usage: Float64Array; items: T[] }>();
    for (const c of p.candidates) {
      const u = clipped(c);
      let key = String(u[0]);
      for (let k = 1; k < R; k++) key += `,${u[k] as number}`;
      const g = byKey.get(key);
      if (g === undefined) {
        const fresh = { usage: u, items: [c] };
        byKey.set(key, fresh);
        raw.push(fresh);
      } else {
        g.items.push(c);
      }
    }
  }
  for (const { usage, items } of raw) {
    if (items.length > 1) items.sort((a, b) => a.additive - b.additive || a.index - b.index);
    const prefix = new Float64Array(items.length + 1);
    for (let t = 0; t < items.length; t++) {
      prefix[t + 1] = (prefix[t] as number) + (items[t] as T).additive;
    }
    groups.push({ items, usage, prefix });
  }
  // Most efficient groups first: cost of the cheapest per unit of normalised need.
  const effOf = new Map<Group<T>, number>();
  for (const g of groups) {
    let coverage = 0;
    for (let k = 0; k < R; k++) coverage += (g.usage[k] as number) / (need[k] as number);
    effOf.set(g, (g.items[0] as T).additive / coverage);
  }
  groups.sort(
    (a, b) =>
      (effOf.get(a) as number) - (effOf.get(b) as number) ||
      (a.items[0] as T).index - (b.items[0] as T).index,
  );
  const G = groups.length;

  // Flattened items: group rank, cost, clipped usage (N x R); lists for the bounds.
  let N = 0;
  for (const g of groups) N += g.items.length;
  const itemGroup = new Int32Array(N);
  const itemCost = new Float64Array(N);
  const itemUse = new Float64Array(N * R);
  let at = 0;
  groups.forEach((g, rank) => {
    for (const c of g.items) {
      itemGroup[at] = rank;
      itemCost[at] = c.additive;
      for (let k = 0; k < R; k++) itemUse[at * R + k] = g.usage[k] as number;
      at += 1;
    }
  });
  /** Positions with `key` ascending (ties by position), optionally only where `keep`. */
  const sortedPositions = (key: Float64Array, keep?: (i: number) => boolean): Int32Array => {
    let list = new Int32Array(N);
    let m = 0;
    for (let i = 0; i < N; i++) if (keep === undefined || keep(i)) list[m++] = i;
    list = list.subarray(0, m);
    list.sort((a, b) => (key[a] as number) - (key[b] as number) || a - b);
    return list;
  };
  const ratioLists: Int32Array[] = [];
  const sizeLists: Int32Array[] = [];
  const key = new Float64Array(N);
  for (let k = 0; k < R; k++) {
    const frees = (i: number) => (itemUse[i * R + k] as number) > 0;
    for (let i = 0; i < N; i++) key[i] = (itemCost[i] as number) / (itemUse[i * R + k] as number);
    ratioLists.push(sortedPositions(key, frees));
    for (let i = 0; i < N; i++) key[i] = -(itemUse[i * R + k] as number);
    sizeLists.push(sortedPositions(key, frees));
  }
  const costList = sortedPositions(itemCost);
  /**
   * starts[g]: the first position of `list` whose item is in group `g` or
   * later (every position before it belongs to a decided group): the walks
   * of the bound start there instead of skipping decided items one by one.
   */
  const startsOf = (list: Int32Array): Int32Array => {
    const starts = new Int32Array(G + 1);
    let p = 0;
    for (let g = 0; g <= G; g++) {
      // Positions passed for g - 1 hold groups below g - 1: below g too.
      while (p < list.length && (itemGroup[list[p] as number] as number) < g) p += 1;
      starts[g] = p;
    }
    return starts;
  };
  const ratioStarts = ratioLists.map(startsOf);
  const sizeStarts = sizeLists.map(startsOf);
  const costStarts = startsOf(costList);
  // suffix[g * R + k]: what groups g.. free of resource k together.
  const suffix = new Float64Array((G + 1) * R);
  for (let g = G - 1; g >= 0; g--) {
    const grp = groups[g] as Group<T>;
    for (let k = 0; k < R; k++) {
      suffix[g * R + k] =
        (suffix[(g + 1) * R + k] as number) + grp.items.length * (grp.usage[k] as number);
    }
  }

  const clock = budget.clock ?? (() => performance.now());
  const deadline = budget.deadline ?? Number.POSITIVE_INFINITY;
  const maxNodes = budget.maxNodes ?? Number.POSITIVE_INFINITY;
  const freed = new Float64Array(R);
  const chosen: T[] = [];
  let best = { set: start.set, cost: start.cost };
  let nodes = 0;
  let aborted = false;
  let openBound = Number.POSITIVE_INFINITY;

  const covered = (): boolean => {
    for (let k = 0; k < R; k++) if ((freed[k] as number) < (need[k] as number)) return false;
    return true;
  };
  const setPart = (): number => (p.setDependent ? p.setCost(chosen) : 0);

  /** Lower bound of the node where groups before `g` are decided (Infinity: cannot cover). */
  const bound = (g: number, additive: number): number => {
    let frac = 0;
    let most = 0;
    for (let k = 0; k < R; k++) {
      const left = (need[k] as number) - (freed[k] as number);
      if (left <= 0) continue;
      if ((suffix[g * R + k] as number) < left) return Number.POSITIVE_INFINITY;
      // Fractional knapsack over the undecided candidates, by cost per unit.
      let rest = left;
      let cost = 0;
      const ratios = ratioLists[k] as Int32Array;
      for (let p = (ratioStarts[k] as Int32Array)[g] as number; p < ratios.length; p++) {
        const i = ratios[p] as number;
        if ((itemGroup[i] as number) < g) continue;
        const u = itemUse[i * R + k] as number;
        const c = itemCost[i] as number;
        if (u >= rest) {
          cost += (c * rest) / u;
          rest = 0;
          break;
        }
        cost += c;
        rest -= u;
      }
      if (cost > frac) frac = cost;
      // The fewest undecided candidates that cover this resource.
      rest = left;
      let count = 0;
      const sizes = sizeLists[k] as Int32Array;
      for (let p = (sizeStarts[k] as Int32Array)[g] as number; p < sizes.length; p++) {
        const i = sizes[p] as number;
        if ((itemGroup[i] as number) < g) continue;
        count += 1;
        rest -= itemUse[i * R + k] as number;
        if (rest <= 0) break;
      }
      if (count > most) most = count;
    }
    let cheapest = 0;
    if (most > 0) {
      for (let p = costStarts[g] as number; p < costList.length; p++) {
        const i = costList[p] as number;
        if ((itemGroup[i] as number) < g) continue;
        cheapest += itemCost[i] as number;
        if (--most === 0) break;
      }
    }
    return additive + setPart() + Math.max(frac, cheapest);
  };

  /** How many of group `g` can be useful now (more would free only what is not short). */
  const usefulCount = (g: number): number => {
    const grp = groups[g] as Group<T>;
    let most = 0;
    for (let k = 0; k < R; k++) {
      const left = (need[k] as number) - (freed[k] as number);
      const u = grp.usage[k] as number;
      if (left <= 0 || u <= 0) continue;
      const t = Math.ceil(left / u);
      if (t > most) most = t;
    }
    return Math.min(most, grp.items.length);
  };

  const take = (g: number, t: number, sign: 1 | -1): void => {
    const grp = groups[g] as Group<T>;
    for (let k = 0; k < R; k++) freed[k]! += sign * t * (grp.usage[k] as number);
    if (sign > 0) for (let j = 0; j < t; j++) chosen.push(grp.items[j] as T);
    else chosen.length -= t;
  };

  const leaf = (additive: number): void => {
    const cost = additive + setPart();
    if (cost < best.cost - slack(best.cost) && p.coversSet(chosen)) {
      best = { set: [...chosen], cost };
    }
  };

  /** The bound of the child where `t` of group `g` are taken (for the open-node bound). */
  const childBound = (g: number, t: number, additive: number): number => {
    take(g, t, 1);
    const a = additive + ((groups[g] as Group<T>).prefix[t] as number);
    let b: number;
    if (covered()) {
      leaf(a);
      b = a + setPart();
    } else {
      b = g + 1 < G ? bound(g + 1, a) : Number.POSITIVE_INFINITY;
    }
    take(g, t, -1);
    return b;
  };

  const visit = (g: number, additive: number): void => {
    if (covered()) {
      leaf(additive);
      return;
    }
    if (g === G) return;
    const b = bound(g, additive);
    if (b >= best.cost - slack(best.cost)) return;
    nodes += 1;
    if (nodes > maxNodes || (nodes % CLOCK_EVERY === 1 && clock() > deadline)) {
      aborted = true;
      if (b < openBound) openBound = b;
      return;
    }
    const grp = groups[g] as Group<T>;
    const most = usefulCount(g);
    for (let t = most; t >= 0; t--) {
      if (t > 0) take(g, t, 1);
      visit(g + 1, additive + (grp.prefix[t] as number));
      if (t > 0) take(g, t, -1);
      if (aborted) {
        for (let rest = t - 1; rest >= 0; rest--) {
          const cb = childBound(g, rest, additive);
          if (cb < openBound) openBound = cb;
        }
        return;
      }
    }
  };

  visit(0, 0);
  const lowerBound = aborted ? Math.min(openBound, best.cost) : best.cost;
  return { set: best.set, cost: best.cost, optimal: !aborted, lowerBound, nodes };
}
