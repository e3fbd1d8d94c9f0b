import type { HostState, HostWeigher, OptionSpec, WeigherPlugin } from '@opie/core';
import { novaVersionOf, novaVersionOption } from '@opie/core';
import { followZed } from './aggregate-multiplier.js';
import type { ZedWeighing } from './aggregate-multiplier.js';
import { multiplierOf } from './multiplier.js';

/** `[filter_scheduler] io_ops_weight_multiplier` (Liberty: `[DEFAULT] io_ops_weight_multiplier`). */
export const ioOpsWeightMultiplierOption: OptionSpec = {
  group: 'filter_scheduler',
  name: 'io_ops_weight_multiplier',
  type: 'float',
  default: -1.0,
  help:
    'IoOpsWeigher multiplier. Negative values prefer hosts with fewer I/O-heavy ' +
    'operations in progress; positive values prefer busier hosts.',
  deprecatedNames: [{ group: 'DEFAULT', name: 'io_ops_weight_multiplier' }],
};

export const IO_OPS_WEIGHER = 'nova.scheduler.weights.io_ops.IoOpsWeigher';

/**
 * Weighs hosts by I/O-heavy operations in progress (`numIoOps`), class minimum 0.
 * With `zed` (nova Zed): raw weights clamped into the class bounds, and each
 * host's multiplier read from its aggregates' metadata (`followZed`).
 * @see nova/scheduler/weights/io_ops.py IoOpsWeigher
 */
export function createIoOpsWeigher(
  options: { multiplier?: number | undefined; zed?: ZedWeighing | undefined } = {},
): HostWeigher {
  const weigher: HostWeigher = {
    name: IO_OPS_WEIGHER,
    minval: 0,
    multiplier: multiplierOf(IO_OPS_WEIGHER, options.multiplier, -1.0),
    weigh: (host) => host.numIoOps,
    weighColumns(cols, rows, count, _request, out) {
      const col = cols.numIoOps;
      for (let j = 0; j < count; j++) out[j] = col[rows[j] as number] as number;
    },
    weighAll(hosts, _request, out) {
      for (let i = 0; i < hosts.length; i++) out[i] = (hosts[i] as HostState).numIoOps;
    },
  };
  return options.zed === undefined
    ? weigher
    : followZed(weigher, 'io_ops_weight_multiplier', options.zed);
}

/**
 * Multiplier read once at creation (nova reads it on every request). Under
 * `[opie] nova_version = zed`, as nova Zed: raw weights clamped into the class
 * bounds, `io_ops_weight_multiplier` read from aggregate metadata.
 * @see nova/scheduler/weights/io_ops.py (stable/zed)
 */
export const ioOpsWeigherPlugin: WeigherPlugin = {
  kind: 'weigher',
  classPath: IO_OPS_WEIGHER,
  description: 'Prefers hosts with fewer I/O-heavy operations in progress (by default).',
  options: [ioOpsWeightMultiplierOption, novaVersionOption],
  create: (ctx) =>
    createIoOpsWeigher({
      multiplier: ctx.conf.float('filter_scheduler', 'io_ops_weight_multiplier'),
      zed: novaVersionOf(ctx.conf) === 'zed' ? { logger: ctx.runtime.logger } : undefined,
    }),
};
