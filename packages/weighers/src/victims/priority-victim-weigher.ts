import type { OptionSpec, VictimWeigher, VictimWeigherPlugin } from '@opie/core';
import { checkedMultiplier, victimMultiplierOption } from './victim-multiplier.js';

export const PRIORITY_VICTIM_WEIGHER = 'opie.scheduler.weights.victims.PriorityVictimWeigher';

/** `[preemptible_instances_scheduler] priority_weight_multiplier`. */
export const priorityWeightMultiplierOption: OptionSpec = victimMultiplierOption(
  'priority_weight_multiplier',
  36000.0,
  'PriorityVictimWeigher multiplier, per unit of a victim priority.',
);

/**
 * Costs a victim its `priority` (higher survives longer). Costs must not be
 * negative, so a negative priority, or one that is not a finite number, costs
 * 0 like the default priority. Not in opie (no priorities).
 * @see opie/scheduler/filter_scheduler.py select_preemptibles_from_host
 */
export function createPriorityVictimWeigher(options: { multiplier?: number } = {}): VictimWeigher {
  return {
    name: PRIORITY_VICTIM_WEIGHER,
    multiplier: checkedMultiplier('priority_weight_multiplier', options.multiplier, 36000.0),
    cost(victim) {
      const p = victim.priority ?? 0;
      return Number.isFinite(p) && p > 0 ? p : 0;
    },
  };
}

export const priorityVictimWeigherPlugin: VictimWeigherPlugin = {
  kind: 'victim-weigher',
  classPath: PRIORITY_VICTIM_WEIGHER,
  description: 'Prefers victims of lower priority (cost = priority).',
  options: [priorityWeightMultiplierOption],
  create: (ctx) =>
    createPriorityVictimWeigher({
      multiplier: ctx.conf.float('preemptible_instances_scheduler', 'priority_weight_multiplier'),
    }),
};
