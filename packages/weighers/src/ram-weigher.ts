import type { HostState, HostWeigher, OptionSpec, WeigherPlugin } from '@opie/core';
import { novaVersionOf, novaVersionOption } from '@opie/core';
import { followZed } from './aggregate-multiplier.js';
import type { ZedWeighing } from './aggregate-multiplier.js';
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
 * With `zed` (nova Zed): raw weights clamped into the class bounds, and each
 * host's multiplier read from its aggregates' metadata (`followZed`).
 * @see nova/scheduler/weights/ram.py RAMWeigher
 */
export function createRamWeigher(
  options: { multiplier?: number | undefined; zed?: ZedWeighing | undefined } = {},
): HostWeigher {
  const weigher: HostWeigher = {
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
  return options.zed === undefined
    ? weigher
    : followZed(weigher, 'ram_weight_multiplier', options.zed);
}

/**
 * Multiplier read once at creation (nova reads it on every request). Under
 * `[opie] nova_version = zed`, as nova Zed: raw weights clamped into the class
 * bounds, `ram_weight_multiplier` read from aggregate metadata.
 * @see nova/scheduler/weights/ram.py (stable/zed)
 */
export const ramWeigherPlugin: WeigherPlugin = {
  kind: 'weigher',
  classPath: RAM_WEIGHER,
  description: 'Prefers hosts with more free RAM (or less, with a negative multiplier).',
  options: [ramWeightMultiplierOption, novaVersionOption],
  create: (ctx) =>
    createRamWeigher({
      multiplier: ctx.conf.float('filter_scheduler', 'ram_weight_multiplier'),
      zed: novaVersionOf(ctx.conf) === 'zed' ? { logger: ctx.runtime.logger } : undefined,
    }),
};
