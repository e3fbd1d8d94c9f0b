import type { Cycle, Rows } from '../pipeline/cycle.js';
import { NOT_ENOUGH_HOSTS } from '../pipeline/cycle.js';
import type { PlacementContext, PreemptionPolicy } from '../pipeline/placement-context.js';
import { describeOvercommit } from '../scheduler/overcommit.js';
import type { VictimSelector } from '../scheduler/victims.js';
import { NO_NEED } from './need.js';

/**
 * A custom `victimSelector`: the host is chosen by weight alone (nova's
 * choice), the instance is consumed there, and the selector picks the
 * victims that bring the host back within its limits.
 */
export function selectorPolicy(selector: VictimSelector): PreemptionPolicy {
  return {
    name: 'selector',
    placeInstance(ctx: PlacementContext, cycle: Cycle, index: number, input: Rows): Rows {
      const c = ctx.filter(cycle, input);
      if (c.passed.count === 0) ctx.noHost(cycle, index, c);
      const weighed = ctx.weigh(cycle, c, ctx.hostSubsetSize);
      const chosen = weighed[ctx.pick(weighed.length)];
      if (chosen === undefined) ctx.fail(cycle, NOT_ENOUGH_HOSTS);
      const full = chosen.host;
      const filtered = ctx.filteredOf(cycle, full);
      const limits = ctx.claim(cycle, full, filtered);
      let failure: string | undefined;
      const state = ctx.currentFull(full);
      const choice = selector({
        host: state,
        limits,
        alreadyChosen: cycle.chosen,
        alreadyFreed: ctx.freedOn(cycle, state) ?? NO_NEED,
      });
      if (choice === null) {
        // A forced host skipped the filters: the operator asked for it, so it
        // is used as it is (nova sets no limits on forced hosts).
        if (!c.forced) {
          failure = `Cannot terminate enough preemptible instances on ${full.host} (${full.nodename}).`;
        }
      } else {
        const reason = `over limits after placing instance ${index + 1}: ${describeOvercommit(choice.overcommit)}`;
        for (const victim of choice.victims) ctx.takeVictim(cycle, state, victim, index, reason);
      }
      ctx.finish(cycle, index, full, failure);
      if (failure !== undefined) ctx.fail(cycle, failure);
      return c.passed;
    },
  };
}
