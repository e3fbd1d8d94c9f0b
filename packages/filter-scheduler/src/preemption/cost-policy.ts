import type { HostState, Need, PreemptionSummary } from '@opie/core';
import type { Cycle, Rows } from '../pipeline/cycle.js';
import { placementNeedAt, placementNeedsPreemptionAt } from '../pipeline/limits.js';
import type { PlacementContext, PreemptionPolicy } from '../pipeline/placement-context.js';
import { overLimits } from '../pipeline/over-limits.js';
import { selectHosts } from './host-selection.js';
import type { HostOption } from './host-selection.js';
import { NO_NEED } from './need.js';
import { placementNeed, placementNeedsPreemption } from './placement-need.js';
import { describeShortfall } from './shortfall.js';
import { planVictims } from './victim-planner.js';
import type { VictimPlan } from './victim-planner.js';

const NOT_ENOUGH_HOSTS = 'There are not enough hosts available.';

function noVictims(host: HostState, weight: number): HostOption {
  return {
    host,
    weight,
    rank: 0,
    need: NO_NEED,
    plan: { victims: [], cost: 0, terms: [], need: NO_NEED, exact: true },
    score: weight,
  };
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
    if (fast) {
      for (let j = 0; j < count; j++) {
        const row = rows[j] as number;
        const needs =
          columnLimits !== undefined
            ? placementNeedsPreemptionAt(fullCols, row, columnLimits, flavor, freedAt(row))
            : placementNeedsPreemption(
                fullCols.states[row] as HostState,
                ctx.limitsOf(cycle, cycle.cols.states[row] as HostState),
                flavor,
                freedAt(row),
              );
        if (needs) {
          fast = false;
          break;
        }
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
      });
    const rejectionOf = (full: HostState, need: Need): string =>
      describeShortfall(need, ctx.victimCandidates(cycle, full), ctx.candidatesWhat(cycle));

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
