import type { HostState, HostWeigher, OptionSpec, WeigherPlugin } from '@opie/core';
import { multiplierOf } from './multiplier.js';

/** `[filter_scheduler] ram_weight_multiplier` (Liberty: `[DEFAULT] ram_weight_multiplier`). */
export const ramWeightMultiplierOption: OptionSpec = {
  group: 'filter_scheduler',
  name: 'ram_weight_multiplier',
  type: 'float',
  default: 1.0,
  help:
    'RAMWeigher multiplier. Positive values spread instances over the hosts with ' +
    'the most free RAM; negative values stack them on the fullest hosts.',
  deprecatedNames: [{ group: 'DEFAULT', name: 'ram_weight_multiplier' }],
};

export const RAM_WEIGHER = 'nova.scheduler.weights.ram.RAMWeigher';

/**
 * Weighs hosts by free RAM (`freeRamMb`), class minimum 0.
 * @see nova/scheduler/weights/ram.py RAMWeigher
 */
export function createRamWeigher(options: { multiplier?: number | undefined } = {}): HostWeigher {
  return {
    name: RAM_WEIGHER,
    minval: 0,
    multiplier: multiplierOf(RAM_WEIGHER, options.multiplier, 1.0),
    weigh: (host) => host.freeRamMb,
    weighColumns(cols, rows, count, _request, out) {
      const col = cols.freeRamMb;
      for (let j = 0; j < count; j++) out[j] = col[rows[j] as number] as number;
    },
    weighAll(hosts, _request, out) {
      for (let i = 0; i < hosts.length; i++) out[i] = (hosts[i] as HostState).freeRamMb;
    },
  };
}

/** Multiplier read once at creation (nova reads it on every request). */
export const ramWeigherPlugin: WeigherPlugin = {
  kind: 'weigher',
  classPath: RAM_WEIGHER,
  description: 'Prefers hosts with more free RAM (or less, with a negative multiplier).',
  options: [ramWeightMultiplierOption],
  create: (ctx) =>
    createRamWeigher({ multiplier: ctx.conf.float('filter_scheduler', 'ram_weight_multiplier') }),
};
