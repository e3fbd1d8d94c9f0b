import type { HostState, HostWeigher, OptionSpec, WeigherPlugin } from '@opie/core';
import { novaVersionOf, novaVersionOption } from '@opie/core';
import { followZed } from './aggregate-multiplier.js';
import type { ZedWeighing } from './aggregate-multiplier.js';
import { multiplierOf } from './multiplier.js';

/** `[filter_scheduler] disk_weight_multiplier` (Mitaka: `[DEFAULT] disk_weight_multiplier`). */
export const diskWeightMultiplierOption: OptionSpec = {
  group: 'filter_scheduler',
  name: 'disk_weight_multiplier',
  type: 'float',
  default: 1.0,
  help:
    'DiskWeigher multiplier. Positive values spread instances over the hosts with ' +
    'the most free disk; negative values stack them.',
  deprecatedNames: [{ group: 'DEFAULT', name: 'disk_weight_multiplier' }],
};

export const DISK_WEIGHER = 'nova.scheduler.weights.disk.DiskWeigher';

/**
 * Weighs hosts by free disk (`freeDiskMb`), class minimum 0. Not in Liberty (Mitaka+).
 * With `zed` (nova Zed): raw weights clamped into the class bounds, and each
 * host's multiplier read from its aggregates' metadata (`followZed`).
 * @see nova/scheduler/weights/disk.py DiskWeigher
 */
export function createDiskWeigher(
  options: { multiplier?: number | undefined; zed?: ZedWeighing | undefined } = {},
): HostWeigher {
  const weigher: HostWeigher = {
    name: DISK_WEIGHER,
    minval: 0,
    multiplier: multiplierOf(DISK_WEIGHER, options.multiplier, 1.0),
    weigh: (host) => host.freeDiskMb,
    weighColumns(cols, rows, count, _request, out) {
      const col = cols.freeDiskMb;
      for (let j = 0; j < count; j++) out[j] = col[rows[j] as number] as number;
    },
    weighAll(hosts, _request, out) {
      for (let i = 0; i < hosts.length; i++) out[i] = (hosts[i] as HostState).freeDiskMb;
    },
  };
  return options.zed === undefined
    ? weigher
    : followZed(weigher, 'disk_weight_multiplier', options.zed);
}

/**
 * Multiplier read once at creation (nova reads it on every request). Under
 * `[opie] nova_version = zed`, as nova Zed: raw weights clamped into the class
 * bounds, `disk_weight_multiplier` read from aggregate metadata.
 * @see nova/scheduler/weights/disk.py (stable/zed)
 */
export const diskWeigherPlugin: WeigherPlugin = {
  kind: 'weigher',
  classPath: DISK_WEIGHER,
  description: 'Prefers hosts with more free disk (Mitaka+).',
  options: [diskWeightMultiplierOption, novaVersionOption],
  create: (ctx) =>
    createDiskWeigher({
      multiplier: ctx.conf.float('filter_scheduler', 'disk_weight_multiplier'),
      zed: novaVersionOf(ctx.conf) === 'zed' ? { logger: ctx.runtime.logger } : undefined,
    }),
};
