import type { OptionSpec, VictimWeigher, VictimWeigherPlugin } from '@opie/core';
import { ConfigError } from '@opie/core';
import { preemptibleBillingPeriodOption } from '../preemptible-duration-weigher.js';
import { pythonModulo } from './python-modulo.js';
import { checkedMultiplier, victimMultiplierOption } from './victim-multiplier.js';

export const BILLING_REMAINDER_VICTIM_WEIGHER =
  'opie.scheduler.weights.victims.BillingRemainderVictimWeigher';

/** `[preemptible_instances_scheduler] billing_remainder_weight_multiplier`. */
export const billingRemainderWeightMultiplierOption: OptionSpec = victimMultiplierOption(
  'billing_remainder_weight_multiplier',
  1.0,
  'BillingRemainderVictimWeigher multiplier, per second of paid work a victim loses.',
);

/**
 * Costs a victim the seconds it has run into its current billing period,
 * `((now - createdAt) / 1000) mod period` with Python's modulo (an instance
 * created in the future counts from the end of a period): the paid work its
 * owner loses. The same remainder as opie's PreemptibleDurationWeigher, used
 * per victim instead of summed per host.
 * @see opie/scheduler/weights/preemptible.py PreemptibleDurationWeigher
 */
export function createBillingRemainderVictimWeigher(
  options: { multiplier?: number; billingPeriod?: number | null } = {},
): VictimWeigher {
  const period = options.billingPeriod === undefined ? 3600 : options.billingPeriod;
  if (period === null || !Number.isInteger(period) || period < 1) {
    throw new ConfigError([
      {
        section: 'DEFAULT',
        key: 'preemptible_billing_period',
        message: `must be an integer number of seconds >= 1, got ${String(period)}`,
        hint: 'the default is 3600 (one hour)',
      },
    ]);
  }
  return {
    name: BILLING_REMAINDER_VICTIM_WEIGHER,
    multiplier: checkedMultiplier('billing_remainder_weight_multiplier', options.multiplier, 1.0),
    cost: (victim, ctx) => pythonModulo((ctx.now - victim.createdAt) / 1000, period),
  };
}

export const billingRemainderVictimWeigherPlugin: VictimWeigherPlugin = {
  kind: 'victim-weigher',
  classPath: BILLING_REMAINDER_VICTIM_WEIGHER,
  description: 'Prefers victims that are least far into their current billing period.',
  options: [billingRemainderWeightMultiplierOption, preemptibleBillingPeriodOption],
  create: (ctx) =>
    createBillingRemainderVictimWeigher({
      multiplier: ctx.conf.float(
        'preemptible_instances_scheduler',
        'billing_remainder_weight_multiplier',
      ),
      billingPeriod: ctx.conf.int('DEFAULT', 'preemptible_billing_period'),
    }),
};
