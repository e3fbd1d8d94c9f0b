import type { OptionSpec, VictimWeigher, VictimWeigherPlugin } from '@opie/core';
import { checkedMultiplier, victimMultiplierOption } from './victim-multiplier.js';

export const AGE_VICTIM_WEIGHER = 'opie.scheduler.weights.victims.AgeVictimWeigher';

/** `[preemptible_instances_scheduler] age_weight_multiplier`. */
export const ageWeightMultiplierOption: OptionSpec = victimMultiplierOption(
  'age_weight_multiplier',
  60.0,
  'AgeVictimWeigher multiplier, per doubling of a victim age counted in hours.',
);

/**
 * Younger victims first: costs `log2(1 + age / 1 h)`, age in seconds from
 * `createdAt` to `now` (0 for an instance created in the future). The cost
 * grows with age, but slowly (1 h: 1, 1 day: 4.6, 30 days: 9.5, 1 year: 13.1),
 * so an old instance is protected without its age swamping the other costs.
 * Not in opie (its victim choice ignores age, docs/nova-and-opie-notes.md, opie problem 2).
 * @see opie/scheduler/filter_scheduler.py select_preemptibles_from_host
 */
export function createAgeVictimWeigher(options: { multiplier?: number } = {}): VictimWeigher {
  return {
    name: AGE_VICTIM_WEIGHER,
    multiplier: checkedMultiplier('age_weight_multiplier', options.multiplier, 60.0),
    cost(victim, ctx) {
      const ageSeconds = (ctx.now - victim.createdAt) / 1000;
      return ageSeconds > 0 ? Math.log2(1 + ageSeconds / 3600) : 0;
    },
  };
}

export const ageVictimWeigherPlugin: VictimWeigherPlugin = {
  kind: 'victim-weigher',
  classPath: AGE_VICTIM_WEIGHER,
  description: 'Prefers younger victims (cost grows with the logarithm of age).',
  options: [ageWeightMultiplierOption],
  create: (ctx) =>
    createAgeVictimWeigher({
      multiplier: ctx.conf.float('preemptible_instances_scheduler', 'age_weight_multiplier'),
    }),
};
