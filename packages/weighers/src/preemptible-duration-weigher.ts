import type { HostState, HostWeigher, Instance, OptionSpec, WeigherPlugin } from '@opie/core';
import { ConfigError, preemptibleInstancesOf } from '@opie/core';
import { pythonModulo } from './victims/python-modulo.js';
import { multiplierOf } from './multiplier.js';

/** `[DEFAULT] preemptible_duration_weight_multiplier` (opie). */
export const preemptibleDurationWeightMultiplierOption: OptionSpec = {
  group: 'DEFAULT',
  name: 'preemptible_duration_weight_multiplier',
  type: 'float',
  default: 1000.0,
  help:
    'PreemptibleDurationWeigher multiplier. Positive values prefer hosts whose ' +
    'preemptible instances are least far into their current billing period.',
};

/**
 * `[DEFAULT] preemptible_billing_period` (ours, not opie's: opie hard-codes
 * 3600). Must be an integer >= 1; the weigher's factory rejects other values.
 */
export const preemptibleBillingPeriodOption: OptionSpec = {
  group: 'DEFAULT',
  name: 'preemptible_billing_period',
  type: 'int',
  default: 3600,
  help:
    'Billing period of preemptible instances, in seconds (an integer >= 1). ' +
    'PreemptibleDurationWeigher weighs the time each one has run into its current period.',
};

export const PREEMPTIBLE_DURATION_WEIGHER =
  'opie.scheduler.weights.preemptible.PreemptibleDurationWeigher';

/**
 * Weighs hosts by minus the sum, over their preemptible instances, of the
 * seconds run into the current billing period:
 * `((now - createdAt) / 1000) mod period`, Python modulo (an instance created
 * in the future counts from the end of a period). Class maximum 0. `now` is
 * `request.now`. The period is `[DEFAULT] preemptible_billing_period`
 * (opie: always 3600). The sum depends on `now`, so only the preemptible
 * instances and their creation times are cached (by the host manager), never the sum.
 * @see opie/scheduler/weights/preemptible.py PreemptibleDurationWeigher
 */
export function createPreemptibleDurationWeigher(
  options: { multiplier?: number | undefined; billingPeriod?: number | null | undefined } = {},
): HostWeigher {
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
    name: PREEMPTIBLE_DURATION_WEIGHER,
    maxval: 0,
    multiplier: multiplierOf(PREEMPTIBLE_DURATION_WEIGHER, options.multiplier, 1000.0),
    weigh: (host, request) => durationWeight(host, request.now, period),
    weighColumns(cols, rows, count, request, out) {
      const now = request.now;
      const states = cols.states;
      for (let j = 0; j < count; j++) {
        out[j] = durationWeight(states[rows[j] as number] as HostState, now, period);
      }
    },
    weighAll(hosts, request, out) {
      const now = request.now;
      for (let i = 0; i < hosts.length; i++) {
        out[i] = durationWeight(hosts[i] as HostState, now, period);
      }
    },
  };
}

/** Minus the seconds each preemptible instance of `host` has run into its current period. */
function durationWeight(host: HostState, now: number, period: number): number {
  let remainder = 0;
  // The host manager's compact creation times, else each instance's.
  const createdAt = host.preemptibleCreatedAt;
  if (createdAt !== undefined) {
    for (let i = 0; i < createdAt.length; i++) {
      remainder += pythonModulo((now - (createdAt[i] as number)) / 1000, period);
    }
  } else {
    const preemptible = preemptibleInstancesOf(host);
    for (let i = 0; i < preemptible.length; i++) {
      remainder += pythonModulo((now - (preemptible[i] as Instance).createdAt) / 1000, period);
    }
  }
  return 0 - remainder; // `0 - 0` is +0, where `-remainder` would give -0
}

/** Options read once at creation (opie reads the multiplier on every request). */
export const preemptibleDurationWeigherPlugin: WeigherPlugin = {
  kind: 'weigher',
  classPath: PREEMPTIBLE_DURATION_WEIGHER,
  description:
    'Prefers hosts whose preemptible instances are least far into their billing period (opie).',
  options: [preemptibleDurationWeightMultiplierOption, preemptibleBillingPeriodOption],
  create: (ctx) =>
    createPreemptibleDurationWeigher({
      multiplier: ctx.conf.float('DEFAULT', 'preemptible_duration_weight_multiplier'),
      billingPeriod: ctx.conf.int('DEFAULT', 'preemptible_billing_period'),
    }),
};
