import type { HostWeigher, OptionSpec, WeigherPlugin } from '@opie/core';
import { aggregateMultipliers } from './aggregate-multiplier.js';
import type { ZedWeighing } from './aggregate-multiplier.js';
import { multiplierOf } from './multiplier.js';

/** `[filter_scheduler] cross_cell_move_weight_multiplier` (nova Zed). */
export const crossCellMoveWeightMultiplierOption: OptionSpec = {
  group: 'filter_scheduler',
  name: 'cross_cell_move_weight_multiplier',
  type: 'float',
  default: 1000000.0,
  help:
    'CrossCellWeigher multiplier: preference for the source cell in a cross-cell move (nova Zed). ' +
    'opie models one cell, so the weigher weighs every host the same.',
};

export const CROSS_CELL_WEIGHER = 'nova.scheduler.weights.cross_cell.CrossCellWeigher';

/**
 * nova Zed's cross-cell weigher. nova weighs 1 / -1 for hosts in / out of the
 * preferred cell of a cross-cell move (`requested_destination.cell` with
 * `allow_cross_cell_move`), else 0. opie has one cell and no requested
 * destination cell, so every raw weight is 0 (nova's case "no preferred
 * cell"): it never changes a host's total. Multiplier as nova's (aggregate
 * metadata, else the configured one).
 * @see nova/scheduler/weights/cross_cell.py (stable/zed) CrossCellWeigher
 */
export function createCrossCellWeigher(
  options: { multiplier?: number | undefined; zed?: ZedWeighing | undefined } = {},
): HostWeigher {
  const multiplier = multiplierOf(CROSS_CELL_WEIGHER, options.multiplier, 1000000.0);
  return {
    name: CROSS_CELL_WEIGHER,
    multiplier,
    clampRaw: true,
    ...aggregateMultipliers(
      CROSS_CELL_WEIGHER,
      'cross_cell_move_weight_multiplier',
      multiplier,
      options.zed ?? {},
    ),
    weigh: () => 0,
    weighColumns(_cols, _rows, count, _request, out) {
      out.fill(0, 0, count);
    },
  };
}

/** nova Zed only: the loader accepts it under `[opie] nova_version = zed`. */
export const crossCellWeigherPlugin: WeigherPlugin = {
  kind: 'weigher',
  classPath: CROSS_CELL_WEIGHER,
  description: 'Prefers the source cell in cross-cell moves (nova Zed; one cell in opie: neutral).',
  options: [crossCellMoveWeightMultiplierOption],
  create: (ctx) =>
    createCrossCellWeigher({
      multiplier: ctx.conf.float('filter_scheduler', 'cross_cell_move_weight_multiplier'),
      zed: { logger: ctx.runtime.logger },
    }),
};
