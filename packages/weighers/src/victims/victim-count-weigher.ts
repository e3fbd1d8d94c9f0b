import type { OptionSpec, VictimWeigher, VictimWeigherPlugin } from '@opie/core';
import { checkedMultiplier, victimMultiplierOption } from './victim-multiplier.js';

export const VICTIM_COUNT_WEIGHER = 'opie.scheduler.weights.victims.VictimCountWeigher';

/** `[preemptible_instances_scheduler] victim_count_weight_multiplier`. */
export const victimCountWeightMultiplierOption: OptionSpec = victimMultiplierOption(
  'victim_count_weight_multiplier',
  300.0,
  'VictimCountWeigher multiplier: the price of each terminated instance.',
);

/**
 * Costs 1 per victim: fewer terminations are better. Not in opie, which
 * terminated exactly one instance (docs/nova-and-opie-notes.md, opie problem 1).
 * @see opie/scheduler/filter_scheduler.py select_preemptibles_from_host
 */
export function createVictimCountWeigher(options: { multiplier?: number } = {}): VictimWeigher {
  return {
    name: VICTIM_COUNT_WEIGHER,
    multiplier: checkedMultiplier('victim_count_weight_multiplier', options.multiplier, 300.0),
    cost: () => 1,
  };
}

export const victimCountWeigherPlugin: VictimWeigherPlugin = {
  kind: 'victim-weigher',
  classPath: VICTIM_COUNT_WEIGHER,
  description: 'Prefers fewer victims: each terminated instance costs the same.',
  options: [victimCountWeightMultiplierOption],
  create: (ctx) =>
    createVictimCountWeigher({
      multiplier: ctx.conf.float(
        'preemptible_instances_scheduler',
        'victim_count_weight_multiplier',
      ),
    }),
};
