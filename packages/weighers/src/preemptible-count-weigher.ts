import type { HostState, HostWeigher, OptionSpec, WeigherPlugin } from '@opie/core';
import { preemptibleInstancesOf } from '@opie/core';
import { multiplierOf } from './multiplier.js';

/** `[DEFAULT] preemptible_count_weight_multiplier` (opie). */
export const preemptibleCountWeightMultiplierOption: OptionSpec = {
  group: 'DEFAULT',
  name: 'preemptible_count_weight_multiplier',
  type: 'float',
  default: 1000.0,
  help:
    'PreemptibleCountWeigher multiplier. Positive values prefer hosts with fewer ' +
    'preemptible instances.',
};

export const PREEMPTIBLE_COUNT_WEIGHER =
  'opie.scheduler.weights.preemptible.PreemptibleCountWeigher';

/**
 * Weighs hosts by minus the number of preemptible instances on them, class
 * maximum 0. An instance is preemptible by core's strict `isPreemptibleInstance`
 * (opie: any truthy `system_metadata.preemptible`, so `"false"` counted); the
 * host manager's cached list is used when the state has one.
 * @see opie/scheduler/weights/preemptible.py PreemptibleCountWeigher
 */
export function createPreemptibleCountWeigher(
  options: { multiplier?: number | undefined } = {},
): HostWeigher {
  return {
    name: PREEMPTIBLE_COUNT_WEIGHER,
    maxval: 0,
    multiplier: multiplierOf(PREEMPTIBLE_COUNT_WEIGHER, options.multiplier, 1000.0),
    weigh(host) {
      // `0 - 0` is +0, where `-count` would give -0
      return 0 - preemptibleInstancesOf(host).length;
    },
    weighColumns(cols, rows, count, _request, out) {
      const col = cols.numPreemptible;
      for (let j = 0; j < count; j++) out[j] = 0 - (col[rows[j] as number] as number);
    },
    weighAll(hosts, _request, out) {
      for (let i = 0; i < hosts.length; i++) {
        out[i] = 0 - preemptibleInstancesOf(hosts[i] as HostState).length;
      }
    },
  };
}

/** Multiplier read once at creation (opie reads it on every request). */
export const preemptibleCountWeigherPlugin: WeigherPlugin = {
  kind: 'weigher',
  classPath: PREEMPTIBLE_COUNT_WEIGHER,
  description: 'Prefers hosts with fewer preemptible instances (opie).',
  options: [preemptibleCountWeightMultiplierOption],
  create: (ctx) =>
    createPreemptibleCountWeigher({
      multiplier: ctx.conf.float('DEFAULT', 'preemptible_count_weight_multiplier'),
    }),
};
