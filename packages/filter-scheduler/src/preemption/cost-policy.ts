import type { HostState, Need, PreemptionSummary } from '@opie/core';
import { weighRowsTotals } from '@opie/weighers';
import type { Candidates, Cycle, Rows } from '../pipeline/cycle.js';
import { NOT_ENOUGH_HOSTS } from '../pipeline/cycle.js';
import { placementNeedAt, placementNeedsPreemptionAt } from '../pipeline/limits.js';
import type { PlacementContext, PreemptionPolicy } from '../pipeline/placement-context.js';
import { overLimits } from '../pipeline/over-limits.js';
import type { Candidates as Passed, JointPlan, JointStep } from '../pipeline/cycle.js';
import { selectHosts } from './host-selection.js';
import { jointVerdict, planJointly, stepHolds } from './joint-planning.js';
import type { HostOption } from './host-selection.js';
import { NO_NEED } from './need.js';
import { needsSomething, placementNeed, placementNeedsPreemption } from './placement-need.js';
import { describeShortfall } from './shortfall.js';
import { planVictims } from './victim-planner.js';
import type { VictimPlan } from './victim-planner.js';

let needScratch = new Uint8Array(0);

function needBuffer(n: number): Uint8Array {
  if (needScratch.length < n) needScratch = new Uint8Array(Math.max(n, needScratch.length * 2));
  return needScratch;
}

let totalsScratch = new Float64Array(0);

/**
 * The best `host_subset_size` hosts that need no preemption (`needs[j]` 0),
 * best first in the stable weighed order (equal weights keep row order), as
 * `selectHosts` in prefer-no-preemption mode walks them; `undefined` when a
 * weigher has no column kernel or a weight is NaN (the full path decides).
 */
function bestFree(
  ctx: PlacementContext,
  cycle: Cycle,
  c: Candidates,
  needs: Uint8Array,
): HostState[] | undefined {
  const { rows, count } = c.passed;
  if (totalsScratch.length < count) totalsScratch = new Float64Array(Math.max(count, 16));
  const totals = totalsScratch;
  if (!weighRowsTotals(ctx.weighers, cycle.full, rows, count, cycle.request, totals)) {
    return undefined;
  }
  const k = ctx.hostSubsetSize;
  const top: number[] = [];
  for (let j = 0; j < count; j++) {
    const w = totals[j] as number;
    if (Number.isNaN(w)) return undefined;
    if (needs[j] === 1) continue;
    if (top.length === k && !(w > (totals[top[k - 1] as number] as number))) continue;
    let p = top.length === k ? k - 1 : top.length;
    if (top.length < k) top.push(j);
    while (p > 0 && (totals[top[p - 1] as number] as number) < w) {
      top[p] = top[p - 1] as number;
      p--;
    }
    top[p] = j;
  }
  const states = cycle.full.states;
  return top.map((j) => states[rows[j] as number] as HostState);
}

function noVictims(host: HostState, weight: number): HostOption {
  return {
    host,
    weight,
    rank: 0,
    need: NO_NEED,
    plan: {
      victims: [],
      cost: 0,
      terms: [],
      need: NO_NEED,
      exact: true,
      optimal: true,
      lowerBound: 0,
    },
    score: weight,
  };
}

/**
 * Whether the request's remaining copies may be planned together: two or
 * more left, `prefer-no-preemption`, one host per choice (no random subset),
 * no forced host, and server-group policies (if any) that joint planning
 * follows: `affinity` (all on one host) and `anti-affinity` (one per host).
 */
function jointEligible(ctx: PlacementContext, cycle: Cycle, index: number, c: Passed): boolean {
  return (
    ctx.jointPlanning &&
    cycle.spec.numInstances - index >= 2 &&
    ctx.hostSelection === 'prefer-no-preemption' &&
    ctx.hostSubsetSize === 1 &&
    !c.forced &&
    cycle.request.groupPolicies.every((p) => p === 'affinity' || p === 'anti-affinity')
  );
}

/** Places instance `index` as the joint plan says (its step holds: checked before). */
function followStep(
  ctx: PlacementContext,
  cycle: Cycle,
  index: number,
  c: Passed,
  joint: JointPlan,
  step: JointStep,
  weighedAlready: boolean,
): void {
  if (cycle.observer !== undefined) {
    if (!weighedAlready) ctx.weigh(cycle, c);
    cycle.observer.preemptionPlanned(index, new Map([[step.host, jointVerdict(step)]]));
  }
  const full = step.host;
  const filtered = ctx.filteredOf(cycle, full);
  const freed = ctx.freedOn(cycle, full);
  const limits = ctx.claim(cycle, full, filtered);
  const plan = step.plan;
  if (plan !== null && plan.victims.length > 0) {
    const after = ctx.currentFull(full);
    const also =
      step.copies > 1
        ? `; frees room for ${step.copies} instances of the request (planned jointly)`
        : '';
    const reason = `over limits after placing instance ${index + 1}: ${overLimits(after, limits, freed)}${also}`;
    for (const t of plan.terms) {
      ctx.takeVictim(cycle, full, t.victim, index, reason, { cost: t.cost, terms: t.terms });
    }
  }
  ctx.finish(cycle, index, full, undefined, {
    policy: 'cost',
    hostSelection: ctx.hostSelection,
    plannedHosts: index === joint.from ? joint.planned : 0,
    joint: {
      instances: cycle.spec.numInstances - joint.from,
      cost: joint.cost,
      optimal: joint.optimal,
    },
  });
}

/**
 * The cost-aware policy (the default, `victim_policy = cost`): host choice
 * knows what preemption costs (`selectHosts` under `host_selection`), and the
 * victims on the chosen host are the least-cost sufficient set
 * (`planVictims`, priced by the victim weighers). When no host that passed
 * needs preemption, this is nova's choice: only the best `host_subset_size`
 * hosts are weighed.
 */
export const costPolicy: PreemptionPolicy = {
  name: 'cost',
  placeInstance(ctx: PlacementContext, cycle: Cycle, index: number, input: Rows): Rows {
    const c = ctx.filter(cycle, input);
    if (c.passed.count === 0) ctx.noHost(cycle, index, c);
    const joint = cycle.joint;
    const step = joint?.steps.get(index);
    if (joint !== undefined && step !== undefined) {
      if (stepHolds(ctx, cycle, c, step)) {
        followStep(ctx, cycle, index, c, joint, step, false);
        return c.passed;
      }
      cycle.joint = undefined; // no longer holds: one instance at a time from here
    }
    const flavor = cycle.spec.flavor;
    const explain = cycle.observer !== undefined;
    const columnLimits = c.columnLimits;
    const { rows, count } = c.passed;
    const fullCols = cycle.full;
    const freedAt = (row: number): Need | undefined =>
      cycle.freedByHost.size === 0
        ? undefined
        : ctx.freedOn(cycle, fullCols.states[row] as HostState);

    // Fast path: no host needs preemption (an allocation-free pre-scan over
    // the columns), so nova's choice stands under every host selection mode
    // and only the best host_subset_size hosts are weighed.
    let fast = !explain;
    let needing = 0;
    const needs = needBuffer(count);
    if (fast) {
      for (let j = 0; j < count; j++) {
        const row = rows[j] as number;
        const need =
          columnLimits !== undefined
            ? placementNeedsPreemptionAt(fullCols, row, columnLimits, flavor, freedAt(row))
            : placementNeedsPreemption(
                fullCols.states[row] as HostState,
                ctx.limitsOf(cycle, cycle.cols.states[row] as HostState),
                flavor,
                freedAt(row),
              );
        needs[j] = need ? 1 : 0;
        if (need) {
          needing += 1;
          if (columnLimits === undefined) break;
        }
      }
      fast = needing === 0;
    }
    // Prefer-no-preemption with some hosts that need none: the best
    // host_subset_size of those, in weighed order, is what host selection
    // takes, found from the columns' totals without ordering every host.
    if (
      !fast &&
      !explain &&
      columnLimits !== undefined &&
      needing < count &&
      ctx.hostSelection === 'prefer-no-preemption'
    ) {
      const free = bestFree(ctx, cycle, c, needs);
      if (free !== undefined) {
        const chosen = free[ctx.pick(free.length)] as HostState;
        ctx.claim(cycle, chosen, ctx.filteredOf(cycle, chosen));
        ctx.finish(cycle, index, chosen, undefined, {
          policy: 'cost',
          hostSelection: ctx.hostSelection,
          plannedHosts: 0,
        });
        return c.passed;
      }
    }
    const orderRows: number[] = [];
    const weighed = ctx.weigh(cycle, c, fast ? ctx.hostSubsetSize : undefined, orderRows);
    const needOfHost = (full: HostState, rank: number): Need => {
      const row = orderRows[rank];
      if (columnLimits !== undefined && row !== undefined && fullCols.states[row] === full) {
        return placementNeedAt(fullCols, row, columnLimits, flavor, freedAt(row));
      }
      const limits = ctx.limitsOf(cycle, ctx.filteredOf(cycle, full));
      return placementNeed(full, limits, flavor, ctx.freedOn(cycle, full));
    };
    const planOf = (full: HostState, need: Need): VictimPlan | null =>
      planVictims({
        host: full,
        limits: ctx.limitsOf(cycle, ctx.filteredOf(cycle, full)),
        candidates: ctx.victimCandidates(cycle, full),
        weighers: ctx.victimWeighers,
        now: cycle.now,
        need,
        ...(ctx.maxExactCandidates !== undefined
          ? { maxExactCandidates: ctx.maxExactCandidates }
          : {}),
        ...(ctx.maxExactNodes !== undefined ? { maxExactNodes: ctx.maxExactNodes } : {}),
        budgetMs: ctx.victimSearchBudgetMs,
        clock: ctx.victimSearchClock,
      });
    const rejectionOf = (full: HostState, need: Need): string =>
      describeShortfall(need, ctx.victimCandidates(cycle, full), ctx.candidatesWhat(cycle));

    // Multi-instance requests: when no host can take a copy without
    // preemption, the copies left are planned together.
    if (
      !fast &&
      jointEligible(ctx, cycle, index, c) &&
      weighed.every((w, rank) => needsSomething(needOfHost(w.host, rank)))
    ) {
      const result = planJointly(ctx, cycle, index, weighed, orderRows);
      if (result !== undefined) {
        const plan: JointPlan = {
          steps: new Map(result.steps.map((s, k) => [index + k, s])),
          from: index,
          cost: result.cost,
          optimal: result.optimal,
          planned: result.planned,
        };
        const first = plan.steps.get(index);
        if (first !== undefined && stepHolds(ctx, cycle, c, first)) {
          cycle.joint = plan;
          followStep(ctx, cycle, index, c, plan, first, true);
          return c.passed;
        }
      }
    }
    let options: HostOption[];
    let selection: ReturnType<typeof selectHosts> | undefined;
    if (fast) {
      options = weighed.slice(0, ctx.hostSubsetSize).map((w, rank) => ({
        ...noVictims(w.host, w.weight),
        rank,
      }));
    } else {
      selection = selectHosts({
        ordered: weighed,
        mode: ctx.hostSelection,
        subset: ctx.hostSubsetSize,
        maxPlannedHosts: ctx.maxPlannedHosts,
        costMultiplier: ctx.preemptionCostMultiplier,
        needOf: needOfHost,
        planOf,
        rejectionOf,
        explain,
      });
      options = selection.options;
      if (explain) cycle.observer?.preemptionPlanned(index, selection.verdicts);
    }
    const summary: PreemptionSummary = {
      policy: 'cost',
      hostSelection: ctx.hostSelection,
      plannedHosts: selection?.planned ?? 0,
    };

    let option = options[ctx.pick(options.length)];
    if (option === undefined && c.forced) {
      // Forced hosts skipped the filters: the operator asked for them, so the
      // best is used as it is, without victims (nova sets no limits there).
      const best = weighed[0];
      if (best !== undefined) option = noVictims(best.host, best.weight);
    }
    if (option === undefined) {
      const n = count;
      const first = selection?.firstRejection;
      const detail = first !== undefined ? ` (${first.host}: ${first.reason})` : '';
      const why = `${n} host${n === 1 ? '' : 's'} passed the filters but none can free enough by preemption${detail}`;
      ctx.finish(cycle, index, null, why, summary);
      ctx.fail(
        cycle,
        `${NOT_ENOUGH_HOSTS} Instance ${index + 1} of ${cycle.spec.numInstances}: ${why}.`,
      );
    }

    const full = option.host;
    const filtered = ctx.filteredOf(cycle, full);
    const freed = ctx.freedOn(cycle, full);
    const limits = ctx.claim(cycle, full, filtered);
    if (option.plan.victims.length > 0) {
      const after = ctx.currentFull(full);
      const reason = `over limits after placing instance ${index + 1}: ${overLimits(after, limits, freed)}`;
      for (const t of option.plan.terms) {
        ctx.takeVictim(cycle, full, t.victim, index, reason, { cost: t.cost, terms: t.terms });
      }
    }
    ctx.finish(cycle, index, full, undefined, summary);
    return c.passed;
  },
};
